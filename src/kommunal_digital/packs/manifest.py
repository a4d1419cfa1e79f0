"""The ``pack.toml`` manifest of a template pack."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import attrs
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

from kommunal_digital.errors import ModelValidationError, PackError
from kommunal_digital.model import checks
from kommunal_digital.packs.assets import is_asset_name
from kommunal_digital.packs.data import DATA_KINDS

__all__ = ["CHECK_SEVERITIES", "EXCLUDE_ALL", "MANIFEST_NAME", "PackManifest", "read_manifest"]

#: File name of the manifest at the root of every pack.
MANIFEST_NAME = "pack.toml"


def _version(instance: object, attribute: attrs.Attribute[Any], value: str) -> None:
    try:
        Version(value)
    except (InvalidVersion, TypeError):
        raise ModelValidationError(attribute.name, f"{value!r} is not a version number") from None


def _specifier(instance: object, attribute: attrs.Attribute[Any], value: str) -> None:
    try:
        SpecifierSet(value)
    except (InvalidSpecifier, TypeError):
        raise ModelValidationError(
            attribute.name, f"{value!r} is not a version range such as '>=0.1,<0.2'"
        ) from None


def _relative_paths(
    instance: object, attribute: attrs.Attribute[Any], value: dict[str, str]
) -> None:
    for name, path in value.items():
        if not checks.is_key(name):
            raise ModelValidationError(attribute.name, f"{name!r} is not a valid name")
        if not isinstance(path, str) or not path:
            raise ModelValidationError(f"{attribute.name}.{name}", "expected a relative path")


def _assets(instance: object, attribute: attrs.Attribute[Any], value: dict[str, str]) -> None:
    for name, path in value.items():
        if not is_asset_name(name):
            raise ModelValidationError(
                "assets",
                f"{name!r} is not a valid picture name (lower-case letters, digits and '_', "
                "starting with a letter; templates use it as images.<name>)",
            )
        if not isinstance(path, str) or not path:
            raise ModelValidationError(f"assets.{name}", "expected a relative path")


def _wording(instance: object, attribute: attrs.Attribute[Any], value: dict[str, str]) -> None:
    for key, text in value.items():
        if not checks.is_key(key):
            raise ModelValidationError(f"wording.{key}", "is not a valid key")
        if not isinstance(text, str) or not text.strip():
            raise ModelValidationError(f"wording.{key}", f"expected a text, got {text!r}")
        checks.text(instance, attribute, text)


#: An ``[exclude]`` value that drops every inherited item of a kind.
EXCLUDE_ALL = "*"


def _exclude(
    instance: object, attribute: attrs.Attribute[Any], value: dict[str, tuple[str, ...]]
) -> None:
    for kind, keys in value.items():
        if kind not in DATA_KINDS:
            raise ModelValidationError(
                "exclude",
                f"unknown kind(s) {kind} (known: {', '.join(DATA_KINDS)})",
            )
        if EXCLUDE_ALL in keys and len(keys) > 1:
            raise ModelValidationError(
                f"exclude.{kind}", f"'{EXCLUDE_ALL}' drops everything; give it alone"
            )
        for key in keys:
            if key != EXCLUDE_ALL and not checks.is_key(key):
                raise ModelValidationError(f"exclude.{kind}", f"{key!r} is not a valid key")


#: Severities a pack's ``[checks]`` table may give a governance check.
CHECK_SEVERITIES = ("error", "warning", "info")


def _check_severities(
    instance: object, attribute: attrs.Attribute[Any], value: dict[str, str]
) -> None:
    for name, severity in value.items():
        if not isinstance(name, str) or not name.strip():
            raise ModelValidationError("checks", f"{name!r} is not a check name")
        if severity not in CHECK_SEVERITIES:
            raise ModelValidationError(
                f"checks.{name}",
                f"expected one of {', '.join(CHECK_SEVERITIES)}, got {severity!r}",
            )


def _names(instance: object, attribute: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
    for name in value:
        if not isinstance(name, str) or not name.strip():
            raise ModelValidationError(attribute.name, f"expected a list of names, got {value!r}")


@attrs.frozen
class PackManifest:
    """What ``pack.toml`` declares about a pack.

    Attributes:
        name: Identifier of the pack, e.g. ``"rlp"``.
        version: The pack's own version.
        title: Human-readable title.
        region: The region or agency the pack is for.
        language: Language of its texts, e.g. ``"de"``.
        kommunal_digital: The kommunal-digital versions it supports, as a range.
        extends: Name of a pack this one builds on, if any.
        data: Data files by kind (e.g. ``action_fields``), relative to the pack.
        documents: Templates by document type, relative to the pack.
        defaults: Choices the pack proposes, e.g. ``ranking_rule``,
            ``roadmap_preset``, ``organigram_preset``.
        enable: Installed plugins whose contributions apply to this pack
            besides those that ship it (table ``[plugins]``, key ``enable``).
        disable_checks: Governance checks not run for strategies of this
            pack (``[plugins]``, key ``disable_checks``).
        wording: German wording the documents use for recurring terms
            (table ``[wording]``), e.g. ``workshop = "Digital-Werkstatt"``
            or ``unknown = "noch offen"``; see ``docs/honest-documents.md``.
        exclude: Inherited items this pack drops, by kind of data (table
            ``[exclude]``): the keys of the items, or ``("*",)`` for every
            inherited item of the kind, e.g.
            ``{"action_fields": ("tourismus",)}``. Dropping action fields
            also drops the inherited catalogue entries and needs-analysis
            questions of those fields.
        checks: Severity per governance check (table ``[checks]``), e.g.
            ``pilot-per-field = "error"``: every finding of the check gets it
            (``error``, ``warning`` or ``info``).
        assets: Pictures the pack ships, by the name templates use
            (``images.<name>``), relative to the pack (table ``[assets]``),
            e.g. ``{"logo": "bilder/logo.png"}``; see
            :mod:`kommunal_digital.packs.assets`.
    """

    name: str = attrs.field(validator=checks.key)
    version: str = attrs.field(validator=_version)
    title: str = attrs.field(validator=checks.required_text)
    region: str = attrs.field(default="", validator=checks.text)
    language: str = attrs.field(default="de", validator=checks.required_text)
    kommunal_digital: str = attrs.field(default="", validator=_specifier)
    extends: str | None = None
    data: dict[str, str] = attrs.field(factory=dict, validator=_relative_paths, hash=False)
    documents: dict[str, str] = attrs.field(factory=dict, validator=_relative_paths, hash=False)
    defaults: dict[str, str] = attrs.field(factory=dict, hash=False)
    enable: tuple[str, ...] = attrs.field(default=(), validator=_names)
    disable_checks: tuple[str, ...] = attrs.field(default=(), validator=_names)
    wording: dict[str, str] = attrs.field(factory=dict, validator=_wording, hash=False)
    exclude: dict[str, tuple[str, ...]] = attrs.field(factory=dict, validator=_exclude, hash=False)
    checks: dict[str, str] = attrs.field(factory=dict, validator=_check_severities, hash=False)
    assets: dict[str, str] = attrs.field(factory=dict, validator=_assets, hash=False)

    def supports(self, version: str) -> bool:
        """Tell whether the pack declares support for a kommunal-digital version.

        Args:
            version: A kommunal-digital version, e.g. ``"0.1.0"``.
        """
        return Version(version) in SpecifierSet(self.kommunal_digital)


#: The tables of ``pack.toml`` besides ``[pack]``.
_TABLES = ("data", "documents", "defaults", "plugins", "wording", "exclude", "checks", "assets")
_PACK_KEYS = {"name", "version", "title", "region", "language", "kommunal_digital", "extends"}


def read_manifest(root: Path) -> PackManifest:
    """Read and check ``pack.toml`` in ``root``.

    Raises:
        PackError: The manifest is missing, not TOML, or has invalid values;
            the message names the file and the key.
    """
    file = root / MANIFEST_NAME
    label = f"{root.name}/{MANIFEST_NAME}"
    try:
        raw = tomllib.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PackError(f"{label}: not found; a pack needs a {MANIFEST_NAME}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise PackError(f"{label}: not valid TOML: {exc}") from None
    except RecursionError:
        raise PackError(f"{label}: not valid TOML: nested too deeply") from None
    pack = raw.get("pack")
    if not isinstance(pack, dict):
        raise PackError(f"{label}: the table [pack] is missing")
    unknown = set(pack) - _PACK_KEYS
    if unknown:
        raise PackError(f"{label}: pack: unknown key(s) {', '.join(sorted(unknown))}")
    for table in _TABLES:
        if not isinstance(raw.get(table, {}), dict):
            raise PackError(f"{label}: [{table}] must be a table")
    unknown_data = set(raw.get("data", {})) - set(DATA_KINDS)
    if unknown_data:
        raise PackError(
            f"{label}: data: unknown kind(s) {', '.join(sorted(unknown_data))} "
            f"(known: {', '.join(DATA_KINDS)})"
        )
    unknown_tables = set(raw) - {"pack", *_TABLES}
    if unknown_tables:
        raise PackError(f"{label}: unknown table(s) {', '.join(sorted(unknown_tables))}")
    missing = [k for k in ("name", "version", "title") if k not in pack]
    if missing:
        raise PackError(f"{label}: pack.{missing[0]}: required key is missing")
    plugins = dict(raw.get("plugins", {}))
    unknown_keys = set(plugins) - {"enable", "disable_checks"}
    if unknown_keys:
        raise PackError(
            f"{label}: plugins: unknown key(s) {', '.join(sorted(unknown_keys))} "
            "(known: enable, disable_checks)"
        )
    lists = {}
    for key in ("enable", "disable_checks"):
        value = plugins.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise PackError(f"{label}: plugins.{key}: expected a list of names, got {value!r}")
        lists[key] = tuple(value)
    exclude = {}
    for kind, value in raw.get("exclude", {}).items():
        if value == EXCLUDE_ALL:
            value = [EXCLUDE_ALL]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise PackError(
                f"{label}: exclude.{kind}: expected a list of keys or '{EXCLUDE_ALL}', "
                f"got {value!r}"
            )
        exclude[kind] = tuple(value)
    try:
        return PackManifest(
            exclude=exclude,
            enable=lists["enable"],
            disable_checks=lists["disable_checks"],
            data=dict(raw.get("data", {})),
            documents=dict(raw.get("documents", {})),
            defaults={str(k): str(v) for k, v in raw.get("defaults", {}).items()},
            wording=dict(raw.get("wording", {})),
            checks=dict(raw.get("checks", {})),
            assets=dict(raw.get("assets", {})),
            **pack,
        )
    except ModelValidationError as exc:
        own_tables = ("data", "documents", "wording", "exclude", "checks", "assets")
        table = "pack." if exc.field.split(".")[0] not in own_tables else ""
        raise PackError(f"{label}: {table}{exc}") from None
