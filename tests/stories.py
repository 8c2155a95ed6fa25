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
