"""The YAML half of :func:`kneeguide.ruleset.yamlio.parse`: PyYAML's safe loader resolving
plain scalars by the YAML 1.2 core schema, and its errors said with their place.

Apart from :mod:`~kneeguide.ruleset.yamlio` because importing PyYAML costs about 6 ms
of every start-up: an answers file in JSON, or answers given with ``-a``, never pay
for it; a YAML file, and the rules when their cache is cold, import it here.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

import yaml

from kneeguide.errors import Location, Problem, RulesError
from kneeguide.ruleset.located import readable
from kneeguide.ruleset.yamlnodes import Builder, Fail

try:  # libyaml is much faster; fall back to the pure-Python parser
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]


class Loader(_BaseLoader):
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
        Loader.yaml_implicit_resolvers.setdefault(_first, []).append((_tag, _regexp))


def parse_yaml(text: str, path: str, problems: list[Problem] | None) -> Any:
    """``text`` (read from ``path``) as YAML by the 1.2 core schema, as located containers;
    ``problems`` as in :func:`kneeguide.ruleset.yamlio.parse`."""
    try:
        loader = Loader(text)
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
    return readable(doc, builder.problems, problems)


def _reader_problem(exc: yaml.reader.ReaderError, text: str, path: str) -> Problem:
    """A character YAML does not allow (a NUL byte, a control character), with its place."""
    before = text[: exc.position]
    line = before.count("\n") + 1
    col = exc.position - (before.rfind("\n") + 1) + 1
    char = exc.character if isinstance(exc.character, str) else chr(exc.character)
    from kneeguide.ruleset.characters import character_name  # only on a problem

    return Problem(
        f"character {character_name(char)} is not allowed here: text is data, never terminal control "
        "(a binary or damaged file?)",
        Location(path, line, col),
    )
