"""FHIR R4 export: valid resources, enableWhen from ask_if, exact round trips."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from datetime import datetime, timedelta, timezone
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
from kneeguide.evaluate import conditions
from kneeguide.ids import Audience
from kneeguide.inputs.fhir import answers_from_response
from kneeguide.interview.flow import Flow
from kneeguide.render import fhir
from kneeguide.render.fhir_questionnaire import asked_when, holds, not_false
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


def questions_of(q: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The question items of a Questionnaire, by linkId, at any depth (help items left out)."""
    found: dict[str, dict[str, Any]] = {}
    for item in q["item"]:
        if item["type"] == "group":
            found.update(questions_of(item))
        elif item["type"] != "display":
            found[item["linkId"]] = item
    return found


def test_the_questionnaire_has_every_question_of_its_audience_worded_for_it() -> None:
    rules = load_rules()
    for audience in Audience:
        q = fhir.questionnaire(rules, "en", audience)
        Questionnaire.model_validate(q)
        items = questions_of(q)
        assert set(items) == {x.id for x in rules.questions.values() if audience in x.audiences}
        assert all(items[x]["text"] == rules.questions[x].wording(audience)["en"] for x in items)
        assert q["url"].endswith(":" + audience.id)
    lay, practitioner = (set(questions_of(fhir.questionnaire(rules, "en", a))) for a in Audience)
    assert "calf_difference_cm" in practitioner - lay  # an examination item
    assert "leg_dent_when_pressed" in lay - practitioner  # its lay stand-in
    pulsating = questions_of(fhir.questionnaire(rules))["lump_pulsating"]
    yes, unsure = ({"system": fhir.ANSWER_SYSTEM, "code": c} for c in ("yes", "unsure"))
    assert pulsating["enableWhen"] == [
        {"question": "lump_behind_knee", "operator": "=", "answerCoding": yes},
        {"question": "lump_behind_knee", "operator": "=", "answerCoding": unsure},
        {"question": "lump_behind_knee", "operator": "exists", "answerBoolean": False},
    ]
    assert pulsating["enableBehavior"] == "any"


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_sections_come_in_interview_order_as_groups(lang: str) -> None:
    rules = load_rules()
    q = fhir.questionnaire(rules, lang, Audience.LAY)
    Questionnaire.model_validate(q)
    assert all(item["type"] == "group" for item in q["item"])
    order = [s.id for s in rules.sections]
    shown = [item["linkId"].removeprefix("section.") for item in q["item"]]
    assert shown == [s for s in order if s in shown] and "examination" not in shown
    titles = {s.id: s.title.get(lang, s.title["en"]) for s in rules.sections}
    assert [item["text"] for item in q["item"]] == [titles[s] for s in shown]
    assert q["language"] == lang


def interview_sections(rules: Any, audience: Audience, story: dict[str, Any]) -> dict[str, str]:
    """question id → the section in which the interview asks it, answering from ``story``
    (a question the story leaves out is answered "unsure", so every follow-up stays open)."""
    flow = Flow(rules, audience)
    answers: dict[str, Any] = {}
    asked: dict[str, str] = {}
    while (step := flow.next_step(answers)) is not None:
        for qid in step.questions:
            asked[qid] = step.section
            question = rules.questions[qid]
            answers[qid] = story.get(qid, "unsure" if question.offer_unsure else flow.candidates(question)[0])
    return asked


def test_each_question_is_in_the_section_the_interview_asks_it_in() -> None:
    rules = load_rules()
    for audience in Audience:
        q = fhir.questionnaire(rules, "en", audience)
        group = {qid: g["linkId"] for g in q["item"] for qid in questions_of(g)}
        rng = random.Random(5)
        stories = [{}, {"fever": "yes", "injury": "yes", "lump_behind_knee": "yes"}]
        stories += [
            {x: rng.choice(["yes", "no"]) for x in group if rules.questions[x].type == "yn"}
            for _ in range(20)
        ]
        for story in stories:
            for qid, section in interview_sections(rules, audience, story).items():
                assert group[qid] == "section." + section, (qid, story)


