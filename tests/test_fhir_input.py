"""A FHIR QuestionnaireResponse is read completely or refused: nothing dropped, nothing guessed.

Each file under tests/inputs/fhir/ is one shape a forms tool or another system sends
(group items, answers nested under an answer, every value[x], codings of LOINC and
SNOMED CT, UCUM quantities, a Bundle holding one response) or one fault (a value type
that carries none of our answers, an unknown code, a repeated linkId, two answers,
malformed parts, a unit that cannot be converted exactly, a resource that holds no
answers); the real ``kneeguide assess`` reads it and gives the answers and level, or
exit 2 with one line per problem, every problem of the file at once, in item order,
each naming the JSON path and the linkId and showing the value as written.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kneeguide.api import assess, load_rules
from kneeguide.errors import InputError
from kneeguide.inputs.fhir import answers_from_response

INPUTS = Path(__file__).parent / "inputs" / "fhir"

#: file → the answers read from it (each also assessed: the level must be the same as of the
#: same answers given as a plain JSON answers file).
READ: dict[str, dict[str, Any]] = {
    # the issue's example: inside group items (was: {} and "soon", exit 0)
    "grouped.json": {"short_of_breath": "yes", "calf_swelling": "yes"},
    "answer_item.json": {"injury": "yes", "injury_mechanism": "twisting", "pop_felt": "yes"},
    "every_value_type.json": {
        "calf_swelling": "yes",  # valueBoolean
        "sex": "female",  # valueCoding, our own system
        "short_of_breath": "yes",  # LOINC LA33-6
        "chest_pain": "no",  # LOINC LA32-8
        "coughing_blood": "unsure",  # LOINC LA4489-6 Unknown
        "fainting": "unsure",  # LOINC LA12688-0 Don't know
        "fever": "yes",  # SNOMED CT 373066001
        "redness": "no",  # SNOMED CT 373067005
        "warmth": "unsure",  # SNOMED CT 261665006
        "age": 64,  # valueInteger
        "duration_days": 3.5,  # valueDecimal
        "pain_score": 7,  # valueString "7"
        "calf_difference_cm": 2.5,  # valueQuantity 25 mm
    },
    "quantity_inches.json": {"calf_difference_cm": 3.81},  # 1.5 [in_i]
    "quantity_metres.json": {"calf_difference_cm": 3},  # 0.03 m
    # UCUM times converted exactly (was: "3 wk is not in 'd'")
    "quantity_weeks.json": {"duration_days": 21, "morning_stiffness_minutes": 30},  # 3 wk, 0.5 h
    # the Bundle of `export --fhir` is read through its one QuestionnaireResponse
    "bundle_one_response.json": {"calf_swelling": "yes", "calf_pain": "no"},
}

#: file → the lines expected on stderr (each a fragment of one line), in order.
REFUSED: dict[str, list[str]] = {
    "value_date.json": [
        "item[0].item[0].answer[0] (linkId 'age'): valueDate cannot carry a kneeguide answer"
    ],
    "value_attachment.json": ["item[0].answer[0] (linkId 'calf_pain'): valueAttachment cannot carry"],
    "coding_unknown_system.json": [
        "(linkId 'calf_pain'): valueCoding http://terminology.hl7.org/CodeSystem/v2-0136|Y"
    ],
    "coding_unknown_loinc.json": [
        "(linkId 'calf_pain'): valueCoding http://loinc.org|LA6576-8 cannot be read"
    ],
    "coding_without_system.json": ["(linkId 'calf_pain'): valueCoding 'yes' without a system cannot be read"],
    "quantity_not_a_length.json": [
        "(linkId 'calf_difference_cm'): valueQuantity 3 kg cannot be read as a length in cm; "
        "expected a length in cm (UCUM 'cm'), or 'mm', 'm' or '[in_i]'"
    ],
    # a UCUM month or year is an average, no calendar length: refused, saying so
    "quantity_months.json": [
        "(linkId 'duration_days'): valueQuantity 2 mo cannot be read as days: a UCUM month ('mo') is an "
        "average of 30.4375 days, not a calendar length; expected days (UCUM 'd'), or 's', 'min', 'h' or 'wk'"
    ],
    "quantity_age_in_months.json": [
        "(linkId 'age'): valueQuantity 760 mo cannot be read as years: an age is read in whole years only; "
        "expected years (UCUM 'a')",
        "(linkId 'duration_days'): valueQuantity 3 cm cannot be read as days; expected days (UCUM 'd')",
    ],
    "repeated_linkid.json": [
        "item[1].item[0] (linkId 'calf_pain'): linkId repeated (first at item[0].item[0])"
    ],
    "two_answers.json": ["item[0] (linkId 'calf_pain'): 2 answers to one question; expected one"],
    "answer_object.json": ["item[0] (linkId 'calf_pain'): 'answer' must be a list of answers"],
    "answer_number.json": ["item[0] (linkId 'age'): 'answer' must be a list of answers"],
    "item_not_a_list.json": ["QuestionnaireResponse item: 'item' must be a list of items"],
    "missing_linkid.json": ["QuestionnaireResponse item[0]: the item has no linkId"],
    "several_problems.json": [  # every problem, not the first
        "item[0].item[0].answer[0] (linkId 'age'): valueDate",
        "item[0].item[1]: the item has no linkId",
        "item[0].item[2] (linkId 'calf_pain'): 2 answers",
        "item[0].item[3].answer[0] (linkId 'sex'): valueCoding urn:other|xx",
    ],
    # read, then checked like any answers file: the common checker's message, said of the item
    "out_of_range.json": [
        "QuestionnaireResponse item[0].item[0] (linkId 'age'): valueInteger 150 is not valid; "
        "expected a whole number from 0 to 120"
    ],
    # the newcomer's review: the structure's problems and the values' in one pass, in item order,
    # each value as written (the coding, not the "yes" it was read as)
    "structure_and_values.json": [
        "QuestionnaireResponse item[0].item[0].answer[0] (linkId 'age'): valueDate cannot carry",
        "QuestionnaireResponse item[0].item[1] (linkId 'side'): valueCoding http://snomed.info/sct|373066001 "
        "is not valid; expected one of: left, right, both (or unsure)",
        "QuestionnaireResponse item[0].item[2] (linkId 'pain_score'): valueDecimal 7.5 is not valid; "
        "expected a whole number from 0 to 10",
        "QuestionnaireResponse item[1] (linkId 'nonexistent_q'): unknown question id 'nonexistent_q'",
        "QuestionnaireResponse item[2] (linkId 'calf_pain'): 2 answers to one question; expected one",
        "QuestionnaireResponse item[3] (linkId 'side'): linkId repeated (first at item[0].item[1])",
    ],
    # FHIR, never answers: another resource is one line saying what to give
    "questionnaire.json": [
        "a FHIR Questionnaire holds questions, not answers: give the QuestionnaireResponse"
    ],
    "patient.json": ["a FHIR Patient holds no answers: give a FHIR QuestionnaireResponse"],
    "bundle_without_response.json": ["a FHIR Bundle without a QuestionnaireResponse holds no answers"],
    "bundle_value_refused.json": [  # a problem of the response in a Bundle names its path from the root
        "Bundle entry[1].resource.item[0].item[1] (linkId 'calf_pain'): "
        "valueCoding urn:kneeguide:answer|maybe is not valid; expected yes, no or unsure"
    ],
    "bundle_two_responses.json": [
        "a FHIR Bundle with 2 QuestionnaireResponses (entry[0], entry[2]): give one QuestionnaireResponse"
    ],
}


def kneeguide(*args: str) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("kneeguide", path=os.path.dirname(sys.executable))  # this interpreter's
    command = [exe] if exe else [sys.executable, "-m", "kneeguide"]
    return subprocess.run([*command, *args], capture_output=True, text=True, timeout=60, env=dict(os.environ))


def problems(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("kneeguide: ") and "region" not in line]


def test_every_fixture_is_in_a_table() -> None:
    assert {p.name for p in INPUTS.glob("*.json")} == set(READ) | set(REFUSED) | {
        "quantity_no_unit_question.json"
    }


@pytest.mark.parametrize("name", sorted(READ))
def test_a_response_is_read_whole_and_gives_the_level_of_its_answers(name: str) -> None:
    done = kneeguide("assess", "--answers", str(INPUTS / name), "--format", "json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["answers"] == READ[name]
    assert result["triage"]["level"] == assess(READ[name], rules=load_rules()).triage.level.id


def test_group_items_are_not_dropped_the_issue_s_example() -> None:
    done = kneeguide("assess", "--answers", str(INPUTS / "grouped.json"), "--format", "json")
    assert json.loads(done.stdout)["triage"]["level"] == "emergency"


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_what_cannot_be_read_is_refused_with_one_line_per_problem(name: str) -> None:
    done = kneeguide("assess", "--answers", str(INPUTS / name), "--format", "json")
    assert done.returncode == 2, done.stdout[:300]
    assert done.stdout == ""
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr
    lines = problems(done.stderr)
    assert len(lines) == len(REFUSED[name]), lines
    for line, fragment in zip(lines, REFUSED[name], strict=True):
        assert fragment in line
        assert f"{INPUTS / name}:" in line  # located in the file, at the item's line


def test_a_quantity_on_a_question_without_a_unit_is_refused() -> None:
    rules = load_rules()
    resource = json.loads((INPUTS / "quantity_no_unit_question.json").read_text())
    with pytest.raises(InputError) as caught:
        answers_from_response(resource, rules.questions)
    (line,) = caught.value.lines()
    assert "(linkId 'pain_score'): valueQuantity 3 cm: this question takes a number, no unit" in line


def test_a_quantity_in_the_question_s_own_unit_is_read_as_it_is_and_hours_as_days() -> None:
    rules = load_rules()
    resource = {
        "resourceType": "QuestionnaireResponse",
        "item": [
            {
                "linkId": "age",
                "answer": [
                    {"valueQuantity": {"value": 64, "system": "http://unitsofmeasure.org", "code": "a"}}
                ],
            },
            {"linkId": "duration_days", "answer": [{"valueQuantity": {"value": 3, "code": "h"}}]},
        ],
    }
    # hours are converted to days exactly (UCUM: h = 1/24 d); 3 h is 0.125 days
    assert answers_from_response(resource, rules.questions) == {"age": 64, "duration_days": 0.125}


@pytest.mark.parametrize(
    ("link_id", "value", "unit", "read"),
    [
        ("duration_days", 90, "min", 0.0625),
        ("duration_days", 72, "h", 3),  # exactly 3, so a threshold of 3 days holds
        ("duration_days", 2, "wk", 14),
        ("duration_days", 1.5, "d", 1.5),
        ("morning_stiffness_minutes", 90, "s", 1.5),  # the checker then refuses a part minute
        ("morning_stiffness_minutes", 1, "h", 60),
        ("calf_difference_cm", 25, "mm", 2.5),
        ("calf_difference_cm", 1.5, "[in_i]", 3.81),
        ("age", 64, "a", 64),
    ],
)
def test_a_quantity_is_converted_exactly_to_its_question_s_unit(
    link_id: str, value: float, unit: str, read: float
) -> None:
    quantity = {"value": value, "system": "http://unitsofmeasure.org", "code": unit}
    resource = {
        "resourceType": "QuestionnaireResponse",
        "item": [{"linkId": link_id, "answer": [{"valueQuantity": quantity}]}],
    }
    got = answers_from_response(resource, load_rules().questions)[link_id]
    assert got == read and type(got) is type(read)


@pytest.mark.parametrize(
    ("link_id", "unit", "reason"),
    [
        ("duration_days", "mo", "a UCUM month ('mo') is an average of 30.4375 days"),
        ("duration_days", "a", "a UCUM year ('a') is an average of 365.25 days"),
        ("morning_stiffness_minutes", "a_j", "a UCUM Julian year ('a_j') is an average of 365.25 days"),
        ("age", "mo", "an age is read in whole years only"),
        ("age", "wk", "an age is read in whole years only"),
        ("age", "d", "an age is read in whole years only"),
        ("duration_days", "cm", "expected days (UCUM 'd')"),
        ("age", "cm", "expected years (UCUM 'a')"),
        ("calf_difference_cm", "h", "expected a length in cm (UCUM 'cm')"),
    ],
)
def test_a_quantity_that_cannot_be_converted_exactly_says_why(link_id: str, unit: str, reason: str) -> None:
    quantity = {"value": 3, "system": "http://unitsofmeasure.org", "code": unit}
    resource = {
        "resourceType": "QuestionnaireResponse",
        "item": [{"linkId": link_id, "answer": [{"valueQuantity": quantity}]}],
    }
    with pytest.raises(InputError) as caught:
        answers_from_response(resource, load_rules().questions)
    (line,) = caught.value.lines()
    assert f"(linkId '{link_id}'): valueQuantity 3 {unit} cannot be read as" in line and reason in line


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"valueBoolean": "yes"}, "valueBoolean 'yes' is not a valid boolean"),
        ({"valueInteger": 3.5}, "valueInteger 3.5 is not a valid integer"),
        ({"valueInteger": True}, "valueInteger true is not a valid integer"),
        ({"valueDecimal": "3.5"}, "valueDecimal '3.5' is not a valid decimal"),
        ({"valueString": 7}, "valueString 7 is not a valid string"),
        ({"valueCoding": "yes"}, "valueCoding must be an object with a code"),
        ({"valueQuantity": {"unit": "cm"}}, "valueQuantity must be an object with a numeric value"),
        (
            {"valueQuantity": {"value": 3, "system": "http://example.org/units", "code": "cm"}},
            "has no UCUM unit",
        ),
        ({}, "the answer has no value[x]"),
        (
            {"valueInteger": 1, "valueString": "1"},
            "the answer has several values (valueInteger, valueString)",
        ),
        ({"valueDateTime": "2024-01-01T10:00:00Z"}, "valueDateTime cannot carry a kneeguide answer"),
        (
            {"valueReference": {"reference": "Observation/1"}},
            "valueReference cannot carry a kneeguide answer",
        ),
    ],
)
def test_a_malformed_value_names_the_item(value: dict[str, Any], expected: str) -> None:
    resource = {
        "resourceType": "QuestionnaireResponse",
        "item": [{"linkId": "calf_difference_cm", "answer": [value]}],
    }
    with pytest.raises(InputError) as caught:
        answers_from_response(resource)
    (line,) = caught.value.lines()
    assert line.startswith("QuestionnaireResponse item[0].answer[0] (linkId 'calf_difference_cm'): ")
    assert expected in line


@pytest.mark.parametrize("value", [{"valueInteger": 1}, {"valueDecimal": 0}, {"valueInteger": 0}])
def test_a_number_on_a_yes_no_question_is_refused_not_read_as_yes_or_no(value: dict[str, Any]) -> None:
    """1 may be a yes, a count or a score: a yes/no item is answered as a boolean or a coding."""
    resource = {
        "resourceType": "QuestionnaireResponse",
        "item": [{"linkId": "calf_swelling", "answer": [value]}],
    }
    with pytest.raises(InputError) as caught:
        answers_from_response(resource, load_rules().questions)
    (line,) = caught.value.lines()
    assert "(linkId 'calf_swelling'): " in line and "on a yes/no question; expected valueBoolean" in line


def test_display_and_unanswered_items_give_nothing_and_a_group_is_read_through() -> None:
    resource = {
        "resourceType": "QuestionnaireResponse",
        "item": [
            {"linkId": "section.leg", "text": "Leg", "item": [{"linkId": "calf_pain.help", "text": "Help"}]},
            {"linkId": "calf_pain"},
            {"linkId": "calf_swelling", "answer": [{"valueBoolean": False}]},
        ],
    }
    assert answers_from_response(resource) == {"calf_swelling": False}


def test_a_linkid_repeated_under_an_answer_is_refused_too() -> None:
    yes = {"valueCoding": {"system": "urn:kneeguide:answer", "code": "yes"}}
    nested = {
        "linkId": "injury_mechanism",
        "answer": [{"valueCoding": {"system": "urn:kneeguide:answer", "code": "fall"}}],
    }
    resource = {
        "resourceType": "QuestionnaireResponse",
        "item": [{"linkId": "injury", "answer": [{**yes, "item": [nested]}]}, nested],
    }
    with pytest.raises(InputError) as caught:
        answers_from_response(resource)
    assert caught.value.lines() == [
        "QuestionnaireResponse item[1] (linkId 'injury_mechanism'): "
        "linkId repeated (first at item[0].answer[0].item[0])"
    ]


def test_another_resource_is_not_read_as_answers() -> None:
    with pytest.raises(InputError, match="not a FHIR QuestionnaireResponse"):
        answers_from_response({"resourceType": "Questionnaire"})


def test_a_value_problem_keeps_the_item_and_the_written_value_in_japanese_too() -> None:
    done = kneeguide("assess", "--answers", str(INPUTS / "structure_and_values.json"), "--lang", "ja")
    assert done.returncode == 2
    lines = problems(done.stderr)
    assert "QuestionnaireResponse item[0].item[1] (linkId 'side'): side：valueCoding " in lines[1]
    assert "http://snomed.info/sct|373066001 は無効です" in lines[1]


@pytest.mark.parametrize("text", ['{"resourceType": 7, "age": 64}', '{"resourceType": "Observation"}'])
def test_any_mapping_with_a_resource_type_is_fhir_never_answers(text: str) -> None:
    exe = shutil.which("kneeguide", path=os.path.dirname(sys.executable))  # this interpreter's
    command = [exe] if exe else [sys.executable, "-m", "kneeguide"]
    done = subprocess.run(
        [*command, "assess", "-f", "-"], input=text, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    (line,) = problems(done.stderr)
    assert line.endswith("holds no answers: give a FHIR QuestionnaireResponse"), line
    assert "unknown question id" not in done.stderr


def test_a_batch_of_fhir_resources_one_a_line_is_read_as_assess_reads_each(tmp_path: Path) -> None:
    """NDJSON of QuestionnaireResponses (as a FHIR server exports them) went through as
    answers named `resourceType`, `item`, … and every line failed; now each line is read
    completely or refused like `assess -f`, the problem's field the linkId."""
    lines = [
        (INPUTS / "grouped.json").read_text(encoding="utf-8"),
        (INPUTS / "bundle_one_response.json").read_text(encoding="utf-8"),
        (INPUTS / "structure_and_values.json").read_text(encoding="utf-8"),
        (INPUTS / "patient.json").read_text(encoding="utf-8"),
    ]
    source = tmp_path / "responses.ndjson"
    source.write_text("".join(json.dumps(json.loads(text)) + "\n" for text in lines), encoding="utf-8")
    done = kneeguide("batch", str(source), "--region", "JP")
    records = [json.loads(line) for line in done.stdout.splitlines()]
    for record, name in zip(records[:2], ("grouped.json", "bundle_one_response.json"), strict=True):
        single = kneeguide("assess", "-f", str(INPUTS / name), "--region", "JP", "--format", "json")
        assert record["ok"] and record["level"] == json.loads(single.stdout)["triage"]["level"]
    refused = kneeguide("assess", "-f", str(INPUTS / "structure_and_values.json"), "--region", "JP")
    assert len(records[2]["errors"]) == refused.stderr.count("(linkId '") > 1
    assert all("(linkId '" in e["message"] or e["field"] is None for e in records[2]["errors"])
    assert records[3]["ok"] is False and "QuestionnaireResponse" in records[3]["errors"][0]["message"]
