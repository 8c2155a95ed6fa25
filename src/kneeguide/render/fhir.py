"""FHIR R4 export: the questionnaire, the answers and the triage outcome.

``kneeguide export --fhir`` writes a Bundle (type ``collection``) holding the
Questionnaire generated from ``rules/questions.yaml`` (``enableWhen`` from
``ask_if``), the QuestionnaireResponse of the answers (``completed``, or
``in-progress`` for an unfinished session), its items nested in the Questionnaire's
section groups so that it conforms to it, and a RiskAssessment with the triage
level and the red flags (each prediction's ``rationale`` says why: the reasons and
the answers a flag rests on; ``mitigation`` says what to do), its notes the
disclaimer and every warning. The Bundle's ``timestamp``, the response's
``authored`` and the RiskAssessment's ``occurrenceDateTime`` are one time: when the
answers were given (a session's last answer; the clock for answers given now).
:mod:`kneeguide.inputs.fhir` reads a QuestionnaireResponse, or this whole Bundle,
back as answers, so answers → FHIR → answers is exact. Plain dicts, no FHIR library
at run time.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from kneeguide.engine import Assessment
from kneeguide.ids import Audience
from kneeguide.render.common import grounds_text, rules_label
from kneeguide.render.fhir_questionnaire import ANSWER_SYSTEM, form_order, questionnaire, questionnaire_url
from kneeguide.render.typography import typography
from kneeguide.ruleset.model import Answers, AnswerValue, Question, RuleSet

__all__ = ["ANSWER_SYSTEM", "bundle", "questionnaire", "questionnaire_response", "risk_assessment"]
LEVEL_SYSTEM = "urn:kneeguide:triage-level"
FLAG_SYSTEM = "urn:kneeguide:red-flag"


def _uuid(*parts: str) -> str:
    digest = hashlib.sha256("\0".join(parts).encode()).hexdigest()
    return f"urn:uuid:{digest[:8]}-{digest[8:12]}-4{digest[13:16]}-8{digest[17:20]}-{digest[20:32]}"


def _answer_value(q: Question, value: AnswerValue) -> dict[str, Any]:
    if q.type in ("yn", "choice") or value == "unsure":
        return {"valueCoding": {"system": ANSWER_SYSTEM, "code": str(value)}}
    if q.type == "int":
        return {"valueInteger": int(value)}
    return {"valueDecimal": float(value)}


def fhir_time(when: datetime | None) -> str:
    """``when`` (else now) as a FHIR ``dateTime``/``instant``: to the second, with its UTC
    offset (a time without one is taken as local time)."""
    when = when or datetime.now()
    return (when if when.tzinfo is not None else when.astimezone()).isoformat(timespec="seconds")


def response_items(rules: RuleSet, answers: Answers, audience: Audience) -> list[dict[str, Any]]:
    """The items of a response to the Questionnaire of ``audience``: one group per section
    with an answer (``section.<id>``, as the Questionnaire has it), its answered questions
    in the form's order. An answer to a question of another audience (not in this form)
    is kept too, in its section's group after the form's questions: nothing is dropped,
    though a validator will say the form does not ask it."""
    in_form = [q.id for _, questions in form_order(rules, audience) for q in questions]
    rank = {qid: i for i, qid in enumerate([*in_form, *(q for q in rules.questions if q not in in_form)])}
    groups: list[dict[str, Any]] = []
    for section in rules.sections:
        answered = sorted(
            (q for q in answers if rules.questions[q].section == section.id), key=rank.__getitem__
        )
        if answered:
            items = [
                {"linkId": q, "answer": [_answer_value(rules.questions[q], answers[q])]} for q in answered
            ]
            groups.append({"linkId": f"section.{section.id}", "item": items})
    return groups


def questionnaire_response(
    rules: RuleSet,
    answers: Answers,
    *,
    completed: bool = True,
    audience: Audience = Audience.LAY,
    authored: datetime | None = None,
) -> dict[str, Any]:
    """A QuestionnaireResponse of checked ``answers`` (``in-progress`` unless ``completed``),
    answering the Questionnaire of ``audience``, nested like it (:func:`response_items`),
    ``authored`` at that time (default: now). :mod:`kneeguide.inputs.fhir` reads it back
    exactly."""
    return {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": questionnaire_url(rules, audience),
        "status": "completed" if completed else "in-progress",
        "authored": fhir_time(authored),
        "item": response_items(rules, answers, audience),
    }


def risk_assessment(
    rules: RuleSet, a: Assessment, patient_ref: str, response_ref: str, *, when: datetime | None = None
) -> dict[str, Any]:
    """A RiskAssessment made at ``when`` (default: now): the triage level, then one
    prediction per red flag, each with its ``rationale`` (why: the triage's reasons; the
    answers a flag rests on and why it was raised higher); its ``mitigation`` is what to
    do (the triage's action, then each red flag's own); its notes (Annotations) are the
    disclaimer, then each of the assessment's warnings, in its language, those about a
    rule set that switches red flags off or rewords safety texts first of all (what the
    resource says may be that rule set's wording). Its ``method`` names the rule set
    (:func:`method_text`)."""
    ty = typography(rules, a.lang)
    level: dict[str, Any] = {
        "outcome": {
            "coding": [{"system": LEVEL_SYSTEM, "code": a.triage.level.id}],
            "text": a.triage.headline,
        }
    }
    if a.triage.reasons:
        level["rationale"] = ty.phrases(a.triage.reasons)
    predictions = [level]
    for h in a.red_flags:
        flag: dict[str, Any] = {
            "outcome": {"coding": [{"system": FLAG_SYSTEM, "code": h.id}], "text": h.title},
            "qualitativeRisk": {"coding": [{"system": LEVEL_SYSTEM, "code": h.level.id}]},
        }
        why = [w for w in (grounds_text(a, rules, h.because), *h.escalated_because) if w]
        if why:
            flag["rationale"] = ty.phrases(why)
        predictions.append(flag)
    actions = dict.fromkeys([a.triage.action, *(h.action for h in a.red_flags)])  # each once, in order
    return {
        "resourceType": "RiskAssessment",
        "status": "final",
        "subject": {"reference": patient_ref},
        "occurrenceDateTime": fhir_time(when),
        "method": {"text": method_text(rules, a)},
        "basis": [{"reference": response_ref}],
        "prediction": predictions,
        "mitigation": "\n\n".join(actions),
        "note": [
            *({"text": w} for w in a.announced),
            {"text": a.disclaimer},
            *({"text": w} for w in a.warnings if w not in a.announced),
        ],
    }


def method_text(rules: RuleSet, a: Assessment) -> str:
    """The RiskAssessment's method: kneeguide and the rule set that decided, the built-in
    one as ``kneeguide rules 2026.11.0 (sha256:…)``, a custom one by its label in the
    assessment's language (:func:`~kneeguide.render.common.rules_label`: custom, its own
    version, the built-in version it was checked against, its digest)."""
    if not a.rule_set.custom:
        return f"kneeguide rules {a.rules_version} ({a.rules_digest})"
    return "kneeguide " + rules_label(a.rule_set, rules, a.lang)


def bundle(
    rules: RuleSet, a: Assessment, *, completed: bool = True, authored: datetime | None = None
) -> dict[str, Any]:
    """The collection Bundle of ``kneeguide export --fhir``, stamped with ``authored``
    (when the answers were given; default: now); its urn:uuid ids are derived from the
    rules' digest and the answers, so the same input gives the same ids."""
    when = datetime.fromisoformat(fhir_time(authored))  # one time, to the second, everywhere
    seed = a.rules_digest + repr(sorted(a.answers.items()))
    patient_url, response_url = _uuid(seed, "patient"), _uuid(seed, "response")
    response = questionnaire_response(
        rules, a.answers, completed=completed, audience=a.audience, authored=when
    )
    entries = [
        {"fullUrl": _uuid(seed, "questionnaire"), "resource": questionnaire(rules, a.lang, a.audience)},
        {"fullUrl": patient_url, "resource": {"resourceType": "Patient", "active": True}},
        {"fullUrl": response_url, "resource": response},
        {
            "fullUrl": _uuid(seed, "risk"),
            "resource": risk_assessment(rules, a, patient_url, response_url, when=when),
        },
    ]
    return {"resourceType": "Bundle", "type": "collection", "timestamp": fhir_time(when), "entry": entries}
