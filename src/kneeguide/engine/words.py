"""The assessment in words: a :class:`~decision.Decision` dressed in the rule set's text.

Nothing is decided here. Each decision is looked up by position and given its
title, reasons and advice in one language, and, unless ``detail`` is off, the
answers it rests on (``conditions.grounds``, on the same answers the decision read).
"""

from __future__ import annotations

from kneeguide.engine.advice import (
    STANDING_KINDS,
    acupuncture_for,
    referral_for,
    standing_of,
    warning_text,
    warning_texts,
    warnings_of,
)
from kneeguide.engine.announced import rules_used
from kneeguide.engine.assessment import (
    Assessment,
    CauseResult,
    NotExcluded,
    Reason,
    RedFlagHit,
    Referral,
    Triage,
)
from kneeguide.engine.decision import Decision, decide
from kneeguide.engine.plan import plan
from kneeguide.engine.scores import score_result
from kneeguide.evaluate.conditions import Scores, grounds
from kneeguide.ids import Audience
from kneeguide.ruleset.model import Answers, Cause, RuleSet, pick
from kneeguide.version import __version__

_BARE = Reason("", "", 0.0, None, ())  # a counted feature whose explanation was not asked for
_Grounds = tuple[Answers, Scores, dict[str, tuple[set[str], set[str]]]]  # what grounds() reads


def assessment_of(
    rules: RuleSet,
    answers: Answers,
    *,
    region: str | None = None,
    audience: Audience = Audience.LAY,
    lang: str = "en",
    detail: bool = True,
) -> Assessment:
    """The assessment of one answer set, which must already be validated (see :mod:`answers`).

    ``region`` defaults to the rule set's. ``detail=False`` (the interview's
    look-ahead) makes exactly the same decisions but skips the explanations:
    which answers raised each flag, the reasons for and against each cause, the
    referral text and the warnings other than those about the rule set itself, which
    every assessment carries (``announced``).
    """
    decision = decide(rules, answers)
    return in_words(rules, decision, answers, region or rules.default_region, audience, lang, detail)


def in_words(
    rules: RuleSet,
    decision: Decision,
    given: Answers,
    region_id: str,
    audience: Audience,
    lang: str,
    detail: bool,
) -> Assessment:
    """``decision`` (about the answers ``given``) as an :class:`Assessment` in ``lang``."""
    truth = decision.truth
    effective = truth.answers
    scores = {s.id: f for s, f in zip(rules.scores, truth.scores, strict=True)}
    results = [
        score_result(s, f, effective, lang, audience) for s, f in zip(rules.scores, truth.scores, strict=True)
    ]
    read: _Grounds = (
        effective,
        scores,
        {r.id: (set(r.counted_questions), set(r.missing_questions)) for r in results},
    )
    hits = _hits(rules, decision, read, lang, detail)
    open_flags = []
    for index in decision.open:
        flag = rules.red_flags[index]
        missing = grounds(flag.when, *read).missing if detail else []
        open_flags.append(NotExcluded(flag.id, flag.level, pick(flag.title, lang), tuple(missing)))
    causes = _causes(rules, decision, read, audience, lang, detail)
    disposition = rules.dispositions[decision.level]
    triage = _triage(rules, decision, region_id, audience, lang)
    acupuncture = acupuncture_for(rules, decision, causes, hits, open_flags, lang)
    if detail:
        referral = referral_for(rules, triage, disposition.referral_to, hits, open_flags, causes, lang)
        warned = warnings_of(rules, effective, truth.scores)
    else:
        referral = Referral("", "", "")
        warned = list(standing_of(rules))
    warnings = warning_texts(rules, warned, lang, lay=detail and audience is Audience.LAY)
    # what is said at the top about the rule set itself: a switched-off red flag these
    # answers would raise says so there too
    announced = [warning_text(rules, w, lang) for w in warned if w.kind in STANDING_KINDS]
    # the same warnings by id, as batch records name them (and the notice of a language
    # still being translated, which warning_texts puts first)
    warning_ids = [f"untranslated:{lang}"] if lang in rules.incomplete else []
    warning_ids += [w.id for w in warned]
    disclaimer = rules.message("disclaimer", lang)
    if audience is Audience.PRACTITIONER:  # one sentence after another, spaced as ``lang`` spaces them
        disclaimer = rules.message("sentences", lang).format(
            first=disclaimer, second=rules.message("practitioner_note", lang)
        )
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
        likely_causes=causes,
        acupuncture=acupuncture,
        referral=referral,
        answers=dict(given),
        unanswered=unanswered,
        warnings=tuple(warnings),
        warning_ids=tuple(warning_ids),
        disclaimer=disclaimer,
        rule_set=rules_used(rules),
        announced=tuple(announced),
    )


