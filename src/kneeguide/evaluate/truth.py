"""What every condition of a rule set says about one answer set.

The engine's decisions (:mod:`engine`) rest on a :class:`Truth`: the value of
each red flag, escalation, score item, cause feature, triage floor and
acupuncture rule, aligned position by position with the rule set. Two
functions produce it and must always agree:

* :func:`interpret` walks the condition trees (:mod:`conditions`). It is the
  definition: short, obviously the logic of the rule files.
* :mod:`compiled` evaluates the same conditions as bit-mask tests. It is what
  the engine runs, because batch scoring needs every record to cost
  microseconds. The tests check it against :func:`interpret`.
"""

from __future__ import annotations

from typing import NamedTuple

from kneeguide.evaluate.conditions import Tri
from kneeguide.ruleset.model import Answers, RuleSet, Score


class ScoreFacts(NamedTuple):
    """A score as an interval, with what each item contributed."""

    applicable: Tri
    points: float
    points_max: float
    band: str | None  # None while the unknown items could still change the band
    complete: bool
    present: tuple[Tri, ...]  # per item
    proxy: tuple[bool, ...]  # per item: decided by a lay stand-in


class Truth(NamedTuple):
    """What the conditions say, as bit masks: a batch builds one per record.

    Bits follow the rule files' order. ``fired`` and ``unknown`` have bit ``i``
    for the ``i``-th red flag (a flag in neither is excluded). ``escalations``
    and ``features`` number every escalation (of every red flag) and every
    feature (of every cause) in file order; see :func:`bit_layout`.
    """

    answers: Answers  # the answers plus the "no" implied by skipped questions
    scores: tuple[ScoreFacts, ...]  # aligned with rules.scores
    fired: int  # red flags definitely true
    unknown: int  # red flags not excluded
    escalations: int  # escalations definitely true, of red flags that fired
    features: int  # cause features definitely true
    floors: int  # triage floors definitely true
    suitability: int  # acupuncture suitability rules definitely true


def bit_layout(rules: RuleSet) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Where each red flag's escalations and each cause's features start."""
    escalations, features = [], []
    at = 0
    for flag in rules.red_flags:
        escalations.append(at)
        at += len(flag.escalations)
    at = 0
    for cause in rules.causes:
        features.append(at)
        at += len(cause.features)
    return tuple(escalations), tuple(features)


_NO_SCORES: dict[str, ScoreFacts] = {}


def with_implied(rules: RuleSet, answers: Answers) -> Answers:
    """Add the "no" that a skipped yes/no question logically has.

    A question is skipped when its ``ask_if`` is definitely false given the
    other answers (no lump behind the knee, so no pulsating lump). Such a
    question is not unanswered but inapplicable, and the rules are written so
    that its ``ask_if`` being false implies the answer "no". A question whose
    ``ask_if`` is merely unknown stays unknown.
    """
    effective = dict(answers)
    changed = True
    while changed:
        changed = False
        for question in rules.skippable:
            if (
                question.id not in effective
                and question.ask_if is not None
                and (question.ask_if.evaluate(effective, _NO_SCORES) is False)
            ):
                effective[question.id] = "no"
                changed = True
    return effective


def score_facts(
    score: Score, present: tuple[Tri, ...], proxy: tuple[bool, ...], applicable: Tri
) -> ScoreFacts:
    """Points as an interval: counted items, and the most the unknown ones could add.

    A clinician's judgement item (Wells' "alternative diagnosis as likely", −2)
    is never inferred: unknown, it counts nothing either way.
    """
    points = 0.0
    points_max = 0.0
    complete = True
    for item, value in zip(score.items, present, strict=True):
        if value is True:
            points += item.points
            points_max += item.points
        elif value is None and not item.judgement:
            complete = False
            if item.points > 0:
                points_max += item.points
            else:
                points += item.points
    low = score.band_for(points)
    high = score.band_for(points_max)
    band = low.id if low.id == high.id and applicable is not False else None
    return ScoreFacts(applicable, points, points_max, band, complete, present, proxy)


def walk_score(score: Score, answers: Answers) -> ScoreFacts:
    """One score's facts, its conditions walked as written.

    An item unknown from its own question may be decided by its lay stand-in
    (``proxy``), and is then marked as such.
    """
    applicable: Tri = True
    if score.applies_if is not None:
        applicable = score.applies_if.evaluate(answers, _NO_SCORES)
    present: list[Tri] = []
    proxy: list[bool] = []
    for item in score.items:
        value = item.when.evaluate(answers, _NO_SCORES)
        stood_in = False
        if value is None and item.proxy is not None:
            stand_in = item.proxy.evaluate(answers, _NO_SCORES)
            if stand_in is not None:
                value, stood_in = stand_in, True
        present.append(value)
        proxy.append(stood_in)
    return score_facts(score, tuple(present), tuple(proxy), applicable)


def interpret(rules: RuleSet, given: Answers) -> Truth:
    """The reference evaluation: every condition walked as written."""
    answers = with_implied(rules, given)
    facts = [walk_score(score, answers) for score in rules.scores]
    scores = {s.id: f for s, f in zip(rules.scores, facts, strict=True)}

    def mask(values: list[bool]) -> int:
        return sum(1 << i for i, value in enumerate(values) if value)

    flags = [f.when.evaluate(answers, scores) for f in rules.red_flags]
    return Truth(
        answers=answers,
        scores=tuple(facts),
        fired=mask([v is True for v in flags]),
        unknown=mask([v is None for v in flags]),
        escalations=mask(
            [
                fired is True and e.when.evaluate(answers, scores) is True
                for f, fired in zip(rules.red_flags, flags, strict=True)
                for e in f.escalations
            ]
        ),
        features=mask([x.when.evaluate(answers, scores) is True for c in rules.causes for x in c.features]),
        floors=mask([f.when.evaluate(answers, scores) is True for f in rules.floors]),
        suitability=mask([s.when.evaluate(answers, scores) is True for s in rules.acupuncture.suitability]),
    )
