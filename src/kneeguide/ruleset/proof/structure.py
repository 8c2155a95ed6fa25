"""What a custom rule set must keep before the solver can compare it: the same questions
accepting the same answers, every built-in red flag, floor and score, and default levels
no lower. Each is one plain problem, found without the solver."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from kneeguide.errors import Location, Problem
from kneeguide.evaluate.conditions import Condition, ScoreCompare
from kneeguide.ruleset.model import Floor, Question, RedFlag, RuleSet

_DISABLE = "list it under 'disable:' in ruleset.yaml with a reason to allow this"
#: score points and thresholds must be multiples of this, so that binary floats sum them exactly
_POINT = Fraction(1, 1024)


def problems(custom: RuleSet, builtin: RuleSet) -> list[Problem]:
    """Every structural way ``custom`` is weaker than ``builtin`` or cannot be compared with it."""
    found = _questions(custom, builtin)
    found += _flags(custom, builtin)
    found += _floors_and_levels(custom, builtin)
    found += _scores(custom, builtin)
    return found


def _accepts(theirs: Question, ours: Question) -> str | None:
    """Why ``theirs`` (custom) refuses an answer ``ours`` (built-in) accepts, or None."""
    if theirs.type != ours.type:
        return f"its type is {theirs.type}, the built-in one is {ours.type}"
    lost = {c.id for c in ours.choices} - {c.id for c in theirs.choices}
    if lost:
        return "it no longer accepts " + ", ".join(sorted(lost))
    if theirs.minimum is not None and (ours.minimum is None or theirs.minimum > ours.minimum):
        return f"it no longer accepts values below {theirs.minimum:g}"
    if theirs.maximum is not None and (ours.maximum is None or theirs.maximum < ours.maximum):
        return f"it no longer accepts values above {theirs.maximum:g}"
    return None


def _questions(custom: RuleSet, builtin: RuleSet) -> list[Problem]:
    found = []
    for q in builtin.questions.values():
        theirs = custom.questions.get(q.id)
        if theirs is None:
            found.append(
                Problem(
                    f"built-in question '{q.id}' is missing; a custom rule set keeps every built-in question",
                    Location(custom.source),
                )
            )
            continue
        why = _accepts(theirs, q)
        if why:
            found.append(Problem(f"question '{q.id}' is weaker than built-in: {why}", theirs.location))
    return found


def _flags(custom: RuleSet, builtin: RuleSet) -> list[Problem]:
    off = {flag_id for flag_id, _ in custom.disabled}
    kept = [flag for flag in builtin.red_flags if flag.id not in off]
    return _kept("red flag", kept, custom.red_flags, f"; {_DISABLE}", custom)


def _floors_and_levels(custom: RuleSet, builtin: RuleSet) -> list[Problem]:
    found = _kept("triage floor", builtin.floors, custom.floors, "", custom)
    for name, lowered, kept in (
        ("not_excluded_level", custom.not_excluded_level, builtin.not_excluded_level),
        ("no_cause_level", custom.no_cause_level, builtin.no_cause_level),
    ):
        if lowered < kept:
            where = Location(custom.source)
            found.append(Problem(f"triage {name} is weaker than built-in: {lowered.id} < {kept.id}", where))
    return found


def _kept(
    kind: str, ours: Sequence[RedFlag | Floor], theirs: Sequence[RedFlag | Floor], hint: str, custom: RuleSet
) -> list[Problem]:
    """Each of ``ours`` (built-in red flags or floors) that ``theirs`` drops or lowers.
    ``hint`` follows a dropped one: how it may be switched off, if it may."""
    found = []
    mine = {rule.id: rule for rule in theirs}
    for rule in ours:
        kept = mine.get(rule.id)
        if kept is None:
            found.append(Problem(f"built-in {kind} '{rule.id}' is missing{hint}", Location(custom.source)))
        elif kept.level < rule.level:
            weaker = (
                f"{kind} '{rule.id}' is weaker than built-in: level {kept.level.id} < {rule.level.id}; "
                f"keep level {rule.level.id} or higher (a custom set may raise a level, never lower one)"
            )
            found.append(Problem(weaker, kept.location))
    return found


def _scores(custom: RuleSet, builtin: RuleSet) -> list[Problem]:
    found = []
    mine = {s.id: s for s in custom.scores}
    for score in builtin.scores:
        ours = mine.get(score.id)
        if ours is None:
            found.append(Problem(f"built-in score '{score.id}' is missing", Location(custom.source)))
            continue
        if [b.id for b in ours.bands] != [b.id for b in score.bands]:
            found.append(
                Problem(
                    f"score '{score.id}' must keep the built-in bands "
                    + ", ".join(b.id for b in score.bands)
                    + " in that order",
                    ours.location,
                )
            )
    for rules in (custom, builtin):
        found += _inexact(rules)
    return found


def _inexact(rules: RuleSet) -> list[Problem]:
    """Score numbers that binary floats would not sum exactly (the proof decides on exact sums)."""
    found = []
    thresholds: dict[str, list[float]] = {}
    for condition in _every_condition(rules):
        for leaf in condition.leaves():
            if isinstance(leaf, ScoreCompare):
                thresholds.setdefault(leaf.score, []).append(leaf.threshold)
    for score in rules.scores:
        numbers = [i.points for i in score.items] + [b.minimum for b in score.bands if b.minimum is not None]
        numbers += thresholds.get(score.id, [])
        odd = sorted({n for n in numbers if Fraction(n) % _POINT != 0 or abs(n) > 2**20})
        if odd:
            found.append(
                Problem(
                    f"score '{score.id}': {', '.join(f'{n:g}' for n in odd)} cannot be summed exactly; "
                    "use multiples of 1/1024 (whole, half or quarter points)",
                    score.location,
                )
            )
    return found


def _every_condition(rules: RuleSet) -> list[Condition]:
    out: list[Condition] = []
    for flag in rules.red_flags:
        out.append(flag.when)
        out += [e.when for e in flag.escalations]
    out += [f.when for f in rules.floors]
    out += [x.when for c in rules.causes for x in c.features]
    return out
