"""Safe YAML loading that keeps line numbers and never guesses booleans.

The loader is PyYAML's C-accelerated safe loader where available. Implicit booleans are
switched off: ``verdict: false`` reads as the string ``"false"`` and ``no``/``on`` stay
strings, so nothing is silently misread. Mappings and sequences come back as ``LDict`` and
``LList``, which remember the line of every key and item. Duplicate keys are errors.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from lint_notes.errors import Problem

try:  # the C loader is several times faster
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

_BOOL_TAG = "tag:yaml.org,2002:bool"


class LDict(dict):
    """A mapping that knows its own line and the line of each key."""

    line: int = 0
    key_lines: dict

    def line_of(self, key) -> int:
        return self.key_lines.get(key, self.line)


class LList(list):
    """A sequence that knows its own line and the line of each item."""

    line: int = 0
    item_lines: list

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


class _LineLoader(_BaseLoader):
    duplicate_keys: list


_LineLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != _BOOL_TAG]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}


def _construct_map(loader: _LineLoader, node: yaml.MappingNode) -> LDict:
    loader.flatten_mapping(node)
    result = LDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, "a mapping key must be a plain value", key_node.start_mark
            ) from None
        line = key_node.start_mark.line + 1
        if key in result:
            loader.duplicate_keys.append((line, key, result.key_lines[key]))
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = line
    return result


def _construct_seq(loader: _LineLoader, node: yaml.SequenceNode) -> LList:
    result = LList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)


class YamlFileError(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(map(str, problems)))


def load_yaml_text(text: str, path: str):
    """Parse YAML text; raise YamlFileError with file:line problems."""
    loader = _LineLoader(text)
    loader.duplicate_keys = []
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        what = exc.problem or str(exc)
        if exc.context:
            what = f"{exc.context}: {what}" if exc.problem else exc.context
        raise YamlFileError([Problem(path, line, f"invalid YAML: {what}")]) from None
    except yaml.YAMLError as exc:
        raise YamlFileError([Problem(path, 0, f"invalid YAML: {exc}")]) from None
    except RecursionError:
        raise YamlFileError([Problem(path, 0, "invalid YAML: nesting is too deep")]) from None
    finally:
        loader.dispose()
    if loader.duplicate_keys:
        raise YamlFileError(
            [
                Problem(path, line, f"duplicate key {key!r} (first defined on line {first})")
                for line, key, first in loader.duplicate_keys
            ]
        )
    return data


def load_yaml_file(path: Path):
    """Read and parse one YAML file (UTF-8, BOM allowed)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise YamlFileError([Problem(str(path), 0, f"cannot read file: {exc.strerror or exc}")]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise YamlFileError([Problem(str(path), line, "not valid UTF-8; save the file as UTF-8")]) from None
    return load_yaml_text(text, str(path))