def test_a_follow_up_comes_right_after_the_last_question_of_its_section_that_opens_it() -> None:
    rules = load_rules()
    for audience in Audience:
        q = fhir.questionnaire(rules, "en", audience)
        order = list(questions_of(q))
        group = {qid: g["linkId"] for g in q["item"] for qid in questions_of(g)}
        for qid in order:
            question = rules.questions[qid]
            assert group[qid] == "section." + question.section, qid  # never moved to another section
            if question.ask_if is None:
                continue
            parents = [p for p in conditions.questions_in(question.ask_if) if group.get(p) == group[qid]]
            if not parents:
                continue  # opened from other sections only: where the file puts it in its own
            last = max(order.index(p) for p in parents)
            assert last < order.index(qid), qid  # never above a question of its section that opens it
            between = order[last + 1 : order.index(qid)]  # right after it, or after its other follow-ups
            assert all(rules.questions[b].ask_if is not None for b in between), (qid, between)
    q = fhir.questionnaire(rules)
    order = list(questions_of(q))
    emergency = list(questions_of(next(g for g in q["item"] if g["linkId"] == "section.emergency")))
    # the review's example: "very unwell" (a red flag of infection) was in the last section,
    # after a treatment question that also opens it; the interview asks it in the emergency screen
    assert emergency.index("feels_very_unwell") == emergency.index("fever") + 1
    # the issue's example: "does moving the toes hurt" right below the calf questions that open it
    assert emergency.index("pain_moving_toes") == emergency.index("calf_tense") + 1
    assert order.index("lump_pulsating") == order.index("lump_behind_knee") + 1
    assert order.index("lump_growing") == order.index("lump_pulsating") + 1


def test_number_items_carry_their_range_and_type() -> None:
    rules = load_rules()
    items = questions_of(fhir.questionnaire(rules, "en", Audience.PRACTITIONER))
    numbers = [x for x in rules.questions.values() if x.type in ("int", "number")]
    assert {x.id for x in numbers} <= set(items)
    for x in numbers:
        item = items[x.id]
        value = "valueInteger" if x.type == "int" else "valueDecimal"
        assert item["type"] == ("integer" if x.type == "int" else "decimal")
        bounds = {e["url"].rsplit("/", 1)[1]: e[value] for e in item.get("extension", []) if value in e}
        expected = {k: v for k, v in (("minValue", x.minimum), ("maxValue", x.maximum)) if v is not None}
        assert bounds == expected and all(
            type(v) is (int if x.type == "int" else float) for v in bounds.values()
        )
    assert {e["url"]: e["valueInteger"] for e in items["age"]["extension"]} == {
        "http://hl7.org/fhir/StructureDefinition/minValue": 0,
        "http://hl7.org/fhir/StructureDefinition/maxValue": 120,
    }


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_help_texts_are_help_buttons(lang: str) -> None:
    rules = load_rules()
    items = questions_of(fhir.questionnaire(rules, lang))
    for qid, item in items.items():
        question = rules.questions[qid]
        if question.help is None:
            assert "item" not in item
            continue
        (help_item,) = item["item"]
        assert help_item["type"] == "display" and help_item["text"] == question.help.get(
            lang, question.help["en"]
        )
        (control,) = help_item["extension"]
        assert control["url"] == "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl"
        assert control["valueCodeableConcept"]["coding"][0]["code"] == "help"


def test_yes_no_and_choice_items_offer_not_sure_as_the_interview_does() -> None:
    rules = load_rules()
    items = questions_of(fhir.questionnaire(rules))
    codes = {
        qid: [o["valueCoding"]["code"] for o in item.get("answerOption", [])] for qid, item in items.items()
    }
    assert codes["calf_swelling"] == ["yes", "no", "unsure"]
    assert codes["onset"] == ["sudden", "gradual", "unsure"]
    assert codes["sex"] == ["female", "male", "other", "unspecified"]  # offer_unsure: false
    assert items["calf_swelling"]["answerOption"][2]["valueCoding"]["display"] == "Not sure"


