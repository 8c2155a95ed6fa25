"""Reading YAML strictly and safely, keeping where every value came from.

PyYAML on its own silently keeps the last of two duplicate keys (a second
``when:`` would vanish), turns ``no`` into ``False`` and ``NO`` into a boolean,
and happily expands an alias bomb. For rules that decide urgency none of that is
acceptable, so this module:

* uses the safe loader only (libyaml's C parser when present), so no Python tag
  can construct an object;
* rejects duplicate keys, with both places named;
* resolves only ``true``/``false`` as booleans (YAML 1.2 style), so ``yes``,
  ``no`` and ``unsure`` stay the words the rules mean;
* bounds file size, nesting depth and the size after alias expansion
  (a "billion laughs" file fails in milliseconds);
* returns :class:`Mapping`/:class:`Sequence` containers that remember the
  ``file:line:col`` of themselves and of each key and item.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

import yaml

from kneeguide.errors import Location, Problem, RulesError

try:  # libyaml is much faster; fall back to the pure-Python parser
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 40
MAX_NODES = 200_000


class Mapping(dict[str, Any]):
    """A dict that knows its own location and each key's location."""

    location: Location
    key_locations: dict[str, Location]


class Sequence(list[Any]):
    """A list that knows its own location and each item's location."""

    location: Location
    item_locations: list[Location]


def location_of(value: Any, default: Location) -> Location:
    return getattr(value, "location", default)


def key_location(mapping: Any, key: str, default: Location) -> Location:
    locs = getattr(mapping, "key_locations", None)
    if locs and key in locs:
        return locs[key]  # type: ignore[no-any-return]
    return location_of(mapping, default)


def item_location(seq: Any, index: int, default: Location) -> Location:
    locs = getattr(seq, "item_locations", None)
    if locs and index < len(locs):
        return locs[index]  # type: ignore[no-any-return]
    return location_of(seq, default)


class _Loader(_BaseLoader):
    """Safe loader with YAML 1.2 booleans, duplicate-key and bomb checks."""

    yaml_implicit_resolvers: ClassVar[dict[str, Any]] = {}  # type: ignore[misc]


# Copy the safe resolvers, replacing the YAML 1.1 boolean one by true/false only.
for _first, _resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items():
    for _tag, _regexp in _resolvers:
        if _tag == "tag:yaml.org,2002:bool":
            continue
        _Loader.yaml_implicit_resolvers.setdefault(_first, []).append((_tag, _regexp))
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
for _first in "tTfF":
    _Loader.yaml_implicit_resolvers.setdefault(_first, []).append(("tag:yaml.org,2002:bool", _BOOL))


def _loc(path: str, node: yaml.Node) -> Location:
    return Location(path, node.start_mark.line + 1, node.start_mark.column + 1)


