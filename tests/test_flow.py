"""The interview's flow logic, without a terminal: what comes next, when it stops."""

from __future__ import annotations

from typing import Any

import pytest

from kneeguide.ids import Audience
from kneeguide.interview.flow import Flow
from kneeguide.ruleset.model import RuleSet


@pytest.fixture(scope="module")
def lay(rules: RuleSet) -> Flow:
    return Flow(rules, Audience.LAY)


@pytest.fixture(scope="module")
def practitioner(rules: RuleSet) -> Flow:
    return Flow(rules, Audience.PRACTITIONER)


def simulate(flow: Flow, truth: dict[str, Any], rules: RuleSet) -> tuple[list[Any], dict[str, Any]]:
    """Answer every prompt from ``truth`` (anything not in it: "no", or unknown for numbers)."""
    answers: dict[str, Any] = {}
    steps = []
    while (step := flow.next_step(answers)) is not None:
        steps.append(step)
        for qid in step.questions:
            q = rules.questions[qid]
            answers[qid] = truth.get(qid, "no" if q.type == "yn" else "unsure")
        if flow.emergencies(answers):
            break
        assert len(steps) < 60, "the interview must end"
    return steps, answers


def test_the_emergency_screen_comes_first_as_one_checklist(lay: Flow) -> None:
    step = lay.next_step({})
    assert step is not None and step.checklist and step.section == "emergency"
    assert {"short_of_breath", "saddle_numbness", "foot_cold_or_pale"} <= set(step.questions)


def test_a_hamstring_strain_takes_15_prompts_or_fewer(lay: Flow, rules: RuleSet) -> None:
    truth = {
        "age": 28,
        "sex": "male",
        "duration_days": 3,
        "onset": "sudden",
        "pain_score": 4,
        "injury": "yes",
        "injury_mechanism": "sprinting",
        "able_to_bear_weight": "yes",
        "can_flex_90": "yes",
        "pain_running": "yes",
        "pain_sitting": "yes",
        "morning_stiffness_minutes": 0,
    }
    steps, answers = simulate(lay, truth, rules)
    assert len(steps) <= 15, [s.questions for s in steps]
    result = lay.outcome(answers)
    assert result[2] == frozenset(), "a complete interview leaves nothing not excluded"


def test_saddle_numbness_stops_at_the_first_prompt(lay: Flow, rules: RuleSet) -> None:
    steps, answers = simulate(lay, {"saddle_numbness": "yes"}, rules)
    assert len(steps) == 1
    assert lay.emergencies(answers) == ["cauda_equina"]


def test_a_question_that_cannot_change_anything_is_skipped(lay: Flow) -> None:
    assert not lay.matters("side", {})


def test_pregnancy_is_not_asked_of_a_man(lay: Flow, rules: RuleSet) -> None:
    pregnant = rules.questions["pregnant"]
    assert not lay.applies(pregnant, {"sex": "male"})
    assert lay.applies(pregnant, {})  # unknown sex: still asked


def test_sex_is_asked_before_pregnancy_because_it_decides_it(lay: Flow) -> None:
    assert lay.matters("sex", {"age": 30})


def test_examination_items_are_asked_only_of_practitioners(
    lay: Flow, practitioner: Flow, rules: RuleSet
) -> None:
    assert not lay.applies(rules.questions["calf_difference_cm"], {})
    assert practitioner.applies(rules.questions["calf_difference_cm"], {})
    assert not practitioner.applies(rules.questions["leg_dent_when_pressed"], {})


def test_going_back_forgets_the_answer_and_its_dependents(lay: Flow) -> None:
    answers = {"lump_behind_knee": "yes", "lump_pulsating": "no", "lump_growing": "no", "age": 40}
    assert lay.forget(answers, ["lump_behind_knee"]) == {"age": 40}


def test_dependents_follow_skip_logic_transitively(lay: Flow) -> None:
    assert {"injury_mechanism", "knee_went_out", "pop_felt"} <= lay.dependents("injury")


def test_a_checklist_item_marked_for_one_by_one_is_asked_alone(lay: Flow) -> None:
    first = lay.next_step({})
    assert first is not None
    alone = "saddle_numbness"
    step = lay.next_step({}, individually=[alone])
    assert step is not None and alone not in step.questions
    others = {q: "no" for q in first.questions if q != alone}
    later = lay.next_step(others, individually=[alone])
    assert later is not None and later.questions == (alone,) and not later.checklist


def test_number_candidates_straddle_every_threshold(lay: Flow, rules: RuleSet) -> None:
    values = lay.candidates(rules.questions["age"])
    assert {54, 55, 56} <= set(values) and min(values) == 0 and max(values) == 120


def test_why_names_the_rules_an_answer_feeds(lay: Flow) -> None:
    titles = lay.why("calf_swelling")
    assert any("blood clot" in t for t in titles)
    assert any("Wells" in t for t in titles)


def test_estimate_counts_a_checklist_once(lay: Flow) -> None:
    assert 8 <= lay.remaining_estimate({}) <= 40


def test_going_back_keeps_dependents_that_were_answered_earlier(lay: Flow) -> None:
    # "pain on moving the toes" is asked in the first tick-list, before calf pain; undoing the
    # calf answers later must not throw away that earlier, independent answer.
    answers = {"pain_moving_toes": "no", "calf_pain": "yes", "age": 40}
    assert "pain_moving_toes" in lay.dependents("calf_pain")
    assert lay.forget(answers, ["calf_pain"], keep=["pain_moving_toes"]) == {
        "pain_moving_toes": "no",
        "age": 40,
    }
    assert lay.forget(answers, ["calf_pain"]) == {"age": 40}
