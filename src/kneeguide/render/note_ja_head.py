"""The head of the Japanese referral letter (紹介状): title and date, addressee, sender,
the opening line and the patient.

The addressee is …御中 for an institution and …先生 for a named doctor; with none given,
a line to write the hospital on above 「担当医　先生」. The sender is the clinic profile
(in Japanese where the profile gives it), or blanks to fill in by hand, never invented;
a line to sign on either way. The patient is named with 様, age and sex after.
"""

from __future__ import annotations

from kneeguide.engine import Assessment
from kneeguide.render.common import answer_text, clinical
from kneeguide.render.note_blocks import BLANK, Block, Letterhead, Words, date_text
from kneeguide.ruleset.model import RuleSet

#: The sexes the patient line names by themselves (「女性」); any other answer is labelled.
NAMED_SEXES = ("female", "male")


def letterhead(a: Assessment, rules: RuleSet, m: Words, head: Letterhead) -> list[Block]:
    """Title, date, addressee, sender, the opening line and the patient."""
    title = m("note_title")
    patient = m("note_patient_name").format(name=head.patient or BLANK)
    running = m("inline_separator").join(
        x
        for x in (
            title,
            m("note_patient_name").format(name=head.patient) if head.patient else "",
            head.stamp(a.lang),
        )
        if x
    )
    blocks = [Block("running", running), Block("h1", title)]
    if head.incomplete:
        blocks.append(Block("banner", m("note_incomplete")))
    return [
        *blocks,
        Block("dateline", date_text(head.when, a.lang)),
        Block("address", (m("note_to"), _addressee(m, head))),
        Block("address", (m("note_from"), _sender(m, head))),
        Block("p", m("note_greeting")),
        Block("line", (m("label_patient"), m.ty.paren(patient, _patient(a, rules, m)))),
    ]


def _addressee(m: Words, head: Letterhead) -> list[str]:
    """…御中 for an institution, …先生 for a named doctor (under the institution, if
    given), or a line to write the hospital on above 「担当医　先生」."""
    doctor = m("note_to_doctor").format(name=head.doctor) if head.doctor else ""
    if head.to:
        return [head.to, doctor] if doctor else [m("note_to_institution").format(name=head.to)]
    return [doctor] if doctor else [BLANK, m("note_to_unnamed")]


def _sender(m: Words, head: Letterhead) -> list[str]:
    """The clinic profile's name, address, phone and e-mail (in Japanese where the profile
    gives them), or labelled blanks to fill in; a line to sign on either way."""
    clinic = head.clinic.in_language(m.lang) if head.clinic is not None else None
    if clinic is None:
        name = m.ty.paren(BLANK, m("note_clinic_name"))  # 「＿＿＿（施設名）」 after 「紹介元：」
        lines = [name, *(m.ty.label(m(key), BLANK) for key in ("note_address", "note_phone"))]
    else:
        reach = [
            m.ty.label(m(k), v) for k, v in (("note_phone", clinic.phone), ("note_email", clinic.email)) if v
        ]
        lines = [clinic.name, clinic.address, *([m.ty.inline(reach)] if reach else [])]
    return [*lines, m.ty.label(m("note_signed"), BLANK)]


def _patient(a: Assessment, rules: RuleSet, m: Words) -> str:
    """「64歳、女性」: age and sex, each unanswered one named as such."""
    facts = []
    for qid in ("age", "sex"):
        if qid not in rules.questions:
            continue
        value = a.answers.get(qid)
        if value is None or (qid == "sex" and value not in NAMED_SEXES):
            facts.append(m.ty.label(clinical(rules, qid, a.lang), answer_text(a, rules, qid)))
        else:
            facts.append(answer_text(a, rules, qid))
    return m.ty.items(facts)
