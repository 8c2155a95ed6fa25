"""Every decision about one answer set, by position in the rule set, before any text is chosen.

The order of work is the safety order of the clinical reference (§8): scores,
then red flags (which set a floor no cause can lower), then what is still not
excluded, then the cause ranking, and only then acupuncture, which is gated by
everything before it. Every level reached comes with the reasons that raised
it (``Decision.basis``), so a practitioner can check the basis of each decision.

Batch summaries are read straight off a :class:`Decision`; :mod:`words` dresses
it in text. Both therefore decide identically by construction.
"""

from __future__ import annotations

from typing import NamedTuple

from kneeguide.engine.plan import Candidate, FlagsPart, OpenPart, Plan, plan
from kneeguide.evaluate.memo import MISSING, remembered
from kneeguide.evaluate.truth import Truth
from kneeguide.evaluate.walk import walk
from kneeguide.ids import Level
from kneeguide.ruleset.model import Answers, RuleSet

_LEVELS = tuple(sorted(Level))
_URGENT = int(Level.URGENT)


class RankedCause(NamedTuple):
    cause: int  # position in rules.causes
    total: float
    strength: str  # strong | possible | less_likely
    pro: tuple[int, ...]  # features (positions in cause.features) that counted for
    con: tuple[int, ...]  # ... and against


class Decision(NamedTuple):
    """Every decision, by position in the rule set."""

    truth: Truth
    hits: tuple[tuple[int, Level], ...]  # (red flag position, level after escalation), most urgent first
    open: tuple[int, ...]  # red flags not excluded, most urgent first
    causes: tuple[RankedCause, ...]  # the ranking's top entries, best first
    level: Level
    basis: tuple[tuple[str, int], ...]  # what set the level: flag, open, floor, cause or none, with position
    suitability: str  # suitable | caution | not_now
    unscreened: tuple[str, ...]  # acupuncture screening questions not answered


def decide(rules: RuleSet, given: Answers) -> Decision:
    """The decisions for one validated answer set, its conditions walked (:mod:`walk`)."""
    return decide_on(rules, walk(rules, given))


def decide_on(rules: RuleSet, truth: Truth) -> Decision:
    """The decisions that follow from what the conditions say.

    Red flags, what is not excluded, the floors and each cause's tally repeat
    from record to record, so each combination is worked out once per rule set
    and remembered (a batch makes this call for every record).
    """
    p = plan(rules)
    # 1. red flags: fired (most urgent first, file order within a level), or not excluded
    fired, escalations, unknown = truth.fired, truth.escalations, truth.unknown
    flags_part: FlagsPart = remembered(p.seen_flags, (fired, escalations), _flags_part, p, fired, escalations)
    hits, hit_candidates = flags_part
    open_part: OpenPart = remembered(p.seen_open, unknown, _open_part, p, unknown)
    open_flags, open_candidates = open_part

    # 2. causes, ranked by transparent weights
    causes: tuple[RankedCause, ...] = ()
    features = truth.features
    if features:
        ranked: list[tuple[float, int, RankedCause]] = []  # (-total, cause, ranked cause)
        for index, first, width, seen in p.causes:
            held = features >> first & width
            if not held:
                continue  # nothing counted for or against it: never shown
            shown = seen.get(held, MISSING)  # (inline: this loop runs per cause per record)
            if shown is MISSING:
                shown = remembered(seen, held, _shown, p, index, held)
            if shown is not None:
                ranked.append(shown)
        if ranked:
            ranked.sort()  # highest total first, file order among equals (positions are unique)
            causes = tuple([entry[2] for entry in ranked[: p.top]])

    # 3. the level: the most urgent of every reason, never below a red flag
    candidates: list[Candidate] = [*hit_candidates, *open_candidates]
    floors = truth.floors
    if floors:
        candidates += remembered(p.seen_floors, floors, _floors_part, p, floors)
    leading = [c.cause for c in causes if c.strength != "less_likely"]
    if leading:
        # every cause at least possible counts, not the first alone: an answer that makes
        # another cause lead (a lump behind the knee, beside a possible clot) must never
        # take away the level of a dangerous one that is still possible
        candidates += [(p.cause_levels[i], "cause", i) for i in leading]
    elif not candidates:
        candidates.append((p.no_cause, "none", 0))
    level = max(candidates)[0]
    basis = tuple([(kind, i) for lvl, kind, i in candidates if lvl == level])

    # 4. acupuncture, gated by everything above
    answers = truth.answers
    unscreened = tuple([q for q in p.screening if answers.get(q, "unsure") == "unsure"])
    if level >= _URGENT or hits or (open_flags and p.flag_levels[open_flags[0]] >= _URGENT):
        suitability = "not_now"  # (open flags come most urgent first)
    elif open_flags:
        suitability = "caution"
    else:
        suitability = "suitable"
    if truth.suitability:
        for i, not_now in enumerate(p.not_now_rules):
            if truth.suitability >> i & 1:
                if not_now:
                    suitability = "not_now"
                elif suitability == "suitable":
                    suitability = "caution"
    if unscreened and suitability == "suitable":
        suitability = "caution"
    return Decision(truth, hits, open_flags, causes, _LEVELS[level], basis, suitability, unscreened)


def _flags_part(p: Plan, fired: int, escalations: int) -> FlagsPart:
    """The red flags that fired, at their escalated levels, most urgent first."""
    hits: list[tuple[int, int]] = []
    for index, level in enumerate(p.flag_levels):
        if fired >> index & 1:
            for bit, raised_to in p.escalation_bits[index]:
                if escalations & bit and raised_to > level:
                    level = raised_to
            hits.append((index, level))
    hits.sort(key=lambda h: -h[1])  # stable: file order within a level
    return tuple([(i, _LEVELS[lvl]) for i, lvl in hits]), tuple([(lvl, "flag", i) for i, lvl in hits])


def _open_part(p: Plan, unknown: int) -> OpenPart:
    """The red flags not excluded, most urgent first."""
    open_flags = tuple([i for i in p.open_order if unknown >> i & 1])
    return open_flags, tuple([(p.not_excluded, "open", i) for i in open_flags])


def _floors_part(p: Plan, floors: int) -> tuple[Candidate, ...]:
    return tuple([(lvl, "floor", i) for i, lvl in enumerate(p.floor_levels) if floors >> i & 1])


def _shown(p: Plan, index: int, held: int) -> tuple[float, int, RankedCause] | None:
    """A cause's entry in the ranking from the features that hold, or None when it is not shown.

    The total is the cause's prior plus the weight of every feature that holds
    (bit ``i`` of ``held``: feature ``i``), summed exactly in the plan's whole
    units (:mod:`kneeguide.ruleset.numbers`) and reported as the decimal they stand for.
    """
    total = p.priors[index]
    pro: list[int] = []
    con: list[int] = []
    for position, weight in enumerate(p.weights[index]):
        if held >> position & 1:
            total += weight
            (pro if weight > 0 else con).append(position)
    if total < p.show or not pro:
        return None
    strength = "strong" if total >= p.strong else "possible" if total >= p.possible else "less_likely"
    return (-total, index, RankedCause(index, total / p.scale, strength, tuple(pro), tuple(con)))
