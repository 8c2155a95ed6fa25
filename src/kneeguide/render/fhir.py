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
from kneeguide.evaluate import conditions
from kneeguide.ruleset.model import Answers, AnswerValue, Question, RuleSet, pick

ANSWER_SYSTEM = "urn:kneeguide:answer"
LEVEL_SYSTEM = "urn:kneeguide:triage-level"
FLAG_SYSTEM = "urn:kneeguide:red-flag"


def _uuid(*parts: str) -> str:
    digest = hashlib.sha256("\0".join(parts).encode()).hexdigest()
    return f"urn:uuid:{digest[:8]}-{digest[8:12]}-4{digest[13:16]}-8{digest[17:20]}-{digest[20:32]}"


def questionnaire_url(rules: RuleSet) -> str:
    """The Questionnaire's canonical URL: one per rule-set version."""
    return f"urn:kneeguide:questionnaire:{rules.version}"


def _item_type(q: Question) -> str:
    return {"yn": "choice", "choice": "choice", "int": "integer", "number": "decimal"}[q.type]


def _enable_when(q: Question) -> tuple[list[dict[str, Any]], str | None]:
    """``ask_if`` as enableWhen. Conditions FHIR cannot express exactly are widened
    (asked more often, never less): only their answer tests are kept."""
    cond = q.ask_if
    if cond is None:
        return [], None
    behavior = "any" if isinstance(cond, conditions.Any) else "all"
    leaves = [cond] if not isinstance(cond, (conditions.All, conditions.Any)) else list(cond.children)
    out: list[dict[str, Any]] = []
    for leaf in leaves:
        if isinstance(leaf, conditions.AnswerIs):
            values = sorted(leaf.values)
            if len(values) > 1 and behavior == "all" and len(leaves) > 1:
                continue  # "one of several" inside "all of": not expressible; widen
            if len(values) > 1:
                behavior = "any"
            out += [
                {
                    "question": leaf.question,
                    "operator": "=",
                    "answerCoding": {"system": ANSWER_SYSTEM, "code": v},
                }
                for v in values
            ]
        elif isinstance(leaf, conditions.AnswerCompare):
            op = {"ge": ">=", "gt": ">", "le": "<=", "lt": "<"}[leaf.op]
            out.append({"question": leaf.question, "operator": op, "answerDecimal": leaf.threshold})
    if not out:
        return [], None
    return out, (behavior if len(out) > 1 else None)


def questionnaire(rules: RuleSet, lang: str = "en") -> dict[str, Any]:
    """A Questionnaire resource of every question, worded in ``lang`` for the lay reader."""
    items = []
    for q in rules.questions.values():
        item: dict[str, Any] = {"linkId": q.id, "text": pick(q.lay, lang), "type": _item_type(q)}
        if q.type == "yn":
            item["answerOption"] = [
                {"valueCoding": {"system": ANSWER_SYSTEM, "code": c, "display": c}}
                for c in ("yes", "no", "unsure")
            ]
        elif q.type == "choice":
            item["answerOption"] = [
                {"valueCoding": {"system": ANSWER_SYSTEM, "code": c.id, "display": pick(c.text, lang)}}
                for c in q.choices
            ]
        when, behavior = _enable_when(q)
        if when:
            item["enableWhen"] = when
            if behavior:
                item["enableBehavior"] = behavior
        items.append(item)
    return {
        "resourceType": "Questionnaire",
        "url": questionnaire_url(rules),
        "version": rules.version,
        "name": "KneeguidePosteriorKneePain",
        "title": pick(rules.title, lang),
        "status": "active",
        "item": items,
    }


def _answer_value(q: Question, value: AnswerValue) -> dict[str, Any]:
    if q.type in ("yn", "choice") or value == "unsure":
        return {"valueCoding": {"system": ANSWER_SYSTEM, "code": str(value)}}
    if q.type == "int":
        return {"valueInteger": int(value)}
    return {"valueDecimal": float(value)}


def questionnaire_response(rules: RuleSet, answers: Answers, *, completed: bool = True) -> dict[str, Any]:
    """A QuestionnaireResponse of checked ``answers`` (``in-progress`` unless ``completed``)."""
    items = [
        {"linkId": qid, "answer": [_answer_value(rules.questions[qid], value)]}
        for qid, value in answers.items()
    ]
    return {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": questionnaire_url(rules),
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
        {"fullUrl": _uuid(seed, "questionnaire"), "resource": questionnaire(rules, a.lang)},
        {"fullUrl": patient_url, "resource": {"resourceType": "Patient", "active": True}},
        {"fullUrl": response_url, "resource": questionnaire_response(rules, a.answers, completed=completed)},
        {"fullUrl": _uuid(seed, "risk"), "resource": risk_assessment(a, patient_url, response_url)},
    ]
    return {"resourceType": "Bundle", "type": "collection", "entry": entries}
