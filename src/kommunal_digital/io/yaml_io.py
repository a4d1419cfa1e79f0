"""Safe YAML reading and readable YAML writing."""

from __future__ import annotations

from typing import Any

import yaml

__all__ = [
    "LIBYAML",
    "MAX_ALIAS_EXPANSION",
    "ImpossibleDate",
    "YamlError",
    "dump_yaml",
    "load_yaml",
]


class YamlError(Exception):
    """A YAML text could not be read; the message names line and column."""


class ImpossibleDate:
    """An unquoted YAML date that names no day of the calendar, such as ``2027-02-30``.

    :func:`load_yaml` keeps it in place of the date, so that the loader
    reports it with its field path and line instead of failing for the
    whole file.

    Attributes:
        text: The date as written.
        line: The line it stands on (from 1).
        column: The column it starts in (from 1).
        reason: Why it names no day, e.g. ``day is out of range for month``.
    """

    __slots__ = ("column", "line", "reason", "text")

    def __init__(self, text: str, line: int, column: int, reason: str) -> None:
        self.text = text
        self.line = line
        self.column = column
        self.reason = reason

    def __repr__(self) -> str:
        return self.text

    def describe(self) -> str:
        """The problem in words, with line and column: ``2027-02-30 is not a date (...)``."""
        return f"{self.text} is not a date: {self.reason} (line {self.line}, column {self.column})"


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys and keys that are lists or mappings."""


def _where(node: yaml.Node) -> str:
    mark = node.start_mark
    return f"line {mark.line + 1}, column {mark.column + 1}"


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    loader.flatten_mapping(node)
    mapping: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            what = "list" if isinstance(key_node, yaml.SequenceNode) else "mapping"
            raise YamlError(
                f"{_where(key_node)}: a key must be a single value (a name, number or "
                f"date), not a {what}"
            )
        key = loader.construct_object(key_node, deep=True)
        if key in mapping:
            mark = key_node.start_mark
            raise YamlError(
                f"line {mark.line + 1}, column {mark.column + 1}: the key {key!r} appears twice"
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
    return mapping


def _construct_timestamp(loader: _StrictLoader, node: yaml.ScalarNode) -> Any:
    try:
        return loader.construct_yaml_timestamp(node)
    except (ValueError, OverflowError) as exc:
        # 2027-02-30 looks like a date but names no day: keep it with its place,
        # so the loader names the field (and this line) instead of failing here.
        mark = node.start_mark
        return ImpossibleDate(str(node.value), mark.line + 1, mark.column + 1, str(exc))


def _construct_int(loader: _StrictLoader, node: yaml.ScalarNode) -> Any:
    try:
        return loader.construct_yaml_int(node)
    except ValueError as exc:
        # e.g. more digits than Python converts
        raise YamlError(f"{_where(node)}: the number cannot be read: {exc}") from None


#: Whether PyYAML's C parser and emitter (libyaml) are there: 3-4 times faster.
LIBYAML = bool(getattr(yaml, "__with_libyaml__", False)) and hasattr(yaml, "CSafeLoader")

if LIBYAML:

    class _CStrictLoader(yaml.CSafeLoader):
        """The same strict rules on libyaml's parser."""

    _LOADERS: tuple[type[Any], ...] = (_StrictLoader, _CStrictLoader)
    _SafeDumperBase: type[Any] = yaml.CSafeDumper
else:  # pragma: no cover - libyaml ships with PyYAML's wheels
    _LOADERS = (_StrictLoader,)
    _SafeDumperBase = yaml.SafeDumper

for _loader in _LOADERS:
    _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    _loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
    _loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
#: The loader :func:`load_yaml` uses: libyaml's where present, else the pure-Python one.
_LOADER = _LOADERS[-1]


