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
from kneeguide.render.common import answer_text, clinical, grounds_text
from kneeguide.render.sections import (
    Line,
    Report,
    Section,
    acupuncture_details,
    call_line,
    causes_section,
    ending,
    not_excluded_section,
    referral_section,
    scores_section,
)
from kneeguide.ruleset.model import RuleSet, pick

#: Answers that describe the patient and the pain rather than a finding present or absent.
_HISTORY = ("age", "sex", "side", "duration_days", "onset", "pain_score")


def build_clinical(a: Assessment, rules: RuleSet, *, details: bool = False) -> Report:
    """The practitioner's report of ``a``; ``details`` adds every answer, the point anatomy,
    the evidence and the referral text."""

    def m(key: str) -> str:
        return rules.message(key, a.lang)

    sep = m("cond_separator")
    t = a.triage
    head = [
        Line(f"{m('label_referral_to')}: {a.referral.to or t.headline} ({t.timeframe})", style="strong"),
    ]
    if t.reasons:
        head.append(Line(f"{m('label_basis')}: {sep.join(t.reasons)}"))
    head.append(Line(call_line(a, rules)))
    sections = [Section(f"{m('heading_triage')}: {m(f'level_clinical_{t.level.id}')}", tuple(head), "level")]
    sections.append(_findings(a, rules, details))
    sections.append(_flags(a, rules))
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
    sections[-1] = last._replace(lines=(Line(_summary(a, rules), mark="»", style="rule"),))
    return Report(t.level, tuple(s for s in sections if s.lines))


def _summary(a: Assessment, rules: RuleSet) -> str:
    t = a.triage
    return f"{rules.message('label_referral_to', a.lang)}: {a.referral.to or t.headline} ({t.timeframe})"


def _findings(a: Assessment, rules: RuleSet, details: bool) -> Section:
    """The history in one line, then what is present, what the patient was unsure of, and
    (under ``details``) what is absent: pertinent negatives belong in the record."""

    def m(key: str) -> str:
        return rules.message(key, a.lang)

    sep = m("cond_separator")
    lines: list[Line] = []
    history = [
        f"{clinical(rules, q, a.lang)}: {answer_text(a, rules, q)}" for q in _HISTORY if q in a.answers
    ]
    if history:
        lines.append(Line(sep.join(history)))
    rest = [q for q in a.answers if q not in _HISTORY]
    groups = (("label_present", "yes"), ("label_unsure", "unsure"), ("label_absent", "no"))
    for label, value in groups:
        if value == "no" and not details:
            continue
        names = [clinical(rules, q, a.lang) for q in rest if a.answers[q] == value]
        if names:
            lines.append(Line(f"{m(label)}: {sep.join(names)}"))
    others = [q for q in rest if a.answers[q] not in ("yes", "no", "unsure")]
    if others:
        lines.append(
            Line(sep.join(f"{clinical(rules, q, a.lang)}: {answer_text(a, rules, q)}" for q in others))
        )
    if not details:
        absent = sum(1 for q in rest if a.answers[q] == "no")
        if absent:
            lines.append(Line(m("absent_count").format(n=absent), style="dim"))
    return Section(m("heading_findings"), tuple(lines))


def _flags(a: Assessment, rules: RuleSet) -> Section:
    def m(key: str) -> str:
        return rules.message(key, a.lang)

    if not a.red_flags:
        return Section(m("heading_red_flags_clinical"), (Line(m("no_red_flags_clinical")),))
    lines: list[Line] = []
    for h in a.red_flags:
        lines.append(Line(f"{h.title} [{m(f'level_clinical_{h.level.id}')}]", style="flag"))
        because = grounds_text(a, rules, h.because)
        if because:
            lines.append(Line(f"{m('label_raised_by')}: {because}", depth=1))
        lines += [Line(reason, depth=1, style="strong") for reason in h.escalated_because]
    return Section(m("heading_red_flags_clinical"), tuple(lines), "red")


def _needling(a: Assessment, rules: RuleSet, details: bool) -> Section:
    """Whether needling can go ahead, on what grounds, and which contraindications are unscreened."""

    def m(key: str) -> str:
        return rules.message(key, a.lang)

    acu = a.acupuncture
    sep = m("cond_separator")
    lines = [Line(f"{m('label_suitability')}: {m(f'suitability_{acu.suitability}')}", style="strong")]
    grounds = [h.title for h in a.red_flags if acu.suitability == "not_now"]
    if a.triage.level >= Level.URGENT and not grounds:
        grounds = list(a.triage.reasons)
    if grounds:
        lines.append(Line(f"{m('label_basis')}: {sep.join(grounds)}", depth=1))
    if acu.unscreened:
        names = sep.join(clinical(rules, q, a.lang) for q in acu.unscreened)
        lines.append(Line(f"{m('label_unscreened')}: {names}", depth=1))
    if details:
        lines += [Line(r, mark="•", depth=1) for r in acu.reasons]
        lines += acupuncture_details(a, rules)
    else:  # the cautions of suitability and of each point's anatomy are safety text
        patient = {
            pick(rules.acupuncture.not_now_text, a.lang),
            pick(rules.acupuncture.suitable_text, a.lang),
        }
        said = {rules.message("not_excluded_reason", a.lang).format(title=n.title) for n in a.not_excluded}
        said |= {h.title for h in a.red_flags}
        unscreened = pick(rules.acupuncture.unscreened_text, a.lang).split("{", 1)[0]
        lines += [
            Line(r, mark="•", depth=1)
            for r in acu.reasons
            if r not in patient | said and not (unscreened and r.startswith(unscreened))
        ]
        lines += [Line(f"{p.code}: {p.caution}", mark="•", depth=1) for p in acu.points]
    return Section(m("heading_needling"), tuple(lines))
