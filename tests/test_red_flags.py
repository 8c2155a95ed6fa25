"""Red flags: each rule's own examples, and the safety rules of contract §4."""

from __future__ import annotations

from typing import Any

import pytest
from stories import NEGATIVE_SCREEN

from kneeguide.authoring.testing import run_tests
from kneeguide.ids import Level
from kneeguide.ruleset.load import load_rules
from kneeguide.ruleset.model import RuleSet

RULES = load_rules()
FIRES = [(f.id, a) for f in RULES.red_flags for a in f.examples.fires]
QUIET = [(f.id, a) for f in RULES.red_flags for a in f.examples.quiet]


@pytest.mark.parametrize(("flag", "answers"), FIRES, ids=[f"{f}-{i}" for i, (f, _) in enumerate(FIRES)])
def test_red_flag_fires_on_its_examples(run: Any, flag: str, answers: dict[str, Any]) -> None:
    result = run(answers)
    assert flag in [h.id for h in result.red_flags]
    hit = next(h for h in result.red_flags if h.id == flag)
    assert result.triage.level >= hit.level
    assert hit.because, "a raised red flag names the answers that raised it"


@pytest.mark.parametrize(("flag", "answers"), QUIET, ids=[f"{f}-{i}" for i, (f, _) in enumerate(QUIET)])
def test_red_flag_stays_quiet_on_its_examples(run: Any, flag: str, answers: dict[str, Any]) -> None:
    result = run(answers)
    assert flag not in [h.id for h in result.red_flags]
    assert flag not in [n.id for n in result.not_excluded]


def test_rules_validate_finds_no_failing_example(rules: RuleSet) -> None:
    assert [r for r in run_tests(rules) if r.status != "passed"] == []


def test_every_red_flag_has_references_and_both_kinds_of_example(rules: RuleSet) -> None:
    for flag in rules.red_flags:
        assert flag.references and flag.examples.fires and flag.examples.quiet, flag.id


LEVELS = {"emergency": Level.EMERGENCY, "urgent": Level.URGENT, "soon": Level.SOON}


@pytest.mark.parametrize(
    ("flag", "level"),
    [
        ("pulmonary_embolism", "emergency"),
        ("acute_limb_ischaemia", "emergency"),
        ("compartment_syndrome", "emergency"),
        ("cauda_equina", "emergency"),
        ("knee_dislocation", "emergency"),
        ("dvt", "urgent"),
        ("ruptured_bakers_cyst", "urgent"),
        ("septic_arthritis", "urgent"),
        ("fracture", "urgent"),
        ("cellulitis", "urgent"),
        ("neuro_deficit", "urgent"),
    ],
)
def test_life_threats_have_the_reference_level(rules: RuleSet, flag: str, level: str) -> None:
    assert next(f for f in rules.red_flags if f.id == flag).level == LEVELS[level]


HAMSTRING = {
    **NEGATIVE_SCREEN,
    "age": 28,
    "sex": "male",
    "injury": "yes",
    "injury_mechanism": "sprinting",
    "pain_running": "yes",
    "onset": "sudden",
    "duration_days": 3,
    "pain_score": 4,
    "able_to_bear_weight": "yes",
    "can_flex_90": "yes",
    "knee_went_out": "no",
}


def test_a_complete_benign_story_can_be_self_care(run: Any) -> None:
    result = run(HAMSTRING)
    assert not result.red_flags and not result.not_excluded
    assert result.triage.level == Level.SELF_CARE
    assert result.likely_causes[0].id == "hamstring_injury"


def test_a_red_flag_overrides_a_benign_cause_ranking(run: Any) -> None:
    result = run({**HAMSTRING, "calf_swelling": "yes"})
    assert "dvt" in [h.id for h in result.red_flags]
    assert result.triage.level >= Level.URGENT


def test_a_low_wells_score_never_clears_a_swollen_calf(run: Any) -> None:
    answers = {
        **NEGATIVE_SCREEN,
        "age": 50,
        "calf_swelling": "yes",
        "calf_difference_cm": 1,
        "deep_vein_tenderness": "no",
        "pitting_oedema": "no",
        "collateral_veins": "no",
        "alternative_diagnosis_likely": "yes",
    }
    result = run(answers, audience="practitioner")
    assert result.scores[0].band == "unlikely"
    assert "dvt" in [h.id for h in result.red_flags]
    assert result.triage.level >= Level.URGENT


def test_pe_symptoms_with_a_possible_clot_are_an_emergency(run: Any) -> None:
    result = run({"calf_swelling": "yes", "short_of_breath": "yes"})
    assert result.triage.level == Level.EMERGENCY
    assert result.red_flags[0].level == Level.EMERGENCY


def test_a_burst_bakers_cyst_is_treated_as_a_possible_clot(run: Any) -> None:
    result = run({**NEGATIVE_SCREEN, "lump_behind_knee": "yes", "sudden_calf_pain_after_pop": "yes"})
    ids = [h.id for h in result.red_flags]
    assert "ruptured_bakers_cyst" in ids and "dvt" in ids
    assert result.triage.level >= Level.URGENT


def test_a_hot_swollen_knee_is_urgent_without_fever(run: Any) -> None:
    result = run({**NEGATIVE_SCREEN, "knee_joint_swelling": "yes", "warmth": "yes", "fever": "no"})
    assert "septic_arthritis" in [h.id for h in result.red_flags]
    assert result.triage.level >= Level.URGENT