# -- enableWhen: exactly kneeguide's own skipping ---------------------------------------------------


def _when_holds(when: dict[str, Any], answers: dict[str, Any]) -> bool:
    """One enableWhen condition as FHIR R4 reads it: a disabled or unanswered item has no answer."""
    value = answers.get(when["question"])
    if when["operator"] == "exists":
        return (value is not None) == when["answerBoolean"]
    if value is None:
        return False
    if "answerCoding" in when:
        return value == when["answerCoding"]["code"] and when["operator"] == "="
    target = when.get("answerInteger", when.get("answerDecimal"))
    if isinstance(value, str):
        return False
    return {">=": value >= target, ">": value > target, "<=": value <= target, "<": value < target}[
        when["operator"]
    ]


def form_enabled(
    rules: Any, q: dict[str, Any], filled: dict[str, Any], audience: Audience
) -> dict[str, bool]:
    """Which question items a FHIR client enables once ``filled`` is entered: the answers of
    disabled items do not count, so it is worked out until nothing changes."""
    items = questions_of(q)
    in_form = frozenset(items)
    answers = {k: v for k, v in filled.items() if k in items}
    while True:
        enabled = {}
        for qid, item in items.items():
            if "enableWhen" in item:
                tests = [_when_holds(w, answers) for w in item["enableWhen"]]
                enabled[qid] = any(tests) if item.get("enableBehavior") == "any" else all(tests)
            elif any("enableWhenExpression" in e["url"] for e in item.get("extension", [])):
                question = rules.questions[qid]
                assert question.ask_if is not None
                enabled[qid] = holds(not_false(rules, question.ask_if, in_form), answers)
            else:
                enabled[qid] = True
        kept = {k: v for k, v in answers.items() if enabled[k]}
        if kept == answers:
            return enabled
        answers = kept


def _story(rules: Any, rng: random.Random, ids: list[str]) -> dict[str, Any]:
    flow = Flow(rules, Audience.LAY)
    story: dict[str, Any] = {}
    for qid in ids:
        question = rules.questions[qid]
        if rng.random() < 0.25:
            continue  # unanswered
        if question.type == "yn":
            story[qid] = rng.choice(["yes", "no", "yes", "no", "unsure"])
        elif question.type == "choice":
            story[qid] = rng.choice(
                [c.id for c in question.choices] + (["unsure"] if question.offer_unsure else [])
            )
        else:
            story[qid] = rng.choice(flow.candidates(question))
    return story


@pytest.mark.parametrize("audience", list(Audience))
def test_enable_when_shows_exactly_what_kneeguide_would_ask(audience: Audience) -> None:
    rules = load_rules()
    q = fhir.questionnaire(rules, "en", audience)
    flow = Flow(rules, audience)
    read = set()
    for question in rules.questions.values():
        if question.ask_if is not None:
            read |= conditions.questions_in(question.ask_if) | {question.id}
    ids = sorted(read)
    rng = random.Random(16)
    stories = [_story(rules, rng, ids) for _ in range(1500)]
    coded = [p for p in ids if rules.questions[p].type in ("yn", "choice")]  # a number item holds no "unsure"
    stories += [{}, {p: "unsure" for p in coded}, {p: "no" for p in ids if rules.questions[p].type == "yn"}]
    for story in stories:
        enabled = form_enabled(rules, q, story, audience)
        entered = {k: v for k, v in story.items() if enabled.get(k)}
        for qid, shown in enabled.items():
            assert shown == flow.applies(rules.questions[qid], entered), (qid, entered)
        for group in q["item"]:  # a section is shown while one of its questions is
            when = [_when_holds(w, entered) for w in group.get("enableWhen", [])]
            shown = not when or any(when) if group.get("enableBehavior") == "any" else all(when)
            if any("enableWhenExpression" in e["url"] for e in group.get("extension", [])):
                inside = [rules.questions[i["linkId"]] for i in group["item"]]
                shown = holds(asked_when(rules, inside, frozenset(enabled)), entered)
            assert shown == any(enabled[i["linkId"]] for i in group["item"]), group["linkId"]


