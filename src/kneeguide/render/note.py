"""The referral letter: what a person or a clinic hands to the service it refers to.

Written for the receiving clinician, in clinical third person. Each language writes
the letter in its own form (:func:`letter`):

* the English letter, a memo: addressed to the service the level calls for (the
  assessment's ``referral.to``), from the clinic profile or, without one, as a
  self-referral; the interview's date and time, the patient line, then one line with
  the reason for referral and its urgency. Then the findings (red flags with the
  answers that raised them, what is not yet excluded), the scores item by item where
  they apply, the differential, acupuncture suitability, every answer in clinical
  wording, the notes, the rule set's version and the disclaimer;
* the Japanese letter, a 紹介状 (:mod:`kneeguide.render.note_ja`), in the order and
  with the forms of address a Japanese clinic uses.

Point anatomy, evidence and references follow in an appendix
(:mod:`kneeguide.render.note_appendix`), which may be left out.

Every field a person gave (the patient, the addressee, the clinic profile) is made safe
for the format it is drawn in before a word is built around it
(:mod:`kneeguide.render.escape`): on one line in every format, and in Markdown with no
character that could open a heading, a list, a link or HTML; in plain text with no word
that could begin a line looking like the letter's own headings. HTML escapes every text.

One document model (:mod:`kneeguide.render.note_blocks`) drawn three ways, so the
interview's end, ``assess --note`` and ``kneeguide note`` give the same letter for the
same answers. The sections both forms share are built here, in the language's own
punctuation (:class:`~kneeguide.render.note_blocks.Words`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, NoReturn

from kneeguide.engine import Assessment
from kneeguide.ids import NoteFormat
from kneeguide.render.common import answer_text, clinical
from kneeguide.render.note_appendix import appendix
from kneeguide.render.note_blocks import Block, Letterhead, Words
from kneeguide.render.note_ja import japanese_letter
from kneeguide.render.note_record import answers
from kneeguide.render.note_sections import (
    PATIENT_LINE,
    acupuncture,
    causes,
    findings,
    foot,
    reason_text,
    scores,
)
from kneeguide.ruleset.model import RuleSet

if TYPE_CHECKING:
    from kneeguide.inputs.clinic import Clinic

Form = Callable[[Assessment, RuleSet, Letterhead], list[Block]]

__all__ = ["Block", "Letterhead", "build", "draw", "letter"]


def build(
    a: Assessment,
    rules: RuleSet,
    *,
    when: datetime,
    patient: str | None = None,
    clinic: Clinic | None = None,
    until: datetime | None = None,
    appendix: bool = True,
    incomplete: bool = False,
    to: str | None = None,
    doctor: str | None = None,
) -> list[Block]:
    """The letter's blocks for assessment ``a`` (see :class:`Letterhead` for the rest)."""
    head = Letterhead(when, until, patient, clinic, appendix, incomplete, to, doctor)
    return letter(a, rules, head)


def letter(a: Assessment, rules: RuleSet, head: Letterhead, fmt: NoteFormat | None = None) -> list[Block]:
    """The letter's blocks for assessment ``a`` with the letterhead ``head``, in the form
    of its language (:data:`FORMS`): a Japanese 紹介状, or the English memo for every other.
    The fields a person gave are escaped for ``fmt`` (:func:`given_fields`); without a
    format, only put on one line (enough for HTML, which escapes every text itself)."""
    return FORMS.get(a.lang, english_letter)(a, rules, given_fields(head, fmt))


def given_fields(head: Letterhead, fmt: NoteFormat | None) -> Letterhead:
    """``head`` with the fields a person gave made safe for ``fmt`` (see the module)."""
    from kneeguide.render.escape import markdown, one_line, plain

    if fmt is NoteFormat.MARKDOWN:
        return head.escaped(markdown)
    if fmt is NoteFormat.TEXT:
        return head.escaped(plain)
    return head.escaped(one_line)