class _Dumper(_SafeDumperBase):  # type: ignore[misc]  # a class chosen at import
    """SafeDumper that writes multi-line text as literal blocks and no aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        # The same date object used twice must not become "&id001 ... *id001":
        # people edit these files by hand.
        return True


def _represent_str(dumper: _Dumper, value: str) -> yaml.ScalarNode:
    # YAML counts NEL and the Unicode line/paragraph separators as line breaks;
    # PyYAML folds them in plain, single-quoted and block styles, so such text
    # is written double-quoted, where they are escaped.
    if any(char in value for char in "\x85\u2028\u2029"):
        style: str | None = '"'
    elif "\n" in value and value == value.strip(" ") and "\r" not in value:
        style = "|"
    else:
        style = None
    node: yaml.ScalarNode = dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)
    return node


_Dumper.add_representer(str, _represent_str)


#: Values a YAML document may expand to through aliases (``*name``) beyond
#: the values it holds itself; see :func:`_check_expansion`.
MAX_ALIAS_EXPANSION = 1_000_000


def _check_expansion(data: Any) -> Any:
    """Refuse a document whose aliases repeat its values without bound ("billion laughs").

    An alias makes the parser share one list or mapping wherever it is
    used, so parsing is cheap; whatever walks the data afterwards (copying
    extension data, writing it back) pays for every repetition. The
    expanded size is counted with each shared value counted once per use,
    but computed once per value, so the check itself stays linear.
    """
    sizes: dict[int, int] = {}
    unique = 0

    def size(value: Any) -> int:
        nonlocal unique
        if not isinstance(value, dict | list):
            return 1
        known = sizes.get(id(value))
        if known is not None:
            return known
        unique += 1
        children = value.values() if isinstance(value, dict) else value
        total = 1 + sum(size(child) for child in children)
        sizes[id(value)] = total
        return total

    try:
        expanded = size(data)
    except RecursionError:
        raise YamlError("the document is nested too deeply") from None
    if expanded > unique + MAX_ALIAS_EXPANSION and expanded > 10 * max(unique, 1):
        raise YamlError(
            f"aliases (*name) repeat the document's values {expanded:,} times; "
            f"at most {MAX_ALIAS_EXPANSION:,} repetitions are allowed"
        )
    return data


def load_yaml(text: str) -> Any:
    """Parse YAML safely: only plain data, no Python tags, no duplicate keys.

    Uses libyaml's C parser where PyYAML has it (:data:`LIBYAML`), with the
    same rules and messages as the pure-Python parser it falls back to.

    Args:
        text: The YAML text.

    Raises:
        YamlError: The text is not valid YAML or uses a forbidden tag.
    """
    if "*" in text:
        return _check_expansion(_load(text))
    return _load(text)


def _load(text: str) -> Any:
    if _LOADER is not _StrictLoader:
        try:
            return yaml.load(text, Loader=_LOADER)  # a SafeLoader subclass
        except yaml.YAMLError:
            # libyaml words its errors differently: the pure-Python parser
            # reads the broken text again, for the same messages everywhere.
            pass
    try:
        return yaml.load(text, Loader=_StrictLoader)  # a SafeLoader subclass
    except yaml.reader.ReaderError as exc:
        position = int(exc.position)
        line = text.count("\n", 0, position) + 1
        column = position - text.rfind("\n", 0, position)
        character = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise YamlError(
            f"line {line}, column {column}: the character #x{character:04x} cannot stand in YAML"
        ) from None
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise YamlError(
            f"{where}{exc.problem} (only plain data is allowed; Python tags are refused)"
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise YamlError(f"{where}{exc.problem or exc.context or 'invalid YAML'}") from None
    except yaml.YAMLError as exc:
        raise YamlError(f"invalid YAML: {exc}") from None
    except RecursionError:
        raise YamlError("the document is nested too deeply") from None
    except ValueError as exc:
        # e.g. an integer with more digits than Python converts
        raise YamlError(f"a value cannot be read: {exc}") from None


def dump_yaml(data: Any) -> str:
    """Write plain data (dicts, lists, scalars, dates) as block-style YAML.

    Args:
        data: The data; mappings keep their order.
    """
    return yaml.dump(
        data,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=100,
    )
