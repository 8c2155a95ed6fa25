"""A rule set's numbers as plain ints and floats, for deciding record after record.

Enum and attribute lookups cost more than the decisions themselves when a
batch makes them for every record, so :func:`plan` reads them off a rule set
once; it also holds the memos of the decisions that repeat from record to
record (:mod:`decision`).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from kneeguide.evaluate.memo import PerRules
from kneeguide.evaluate.truth import bit_layout
from kneeguide.ids import Level
from kneeguide.ruleset.model import RuleSet
from kneeguide.ruleset.numbers import cause_units

Candidate = tuple[int, str, int]  # (level, what set it: flag, open, floor, cause or none, position)
FlagsPart = tuple[tuple[tuple[int, Level], ...], tuple[Candidate, ...]]  # hits and their candidates
OpenPart = tuple[tuple[int, ...], tuple[Candidate, ...]]  # flags not excluded and their candidates


class Plan(NamedTuple):
    """What the decisions read of a rule set, by position, and what they remember."""

    flag_levels: tuple[int, ...]
    escalation_bits: tuple[tuple[tuple[int, int], ...], ...]  # per flag: (bit in Truth.escalations, level)
    open_order: tuple[int, ...]  # red flag positions, most urgent first, file order within a level
    causes: tuple[tuple[int, int, int, dict[int, Any]], ...]  # (position, first bit, mask, entries seen)
    scale: int  # priors, weights and the thresholds are in units of 1/scale (ruleset.numbers)
    priors: tuple[int, ...]
    weights: tuple[tuple[int, ...], ...]
    cause_levels: tuple[int, ...]
    floor_levels: tuple[int, ...]
    not_excluded: int
    no_cause: int
    show: int
    strong: int
    possible: int
    top: int
    screening: tuple[str, ...]
    not_now_rules: tuple[bool, ...]
    seen_flags: dict[tuple[int, int], FlagsPart]
    seen_open: dict[int, OpenPart]
    seen_floors: dict[int, tuple[Candidate, ...]]


def _make_plan(rules: RuleSet) -> Plan:
    flags = rules.red_flags
    escalation_at, feature_at = bit_layout(rules)
    units = cause_units(rules)
    return Plan(
        flag_levels=tuple(int(f.level) for f in flags),
        escalation_bits=tuple(
            tuple((1 << (at + j), int(e.level)) for j, e in enumerate(f.escalations))
            for f, at in zip(flags, escalation_at, strict=True)
        ),
        open_order=tuple(sorted(range(len(flags)), key=lambda i: -flags[i].level)),
        causes=tuple(
            (i, at, (1 << len(c.features)) - 1, {})
            for i, (c, at) in enumerate(zip(rules.causes, feature_at, strict=True))
        ),
        scale=units.scale,
        priors=units.priors,
        weights=units.weights,
        cause_levels=tuple(int(c.level) for c in rules.causes),
        floor_levels=tuple(int(f.level) for f in rules.floors),
        not_excluded=int(rules.not_excluded_level),
        no_cause=int(rules.no_cause_level),
        show=units.show,
        strong=units.strong,
        possible=units.possible,
        top=rules.ranking.top,
        screening=rules.acupuncture.screening,
        not_now_rules=tuple(r.level == "not_now" for r in rules.acupuncture.suitability),
        seen_flags={},
        seen_open={},
        seen_floors={},
    )


#: The plan of a rule set, built once per rule set object.
plan: PerRules[Plan] = PerRules(_make_plan)
