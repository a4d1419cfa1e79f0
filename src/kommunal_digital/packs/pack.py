"""A template pack on disk: manifest, data files and templates."""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath
from typing import Any

import attrs
import cattrs

from kommunal_digital._version import __version__
from kommunal_digital.errors import (
    InputFileError,
    ModelValidationError,
    PackError,
    UnsafePathError,
)
from kommunal_digital.io.converter import make_converter
from kommunal_digital.io.errors import describe_problems
from kommunal_digital.io.yaml_io import YamlError, load_yaml
from kommunal_digital.model import ActionField
from kommunal_digital.packs.archive import unpack_zip_pack
from kommunal_digital.packs.assets import MAX_PACK_ASSET_BYTES, load_asset
from kommunal_digital.packs.data import DATA_KINDS, DataKind
from kommunal_digital.packs.manifest import EXCLUDE_ALL, PackManifest, read_manifest

__all__ = ["TemplatePack", "load_pack"]

_CONVERTER = make_converter()
_DATA_CACHE: dict[tuple[Path, str, int, int], tuple[Any, ...]] = {}
#: Kinds of data whose items belong to an action field (``action_field``).
_PER_FIELD = ("catalogue", "needs_analysis")


@attrs.frozen
class TemplatePack:
    """A loaded template pack.

    Attributes:
        root: The pack's folder (absolute, resolved).
        manifest: The checked ``pack.toml``.
        parent: The pack it extends, with its own chain (set by
            :func:`~kommunal_digital.packs.with_parents`); ``None`` at the root.
    """

    root: Path
    manifest: PackManifest

    @property
    def name(self) -> str:
        """The pack's name from its manifest."""
        return self.manifest.name

    def resolve(self, relative: str) -> Path:
        """Resolve a path given inside the pack, refusing any that leaves it.

        Args:
            relative: A path relative to the pack's folder, as ``pack.toml``
                gives it (either slash separates folders).

        Raises:
            UnsafePathError: The path is absolute, climbs out with ``..`` or
                leads outside the pack through a symbolic link.
        """
        pure = PurePosixPath(relative.replace("\\", "/"))
        if pure.is_absolute() or ".." in pure.parts or (pure.parts and ":" in pure.parts[0]):
            raise UnsafePathError(f"{self.name}: {relative!r} points outside the pack")
        target = (self.root / pure).resolve()
        if not target.is_relative_to(self.root):
            raise UnsafePathError(f"{self.name}: {relative!r} points outside the pack")
        return target

    def document_template(self, document_type: str) -> Path | None:
        """Return the template for a document type (own or inherited), if any.

        Args:
            document_type: The document type's name, e.g. ``"digitalstrategie"``.
        """
        return self.documents().get(document_type)

    parent: TemplatePack | None = None

    def own_data(self, kind: str) -> tuple[Any, ...]:
        """Read one kind of data from this pack's own file (not its parent's).

        Args:
            kind: The kind of data, a key of
                :data:`~kommunal_digital.packs.DATA_KINDS`.

        Returns:
            The items in file order; empty when the pack declares none.

        Raises:
            PackError: ``kind`` is not a known kind of data.
            InputFileError: The data file is missing or invalid; the message
                names the file and the field path.
        """
        try:
            spec = DATA_KINDS[kind]
        except KeyError:
            raise PackError(f"unknown kind of pack data {kind!r}") from None
        relative = self.manifest.data.get(kind)
        if relative is None:
            return ()
        path = self.resolve(relative)
        label = f"{self.name}/{relative}"
        try:
            stat = path.stat()
        except FileNotFoundError:
            raise InputFileError(label, ["file not found"]) from None
        # Parsed once per file version: every workspace of the pack reuses it.
        cache_key = (path, kind, stat.st_mtime_ns, stat.st_size)
        cached = _DATA_CACHE.get(cache_key)
        if cached is not None:
            return cached
        items = self._read(path, spec, label)
        _DATA_CACHE[cache_key] = items
        return items

    @staticmethod
    def _read(path: Path, spec: DataKind, label: str) -> tuple[Any, ...]:
        try:
            data = load_yaml(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise InputFileError(label, ["file not found"]) from None
        except (YamlError, UnicodeDecodeError) as exc:
            raise InputFileError(label, [str(exc)]) from None
        if not isinstance(data, dict) or set(data) != {spec.top_key}:
            raise InputFileError(label, [f"expected one top-level key {spec.top_key!r}"])
        try:
            items: tuple[Any, ...] = _CONVERTER.structure(
                data[spec.top_key],
                tuple[spec.item_type, ...],  # type: ignore[name-defined]
            )
        except (cattrs.BaseValidationError, ModelValidationError) as exc:
            raise InputFileError(label, describe_problems(exc, spec.top_key)) from None
        except ValueError as exc:
            raise InputFileError(label, [f"{spec.top_key}: {exc}"]) from None
        return items

    def data(self, kind: str) -> tuple[Any, ...]:
        """One kind of data, merged along the ``extends`` chain.

        Items of this pack replace items of its parent with the same key
        (in the parent's position); new items follow. Inherited items the
        pack's ``[exclude]`` names are left out, and with inherited action
        fields their catalogue entries and needs-analysis questions.

        Args:
            kind: The kind of data, a key of
                :data:`~kommunal_digital.packs.DATA_KINDS`.
        """
        inherited = self.parent.data(kind) if self.parent is not None else ()
        excluded = self.excluded(kind)
        if excluded is None:
            inherited = ()
        else:
            inherited = tuple(item for item in inherited if _key(item) not in excluded)
        if kind in _PER_FIELD and inherited:
            dropped = self.dropped_action_fields()
            inherited = tuple(item for item in inherited if item.action_field not in dropped)
        merged = {_key(item): item for item in inherited}
        for item in self.own_data(kind):
            merged[_key(item)] = item
        return tuple(merged.values())

    def excluded(self, kind: str) -> frozenset[str] | None:
        """The keys of inherited items of a kind this pack drops (its ``[exclude]``).

        Args:
            kind: The kind of data, e.g. ``"action_fields"``.

        Returns:
            The keys; ``None`` when the pack drops every inherited item of
            the kind (``"*"``).
        """
        keys = self.manifest.exclude.get(kind, ())
        return None if EXCLUDE_ALL in keys else frozenset(keys)

    def dropped_action_fields(self) -> frozenset[str]:
        """Keys of inherited action fields this pack drops and does not define again.

        The inherited catalogue entries and needs-analysis questions of
        these fields are dropped with them.
        """
        if self.parent is None or "action_fields" not in self.manifest.exclude:
            return frozenset()
        excluded = self.excluded("action_fields")
        inherited = {_key(item) for item in self.parent.data("action_fields")}
        own = {_key(item) for item in self.own_data("action_fields")}
        gone = inherited if excluded is None else inherited & excluded
        return frozenset(gone - own)

    def action_fields(self) -> tuple[ActionField, ...]:
        """The pack's action fields (including inherited ones)."""
        return self.data("action_fields")

    def defaults(self) -> dict[str, str]:
        """The pack's ``[defaults]``, this pack's overriding its parent's."""
        inherited = self.parent.defaults() if self.parent is not None else {}
        return {**inherited, **self.manifest.defaults}

    def wording(self) -> dict[str, str]:
        """The pack's ``[wording]``, this pack's overriding its parent's."""
        inherited = self.parent.wording() if self.parent is not None else {}
        return {**inherited, **self.manifest.wording}

    def check_severities(self) -> dict[str, str]:
        """The pack's ``[checks]`` severities, this pack's overriding its parent's."""
        inherited = self.parent.check_severities() if self.parent is not None else {}
        return {**inherited, **self.manifest.checks}

    def enabled_plugins(self) -> frozenset[str]:
        """Plugins this pack and the packs it extends enable (``[plugins] enable``)."""
        inherited = self.parent.enabled_plugins() if self.parent is not None else frozenset()
        return inherited | frozenset(self.manifest.enable)

    def disabled_checks(self) -> frozenset[str]:
        """Governance checks this pack and its parents switch off."""
        inherited = self.parent.disabled_checks() if self.parent is not None else frozenset()
        return inherited | frozenset(self.manifest.disable_checks)

    def chain(self) -> tuple[TemplatePack, ...]:
        """This pack and the packs it extends, nearest first."""
        return (self, *(self.parent.chain() if self.parent is not None else ()))

    def documents(self) -> dict[str, Path]:
        """Template paths by document type, this pack's overriding its parent's."""
        inherited = self.parent.documents() if self.parent is not None else {}
        own = {kind: self.resolve(rel) for kind, rel in self.manifest.documents.items()}
        return {**inherited, **own}

    def asset(self, name: str) -> bytes:
        """One of this pack's own pictures (``[assets]``), checked.

        Args:
            name: The picture's name, e.g. ``"logo"``.

        Returns:
            The picture's bytes (PNG, JPEG or SVG; see
            :func:`~kommunal_digital.packs.asset_type` to tell which).

        Raises:
            PackError: The pack declares no such picture, or the file is
                missing, outside the pack, too big or no acceptable picture;
                the message names the pack, the picture and the file.
        """
        relative = self.manifest.assets.get(name)
        if relative is None:
            known = ", ".join(sorted(self.manifest.assets)) or "none"
            raise PackError(f"{self.name}: no picture {name!r} in [assets] (known: {known})")
        try:
            path = self.resolve(relative)
        except UnsafePathError:
            raise UnsafePathError(
                f"{self.name}: picture {name!r}: {relative!r} points outside the pack"
            ) from None
        try:
            return load_asset(path)
        except PackError as exc:
            raise PackError(f"{self.name}: picture {name!r} ({relative}): {exc}") from None

    def asset_data(self) -> dict[str, bytes]:
        """The pictures templates can place, by name, merged along the ``extends`` chain.

        A picture of this pack replaces an inherited one of the same name.
        Every picture is checked (see :mod:`kommunal_digital.packs.assets`).

        Returns:
            Picture bytes by name, inherited ones first.

        Raises:
            PackError: A picture of this pack or a pack it extends is bad
                (the message names that pack, the picture and the file), or
                the pictures together exceed
                :data:`~kommunal_digital.packs.MAX_PACK_ASSET_BYTES`.
        """
        merged = self.parent.asset_data() if self.parent is not None else {}
        for name in self.manifest.assets:
            merged[name] = self.asset(name)
        total = sum(len(data) for data in merged.values())
        if total > MAX_PACK_ASSET_BYTES:
            raise PackError(
                f"{self.name}: its pictures (own and inherited) take {total:,} bytes together, "
                f"more than the {MAX_PACK_ASSET_BYTES:,} allowed"
            )
        return merged


def _key(item: Any) -> str:
    return str(item.key)


def load_pack(path: str | os.PathLike[str], *, version: str | None = None) -> TemplatePack:
    """Load a template pack from its folder or a zip file.

    The pack's ``extends`` is not resolved here; the installation does that
    (see :meth:`kommunal_digital.plugins.Installation.pack`).

    Args:
        path: The pack folder (holding ``pack.toml``) or a ``.zip`` of it.
        version: The kommunal-digital version to check compatibility with;
            defaults to the installed version.

    Raises:
        PackError: The folder is no pack, the manifest is invalid, or the pack
            does not support this version of kommunal-digital.
    """
    root = Path(path).resolve()
    if root.is_file() and root.suffix.lower() == ".zip":
        root = unpack_zip_pack(root)
    elif not root.is_dir():
        raise PackError(f"{path}: neither a pack folder nor a zip file")
    manifest = read_manifest(root)
    if version is None:
        version = __version__
    if not manifest.supports(version):
        raise PackError(
            f"{manifest.name}: this pack supports kommunal-digital {manifest.kommunal_digital}, "
            f"but {version} is installed"
        )
    return TemplatePack(root=root, manifest=manifest)
