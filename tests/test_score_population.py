"""Where a score applies, with the reason, as a script and a reader see it.

Each score is reported only inside the population it was validated in: Ottawa for
an acute knee injury in adults and children over 5, within about 7 days, not for a
deformed or replaced knee; Wells in adults. ``applicable`` is true, false or null
(an answer it needs is missing), ``applicability`` lists each bound that is not met
or not known with its reason, and outside the population no band is reported. The
red flags do not read these bounds: a score that is not reported still raises them.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from command import flat
from command import output as kneeguide
from stories import NEGATIVE_SCREEN

from kneeguide.api import as_dict, assess
from kneeguide.engine import ScoreResult
from kneeguide.render.common import typography
from kneeguide.ruleset.model import RuleSet


def ottawa_json(answers: dict[str, Any]) -> dict[str, Any]:
    data = json.loads(kneeguide("assess", "--format", "json", "--answers", "-", stdin=json.dumps(answers)))
    return data["scores"]["ottawa_knee"]  # type: ignore[no-any-return]


#: A twist yesterday, walking and bending normally, no tender bone: Ottawa negative
#: wherever it applies. Age is added by each test.
TWIST: dict[str, Any] = {
    **NEGATIVE_SCREEN,
    "sex": "female",
    "side": "right",
    "injury": "yes",
    "injury_mechanism": "twisting",
    "duration_days": 1,
    "able_to_bear_weight": "yes",
    "can_flex_90": "yes",
    "outer_knee_bone_tender": "no",
    "kneecap_tender": "no",
}

#: A practitioner's examination of the same knee: no tender bone.
EXAMINED: dict[str, Any] = {"fibular_head_tenderness": "no", "patella_tenderness_isolated": "no"}

NEGATIVE = "Ottawa negative: this rule does not call for an X-ray"


def test_a_three_year_olds_twist_is_outside_the_ottawa_knee_rule() -> None:
    ottawa = ottawa_json({**TWIST, "age": 3})
    assert (ottawa["applicable"], ottawa["band"]) == (False, None)
    assert ottawa["applicability"] == [
        {"id": "age_over_5", "met": False, "reason": "validated in adults and children over 5"}
    ]


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_report_says_why_ottawa_does_not_apply_and_never_says_negative(rules: RuleSet, lang: str) -> None:
    story = json.dumps({**TWIST, "age": 3})
    not_applicable = rules.message("label_not_applicable", lang)
    reason = rules.scores[1].validated_for[0].reason[lang]
    title = rules.scores[1].title[lang]
    negative = rules.scores[1].bands[-1].text[lang]
    for fmt in ("text", "markdown"):  # the scores in full are details; the short report shows none
        short = kneeguide("assess", "--format", fmt, "--lang", lang, "--answers", "-", stdin=story)
        assert title not in short and negative not in short, fmt
        text = kneeguide(
            "assess", "--details", "--format", fmt, "--lang", lang, "--answers", "-", stdin=story
        )
        said = typography(rules, lang).label(title, typography(rules, lang).because(not_applicable, reason))
        assert flat(said) in flat(text), fmt
        assert negative not in text, fmt
    note = kneeguide("note", "--format", "html", "--lang", lang, "--answers", "-", stdin=story)
    assert said in note and negative not in note


def test_an_injury_ten_days_old_is_outside_the_ottawa_window() -> None:
    ottawa = ottawa_json({**TWIST, "age": 30, "duration_days": 10})
    assert (ottawa["applicable"], ottawa["band"]) == (False, None)
    assert [(x["id"], x["met"]) for x in ottawa["applicability"]] == [("within_7_days", False)]


def test_without_an_age_applicability_is_unknown_and_says_which_answer_is_missing() -> None:
    ottawa = ottawa_json({**TWIST, "can_flex_90": "no"})  # positive whatever the age
    assert (ottawa["applicable"], ottawa["band"]) == (None, "positive")
    assert ottawa["applicability"] == [
        {"id": "age_over_5", "met": None, "reason": "validated in adults and children over 5"}
    ]
    answers = json.dumps({**TWIST, "can_flex_90": "no"})
    text = kneeguide("assess", "--details", "--answers", "-", stdin=answers)
    unknown = "Whether this score applies is not known yet (answer missing)"
    assert flat(f"{unknown}: validated in adults and children over 5") in flat(text)


def test_before_anyone_says_there_was_an_injury_ottawa_gives_no_result() -> None:
    """Age 60 meets an Ottawa criterion, but the rule is for an injured knee: with the
    injury unanswered the report must not say "Ottawa positive", only that it may apply."""
    story = {k: v for k, v in TWIST.items() if k not in ("injury", "injury_mechanism")}
    ottawa = ottawa_json({**story, "age": 60})
    assert (ottawa["applicable"], ottawa["band"]) == (None, None)
    assert ottawa["applicability"][0]["id"] == "applies_if"
    text = kneeguide("assess", "--answers", "-", stdin=json.dumps({**story, "age": 60}))
    assert "Ottawa positive" not in text.replace("\n", " ")


@pytest.mark.parametrize(
    ("answers", "applicable"),
    [
        ({"age": 5}, False),
        ({"age": 6}, True),
        ({"age": 30, "duration_days": 7}, True),
        ({"age": 30, "duration_days": 7.5}, False),
        ({"age": 30, "knee_deformity": "yes"}, False),
        ({"age": 30, "knee_replacement": "yes"}, False),
        ({"age": 30, "knee_replacement": "unsure"}, None),
        ({"age": 30, "injury_mechanism": "sprinting"}, False),
    ],
)
def test_where_ottawa_applies(rules: RuleSet, answers: dict[str, Any], applicable: bool) -> None:
    ottawa = as_dict(assess({**TWIST, **EXAMINED, **answers}, rules=rules))["scores"]["ottawa_knee"]
    assert ottawa["applicable"] is applicable
    assert ottawa["band"] == (None if applicable is False else "negative")


def ottawa(rules: RuleSet, answers: dict[str, Any]) -> ScoreResult:
    return next(s for s in assess(answers, rules=rules).scores if s.id == "ottawa_knee")


def test_a_nine_year_olds_twist_is_negative_once_examined_and_an_estimate_before(rules: RuleSet) -> None:
    examined = ottawa(rules, {**TWIST, **EXAMINED, "age": 9})
    assert (examined.applicable, examined.band, examined.applicability) == (True, "negative", ())
    assert examined.band_text.startswith(NEGATIVE) and examined.estimate is None
    told = ottawa(rules, {**TWIST, "age": 9})
    assert (told.applicable, told.band) == (True, None)  # pressing one's own knee is not the examination
    assert told.estimate is not None and told.estimate.band == "negative"
    assert told.estimate.label.startswith("Estimate from your answers, not the Ottawa knee rule")


ADULTS = "validated in adults (18 and over)"

#: Swelling behind the knee with active cancer and a previous clot: Wells 2 from
#: history alone, which raises the DVT flag.
WELLS_TWO: dict[str, Any] = {
    **NEGATIVE_SCREEN,
    "sex": "male",
    "side": "left",
    "swelling_behind_knee": "yes",
    "active_cancer": "yes",
    "previous_dvt": "yes",
}


def test_wells_is_reported_for_adults_only_but_a_teenagers_count_still_raises_the_flag(
    rules: RuleSet,
) -> None:
    teen = as_dict(assess({**WELLS_TWO, "age": 17}, rules=rules))
    adult = as_dict(assess({**WELLS_TWO, "age": 18}, rules=rules))
    grown = adult["scores"]["wells_dvt"]
    assert (grown["applicable"], grown["band"], grown["applicability"]) == (True, "likely", [])
    wells = teen["scores"]["wells_dvt"]
    assert (wells["applicable"], wells["band"], wells["points"]) == (False, None, 2)
    assert wells["applicability"] == [{"id": "adult", "met": False, "reason": ADULTS}]
    for story in (teen, adult):  # the flag reads the count, never the population
        assert "dvt" in [f["id"] for f in story["red_flags"]]
        assert story["triage"]["level"] in ("urgent", "emergency")


def test_a_toddler_who_cannot_bear_weight_is_still_sent_for_an_x_ray(rules: RuleSet) -> None:
    """Ottawa is not reported for a 3-year-old, and the fracture flag still fires."""
    data = as_dict(assess({**TWIST, "age": 3, "able_to_bear_weight": "no"}, rules=rules))
    assert data["scores"]["ottawa_knee"]["applicable"] is False
    assert "fracture" in [f["id"] for f in data["red_flags"]]
