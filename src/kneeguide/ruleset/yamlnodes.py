"""From the node tree PyYAML composes to the located containers of
:mod:`~kneeguide.ruleset.located`: scalars by the YAML 1.2 core schema (the tags the
loader of :mod:`~kneeguide.ruleset.yamlio` resolved), keys checked, limits kept.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from kneeguide.errors import Location, Problem
from kneeguide.ruleset.located import MAX_DEPTH, MAX_NODES, Mapping, Sequence, number


def _loc(path: str, node: yaml.Node) -> Location:
    return Location(path, node.start_mark.line + 1, node.start_mark.column + 1)


class Builder:
    """Turns a composed node tree into located containers, with limits.

    A problem with one value (a duplicate key, a refused tag, an explicit ``!!int`` that
    is no integer) is collected in :attr:`problems` and the building goes on, so that one
    run names every such problem of the file; only the limits (size after aliases,
    depth) stop it at once, raising :class:`Fail`.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self.budget = MAX_NODES  # total values built, counting alias re-use
        self.problems: list[Problem] = []

    def build(self, node: yaml.Node, depth: int = 0) -> Any:
        self.budget -= 1
        if self.budget < 0:
            raise Fail("document is too large once aliases are expanded", _loc(self.path, node))
        if depth > MAX_DEPTH:
            raise Fail(f"nesting deeper than {MAX_DEPTH} levels", _loc(self.path, node))
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node)
        if isinstance(node, yaml.SequenceNode):
            if not self._allowed(node, "tag:yaml.org,2002:seq"):
                return None  # refused, and read as nothing: not as the list it tags
            seq = Sequence()
            seq.location = _loc(self.path, node)
            seq.item_locations = []
            for item in node.value:
                seq.append(self.build(item, depth + 1))
                seq.item_locations.append(_loc(self.path, item))
            return seq
        if isinstance(node, yaml.MappingNode):
            if not self._allowed(node, "tag:yaml.org,2002:map"):
                return None
            return self._mapping(node, depth)
        raise Fail("unsupported YAML node", _loc(self.path, node))  # pragma: no cover

    def _mapping(self, node: yaml.MappingNode, depth: int) -> Mapping:
        mapping = Mapping()
        mapping.location = _loc(self.path, node)
        mapping.key_locations = {}
        for key_node, value_node in node.value:
            where = _loc(self.path, key_node)
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.problems.append(Problem("merge keys ('<<') are not supported", where))
                continue
            key = self.build(key_node, depth + 1)
            if not isinstance(key, (str, int, float)) or isinstance(key, bool):
                self.problems.append(Problem("mapping keys must be plain words", where))
                continue
            key = str(key)
            if key in mapping:
                first = mapping.key_locations[key]
                self.problems.append(
                    Problem(
                        f"duplicate key '{key}' (first defined at line {first.line})",
                        where,
                        "err_duplicate_key",
                        (("id", key), ("first", str(first.line))),
                    )
                )
                continue
            mapping[key] = self.build(value_node, depth + 1)
            mapping.key_locations[key] = where
        return mapping

    def _allowed(self, node: yaml.Node, expected: str) -> bool:
        """Whether ``node`` has its plain tag; else the problem is collected."""
        if node.tag != expected:
            self.problems.append(Problem(f"tag '{node.tag}' is not allowed", _loc(self.path, node)))
            return False
        return True

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        tag = node.tag
        value = node.value
        if tag == "tag:yaml.org,2002:str":
            return value
        if tag == "tag:yaml.org,2002:null":
            return None
        if tag == "tag:yaml.org,2002:bool" and _BOOL.match(value):
            return value.lower() == "true"
        if tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float"):
            kind = "an integer" if tag.endswith("int") else "a number"
            try:
                found = number(value)
            except ValueError:
                found = None
            if found is None or (kind == "an integer" and isinstance(found, float)):
                self.problems.append(Problem(f"{value!r} is not {kind}", _loc(self.path, node)))
            return found
        if tag == "tag:yaml.org,2002:bool":  # an explicit !!bool on other text
            self.problems.append(Problem(f"{value!r} is not true or false", _loc(self.path, node)))
            return None
        self.problems.append(Problem(f"tag '{tag}' is not allowed", _loc(self.path, node)))
        return None


_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")


class Fail(Exception):
    def __init__(self, message: str, location: Location) -> None:
        super().__init__(message)
        self.problem = Problem(message, location)
