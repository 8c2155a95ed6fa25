"""Wells (2003, NICE NG158) and Ottawa, item by item."""

from __future__ import annotations

from typing import Any

import pytest

from kneeguide.engine import ScoreResult, compute_score
from kneeguide.evaluate.walk import with_implied
from kneeguide.ruleset.model import RuleSet

# A suspected clot (a painful calf: Wells is reported only where a clot is suspected),
# with every Wells item answered "absent" by examination and history.
WELLS_NONE: dict[str, Any] = {
    "calf_pain": "yes",
    "active_cancer": "no",
    "immobilised": "no",
    "recent_surgery": "no",
    "deep_vein_tenderness": "no",
    "whole_leg_swollen": "no",
    "calf_difference_cm": 0,
    "pitting_oedema": "no",
    "collateral_veins": "no",
    "previous_dvt": "no",
    "alternative_diagnosis_likely": "no",
}


def wells(rules: RuleSet, **answers: Any) -> ScoreResult:
    score = next(s for s in rules.scores if s.id == "wells_dvt")
    return compute_score(score, with_implied(rules, {**WELLS_NONE, **answers}))


def ottawa(rules: RuleSet, **answers: Any) -> ScoreResult:
    score = next(s for s in rules.scores if s.id == "ottawa_knee")
    base: dict[str, Any] = {
        "injury": "yes",
        "injury_mechanism": "twisting",
        "age": 30,
        "fibular_head_tenderness": "no",
        "patella_tenderness_isolated": "no",
        "can_flex_90": "yes",
        "able_to_bear_weight": "yes",
        "duration_days": 1,
        "knee_deformity": "no",
        "knee_replacement": "no",
    }
    return compute_score(score, with_implied(rules, {**base, **answers}))


def test_wells_with_every_item_absent_is_zero_and_unlikely(rules: RuleSet) -> None:
    result = wells(rules)
    assert (result.points, result.points_max, result.band, result.complete) == (0, 0, "unlikely", True)


@pytest.mark.parametrize(
    ("answers", "item"),
    [
        ({"active_cancer": "yes"}, "active_cancer"),
        ({"immobilised": "yes", "leg_cast_or_paralysis": "yes", "bedridden": "no"}, "paralysis_or_cast"),
        ({"recent_surgery": "yes"}, "bedridden_or_surgery"),
        ({"immobilised": "yes", "bedridden": "yes", "leg_cast_or_paralysis": "no"}, "bedridden_or_surgery"),
        ({"deep_vein_tenderness": "yes"}, "deep_vein_tenderness"),
        ({"whole_leg_swollen": "yes"}, "entire_leg_swollen"),
        ({"calf_difference_cm": 3}, "calf_swelling_3cm"),
        ({"pitting_oedema": "yes"}, "pitting_oedema"),
        ({"collateral_veins": "yes"}, "collateral_veins"),
        ({"previous_dvt": "yes"}, "previous_dvt"),
    ],
)
def test_each_wells_item_adds_one_point(rules: RuleSet, answers: dict[str, Any], item: str) -> None:
    result = wells(rules, **answers)
    assert result.points == 1, [(i.id, i.present) for i in result.items]
    assert [i.id for i in result.items if i.present] == [item]
    assert result.band == "unlikely"


def test_a_calf_difference_below_3_cm_does_not_count(rules: RuleSet) -> None:
    assert wells(rules, calf_difference_cm=2.9).points == 0


def test_two_points_is_likely(rules: RuleSet) -> None:
    result = wells(rules, active_cancer="yes", previous_dvt="yes")
    assert (result.points, result.band) == (2, "likely")


def test_alternative_diagnosis_subtracts_two_only_when_answered(rules: RuleSet) -> None:
    assert wells(rules, active_cancer="yes", alternative_diagnosis_likely="yes").points == -1
    answers = dict(WELLS_NONE, active_cancer="yes")
    del answers["alternative_diagnosis_likely"]
    score = next(s for s in rules.scores if s.id == "wells_dvt")
    result = compute_score(score, with_implied(rules, answers))
    assert result.points == 1  # never inferred
    assert result.complete  # a judgement item does not make the score incomplete


def test_unknown_items_widen_the_interval_and_hide_the_band(rules: RuleSet) -> None:
    score = next(s for s in rules.scores if s.id == "wells_dvt")
    result = compute_score(score, {"active_cancer": "yes"})
    assert result.points == 1 and result.points_max > 1
    assert result.band is None and not result.complete


def test_a_lay_proxy_counts_once_and_is_labelled(rules: RuleSet) -> None:
    answers = dict(WELLS_NONE)
    del answers["calf_difference_cm"]
    score = next(s for s in rules.scores if s.id == "wells_dvt")
    result = compute_score(score, with_implied(rules, {**answers, "calf_swelling": "yes"}))
    item = next(i for i in result.items if i.id == "calf_swelling_3cm")
    assert item.present is True and item.proxy is True
    assert (result.points, result.points_max) == (0, 1)  # the published score leaves the stand-in out
    assert result.estimate is not None and (result.estimate.points, result.estimate.points_max) == (1, 1)


def test_an_examination_answer_wins_over_the_lay_proxy(rules: RuleSet) -> None:
    result = wells(rules, calf_difference_cm=1, calf_swelling="yes")
    item = next(i for i in result.items if i.id == "calf_swelling_3cm")
    assert item.present is False and item.proxy is False


def test_ottawa_negative_when_no_criterion(rules: RuleSet) -> None:
    result = ottawa(rules)
    assert (result.points, result.band, result.applicable) == (0, "negative", True)


@pytest.mark.parametrize(
    ("answers", "item"),
    [
        ({"age": 55}, "age_55"),
        ({"fibular_head_tenderness": "yes"}, "fibular_head_tenderness"),
        ({"patella_tenderness_isolated": "yes"}, "isolated_patellar_tenderness"),
        ({"can_flex_90": "no"}, "cannot_flex_90"),
        ({"able_to_bear_weight": "no"}, "cannot_bear_weight"),
    ],
)
def test_each_ottawa_criterion_alone_makes_it_positive(
    rules: RuleSet, answers: dict[str, Any], item: str
) -> None:
    result = ottawa(rules, **answers)
    assert result.band == "positive"
    assert [i.id for i in result.items if i.present] == [item]


def test_age_54_is_not_an_ottawa_criterion(rules: RuleSet) -> None:
    assert ottawa(rules, age=54).band == "negative"


def test_ottawa_does_not_apply_without_an_injury(rules: RuleSet) -> None:
    result = ottawa(rules, injury="no", age=70)
    assert result.applicable is False and result.band is None


def test_ottawa_does_not_apply_to_a_sprinting_muscle_strain(rules: RuleSet) -> None:
    assert ottawa(rules, injury_mechanism="sprinting", age=60).applicable is False


def test_every_score_example_in_the_rules_holds(rules: RuleSet) -> None:
    for score in rules.scores:
        for case in score.examples:
            result = compute_score(score, with_implied(rules, case.answers))
            assert (result.points, result.band) == (case.points, case.band), (score.id, case)
