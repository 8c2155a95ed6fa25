"""JSON Lines for batch files: orjson's speed with the standard library's meaning.

Parsing and writing JSON is most of a batch record's cost with the standard
library (about 30 µs of every record; orjson takes about 8). orjson refuses
some of what :func:`json.loads` accepts (``NaN``, lone surrogates), reads
integers beyond 64 bits as floats, and writes a subset of what
:func:`json.dumps` can. So a line orjson refuses, and any line that is not an
object of plain strings, integers, booleans and nulls (the form answer sets
take), goes to the standard library: every line means exactly what it meant
before, and every error message is the standard library's.
"""

from __future__ import annotations

import json
from typing import Any

import orjson

PLAIN = frozenset({str, int, bool, type(None)})  # values orjson reads exactly as json does


def quick_object(line: str) -> dict[str, Any] | None:
    """orjson's reading of ``line`` when it is an object, else None.

    It means what the standard library's means only where every value used is of
    a :data:`PLAIN` class: a float may have been a long integer.
    """
    try:
        data = orjson.loads(line)
    except orjson.JSONDecodeError:
        return None
    return data if data.__class__ is dict else None


def loads(line: str) -> Any:
    data = quick_object(line)
    if data is not None and all(value.__class__ in PLAIN for value in data.values()):
        return data
    return json.loads(line)  # the standard library's value, or its error


def dumps(record: Any) -> str:
    """One compact line of UTF-8 JSON, without the newline."""
    try:
        return orjson.dumps(record).decode("utf-8")
    except TypeError:  # e.g. an integer beyond 64 bits, carried over from an input id
        return json.dumps(record, ensure_ascii=False, separators=(",", ":"))