def test_the_issue_s_skipping_faults() -> None:
    rules = load_rules()
    q = fhir.questionnaire(rules)
    enabled = form_enabled(rules, q, {"injury": "unsure"}, Audience.LAY)
    assert enabled["injury_mechanism"] and enabled["pop_felt"]  # "unsure" hid them
    assert not form_enabled(rules, q, {"injury": "no"}, Audience.LAY)["injury_mechanism"]
    assert not form_enabled(rules, q, {"sex": "male", "age": 30}, Audience.LAY)["pregnant"]  # shown for men
    assert form_enabled(rules, q, {"sex": "female", "age": 30}, Audience.LAY)["pregnant"]
    assert not form_enabled(rules, q, {"sex": "female", "age": 61}, Audience.LAY)["pregnant"]
    assert form_enabled(rules, q, {"sex": "female"}, Audience.LAY)["pregnant"]  # age unknown: asked
    text = json.dumps(q)
    assert '"answerDecimal"' not in text or all(  # age is compared as an integer
        w.get("question") != "age" or "answerInteger" in w
        for item in questions_of(q).values()
        for w in item.get("enableWhen", [])
    )
    pregnant = questions_of(q)["pregnant"]
    (expression,) = [e for e in pregnant["extension"] if "enableWhenExpression" in e["url"]]
    assert "linkId='sex'" in expression["valueExpression"]["expression"]
    assert "$this >= 10" in expression["valueExpression"]["expression"]


def conformance(
    response: dict[str, Any], questionnaire: dict[str, Any], audience: Audience = Audience.LAY
) -> list[str]:
    """What a validator checking ``response`` against ``questionnaire`` would reject (the
    structure rules of QuestionnaireResponse: linkIds at the same place in the same nesting,
    in the Questionnaire's order, a group with items and no answer, a question with answers
    of its type and, for a choice, one of its options, no answer to a disabled item: by
    ``enableWhen`` or by its FHIRPath ``enableWhenExpression``)."""
    errors: list[str] = []
    if response["questionnaire"] != questionnaire["url"]:
        errors.append("questionnaire: not the url of the Questionnaire")
    answers = {  # linkId → the code or number answered (as _when_holds reads it)
        i["linkId"]: (lambda v: v["code"] if isinstance(v, dict) else v)(next(iter(i["answer"][0].values())))
        for g in response.get("item", [])
        for i in g.get("item", [])
        if i.get("answer")
    }

    def walk(items: list[dict[str, Any]], defined: list[dict[str, Any]], path: str) -> None:
        by_id = {d["linkId"]: d for d in defined}
        order = [d["linkId"] for d in defined]
        seen = [i["linkId"] for i in items if i["linkId"] in by_id]
        if seen != sorted(seen, key=order.index) or len(set(seen)) != len(seen):
            errors.append(f"{path}: items not in the Questionnaire's order, or repeated")
        for item in items:
            here = f"{path}/{item['linkId']}"
            d = by_id.get(item["linkId"])
            if d is None:
                errors.append(f"{here}: no such item at this level of the Questionnaire")
                continue
            if d["type"] == "group":
                if "answer" in item or not item.get("item"):
                    errors.append(f"{here}: a group holds items, not answers")
                walk(item.get("item", []), d.get("item", []), here)
                continue
            if len(item.get("answer", [])) != 1:
                errors.append(f"{here}: not one answer")
                continue
            (key, value), *_ = item["answer"][0].items()
            wanted = {"choice": "valueCoding", "integer": "valueInteger", "decimal": "valueDecimal"}[
                d["type"]
            ]
            if key != wanted:
                errors.append(f"{here}: {key} for a {d['type']} item")
            elif d["type"] == "choice" and value not in [
                {k: o["valueCoding"][k] for k in value} for o in d["answerOption"]
            ]:
                errors.append(f"{here}: not one of its answerOptions")
            if not enabled[item["linkId"]]:
                errors.append(f"{here}: answered while disabled")

    enabled = form_enabled(load_rules(), questionnaire, answers, audience)
    walk(response.get("item", []), questionnaire["item"], "")
    return errors