def english_letter(a: Assessment, rules: RuleSet, head: Letterhead) -> list[Block]:
    """The letter as a memo: head, reason, findings, scores, differential, acupuncture,
    answers, notes and disclaimer (the form of every language without its own)."""
    m = Words(rules, a.lang)
    extra = appendix(a, rules, m) if head.appendix else []
    return [
        *_head(a, rules, m, head),
        *findings(a, rules, m),
        *scores(a, rules, m),
        *causes(a, m),
        *acupuncture(a, m, bool(extra)),
        *answers(a, rules, m),
        *foot(a, m),
        *extra,
    ]


def draw(fmt: NoteFormat, blocks: Sequence[Block], rules: RuleSet, lang: str) -> str:
    """The blocks in ``fmt``: every format of :class:`NoteFormat`, mypy checks."""
    if fmt is NoteFormat.MARKDOWN:
        from kneeguide.render.note_text import to_markdown

        return to_markdown(blocks, rules, lang)
    if fmt is NoteFormat.TEXT:
        from kneeguide.render.note_text import to_text

        return to_text(blocks, rules, lang)
    if fmt is NoteFormat.HTML:
        from kneeguide.render.note_html import to_html

        return to_html(blocks, rules, lang)
    unhandled(fmt)


def unhandled(value: NoReturn) -> NoReturn:
    """Exhaustiveness check (as :func:`kneeguide.render.assert_never`, which this module
    cannot import: the package imports it): mypy fails if a format is not handled."""
    raise AssertionError(f"unhandled format: {value!r}")


def _head(a: Assessment, rules: RuleSet, m: Words, head: Letterhead) -> list[Block]:
    """Title, to, from, date, patient, and the one line of reason and urgency."""
    title = m("note_title")
    clinic = head.clinic.in_language(a.lang) if head.clinic is not None else None
    dot = m("inline_separator")
    sender = (
        dot.join(x for x in (clinic.name, clinic.address, clinic.phone, clinic.email) if x)
        if clinic is not None
        else m("note_self_referral")
    )
    stamp = head.stamp(a.lang)
    patient = _patient(a, rules, m, head.patient)
    running = dot.join(x for x in (title, head.patient, stamp) if x)
    blocks = [Block("running", running), Block("h1", title)]
    if head.incomplete:
        blocks.append(Block("banner", m("note_incomplete")))
    blocks += [
        Block(
            "fields",
            [
                (m("note_to"), _addressee(a, m, head)),
                (m("note_from"), sender),
                (m("label_date"), stamp),
                (m("label_patient"), patient),
            ],
        ),
        Block("reason", _reason(a, m)),
    ]
    return blocks


def _addressee(a: Assessment, m: Words, head: Letterhead) -> str:
    """The service the level calls for, after the clinician or department named, if any."""
    named = [x for x in (m("note_to_doctor").format(name=head.doctor) if head.doctor else "", head.to) if x]
    return m.ty.paren(m.ty.items(named), a.referral.to) if named else a.referral.to


def _patient(a: Assessment, rules: RuleSet, m: Words, name: str | None) -> str:
    """The patient's name or reference (if given), age, sex and side."""
    facts = m.ty.phrases(
        m("cond_answer").format(question=clinical(rules, q, a.lang), answer=answer_text(a, rules, q))
        for q in PATIENT_LINE
        if q in rules.questions
    )
    return m.ty.paren(name, facts) if name else facts


def _reason(a: Assessment, m: Words) -> str:
    """Why and how soon, in one line (:func:`reason_text`), at the level's urgency and
    time frame."""
    t = a.triage
    timeframe = t.timeframe[:1].lower() + t.timeframe[1:]
    return m("note_reason").format(
        reason=reason_text(a, m), urgency=m(f"note_urgency_{t.level.id}"), timeframe=timeframe
    )


#: The languages whose letters have a form of their own; any other writes the English memo.
FORMS: dict[str, Form] = {"ja": japanese_letter}
