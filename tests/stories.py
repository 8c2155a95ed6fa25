"""Answer sets shared by several tests."""

from __future__ import annotations

from typing import Any

#: Every red-flag screening question answered "no": a complete negative screen.
NEGATIVE_SCREEN: dict[str, Any] = {
    q: "no"
    for q in [
        "short_of_breath",
        "chest_pain",
        "coughing_blood",
        "fainting",
        "foot_cold_or_pale",
        "foot_numb_or_weak",
        "pain_out_of_proportion",
        "calf_tense",
        "pain_moving_toes",
        "tight_cast_or_bandage",
        "saddle_numbness",
        "bladder_bowel_change",
        "both_legs_symptoms",
        "high_energy_trauma",
        "knee_deformity",
        "fever",
        "feels_very_unwell",
        "calf_swelling",
        "whole_leg_swollen",
        "calf_pain",
        "warmth",
        "redness",
        "sudden_calf_pain_after_pop",
        "lump_behind_knee",
        "swelling_behind_knee",
        "bruising_to_ankle",
        "knee_joint_swelling",
        "cannot_straighten",
        "foot_drop",
        "weakness_worsening",
        "weight_loss",
        "night_pain",
        "recent_joint_procedure",
        "knee_replacement",
        "immobilised",
        "recent_surgery",
        "long_travel",
        "active_cancer",
        "previous_dvt",
        "hormones",
        "injury",
        "pregnant",
    ]
}


#: One answer set that raises every kind of answer-dependent warning: a child (age
#: under 16), a pregnancy, lay stand-ins counted in the Wells score (calf pain and
#: swelling for deep-vein tenderness and measured swelling) and in the Ottawa knee rule
#: (a tender kneecap), and a twisting injury ten days old (outside Ottawa's window).
EVERY_WARNING: dict[str, Any] = {
    "age": 12,
    "sex": "female",
    "pregnant": "yes",
    "calf_pain": "yes",
    "calf_swelling": "yes",
    "injury": "yes",
    "injury_mechanism": "twisting",
    "kneecap_tender": "yes",
    "duration_days": 10,
}

#: A rule-set overlay (``ruleset.yaml`` alone) that switches the cellulitis red flag off.
DISABLING_OVERLAY = """\
version: "clinic-1"
title: {en: "Clinic rules", ja: "クリニックの規則"}
languages: [en, ja]
default_region: JP
disable:
  - id: cellulitis
    reason: "assessed by the clinic's own skin protocol"
"""


#: Issue 13's calf story: a 64-year-old woman, three weeks after an operation, with a
#: painful, swollen, warm left calf for two days and no injury.
CALF_CLOT: dict[str, Any] = {
    "age": 64,
    "sex": "female",
    "side": "left",
    "duration_days": 2,
    "onset": "gradual",
    "pain_score": 5,
    "injury": "no",
    "calf_pain": "yes",
    "calf_swelling": "yes",
    "warmth": "yes",
    "recent_surgery": "yes",
}

#: A 28-year-old who felt a pull at the back of the thigh while sprinting.
HAMSTRING: dict[str, Any] = {
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
}
