"""Scores, advice and labels only where they fit the story (issue 14, item 4).

* Wells is for a suspected clot (NICE NG158 1.1): without a sign of one in the leg the
  report gives no Wells band and no "NICE still advises a D-dimer test", and while no
  one has said whether the leg has one, the band waits.
* A cause's advice is true of the story it is shown in: a variant chosen by a condition
  where the general advice would not fit (``advice_if``), and the cause's own "when to
  see a doctor" only where the triage reached the cause's level.
* A red flag raised further by an escalation says what to do at that level.
* The triage's reasons say each thing once, and a cause shown alone is not "also possible".
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from command import flat
from command import output as kneeguide
from hypothesis import given, settings
from hypothesis import strategies as st
from stories import CALF_CLOT, HAMSTRING, NEGATIVE_SCREEN

from kneeguide.api import as_dict, assess, assess_batch, load_rules
from kneeguide.engine import Assessment, CauseResult, ScoreResult
from kneeguide.errors import RulesError
from kneeguide.render.common import typography
from kneeguide.ruleset.model import RuleSet

VIGNETTES = Path(__file__).parent / "vignettes"


def vignette(name: str) -> dict[str, Any]:
    import yaml

    answers: dict[str, Any] = yaml.safe_load((VIGNETTES / name).read_text(encoding="utf-8"))["answers"]
    return answers


#: A 55-year-old's soft fullness behind the knee with a normal calf: routine, no clot signs.
BAKERS_CYST = vignette("98_benign_bakers_cyst_no_calf_signs.yaml")


def wells(a: Assessment) -> ScoreResult:
    return next(s for s in a.scores if s.id == "wells_dvt")


def cause(a: Assessment, cause_id: str) -> CauseResult:
    return next(c for c in a.likely_causes if c.id == cause_id)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_routine_bakers_cyst_gets_no_wells_band_and_no_d_dimer_advice(rules: RuleSet, lang: str) -> None:
    a = assess(BAKERS_CYST, rules=rules, lang=lang)
    score = wells(a)
    assert (score.applicable, score.band) == (False, None)
    assert [(limit.id, limit.met) for limit in score.applicability] == [("dvt_suspected", False)]
    assert score.estimate is None or score.estimate.band is None
    story = json.dumps(BAKERS_CYST)
    unlikely = rules.scores[0].bands[-1].text[lang]
    dimer = {"en": "D-dimer", "ja": "Dダイマー"}[lang]
    for fmt in ("text", "markdown"):
        report = kneeguide(
            "assess", "--details", "--format", fmt, "--lang", lang, "--answers", "-", stdin=story
        )
        assert flat(unlikely) not in flat(report) and dimer not in report, fmt
    note = kneeguide("note", "--format", "html", "--lang", lang, "--answers", "-", stdin=story)
    assert unlikely not in note and dimer not in note
    [record] = assess_batch([BAKERS_CYST], rules=rules)
    assert record["wells_dvt"]["applicable"] is False and record["wells_dvt"]["band"] is None


def test_while_no_one_has_said_whether_a_clot_is_suspected_the_wells_band_waits(rules: RuleSet) -> None:
    """A sprinter's hamstring with the calf questions unanswered: "not yet decided" is a
    result nobody should read; the limit says what is missing."""
    unknown = wells(assess(HAMSTRING, rules=rules))
    assert (unknown.applicable, unknown.band) == (None, None)
    assert unknown.estimate is None or unknown.estimate.band is None
    assert [(limit.id, limit.met) for limit in unknown.applicability] == [("dvt_suspected", None)]
    normal_calf = {**HAMSTRING, **NEGATIVE_SCREEN, "injury": "yes"}
    assert wells(assess(normal_calf, rules=rules)).applicable is False
    painful_calf = {**normal_calf, "calf_pain": "yes"}
    suspected = wells(assess(painful_calf, rules=rules))
    assert (suspected.applicable, suspected.applicability) == (True, ())


def test_an_unknown_age_still_keeps_the_band_where_a_clot_is_suspected(rules: RuleSet) -> None:
    """Only the bound marked ``withhold_until_known`` waits; the adult bound does not."""
    story = {k: v for k, v in CALF_CLOT.items() if k != "age"}
    examined = {
        **story,
        "deep_vein_tenderness": "yes",
        "calf_difference_cm": 4,
        "pitting_oedema": "no",
        "collateral_veins": "no",
        "whole_leg_swollen": "no",
        "active_cancer": "no",
        "immobilised": "no",
        "previous_dvt": "no",
    }
    score = wells(assess(examined, rules=rules, audience="practitioner"))
    assert (score.applicable, score.band) == (None, "likely")
    assert [(limit.id, limit.met) for limit in score.applicability] == [("adult", None)]


LAY_LEG = [
    "calf_pain",
    "calf_swelling",
    "whole_leg_swollen",
    "warmth",
    "redness",
    "sudden_calf_pain_after_pop",
    "swelling_behind_knee",
    "recent_surgery",
    "immobilised",
    "bedridden",
    "leg_cast_or_paralysis",
    "active_cancer",
    "previous_dvt",
    "long_travel",
    "hormones",
    "visible_new_veins",
    "leg_dent_when_pressed",
    "injury",
    "radiating_pain",
]


@given(st.fixed_dictionaries({}, optional={q: st.sampled_from(["yes", "no", "unsure"]) for q in LAY_LEG}))
@settings(max_examples=300, deadline=None)
def test_wherever_a_lay_story_raises_the_clot_flag_wells_is_not_called_inapplicable(
    answers: dict[str, Any],
) -> None:
    """The flag and the score agree on what a suspected clot is: the flag reads the Wells
    count only with a calf or knee sign, and those signs are what makes Wells apply."""
    a = assess({"age": 50, "side": "left", **answers}, rules=RULES)
    if "dvt" in [h.id for h in a.red_flags]:
        assert wells(a).applicable is not False, answers


RULES = load_rules()


def test_the_advice_fits_the_story_the_cause_is_shown_in(rules: RuleSet) -> None:
    routine = cause(assess(BAKERS_CYST, rules=rules), "bakers_cyst")
    book = "Book a routine doctor's visit"
    assert routine.advice.startswith("In adults a Baker's cyst") and book in routine.advice
    swollen_calf = assess({**BAKERS_CYST, "calf_swelling": "yes"}, rules=rules)
    assert swollen_calf.triage.level.id == "urgent"
    shown = [c for c in swollen_calf.likely_causes if c.id == "bakers_cyst"]
    assert shown and book not in shown[0].advice  # the triage says "today"; the cyst does not say "routine"


@pytest.mark.parametrize(
    ("story", "cause_id", "fits"),
    [
        (vignette("29_locked_knee_after_twist.yaml"), "meniscus_tear", "do not force it straight"),
        (
            {**vignette("109_child_age9_twist_ottawa_negative.yaml"), "duration_days": 5},
            "knee_sprain",
            "The first 2 to 3 days of rest, ice and raising the leg are over",
        ),
    ],
    ids=["locked knee", "sprain after five days"],
)
def test_a_variant_replaces_advice_that_would_not_fit(
    rules: RuleSet, story: dict[str, Any], cause_id: str, fits: str
) -> None:
    advice = cause(assess(story, rules=rules), cause_id).advice
    assert fits in advice
    variant = next(c for c in rules.causes if c.id == cause_id).advice
    assert variant["en"] not in advice


def test_a_less_likely_cause_gives_no_time_frame_of_its_own(rules: RuleSet) -> None:
    """The calf clot story is urgent; knee arthritis is listed too, with what helps it,
    not with "Arrange a routine doctor's visit"."""
    a = assess(CALF_CLOT, rules=rules)
    arthritis = cause(a, "osteoarthritis")
    assert "routine" not in arthritis.advice and "Regular strengthening exercise" in arthritis.advice
    assert "See a doctor today" in cause(a, "dvt").advice


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_an_escalated_red_flag_says_what_to_do_at_its_level(rules: RuleSet, lang: str) -> None:
    breathless = assess({**CALF_CLOT, "short_of_breath": "yes"}, rules=rules, lang=lang)
    clot = next(h for h in breathless.red_flags if h.id == "dvt")
    assert clot.level.id == "emergency"
    flag = next(f for f in rules.red_flags if f.id == "dvt")
    assert clot.action == flag.escalations[0].action[lang]  # type: ignore[index]
    assert clot.action != flag.action[lang]
    calm = assess(CALF_CLOT, rules=rules, lang=lang)
    assert next(h for h in calm.red_flags if h.id == "dvt").action == flag.action[lang]


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_triage_reasons_name_a_clot_once(rules: RuleSet, lang: str) -> None:
    a = assess(CALF_CLOT, rules=rules, lang=lang)
    flag = next(f for f in rules.red_flags if f.id == "dvt")
    clot = next(c for c in rules.causes if c.id == "dvt")
    assert a.triage.reasons == (flag.title[lang],)
    assert clot.lay_name[lang] not in a.triage.reasons
    assert any(c.id == "dvt" for c in a.likely_causes)  # still listed among the causes


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_cause_shown_alone_is_possible_not_also_possible(rules: RuleSet, lang: str) -> None:
    story = vignette("109_child_age9_twist_ottawa_negative.yaml")
    a = assess(story, rules=rules, lang=lang)
    assert [c.strength for c in a.likely_causes] == ["possible"]
    report = kneeguide("assess", "--lang", lang, "--answers", "-", stdin=json.dumps(story))
    label = rules.message("strength_possible", lang)
    shown = typography(rules, lang).paren(
        a.likely_causes[0].name, label
    )  # "Sprain (possible)", 「捻挫（可能性あり）」
    assert flat(shown) in flat(report)
    assert "also possible" not in report


def test_advice_variants_are_checked_like_any_condition(rules_copy: Path) -> None:
    causes = rules_copy / "causes.yaml"
    text = causes.read_text(encoding="utf-8")
    causes.write_text(
        text.replace('{q: cannot_straighten, is: "yes"}', '{q: cannot_straigten, is: "yes"}', 1)
    )
    with pytest.raises(RulesError, match="cannot_straigten"):
        load_rules(rules_copy)


def test_every_cause_says_when_to_seek_care_and_every_escalation_what_to_do(rules: RuleSet) -> None:
    assert [c.id for c in rules.causes if c.seek_care is None] == []
    assert [f.id for f in rules.red_flags for e in f.escalations if e.action is None] == []


def test_the_json_assessment_keeps_its_shape(rules: RuleSet) -> None:
    data = as_dict(assess(BAKERS_CYST, rules=rules))
    assert set(data["likely_causes"][0]) >= {"id", "name", "strength", "score", "for", "against", "advice"}
    assert set(data["scores"]["wells_dvt"]) >= {"points", "points_max", "band", "complete", "applicable"}
