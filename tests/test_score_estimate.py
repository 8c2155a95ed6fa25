"""Wells as a script and a reader see it: the published score, and a lay estimate apart.

``scores.<id>.points``, ``points_max``, ``band`` and ``complete`` are the published
score, from history and examination items only; where a lay answer stood in for an
examination item, the figures that count it are a separate ``estimate``, labelled,
and no renderer prints them as the score. The red flags still read the count with
the stand-ins, so triage is what it was.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from command import output as kneeguide
from hypothesis import given, settings
from hypothesis import strategies as st
from stories import NEGATIVE_SCREEN

from kneeguide.api import assess
from kneeguide.ids import Audience
from kneeguide.render.common import typography
from kneeguide.ruleset.model import RuleSet


def assessed(answers: dict[str, Any], *args: str) -> dict[str, Any]:
    data = json.loads(
        kneeguide("assess", "--format", "json", "--answers", "-", *args, stdin=json.dumps(answers))
    )
    assert isinstance(data, dict)
    return data


#: The issue's case: a clinic's form asks bed rest and a plaster cast separately and
#: has no combined "immobilised" question. Every other Wells item is examined absent.
CAST_AND_BED_REST: dict[str, Any] = {
    "age": 58,
    "calf_pain": "yes",
    "leg_cast_or_paralysis": "yes",
    "bedridden": "yes",
    "pitting_oedema": "yes",
    "recent_surgery": "no",
    "active_cancer": "no",
    "previous_dvt": "no",
    "whole_leg_swollen": "no",
    "deep_vein_tenderness": "no",
    "calf_difference_cm": 1,
    "collateral_veins": "no",
    "alternative_diagnosis_likely": "no",
}

#: A lay person's clot story: every history item answered, every examination item
#: stood in for by a lay answer (calf pain for deep-vein tenderness, swelling for a
#: measured calf, a dent that stays for pitting, new veins for collateral veins).
LAY_CALF: dict[str, Any] = {
    **NEGATIVE_SCREEN,
    "age": 45,
    "sex": "male",
    "side": "left",
    "calf_pain": "yes",
    "calf_swelling": "yes",
    "leg_dent_when_pressed": "yes",
    "visible_new_veins": "yes",
}


def test_a_cast_and_bed_rest_answered_directly_score_without_the_immobilised_question() -> None:
    wells = assessed(CAST_AND_BED_REST, "--audience", "practitioner")["scores"]["wells_dvt"]
    assert (wells["points"], wells["points_max"], wells["band"], wells["complete"]) == (3, 3, "likely", True)
    present = {i["id"] for i in wells["items"] if i["present"]}
    assert present == {"paralysis_or_cast", "bedridden_or_surgery", "pitting_oedema"}
    assert wells["estimate"] is None  # nothing was stood in for


def test_not_immobilised_still_rules_out_the_cast_and_bed_rest_items(rules: RuleSet) -> None:
    """``immobilised: no`` skips both follow-up questions, and a skipped question means "no"."""
    answers = {k: v for k, v in CAST_AND_BED_REST.items() if k not in ("leg_cast_or_paralysis", "bedridden")}
    result = assess({**answers, "immobilised": "no"}, rules=rules, audience=Audience.PRACTITIONER)
    wells = next(s for s in result.scores if s.id == "wells_dvt")
    items = {i.id: (i.present, i.proxy) for i in wells.items}
    assert items["paralysis_or_cast"] == (False, False)
    assert items["bedridden_or_surgery"] == (False, False)
    assert (wells.points, wells.points_max, wells.complete) == (1, 1, True)


def test_lay_stand_ins_give_a_labelled_estimate_and_no_published_band() -> None:
    data = assessed(LAY_CALF)
    wells = data["scores"]["wells_dvt"]
    assert (wells["points"], wells["points_max"], wells["band"], wells["complete"]) == (0, 4, None, False)
    assert wells["estimate"] == {
        "points": 4,
        "points_max": 4,
        "band": "likely",
        "complete": True,
        "stand_ins": ["deep_vein_tenderness", "calf_swelling_3cm", "pitting_oedema", "collateral_veins"],
        "label": "Estimate from your answers, not the Wells score (that needs an examination)",
    }
    # triage reads the count with the stand-ins, as it did before the estimate was split off
    assert data["triage"]["level"] == "urgent"
    assert "dvt" in [f["id"] for f in data["red_flags"]]


def test_a_practitioner_sees_the_estimate_called_a_lay_estimate() -> None:
    estimate = assessed(LAY_CALF, "--audience", "practitioner")["scores"]["wells_dvt"]["estimate"]
    assert estimate["label"] == "Lay estimate, not validated (not the Wells score)"


def unwrapped(text: str, lang: str) -> str:
    """Paragraphs joined again where the terminal report wrapped and indented them: English
    wraps at a space, which the wrap took; Japanese anywhere."""
    return re.sub(r" *\n *", " " if lang == "en" else "", text)


def outputs(lang: str) -> dict[str, str]:
    story = json.dumps(LAY_CALF)
    common = ("--answers", "-", "--lang", lang)
    found = {  # the scores in full are details of the report
        fmt: kneeguide("assess", "--details", "--format", fmt, *common, stdin=story)
        for fmt in ("text", "markdown")
    }
    for fmt in ("markdown", "text", "html"):
        found[f"note-{fmt}"] = kneeguide("note", "--format", fmt, *common, stdin=story)
    return found


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_no_format_prints_the_estimate_as_the_wells_score(rules: RuleSet, lang: str) -> None:
    label = rules.scores[0].estimate_label
    assert label is not None and rules.scores[0].id == "wells_dvt"
    title = rules.scores[0].title[lang]
    ty = typography(rules, lang)
    estimate = ty.points(4, 4)  # "Points 4", 「4点」
    for fmt, text in outputs(lang).items():
        # the letter is read by a clinician: its estimate is labelled as for a practitioner
        estimate_label = (label.practitioner if fmt.startswith("note-") else label.lay)[lang]
        flat = unwrapped(text, lang)
        assert ty.label(title, ty.sentence(ty.points(0, 4))) in flat, fmt  # the published score
        assert ty.label(estimate_label, estimate) in flat, fmt
        # the estimate's points (not the range's "0–4") appear only after the estimate's label
        shown = [
            m.start()
            for m in re.finditer(re.escape(estimate), flat)
            if flat[m.start() - 1] not in "–〜0123456789"
        ]
        labelled = [
            m.start() + len(ty.label(estimate_label, estimate)) - len(estimate)
            for m in re.finditer(re.escape(estimate_label), flat)
        ]
        assert shown and set(shown) <= set(labelled), fmt
        assert not re.search(r"Wells\D{0,3}4", flat), fmt


def test_an_examination_replaces_the_estimate_with_the_published_score() -> None:
    examined = {
        **LAY_CALF,
        "deep_vein_tenderness": "yes",
        "calf_difference_cm": 3.5,
        "pitting_oedema": "no",
        "collateral_veins": "no",
        "alternative_diagnosis_likely": "no",
    }
    wells = assessed(examined, "--audience", "practitioner")["scores"]["wells_dvt"]
    assert (wells["points"], wells["band"], wells["complete"], wells["estimate"]) == (2, "likely", True, None)


@given(data=st.data())
@settings(max_examples=300, deadline=None)
def test_the_published_score_is_every_way_its_open_items_could_still_go(data: st.DataObject) -> None:
    """The published figures are worked out by moving points (a batch pays no second pass);
    they must be the lowest and highest totals over every way the items left open could
    go, the unknown ones and those a lay stand-in decided, a clinician's judgement not
    made counting nothing (never inferred, clinical reference §1.2.5)."""
    from itertools import product

    from kneeguide.api import load_rules
    from kneeguide.evaluate.truth import score_facts

    score = data.draw(st.sampled_from(load_rules().scores))
    n = len(score.items)
    present = tuple(data.draw(st.lists(st.sampled_from([True, False, None]), min_size=n, max_size=n)))
    proxy = tuple(data.draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    # a stand-in, where the item has one, decides what the examination left unknown
    stand_ins = [item.proxy is not None for item in score.items]
    proxy = tuple(p and v is not None and s for p, v, s in zip(proxy, present, stand_ins, strict=True))
    facts = score_facts(score, present, proxy, True)
    shown = facts if facts.published is None else facts.published
    known = [None if p else v for p, v in zip(proxy, present, strict=True)]
    ways = [
        [False] if v is None and item.judgement else [True, False] if v is None else [v]
        for item, v in zip(score.items, known, strict=True)
    ]
    totals = [
        sum(item.points for item, value in zip(score.items, filled, strict=True) if value)
        for filled in product(*ways)
    ]
    assert (shown.points, shown.points_max) == (min(totals), max(totals))
    same = score.band_for(min(totals)).id == score.band_for(max(totals)).id
    assert shown.band == (score.band_for(min(totals)).id if same else None)
    open_items = [v is None and not item.judgement for item, v in zip(score.items, known, strict=True)]
    assert shown.complete == (not any(open_items))
