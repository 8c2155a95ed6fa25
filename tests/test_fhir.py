"""FHIR R4 export: valid resources, enableWhen from ask_if, exact round trips."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from fhir.resources.R4B.riskassessment import RiskAssessment
from stories import EVERY_WARNING

from kneeguide.api import assess, load_rules
from kneeguide.inputs.fhir import answers_from_response
from kneeguide.render import fhir
from kneeguide.ruleset.answers import parse_answers

CLASSES = {
    "Questionnaire": Questionnaire,
    "QuestionnaireResponse": QuestionnaireResponse,
    "RiskAssessment": RiskAssessment,
    "Patient": Patient,
}
STORIES: list[dict[str, Any]] = [
    {"age": 64, "sex": "female", "calf_swelling": "yes", "recent_surgery": "yes", "duration_days": 3.5},
    {"age": 30, "injury": "yes", "injury_mechanism": "twisting", "pain_score": 7, "knee_locking": "unsure"},
    {"calf_difference_cm": 3.2, "alternative_diagnosis_likely": "yes", "side": "both"},
    {},
]


def export(answers: dict[str, Any], tmp_path: Path, *extra: str) -> dict[str, Any]:
    source = tmp_path / "answers.json"
    source.write_text(json.dumps(answers))
    done = subprocess.run(
        [sys.executable, "-m", "kneeguide", "export", "--fhir", "--answers", str(source), *extra],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def test_the_bundle_and_every_resource_validate(tmp_path: Path) -> None:
    data = export(STORIES[0], tmp_path)
    Bundle.model_validate(data)
    kinds = [e["resource"]["resourceType"] for e in data["entry"]]
    assert kinds == ["Questionnaire", "Patient", "QuestionnaireResponse", "RiskAssessment"]
    for entry in data["entry"]:
        CLASSES[entry["resource"]["resourceType"]].model_validate(entry["resource"])


def test_the_questionnaire_has_every_question_and_enable_when_from_ask_if() -> None:
    rules = load_rules()
    q = fhir.questionnaire(rules)
    items = {i["linkId"]: i for i in q["item"]}
    assert set(items) == set(rules.questions)
    pulsating = items["lump_pulsating"]
    assert pulsating["enableWhen"] == [
        {
            "question": "lump_behind_knee",
            "operator": "=",
            "answerCoding": {"system": fhir.ANSWER_SYSTEM, "code": "yes"},
        }
    ]
    assert items["age"]["type"] == "integer" and items["duration_days"]["type"] == "decimal"
    codes = [o["valueCoding"]["code"] for o in items["calf_swelling"]["answerOption"]]
    assert codes == ["yes", "no", "unsure"]


@pytest.mark.parametrize("answers", STORIES)
def test_answers_round_trip_exactly_through_a_questionnaire_response(answers: dict[str, Any]) -> None:
    rules = load_rules()
    clean = parse_answers(answers, rules.questions)
    response = fhir.questionnaire_response(rules, clean)
    QuestionnaireResponse.model_validate(response)
    back = parse_answers(answers_from_response(json.loads(json.dumps(response))), rules.questions)
    assert back == clean


def test_assess_accepts_a_questionnaire_response(tmp_path: Path) -> None:
    rules = load_rules()
    response = fhir.questionnaire_response(rules, parse_answers(STORIES[0], rules.questions))
    path = tmp_path / "qr.json"
    path.write_text(json.dumps(response))
    done = subprocess.run(
        [sys.executable, "-m", "kneeguide", "assess", "--answers", str(path), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    expected = assess(STORIES[0], rules=rules)
    assert json.loads(done.stdout)["triage"]["level"] == expected.triage.level.id


def test_the_risk_assessment_carries_the_level_and_red_flags(tmp_path: Path) -> None:
    data = export(STORIES[0], tmp_path)
    risk = data["entry"][3]["resource"]
    codes = [p["outcome"]["coding"][0]["code"] for p in risk["prediction"]]
    assert codes[0] == "urgent" and "dvt" in codes
    assert "not a diagnosis" in risk["note"][0]["text"]


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_risk_assessment_notes_the_disclaimer_then_every_warning(lang: str, tmp_path: Path) -> None:
    data = export(EVERY_WARNING, tmp_path, "--lang", lang)
    Bundle.model_validate(data)
    risk = data["entry"][3]["resource"]
    RiskAssessment.model_validate(risk)
    expected = assess(EVERY_WARNING, rules=load_rules(), lang=lang)
    assert len(expected.warnings) >= 5
    assert [note["text"] for note in risk["note"]] == [expected.disclaimer, *expected.warnings]
    assert all(set(note) == {"text"} for note in risk["note"])  # plain Annotations


def test_without_warnings_the_risk_assessment_notes_the_disclaimer_alone(tmp_path: Path) -> None:
    answers = {"age": 40}
    assert assess(answers, rules=load_rules()).warnings == ()
    risk = export(answers, tmp_path)["entry"][3]["resource"]
    assert risk["note"] == [{"text": assess(answers, rules=load_rules()).disclaimer}]


def test_an_unfinished_session_exports_in_progress(tmp_path: Path) -> None:
    session = tmp_path / "s.json"
    session.write_text(
        json.dumps(
            {
                "format": "kneeguide-session",
                "version": 1,
                "status": "in_progress",
                "audience": "lay",
                "region": "JP",
                "lang": "en",
                "rules_digest": "x",
                "answers": {"age": 50},
                "steps": [["age"]],
            }
        )
    )
    done = subprocess.run(
        [sys.executable, "-m", "kneeguide", "export", "--fhir", "--session", str(session)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["entry"][2]["resource"]["status"] == "in-progress"