def _hits(rules: RuleSet, decision: Decision, read: _Grounds, lang: str, detail: bool) -> list[RedFlagHit]:
    """The red flags that fired, with the answers that raised them and what escalated them."""
    hits: list[RedFlagHit] = []
    for index, level in decision.hits:
        flag = rules.red_flags[index]
        because = grounds(flag.when, *read).because if detail else []
        raised = []
        running = flag.level
        action = flag.action  # the flag's own, unless an escalation that raised it says what to do then
        for escalation, (bit, _) in zip(flag.escalations, plan(rules).escalation_bits[index], strict=True):
            if decision.truth.escalations & bit and escalation.level > running:
                running = escalation.level
                raised.append(pick(escalation.reason, lang))
                action = escalation.action or action
        hits.append(
            RedFlagHit(
                id=flag.id,
                level=level,
                title=pick(flag.title, lang),
                because=tuple(because),
                action=pick(action, lang),
                explain=pick(flag.explain, lang),
                escalated_because=tuple(raised),
                references=flag.references,
            )
        )
    return hits


def _causes(
    rules: RuleSet, decision: Decision, read: _Grounds, audience: Audience, lang: str, detail: bool
) -> tuple[CauseResult, ...]:
    """The ranked causes, each with its reasons for and against."""
    causes = []
    for ranked in decision.causes:
        cause = rules.causes[ranked.cause]
        reasons: dict[int, Reason] = {}
        for position in ranked.pro + ranked.con:
            feature = cause.features[position]
            if detail:
                because = grounds(feature.when, *read).because
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
                advice=_advice(rules, cause, decision, read, lang) if detail else pick(cause.advice, lang),
            )
        )
    return tuple(causes)


def _advice(rules: RuleSet, cause: Cause, decision: Decision, read: _Grounds, lang: str) -> str:
    """The advice that fits this story: the first ``advice_if`` variant whose condition
    holds, else ``advice``; then when to see whom (``seek_care``) where the triage reached
    the cause's own level. Elsewhere the triage's action says when, differently: "book a
    routine visit" under a blood clot's "today" would contradict it, and so would "within a
    few days" under a level that the other answers kept routine."""
    answers, scores, _ = read
    fits = (v.advice for v in cause.advice_if if v.when.evaluate(answers, scores) is True)
    text = pick(next(fits, cause.advice), lang)
    if cause.seek_care is None or cause.level != decision.level:
        return text
    # sentences are spaced in English, not in Japanese
    return rules.message("sentences", lang).format(first=text, second=pick(cause.seek_care, lang))


def _triage(rules: RuleSet, decision: Decision, region_id: str, audience: Audience, lang: str) -> Triage:
    """The level in words: headline, action, whom to call, how soon, and every reason that set it.

    A cause that is also a red flag raised (``dvt``, ``septic_arthritis``...) is not given
    again as a reason: the flag already says it, in words meant for the danger."""
    basis: list[str] = []
    raised = {rules.red_flags[index].id for kind, index in decision.basis if kind == "flag"}
    for kind, index in decision.basis:
        if kind == "cause" and rules.causes[index].id in raised:
            continue
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
    region = rules.regions[region_id]
    disposition = rules.dispositions[decision.level]
    override = disposition.by_region.get(region_id, {})
    fill = {
        "emergency": region.emergency,
        "advice": region.advice or region.emergency,
        "advice_name": pick(region.advice_name, lang) if region.advice_name else "",
    }
    action_text = override.get("action") or (
        disposition.action_no_advice
        if region.advice is None and disposition.action_no_advice
        else disposition.action
    )
    return Triage(
        level=decision.level,
        headline=pick(override.get("headline") or disposition.headline, lang).format(**fill),
        action=pick(action_text, lang).format(**fill),
        call=region.emergency,
        advice_line=region.advice,
        timeframe=pick(override.get("timeframe") or disposition.timeframe, lang).format(**fill),
        safety_net=pick(disposition.safety_net, lang).format(**fill),
        reasons=tuple(dict.fromkeys(basis)),
    )
