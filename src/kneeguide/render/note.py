"""The referral note: what a person hands to a doctor or a clinic.

One document model (a list of blocks) drawn three ways (:mod:`note_text` for
Markdown and plain text, :mod:`note_html`), so the notes can never say different
things. The level, the action and the time frame come first; a clinic is named
only on routine and self-care notes, never on urgent or emergency ones, which
send the person to medical care. The warnings and the disclaimer close every note.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from kneeguide.engine import Assessment
from kneeguide.ids import Level
from kneeguide.render.common import (
    answer_text,
    clinical,
    grounds_text,
    headline_apart,
    score_line,
    score_notes,
)
from kneeguide.ruleset.model import RuleSet, pick

if TYPE_CHECKING:
    from kneeguide.inputs.clinic import Clinic


class Block(NamedTuple):
    """One block of the note: ``kind`` says how each format draws ``content``."""

    kind: str  # h1 | h2 | p | strong | ul | cols (a compact list) | note | figure
    content: Any  # a str; a list of str for ul and cols; the PointResults for figure


Words = Callable[[str], str]  # a message id → its text in the note's language


def build(
    a: Assessment, rules: RuleSet, *, when: datetime, patient: str | None = None, clinic: Clinic | None = None
) -> list[Block]:
    """The note's blocks for assessment ``a``, stamped ``when`` (local time, to the
    minute), naming ``patient`` and ``clinic`` where given."""

    def m(key: str) -> str:
        return rules.message(key, a.lang)

    return [
        *_head(a, m, when, patient),
        *_red_flags(a, rules, m),
        *_scores(a, rules, m),
        *_causes(a, m),
        *_acupuncture(a, m),
        *_clinic(a, m, clinic),
        *_answers(a, rules, m),
        *_foot(a, m),
    ]


def _head(a: Assessment, m: Words, when: datetime, patient: str | None) -> list[Block]:
    t = a.triage
    meta = [f"{m('label_date')}: {when.strftime('%Y-%m-%d %H:%M')}"]
    if patient:
        meta.append(f"{m('label_patient')}: {patient}")
    call = f"{m('label_call')}: {t.call}"
    if t.advice_line:
        call += f" / {m('label_advice')}: {t.advice_line}"
    blocks = [
        Block("h1", m("referral_title")),
        Block("ul", meta),
        Block("strong", m(f"level_{t.level.id}") + (f": {t.headline}" if headline_apart(t) else "")),
        Block("p", f"{t.timeframe}: {t.action}" if t.timeframe not in t.action else t.action),
        Block("p", call),
    ]
    if t.level >= Level.URGENT:
        blocks.append(Block("note", m("note_medical_first")))
    return blocks


def _red_flags(a: Assessment, rules: RuleSet, m: Words) -> list[Block]:
    blocks = [Block("h2", m("heading_red_flags"))]
    if a.red_flags:
        items = []
        for h in a.red_flags:
            because = grounds_text(a, rules, h.because)
            items.append(
                f"{h.title} ({m(f'level_{h.level.id}')}). {h.action}"
                + (f" [{m('label_because')}: {because}]" if because else "")
            )
        blocks.append(Block("ul", items))
    else:
        blocks.append(Block("p", m("no_red_flags")))
    if a.not_excluded:
        blocks.append(Block("h2", m("heading_not_excluded")))
        blocks.append(Block("ul", [n.title for n in a.not_excluded]))
    return blocks


def _scores(a: Assessment, rules: RuleSet, m: Words) -> list[Block]:
    marks = {True: "+", False: "-", None: "?"}
    blocks = [Block("h2", m("heading_scores"))]
    if any(s.applicable is not False for s in a.scores):  # the marks of the item lists below
        blocks.append(Block("p", m("label_item_marks")))
    for s in a.scores:
        blocks.append(Block("p", score_line(s, rules, a.lang)))
        blocks += [Block("p", note) for note in score_notes(s, rules, a.lang)]
        if s.applicable is not False:
            proxy = f" ({m('label_proxy')})"
            items = []
            for i in s.items:
                item = f"[{marks[i.present]}] {i.text} ({i.points:+g})"
                items.append(item + proxy if i.proxy else item)
            blocks.append(Block("cols", items))
    return blocks


def _causes(a: Assessment, m: Words) -> list[Block]:
    blocks = [Block("h2", m("heading_causes"))]
    if not a.likely_causes:
        return [*blocks, Block("p", m("no_causes") + ".")]
    for c in a.likely_causes[:3]:
        lines = [f"{m('label_for')}: {r.text}" for r in c.reasons_for]
        lines += [f"{m('label_against')}: {r.text}" for r in c.reasons_against]
        blocks.append(Block("strong", f"{c.name} ({m(f'strength_{c.strength}')})"))
        blocks.append(Block("ul", lines))
    return blocks


def _acupuncture(a: Assessment, m: Words) -> list[Block]:
    acu = a.acupuncture
    blocks = [
        Block("h2", m("heading_acupuncture")),
        Block("p", f"{m('label_suitability')}: {m(f'suitability_{acu.suitability}')}"),
    ]
    if acu.reasons:
        # what is not yet excluded is listed above; here only the reasons themselves
        prefix = m("not_excluded_reason").split("{", 1)[0]
        blocks.append(Block("ul", [r for r in acu.reasons if not (prefix and r.startswith(prefix))]))
    if acu.points:
        blocks.append(Block("figure", acu.points))
        caution = m("label_caution")
        blocks.append(
            Block(
                "ul",
                [
                    f"{p.code} {p.hanzi} {p.ja_reading} / {p.name}: {p.location} {caution}: {p.caution}"
                    for p in acu.points
                ],
            )
        )
    return blocks


def _clinic(a: Assessment, m: Words, clinic: Clinic | None) -> list[Block]:
    """The clinic, on routine and self-care notes only."""
    if clinic is None or a.triage.level > Level.ROUTINE:
        return []
    lines = [x for x in (clinic.name, clinic.address, clinic.phone, clinic.email, clinic.hours) if x]
    return [Block("h2", m("heading_clinic")), Block("ul", lines)]


def _not_applying(a: Assessment, rules: RuleSet) -> set[str]:
    """The questions that do not apply to this person: asked only when their ``ask_if``
    holds, and it definitely does not (pregnancy for a man, injury details with no injury).
    They are left out of the note rather than listed as "not answered"."""
    from kneeguide.evaluate.walk import with_implied

    effective = with_implied(rules, a.answers)
    return {
        q.id
        for q in rules.questions.values()
        if q.ask_if is not None and q.id not in a.answers and q.ask_if.evaluate(effective, {}) is False
    }


def _answers(a: Assessment, rules: RuleSet, m: Words) -> list[Block]:
    """The answers by section, in this audience's questions; the unanswered named, the
    questions that do not apply left out."""
    blocks = [Block("h2", m("heading_answers"))]
    skip = _not_applying(a, rules)
    for section in rules.sections:
        asked = [q for q in rules.questions.values() if q.section == section.id and q.id not in skip]
        ids = [q.id for q in asked if a.audience in q.audiences]
        rows = [f"{clinical(rules, q, a.lang)}: {answer_text(a, rules, q)}" for q in ids if q in a.answers]
        unanswered = [q for q in ids if q not in a.answers]
        if not (rows or unanswered):
            continue
        blocks.append(Block("strong", pick(section.title, a.lang)))
        if unanswered and len(unanswered) < len(ids):
            names = ", ".join(clinical(rules, q, a.lang) for q in unanswered)
            rows.append(f"{m('answer_unanswered')}: {names}")
        elif not rows:
            rows = [m("answer_unanswered")]
        blocks.append(Block("cols", rows))
    return blocks


def _foot(a: Assessment, m: Words) -> list[Block]:
    """Every warning, the rule set's version and the disclaimer."""
    blocks = [Block("h2", m("heading_warnings")), Block("ul", list(a.warnings))] if a.warnings else []
    return [
        *blocks,
        Block("p", f"{m('label_rules')}: {a.rules_version} ({a.rules_digest})"),
        Block("note", a.disclaimer),
    ]
