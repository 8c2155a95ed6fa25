"""Answers → assessment. Pure, deterministic, no I/O.

The order of work is the safety order of the clinical reference (§8): scores,
then red flags (which set a floor no cause can lower), then what is still not
excluded, then the cause ranking, and only then acupuncture, which is gated by
everything before it. Every level the engine reaches comes with the reasons
that raised it, so a practitioner can check the basis of each decision.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from kneeguide import __version__
from kneeguide.engine.assessment import (
    AcupunctureResult,
    Assessment,
    CauseResult,
    EvidenceResult,
    ItemResult,
    NotExcluded,
    PointResult,
    Reason,
    RedFlagHit,
    Referral,
    ScoreResult,
    Triage,
)
from kneeguide.evaluate.bits import MISSING, PerRules, compiled, remembered
from kneeguide.evaluate.conditions import explain, questions_in
from kneeguide.evaluate.truth import ScoreFacts, Truth, bit_layout, walk_score, with_implied
from kneeguide.ids import Audience, Level
from kneeguide.ruleset.model import Answers, RuleSet, Score, pick

__all__ = ["Decision", "assess", "compute_score", "decide", "with_implied"]

_BARE = Reason("", "", 0.0, None, ())  # a counted feature whose explanation was not asked for


class RankedCause(NamedTuple):
    cause: int  # position in rules.causes
    total: float
    strength: str  # strong | possible | less_likely
    pro: tuple[int, ...]  # features (positions in cause.features) that counted for
    con: tuple[int, ...]  # ... and against


class Decision(NamedTuple):
    """Every decision, by position in the rule set, before any text is chosen.

    Batch summaries are read straight off this; :func:`assess` dresses it in
    words. Both therefore decide identically by construction.
    """

    truth: Truth
    hits: tuple[tuple[int, Level], ...]  # (red flag position, level after escalation), most urgent first
    open: tuple[int, ...]  # red flags not excluded, most urgent first
    causes: tuple[RankedCause, ...]  # the ranking's top entries, best first
    level: Level
    basis: tuple[tuple[str, int], ...]  # what set the level: flag, open, floor, cause or none, with position
    suitability: str  # suitable | caution | not_now
    unscreened: tuple[str, ...]  # acupuncture screening questions not answered


def decide(rules: RuleSet, given: Answers) -> Decision:
    """The decisions for one validated answer set, in the safety order of §8."""
    return decide_on(rules, compiled(rules).truth(given))


class _Plan(NamedTuple):
    """A rule set's numbers as plain ints and floats: enum and attribute lookups cost
    more than the decisions themselves when a batch makes them per record."""

    flag_levels: tuple[int, ...]
    escalation_bits: tuple[
        tuple[tuple[int, int], ...], ...
    ]  # per red flag: (bit in Truth.escalations, level)
    open_order: tuple[int, ...]  # red flag positions, most urgent first, file order within a level
    causes: tuple[
        tuple[int, int, int, dict[int, Any]], ...
    ]  # (position, first bit, mask, entries seen) per cause
    priors: tuple[float, ...]
    weights: tuple[tuple[float, ...], ...]
    cause_levels: tuple[int, ...]
    floor_levels: tuple[int, ...]
    not_excluded: int
    no_cause: int
    show: float
    strong: float
    possible: float
    top: int
    screening: tuple[str, ...]
    not_now_rules: tuple[bool, ...]
    seen_flags: dict[tuple[int, int], _FlagsPart]
    seen_open: dict[int, _OpenPart]
    seen_floors: dict[int, tuple[_Candidate, ...]]


_FlagsPart = tuple[tuple[tuple[int, Level], ...], tuple[tuple[int, str, int], ...]]
_OpenPart = tuple[tuple[int, ...], tuple[tuple[int, str, int], ...]]
_Tally = tuple[float, tuple[int, ...], tuple[int, ...]]  # a cause's total, features for, features against


def _make_plan(rules: RuleSet) -> _Plan:
    flags = rules.red_flags
    escalation_at, feature_at = bit_layout(rules)
    return _Plan(
        flag_levels=tuple(int(f.level) for f in flags),
        escalation_bits=tuple(
            tuple((1 << (at + j), int(e.level)) for j, e in enumerate(f.escalations))
            for f, at in zip(flags, escalation_at, strict=True)
        ),
        open_order=tuple(sorted(range(len(flags)), key=lambda i: -flags[i].level)),
        causes=tuple(
            (i, at, (1 << len(c.features)) - 1, {})
            for i, (c, at) in enumerate(zip(rules.causes, feature_at, strict=True))
        ),
        priors=tuple(c.prior for c in rules.causes),
        weights=tuple(tuple(x.weight for x in c.features) for c in rules.causes),
        cause_levels=tuple(int(c.level) for c in rules.causes),
        floor_levels=tuple(int(f.level) for f in rules.floors),
        not_excluded=int(rules.not_excluded_level),
        no_cause=int(rules.no_cause_level),
        show=rules.ranking.show,
        strong=rules.ranking.strong,
        possible=rules.ranking.possible,
        top=rules.ranking.top,
        screening=rules.acupuncture.screening,
        not_now_rules=tuple(r.level == "not_now" for r in rules.acupuncture.suitability),
        seen_flags={},
        seen_open={},
        seen_floors={},
    )


_plan: PerRules[_Plan] = PerRules(_make_plan)
_LEVELS = tuple(sorted(Level))
_URGENT = int(Level.URGENT)


def _tally(plan: _Plan, cause: int, held: int) -> _Tally:
    """A cause's total from the features that hold (bit ``i`` of ``held``: feature ``i``), in file order."""
    weights = plan.weights[cause]
    total = plan.priors[cause]
    pro: list[int] = []
    con: list[int] = []
    for position, weight in enumerate(weights):
        if held >> position & 1:
            total += weight
            (pro if weight > 0 else con).append(position)
    return total, tuple(pro), tuple(con)


