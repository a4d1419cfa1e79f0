"""Safe YAML reading and readable YAML writing."""

from __future__ import annotations

from typing import Any

import yaml

__all__ = ["YamlError", "dump_yaml", "load_yaml"]


class YamlError(Exception):
    """A YAML text could not be read; the message names line and column."""


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys in a mapping."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    loader.flatten_mapping(node)
    mapping: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in mapping:
            mark = key_node.start_mark
            raise YamlError(
                f"line {mark.line + 1}, column {mark.column + 1}: the key {key!r} appears twice"
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
    return mapping


_StrictLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping,
)


class _Dumper(yaml.SafeDumper):
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
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def load_yaml(text: str) -> Any:
    """Parse YAML safely: only plain data, no Python tags, no duplicate keys.

    Args:
        text: The YAML text.

    Raises:
        YamlError: The text is not valid YAML or uses a forbidden tag.
    """
    try:
        return yaml.load(text, Loader=_StrictLoader)
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
