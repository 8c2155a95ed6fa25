"""Reading JSON strictly, keeping where every key and value came from.

The json module alone keeps the last of two duplicate keys, accepts ``NaN`` and
``Infinity`` and forgets where a value was. This small scanner reads the JSON grammar
itself (strings through the json module's C ``scanstring``) into the containers of
:mod:`~kneeguide.ruleset.located`, as the YAML reader does:

* a duplicate key is refused with both lines (every one in the file is named);
* ``NaN``, ``Infinity``, ``-Infinity`` and half a surrogate pair (``"\\ud800"``) are refused;
* a number no Python number holds faithfully (``1e400``, ``1e-400``) stays its text,
  as in :func:`kneeguide.ruleset.located.number`;
* a syntax error is one problem, ``invalid JSON: <what was expected>``, located.
"""

from __future__ import annotations

import bisect
import json
import re
from typing import Any

from kneeguide.errors import Location, Problem, RulesError
from kneeguide.ruleset.located import MAX_DEPTH, MAX_NODES, Mapping, Sequence, number, readable

_SPACE = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")
_SURROGATE = re.compile("[\ud800-\udfff]")
_WORDS = {"null": None, "true": True, "false": False}
_NOT_NUMBERS = ("NaN", "Infinity", "-Infinity")
#: The json module's words for a broken string, and ours.
_STRING_FAULTS = {
    "Unterminated string": "a string with no closing quote",
    "Invalid control character": "a control character inside a string (write it as \\n, \\t or \\u0001)",
    "Invalid \\escape": "an unknown escape after '\\' in a string",
    "Invalid \\uXXXX escape": "an incomplete \\uXXXX escape in a string",
}


class _Stop(Exception):
    """The scan cannot go on (a syntax error or a limit); ``args``: (message, index)."""


def parse_json(text: str, path: str, *, problems: list[Problem] | None = None) -> Any:
    """The JSON document ``text`` (read from ``path``) as located containers.

    Returns None for a text of white space only (an empty file, which callers report
    in their own words), else a :class:`Mapping`, :class:`Sequence`, str, int, float,
    bool or None. Raises :class:`RulesError` listing every duplicate key, refused
    number and broken string, or the one syntax error that stopped the scan; with
    ``problems`` given, the problems that leave the document readable are appended
    there instead (see :func:`kneeguide.ruleset.yamlio.parse`).
    """
    text = text.removeprefix("\ufeff")
    if not text.strip(" \t\n\r"):
        return None
    scan = _Scanner(text, path)
    try:
        value, end = scan.value(0, 0)
        if _skip(text, end) != len(text):
            raise _Stop("extra data after the JSON value", _skip(text, end))
    except _Stop as stop:
        message, at = stop.args
        raise RulesError([*scan.problems, Problem(f"invalid JSON: {message}", scan.at(at))]) from None
    except RecursionError:  # pragma: no cover - MAX_DEPTH stops well before
        raise RulesError([Problem("nesting too deep", Location(path))]) from None
    return readable(value, scan.problems, problems)


