"""JSON Lines for batch files: orjson's speed with the standard library's meaning.

Parsing and writing JSON is most of a batch record's cost with the standard
library (about 30 µs of every record; orjson takes about 8). orjson refuses
some of what :func:`json.loads` accepts (``NaN``, lone surrogates), reads
integers beyond 64 bits as floats, and writes a subset of what
:func:`json.dumps` can. So a line orjson refuses, and any line that is not an
object of plain strings, integers, booleans and nulls (the form answer sets
take), goes to the standard library: every line means exactly what it meant
before, and every error message is the standard library's.

Two things no JSON library does for us. A key given twice in one object is
refused (:class:`DuplicateKey`; orjson and :func:`json.loads` both keep the
last value silently): an object of plain values read by orjson has no
duplicate when the line has exactly one ``:`` per key (a colon inside a string
only adds to the count), which costs one ``str.count``; any other line is read
with an ``object_pairs_hook`` that finds the duplicate. And a number no float
holds as written (``1e-400`` would be 0.0) is kept as its text
(:func:`~kneeguide.ruleset.answers.json_float`), so the answer check refuses it.
"""

from __future__ import annotations

import json
from typing import Any

import orjson

from kneeguide.ruleset.answers import json_float

PLAIN = frozenset({str, int, bool, type(None)})  # values orjson reads exactly as json does


class DuplicateKey(ValueError):
    """A JSON object with the same key twice: ``key`` is the first key repeated."""

    def __init__(self, key: str) -> None:
        super().__init__(f"duplicate key '{key}'")
        self.key = key


def quick_object(line: str) -> dict[str, Any] | None:
    """orjson's reading of ``line`` when it is an object with no key twice for certain, else None.

    It means what the standard library's means only where every value used is of
    a :data:`PLAIN` class: a float may have been a long integer.
    """
    try:
        data = orjson.loads(line)
    except orjson.JSONDecodeError:
        return None
    if data.__class__ is not dict or line.count(":") != len(data):
        return None  # not an object, or it may hold a key twice: the careful reading decides
    return data


def loads(line: str) -> Any:
    """The standard library's reading of ``line``, or its error; :class:`DuplicateKey` for a
    key given twice in any object of it."""
    data = quick_object(line)
    if data is not None and all(value.__class__ in PLAIN for value in data.values()):
        return data
    return json.loads(line, object_pairs_hook=_unique, parse_float=json_float)


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object as a dict, or :class:`DuplicateKey` when a key comes twice."""
    data = dict(pairs)
    if len(data) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise DuplicateKey(key)
            seen.add(key)
    return data


def dumps(record: Any) -> str:
    """One compact line of UTF-8 JSON, without the newline."""
    try:
        return orjson.dumps(record).decode("utf-8")
    except TypeError:  # e.g. an integer beyond 64 bits, carried over from an input id
        return json.dumps(record, ensure_ascii=False, separators=(",", ":"))
