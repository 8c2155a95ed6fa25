"""The test oracle: every condition of a rule set walked as plainly as the rule files read.

Production evaluates a rule set two ways: walked per record
(:mod:`kneeguide.evaluate.walk`) and on bit columns per block
(:mod:`kneeguide.evaluate.columns`), both with the inferences of
:mod:`kneeguide.evaluate.inferred` written once over sets of records. This
oracle spells the same meaning out again the slow, obvious way — each
condition evaluated by its definition (:mod:`kneeguide.evaluate.conditions`),
the implied "no" and the lay stand-ins as a loop over one answer dict — so the
tests can check both production paths against it.
"""

from __future__ import annotations

from kneeguide.evaluate.conditions import Tri
from kneeguide.evaluate.truth import ScoreFacts, Truth, score_facts
from kneeguide.ruleset.model import Answers, RuleSet, Score


def implied(rules: RuleSet, given: Answers) -> Answers:
    """``given`` plus "no" for each unanswered question whose ``ask_if`` is definitely false."""
    effective = dict(given)
    changed = True
    while changed:
        changed = False
        for question in rules.skippable:
            if (
                question.id not in effective
                and question.ask_if is not None
                and question.ask_if.evaluate(effective, {}) is False
            ):
                effective[question.id] = "no"
                changed = True
    return effective


def score(definition: Score, answers: Answers) -> ScoreFacts:
    """A score's facts: an item unknown from its own question is decided by its stand-in if that is known."""
    applicable: Tri = True if definition.applies_if is None else definition.applies_if.evaluate(answers, {})
    present: list[Tri] = []
    proxy: list[bool] = []
    for item in definition.items:
        value = item.when.evaluate(answers, {})
        stood_in = False
        if value is None and item.proxy is not None:
            stand_in = item.proxy.evaluate(answers, {})
            if stand_in is not None:
                value, stood_in = stand_in, True
        present.append(value)
        proxy.append(stood_in)
    return score_facts(definition, tuple(present), tuple(proxy), applicable)


def interpret(rules: RuleSet, given: Answers) -> Truth:
    """The reference :class:`Truth` of one answer set."""
    answers = implied(rules, given)
    facts = [score(s, answers) for s in rules.scores]
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
        populations=sum(_population(s, answers) << (2 * at) for at, s in enumerate(rules.scores)),
    )


def _population(definition: Score, answers: Answers) -> int:
    """A score's two population bits, spelled out: 1 whether its bounds hold is decided
    (Kleene "and" known), 2 the band is withheld (a bound fails, or a bound that waits
    until it is known to hold is not known to)."""
    bounds = [bound.when.evaluate(answers, {}) for bound in definition.validated_for]
    together: Tri = False if False in bounds else None if None in bounds else True
    waiting = any(
        bound.withhold_until_known and value is not True
        for bound, value in zip(definition.validated_for, bounds, strict=True)
    )
    return (0 if together is None else 1) | (2 if together is False or waiting else 0)