def test_a_dislocated_knee_that_went_back_is_an_emergency(run: Any) -> None:
    result = run({**NEGATIVE_SCREEN, "injury": "yes", "knee_went_out": "yes"})
    assert result.triage.level == Level.EMERGENCY


def test_the_most_serious_red_flag_comes_first(run: Any) -> None:
    result = run({"calf_swelling": "yes", "saddle_numbness": "yes"})
    levels = [h.level for h in result.red_flags]
    assert levels == sorted(levels, reverse=True)
    assert result.red_flags[0].id == "cauda_equina"


def test_age_alone_is_never_self_care_or_routine_and_lists_what_is_missing(run: Any) -> None:
    result = run({"age": 30})
    assert result.triage.level >= Level.SOON
    missing = {n.id: n.missing for n in result.not_excluded}
    assert "dvt" in missing and "calf_swelling" in missing["dvt"]


@pytest.mark.parametrize(
    "answers",
    [{"calf_swelling": "yes"}, {"foot_cold_or_pale": "yes"}, {"knee_joint_swelling": "yes", "warmth": "yes"}],
)
def test_acupuncture_is_not_now_when_urgent_or_emergency(run: Any, answers: dict[str, Any]) -> None:
    result = run(answers)
    assert result.triage.level >= Level.URGENT
    assert result.acupuncture.suitability == "not_now"
    assert result.acupuncture.points == ()


def test_an_unsure_answer_is_treated_as_unknown(run: Any) -> None:
    result = run({**HAMSTRING, "calf_swelling": "unsure"})
    assert "dvt" in [n.id for n in result.not_excluded]
    assert result.triage.level >= Level.SOON


def test_acupuncture_is_not_now_for_any_raised_red_flag_even_a_soon_one(run: Any) -> None:
    result = run({**NEGATIVE_SCREEN, "lump_behind_knee": "yes", "lump_pulsating": "yes", "age": 70})
    assert [h.level for h in result.red_flags] == [Level.SOON]
    assert result.acupuncture.suitability == "not_now" and result.acupuncture.points == ()


SCREENED = {
    q: "no"
    for q in (
        "anticoagulants",
        "bleeding_disorder",
        "pacemaker",
        "diabetes",
        "skin_problem_at_site",
        "needle_fear",
        "immunosuppressed",
        "knee_replacement",
    )
}


def test_the_contraindication_screen_decides_suitability(run: Any) -> None:
    oa = {
        **NEGATIVE_SCREEN,
        **SCREENED,
        "age": 68,
        "sex": "female",
        "onset": "gradual",
        "duration_days": 200,
        "pain_bending": "yes",
        "able_to_bear_weight": "yes",
        "can_flex_90": "yes",
    }
    assert run(oa).acupuncture.suitability == "suitable"
    assert run({**oa, "anticoagulants": "yes"}).acupuncture.suitability == "caution"
    assert run({**oa, "bleeding_disorder": "yes"}).acupuncture.suitability == "not_now"
    unscreened = {k: v for k, v in oa.items() if k != "pacemaker"}
    result = run(unscreened)
    assert result.acupuncture.suitability == "caution" and "pacemaker" in result.acupuncture.unscreened


def test_a_script_answering_only_the_contract_ids_can_reach_self_care(run: Any) -> None:
    """Questions kneeguide added beyond the contract are asked only when a contract answer makes them
    relevant, so a complete answer set in the contract's ids alone excludes every red flag."""
    from kneeguide.ruleset.contract import QUESTION_IDS
    from kneeguide.ruleset.load import load_rules as load

    rules = load()
    answers: dict[str, Any] = {q: "no" for q in QUESTION_IDS if rules.questions[q].type == "yn"}
    answers.update(
        able_to_bear_weight="yes",
        can_flex_90="yes",
        age=28,
        sex="male",
        injury="yes",
        injury_mechanism="sprinting",
        pain_running="yes",
        onset="sudden",
        duration_days=3,
        pain_score=4,
    )
    result = run(answers)
    assert result.not_excluded == ()
    assert result.triage.level == Level.SELF_CARE


def test_a_red_flag_names_only_the_answers_that_raised_it() -> None:
    """After a hip operation the Wells item "bed rest or surgery" holds on the surgery: the
    person's "no" to bed rest is not a reason for the clot warning."""
    from kneeguide.api import assess

    story = {**NEGATIVE_SCREEN, "calf_swelling": "yes", "calf_pain": "yes", "recent_surgery": "yes"}
    story |= {"immobilised": "yes", "bedridden": "no", "leg_cast_or_paralysis": "no"}
    dvt = next(h for h in assess(story).red_flags if h.id == "dvt")
    assert "recent_surgery" in dvt.because
    assert "bedridden" not in dvt.because
    assert "leg_cast_or_paralysis" not in dvt.because


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_a_reason_that_is_an_answer_of_no_says_no(fmt: str) -> None:
    """A calf that hurts with no injury is a suspected clot because there was no injury:
    the report must say "no", or it reads as if the person had been injured."""
    import json

    from command import output

    story = {**NEGATIVE_SCREEN, "side": "left", "calf_pain": "yes", "injury": "no"}
    story |= {"radiating_pain": "no", "calf_pain_walking_relieved_by_rest": "no"}
    shown = output(
        "assess", "--format", fmt, "--answers", "-", stdin=json.dumps(story), env={"COLUMNS": "200"}
    )
    assert "Preceding injury (twist, fall or blow): no" in shown
    assert "Calf pain or tenderness: yes" in shown
