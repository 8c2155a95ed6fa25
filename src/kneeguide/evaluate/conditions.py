"""The declarative condition form and its three-valued evaluation.

A condition is data, never code: ``all``, ``any``, ``not`` and leaves that
compare one answer (``q``) or one computed score (``score``). There is no
expression parser and nothing is evaluated as Python.

Evaluation is Kleene three-valued logic with ``None`` standing for *unknown*:
an unanswered question, or one answered ``unsure``, makes its leaf unknown and
the unknown travels up until a definite answer elsewhere settles the result
(``any`` with one true child is true; ``all`` with one false child is false).
This is what lets the engine say "a blood clot is not excluded" instead of
quietly reading a missing answer as "no".

This module is the definition: the walk (:mod:`walk`) evaluates conditions
with it, :func:`grounds` explains a value by it, and the columns
(:mod:`columns`) must always agree with it.
"""

from __future__ import annotations

import typing
from collections.abc import Iterator, Mapping
from typing import NamedTuple, Protocol

Tri = bool | None  # True, False or None (unknown)
Value = str | int | float

#: Answer values that count as "no answer" for a leaf.
UNSURE = "unsure"


class ScoreView(Protocol):
    """What a condition needs of a computed score: an interval and a band."""

    @property
    def applicable(self) -> Tri: ...
    @property
    def points(self) -> float: ...
    @property
    def points_max(self) -> float: ...
    @property
    def band(self) -> str | None: ...


Scores = Mapping[str, ScoreView]
Answers = Mapping[str, Value]

COMPARATORS = ("ge", "gt", "le", "lt")


@typing.overload
def compare(op: str, left: float, right: float) -> bool: ...
@typing.overload
def compare(op: str, left: typing.Any, right: typing.Any) -> typing.Any: ...
def compare(op: str, left: typing.Any, right: typing.Any) -> typing.Any:
    """``left op right`` for one of :data:`COMPARATORS`: on numbers a bool; on solver terms
    (:mod:`kneeguide.ruleset.proof`) the term that says so, by the same definition."""
    if op == "ge":
        return left >= right
    if op == "gt":
        return left > right
    if op == "le":
        return left <= right
    return left < right


class AnswerIs(NamedTuple):
    """``{q: id, is: value}`` or ``{q: id, in: [values]}``."""

    question: str
    values: frozenset[str]

    def evaluate(self, answers: Answers, scores: Scores) -> Tri:
        value = answers.get(self.question)
        if value is None or value == UNSURE:
            return None
        return value in self.values

    def leaves(self) -> Iterator[Leaf]:
        yield self


class AnswerCompare(NamedTuple):
    """``{q: id, ge: 55}`` and the other numeric comparisons."""

    question: str
    op: str
    threshold: float

    def evaluate(self, answers: Answers, scores: Scores) -> Tri:
        value = answers.get(self.question)
        if value is None or isinstance(value, str):
            return None
        return compare(self.op, value, self.threshold)

    def leaves(self) -> Iterator[Leaf]:
        yield self


class ScoreCompare(NamedTuple):
    """``{score: wells_dvt, ge: 2}``, decided on the score's interval.

    With unanswered items a score is only known to lie between ``points`` (the
    items counted) and ``points_max`` (as if every unknown item were present);
    the comparison is true or false only when the whole interval agrees.
    """

    score: str
    op: str
    threshold: float

    def evaluate(self, answers: Answers, scores: Scores) -> Tri:
        result = scores[self.score]
        if result.applicable is False:
            return False
        low = compare(self.op, result.points, self.threshold)
        high = compare(self.op, result.points_max, self.threshold)
        if low == high and result.applicable is True:
            return low
        if low == high and not low:
            return False
        return None

    def leaves(self) -> Iterator[Leaf]:
        yield self


class ScoreBand(NamedTuple):
    """``{score: ottawa_knee, band: positive}``."""

    score: str
    band: str

    def evaluate(self, answers: Answers, scores: Scores) -> Tri:
        result = scores[self.score]
        if result.applicable is False:
            return False
        if result.band is None:
            return None
        if result.band != self.band:
            return False
        return True if result.applicable is True else None

    def leaves(self) -> Iterator[Leaf]:
        yield self


