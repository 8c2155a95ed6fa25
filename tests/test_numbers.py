"""Cause totals are the sums a reader makes of the decimals written in causes.yaml.

Summed as binary floats, 0.6 + 0.1 - 0.2 is 0.49999999999999994: a cause written to reach
a ``show`` of 0.5 exactly would miss it by a rounding error. The ranking counts in whole
decimal units instead (kneeguide.ruleset.numbers), and so does the proof.
"""

from __future__ import annotations

import pytest

from kneeguide.engine.decision import _shown
from kneeguide.engine.plan import plan
from kneeguide.ruleset.load import load_rules
from kneeguide.ruleset.numbers import cause_units, in_units, places

BUILTIN = load_rules()


@pytest.mark.parametrize(
    ("value", "written"),
    [(0.5653, 4), (0.3, 1), (2.0, 0), (-0.4005, 4), (0.30000000000000004, 1), (1e-12, 0)],
)
def test_a_number_has_the_decimal_places_it_is_written_with(value: float, written: int) -> None:
    assert places(value) == written


def test_every_built_in_number_is_its_decimal_in_whole_units() -> None:
    units = cause_units(BUILTIN)
    assert units.scale == 10_000  # 0.5653, 0.4005: four places
    assert (units.show, units.possible, units.strong) == (5_000, 15_000, 30_000)
    assert units.priors == tuple(in_units(c.prior, 10_000) for c in BUILTIN.causes)
    assert [w for ws in units.weights for w in ws] == [
        round(f.weight * 10_000) for c in BUILTIN.causes for f in c.features
    ]


def test_a_cause_written_to_reach_show_exactly_is_shown() -> None:
    """Prior 0.6, features +0.1 and -0.2: 0.5 as written (0.49999999999999994 in floats)."""
    assert 0.6 + 0.1 - 0.2 < 0.5  # what binary floats would have decided
    cause = BUILTIN.causes[0]
    features = tuple(
        f._replace(weight=w)
        for f, w in zip(cause.features, [0.1, -0.2] + [0.0] * len(cause.features), strict=False)
    )
    rules = BUILTIN._replace(causes=(cause._replace(prior=0.6, features=features), *BUILTIN.causes[1:]))
    shown = _shown(plan(rules), 0, 0b11)
    assert shown is not None
    assert shown[2].total == 0.5 and shown[2].strength == "less_likely"