class _Builder:
    """Turns a composed node tree into located containers, with limits."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.budget = MAX_NODES  # total values built, counting alias re-use

    def build(self, node: yaml.Node, depth: int = 0) -> Any:
        self.budget -= 1
        if self.budget < 0:
            raise _Fail("document is too large once aliases are expanded", _loc(self.path, node))
        if depth > MAX_DEPTH:
            raise _Fail(f"nesting deeper than {MAX_DEPTH} levels", _loc(self.path, node))
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node)
        if isinstance(node, yaml.SequenceNode):
            self._check_tag(node, "tag:yaml.org,2002:seq")
            seq = Sequence()
            seq.location = _loc(self.path, node)
            seq.item_locations = []
            for item in node.value:
                seq.append(self.build(item, depth + 1))
                seq.item_locations.append(_loc(self.path, item))
            return seq
        if isinstance(node, yaml.MappingNode):
            self._check_tag(node, "tag:yaml.org,2002:map")
            mapping = Mapping()
            mapping.location = _loc(self.path, node)
            mapping.key_locations = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise _Fail("merge keys ('<<') are not supported", _loc(self.path, key_node))
                key = self.build(key_node, depth + 1)
                if not isinstance(key, (str, int, float, bool)) or isinstance(key, bool):
                    raise _Fail("mapping keys must be plain words", _loc(self.path, key_node))
                key = str(key)
                if key in mapping:
                    first = mapping.key_locations[key]
                    raise _Fail(
                        f"duplicate key '{key}' (first defined at line {first.line})",
                        _loc(self.path, key_node),
                    )
                mapping[key] = self.build(value_node, depth + 1)
                mapping.key_locations[key] = _loc(self.path, key_node)
            return mapping
        raise _Fail("unsupported YAML node", _loc(self.path, node))  # pragma: no cover

    def _check_tag(self, node: yaml.Node, expected: str) -> None:
        if node.tag != expected:
            raise _Fail(f"tag '{node.tag}' is not allowed", _loc(self.path, node))

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        tag = node.tag
        value = node.value
        if tag == "tag:yaml.org,2002:str":
            return value
        if tag == "tag:yaml.org,2002:null":
            return None
        if tag == "tag:yaml.org,2002:bool":
            return value.lower() == "true"
        if tag == "tag:yaml.org,2002:int":
            try:
                return (
                    int(value.replace("_", ""), 0)
                    if value[:2] in ("0x", "0o")
                    else int(value.replace("_", ""))
                )
            except ValueError:
                raise _Fail(f"not an integer: {value!r}", _loc(self.path, node)) from None
        if tag == "tag:yaml.org,2002:float":
            try:
                number = float(value.replace("_", ""))
            except ValueError:
                raise _Fail(f"not a number: {value!r}", _loc(self.path, node)) from None
            if number != number or number in (float("inf"), float("-inf")):
                raise _Fail(f"not a finite number: {value!r}", _loc(self.path, node))
            return number
        raise _Fail(f"tag '{tag}' is not allowed", _loc(self.path, node))


class _Fail(Exception):
    def __init__(self, message: str, location: Location) -> None:
        super().__init__(message)
        self.problem = Problem(message, location)


def decode(data: bytes, path: str) -> str:
    """Decode UTF-8, reporting the position of the first bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        raise RulesError(
            [Problem(f"invalid UTF-8 (byte 0x{data[exc.start]:02x})", Location(path, line, col))]
        ) from None


def parse(text: str, path: str) -> Any:
    """Parse one YAML document into located containers; raise RulesError on any problem."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise RulesError([Problem(f"file larger than {MAX_BYTES // 1024} KiB", Location(path))])
    try:
        loader = _Loader(text)
    except yaml.reader.ReaderError as exc:
        raise RulesError([_reader_problem(exc, text, path)]) from None
    try:
        node = loader.get_single_node()
    except yaml.reader.ReaderError as exc:
        raise RulesError([_reader_problem(exc, text, path)]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Location(path, mark.line + 1, mark.column + 1) if mark else Location(path)
        message = exc.problem or exc.context or "invalid YAML"
        raise RulesError([Problem(f"invalid YAML: {message}", where)]) from None
    except yaml.YAMLError as exc:
        raise RulesError([Problem(f"invalid YAML: {exc}", Location(path))]) from None
    except RecursionError:
        raise RulesError([Problem("nesting too deep", Location(path))]) from None
    finally:
        loader.dispose()
    if node is None:
        return None
    try:
        return _Builder(path).build(node)
    except _Fail as fail:
        raise RulesError([fail.problem]) from None
    except RecursionError:
        raise RulesError([Problem("nesting too deep", Location(path))]) from None


def _reader_problem(exc: yaml.reader.ReaderError, text: str, path: str) -> Problem:
    """A character YAML does not allow (a NUL byte, a control character), with its place."""
    before = text[: exc.position]
    line = before.count("\n") + 1
    col = exc.position - (before.rfind("\n") + 1) + 1
    char = exc.character if isinstance(exc.character, str) else chr(exc.character)
    return Problem(
        f"character {char!r} is not allowed here (binary or damaged file?)", Location(path, line, col)
    )


def to_plain(value: Any) -> Any:
    """Drop location bookkeeping (for hashing, JSON or pickling)."""
    if isinstance(value, dict):
        return {k: to_plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_plain(v) for v in value]
    return value
