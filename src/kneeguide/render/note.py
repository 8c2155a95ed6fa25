"""The referral letter: what a person or a clinic hands to the service it refers to.

Written for the receiving clinician, in clinical third person: addressed to the
service the level calls for (the assessment's ``referral.to``), from the clinic
profile or, without one, as a self-referral; the interview's date and time, the
patient line, then one line with the reason for referral and its urgency. Then
the findings (red flags with the answers that raised them, what is not yet
excluded), the scores item by item where they apply, the differential, acupuncture
suitability, every answer in clinical wording, the notes, the rule set's version
and the disclaimer. Point anatomy, evidence and references follow in an appendix
(:mod:`kneeguide.render.note_appendix`), which may be left out.

One document model (:mod:`kneeguide.render.note_blocks`) drawn three ways, so the
interview's end, ``assess --note`` and ``kneeguide note`` give the same letter for the
same answers.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, NoReturn

from kneeguide.engine import Assessment, ScoreResult
from kneeguide.ids import NoteFormat
from kneeguide.render.common import answer_text, clinical, fmt_points, grounds_text, score_line, score_notes
from kneeguide.render.note_appendix import appendix
from kneeguide.render.note_blocks import Block, Letterhead, Words
from kneeguide.render.note_scores import applies, awaited
from kneeguide.ruleset.model import RuleSet, pick

if TYPE_CHECKING:
    from kneeguide.inputs.clinic import Clinic

#: The questions the patient line gives; the answers section leaves them out.
PATIENT_LINE = ("age", "sex", "side")
MARKS = {True: "[+]", False: "[-]", None: "[?]"}
ANSWER_MARKS = {"yes": MARKS[True], "no": MARKS[False], "unsure": MARKS[None]}
PROXY = "*"  # marks a score item that a lay answer decided

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
) -> list[Block]:
    """The letter's blocks for assessment ``a`` (see :class:`Letterhead` for the rest)."""
    return letter(a, rules, Letterhead(when, until, patient, clinic, appendix, incomplete))


