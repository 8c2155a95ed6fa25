"""The cause ranking's numbers as whole units, so that totals are sums as written.

Cause priors, feature weights and the ranking thresholds are decimals in
``causes.yaml`` (``0.3``, ``0.5653``). Summed as binary floats they are not the
decimals a reader adds up: ``0.3 + 0.2`` is ``0.49999999999999994``, below a
``show`` of ``0.5``, so a cause written to reach a threshold exactly would miss
it by a rounding error (1,334 of the built-in set's 10,048 feature combinations
were decided that way before this module). Every number is therefore scaled by
one power of ten (:attr:`CauseUnits.scale`, the most decimal places any of them
is written with) and held as an ``int``: sums of ints are exact, so the engine
(:mod:`kneeguide.engine.decision`), the interview's relevance
(:mod:`kneeguide.interview.joint`) and the proof that a custom rule set is not
weaker (:mod:`kneeguide.ruleset.proof`) all decide on the same exact totals.
"""

from __future__ import annotations

from typing import NamedTuple

from kneeguide.evaluate.memo import PerRules
from kneeguide.ruleset.model import RuleSet

#: At most this many decimal places are kept (a weight written with more is rounded).
MAX_PLACES = 9


class CauseUnits(NamedTuple):
    """Every number of the ranking times :attr:`scale`, as an int (units of ``1/scale``)."""

    scale: int  # 10 ** places
    priors: tuple[int, ...]  # per cause, aligned with rules.causes
    weights: tuple[tuple[int, ...], ...]  # per cause, per feature
    show: int
    possible: int
    strong: int

    def value(self, units: int) -> float:
        """A total in units as the decimal it stands for (``5000`` at scale 10⁴ → ``0.5``)."""
        return units / self.scale


def places(value: float) -> int:
    """How many decimal places ``value`` is written with, up to :data:`MAX_PLACES`
    (``0.5653`` → 4; ``0.30000000000000004``, a sum's rounding error, → 1)."""
    fixed = f"{value:.{MAX_PLACES}f}".rstrip("0")
    return len(fixed) - fixed.index(".") - 1


def in_units(value: float, scale: int) -> int:
    """``value`` in units of ``1/scale``: the whole number nearest ``value * scale`` (exact for
    a decimal of at most ``log10(scale)`` places, whose product lies within rounding of it)."""
    return round(value * scale)


def _units(rules: RuleSet) -> CauseUnits:
    r = rules.ranking
    numbers = [r.show, r.possible, r.strong]
    for cause in rules.causes:
        numbers.append(cause.prior)
        numbers += [feature.weight for feature in cause.features]
    scale = 10 ** max(places(n) for n in numbers)
    return CauseUnits(
        scale,
        tuple(in_units(c.prior, scale) for c in rules.causes),
        tuple(tuple(in_units(f.weight, scale) for f in c.features) for c in rules.causes),
        in_units(r.show, scale),
        in_units(r.possible, scale),
        in_units(r.strong, scale),
    )


#: The units of a rule set, worked out once per rule set object.
cause_units: PerRules[CauseUnits] = PerRules(_units)
