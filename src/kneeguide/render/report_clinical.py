"""The practitioner's report: the same decisions as the lay report, in clinical third person.

A practitioner at intake wants, in this order: the triage level and the suggested
referral, the findings, each red flag with the answers that raised it, which red
flags are not yet excluded and what is still to ask, the scores item by item where
they apply, the differential, and whether needling can go ahead. The patient-facing
action and safety-netting are given as what to tell the patient.
"""

from __future__ import annotations

from kneeguide.engine import Assessment
from kneeguide.ids import Level
from kneeguide.render.common import answer_text, clinical, point_label, typography
from kneeguide.render.sections import (
    Line,
    Report,
    Section,
    acupuncture_details,
    call_line,
    causes_section,
    ending,
    flags_section,
    not_excluded_section,
    referral_section,
    rules_changed_section,
    scores_section,
)
from kneeguide.ruleset.model import RuleSet

#: Answers that describe the patient and the pain rather than a finding present or absent.
_HISTORY = ("age", "sex", "side", "duration_days", "onset", "pain_score")


def build_clinical(a: Assessment, rules: RuleSet, *, details: bool = False) -> Report:
    """The practitioner's report of ``a``; ``details`` adds every answer, the point anatomy,
    the evidence and the referral text."""

    def m(key: str) -> str:
        return rules.message(key, a.lang)

    ty = typography(rules, a.lang)
    t = a.triage
    head = [
        Line(_referral(a, rules), style="strong"),
    ]
    if t.reasons:
        head.append(Line(ty.label(m("label_basis"), ty.phrases(t.reasons))))
    head.append(Line(call_line(a, rules)))
    title = ty.label(m("heading_triage"), m(f"level_clinical_{t.level.id}"))
    sections = [Section(title, tuple(head), "level")]
    sections.append(rules_changed_section(a, rules, details))
    sections.append(_findings(a, rules, details))
    sections.append(flags_section(a, rules, clinical=True, details=details))
    if a.not_excluded:
        sections.append(not_excluded_section(a, rules)._replace(title=m("heading_not_excluded_clinical")))
    sections.append(scores_section(a, rules, items=True))
    sections.append(causes_section(a, rules, details)._replace(title=m("heading_causes_clinical")))
    sections.append(_needling(a, rules, details))
    if details:
        sections.append(referral_section(a, rules))
        sections.append(Section(m("heading_patient_advice"), (Line(t.action),)))
    end = ending(a, rules, details, m("label_safety_net_patient"))
    sections += [end[0]._replace(title=m("heading_warnings_clinical")), *end[1:]]
    last = sections[-1]
    sections[-1] = last._replace(lines=(Line(_referral(a, rules), mark="»", style="rule"),))
    return Report(t.level, tuple(s for s in sections if s.lines))


def _referral(a: Assessment, rules: RuleSet) -> str:
    """Where to refer and how soon: the report's first line and its last."""
    t = a.triage
    ty = typography(rules, a.lang)
    where = ty.paren(a.referral.to or t.headline, t.timeframe)
    return ty.label(rules.message("label_referral_to", a.lang), where)


def _findings(a: Assessment, rules: RuleSet, details: bool) -> Section:
    """The history in one line, then what is present, what the patient was unsure of, and
    (under ``details``) what is absent: pertinent negatives belong in the record."""

    def m(key: str) -> str:
        return rules.message(key, a.lang)

    ty = typography(rules, a.lang)
    lines: list[Line] = []

    def answered(q: str) -> str:
        return ty.label(clinical(rules, q, a.lang), answer_text(a, rules, q))

    history = [answered(q) for q in _HISTORY if q in a.answers]
    if history:
        lines.append(Line(ty.phrases(history)))
    rest = [q for q in a.answers if q not in _HISTORY]
    groups = (("label_present", "yes"), ("label_unsure", "unsure"), ("label_absent", "no"))
    for label, value in groups:
        if value == "no" and not details:
            continue
        names = [clinical(rules, q, a.lang) for q in rest if a.answers[q] == value]
        if names:
            lines.append(Line(ty.label(m(label), ty.phrases(names))))
    others = [q for q in rest if a.answers[q] not in ("yes", "no", "unsure")]
    if others:
        lines.append(Line(ty.phrases(answered(q) for q in others)))
    if not details:
        absent = sum(1 for q in rest if a.answers[q] == "no")
        if absent:
            lines.append(Line(m("absent_count").format(n=absent), style="dim"))
    return Section(m("heading_findings"), tuple(lines))


def _needling(a: Assessment, rules: RuleSet, details: bool) -> Section:
    """Whether needling can go ahead and on what grounds, then the cautions to heed (each
    suitability rule's, what is unscreened, and every point's anatomy: safety text, never
    left to the details)."""

    def m(key: str) -> str:
        return rules.message(key, a.lang)

    ty = typography(rules, a.lang)
    acu = a.acupuncture
    lines = [Line(ty.label(m("label_suitability"), m(f"suitability_{acu.suitability}")), style="strong")]
    grounds = [h.title for h in a.red_flags] if acu.suitability == "not_now" else []
    if a.triage.level >= Level.URGENT and not grounds:
        grounds = list(a.triage.reasons)
    if grounds:
        lines.append(Line(ty.label(m("label_basis"), ty.phrases(grounds)), depth=1))
    lines += [Line(c, mark="•", depth=1) for c in acu.cautions]
    if details:
        lines += acupuncture_details(a, rules)
    else:
        lines += [
            Line(ty.label(point_label(p, rules, a.lang, short=True), p.caution), mark="•", depth=1)
            for p in acu.points
        ]
    return Section(m("heading_needling"), tuple(lines))
