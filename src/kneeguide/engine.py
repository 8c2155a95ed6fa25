"""Answers → assessment. Pure, deterministic, no I/O.

The order of work is the safety order of the clinical reference (§8): scores,
then red flags (which set a floor no cause can lower), then what is still not
excluded, then the cause ranking, and only then acupuncture, which is gated by
everything before it. Every level the engine reaches comes with the reasons
that raised it, so a practitioner can check the basis of each decision.
"""

from __future__ import annotations

from collections.abc import Mapping

from . import __version__
from .conditions import Tri, explain, questions_in
from .model import (
    AcupunctureResult,
    Answers,
    Assessment,
    Audience,
    Cause,
    CauseResult,
    EvidenceResult,
    ItemResult,
    Level,
    NotExcluded,
    PointResult,
    Reason,
    RedFlagHit,
    Referral,
    RuleSet,
    Score,
    ScoreResult,
    Triage,
    pick,
)

_NO_SCORES: Mapping[str, ScoreResult] = {}
_BARE = Reason("", "", 0.0, None, ())  # a counted feature whose explanation was not asked for


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


def compute_score(score: Score, answers: Answers, lang: str = "en") -> ScoreResult:
    """Points as an interval: counted items, and the most the unknown ones could add."""
    applicable: Tri = True
    if score.applies_if is not None:
        applicable = score.applies_if.evaluate(answers, _NO_SCORES)
    points = 0.0
    points_max = 0.0
    complete = True
    items = []
    counted: set[str] = set()
    missing: set[str] = set()
    for item in score.items:
        present = item.when.evaluate(answers, _NO_SCORES)
        proxy = False
        if present is None and item.proxy is not None:
            stand_in = item.proxy.evaluate(answers, _NO_SCORES)
            if stand_in is not None:
                present, proxy = stand_in, True
        source = item.proxy if proxy and item.proxy is not None else item.when
        if present is True:
            points += item.points
            points_max += item.points
            counted.update(q for q in questions_in(source) if q in answers)
        elif present is None:
            if item.judgement:
                pass  # a clinician's judgement is never inferred: unknown counts nothing
            else:
                complete = False
                if item.points > 0:
                    points_max += item.points
                else:
                    points += item.points
                missing.update(q for q in questions_in(item.when) if q not in answers)
        items.append(ItemResult(item.id, pick(item.text, lang), item.points, present, proxy))
    band_low = score.band_for(points)
    band_high = score.band_for(points_max)
    band = band_low.id if band_low.id == band_high.id and applicable is not False else None
    return ScoreResult(
        id=score.id,
        title=pick(score.title, lang),
        variant=pick(score.variant, lang),
        applicable=applicable,
        points=points,
        points_max=points_max,
        band=band,
        band_text=pick(band_low.text, lang) if band else "",
        complete=complete,
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

    ``detail=False`` (batch summaries) makes exactly the same decisions but skips
    the explanations: which answers raised each flag, the reasons for and against
    each cause, the referral text and the warnings.
    """
    region_id = region or rules.default_region
    given = answers
    answers = with_implied(rules, given)
    scores = {s.id: compute_score(s, answers, lang) for s in rules.scores}
    score_questions = {sid: (set(r.counted_questions), set(r.missing_questions)) for sid, r in scores.items()}

    # 1. red flags: fired, or not excluded while answers are missing
    hits: list[RedFlagHit] = []
    open_flags: list[NotExcluded] = []
    for order, flag in enumerate(rules.red_flags):
        if detail:
            value, because, missing = explain(flag.when, answers, scores, score_questions)
        else:
            value, because, missing = flag.when.evaluate(answers, scores), [], []
        if value is True:
            level = flag.level
            raised: list[str] = []
            for esc in flag.escalations:
                if esc.when.evaluate(answers, scores) is True and esc.level > level:
                    level = esc.level
                    raised.append(pick(esc.reason, lang))
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
        elif value is None:
            open_flags.append(NotExcluded(flag.id, flag.level, pick(flag.title, lang), tuple(missing)))
        del order
    hits.sort(key=lambda h: -h.level)
    open_flags.sort(key=lambda n: -n.level)

    # 2. causes, ranked by transparent weights
    causes = rank_causes(rules, answers, scores, score_questions, lang, detail, audience)

    # 3. the level: the most urgent of every reason, never below a red flag
    level, reasons = decide_level(rules, answers, scores, hits, open_flags, causes, lang)

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
        reasons=tuple(reasons),
    )

    acupuncture = acupuncture_for(rules, answers, scores, level, hits, open_flags, causes, lang)
    if detail:
        referral = referral_for(rules, triage, disposition.referral_to, hits, open_flags, causes, lang)
        warnings = warnings_for(rules, answers, scores, audience, lang)
    else:
        referral = Referral("", "", "")
        warnings = [rules.message("warn_disabled", lang).format(id=i, reason=r) for i, r in rules.disabled]
    disclaimer = rules.message("disclaimer", lang)
    if audience is Audience.PRACTITIONER:
        disclaimer += " " + rules.message("practitioner_note", lang)
    unanswered = tuple(
        q.id for q in rules.questions.values() if audience in q.audiences and q.id not in answers
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
        scores=tuple(scores.values()),
        likely_causes=causes,
        acupuncture=acupuncture,
        referral=referral,
        answers=dict(given),
        unanswered=unanswered,
        warnings=tuple(warnings),
        disclaimer=disclaimer,
    )


def rank_causes(
    rules: RuleSet,
    answers: Answers,
    scores: Mapping[str, ScoreResult],
    score_questions: Mapping[str, tuple[set[str], set[str]]],
    lang: str,
    detail: bool = True,
    audience: Audience = Audience.PRACTITIONER,
) -> tuple[CauseResult, ...]:
    ranked: list[tuple[float, int, Cause, list[Reason], list[Reason]]] = []
    for order, cause in enumerate(rules.causes):
        total = cause.prior
        pro: list[Reason] = []
        con: list[Reason] = []
        for feature in cause.features:
            if feature.when.evaluate(answers, scores) is not True:
                continue
            total += feature.weight
            if not detail:
                (pro if feature.weight > 0 else con).append(_BARE)
                continue
            _, because, _ = explain(feature.when, answers, scores, score_questions)
            reason = Reason(feature.id, pick(feature.text, lang), feature.weight, feature.lr, tuple(because))
            (pro if feature.weight > 0 else con).append(reason)
        if total >= rules.ranking.show and pro:
            ranked.append((total, order, cause, pro, con))
    ranked.sort(key=lambda r: (-r[0], r[1]))
    out = []
    for total, _, cause, pro, con in ranked[: rules.ranking.top]:
        if total >= rules.ranking.strong:
            strength = "strong"
        elif total >= rules.ranking.possible:
            strength = "possible"
        else:
            strength = "less_likely"
        out.append(
            CauseResult(
                id=cause.id,
                name=pick(cause.lay_name if audience is Audience.LAY else cause.name, lang),
                strength=strength,
                score=round(total, 2),
                level=cause.level,
                reasons_for=tuple(pro),
                reasons_against=tuple(con),
                advice=pick(cause.advice, lang),
            )
        )
    return tuple(out)


def decide_level(
    rules: RuleSet,
    answers: Answers,
    scores: Mapping[str, ScoreResult],
    hits: list[RedFlagHit],
    open_flags: list[NotExcluded],
    causes: tuple[CauseResult, ...],
    lang: str,
) -> tuple[Level, list[str]]:
    candidates: list[tuple[Level, str]] = []
    for hit in hits:
        candidates.append((hit.level, hit.title))
    for flag in open_flags:
        text = rules.message("not_excluded_reason", lang).format(title=flag.title)
        candidates.append((rules.not_excluded_level, text))
    for floor in rules.floors:
        if floor.when.evaluate(answers, scores) is True:
            candidates.append((floor.level, pick(floor.reason, lang)))
    leading = [c for c in causes if c.strength != "less_likely"]
    if leading:
        top = leading[0]
        candidates.append((top.level, top.name))
        candidates.extend((c.level, c.name) for c in leading[1:] if c.strength == "strong")
    if not leading and not candidates:
        candidates.append((rules.no_cause_level, rules.message("no_causes", lang)))
    level = max(level for level, _ in candidates) if candidates else rules.no_cause_level
    reasons = [text for lvl, text in candidates if lvl == level]
    return level, list(dict.fromkeys(reasons))


def acupuncture_for(
    rules: RuleSet,
    answers: Answers,
    scores: Mapping[str, ScoreResult],
    level: Level,
    hits: list[RedFlagHit],
    open_flags: list[NotExcluded],
    causes: tuple[CauseResult, ...],
    lang: str,
) -> AcupunctureResult:
    acu = rules.acupuncture
    top_ids = {c.id for c in causes[:3]}
    evidence = tuple(
        EvidenceResult(e.id, e.position, pick(e.claim, lang), e.source)
        for e in acu.evidence
        if not e.causes or top_ids.intersection(e.causes)
    )
    unscreened = tuple(q for q in acu.screening if q not in answers or answers[q] == "unsure")
    reasons: list[str] = []
    suitability = "suitable"
    if level >= Level.URGENT or hits or any(f.level >= Level.URGENT for f in open_flags):
        suitability = "not_now"
        reasons.append(pick(acu.not_now_text, lang))
        reasons.extend(h.title for h in hits)
        reasons.extend(rules.message("not_excluded_reason", lang).format(title=f.title) for f in open_flags)
    elif open_flags:
        suitability = "caution"
        reasons.extend(rules.message("not_excluded_reason", lang).format(title=f.title) for f in open_flags)
    for rule in acu.suitability:
        if rule.when.evaluate(answers, scores) is True:
            reasons.append(pick(rule.reason, lang))
            if rule.level == "not_now":
                suitability = "not_now"
            elif suitability == "suitable":
                suitability = "caution"
    if unscreened:
        if suitability == "suitable":
            suitability = "caution"
        names = ", ".join(pick(rules.questions[q].clinical, lang) for q in unscreened)
        reasons.append(pick(acu.unscreened_text, lang).format(items=names))
    points: tuple[PointResult, ...] = ()
    if suitability != "not_now":
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
    return AcupunctureResult(suitability, tuple(dict.fromkeys(reasons)), points, evidence, unscreened)


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


def warnings_for(
    rules: RuleSet,
    answers: Answers,
    scores: Mapping[str, ScoreResult],
    audience: Audience,
    lang: str,
) -> list[str]:
    warnings: list[str] = [
        rules.message("warn_disabled", lang).format(id=flag_id, reason=reason)
        for flag_id, reason in rules.disabled
    ]
    for result in scores.values():
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
    ottawa = scores.get("ottawa_knee")
    duration = answers.get("duration_days")
    if (
        ottawa is not None
        and ottawa.applicable is True
        and isinstance(duration, (int, float))
        and duration > 7
    ):
        warnings.append(rules.message("warn_ottawa_window", lang))
    del audience
    return warnings
