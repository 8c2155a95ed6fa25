"""The interview's flow logic, without a terminal: what comes next, when it stops."""

from __future__ import annotations

from typing import Any

import pytest
import stories
from vignette_report import load_vignettes

from kneeguide.ids import Audience, Level
from kneeguide.interview.flow import Flow, Step
from kneeguide.interview.relevance import ALWAYS, BAND, RANKING, SCREENING
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


HAMSTRING = {
    **stories.HAMSTRING,
    "side": "right",
    "pain_sitting": "yes",
    "morning_stiffness_minutes": 0,
}


@pytest.mark.parametrize("audience", [Audience.LAY, Audience.PRACTITIONER], ids=lambda a: a.id)
def test_a_hamstring_strain_asks_nothing_twice_and_settles_everything(
    audience: Audience, rules: RuleSet
) -> None:
    flow = Flow(rules, audience)
    steps, answers = simulate(flow, HAMSTRING, rules)
    asked = [q for s in steps for q in s.questions]
    assert len(asked) == len(set(asked)), asked  # nothing is asked twice
    assert len(steps) <= 20, [s.questions for s in steps]
    result = flow.outcome(answers)
    assert result.not_excluded == frozenset(), "a complete interview leaves nothing not excluded"
    assert result.causes[0] == ("hamstring_injury", "strong")
    assert all(band is not None for _, band in result.bands), "every score's band is decided"
    assert result.suitability == "suitable", "the acupuncture screening was completed"


def test_saddle_numbness_stops_at_the_first_prompt(lay: Flow, rules: RuleSet) -> None:
    steps, answers = simulate(lay, {"saddle_numbness": "yes"}, rules)
    assert len(steps) == 1
    assert lay.emergencies(answers) == ["cauda_equina"]


def test_a_question_that_cannot_change_anything_is_skipped(lay: Flow, rules: RuleSet) -> None:
    # A man of 28 with a sprinting injury, told all he was asked: whether his knee bends
    # to 90 degrees (an Ottawa item; Ottawa does not apply to sprinting) changes nothing.
    _, answers = simulate(lay, HAMSTRING, rules)
    assert "can_flex_90" not in answers
    assert not lay.matters("can_flex_90", answers)
    assert "can_flex_90" in lay.skipped(answers)
    assert lay.next_step(answers) is None


def test_which_knee_hurts_is_always_asked_though_it_changes_nothing(lay: Flow, rules: RuleSet) -> None:
    assert rules.questions["side"].always_ask
    assert lay.outcome({"side": "left"}) == lay.outcome({})
    assert lay.why_ask("side", {}) == ALWAYS
    steps, _ = simulate(lay, {**HAMSTRING, "side": "left"}, rules)
    assert ("side",) in [s.questions for s in steps]


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
    answers: dict[str, Any] = {}
    while (
        later := lay.next_step(answers, individually=[alone])
    ) is not None and later.section == "emergency":
        if alone in later.questions:
            break
        answers.update({q: "no" for q in later.questions})
    assert later is not None and later.questions == (alone,) and not later.checklist


def test_number_candidates_straddle_every_threshold(lay: Flow, rules: RuleSet) -> None:
    values = lay.candidates(rules.questions["age"])
    assert {54, 55, 56} <= set(values) and min(values) == 0 and max(values) == 120


def test_why_names_the_rules_an_answer_feeds(lay: Flow) -> None:
    titles = lay.why("calf_swelling")
    assert any("blood clot" in t for t in titles)
    assert any("Wells" in t for t in titles)


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


def test_a_tick_list_of_one_is_asked_as_a_yes_no_question(lay: Flow, rules: RuleSet) -> None:
    _, answers = simulate(lay, HAMSTRING, rules)
    del answers["hip_pain"]  # the only item of "Back and nerves" still to answer
    step = lay.next_step(answers)
    assert step == Step("nerves_back", ("hip_pain",), checklist=False)


# -- the calf story of issue 13: swollen, painful, warm calf, 64, recent surgery ---------------

CALF = stories.CALF_CLOT


@pytest.mark.parametrize("audience", [Audience.LAY, Audience.PRACTITIONER], ids=lambda a: a.id)
def test_the_calf_story_asks_about_recent_surgery_and_the_side(audience: Audience, rules: RuleSet) -> None:
    flow = Flow(rules, audience)
    steps, answers = simulate(flow, CALF, rules)
    asked = {q for s in steps for q in s.questions}
    assert {"recent_surgery", "side"} <= asked
    result = flow.outcome(answers)
    assert result.causes[0] == ("dvt", "strong"), "surgery makes the clot strong, and first"
    assert ("dvt", Level.URGENT) in result.raised


# -- groups of questions that matter only together -------------------------------------------


@pytest.mark.parametrize("audience", [Audience.LAY, Audience.PRACTITIONER], ids=lambda a: a.id)
def test_the_acupuncture_screening_is_asked_as_a_whole(audience: Audience, rules: RuleSet) -> None:
    """While any item is unscreened acupuncture stays "caution", so no single item changes
    it; the screen is asked whenever suitability could still be other than "not now"."""
    flow = Flow(rules, audience)
    steps, answers = simulate(flow, HAMSTRING, rules)
    asked = {q for s in steps for q in s.questions}
    assert {"anticoagulants", "bleeding_disorder", "pacemaker", "skin_problem_at_site"} <= asked
    assert {"diabetes", "needle_fear", "immunosuppressed", "knee_replacement"} <= asked
    assert flow.outcome(answers).suitability == "suitable"
    unscreened = {q: v for q, v in answers.items() if rules.questions[q].section != "treatment"}
    now = flow.outcome(unscreened)
    assert now.suitability == "caution"
    assert all(flow.outcome({**unscreened, "pacemaker": v}) == now for v in ("yes", "no"))
    assert flow.why_ask("pacemaker", unscreened) == SCREENING


