"""What the YAML and JSON readers return: containers that remember where each value
came from, the limits both readers keep, and what a number literal denotes.

:mod:`~kneeguide.ruleset.yamlio` and :mod:`~kneeguide.ruleset.jsonio` both build
these, so a caller (a schema, the answer checker) never asks which syntax a file
was written in.
"""

from __future__ import annotations

import math
import re
from typing import Any

from kneeguide.errors import Location, Problem, RulesError

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


def readable(document: Any, found: list[Problem], problems: list[Problem] | None) -> Any:
    """``document``, once the problems ``found`` while reading it (which left it readable:
    a duplicate key, a refused value) are dealt with as the caller asked.

    ``problems`` None (a caller that only wants a good document): any problem found is
    raised as one :class:`RulesError` listing them all. A list (a caller that checks the
    document further and reports everything at once): they are appended to it and the
    document returned. Shared by :mod:`~kneeguide.ruleset.jsonio` and
    :mod:`~kneeguide.ruleset.yamlload`, so both syntaxes honour ``problems`` alike.
    """
    if problems is None:
        if found:
            raise RulesError(found)
    else:
        problems.extend(found)
    return document


def number(text: str) -> int | float | str:
    """The number a YAML 1.2 core or JSON literal denotes, or ``text`` itself when no
    Python number holds it faithfully.

    ``0o17`` → 15 and ``0x1F`` → 31 (core schema forms); ``.inf``, ``-.inf`` and ``.nan``
    are the infinite and not-a-number floats the core schema names (every checker that
    needs a finite number refuses them, naming the value). A literal a float cannot hold
    (``1e400`` would become infinity, ``1e-400`` zero) or an integer too long for Python
    to convert stays the text it was, so the checker that reads it sees what was written
    rather than a different number. Raises ValueError for text that is no number.
    """
    lowered = text.lower()
    if lowered.lstrip("+-") in (".inf", ".nan"):
        return float(lowered.replace(".", "", 1))
    try:
        if lowered.startswith(("0x", "0o")):
            return int(text[2:], 16 if lowered[1] == "x" else 8)
        if not any(c in text for c in ".eE"):
            return int(text)
    except ValueError:
        if text.lstrip("+-").isdigit():  # more digits than int() converts
            return text
        raise
    value = float(text)
    digits = re.split("[eE]", text)[0]
    if value in (math.inf, -math.inf) or (value == 0 and any(c in "123456789" for c in digits)):
        return text
    return value
