"""The building blocks of a file's shape: one :class:`Spec` per kind of value.

A spec checks a parsed YAML value, appending every problem it finds (with the
value's ``file:line:col``) rather than stopping at the first, and describes
itself as JSON Schema for editors. The containers built of specs (lists,
mappings, records) are in :mod:`shapes`; conditions in :mod:`condition`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kneeguide.errors import Location, Problem
from kneeguide.ids import LANGUAGES
from kneeguide.ruleset.yamlio import key_location
from kneeguide.suggest import did_you_mean

JSON = dict[str, Any]


class Spec:
    """A value's expected shape."""

    def check(self, value: Any, loc: Location, out: list[Problem]) -> None:
        """Append to ``out`` a problem for each way ``value`` (found at ``loc``) misses the shape."""
        raise NotImplementedError

    def json_schema(self) -> JSON:
        """The shape as a JSON Schema fragment."""
        raise NotImplementedError


def type_name(value: Any) -> str:
    """What ``value`` is, in the words a problem message uses ("a list", "true/false")."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


@dataclass(frozen=True)
class Str(Spec):
    """Non-empty text; with ``identifier``, an id (lower-case letters, digits, '_')."""

    identifier: bool = False

    def check(self, value: Any, loc: Location, out: list[Problem]) -> None:
        if not isinstance(value, str) or not value.strip():
            out.append(Problem(f"expected non-empty text, found {type_name(value)}", loc))
        elif self.identifier and not _is_identifier(value):
            out.append(Problem(f"'{value}' is not a valid id (lower-case letters, digits, '_')", loc))

    def json_schema(self) -> JSON:
        if self.identifier:
            return {"type": "string", "pattern": "^[a-z][a-z0-9_]*$"}
        return {"type": "string", "minLength": 1}


def _is_identifier(value: str) -> bool:
    return (
        bool(value)
        and value[0].isalpha()
        and all(c.islower() or c.isdigit() or c == "_" for c in value)
        and value.isascii()
    )


@dataclass(frozen=True)
class Code(Spec):
    """Upper-case codes such as region ids or point codes (BL40, EX-LE5)."""

    def check(self, value: Any, loc: Location, out: list[Problem]) -> None:
        if not isinstance(value, str) or not value or not value.isascii() or value != value.upper():
            out.append(Problem(f"expected an upper-case code, found {value!r}", loc))

    def json_schema(self) -> JSON:
        return {"type": "string", "pattern": "^[A-Z0-9#-]+$"}


@dataclass(frozen=True)
class Number(Spec):
    """A number (with ``integer``, a whole one), within ``minimum`` and ``maximum`` when given."""

    integer: bool = False
    minimum: float | None = None
    maximum: float | None = None

    def check(self, value: Any, loc: Location, out: list[Problem]) -> None:
        ok = isinstance(value, int) if self.integer else isinstance(value, (int, float))
        if isinstance(value, bool) or not ok:
            kind = "an integer" if self.integer else "a number"
            out.append(Problem(f"expected {kind}, found {type_name(value)}", loc))
            return
        if value != value or value in (float("inf"), float("-inf")):  # YAML's .inf and .nan
            out.append(Problem(f"expected a finite number, found {value}", loc))
            return
        if self.minimum is not None and value < self.minimum:
            out.append(Problem(f"{value} is below the minimum {self.minimum:g}", loc))
        if self.maximum is not None and value > self.maximum:
            out.append(Problem(f"{value} is above the maximum {self.maximum:g}", loc))

    def json_schema(self) -> JSON:
        schema: JSON = {"type": "integer" if self.integer else "number"}
        if self.minimum is not None:
            schema["minimum"] = self.minimum
        if self.maximum is not None:
            schema["maximum"] = self.maximum
        return schema


@dataclass(frozen=True)
class Bool(Spec):
    """``true`` or ``false``."""

    def check(self, value: Any, loc: Location, out: list[Problem]) -> None:
        if not isinstance(value, bool):
            out.append(Problem(f"expected true or false, found {type_name(value)}", loc))

    def json_schema(self) -> JSON:
        return {"type": "boolean"}


@dataclass(frozen=True)
class Enum(Spec):
    """One of ``values``; a near miss is suggested."""

    values: tuple[str, ...]

    def check(self, value: Any, loc: Location, out: list[Problem]) -> None:
        if value not in self.values:
            allowed = ", ".join(self.values)
            hint = did_you_mean(str(value), self.values)
            out.append(Problem(f"'{value}' is not one of: {allowed}{hint}", loc))

    def json_schema(self) -> JSON:
        return {"enum": list(self.values)}


@dataclass(frozen=True)
class Scalar(Spec):
    """An answer value in an example: a word or a number."""

    def check(self, value: Any, loc: Location, out: list[Problem]) -> None:
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            out.append(Problem(f"expected a word or a number, found {type_name(value)}", loc))
        elif isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
            out.append(Problem(f"expected a word or a finite number, found {value}", loc))

    def json_schema(self) -> JSON:
        return {"type": ["string", "number"]}


@dataclass(frozen=True)
class Text(Spec):
    """User-facing text: a string (English) or a mapping of language to string."""

    def check(self, value: Any, loc: Location, out: list[Problem]) -> None:
        if isinstance(value, str):
            if not value.strip():
                out.append(Problem("text must not be empty", loc))
            return
        if isinstance(value, dict) and value:
            for lang, text in value.items():
                where = key_location(value, lang, loc)
                if lang not in LANGUAGES:
                    hint = did_you_mean(lang, LANGUAGES)
                    out.append(Problem(f"unknown language '{lang}'{hint}", where))
                elif not isinstance(text, str) or not text.strip():
                    out.append(Problem(f"'{lang}' text must be non-empty text", where))
            return
        out.append(Problem(f"expected text or a mapping of language to text, found {type_name(value)}", loc))

    def json_schema(self) -> JSON:
        return {
            "oneOf": [
                {"type": "string", "minLength": 1},
                {
                    "type": "object",
                    "properties": {lang: {"type": "string", "minLength": 1} for lang in LANGUAGES},
                    "additionalProperties": False,
                    "minProperties": 1,
                },
            ]
        }
