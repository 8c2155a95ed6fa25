"""Rule authoring: run the rule tests, measure their coverage, compare rule sets.

Pure functions over a loaded :class:`RuleSet`; the CLI only formats what they
return. Every rule's ``examples`` and every ``tests:`` case of every rule file
are run. Coverage asks, for each condition leaf of each red flag and score
item, whether some case makes that leaf *decisive*: flipping its value would
change the rule's result. A leaf no case makes decisive is a part of a safety
rule that nothing proves works.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

from kneeguide.engine.decide import assess, compute_score, with_implied
from kneeguide.errors import Location
from kneeguide.evaluate import conditions
from kneeguide.evaluate.conditions import All, Answers, Condition, Not, Scores, Tri
from kneeguide.evaluate.conditions import Any as AnyOf
from kneeguide.ids import Audience
from kneeguide.ruleset.model import RuleSet


class TestResult(NamedTuple):
    name: str
    kind: str  # example | test
    rule: str
    status: str  # passed | failed | todo
    problems: tuple[str, ...]
    location: Location | None


def cases(rules: RuleSet) -> Iterator[tuple[str, str, dict[str, Any], Audience, Location | None]]:
    """Every answer set the rules document: (name, kind, answers, audience, location)."""
    for flag in rules.red_flags:
        for i, answers in enumerate(flag.examples.fires):
            yield f"{flag.id}: fires example {i + 1}", "example", answers, Audience.LAY, flag.location
        for i, answers in enumerate(flag.examples.quiet):
            yield f"{flag.id}: quiet example {i + 1}", "example", answers, Audience.LAY, flag.location
    for test in rules.tests:
        yield test.name, "test", test.answers, Audience[test.audience.upper()], test.location


def run_tests(rules: RuleSet) -> list[TestResult]:
    results: list[TestResult] = []
    for flag in rules.red_flags:
        for i, answers in enumerate(flag.examples.fires):
            a = assess(rules, answers)
            ok = flag.id in {h.id for h in a.red_flags}
            results.append(
                TestResult(
                    f"{flag.id}: fires on example {i + 1}",
                    "example",
                    flag.id,
                    "passed" if ok else "failed",
                    () if ok else (f"'{flag.id}' was not raised",),
                    flag.location,
                )
            )
        for i, answers in enumerate(flag.examples.quiet):
            a = assess(rules, answers)
            raised = {h.id for h in a.red_flags} | {n.id for n in a.not_excluded}
            ok = flag.id not in raised
            results.append(
                TestResult(
                    f"{flag.id}: quiet on example {i + 1}",
                    "example",
                    flag.id,
                    "passed" if ok else "failed",
                    () if ok else (f"'{flag.id}' was raised or not excluded",),
                    flag.location,
                )
            )
    for floor in rules.floors:
        for answers, want in [(a, True) for a in floor.examples.fires] + [
            (a, False) for a in floor.examples.quiet
        ]:
            got = floor.when.evaluate(with_implied(rules, answers), {})
            ok = got is want
            results.append(
                TestResult(
                    f"{floor.id}: {'holds' if want else 'does not hold'} on {dict(answers)}",
                    "example",
                    floor.id,
                    "passed" if ok else "failed",
                    () if ok else (f"evaluated to {got}",),
                    floor.location,
                )
            )
    for score in rules.scores:
        for case in score.examples:
            r = compute_score(score, with_implied(rules, case.answers))
            ok = r.points == case.points and r.band == case.band
            results.append(
                TestResult(
                    f"{score.id}: {case.points:g} points ({case.band})",
                    "example",
                    score.id,
                    "passed" if ok else "failed",
                    () if ok else (f"got {r.points:g} points ({r.band})",),
                    score.location,
                )
            )
    for test in rules.tests:
        a = assess(rules, test.answers, audience=Audience[test.audience.upper()])
        raised = {h.id for h in a.red_flags}
        still_open = {n.id for n in a.not_excluded}
        problems: list[str] = []
        off = {flag_id for flag_id, _ in rules.disabled}
        problems += [f"'{f}' was not raised" for f in test.fires if f not in raised and f not in off]
        problems += [f"'{f}' was raised or not excluded" for f in test.quiet if f in raised | still_open]
        if test.level is not None:
            low, high = test.level
            level = a.triage.level
            if not low <= level <= high:
                problems.append(f"level {level.id} is outside [{low.id}, {high.id}]")
        status = "passed" if not problems else "todo" if test.todo else "failed"
        results.append(TestResult(test.name, "test", test.file, status, tuple(problems), test.location))
    return results


# -- coverage --------------------------------------------------------------------------------


class Leaf(NamedTuple):
    rule: str  # red flag or score id
    part: str  # when | escalate N | item ID
    text: str
    covered: bool
    location: Location | None


def describe(leaf: conditions.Leaf) -> str:
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


def decisive(cond: Condition, leaf: object, answers: Answers, scores: Scores) -> bool:
    """True when the leaf has a definite value here and flipping it changes the result."""
    value = leaf.evaluate(answers, scores)  # type: ignore[attr-defined]
    if value is None:
        return False
    return _eval(cond, answers, scores, leaf, not value) != cond.evaluate(answers, scores)


def coverage(rules: RuleSet) -> list[Leaf]:
    prepared = []
    for _name, _kind, answers, _audience, _loc in cases(rules):
        effective = with_implied(rules, answers)
        scores = {s.id: compute_score(s, effective) for s in rules.scores}
        prepared.append((effective, scores))
    for score in rules.scores:
        for case in score.examples:
            effective = with_implied(rules, case.answers)
            prepared.append((effective, {s.id: compute_score(s, effective) for s in rules.scores}))
    out: list[Leaf] = []
    targets: list[tuple[str, str, Condition, Location | None]] = []
    for flag in rules.red_flags:
        targets.append((flag.id, "when", flag.when, flag.location))
        for i, esc in enumerate(flag.escalations, 1):
            targets.append((flag.id, f"escalate {i}", esc.when, flag.location))
    for score in rules.scores:
        for item in score.items:
            targets.append((score.id, f"item {item.id}", item.when, score.location))
    for rule, part, cond, loc in targets:
        for leaf in cond.leaves():
            hit = any(decisive(cond, leaf, a, s) for a, s in prepared)
            out.append(Leaf(rule, part, describe(leaf), hit, loc))
    return out


# -- diff ------------------------------------------------------------------------------------


def diff(custom: RuleSet, builtin: RuleSet) -> list[str]:
    """What a custom rule set changes, one line each."""
    lines: list[str] = []

    def compare(kind: str, mine: dict[str, Any], theirs: dict[str, Any]) -> None:
        for key in sorted(set(mine) - set(theirs)):
            lines.append(f"+ {kind} {key}: added")
        for key in sorted(set(theirs) - set(mine)):
            lines.append(f"- {kind} {key}: removed")
        for key in sorted(set(mine) & set(theirs)):
            if _strip(mine[key]) != _strip(theirs[key]):
                lines.append(f"~ {kind} {key}: changed")

    for flag_id, reason in custom.disabled:
        lines.append(f"! red flag {flag_id}: DISABLED ({reason})")
    compare("question", dict(custom.questions), dict(builtin.questions))
    compare(
        "red flag",
        {f.id: f for f in custom.red_flags},
        {f.id: f for f in builtin.red_flags if f.id not in {d for d, _ in custom.disabled}},
    )
    mine_flags = {f.id: f for f in custom.red_flags}
    for flag in builtin.red_flags:
        ours = mine_flags.get(flag.id)
        if ours is not None and ours.level != flag.level:
            lines.append(f"~ red flag {flag.id}: level {flag.level.id} -> {ours.level.id}")
    compare("score", {s.id: s for s in custom.scores}, {s.id: s for s in builtin.scores})
    compare("cause", {c.id: c for c in custom.causes}, {c.id: c for c in builtin.causes})
    compare("floor", {f.id: f for f in custom.floors}, {f.id: f for f in builtin.floors})
    compare(
        "point",
        {p.code: p for p in custom.acupuncture.points},
        {p.code: p for p in builtin.acupuncture.points},
    )
    compare("region", custom.regions, builtin.regions)
    compare("message", custom.messages, builtin.messages)
    if custom.languages != builtin.languages:
        lines.append(f"~ languages: {', '.join(builtin.languages)} -> {', '.join(custom.languages)}")
    return lines


def _strip(value: Any) -> Any:
    """Compare rules without where they were written."""
    if isinstance(value, Location):
        return None
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return tuple(_strip(v) for f, v in zip(value._fields, value, strict=True) if f != "location")
    if isinstance(value, (list, tuple)):
        return tuple(_strip(v) for v in value)
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items()}
    return value