def letter(a: Assessment, rules: RuleSet, head: Letterhead) -> list[Block]:
    """The letter's blocks for assessment ``a`` with the letterhead ``head``."""

    def m(key: str) -> str:
        return rules.message(key, a.lang)

    extra = appendix(a, rules, m) if head.appendix else []
    return [
        *_head(a, rules, m, head),
        *_findings(a, rules, m),
        *_scores(a, rules, m),
        *_causes(a, m),
        *_acupuncture(a, m, bool(extra)),
        *_answers(a, rules, m),
        *_foot(a, m),
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
    clinic = head.clinic
    sender = (
        " · ".join(x for x in (clinic.name, clinic.address, clinic.phone, clinic.email) if x)
        if clinic is not None
        else m("note_self_referral")
    )
    stamp = head.stamp()
    patient = _patient(a, rules, head.patient)
    running = " · ".join(x for x in (title, head.patient, stamp) if x)
    blocks = [Block("running", running), Block("h1", title)]
    if head.incomplete:
        blocks.append(Block("banner", m("note_incomplete")))
    blocks += [
        Block(
            "fields",
            [
                (m("note_to"), a.referral.to),
                (m("note_from"), sender),
                (m("label_date"), stamp),
                (m("label_patient"), patient),
            ],
        ),
        Block("reason", _reason(a, m)),
    ]
    return blocks


def _patient(a: Assessment, rules: RuleSet, name: str | None) -> str:
    """The patient's name or reference (if given), age, sex and side."""
    facts = rules.message("cond_separator", a.lang).join(
        rules.message("cond_answer", a.lang).format(
            question=clinical(rules, q, a.lang), answer=answer_text(a, rules, q)
        )
        for q in PATIENT_LINE
        if q in rules.questions
    )
    return f"{name} ({facts})" if name else facts


def _reason(a: Assessment, m: Words) -> str:
    """Why and how soon, in one line: the red flags raised; else what set the level (a
    floor's reason, such as a lump behind the knee to be examined) and the leading cause
    with its strength, never as a settled diagnosis, and how many red flags are still
    open; at the level's urgency and time frame."""
    t = a.triage
    sep = m("cond_separator")
    if a.red_flags:
        reason = sep.join(h.title for h in a.red_flags)
    else:
        names = {c.name for c in a.likely_causes}
        parts = [r.rstrip(".。") for r in t.reasons if r not in names and r != m("no_causes")]
        if a.likely_causes:
            lead = a.likely_causes[0]
            parts.append(m("note_cause").format(name=lead.name, strength=m(f"strength_{lead.strength}")))
        elif not parts:
            parts.append(m("no_causes"))
        if a.not_excluded:
            parts.append(m("note_not_excluded").format(n=len(a.not_excluded)))
        reason = sep.join(parts)
    timeframe = t.timeframe[:1].lower() + t.timeframe[1:]
    return m("note_reason").format(
        reason=reason.rstrip(".。"), urgency=m(f"note_urgency_{t.level.id}"), timeframe=timeframe
    )


def _findings(a: Assessment, rules: RuleSet, m: Words) -> list[Block]:
    """The red flags with the answers that raised them, then what is not yet excluded."""
    blocks = [Block("h2", m("heading_red_flags_clinical"))]
    if a.red_flags:
        items = []
        for h in a.red_flags:
            because = grounds_text(a, rules, h.because)
            level = m(f"note_urgency_{h.level.id}")
            items.append(
                f"{h.title} ({level})" + (f" — {m('label_raised_by')}: {because}" if because else "")
            )
        blocks.append(Block("ul", items))
    else:
        blocks.append(Block("p", m("no_red_flags_clinical")))
    if a.not_excluded:
        blocks.append(Block("h2", m("heading_not_excluded_clinical")))
        blocks.append(Block("cols", [n.title for n in a.not_excluded]))
    return blocks


def _scores(a: Assessment, rules: RuleSet, m: Words) -> list[Block]:
    """Each score: item by item where it applies, else one line saying why not."""
    blocks = [Block("h2", m("heading_scores"))]
    itemised = [s for s in a.scores if applies(s, rules)]
    if itemised:
        # an item a lay answer decided is starred, the star explained once with the marks
        legend = m("label_item_marks")
        if any(i.proxy for s in itemised for i in s.items):
            legend += f"{m('cond_separator')}{PROXY} {m('label_proxy')}"
        blocks.append(Block("p", legend))
    for s in a.scores:
        if not applies(s, rules):
            blocks.append(Block("p", _outside(s, rules, a.lang)))
            continue
        blocks.append(Block("p", score_line(s, rules, a.lang)))
        blocks += [Block("p", note) for note in _score_notes(s, rules, a.lang)]
        items = [
            f"{MARKS[i.present]} {i.text} ({i.points:+g})" + (f" {PROXY}" if i.proxy else "") for i in s.items
        ]
        blocks.append(Block("cols", items))
    return blocks


def _outside(s: ScoreResult, rules: RuleSet, lang: str) -> str:
    """Why a score is not given: not applicable (and why), or not known to apply yet."""
    if s.applicable is False:
        return score_line(s, rules, lang)
    reasons = rules.message("cond_separator", lang).join(r for r in awaited(s, rules) if r)
    return f"{s.title}: {rules.message('applicability_unknown', lang).format(reasons=reasons)}"


def _score_notes(s: ScoreResult, rules: RuleSet, lang: str) -> list[str]:
    """The notes under a score, the estimate labelled for the clinician who reads the letter
    (never "your answers": the letter is not addressed to the patient)."""
    notes = score_notes(s, rules, lang)
    e = s.estimate
    score = next((x for x in rules.scores if x.id == s.id), None)
    if e is None or score is None or score.estimate_label is None or not notes:
        return notes
    band = (
        rules.message("estimate_band", lang).format(band=e.band_text)
        if e.band
        else rules.message("band_indeterminate", lang)
    )
    span = fmt_points(e.points) + ("" if e.points_max == e.points else f"–{fmt_points(e.points_max)}")
    label = pick(score.estimate_label.practitioner, lang)
    return [*notes[:-1], f"{label}: {rules.message('label_points', lang)} {span}; {band}"]


def _causes(a: Assessment, m: Words) -> list[Block]:
    """The first three causes, each on one line with the reasons for and against."""
    blocks = [Block("h2", m("heading_causes_clinical"))]
    if not a.likely_causes:
        return [*blocks, Block("p", m("no_causes") + ".")]
    sep = m("cond_separator")
    for c in a.likely_causes[:3]:
        parts = []
        if c.reasons_for:
            parts.append(f"{m('label_for')}: {sep.join(r.text for r in c.reasons_for)}")
        if c.reasons_against:
            parts.append(f"{m('label_against')}: {sep.join(r.text for r in c.reasons_against)}")
        blocks.append(Block("line", (f"{c.name} ({m(f'strength_{c.strength}')})", sep.join(parts))))
    return blocks


def _acupuncture(a: Assessment, m: Words, in_appendix: bool) -> list[Block]:
    """Suitability and the cautions a clinician must heed (``acupuncture.cautions``: not the
    patient's instructions, and not the red flags, which the letter gives above); the points
    by code (their anatomy is in the appendix)."""
    acu = a.acupuncture
    suitability = m(f"suitability_{acu.suitability}")
    text = f"{suitability} — {' '.join(acu.cautions)}" if acu.cautions else suitability
    blocks = [Block("h2", m("heading_acupuncture")), Block("line", (m("label_suitability"), text))]
    if acu.points:
        codes = ", ".join(p.code for p in acu.points)
        line = m("note_points").format(codes=codes)
        blocks.append(Block("p", f"{line} ({m('note_see_appendix')})" if in_appendix else line))
    return blocks


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
    """The answers by section, in clinical wording: a yes/no answer as its mark ([+] yes,
    [-] no, [?] unsure, explained once), others with their value; the unanswered named;
    sections with no answer at all named together; questions that do not apply left out.
    Every answer given is listed, whoever it was asked of (the letter is worded for the
    clinician, and the lay report of a home check is still the patient's answer).
    The section holding the patient line's questions is the history, whatever the lay
    title it is asked under ("About you and the pain"), and those questions are not
    repeated in it."""
    sep = m("cond_separator")
    blocks = [Block("h2", m("heading_answers")), Block("p", m("label_item_marks"))]
    skip = _not_applying(a, rules)
    silent: list[str] = []
    for section in rules.sections:
        ids = [
            q.id
            for q in rules.questions.values()
            if q.section == section.id
            and q.id not in skip
            and (a.audience in q.audiences or q.id in a.answers)  # every answer given is listed
        ]
        history = any(q in PATIENT_LINE for q in ids)
        title = m("note_history") if history else pick(section.title, a.lang)
        if not any(q in a.answers for q in ids):
            if ids:
                silent.append(title)
            continue
        rows = [_answer(a, rules, q) for q in ids if q in a.answers and q not in PATIENT_LINE]
        unanswered = [clinical(rules, q, a.lang) for q in ids if q not in a.answers and q not in PATIENT_LINE]
        if unanswered:
            rows.append(f"{m('answer_unanswered')}: {', '.join(unanswered)}")
        if rows:
            blocks.append(Block("record", (title, sep.join(rows))))
    if silent:
        blocks.append(Block("record", (m("note_unanswered_sections"), sep.join(silent))))
    return blocks


def _answer(a: Assessment, rules: RuleSet, qid: str) -> str:
    """One answer: a yes/no as its mark before the finding, any other with its value."""
    value = a.answers[qid]
    name = clinical(rules, qid, a.lang)
    if rules.questions[qid].type == "yn" and value in ANSWER_MARKS:
        return f"{ANSWER_MARKS[str(value)]} {name}"
    return f"{name}: {answer_text(a, rules, qid)}"


def _foot(a: Assessment, m: Words) -> list[Block]:
    """Every warning, the region's emergency number (the patient carries the letter), the
    rule set's version and the disclaimer."""
    blocks = (
        [Block("h2", m("heading_warnings_clinical")), Block("ul", list(a.warnings))] if a.warnings else []
    )
    t = a.triage
    call = m("summary_in_emergency").format(emergency=t.call)
    if t.advice_line:
        gap = "" if call.endswith("。") else " "  # no space after a Japanese full stop
        call += f"{gap}{m('label_advice')}: {t.advice_line}"
    return [
        *blocks,
        Block("p", call),
        Block("p", f"{m('label_rules')}: {a.rules_version} ({a.rules_digest})"),
        Block("note", a.disclaimer),
    ]
