"""Reading YAML (and JSON) strictly and safely, keeping where every value came from.

PyYAML on its own silently keeps the last of two duplicate keys (a second
``when:`` would vanish), reads by YAML 1.1 (``no`` is ``False``, ``10:00`` the
number 600, ``2026-12-01`` a date, ``6_4`` the number 64) and happily expands an
alias bomb. For rules that decide urgency, and answers that decide a level, none of
that is acceptable, so this module:

* uses the safe loader only (libyaml's C parser when present), so no Python tag
  can construct an object;
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
import re
from typing import Any, ClassVar

import yaml

from kneeguide.errors import Location, Problem, RulesError
from kneeguide.ruleset.located import MAX_BYTES
from kneeguide.ruleset.located import Mapping as Mapping
from kneeguide.ruleset.located import Sequence as Sequence
from kneeguide.ruleset.located import item_location as item_location
from kneeguide.ruleset.located import key_location as key_location
from kneeguide.ruleset.located import location_of as location_of
from kneeguide.ruleset.yamlnodes import Builder, Fail

try:  # libyaml is much faster; fall back to the pure-Python parser
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]


class _Loader(_BaseLoader):
    """Safe loader that resolves plain scalars by the YAML 1.2 core schema, nothing more."""

    yaml_implicit_resolvers: ClassVar[dict[str, Any]] = {}  # type: ignore[misc]


#: The YAML 1.2 core schema (spec 1.2.2, 10.3.2): what a plain scalar means when it is
#: not text. PyYAML's YAML 1.1 resolvers would read ``10:00`` as the sexagesimal 600,
#: ``2026-12-01`` as a date, ``6_4`` as 64, ``0b11`` as 3 and ``yes``/``no``/``on``/``off``
#: as booleans; under the core schema all of those stay the text the person wrote.
_CORE = (
    ("tag:yaml.org,2002:null", r"~|null|Null|NULL|", ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:bool", r"true|True|TRUE|false|False|FALSE", list("tTfF")),
    ("tag:yaml.org,2002:int", r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+", list("-+0123456789")),
    (
        "tag:yaml.org,2002:float",
        r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)",
        list("-+.0123456789"),
    ),
    # Not core: kept only so that a merge key is refused by name rather than read as text.
    ("tag:yaml.org,2002:merge", r"<<", ["<"]),
)
for _tag, _pattern, _firsts in _CORE:
    _regexp = re.compile(f"^(?:{_pattern})$")
    for _first in _firsts:
        _Loader.yaml_implicit_resolvers.setdefault(_first, []).append((_tag, _regexp))


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
    builder = Builder(path)
    try:
        doc = builder.build(node)
    except Fail as fail:
        raise RulesError([*builder.problems, fail.problem]) from None
    except RecursionError:
        raise RulesError([Problem("nesting too deep", Location(path))]) from None
    if builder.problems and problems is None:
        raise RulesError(builder.problems)
    if problems is not None:
        problems.extend(builder.problems)
    return doc


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
