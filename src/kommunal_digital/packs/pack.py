"""A template pack on disk: manifest, data files and templates."""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

import attrs
import cattrs

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
from kommunal_digital.packs.manifest import PackManifest, read_manifest

__all__ = ["TemplatePack", "load_pack"]

_CONVERTER = make_converter()


@attrs.frozen
class TemplatePack:
    """A loaded template pack.

    Attributes:
        root: The pack's folder (absolute, resolved).
        manifest: The checked ``pack.toml``.
    """

    root: Path
    manifest: PackManifest

    @property
    def name(self) -> str:
        """The pack's name from its manifest."""
        return self.manifest.name

    def resolve(self, relative: str) -> Path:
        """Resolve a path given inside the pack, refusing any that leaves it.

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
        """Return the template the manifest names for a document type, if any."""
        relative = self.manifest.documents.get(document_type)
        return self.resolve(relative) if relative is not None else None

    def action_fields(self) -> tuple[ActionField, ...]:
        """Read the action fields of the pack's ``action_fields`` data file.

        Returns:
            The fields in file order; empty when the pack declares none.

        Raises:
            InputFileError: The data file is missing or invalid; the message
                names the file and the field path.
        """
        relative = self.manifest.data.get("action_fields")
        if relative is None:
            return ()
        path = self.resolve(relative)
        label = f"{self.name}/{relative}"
        try:
            data = load_yaml(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise InputFileError(label, ["file not found"]) from None
        except (YamlError, UnicodeDecodeError) as exc:
            raise InputFileError(label, [str(exc)]) from None
        if not isinstance(data, dict) or set(data) != {"action_fields"}:
            raise InputFileError(label, ["expected one top-level key 'action_fields'"])
        try:
            fields: tuple[ActionField, ...] = _CONVERTER.structure(
                data["action_fields"], tuple[ActionField, ...]
            )
        except (cattrs.BaseValidationError, ModelValidationError) as exc:
            raise InputFileError(label, describe_problems(exc, "action_fields")) from None
        except ValueError as exc:
            raise InputFileError(label, [f"action_fields: {exc}"]) from None
        return fields


def load_pack(path: str | os.PathLike[str], *, version: str | None = None) -> TemplatePack:
    """Load a template pack from its folder.

    Args:
        path: The pack folder (holding ``pack.toml``).
        version: The kommunal-digital version to check compatibility with;
            defaults to the installed version.

    Raises:
        PackError: The folder is no pack, the manifest is invalid, or the pack
            does not support this version of kommunal-digital.
    """
    root = Path(path).resolve()
    if not root.is_dir():
        raise PackError(f"{path}: not a folder")
    manifest = read_manifest(root)
    if version is None:
        from kommunal_digital._version import __version__

        version = __version__
    if not manifest.supports(version):
        raise PackError(
            f"{manifest.name}: this pack supports kommunal-digital {manifest.kommunal_digital}, "
            f"but {version} is installed"
        )
    return TemplatePack(root=root, manifest=manifest)
