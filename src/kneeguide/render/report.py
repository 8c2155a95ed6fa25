"""The report as a document: which sections, in which order, for whom.

One model behind the terminal text and the Markdown report, so the two never
disagree about what a reader is told. A report leads with the action and ends
with it: the level, what to do, by when and whom to call first, then the
warning signs and the likely causes with their reasons, then acupuncture in a
sentence or two, then what to watch for, and last the same action in one line.
Scores in full, the evidence on acupuncture, point anatomy, the referral text
and (for practitioners) every answer are details: shown with ``details``.

Practitioners read the same decisions in clinical third person
(:mod:`kneeguide.render.report_clinical`); everything here is the lay report.
"""

from __future__ import annotations

from kneeguide.engine import Assessment
from kneeguide.ids import Audience
from kneeguide.render.common import headline_apart, score_line, typography
from kneeguide.render.sections import (
    Line,
    Report,
    Section,
    acupuncture_details,
    answers_section,
    call_line,
    causes_section,
    ending,
    flags_section,
    not_excluded_section,
    referral_section,
    rules_changed_section,
    scores_section,
    unsaid_reasons,
)
from kneeguide.ruleset.model import RuleSet

#: Lay reports name this many not-excluded warning signs unless ``details``.
SHORT_NOT_EXCLUDED = 3


def build(a: Assessment, rules: RuleSet, *, details: bool = False) -> Report:
    """The report of ``a`` for its audience; ``details`` adds what the short report leaves out."""
    if a.audience is Audience.PRACTITIONER:
        from kneeguide.render.report_clinical import build_clinical

        return build_clinical(a, rules, details=details)
    return Report(a.triage.level, tuple(s for s in _lay(a, rules, details) if s.lines))


def _lay(a: Assessment, rules: RuleSet, details: bool) -> list[Section]:
    def m(key: str) -> str:
        return rules.message(key, a.lang)

    ty = typography(rules, a.lang)
    t = a.triage
    head: list[Line] = []
    if headline_apart(t):
        head.append(Line(t.headline, style="rule"))
    head.append(Line(t.action, style="strong"))
    head.append(Line(ty.label(m("label_by_when"), t.timeframe)))
    why = unsaid_reasons(a, rules)
    if why:  # what set the level, where the sections below do not say it: a floor, a cause
        head.append(Line(ty.label(m("label_why"), ty.phrases(why))))
    head.append(Line(call_line(a, rules), style="strong"))
    sections = [Section(ty.label(m("heading_level"), m(f"level_{t.level.id}")), tuple(head), "level")]
    sections.append(rules_changed_section(a, rules, details))
    sections.append(flags_section(a, rules, clinical=False, details=details))
    sections.append(_not_excluded(a, rules, details))
    if details:
        sections.append(scores_section(a, rules, items=True))
    else:
        sections.append(_decided_scores(a, rules))
    sections.append(causes_section(a, rules, details))
    sections.append(_acupuncture(a, rules, details))
    if details:
        sections += [referral_section(a, rules), answers_section(a, rules)]
    sections += ending(a, rules, details, m("label_safety_net"))
    return sections


def _not_excluded(a: Assessment, rules: RuleSet, details: bool) -> Section:
    def m(key: str) -> str:
        return rules.message(key, a.lang)

    if not a.not_excluded:
        return Section("", ())
    if details:
        return not_excluded_section(a, rules)
    shown = a.not_excluded[:SHORT_NOT_EXCLUDED]
    lines = [Line(n.title, mark="•") for n in shown]
    rest = len(a.not_excluded) - len(shown)
    if rest:
        lines.append(Line(m("not_excluded_more").format(n=rest), mark="•"))
    lines.append(Line(m("not_excluded_why")))
    return Section(m("heading_not_excluded"), tuple(lines), "yellow")


def _decided_scores(a: Assessment, rules: RuleSet) -> Section:
    """A lay reader is shown a score only where it applies and its band is decided."""
    lines = [
        Line(score_line(s, rules, a.lang, incomplete=False), mark="•")
        for s in a.scores
        if s.applicable is True and s.band
    ]
    return Section(rules.message("heading_scores", a.lang), tuple(lines))


def _acupuncture(a: Assessment, rules: RuleSet, details: bool) -> Section:
    """Whether acupuncture suits now: one paragraph with the first reason; the rest, the
    points and the evidence under ``details``."""

    def m(key: str) -> str:
        return rules.message(key, a.lang)

    acu = a.acupuncture
    if not details:
        short = m("acupuncture_short").format(
            label=m("label_acupuncture"),
            suitability=m(f"suitability_{acu.suitability}"),
            reason=acu.reasons[0] if acu.reasons else "",
        )
        return Section("", (Line(short.strip(), style="strong"),))
    ty = typography(rules, a.lang)
    lines = [Line(ty.label(m("label_suitability"), m(f"suitability_{acu.suitability}")), style="strong")]
    lines += [Line(r, mark="•", depth=1) for r in acu.reasons]
    lines += acupuncture_details(a, rules)
    return Section(m("heading_acupuncture"), tuple(lines))