_Candidate = tuple[int, str, int]  # (level, what set it: flag, open, floor, cause or none, position)


def _flags_part(plan: _Plan, fired: int, escalations: int) -> _FlagsPart:
    """The red flags that fired, at their escalated levels, most urgent first."""
    hits: list[tuple[int, int]] = []
    for index, level in enumerate(plan.flag_levels):
        if fired >> index & 1:
            for bit, raised_to in plan.escalation_bits[index]:
                if escalations & bit and raised_to > level:
                    level = raised_to
            hits.append((index, level))
    hits.sort(key=lambda h: -h[1])  # stable: file order within a level
    return tuple([(i, _LEVELS[lvl]) for i, lvl in hits]), tuple([(lvl, "flag", i) for i, lvl in hits])


def _open_part(plan: _Plan, unknown: int) -> _OpenPart:
    """The red flags not excluded, most urgent first."""
    open_flags = tuple([i for i in plan.open_order if unknown >> i & 1])
    return open_flags, tuple([(plan.not_excluded, "open", i) for i in open_flags])


def _floors_part(plan: _Plan, floors: int) -> tuple[_Candidate, ...]:
    return tuple([(lvl, "floor", i) for i, lvl in enumerate(plan.floor_levels) if floors >> i & 1])


def decide_on(rules: RuleSet, truth: Truth) -> Decision:
    """The decisions that follow from what the conditions say.

    Red flags, what is not excluded, the floors and each cause's tally repeat
    from record to record, so each combination is worked out once per rule set
    and remembered (a batch makes this call for every record).
    """
    plan = _plan(rules)
    # 1. red flags: fired (most urgent first, file order within a level), or not excluded
    fired, escalations, unknown = truth.fired, truth.escalations, truth.unknown
    flags_part: _FlagsPart = remembered(
        plan.seen_flags, (fired, escalations), _flags_part, plan, fired, escalations
    )
    hits, hit_candidates = flags_part
    open_flags, open_candidates = remembered(plan.seen_open, unknown, _open_part, plan, unknown)

    # 2. causes, ranked by transparent weights
    causes: tuple[RankedCause, ...] = ()
    features = truth.features
    if features:
        ranked: list[tuple[float, int, RankedCause]] = []  # (-total, cause, ranked cause)
        for index, first, width, seen in plan.causes:
            held = features >> first & width
            if not held:
                continue  # nothing counted for or against it: never shown
            shown = seen.get(held, MISSING)  # (inline: this loop runs per cause per record)
            if shown is MISSING:
                shown = remembered(seen, held, _shown, plan, index, held)
            if shown is not None:
                ranked.append(shown)
        if ranked:
            ranked.sort()  # highest total first, file order among equals (positions are unique)
            causes = tuple([entry[2] for entry in ranked[: plan.top]])

    # 3. the level: the most urgent of every reason, never below a red flag
    candidates: list[_Candidate] = [*hit_candidates, *open_candidates]
    floors = truth.floors
    if floors:
        candidates += remembered(plan.seen_floors, floors, _floors_part, plan, floors)
    leading = [c.cause for c in causes if c.strength != "less_likely"]
    if leading:
        strong = [c.cause for c in causes[1:] if c.strength == "strong"]
        candidates += [(plan.cause_levels[i], "cause", i) for i in [leading[0], *strong]]
    elif not candidates:
        candidates.append((plan.no_cause, "none", 0))
    level = max(candidates)[0]
    basis = tuple([(kind, i) for lvl, kind, i in candidates if lvl == level])

    # 4. acupuncture, gated by everything above
    answers = truth.answers
    unscreened = tuple([q for q in plan.screening if answers.get(q, "unsure") == "unsure"])
    if level >= _URGENT or hits or (open_flags and plan.flag_levels[open_flags[0]] >= _URGENT):
        suitability = "not_now"  # (open flags come most urgent first)
    elif open_flags:
        suitability = "caution"
    else:
        suitability = "suitable"
    if truth.suitability:
        for i, not_now in enumerate(plan.not_now_rules):
            if truth.suitability >> i & 1:
                if not_now:
                    suitability = "not_now"
                elif suitability == "suitable":
                    suitability = "caution"
    if unscreened and suitability == "suitable":
        suitability = "caution"
    return Decision(
        truth,
        hits,
        open_flags,
        causes,
        _LEVELS[level],
        basis,
        suitability,
        unscreened,
    )


