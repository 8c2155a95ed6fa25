"""The Japanese referral letter (紹介状), in the order and forms a Japanese clinic uses.

A Japanese clinician reads a referral in a fixed order, the one of the 診療情報提供書
forms: the date at the head, the addressee (…御中 for an institution, …先生 for a
named doctor; left blank, 「担当医　先生」 under a line to write the hospital on, when
none is given), the sender (the clinic profile's name, address and phone; blank lines to
fill in without one, never invented), a one-line opening, the patient (name with 様,
age and sex), then 紹介目的 with the urgency, 症状・経過, 所見 (the scores with their
bands), 既往・服薬 (only what was answered, an unsure answer as 不明, and 未聴取 when
nothing was), then the rest of the record, the disclaimer and the closing formula.

The register is concise clinical Japanese throughout (体言止め in the findings); only
the opening and closing formulas are the polite forms every Japanese letter uses. The
sections the English letter shares are built by :mod:`kneeguide.render.note_sections`,
in Japanese punctuation; every word is a message, so the wording stays with the translators.
"""

from __future__ import annotations

from kneeguide.engine import Assessment
from kneeguide.render.common import answer_text, clinical
from kneeguide.render.note_appendix import appendix
from kneeguide.render.note_blocks import Block, Letterhead, Words
from kneeguide.render.note_ja_head import letterhead
from kneeguide.render.note_record import answer, answers, not_applying
from kneeguide.render.note_sections import (
    PATIENT_LINE,
    acupuncture,
    causes,
    flag_items,
    foot,
    marked,
    reason_text,
    rules_changed,
    scores,
)
from kneeguide.ruleset.model import RuleSet

#: The course of the complaint, given on one line at the head of 症状・経過.
COURSE = ("onset", "duration_days", "pain_score", "side")
#: 既往 and 服薬: the history and medication a receiving doctor asks first (clots,
#: bleeding, cancer, recent operations, the knee's own history), each where answered.
HISTORY = (
    "active_cancer",
    "cancer_history",
    "previous_dvt",
    "recent_surgery",
    "recent_joint_procedure",
    "knee_replacement",
    "immunosuppressed",
    "diabetes",
    "bleeding_disorder",
    "pacemaker",
)
MEDICATION = ("anticoagulants", "hormones")


def japanese_letter(a: Assessment, rules: RuleSet, head: Letterhead) -> list[Block]:
    """The letter's blocks, from the letterhead to the closing formula, then the appendix."""
    m = Words(rules, a.lang)
    extra = appendix(a, rules, m) if head.appendix else []
    return [
        *letterhead(a, rules, m, head),
        *_purpose(a, m),
        *rules_changed(a, m),
        *_course(a, rules, m, head),
        *scores(a, rules, m, heading=m("heading_findings")),
        *causes(a, m),
        *_history(a, rules, m),
        *acupuncture(a, m, bool(extra), named=True),
        *answers(a, rules, m, leave_out=(*COURSE, *HISTORY, *MEDICATION)),
        *_foot(a, m),
        Block("closing", m("note_closing")),
        *extra,
    ]


def _purpose(a: Assessment, m: Words) -> list[Block]:
    """紹介目的: why, at what urgency and how soon, set apart; then the service the level
    calls for."""
    t = a.triage
    urgency = m.ty.label(m("note_urgency"), m.ty.items([m(f"note_urgency_{t.level.id}"), t.timeframe]))
    why = m.ty.sentences(m.ty.sentence(reason_text(a, m)), m.ty.sentence(urgency))
    return [
        Block("reason", m.ty.label(m("note_purpose"), why)),
        Block("line", (m("note_service"), a.referral.to)),
    ]


def _course(a: Assessment, rules: RuleSet, m: Words, head: Letterhead) -> list[Block]:
    """症状・経過: when and how the answers were taken, the course (onset, duration, pain,
    side, each unanswered one said), what was answered present, the red flags with the
    answers that raised them and those not yet excluded."""
    taken = m.ty.paren(head.stamp(a.lang), m("note_interview_by"))
    course = m.ty.phrases(
        m.ty.label(clinical(rules, q, a.lang), answer_text(a, rules, q))
        for q in COURSE
        if q in rules.questions
    )
    blocks = [
        Block("h2", m("note_course")),
        Block("line", (m("note_interview"), taken)),
        Block("p", course),
        Block("line", (m("note_reported"), _reported(a, rules, m))),
        Block("h3", m("heading_red_flags_clinical")),
        Block("ul", flag_items(a, rules, m)) if a.red_flags else Block("p", m("no_red_flags_clinical")),
    ]
    if a.not_excluded:  # run on, not in columns: a list of a dozen keeps the letter to its page
        blocks.append(
            Block("line", (m("heading_not_excluded_clinical"), m.ty.phrases(n.title for n in a.not_excluded)))
        )
    return blocks


def _reported(a: Assessment, rules: RuleSet, m: Words) -> str:
    """What the answers say is present: each "yes", and each other answer with its value,
    outside the patient line, the course and the history (given in their own places)."""
    elsewhere = {*PATIENT_LINE, *COURSE, *HISTORY, *MEDICATION}
    found = []
    for qid, question in rules.questions.items():  # in the order they are asked
        value = a.answers.get(qid)
        if qid in elsewhere or value is None:
            continue
        if question.type == "yn":
            if value == "yes":
                found.append(clinical(rules, qid, a.lang))
        elif value != "unsure":
            found.append(answer(a, rules, m, qid))
    return m.ty.phrases(found) if found else m("note_reported_none")


def _history(a: Assessment, rules: RuleSet, m: Words) -> list[Block]:
    """既往・服薬: each item answered, with its mark (不明 for "unsure"); an item not
    answered is not listed, and with none answered the history was not taken (未聴取)."""
    skip = not_applying(a, rules)
    blocks = [Block("h2", m("note_history_medication"))]
    for label, ids in (("note_past_history", HISTORY), ("note_medication", MEDICATION)):
        given = [q for q in ids if q in rules.questions and q in a.answers and q not in skip]
        items = [
            marked(m, {"yes": True, "no": False}.get(str(a.answers[q])), clinical(rules, q, a.lang))
            for q in given
        ]
        if items:
            blocks.append(Block("line", (m(label), m.ty.phrases(items))))
    if len(blocks) == 1:
        blocks.append(Block("p", m("note_not_taken")))
    return blocks


def _foot(a: Assessment, m: Words) -> list[Block]:
    """The notes, the numbers to call, the rule set's version and the disclaimer, as the
    English letter's; the numbers given as numbers, not as an instruction (the letter is
    the clinician's; the patient's instructions are in the patient's report)."""
    t = a.triage
    numbers = [m.ty.label(m("label_call"), t.call)]
    if t.advice_line:
        numbers.append(m.ty.label(m("label_advice"), t.advice_line))
    return foot(a, m, numbers=m.ty.items(numbers))
