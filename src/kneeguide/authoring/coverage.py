"""``kneeguide rules coverage``: which parts of the safety rules some example proves.

For each condition leaf of each red flag (its ``when`` and every escalation) and
of each score item, coverage asks whether some documented answer set makes that
leaf *decisive*: the leaf has a definite value there, and flipping it would
change the rule's result. A leaf that no case makes decisive is a part of a
safety rule that nothing proves works.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from kneeguide.errors import Location
from kneeguide.evaluate import conditions
from kneeguide.evaluate.conditions import All, Answers, Condition, Not, Scores, Tri
from kneeguide.evaluate.conditions import Any as AnyOf
from kneeguide.evaluate.walk import walk_score, with_implied
from kneeguide.ruleset.model import RuleSet


class Leaf(NamedTuple):
    """One condition leaf of one rule, and whether some case makes it decisive."""

    rule: str  # red flag or score id
    part: str  # when | escalate N | item ID
    text: str  # the leaf as written, e.g. {q: calf_swelling, is: yes}
    covered: bool
    location: Location | None


def leaf_text(leaf: conditions.Leaf) -> str:
    """The leaf as it is written in a rule file, on one line."""
    if isinstance(leaf, conditions.AnswerIs):
        values = sorted(leaf.values)
        return (
            f"{{q: {leaf.question}, {'is' if len(values) == 1 else 'in'}: "
            + (values[0] if len(values) == 1 else "[" + ", ".join(values) + "]")
            + "}"
        )
    if isinstance(leaf, conditions.AnswerCompare):
        return f"{{q: {leaf.question}, {leaf.op}: {leaf.threshold:g}}}"
    if isinstance(leaf, conditions.ScoreCompare):
        return f"{{score: {leaf.score}, {leaf.op}: {leaf.threshold:g}}}"
    return f"{{score: {leaf.score}, band: {leaf.band}}}"


def _eval(cond: Condition, answers: Answers, scores: Scores, target: object, forced: Tri) -> Tri:
    """Evaluate with one leaf (by identity) forced to a value."""
    if cond is target:
        return forced
    if isinstance(cond, All):
        result: Tri = True
        for child in cond.children:
            value = _eval(child, answers, scores, target, forced)
            if value is False:
                return False
            if value is None:
                result = None
        return result
    if isinstance(cond, AnyOf):
        result = False
        for child in cond.children:
            value = _eval(child, answers, scores, target, forced)
            if value is True:
                return True
            if value is None:
                result = None
        return result
    if isinstance(cond, Not):
        value = _eval(cond.child, answers, scores, target, forced)
        return None if value is None else not value
    return cond.evaluate(answers, scores)


def decisive(cond: Condition, leaf: conditions.Leaf, answers: Answers, scores: Scores) -> bool:
    """True when the leaf has a definite value here and flipping it changes the result."""
    value = leaf.evaluate(answers, scores)
    if value is None:
        return False
    return _eval(cond, answers, scores, leaf, not value) != cond.evaluate(answers, scores)


def _cases(rules: RuleSet) -> Iterator[tuple[Answers, Scores]]:
    """Every answer set the rules document (red-flag examples, ``tests:`` cases, score
    examples), with the implied answers added and the scores computed on it as the
    conditions read them (lay stand-ins counted, not what is reported)."""
    documented = [answers for flag in rules.red_flags for answers in flag.examples.fires]
    documented += [answers for flag in rules.red_flags for answers in flag.examples.quiet]
    documented += [test.answers for test in rules.tests]
    documented += [case.answers for score in rules.scores for case in score.examples]
    for answers in documented:
        effective = with_implied(rules, answers)
        yield effective, {s.id: walk_score(s, effective) for s in rules.scores}


def coverage(rules: RuleSet) -> list[Leaf]:
    """Every leaf of every red flag and score item of ``rules``, in file order."""
    prepared = list(_cases(rules))
    targets: list[tuple[str, str, Condition, Location | None]] = []
    for flag in rules.red_flags:
        targets.append((flag.id, "when", flag.when, flag.location))
        for i, esc in enumerate(flag.escalations, 1):
            targets.append((flag.id, f"escalate {i}", esc.when, flag.location))
    for score in rules.scores:
        for item in score.items:
            targets.append((score.id, f"item {item.id}", item.when, score.location))
    return [
        Leaf(rule, part, leaf_text(leaf), any(decisive(cond, leaf, a, s) for a, s in prepared), loc)
        for rule, part, cond, loc in targets
        for leaf in cond.leaves()
    ]
