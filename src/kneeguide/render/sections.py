"""The parts every report is made of: paragraphs, sections, and the sections that the lay
and the practitioner's report share (causes, scores, what every report ends with).

See :mod:`kneeguide.render.report` for the order and the audiences.
"""

from __future__ import annotations

from typing import NamedTuple

from kneeguide.engine import Assessment
from kneeguide.ids import Audience, Level
from kneeguide.render.common import (
    answer_text,
    askable,
    clinical,
    grounds_text,
    point_label,
    rules_label,
    score_line,
    score_notes,
    typography,
)
from kneeguide.ruleset.model import RuleSet

#: Lay reports name this many not-excluded warning signs unless ``details``.
SHORT_NOT_EXCLUDED = 3


#: Lay reports list this many causes unless ``details``; the rest are less likely.
SHORT_CAUSES = 3


class Line(NamedTuple):
    """One paragraph: ``mark`` hangs in front of it ("1.", "+", "•"), ``depth`` indents it,
    ``style`` is one of "", "strong", "dim", "rule" (the level's colour) or "flag"."""

    text: str
    mark: str = ""
    depth: int = 0
    style: str = ""


class Section(NamedTuple):
    """A titled block; ``box`` draws it framed ("level", "red", "yellow") in the terminal."""

    title: str
    lines: tuple[Line, ...]
    box: str = ""


class Report(NamedTuple):
    level: Level
    sections: tuple[Section, ...]


def summary_line(a: Assessment, rules: RuleSet) -> str:
    """The action in one line, the last thing a report prints: what to do and whom to call
    first. An emergency headline already names the number ("Call 119 now")."""
    t = a.triage
    lang = a.lang
    ty = typography(rules, lang)
    head = t.headline.rstrip(".。")
    if t.level is Level.EMERGENCY:
        call = (
            "" if t.call in t.headline else rules.message("summary_call_now", lang).format(emergency=t.call)
        )
    elif t.level is Level.URGENT and t.advice_line:
        call = rules.message("summary_call_first", lang).format(advice=t.advice_line, emergency=t.call)
    else:
        call = rules.message("summary_in_emergency", lang).format(emergency=t.call)
    return ty.sentences(ty.sentence(head), call)


def unsaid_reasons(a: Assessment, rules: RuleSet) -> tuple[str, ...]:
    """The reasons for the level that the red-flag and not-excluded sections do not already
    name: a floor such as a young child's injury, or the cause that set it."""
    said = {h.title for h in a.red_flags}
    said |= {rules.message("not_excluded_reason", a.lang).format(title=n.title) for n in a.not_excluded}
    return tuple(r for r in a.triage.reasons if r not in said)


def call_line(a: Assessment, rules: RuleSet) -> str:
    """Whom to call first, then the other numbers: the emergency number for an emergency,
    the advice line for an urgent level where the region has one."""
    t = a.triage
    m = rules.message
    ty = typography(rules, a.lang)
    emergency = ty.label(m("label_call", a.lang), t.call)
    advice = ty.label(m("label_advice", a.lang), t.advice_line) if t.advice_line else ""
    if t.level is Level.EMERGENCY:
        return ty.label(m("label_call_first", a.lang), t.call)
    if t.level is Level.URGENT and t.advice_line:
        return ty.inline([ty.label(m("label_call_first", a.lang), t.advice_line), emergency])
    return ty.inline(p for p in (emergency, advice) if p)


def flags_section(a: Assessment, rules: RuleSet, *, clinical: bool, details: bool) -> Section:
    """Each red flag raised, at its level, with the answers that raised them and what
    escalated it; ``details`` adds its action and explanation for a lay reader. A
    practitioner reads clinical level names and headings; a lay reader without a flag is
    told so in one line, a practitioner in the section."""

    def m(key: str) -> str:
        return rules.message(key, a.lang)

    ty = typography(rules, a.lang)
    heading = m("heading_red_flags_clinical" if clinical else "heading_red_flags")
    if not a.red_flags:
        if clinical:
            return Section(heading, (Line(m("no_red_flags_clinical")),))
        return Section("", (Line(m("no_red_flags")),))
    level = "level_clinical_" if clinical else "level_"
    lines: list[Line] = []
    for h in a.red_flags:
        lines.append(Line(ty.tag(h.title, m(level + h.level.id)), style="flag"))
        because = grounds_text(a, rules, h.because)
        if because:
            label = m("label_raised_by" if clinical else "label_because")
            lines.append(Line(ty.label(label, because), depth=1))
        lines += [Line(reason, depth=1, style="strong") for reason in h.escalated_because]
        if details and not clinical:
            lines += [Line(h.action, depth=1), Line(h.explain, depth=1, style="dim")]
    return Section(heading, tuple(lines), "red")


def not_excluded_section(a: Assessment, rules: RuleSet) -> Section:
    """Every red flag not yet excluded, with the questions still to answer (this audience's)."""

    def m(key: str) -> str:
        return rules.message(key, a.lang)

    ty = typography(rules, a.lang)
    lines: list[Line] = []
    for n in a.not_excluded:
        lines.append(Line(n.title, style="strong"))
        missing = ty.items(clinical(rules, q, a.lang) for q in askable(a, rules, n.missing))
        lines.append(Line(ty.label(m("label_missing"), missing), depth=1))
    return Section(m("heading_not_excluded"), tuple(lines), "yellow")


