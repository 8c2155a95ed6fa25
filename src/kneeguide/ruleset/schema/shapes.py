"""Specs made of other specs: lists, mappings with free keys, and records with known keys.

A :class:`Record` is how every rule file, clinic profile and config file is
declared: its fields by name, which are required, and a line of documentation
that the JSON Schema carries. Any key a record does not declare is an error,
with the nearest declared key suggested.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kneeguide.errors import Location, Problem
from kneeguide.ruleset.schema.spec import JSON, Spec, Str, type_name
from kneeguide.ruleset.yamlio import item_location, key_location, location_of
from kneeguide.suggest import did_you_mean


@dataclass(frozen=True)
class ListOf(Spec):
    """A list of ``item``, at least ``min_items`` long."""

    item: Spec
    min_items: int = 0

    def check(self, value: Any, loc: Location, out: list[Problem]) -> None:
        if not isinstance(value, list):
            out.append(Problem(f"expected a list, found {type_name(value)}", loc))
            return
        if len(value) < self.min_items:
            out.append(Problem(f"expected at least {self.min_items} item(s)", loc))
        for index, item in enumerate(value):
            self.item.check(item, item_location(value, index, loc), out)

    def json_schema(self) -> JSON:
        schema: JSON = {"type": "array", "items": self.item.json_schema()}
        if self.min_items:
            schema["minItems"] = self.min_items
        return schema


@dataclass(frozen=True)
class MapOf(Spec):
    """A mapping with free keys (ids) and values of one shape."""

    value: Spec
    keys: Spec = field(default_factory=lambda: Str(identifier=True))

    def check(self, value: Any, loc: Location, out: list[Problem]) -> None:
        if not isinstance(value, dict):
            out.append(Problem(f"expected a mapping, found {type_name(value)}", loc))
            return
        for key, item in value.items():
            where = key_location(value, key, loc)
            self.keys.check(key, where, out)
            self.value.check(item, location_of(item, where), out)

    def json_schema(self) -> JSON:
        return {"type": "object", "additionalProperties": self.value.json_schema()}


@dataclass(frozen=True)
class F:
    """One field of a :class:`Record`."""

    name: str
    spec: Spec
    required: bool = False
    doc: str = ""


@dataclass(frozen=True)
class Record(Spec):
    """A mapping with known keys; any other key is an error."""

    fields: tuple[F, ...]
    doc: str = ""
    one_of: tuple[tuple[str, ...], ...] = ()  # groups of which exactly one key is required

    def check(self, value: Any, loc: Location, out: list[Problem]) -> None:
        if not isinstance(value, dict):
            out.append(Problem(f"expected a mapping, found {type_name(value)}", loc))
            return
        known = {f.name: f for f in self.fields}
        for key, item in value.items():
            where = key_location(value, key, loc)
            spec = known.get(key)
            if spec is None:
                hint = did_you_mean(key, list(known))
                out.append(Problem(f"unknown key '{key}'{hint}", where))
                continue
            spec.spec.check(item, location_of(item, where), out)
        for f in self.fields:
            if f.required and f.name not in value:
                out.append(Problem(f"missing required key '{f.name}'", loc))
        for group in self.one_of:
            present = [k for k in group if k in value]
            if len(present) != 1:
                names = "', '".join(group)
                out.append(Problem(f"exactly one of '{names}' is required", loc))

    def json_schema(self) -> JSON:
        schema: JSON = {
            "type": "object",
            "properties": {
                f.name: {**f.spec.json_schema(), **({"description": f.doc} if f.doc else {})}
                for f in self.fields
            },
            "additionalProperties": False,
        }
        required = [f.name for f in self.fields if f.required]
        if required:
            schema["required"] = required
        if self.doc:
            schema["description"] = self.doc
        return schema
