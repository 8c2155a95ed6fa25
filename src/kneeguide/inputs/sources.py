"""Answers from a file, from stdin and from ``id=value`` assignments, checked.

Every command that takes one answer set reads it here, so a file, a pipe and
``-a`` options are read and checked the same way: JSON or YAML (or a FHIR
QuestionnaireResponse, e.g. one that ``kneeguide export --fhir`` wrote), at most
1 MiB, in UTF-8 or another encoding said out loud (:mod:`kneeguide.inputs.encoding`),
every problem reported with its location. The module knows nothing of the command
line beyond the ``-a`` prefix of the messages about assignments.

Every answer set, whatever its source, is checked by one function,
:func:`kneeguide.ruleset.answers.check_answers` (a FHIR resource through
:func:`kneeguide.inputs.fhir.checked_answers`, which reads it first); a key given twice is refused
in every form (the file parser for JSON and YAML, :mod:`kneeguide.batch.jsonlines`
for JSON Lines, the CSV header, ``-a``).
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from kneeguide.errors import InputError, KneeguideError, Location, Problem

if TYPE_CHECKING:
    from kneeguide.ruleset.model import Answers, RuleSet

#: The most an answers file or stdin may hold, in bytes.
MAX_ANSWERS_BYTES = 1024 * 1024


def read_answers(
    source: str,
    data: bytes | None = None,
    encoding: str | None = None,
    option: str = "--encoding",
    problems: list[Problem] | None = None,
) -> tuple[dict[str, Any], str]:
    """Read raw answers from the file ``source``, or stdin when ``source`` is ``'-'``.

    ``data``, when given, is the content already read from ``source``; ``encoding``
    is ``--encoding`` (None: UTF-8 or what a BOM says) and ``option`` how a message
    names it. Returns the parsed mapping (question id → raw value, not yet checked)
    and the name to show in messages (``<stdin>`` for ``'-'``). Raises
    :class:`InputError` when the file is missing, unreadable, larger than
    :data:`MAX_ANSWERS_BYTES`, not text in its encoding, not JSON or YAML, empty,
    or not a mapping.

    ``problems``: a list to which the problems that leave the document readable (a
    key given twice, a refused value) are appended instead of raised, so that the
    caller reports them together with the answer checker's (see
    :func:`kneeguide.ruleset.yamlio.parse`).
    """
    from kneeguide.inputs.encoding import decode
    from kneeguide.ruleset.yamlio import parse

    shown = "<stdin>" if source == "-" else source
    if data is None:
        data = _read(source, shown)
    if len(data) > MAX_ANSWERS_BYTES:
        raise InputError([Problem("answers larger than 1 MiB", Location(shown), "err_answers_too_large")])
    text = decode(data, shown, encoding, option)
    try:
        doc = parse(text, shown, problems=problems)
    except KneeguideError as exc:
        raise InputError(exc.problems) from None
    if doc is None:
        raise InputError([Problem("no answers: the file is empty", Location(shown), "err_answers_empty")])
    if not isinstance(doc, dict):
        raise InputError(
            [
                Problem(
                    "answers must be a mapping of question id to value",
                    Location(shown, 1, 1),
                    "err_answers_not_mapping",
                )
            ]
        )
    return doc, shown


def _read(source: str, shown: str) -> bytes:
    """Up to one byte more than the limit, so that a larger file can be refused."""
    try:
        if source == "-":
            return sys.stdin.buffer.read(MAX_ANSWERS_BYTES + 1)
        with open(source, "rb") as handle:
            return handle.read(MAX_ANSWERS_BYTES + 1)
    except FileNotFoundError:
        raise InputError(
            [Problem("answers file not found", Location(shown), "err_answers_not_found")]
        ) from None
    except IsADirectoryError:
        raise InputError(
            [Problem("is a directory, not an answers file", Location(shown), "err_answers_directory")]
        ) from None
    except OSError as exc:
        raise InputError([Problem(f"cannot read answers: {exc.strerror}", Location(shown))]) from None


def collect_answers(
    rules: RuleSet,
    answers_file: str | None,
    assignments: list[str],
    data: bytes | None = None,
    encoding: str | None = None,
    option: str = "--encoding",
) -> Answers:
    """The checked answers of ``answers_file`` (see :func:`read_answers`, with ``encoding``
    and ``option``) and of ``assignments`` (``id=value`` strings, which win over the file).

    Raises one :class:`InputError` listing every unknown id and bad value of both,
    each located (the file's line, or ``-a`` for an assignment). No answers at all is
    not an error (see :func:`nothing_answered`).
    """
    from kneeguide.ruleset.answers import check_answers, parse_assignments

    problems: list[Problem] = []
    clean: Answers = {}
    if answers_file is not None:
        raw, shown = read_answers(answers_file, data, encoding, option, problems)
        where = Location(shown)
        if "resourceType" in raw:  # FHIR, never answers: its structure and values checked in one pass
            from kneeguide.inputs.fhir import checked_answers

            file_answers, found = checked_answers(raw, rules.questions, where)
        else:
            from kneeguide.ruleset.yamlio import key_location

            locations = {k: key_location(raw, k, where) for k in raw}
            file_answers, found = check_answers(raw, rules.questions, where=where, locations=locations)
            found = sorted([*problems, *found], key=_place)  # the file's problems in its order
            problems.clear()
        clean.update(file_answers)
        problems.extend(found)
    if assignments:
        a_answers, found = check_answers(parse_assignments(assignments, problems), rules.questions)
        problems.extend(
            Problem(f"-a {p.message}", None, p.key, (*p.params, ("prefix", "-a "))) for p in found
        )
        clean.update(a_answers)
    if problems:
        raise InputError(problems)
    return clean


def _place(problem: Problem) -> tuple[int, int]:
    """Where a problem is in its file, for reporting a file's problems top to bottom."""
    at = problem.location
    return (at.line, at.col) if at is not None else (0, 0)


def nothing_answered(rules: RuleSet, answers: Answers, lang: str) -> str | None:
    """The line to say on stderr when ``answers`` is empty (no answers given, ``{}``, every
    value null, a FHIR response without answers), else None.

    Such a set is still assessed, but every red flag is then "not excluded": a
    person must hear that nothing was answered rather than take the result as a
    finding.
    """
    if answers:
        return None
    return rules.message("nothing_answered", lang)
