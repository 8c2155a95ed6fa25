"""JSON Lines for batch files: orjson's speed with the standard library's meaning.

Parsing and writing JSON is most of a batch record's cost with the standard
library (about 30 µs of every record; orjson takes about 8). orjson refuses
some of what :func:`json.loads` accepts (``NaN``, lone surrogates), reads
integers beyond 64 bits as floats, and writes a subset of what
:func:`json.dumps` can. So a line orjson refuses, or one with a number too long
for it to keep exactly, goes to the standard library: every line means exactly
what it meant before, and every error message is the standard library's.
"""

from __future__ import annotations

import json
import re
from typing import Any

import orjson

#: 19 digits in a row may be an integer beyond 64 bits (or a long fraction,
#: or digits in a string: the standard library reads those the same, only slower)
_LONG_DIGITS = re.compile(r"\d{19}")


def loads(line: str) -> Any:
    if _LONG_DIGITS.search(line):
        return json.loads(line)
    try:
        return orjson.loads(line)
    except orjson.JSONDecodeError:
        return json.loads(line)  # the standard library's value, or its error


def dumps(record: Any) -> str:
    """One compact line of UTF-8 JSON, without the newline."""
    try:
        return orjson.dumps(record).decode("utf-8")
    except TypeError:  # e.g. an integer beyond 64 bits, carried over from an input id
        return json.dumps(record, ensure_ascii=False, separators=(",", ":"))
