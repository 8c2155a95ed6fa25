"""The advice that closes an assessment: acupuncture, the referral letter's text and the warnings."""

from __future__ import annotations

from kneeguide.engine.assessment import (
    AcupunctureResult,
    CauseResult,
    EvidenceResult,
    NotExcluded,
    PointResult,
    RedFlagHit,
    Referral,
    ScoreResult,
    Triage,
)
from kneeguide.engine.decision import Decision
from kneeguide.ids import Level
from kneeguide.ruleset.model import Answers, RuleSet, pick


def acupuncture_for(
    rules: RuleSet,
    decision: Decision,
    causes: tuple[CauseResult, ...],
    hits: list[RedFlagHit],
    open_flags: list[NotExcluded],
    lang: str,
) -> AcupunctureResult:
    """The suitability the decision reached, with its reasons, points and evidence in words."""
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
    """Whom to see and how soon, and a short text naming the flags and leading causes."""
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
    """Disabled red flags, items taken from lay stand-ins, and answers the rules were not made for."""
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