@pytest.mark.parametrize("answers", STORIES)
def test_answers_round_trip_exactly_through_a_questionnaire_response(answers: dict[str, Any]) -> None:
    rules = load_rules()
    clean = parse_answers(answers, rules.questions)
    response = fhir.questionnaire_response(rules, clean)
    QuestionnaireResponse.model_validate(response)
    back = parse_answers(answers_from_response(json.loads(json.dumps(response))), rules.questions)
    assert back == clean


@pytest.mark.parametrize("audience", list(Audience))
def test_the_response_is_nested_like_its_questionnaire(audience: Audience) -> None:
    """Was: a flat response to a Questionnaire of section groups, rejected by validators."""
    rules = load_rules()
    questionnaire = fhir.questionnaire(rules, "en", audience)
    in_form = set(questions_of(questionnaire))
    flow = Flow(rules, audience)
    rng = random.Random(3)
    for _ in range(40):
        story = {k: v for k, v in _story(rules, rng, sorted(in_form)).items() if k in in_form}
        entered = {k: v for k, v in story.items() if flow.applies(rules.questions[k], story)}
        clean = parse_answers(entered, rules.questions)
        response = fhir.questionnaire_response(rules, clean, audience=audience)
        QuestionnaireResponse.model_validate(response)
        assert conformance(response, questionnaire, audience) == []
        assert all(g["item"] for g in response["item"])  # only the groups with answers
        assert parse_answers(answers_from_response(response), rules.questions) == clean


def test_the_conformance_check_can_fail() -> None:
    rules = load_rules()
    questionnaire = fhir.questionnaire(rules)
    flat = {
        "questionnaire": questionnaire["url"],
        "item": [{"linkId": "age", "answer": [{"valueInteger": 64}]}],
    }
    assert conformance(flat, questionnaire) == ["/age: no such item at this level of the Questionnaire"]
    wrong = fhir.questionnaire_response(rules, {"age": 64, "sex": "male", "pregnant": "no"})  # by FHIRPath
    assert conformance(wrong, questionnaire) == ["/section.about/pregnant: answered while disabled"]
    wrong = fhir.questionnaire_response(rules, {"lump_behind_knee": "no", "lump_pulsating": "no"})
    assert conformance(wrong, questionnaire) == ["/section.leg/lump_pulsating: answered while disabled"]
    wrong["item"][0]["item"].reverse()
    assert (
        conformance(wrong, questionnaire)[0]
        == "/section.leg: items not in the Questionnaire's order, or repeated"
    )


def test_the_response_and_the_assessment_are_dated() -> None:
    rules = load_rules()
    when = datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=timezone(timedelta(hours=9)))
    data = fhir.bundle(rules, assess(STORIES[0], rules=rules), authored=when)
    Bundle.model_validate(data)
    response, risk = data["entry"][2]["resource"], data["entry"][3]["resource"]
    assert (
        data["timestamp"] == response["authored"] == risk["occurrenceDateTime"] == "2024-05-06T07:08:09+09:00"
    )
    now = fhir.bundle(rules, assess(STORIES[0], rules=rules))  # answers given now: the clock
    stamped = datetime.fromisoformat(now["timestamp"])
    assert stamped.tzinfo is not None and abs(stamped - datetime.now(timezone.utc)) < timedelta(minutes=1)