def _shown(plan: _Plan, index: int, held: int) -> tuple[float, int, RankedCause] | None:
    """A cause's entry in the ranking from the features that hold, or None when it is not shown."""
    total, pro, con = _tally(plan, index, held)
    if total < plan.show or not pro:
        return None
    strength = "strong" if total >= plan.strong else "possible" if total >= plan.possible else "less_likely"
    return (-total, index, RankedCause(index, total, strength, pro, con))


def compute_score(score: Score, answers: Answers, lang: str = "en") -> ScoreResult:
    """One score on its own, walked as written (the interview and rule tools use this)."""
    return score_result(score, walk_score(score, answers), answers, lang)


def score_result(score: Score, facts: ScoreFacts, answers: Answers, lang: str) -> ScoreResult:
    """A score's facts in words, with the questions it counted and those it still lacks."""
    counted: set[str] = set()
    missing: set[str] = set()
    items = []
    for item, present, proxy in zip(score.items, facts.present, facts.proxy, strict=True):
        if present is True:
            source = item.proxy if proxy and item.proxy is not None else item.when
            counted.update(q for q in questions_in(source) if q in answers)
        elif present is None and not item.judgement:
            missing.update(q for q in questions_in(item.when) if q not in answers)
        items.append(ItemResult(item.id, pick(item.text, lang), item.points, present, proxy))
    band = score.band_for(facts.points) if facts.band else None
    return ScoreResult(
        id=score.id,
        title=pick(score.title, lang),
        variant=pick(score.variant, lang),
        applicable=facts.applicable,
        points=facts.points,
        points_max=facts.points_max,
        band=facts.band,
        band_text=pick(band.text, lang) if band else "",
        complete=facts.complete,
        items=tuple(items),
        counted_questions=frozenset(counted),
        missing_questions=frozenset(missing),
    )


