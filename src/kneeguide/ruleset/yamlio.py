"""Reading YAML (and JSON) strictly and safely, keeping where every value came from.

PyYAML on its own silently keeps the last of two duplicate keys (a second
``when:`` would vanish), reads by YAML 1.1 (``no`` is ``False``, ``10:00`` the
number 600, ``2026-12-01`` a date, ``6_4`` the number 64) and happily expands an
alias bomb. For rules that decide urgency, and answers that decide a level, none of
that is acceptable, so this module:

* uses the safe loader only (libyaml's C parser when present), so no Python tag
  can construct an object (:mod:`kneeguide.ruleset.yamlload`, imported for YAML only);
* resolves plain scalars by the YAML 1.2 core schema only: ``true``/``false``,
  ``null``/``~``, decimal, ``0o`` and ``0x`` integers and decimal floats (``.inf``
  and ``.nan`` included); everything else stays text;
* rejects duplicate keys, with both places named, and reports every such problem
  of a file in one go;
* bounds file size, nesting depth and the size after alias expansion
  (a "billion laughs" file fails in milliseconds);
* reads JSON as JSON (:mod:`kneeguide.ruleset.jsonio`), never as YAML, with the
  same located containers and the same duplicate-key rule;
* returns :class:`Mapping`/:class:`Sequence` containers that remember the
  ``file:line:col`` of themselves and of each key and item.
"""

from __future__ import annotations

import os
from typing import Any

from kneeguide.errors import Location, Problem, RulesError
from kneeguide.ruleset.located import MAX_BYTES
from kneeguide.ruleset.located import Mapping as Mapping
from kneeguide.ruleset.located import Sequence as Sequence
from kneeguide.ruleset.located import item_location as item_location
from kneeguide.ruleset.located import key_location as key_location
from kneeguide.ruleset.located import location_of as location_of


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


def parse(text: str, path: str, *, problems: list[Problem] | None = None) -> Any:
    """One document of ``text`` (read from ``path``) as located containers: JSON for a
    ``.json`` file and for anything but a ``.yaml``/``.yml`` file that starts with ``{``
    or ``[`` (stdin included), YAML by the 1.2 core schema otherwise.

    Returns None for an empty document, else a :class:`Mapping`, :class:`Sequence`,
    str, int, float, bool or None. Raises :class:`RulesError` listing every problem
    found: all the duplicate keys and refused values of a file that parsed, or the one
    place where the syntax broke (``invalid YAML: ...`` or ``invalid JSON: ...``).

    ``problems``: a caller that goes on to check the document (the answer checker, a
    schema) and wants to report everything at once passes a list; the problems that
    leave the document readable (a duplicate key, whose first value is kept; a refused
    tag or value, read as null) are then appended to it and the document returned.
    A syntax error or a limit still raises.
    """
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise RulesError([Problem(f"file larger than {MAX_BYTES // 1024} KiB", Location(path))])
    if is_json(text, path):
        from kneeguide.ruleset.jsonio import parse_json

        return parse_json(text, path, problems=problems)
    from kneeguide.ruleset.yamlload import parse_yaml  # PyYAML: only for a YAML text

    return parse_yaml(text, path, problems)


def is_json(text: str, path: str) -> bool:
    """Whether :func:`parse` reads ``text`` as JSON: a ``.json`` file always, a ``.yaml``
    or ``.yml`` file never, anything else (``<stdin>``, ``/dev/fd/3``, ``answers.txt``)
    when it begins as JSON does: ``[``, or ``{`` and then a quoted key or ``}``. A ``{``
    followed by a bare word (``{age: 64, calf_swelling: yes}``) is YAML in flow style,
    which JSON never is."""
    suffix = os.path.splitext(path)[1].lower()
    if suffix == ".json":
        return True
    if suffix in (".yaml", ".yml"):
        return False
    start = text.lstrip(" \t\r\n\ufeff")
    if start[:1] == "{":
        return start[1:].lstrip(" \t\r\n")[:1] in ('"', "}", "")
    return start[:1] == "["


def to_plain(value: Any) -> Any:
    """Drop location bookkeeping (for hashing, JSON or pickling)."""
    if isinstance(value, dict):
        return {k: to_plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_plain(v) for v in value]
    return value
