"""Turning what people and scripts type into checked answers.

Every problem names the question id, the value given and what was expected,
with a "did you mean" for near-miss ids, and all problems are reported at once
so a script author fixes a file in one pass. ``unsure`` is kept as an answer
(so notes can show it) but conditions read it as unknown, never as ``no``.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

from kneeguide.errors import InputError, Location, Problem
from kneeguide.ruleset.model import Answers, AnswerValue, Question
from kneeguide.suggest import did_you_mean

YES = frozenset({"yes", "y", "true", "1"})
NO = frozenset({"no", "n", "false", "0"})
UNSURE = frozenset({"unsure", "unknown", "not sure", "dont know", "don't know", "?"})

#: A number as a person or a spreadsheet writes it: digits, an optional sign and
#: decimal point. ``float()`` also takes ``6_4`` (64), ``1e-400`` (0), ``inf`` and
#: digits of every script; none of those is an answer anyone meant, so they are refused.
#: Full-width digits (what a Japanese keyboard types) count as digits.
PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)")
_FULL_WIDTH = str.maketrans("０１２３４５６７８９．－＋", "0123456789.-+")


class NumberText(str):
    """A number in a JSON or YAML file that no float holds as written (``1e-400`` reads as
    0.0): kept as its text, so the check refuses it with the value as the file has it."""


def json_float(text: str) -> float | NumberText:
    """``parse_float`` for :func:`json.loads`: the float, or :class:`NumberText` when the
    float would not be the number written (an underflow to zero)."""
    value = float(text)
    if value == 0 and any(c in "123456789" for c in text.split("e")[0].split("E")[0]):
        return NumberText(text)
    return value


def parse_value(question: Question, raw: Any) -> AnswerValue:
    """Normalise one answer or raise ValueError saying what was expected.

    ``raw`` is whatever a file, a pipe, a CSV cell or ``-a`` gave (any JSON or YAML
    value); a value of the wrong shape (a list, an object) is a ValueError like any
    other wrong value, never another exception.
    """
    if isinstance(raw, str) and raw.strip().lower() in UNSURE:
        return "unsure"  # any question may be answered "unsure": it stays unknown
    if question.type == "yn":
        if isinstance(raw, bool):
            return "yes" if raw else "no"
        if isinstance(raw, (int, float)) and raw in (0, 1):
            return "yes" if raw == 1 else "no"
        if isinstance(raw, str):
            word = raw.strip().lower()
            if word in YES:
                return "yes"
            if word in NO:
                return "no"
        raise ValueError(question.expected())
    if question.type == "choice":
        if isinstance(raw, str):
            word = raw.strip().lower().replace(" ", "_").replace("-", "_")
            for choice in question.choices:
                if choice.id == word:
                    return choice.id
        raise ValueError(question.expected())
    try:
        number = _number(raw, integer=question.type == "int")
    except ValueError:
        raise ValueError(question.expected()) from None  # the range, whatever was wrong
    if question.minimum is not None and number < question.minimum:
        raise ValueError(question.expected())
    if question.maximum is not None and number > question.maximum:
        raise ValueError(question.expected())
    return number


def _number(raw: Any, *, integer: bool) -> int | float:
    """A JSON/YAML number, or a string in :data:`PLAIN_NUMBER` notation, as a finite number."""
    if isinstance(raw, bool):
        raise ValueError("a number")
    value: float
    if isinstance(raw, (int, float)):
        value = raw
    elif isinstance(raw, str):
        text = raw.strip().translate(_FULL_WIDTH)
        if not PLAIN_NUMBER.fullmatch(text):
            raise ValueError("a number")
        value = float(text)
    else:
        raise ValueError("a number")
    try:
        finite = math.isfinite(value)
    except OverflowError:
        finite = False
    if not finite or abs(value) > 1e12:
        raise ValueError("a finite number")
    if integer:
        if value != int(value):
            raise ValueError("a whole number")
        return int(value)
    return int(value) if value == int(value) else float(value)


def _show(raw: Any) -> str:
    if isinstance(raw, NumberText):
        return str(raw)  # a number in the file, shown as written
    if isinstance(raw, str):
        return repr(raw)
    try:
        return json.dumps(raw, ensure_ascii=False)[:60]
    except (TypeError, ValueError):
        return type(raw).__name__


def check_answers(
    raw: Mapping[str, Any],
    questions: Mapping[str, Question],
    *,
    where: Location | None = None,
    locations: Mapping[str, Location] | None = None,
) -> tuple[Answers, list[Problem]]:
    """Validate a mapping of answers; return the clean answers and the problems.

    The one check of every answer set, whatever it came from (an answers file,
    stdin, ``-a``, a batch record, a FHIR QuestionnaireResponse, a saved session):
    every unknown id and every bad value is a :class:`Problem` naming the id, the
    value and what was expected, located at ``locations[id]`` (else ``where``).
    ``None`` is "not answered". Never raises for any value.
    """
    clean: Answers = {}
    problems: list[Problem] = []
    for key, value in raw.items():
        loc = (locations or {}).get(key, where)
        if not isinstance(key, str) or key not in questions:
            hint = did_you_mean(str(key), list(questions))
            close = hint.split("'")[1] if hint else ""
            problems.append(
                Problem(
                    f"unknown question id '{key}'{hint}",
                    loc,
                    "err_unknown_question_hint" if close else "err_unknown_question",
                    (("id", str(key)), ("suggestion", close)),
                )
            )
            continue
        if value is None:
            continue  # null means "not answered"
        question = questions[key]
        try:
            clean[key] = parse_value(question, value)
        except ValueError as exc:
            problems.append(
                Problem(
                    f"{key}: {_show(value)} is not valid; expected {exc.args[0]}",
                    loc,
                    "err_invalid_value",
                    (("id", key), ("value", _show(value))),
                )
            )
    return clean, problems


class _Unknown:
    """The class of :data:`_UNKNOWN`, which no answer value has."""


_UNKNOWN = _Unknown()
_LEARNED_LIMIT = 4096  # whole numbers remembered as valid, per checker


class FastChecker:
    """:func:`check_answers` for the answers scripts usually send, one lookup each.

    Batch files are mostly canonical already (``"yes"``, a choice id, a whole
    number in range): then the answers are returned as given, after one table
    lookup per answer. Anything else sends the whole record through
    :func:`check_answers`, so results and messages are exactly the same, only
    faster. The lookup compares classes too, so ``true`` or ``1.0`` never
    passes for the number 1, nor ``null`` for an answer.
    """

    def __init__(self, questions: Mapping[str, Question]) -> None:
        self.questions = questions
        self.known: dict[tuple[str, Any], AnswerValue] = {}  # canonical (question, value) pairs
        self.ranges: dict[str, tuple[float, float]] = {}
        self.learned = 0  # whole numbers added to ``known``
        for q in questions.values():
            self.known[(q.id, "unsure")] = "unsure"
            if q.type == "yn":
                self.known[(q.id, "yes")] = "yes"
                self.known[(q.id, "no")] = "no"
            elif q.type == "choice":
                for choice in q.choices:
                    self.known[(q.id, choice.id)] = choice.id
            else:
                low = -1e12 if q.minimum is None else q.minimum
                high = 1e12 if q.maximum is None else q.maximum
                self.ranges[q.id] = (low, high)

    def __call__(self, raw: dict[str, Any]) -> tuple[Answers, list[Problem]]:
        """The checked answers and the problems; canonical answers come back as ``raw`` itself."""
        if self.accepts(raw):
            return raw, []
        return check_answers(raw, self.questions)

    def accepts(self, raw: dict[str, Any]) -> bool:
        """Whether every answer is already canonical: ``check_answers`` would return it unchanged."""
        known = self.known
        try:
            for pair in raw.items():
                if known.get(pair, _UNKNOWN).__class__ is not pair[1].__class__:
                    return self._whole_numbers(raw)
        except TypeError:  # an unhashable value (a list, an object)
            return False
        return True

    def _whole_numbers(self, raw: dict[str, Any]) -> bool:
        """Whole numbers in range are canonical too (and remembered)."""
        known = self.known
        learned: list[tuple[str, int]] = []
        for pair in raw.items():
            if known.get(pair, _UNKNOWN).__class__ is pair[1].__class__:
                continue
            key, value = pair
            span = self.ranges.get(key)
            if value.__class__ is not int or span is None or not span[0] <= value <= span[1]:
                return False
            learned.append(pair)
        if self.learned < _LEARNED_LIMIT:
            self.learned += len(learned)
            for pair in learned:
                known[pair] = pair[1]
        return True


def parse_answers(raw: Mapping[str, Any], questions: Mapping[str, Question]) -> Answers:
    clean, problems = check_answers(raw, questions)
    if problems:
        raise InputError(problems)
    return clean


def parse_assignments(items: Iterable[str], problems: list[Problem] | None = None) -> dict[str, str]:
    """``["age=64", "calf_swelling=yes"]`` → a raw mapping; malformed items, and an id
    given twice (which one was meant?), raise :class:`InputError` — or, with ``problems``
    given, are appended there and the rest returned, so that every other problem of the
    assignments is found in the same run."""
    raising = problems is None
    problems = [] if problems is None else problems
    out: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or not key:
            problems.append(Problem(f"-a {item!r}: expected id=value, e.g. -a calf_swelling=yes"))
            continue
        if key in out:
            problems.append(duplicate(key, None, prefix="-a "))
            continue
        out[key] = value.strip()
    if raising and problems:
        raise InputError(problems)
    return out


def duplicate(key: str, location: Location | None, prefix: str = "") -> Problem:
    """The problem of an answer given twice (two keys in one JSON object or YAML mapping,
    two CSV columns, two ``-a``): refused everywhere, since either value may be the meant one."""
    return Problem(
        f"{prefix}duplicate key '{key}': answered twice",
        location,
        "err_duplicate_answer",
        (("id", key), ("prefix", prefix)),
    )
