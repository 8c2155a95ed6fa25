"""Names that scripts rely on (the scripting contract, ``shared/contract.md``).

The loader refuses a rule set that lacks any of them, so a custom or edited
rule set can never silently drop, say, the ``dvt`` red flag.
"""

from __future__ import annotations

SCHEMA_VERSION = 1

QUESTION_IDS = (
    "age sex pregnant side duration_days onset pain_score injury injury_mechanism "
    "high_energy_trauma pop_felt able_to_bear_weight can_flex_90 fibular_head_tenderness "
    "patella_tenderness_isolated knee_deformity knee_giving_way knee_locking cannot_straighten "
    "swelling_behind_knee knee_joint_swelling calf_swelling whole_leg_swollen calf_difference_cm "
    "pitting_oedema collateral_veins deep_vein_tenderness warmth redness calf_pain "
    "sudden_calf_pain_after_pop lump_behind_knee lump_pulsating foot_cold_or_pale "
    "foot_numb_or_weak foot_drop pain_out_of_proportion calf_tense recent_surgery immobilised "
    "long_travel active_cancer previous_dvt hormones alternative_diagnosis_likely short_of_breath "
    "chest_pain coughing_blood fever immunosuppressed recent_joint_procedure weight_loss "
    "night_pain cancer_history radiating_pain back_pain numbness_tingling saddle_numbness "
    "bladder_bowel_change hip_pain pain_bending pain_straightening pain_running "
    "calf_pain_walking_relieved_by_rest morning_stiffness_minutes other_joints_affected "
    "anticoagulants bleeding_disorder pacemaker diabetes skin_problem_at_site needle_fear"
).split()

RED_FLAG_IDS = (
    "dvt pulmonary_embolism acute_limb_ischaemia popliteal_aneurysm compartment_syndrome "
    "septic_arthritis fracture knee_dislocation locked_knee cauda_equina neuro_deficit "
    "ruptured_bakers_cyst serious_systemic cellulitis"
).split()

CAUSE_IDS = (
    "bakers_cyst ruptured_bakers_cyst hamstring_injury gastrocnemius_injury "
    "popliteus_tendinopathy meniscus_tear pcl_injury posterolateral_corner_injury "
    "osteoarthritis inflammatory_arthritis dvt referred_lumbar referred_hip "
    "popliteal_aneurysm popliteal_entrapment nerve_entrapment septic_arthritis"
).split()

SCORE_IDS = ("wells_dvt", "ottawa_knee")

REGION_IDS = ("JP", "US", "UK", "EU", "AU")

#: Message keys the renderers use; each must exist in ``messages.yaml``.
MESSAGE_IDS = (
    "disclaimer practitioner_note heading_red_flags heading_not_excluded heading_scores "
    "heading_causes heading_acupuncture heading_referral heading_answers heading_warnings "
    "heading_level label_call label_advice label_because label_missing label_for label_against "
    "label_points label_evidence label_caution label_suitability label_rules label_safety_net "
    "label_proxy label_incomplete label_not_applicable strength_strong strength_possible "
    "strength_less_likely suitability_suitable suitability_caution suitability_not_now "
    "level_self_care level_routine level_soon level_urgent level_emergency "
    "answer_yes answer_no answer_unsure answer_unanswered not_excluded_reason "
    "referral_title referral_intro no_red_flags no_causes band_indeterminate "
    "warn_proxy warn_child warn_pregnancy warn_ottawa_window"
).split()