def test_the_risk_assessment_carries_the_level_and_red_flags(tmp_path: Path) -> None:
    data = export(STORIES[0], tmp_path)
    risk = data["entry"][3]["resource"]
    codes = [p["outcome"]["coding"][0]["code"] for p in risk["prediction"]]
    assert codes[0] == "urgent" and "dvt" in codes
    assert "not a diagnosis" in risk["note"][0]["text"]


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_rationale_says_why_and_mitigation_what_to_do(lang: str, tmp_path: Path) -> None:
    """Was: ``rationale`` and ``mitigation`` the same text (the triage's action)."""
    data = export(STORIES[0], tmp_path, "--lang", lang)
    risk = data["entry"][3]["resource"]
    RiskAssessment.model_validate(risk)
    expected = assess(STORIES[0], rules=load_rules(), lang=lang)
    level, *flags = risk["prediction"]
    assert all(p["rationale"] not in risk["mitigation"] for p in risk["prediction"])
    for reason in expected.triage.reasons:  # why this level
        assert reason in level["rationale"]
    (dvt,) = (f for f in flags if f["outcome"]["coding"][0]["code"] == "dvt")
    calf_swelling = "Calf swelling: yes" if lang == "en" else "ふくらはぎの腫脹：はい"
    assert calf_swelling in dvt["rationale"]  # the answer the flag rests on
    assert risk["mitigation"].startswith(expected.triage.action)  # what to do, then each flag's own
    assert all(h.action in risk["mitigation"] for h in expected.red_flags)


def test_the_export_read_back_gives_the_same_answers_and_level(tmp_path: Path) -> None:
    """Was: ``assess -f bundle.json`` gave three "unknown question id" lines."""
    for answers in STORIES:
        bundle = tmp_path / "bundle.json"
        bundle.write_text(json.dumps(export(answers, tmp_path)))
        done = subprocess.run(
            [sys.executable, "-m", "kneeguide", "assess", "-f", str(bundle), "--format", "json"],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        result = json.loads(done.stdout)
        expected = assess(answers, rules=load_rules())
        assert result["answers"] == dict(expected.answers)
        assert result["triage"]["level"] == expected.triage.level.id


def test_the_exported_questionnaire_given_as_answers_is_one_clear_line(tmp_path: Path) -> None:
    path = tmp_path / "questionnaire.json"
    path.write_text(json.dumps(export(STORIES[0], tmp_path)["entry"][0]["resource"]))
    done = subprocess.run(
        [sys.executable, "-m", "kneeguide", "assess", "-f", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert [line for line in done.stderr.splitlines() if "region" not in line] == [
        f"kneeguide: {path}:1:1: "
        "a FHIR Questionnaire holds questions, not answers: give the QuestionnaireResponse"
    ]


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
                "created": "2024-05-06T01:00:00+00:00",
                "updated": "2024-05-06T01:02:03+00:00",
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
    # dated by the session's last answer, as the notes are (cli/notes.py session_times)
    last = datetime(2024, 5, 6, 1, 2, 3, tzinfo=timezone.utc)
    assert datetime.fromisoformat(data["timestamp"]) == last
    assert data["entry"][2]["resource"]["authored"] == data["timestamp"]
    assert data["entry"][3]["resource"]["occurrenceDateTime"] == data["timestamp"]


@pytest.mark.parametrize("chosen_by", ["config", "--audience"])
def test_the_export_holds_the_questionnaire_of_the_audience_and_its_response(
    tmp_path: Path, chosen_by: str
) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("audience: practitioner\nregion: JP\n" if chosen_by == "config" else "region: JP\n")
    source = tmp_path / "answers.json"
    source.write_text(json.dumps(STORIES[2]))
    option = ["--audience", "practitioner"] if chosen_by == "--audience" else []
    done = subprocess.run(
        [sys.executable, "-m", "kneeguide", "export", "--fhir", "--answers", str(source), *option],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "KNEEGUIDE_CONFIG": str(config)},
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    Bundle.model_validate(data)
    questionnaire, response = data["entry"][0]["resource"], data["entry"][2]["resource"]
    assert (
        questionnaire["url"].endswith(":practitioner") and response["questionnaire"] == questionnaire["url"]
    )
    assert "calf_difference_cm" in questions_of(questionnaire)
    assert "leg_dent_when_pressed" not in questions_of(questionnaire)