class _Scanner:
    """One pass over ``text``; :attr:`problems` collects what does not stop the scan."""

    def __init__(self, text: str, path: str) -> None:
        self.text = text
        self.path = path
        self.problems: list[Problem] = []
        self.budget = MAX_NODES
        self._starts = [0] + [m.end() for m in re.finditer("\n", text)]  # where lines begin

    def at(self, index: int) -> Location:
        """The ``file:line:col`` (1-based, in characters) of ``index``."""
        line = bisect.bisect_right(self._starts, index)
        return Location(self.path, line, index - self._starts[line - 1] + 1)

    def value(self, index: int, depth: int) -> tuple[Any, int]:
        """The value starting at or after ``index`` (white space first) and where it ends."""
        text = self.text
        index = _skip(text, index)
        self.budget -= 1
        if self.budget < 0:
            raise _Stop(f"more than {MAX_NODES} values", index)
        char = text[index : index + 1]
        if char == '"':
            return self.string(index)
        if char in ("{", "["):
            if depth >= MAX_DEPTH:
                raise _Stop(f"nesting deeper than {MAX_DEPTH} levels", index)
            return self.mapping(index, depth) if char == "{" else self.sequence(index, depth)
        for word, meaning in _WORDS.items():
            if text.startswith(word, index):
                return meaning, index + len(word)
        for word in _NOT_NUMBERS:
            if text.startswith(word, index):
                self.problems.append(
                    Problem(f"invalid JSON: {word} is not a number JSON allows", self.at(index))
                )
                return None, index + len(word)
        found = _NUMBER.match(text, index)
        if found is None:
            raise _Stop(
                "the text ends where a value was expected" if index == len(text) else "expected a value",
                index,
            )
        return number(found.group()), found.end()

    def string(self, index: int) -> tuple[str, int]:
        """The string whose opening quote is at ``index``, and the index after it."""
        try:
            found, end = json.decoder.scanstring(self.text, index + 1, True)  # type: ignore[attr-defined]
        except json.JSONDecodeError as exc:
            said = exc.msg.removesuffix(" at").removesuffix(" starting")
            raise _Stop(_STRING_FAULTS.get(said, said[0].lower() + said[1:]), exc.pos) from None
        if _SURROGATE.search(found):
            self.problems.append(
                Problem(
                    "invalid JSON: a string holds half of a surrogate pair (\\ud800-\\udfff)", self.at(index)
                )
            )
        return found, end

    def mapping(self, index: int, depth: int) -> tuple[Mapping, int]:
        text = self.text
        mapping = Mapping()
        mapping.location = self.at(index)
        mapping.key_locations = {}
        index = _skip(text, index + 1)
        if text.startswith("}", index):
            return mapping, index + 1
        while True:
            if not text.startswith('"', index):
                raise _Stop(self.ended(index, "}") or "expected a key in double quotes", index)
            where = self.at(index)
            key, index = self.string(index)
            index = _skip(text, index)
            if not text.startswith(":", index):
                raise _Stop("expected ':' after the key", index)
            value, index = self.value(index + 1, depth + 1)
            if key in mapping:
                first = mapping.key_locations[key].line
                self.problems.append(
                    Problem(
                        f"duplicate key '{key}' (first defined at line {first})",
                        where,
                        "err_duplicate_key",
                        (("id", key), ("first", str(first))),
                    )
                )
            else:
                mapping[key] = value
                mapping.key_locations[key] = where
            index, closed = self.after(index, "}", "a value")
            if closed:
                return mapping, index

    def sequence(self, index: int, depth: int) -> tuple[Sequence, int]:
        text = self.text
        seq = Sequence()
        seq.location = self.at(index)
        seq.item_locations = []
        index = _skip(text, index + 1)
        if text.startswith("]", index):
            return seq, index + 1
        while True:
            start = _skip(text, index)
            item, index = self.value(start, depth + 1)
            seq.append(item)
            seq.item_locations.append(self.at(start))
            index, closed = self.after(index, "]", "an item")
            if closed:
                return seq, index

    def after(self, index: int, close: str, what: str) -> tuple[int, bool]:
        """Where the next item starts, past the ``,`` after one, and False; or the
        index past ``close`` and True when the container ends there."""
        index = _skip(self.text, index)
        if self.text.startswith(close, index):
            return index + 1, True
        if not self.text.startswith(",", index):
            raise _Stop(self.ended(index, close) or f"expected ',' or '{close}' after {what}", index)
        index = _skip(self.text, index + 1)
        if self.text.startswith(close, index):
            raise _Stop(f"a comma before '{close}' (JSON allows no trailing comma)", index)
        return index, False

    def ended(self, index: int, close: str) -> str:
        """What to say when the text ends at ``index`` before ``close``; else ""."""
        return f"the text ends before the closing '{close}'" if index >= len(self.text) else ""


def _skip(text: str, index: int) -> int:
    """The index of the first character at or after ``index`` that is not white space."""
    return _SPACE.match(text, index).end()  # type: ignore[union-attr]
