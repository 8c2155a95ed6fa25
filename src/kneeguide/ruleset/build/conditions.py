"""A condition as written in a rule file → a :class:`Condition`, checked against the rule set.

The schema (:mod:`kneeguide.ruleset.schema.condition`) has already checked the
shape; this checks what only the whole rule set knows: that each question and
score exists, that a question can take the values compared with it, that
numbers are compared only with numeric questions, and that a band belongs to
its score.
"""

from __future__ import annotations

from typing import Any

from kneeguide.errors import Location, Problem
from kneeguide.evaluate import conditions
from kneeguide.evaluate.conditions import Condition
from kneeguide.ruleset.model import Question
from kneeguide.ruleset.yamlio import location_of
from kneeguide.suggest import did_you_mean


def resolve(
    node: Any,
    loc: Location,
    questions: dict[str, Question],
    score_bands: dict[str, set[str]],
    problems: list[Problem],
    *,
    allow_scores: bool = True,
) -> Condition:
    """The condition ``node`` (at ``loc``) over ``questions`` and the scores of ``score_bands``
    (score id → its band ids), appending every problem to ``problems``.

    With ``allow_scores`` False (a question's ``ask_if``, a score's own
    conditions) any comparison with a score is a problem. A condition with
    problems still resolves, so that one build reports them all.
    """

    def walk(node: Any, loc: Location) -> Condition:
        if "all" in node or "any" in node:
            key = "all" if "all" in node else "any"
            children = tuple(walk(child, location_of(child, loc)) for child in node[key])
            return conditions.All(children) if key == "all" else conditions.Any(children)
        if "not" in node:
            return conditions.Not(walk(node["not"], location_of(node["not"], loc)))
        op = next(k for k in node if k not in ("q", "score"))
        operand = node[op]
        if "score" in node:
            score_id = node["score"]
            if not allow_scores:
                problems.append(Problem("a score item cannot depend on a score", loc))
            elif score_id not in score_bands:
                hint = did_you_mean(score_id, list(score_bands))
                problems.append(Problem(f"unknown score '{score_id}'{hint}", loc))
            elif op == "band" and operand not in score_bands[score_id]:
                hint = did_you_mean(operand, sorted(score_bands[score_id]))
                problems.append(Problem(f"score '{score_id}' has no band '{operand}'{hint}", loc))
            if op == "band":
                return conditions.ScoreBand(score_id, str(operand))
            return conditions.ScoreCompare(score_id, op, float(operand))
        qid = node["q"]
        question = questions.get(qid)
        if question is None:
            hint = did_you_mean(qid, list(questions))
            problems.append(Problem(f"unknown question '{qid}'{hint}", loc))
            return conditions.AnswerIs(qid, frozenset())
        if op in conditions.COMPARATORS:
            if question.type not in ("int", "number"):
                problems.append(Problem(f"'{op}' needs a numeric question; '{qid}' is {question.type}", loc))
            return conditions.AnswerCompare(qid, op, float(operand))
        values = operand if op == "in" else [operand]
        allowed = _allowed_values(question)
        for value in values:
            if str(value) not in allowed:
                hint = did_you_mean(str(value), sorted(allowed))
                problems.append(
                    Problem(
                        f"'{value}' is not a value '{qid}' can take to match "
                        f"({', '.join(sorted(allowed))}){hint}",
                        loc,
                    )
                )
        return conditions.AnswerIs(qid, frozenset(str(v) for v in values))

    return walk(node, loc)


def _allowed_values(question: Question) -> set[str]:
    if question.type == "yn":
        return {"yes", "no"}
    if question.type == "choice":
        return {c.id for c in question.choices}
    return set()
