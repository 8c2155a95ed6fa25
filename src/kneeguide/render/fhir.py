"""FHIR R4 export: the questionnaire, the answers and the triage outcome.

``kneeguide export --fhir`` writes a Bundle (type ``collection``) holding the
Questionnaire generated from ``rules/questions.yaml`` (``enableWhen`` from
``ask_if``), the QuestionnaireResponse of the answers (``completed``, or
``in-progress`` for an unfinished session) and a RiskAssessment with the triage
level and the red flags, its notes the disclaimer and every warning.
:mod:`kneeguide.inputs.fhir` reads a QuestionnaireResponse back as answers, so
answers → FHIR → answers is exact. Plain dicts, no FHIR library at run time.
"""

from __future__ import annotations

import hashlib
from typing import Any

from kneeguide.engine import Assessment
from kneeguide.ids import Audience
from kneeguide.render.fhir_questionnaire import ANSWER_SYSTEM, questionnaire, questionnaire_url
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


def questionnaire_response(
    rules: RuleSet, answers: Answers, *, completed: bool = True, audience: Audience = Audience.LAY
) -> dict[str, Any]:
    """A QuestionnaireResponse of checked ``answers`` (``in-progress`` unless ``completed``),
    answering the Questionnaire of ``audience``: one flat item per answer, which
    :mod:`kneeguide.inputs.fhir` reads back exactly (it reads the sections' groups too)."""
    items = [
        {"linkId": qid, "answer": [_answer_value(rules.questions[qid], value)]}
        for qid, value in answers.items()
    ]
    return {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": questionnaire_url(rules, audience),
        "status": "completed" if completed else "in-progress",
        "item": items,
    }


def risk_assessment(a: Assessment, patient_ref: str, response_ref: str) -> dict[str, Any]:
    """A RiskAssessment: the triage level, then one prediction per red flag; its notes
    (Annotations) are the disclaimer, then each of the assessment's warnings, in its language."""
    predictions = [
        {
            "outcome": {
                "coding": [{"system": LEVEL_SYSTEM, "code": a.triage.level.id}],
                "text": a.triage.headline,
            },
            "rationale": a.triage.action,
        }
    ]
    predictions += [
        {
            "outcome": {"coding": [{"system": FLAG_SYSTEM, "code": h.id}], "text": h.title},
            "qualitativeRisk": {"coding": [{"system": LEVEL_SYSTEM, "code": h.level.id}]},
            "rationale": h.action,
        }
        for h in a.red_flags
    ]
    return {
        "resourceType": "RiskAssessment",
        "status": "final",
        "subject": {"reference": patient_ref},
        "method": {"text": f"kneeguide rules {a.rules_version} ({a.rules_digest})"},
        "basis": [{"reference": response_ref}],
        "prediction": predictions,
        "mitigation": a.triage.action,
        "note": [{"text": a.disclaimer}, *({"text": w} for w in a.warnings)],
    }


def bundle(rules: RuleSet, a: Assessment, *, completed: bool = True) -> dict[str, Any]:
    """The collection Bundle of ``kneeguide export --fhir``; its urn:uuid ids are derived
    from the rules' digest and the answers, so the same input gives the same Bundle."""
    seed = a.rules_digest + repr(sorted(a.answers.items()))
    patient_url, response_url = _uuid(seed, "patient"), _uuid(seed, "response")
    entries = [
        {"fullUrl": _uuid(seed, "questionnaire"), "resource": questionnaire(rules, a.lang, a.audience)},
        {"fullUrl": patient_url, "resource": {"resourceType": "Patient", "active": True}},
        {
            "fullUrl": response_url,
            "resource": questionnaire_response(rules, a.answers, completed=completed, audience=a.audience),
        },
        {"fullUrl": _uuid(seed, "risk"), "resource": risk_assessment(a, patient_url, response_url)},
    ]
    return {"resourceType": "Bundle", "type": "collection", "entry": entries}
