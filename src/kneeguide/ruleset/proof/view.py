"""One rule set's view of the answers: its own skipping applied, its conditions as terms.

Answers are one :class:`~kneeguide.ruleset.proof.answers.Raw` shared by both rule sets
being compared; each reads them through its own :class:`View`, so that a question one
set skips and the other asks is compared as each engine would see it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import z3

from kneeguide.evaluate.conditions import (
    All,
    AnswerCompare,
    AnswerIs,
    Any,
    Condition,
    Not,
    ScoreBand,
    ScoreCompare,
    compare,
    questions_in,
)
from kneeguide.ruleset.model import Question, RuleSet
from kneeguide.ruleset.proof.answers import MISSING, UNSURE, Raw, Tri, const

if TYPE_CHECKING:
    from kneeguide.ruleset.proof.scores import ScoreTerms


class View:
    """The answers one rule set's engine reads: ``raw`` through that set's skipping.

    ``skipped[q]``: ``q`` has an ``ask_if`` that ruled it out, so it was not asked
    (interview) or, unanswered, is inapplicable (a script), and counts as the value
    the engine then assumes: "no" for a yes/no question, unanswered otherwise.
    """

    def __init__(self, rules: RuleSet, raw: Raw, skipped: Mapping[str, z3.BoolRef]) -> None:
        self.rules = rules
        self.raw = raw
        self.coded: dict[str, z3.ArithRef] = {}
        self.present: dict[str, z3.BoolRef] = {}
        for q in rules.questions.values():
            hidden = z3.And(raw.interview, z3.Not(raw.asks(q)))
            skip = skipped.get(q.id, z3.BoolVal(False))
            if q.id in raw.coded:
                given = z3.If(hidden, MISSING, raw.coded[q.id])
                implied = raw.codes[q.id]["no"] if q.type == "yn" else MISSING
                self.coded[q.id] = z3.If(skip, implied, given)
            else:
                self.present[q.id] = z3.And(raw.present[q.id], z3.Not(hidden), z3.Not(skip))

    def condition(self, c: Condition, scores: Mapping[str, ScoreTerms] | None = None) -> Tri:
        """``c`` in Kleene's three-valued logic, as :meth:`Condition.evaluate` decides it."""
        if isinstance(c, AnswerIs):
            if c.question not in self.coded:
                return Tri(z3.BoolVal(False), z3.BoolVal(False))  # a question this set lacks: unknown
            value = self.coded[c.question]
            codes = self.raw.codes[c.question]
            hit = z3.Or([value == codes[v] for v in sorted(c.values) if v in codes] or [z3.BoolVal(False)])
            return Tri(hit, z3.And(value > UNSURE, z3.Not(hit)))
        if isinstance(c, AnswerCompare):
            if c.question not in self.present:
                return Tri(z3.BoolVal(False), z3.BoolVal(False))
            present = self.present[c.question]
            holds = compare(c.op, self.raw.number[c.question], const(c.threshold))
            return Tri(z3.And(present, holds), z3.And(present, z3.Not(holds)))
        if isinstance(c, (ScoreCompare, ScoreBand)):
            assert scores is not None, "a score leaf where the rules read answers only"
            return scores[c.score].leaf(c)
        if isinstance(c, All):
            parts = [self.condition(child, scores) for child in c.children]
            return Tri(z3.And([p.t for p in parts]), z3.Or([p.f for p in parts]))
        if isinstance(c, Any):
            parts = [self.condition(child, scores) for child in c.children]
            return Tri(z3.Or([p.t for p in parts]), z3.And([p.f for p in parts]))
        assert isinstance(c, Not)
        inner = self.condition(c.child, scores)
        return Tri(inner.f, inner.t)


def view(rules: RuleSet, raw: Raw) -> View:
    """``rules``' view of ``raw``: the implied "no" worked out to its fixed point.

    As :func:`inferred.imply_no` repeats until nothing changes, this unrolls one
    round per step of the longest chain of ``ask_if`` conditions that read other
    skippable questions (all of them when the chain is circular), so the last
    round is the fixed point. A question once skipped stays skipped.
    """
    skippable = [q for q in rules.questions.values() if q.ask_if is not None]
    skipped: dict[str, z3.BoolRef] = {q.id: z3.BoolVal(False) for q in skippable}
    for _ in range(_rounds(skippable)):
        seen = View(rules, raw, skipped)
        skipped = {
            q.id: z3.Or(
                skipped[q.id],
                z3.And(z3.Or(raw.interview, raw.missing(q.id)), seen.condition(q.ask_if).f),
            )
            for q in skippable
            if q.ask_if is not None
        }
    return View(rules, raw, skipped)


def _rounds(skippable: list[Question]) -> int:
    """Rounds that reach the fixed point: the longest chain of ``ask_if`` reading a
    skippable question, plus one."""
    reads = {q.id: questions_in(q.ask_if) & {p.id for p in skippable} for q in skippable if q.ask_if}
    depth: dict[str, int] = {}

    def of(qid: str, path: frozenset[str]) -> int:
        if qid in path:
            raise RecursionError
        if qid not in depth:
            depth[qid] = 1 + max((of(p, path | {qid}) for p in reads[qid]), default=0)
        return depth[qid]

    try:
        longest = max((of(qid, frozenset()) for qid in reads), default=0)
    except RecursionError:
        longest = len(skippable)
    return longest + 1