def test_the_screening_waits_for_a_doctor_in_the_lay_interview_when_the_level_is_urgent(
    lay: Flow, practitioner: Flow, rules: RuleSet
) -> None:
    _, answers = simulate(lay, CALF, rules)
    assert lay.outcome(answers).level == Level.URGENT
    assert "pacemaker" not in answers and "pacemaker" in lay.skipped(answers)
    # Urgent for a possible clot, no red flag raised: "not now" could still turn. The
    # practitioner screens; the lay person is sent to a doctor first.
    clot = {"leg_dent_when_pressed": "yes", "active_cancer": "yes"}
    assert lay.outcome(clot).level == Level.URGENT and not lay.outcome(clot).raised
    assert lay.why_ask("pacemaker", clot) is None
    assert practitioner.why_ask("pacemaker", clot) == SCREENING


def test_a_raised_red_flag_makes_the_screening_pointless(practitioner: Flow) -> None:
    assert practitioner.outcome({"bladder_bowel_change": "yes"}).suitability == "not_now"
    assert practitioner.why_ask("pacemaker", {"bladder_bowel_change": "yes"}) is None


def test_two_small_reasons_that_lift_a_cause_together_are_both_asked(lay: Flow, rules: RuleSet) -> None:
    """Back pain and pain on coughing are 0.8 each for referred back pain: one alone leaves
    it out of the leading three; both make it second."""
    story = vignette("pe_with_swollen_calf")
    answers = {q: v for q, v in story.items() if q not in ("back_pain", "pain_cough_sneeze")}
    now = lay.outcome(answers)
    for qid in ("back_pain", "pain_cough_sneeze"):
        assert all(lay.outcome({**answers, qid: v}) == now for v in ("yes", "no"))
        assert lay.why_ask(qid, answers) == RANKING
    both = lay.outcome({**answers, "back_pain": "yes", "pain_cough_sneeze": "yes"})
    assert both.causes[1] == ("referred_lumbar", "possible")


def test_examination_findings_that_overturn_lay_stand_ins_together_are_asked(
    practitioner: Flow,
) -> None:
    """Wells counts a painful calf for deep-vein tenderness and a swollen calf for 3 cm until
    the practitioner examines: both found normal, Wells is no longer "likely"."""
    answers = vignette("dvt_after_hip_replacement")
    now = practitioner.outcome(answers)
    assert ("wells_dvt", "likely") in now.bands
    for qid, values in (("deep_vein_tenderness", ("yes", "no")), ("calf_difference_cm", (0, 5))):
        assert all(practitioner.outcome({**answers, qid: v}) == now for v in values)
        assert practitioner.why_ask(qid, answers) == BAND
    both = practitioner.outcome({**answers, "deep_vein_tenderness": "no", "calf_difference_cm": 0})
    assert ("wells_dvt", "likely") not in both.bands


def vignette(name: str) -> dict[str, Any]:
    return next(dict(v["answers"]) for _, v in load_vignettes() if v["id"] == name)


@pytest.mark.parametrize("audience", [Audience.LAY, Audience.PRACTITIONER], ids=["lay", "practitioner"])
def test_no_tick_list_lets_a_person_contradict_themselves(rules: RuleSet, audience: Audience) -> None:
    """Ticking one item alone ("I was in bed for 3 days") must never record a "no" that
    rules that item out ("recently immobilised: no"): a follow-up waits for its own list."""
    from kneeguide.evaluate.walk import with_implied

    flow = Flow(rules, audience)
    stories = [{}, {"immobilised": "yes", "lump_behind_knee": "yes", "redness": "yes"}]
    stories += [dict(v["answers"]) for _, v in load_vignettes()]
    yes_to_all = {q.id: "yes" for q in rules.questions.values() if q.type == "yn"}
    for truth in stories:
        for answers_from in (truth, {**yes_to_all, **truth}):
            answers: dict[str, Any] = {}
            while (step := flow.next_step(answers)) is not None and len(answers) < 200:
                if step.checklist:
                    for alone in step.questions:
                        trial = {**answers, **{q: "yes" if q == alone else "no" for q in step.questions}}
                        ask_if = rules.questions[alone].ask_if
                        if ask_if is not None:
                            assert ask_if.evaluate(with_implied(rules, trial), {}) is not False, (
                                step.section,
                                alone,
                            )
                for qid in step.questions:
                    kind = rules.questions[qid].type
                    answers[qid] = answers_from.get(qid, "no" if kind == "yn" else "unsure")


def test_bed_rest_is_asked_after_immobilisation_is_answered(rules: RuleSet, lay: Flow) -> None:
    steps, answers = simulate(lay, {"immobilised": "yes", "bedridden": "yes"}, rules)
    where = {qid: i for i, step in enumerate(steps) for qid in step.questions}
    assert where["immobilised"] < where["bedridden"]
    assert answers["immobilised"] == "yes" and answers["bedridden"] == "yes"