def assess(
    rules: RuleSet,
    answers: Answers,
    *,
    region: str | None = None,
    audience: Audience = Audience.LAY,
    lang: str = "en",
    detail: bool = True,
) -> Assessment:
    """Assess one answer set. ``answers`` must already be validated (see :mod:`answers`).

    ``detail=False`` (the interview's look-ahead) makes exactly the same
    decisions but skips the explanations: which answers raised each flag, the
    reasons for and against each cause, the referral text and the warnings.
    """
    region_id = region or rules.default_region
    decision = decide(rules, answers)
    truth = decision.truth
    effective = truth.answers
    scores = {s.id: f for s, f in zip(rules.scores, truth.scores, strict=True)}
    results = [score_result(s, f, effective, lang) for s, f in zip(rules.scores, truth.scores, strict=True)]
    score_questions = {r.id: (set(r.counted_questions), set(r.missing_questions)) for r in results}

    hits: list[RedFlagHit] = []
    for index, level in decision.hits:
        flag = rules.red_flags[index]
        because = explain(flag.when, effective, scores, score_questions)[1] if detail else []
        raised = []
        running = flag.level
        for escalation, (bit, _) in zip(flag.escalations, _plan(rules).escalation_bits[index], strict=True):
            if truth.escalations & bit and escalation.level > running:
                running = escalation.level
                raised.append(pick(escalation.reason, lang))
        hits.append(
            RedFlagHit(
                id=flag.id,
                level=level,
                title=pick(flag.title, lang),
                because=tuple(because),
                action=pick(flag.action, lang),
                explain=pick(flag.explain, lang),
                escalated_because=tuple(raised),
                references=flag.references,
            )
        )
    open_flags = []
    for index in decision.open:
        flag = rules.red_flags[index]
        missing = explain(flag.when, effective, scores, score_questions)[2] if detail else []
        open_flags.append(NotExcluded(flag.id, flag.level, pick(flag.title, lang), tuple(missing)))

    causes = []
    for ranked in decision.causes:
        cause = rules.causes[ranked.cause]
        reasons: dict[int, Reason] = {}
        for position in ranked.pro + ranked.con:
            feature = cause.features[position]
            if detail:
                because = explain(feature.when, effective, scores, score_questions)[1]
                reasons[position] = Reason(
                    feature.id, pick(feature.text, lang), feature.weight, feature.lr, tuple(because)
                )
            else:
                reasons[position] = _BARE
        causes.append(
            CauseResult(
                id=cause.id,
                name=pick(cause.lay_name if audience is Audience.LAY else cause.name, lang),
                strength=ranked.strength,
                score=round(ranked.total, 2),
                level=cause.level,
                reasons_for=tuple(reasons[p] for p in ranked.pro),
                reasons_against=tuple(reasons[p] for p in ranked.con),
                advice=pick(cause.advice, lang),
            )
        )

    level = decision.level
    basis: list[str] = []
    for kind, index in decision.basis:
        if kind == "flag":
            basis.append(pick(rules.red_flags[index].title, lang))
        elif kind == "open":
            title = pick(rules.red_flags[index].title, lang)
            basis.append(rules.message("not_excluded_reason", lang).format(title=title))
        elif kind == "floor":
            basis.append(pick(rules.floors[index].reason, lang))
        elif kind == "cause":
            cause = rules.causes[index]
            basis.append(pick(cause.lay_name if audience is Audience.LAY else cause.name, lang))
        else:
            basis.append(rules.message("no_causes", lang))

    region_obj = rules.regions[region_id]
    disposition = rules.dispositions[level]
    override = disposition.by_region.get(region_id, {})
    fill = {
        "emergency": region_obj.emergency,
        "advice": region_obj.advice or region_obj.emergency,
        "advice_name": pick(region_obj.advice_name, lang) if region_obj.advice_name else "",
    }
    action_text = override.get("action") or (
        disposition.action_no_advice
        if region_obj.advice is None and disposition.action_no_advice
        else disposition.action
    )
    triage = Triage(
        level=level,
        headline=pick(override.get("headline") or disposition.headline, lang).format(**fill),
        action=pick(action_text, lang).format(**fill),
        call=region_obj.emergency,
        advice_line=region_obj.advice,
        timeframe=pick(override.get("timeframe") or disposition.timeframe, lang).format(**fill),
        safety_net=pick(disposition.safety_net, lang).format(**fill),
        reasons=tuple(dict.fromkeys(basis)),
    )

    acupuncture = acupuncture_for(rules, decision, tuple(causes), hits, open_flags, lang)
    if detail:
        referral = referral_for(rules, triage, disposition.referral_to, hits, open_flags, tuple(causes), lang)
        warnings = warnings_for(rules, effective, results, lang)
    else:
        referral = Referral("", "", "")
        warnings = [rules.message("warn_disabled", lang).format(id=i, reason=r) for i, r in rules.disabled]
    disclaimer = rules.message("disclaimer", lang)
    if audience is Audience.PRACTITIONER:
        disclaimer += " " + rules.message("practitioner_note", lang)
    unanswered = tuple(
        q.id for q in rules.questions.values() if audience in q.audiences and q.id not in effective
    )
    return Assessment(
        tool_version=__version__,
        rules_version=rules.version,
        rules_digest=rules.digest,
        region=region_id,
        audience=audience,
        lang=lang,
        triage=triage,
        red_flags=tuple(hits),
        not_excluded=tuple(open_flags),
        scores=tuple(results),
        likely_causes=tuple(causes),
        acupuncture=acupuncture,
        referral=referral,
        answers=dict(answers),
        unanswered=unanswered,
        warnings=tuple(warnings),
        disclaimer=disclaimer,
    )


