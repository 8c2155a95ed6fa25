"""One answer set: every condition of a rule set walked as written.

This is the per-record evaluator (``assess``, the interview, the library API,
and a batch's blocks too small for columns) because for one record it is the
faster of the two. CPU time per record, ``timeit`` on this code, Python 3.11,
one core of the 2-core development machine:

======================================  ======  ================================
answer sets                             walked  on columns (:mod:`columns`)
======================================  ======  ================================
the 100 tests/vignettes, one at a time  54-59   153-158 (a block of one)
2,000 generated (benchmarks/run.py)     61-66   135-140 (a block of one)
the same, in blocks of 4                        55-56 (so ``columns.SMALL`` = 4)
the same, in blocks of 32 / 1,000               18-21 / 11-12
======================================  ======  ================================

Walking also keeps to one evaluator per answer set: the engine explains its
decisions (``conditions.grounds``) by the same definition it decided them by.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from kneeguide.evaluate.conditions import Condition, Scores, Tri
from kneeguide.evaluate.inferred import Said, ScoreConditions, imply_no, item_columns
from kneeguide.evaluate.memo import PerRules, remembered
from kneeguide.evaluate.truth import ScoreFacts, Truth, facts_of, population_bits

if TYPE_CHECKING:
    from kneeguide.ruleset.model import Answers, RuleSet, Score

_NO_SCORES: dict[str, ScoreFacts] = {}  # what ask_if, applies_if and items read: answers only
_SAID: dict[Tri, Said] = {True: (1, 0), False: (0, 1), None: (0, 0)}


class _Record:
    """One answer set as a block of one record (bit 1), for :mod:`inferred`."""

    everyone = 1

    def __init__(self, given: Answers, skippable: tuple[str, ...]) -> None:
        self.answers = given
        self.skippable = skippable
        self.copied = False

    def said(self, condition: Condition) -> Said:
        return _SAID[condition.evaluate(self.answers, _NO_SCORES)]

    def answer_no(self, at: int, records: int) -> None:
        if not self.copied:
            self.answers = dict(self.answers)
            self.copied = True
        self.answers[self.skippable[at]] = "no"


def _score_conditions(score: Score) -> ScoreConditions[Condition]:
    """A score's conditions as :func:`inferred.item_columns` reads them."""
    return score.applies_if, tuple((item.when, item.proxy) for item in score.items)


def _row(columns: list[int]) -> int:
    """One record's item bits (each column is 0 or 1) as the row ``truth.facts_of`` reads."""
    row = 0
    for i, bit in enumerate(columns):
        if bit:
            row |= 1 << i
    return row


class _Conditions(NamedTuple):
    """A rule set's conditions in the order of a :class:`Truth`'s bits, and its score memos."""

    skippable: tuple[str, ...]
    ask_if: tuple[Condition, ...]
    scores: tuple[tuple[Score, ScoreConditions[Condition], dict[int, ScoreFacts]], ...]
    score_ids: tuple[str, ...]
    flags: tuple[Condition, ...]
    escalations: tuple[tuple[Condition, ...], ...]  # per red flag
    features: tuple[Condition, ...]  # of every cause, in file order
    floors: tuple[Condition, ...]
    suitability: tuple[Condition, ...]
    populations: tuple[tuple[Condition | None, Condition | None], ...]  # per score: all bounds, awaited ones


def _gather(rules: RuleSet) -> _Conditions:
    skippable = [q for q in rules.skippable if q.ask_if is not None]
    return _Conditions(
        skippable=tuple(q.id for q in skippable),
        ask_if=tuple(q.ask_if for q in skippable if q.ask_if is not None),
        scores=tuple((s, _score_conditions(s), {}) for s in rules.scores),
        score_ids=tuple(s.id for s in rules.scores),
        flags=tuple(f.when for f in rules.red_flags),
        escalations=tuple(tuple(e.when for e in f.escalations) for f in rules.red_flags),
        features=tuple(x.when for c in rules.causes for x in c.features),
        floors=tuple(f.when for f in rules.floors),
        suitability=tuple(s.when for s in rules.acupuncture.suitability),
        populations=tuple((s.validated_population, s.awaited_population) for s in rules.scores),
    )


_conditions: PerRules[_Conditions] = PerRules(_gather)


def _implied(plan: _Conditions, given: Answers) -> _Record:
    record = _Record(given, plan.skippable)
    imply_no(record, plan.ask_if, [1 if q in given else 0 for q in plan.skippable])
    return record


def with_implied(rules: RuleSet, answers: Answers) -> Answers:
    """A new dict of ``answers`` plus the "no" of every skipped question (see :mod:`inferred`)."""
    record = _implied(_conditions(rules), answers)
    return record.answers if record.copied else dict(answers)


def walk_score(score: Score, answers: Answers) -> ScoreFacts:
    """One score's facts, its items decided by their question or else their lay stand-in."""
    return facts_of(score, _row(item_columns(_Record(answers, ()), _score_conditions(score))))


def _mask(values: list[bool]) -> int:
    out = 0
    for i, value in enumerate(values):
        if value:
            out |= 1 << i
    return out


def walk(rules: RuleSet, given: Answers) -> Truth:
    """What every condition of ``rules`` says about one validated answer set."""
    plan = _conditions(rules)
    record = _implied(plan, given)
    facts = tuple(
        [
            remembered(seen, row, facts_of, score, row)
            for score, conditions, seen in plan.scores
            for row in (_row(item_columns(record, conditions)),)
        ]
    )
    answers = record.answers
    scores: Scores = dict(zip(plan.score_ids, facts, strict=True))
    fired = unknown = escalations = 0
    at = 0
    for i, (flag, raising) in enumerate(zip(plan.flags, plan.escalations, strict=True)):
        value = flag.evaluate(answers, scores)
        if value is True:
            fired |= 1 << i
            for j, escalation in enumerate(raising):
                if escalation.evaluate(answers, scores) is True:
                    escalations |= 1 << (at + j)
        elif value is None:
            unknown |= 1 << i
        at += len(raising)
    return Truth(
        answers,
        facts,
        fired,
        unknown,
        escalations,
        _mask([c.evaluate(answers, scores) is True for c in plan.features]),
        _mask([c.evaluate(answers, scores) is True for c in plan.floors]),
        _mask([c.evaluate(answers, scores) is True for c in plan.suitability]),
        population_bits([(_bound(c, answers), _bound(a, answers)) for c, a in plan.populations]),
    )


def _bound(condition: Condition | None, answers: Answers) -> Tri:
    """A population bound on the answers alone (no bound: it holds)."""
    return True if condition is None else condition.evaluate(answers, _NO_SCORES)
