"""The record of answers at the end of the referral letter, and the answers left out of it.

Every answer given, by section, in clinical wording and with its mark; the questions
not answered named; those that do not apply to this person (pregnancy for a man)
left out rather than listed as unanswered. Shared by every form of the letter
(:mod:`kneeguide.render.note`, :mod:`kneeguide.render.note_ja`).
"""

from __future__ import annotations

from collections.abc import Sequence

from kneeguide.engine import Assessment
from kneeguide.render.common import answer_text, clinical
from kneeguide.render.note_blocks import Block, Words
from kneeguide.render.note_sections import ANSWER_MARKS, PATIENT_LINE
from kneeguide.ruleset.model import RuleSet, pick


def not_applying(a: Assessment, rules: RuleSet) -> set[str]:
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


def answers(a: Assessment, rules: RuleSet, m: Words, *, leave_out: Sequence[str] = ()) -> list[Block]:
    """The answers by section, in clinical wording: a yes/no answer as its mark ([+] yes,
    [-] no, [?] unsure, explained once), others with their value; the unanswered named;
    sections with no answer at all named together; questions that do not apply left out,
    and so are those of ``leave_out`` (which the letter gives elsewhere).
    Every answer given is listed, whoever it was asked of (the letter is worded for the
    clinician, and the lay report of a home check is still the patient's answer).
    The section holding the patient line's questions is the history, whatever the lay
    title it is asked under ("About you and the pain"), and those questions are not
    repeated in it."""
    sep = m("cond_separator")
    blocks = [Block("h2", m("heading_answers")), Block("p", m("note_item_marks"))]
    skip = not_applying(a, rules) | set(leave_out)
    silent: list[str] = []
    for section in rules.sections:
        ids = [
            q.id
            for q in rules.questions.values()
            if q.section == section.id
            and q.id not in skip
            and (a.audience in q.audiences or q.id in a.answers)  # every answer given is listed
        ]
        history = any(q in PATIENT_LINE for q in rules.questions if rules.questions[q].section == section.id)
        title = m("note_history") if history else pick(section.title, a.lang)
        if not any(q in a.answers for q in ids):
            if ids:
                silent.append(title)
            continue
        rows = [answer(a, rules, m, q) for q in ids if q in a.answers and q not in PATIENT_LINE]
        unanswered = [clinical(rules, q, a.lang) for q in ids if q not in a.answers and q not in PATIENT_LINE]
        if unanswered:
            rows.append(m.ty.because(m("answer_unanswered"), m.ty.items(unanswered)))
        if rows:
            blocks.append(Block("record", (title, sep.join(rows))))
    if silent:
        blocks.append(Block("record", (m("note_unanswered_sections"), sep.join(silent))))
    return blocks


def answer(a: Assessment, rules: RuleSet, m: Words, qid: str) -> str:
    """One answer: a yes/no as its mark before the finding, any other with its value."""
    value = a.answers[qid]
    name = clinical(rules, qid, a.lang)
    if rules.questions[qid].type == "yn" and value in ANSWER_MARKS:
        return m(ANSWER_MARKS[str(value)]).format(item=name)
    return m.ty.label(name, answer_text(a, rules, qid))