def acupuncture_for(
    rules: RuleSet,
    decision: Decision,
    causes: tuple[CauseResult, ...],
    hits: list[RedFlagHit],
    open_flags: list[NotExcluded],
    lang: str,
) -> AcupunctureResult:
    """The suitability :func:`decide` reached, with its reasons, points and evidence in words."""
    acu = rules.acupuncture
    top_ids = {c.id for c in causes[:3]}
    evidence = tuple(
        EvidenceResult(e.id, e.position, pick(e.claim, lang), e.source)
        for e in acu.evidence
        if not e.causes or top_ids.intersection(e.causes)
    )
    reasons: list[str] = []
    not_excluded = [rules.message("not_excluded_reason", lang).format(title=f.title) for f in open_flags]
    if decision.level >= Level.URGENT or hits or any(f.level >= Level.URGENT for f in open_flags):
        reasons.append(pick(acu.not_now_text, lang))
        reasons.extend(h.title for h in hits)
        reasons.extend(not_excluded)
    elif open_flags:
        reasons.extend(not_excluded)
    for i, rule in enumerate(acu.suitability):
        if decision.truth.suitability >> i & 1:
            reasons.append(pick(rule.reason, lang))
    if decision.unscreened:
        names = ", ".join(pick(rules.questions[q].clinical, lang) for q in decision.unscreened)
        reasons.append(pick(acu.unscreened_text, lang).format(items=names))
    points: tuple[PointResult, ...] = ()
    if decision.suitability != "not_now":
        points = tuple(
            PointResult(
                p.code,
                p.name,
                p.hanzi,
                p.ja_reading,
                pick(p.location, lang),
                pick(p.indications, lang),
                pick(p.caution, lang),
                p.figure,
                pick(p.figure.avoid[2], lang) if p.figure is not None and p.figure.avoid else "",
            )
            for p in acu.points
            if top_ids.intersection(p.causes)
        )
    return AcupunctureResult(
        decision.suitability, tuple(dict.fromkeys(reasons)), points, evidence, decision.unscreened
    )


def referral_for(
    rules: RuleSet,
    triage: Triage,
    referral_to: dict[str, str],
    hits: list[RedFlagHit],
    open_flags: list[NotExcluded],
    causes: tuple[CauseResult, ...],
    lang: str,
) -> Referral:
    parts = [
        rules.message("referral_intro", lang).format(level=rules.message(f"level_{triage.level.id}", lang))
    ]
    if hits:
        parts.append(rules.message("heading_red_flags", lang) + ": " + "; ".join(h.title for h in hits) + ".")
    if open_flags:
        parts.append(
            rules.message("heading_not_excluded", lang) + ": " + "; ".join(f.title for f in open_flags) + "."
        )
    if causes:
        parts.append(
            rules.message("heading_causes", lang) + ": " + "; ".join(c.name for c in causes[:3]) + "."
        )
    return Referral(to=pick(referral_to, lang), urgency=triage.timeframe, text=" ".join(parts))


def warnings_for(rules: RuleSet, answers: Answers, scores: list[ScoreResult], lang: str) -> list[str]:
    warnings: list[str] = [
        rules.message("warn_disabled", lang).format(id=flag_id, reason=reason)
        for flag_id, reason in rules.disabled
    ]
    for result in scores:
        proxies = [i.text for i in result.items if i.proxy and i.present is True]
        if proxies:
            warnings.append(
                rules.message("warn_proxy", lang).format(score=result.title, items="; ".join(proxies))
            )
    age = answers.get("age")
    if isinstance(age, (int, float)) and age < 16:
        warnings.append(rules.message("warn_child", lang))
    if answers.get("pregnant") == "yes":
        warnings.append(rules.message("warn_pregnancy", lang))
    ottawa = next((r for r in scores if r.id == "ottawa_knee"), None)
    duration = answers.get("duration_days")
    if (
        ottawa is not None
        and ottawa.applicable is True
        and isinstance(duration, (int, float))
        and duration > 7
    ):
        warnings.append(rules.message("warn_ottawa_window", lang))
    return warnings