class All(NamedTuple):
    children: tuple[Condition, ...]

    def evaluate(self, answers: Answers, scores: Scores) -> Tri:
        result: Tri = True
        for child in self.children:
            value = child.evaluate(answers, scores)
            if value is False:
                return False
            if value is None:
                result = None
        return result

    def leaves(self) -> Iterator[Leaf]:
        for child in self.children:
            yield from child.leaves()


class Any(NamedTuple):
    children: tuple[Condition, ...]

    def evaluate(self, answers: Answers, scores: Scores) -> Tri:
        result: Tri = False
        for child in self.children:
            value = child.evaluate(answers, scores)
            if value is True:
                return True
            if value is None:
                result = None
        return result

    def leaves(self) -> Iterator[Leaf]:
        for child in self.children:
            yield from child.leaves()


class Not(NamedTuple):
    child: Condition

    def evaluate(self, answers: Answers, scores: Scores) -> Tri:
        value = self.child.evaluate(answers, scores)
        return None if value is None else not value

    def leaves(self) -> Iterator[Leaf]:
        yield from self.child.leaves()


Leaf = AnswerIs | AnswerCompare | ScoreCompare | ScoreBand
Condition = AnswerIs | AnswerCompare | ScoreCompare | ScoreBand | All | Any | Not


def questions_in(condition: Condition) -> set[str]:
    """Question ids a condition reads directly (scores not expanded)."""
    return {leaf.question for leaf in condition.leaves() if isinstance(leaf, (AnswerIs, AnswerCompare))}


def scores_in(condition: Condition) -> set[str]:
    return {leaf.score for leaf in condition.leaves() if isinstance(leaf, (ScoreCompare, ScoreBand))}


class Grounds(NamedTuple):
    """A condition's value, and the answers it rests on or still misses."""

    value: Tri
    because: list[str]  # true: the question ids whose answers made it so
    missing: list[str]  # unknown: the unanswered question ids that could still make it true


def grounds(
    condition: Condition,
    answers: Answers,
    scores: Scores,
    score_questions: Mapping[str, tuple[set[str], set[str]]],
) -> Grounds:
    """Evaluate ``condition`` and name the answers behind its value.

    ``because`` lists the questions whose answers decided a true result (not
    those under a ``not``, which rule an explanation out rather than give a reason);
    ``missing`` lists the unanswered questions that could still make an unknown
    result true; a false result names neither. ``score_questions`` maps a score
    id to the questions it counted and the questions it still lacks, so a score
    leaf can name real answers.
    """
    value = condition.evaluate(answers, scores)
    if value is False:
        return Grounds(value, [], [])
    if isinstance(condition, (AnswerIs, AnswerCompare)):
        one = [condition.question]
        return Grounds(value, one, []) if value else Grounds(value, [], one)
    found: list[str] = []
    _collect(condition, answers, scores, score_questions, value, found)
    found = _unique(found)
    return Grounds(value, found, []) if value else Grounds(value, [], found)


def _collect(
    condition: Condition,
    answers: Answers,
    scores: Scores,
    score_questions: Mapping[str, tuple[set[str], set[str]]],
    want: Tri,
    out: list[str],
) -> None:
    """Gather the leaf ids of the sub-conditions that carry the value ``want``."""
    if isinstance(condition, (All, Any)):
        for child in condition.children:
            if child.evaluate(answers, scores) is want:
                _collect(child, answers, scores, score_questions, want, out)
        return
    if isinstance(condition, Not):
        if want is True:
            # what a true `not` rests on is an absence (no radiating pain, not both legs):
            # a condition of the rule, not a reason the person gave for it
            return
        _collect(condition.child, answers, scores, score_questions, None, out)
        return
    if isinstance(condition, (AnswerIs, AnswerCompare)):
        out.append(condition.question)
        return
    counted, unknown = score_questions.get(condition.score, (set(), set()))
    out.extend(sorted(counted if want is not None else unknown))


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))