def scores_section(a: Assessment, rules: RuleSet, *, items: bool) -> Section:
    """Every score: its line, its notes, and with ``items`` each item marked present ([+]),
    absent ([-]) or not known ([?]) with its points, where the score applies."""
    ty = typography(rules, a.lang)
    lines: list[Line] = []
    for s in a.scores:
        lines.append(Line(score_line(s, rules, a.lang), mark="•"))
        lines += [Line(note, depth=1, style="dim") for note in score_notes(s, rules, a.lang)]
        if items and s.applicable is not False:
            for item in s.items:
                text = ty.paren(item.text, ty.signed(item.points))
                if item.proxy:
                    text = ty.paren(text, rules.message("label_proxy", a.lang))
                lines.append(Line(text, mark=item_mark(item.present), depth=1))
    if items and any(s.applicable is not False for s in a.scores):
        lines.append(Line(rules.message("label_item_marks", a.lang), style="dim"))
    return Section(rules.message("heading_scores", a.lang), tuple(lines))


def item_mark(present: bool | None) -> str:
    """The mark of a score item, explained by the message ``label_item_marks``."""
    return {True: "[+]", False: "[-]", None: "[?]"}[present]


def causes_section(a: Assessment, rules: RuleSet, details: bool) -> Section:
    """The ranked causes with the reasons for (+) and against (-); all of them, with their
    advice, under ``details``; otherwise the first few that are not less likely (or the
    first, when all are), and the advice of the first only
    when the level is one to look after at home or book routinely (it is then what to do)."""

    def m(key: str) -> str:
        return rules.message(key, a.lang)

    ty = typography(rules, a.lang)
    if not a.likely_causes:
        return Section(m("heading_causes"), (Line(ty.sentence(m("no_causes"))),))
    likely = [c for c in a.likely_causes if c.strength != "less_likely"] or list(a.likely_causes[:1])
    shown = a.likely_causes if details else tuple(likely[:SHORT_CAUSES])
    lines: list[Line] = []
    for index, c in enumerate(shown, 1):
        lines.append(Line(ty.paren(c.name, m(f"strength_{c.strength}")), mark=f"{index}.", style="strong"))
        lines += [Line(r.text, mark="+", depth=1) for r in c.reasons_for]
        lines += [Line(r.text, mark="-", depth=1) for r in c.reasons_against]
        home = index == 1 and a.triage.level <= Level.ROUTINE and a.audience is Audience.LAY
        if details or home:
            lines.append(Line(c.advice, depth=1))
    return Section(m("heading_causes"), tuple(lines))


def acupuncture_details(a: Assessment, rules: RuleSet) -> list[Line]:
    """The points (name, location, caution) and what the evidence says, with sources."""

    def m(key: str) -> str:
        return rules.message(key, a.lang)

    ty = typography(rules, a.lang)
    lines: list[Line] = []
    for p in a.acupuncture.points:
        lines.append(Line(ty.label(point_label(p, rules, a.lang), p.location), mark="•", depth=1))
        lines.append(Line(ty.label(m("label_caution"), p.caution), depth=2))
    if a.acupuncture.evidence:
        lines.append(Line(ty.label(m("label_evidence"))))
        for e in a.acupuncture.evidence:
            mark = ty.bracket(m(f"position_{e.position}"))
            lines.append(Line(ty.paren(e.claim, e.source), mark=mark, depth=1))
    return lines


def rules_changed_section(a: Assessment, rules: RuleSet, details: bool) -> Section:
    """What a rule set that switches red flags off or rewords safety texts changes, in a box
    at the top, before the red flags (the flags a reader is shown, or not shown, are those
    of that rule set): the rule set's label, then each warning about it. None for a rule
    set that changes neither (the built-in one, or a custom set that is only stricter)."""
    if not a.announced:
        return Section("", ())
    label = rules_label(a.rule_set, rules, a.lang, short=not details)
    ty = typography(rules, a.lang)
    lines = [Line(ty.label(rules.message("label_rules", a.lang), label))]
    lines += [Line(w, mark="•", style="strong") for w in a.announced]
    return Section(rules.message("heading_rules_changed", a.lang), tuple(lines), "red")


def referral_section(a: Assessment, rules: RuleSet) -> Section:
    ty = typography(rules, a.lang)
    lines = (Line(ty.label(a.referral.to, a.referral.urgency), style="strong"), Line(a.referral.text))
    return Section(rules.message("heading_referral", a.lang), lines)


def ending(a: Assessment, rules: RuleSet, details: bool, safety_label: str) -> list[Section]:
    """What every report ends with: the warnings, what to watch for, where the details are,
    the rules and the disclaimer, and the action again in one line."""

    def m(key: str) -> str:
        return rules.message(key, a.lang)

    ty = typography(rules, a.lang)
    out = [
        Section(m("heading_warnings"), tuple(Line(w, mark="•") for w in a.warnings)),
        Section("", (Line(ty.label(safety_label, a.triage.safety_net)),)),
    ]
    tail = [] if details else [Line(m("details_hint"), style="dim")]
    version = rules_label(a.rule_set, rules, a.lang, short=not details)
    tail += [
        Line(ty.label(m("label_rules"), version), style="dim"),
        Line(a.disclaimer, style="strong"),
    ]
    out.append(Section("", tuple(tail)))
    out.append(Section("", (Line(summary_line(a, rules), mark="»", style="rule"),)))
    return out


def answers_section(a: Assessment, rules: RuleSet) -> Section:
    """Every answer given, in clinical wording, in the order given."""
    ty = typography(rules, a.lang)
    lines = tuple(
        Line(ty.label(clinical(rules, q, a.lang), answer_text(a, rules, q)), mark="•") for q in a.answers
    )
    return Section(rules.message("heading_answers", a.lang), lines)
