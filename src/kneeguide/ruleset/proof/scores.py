"""A score as solver terms: applicability, the points interval and its band."""

from __future__ import annotations

from fractions import Fraction

import z3

from kneeguide.evaluate.conditions import ScoreBand, ScoreCompare, compare
from kneeguide.ruleset.model import Score
from kneeguide.ruleset.proof.answers import TRUE, Tri
from kneeguide.ruleset.proof.view import View


class ScoreTerms:
    """A score as :func:`truth.score_facts` makes it: applicability, points interval, band."""

    def __init__(self, score: Score, seen: View) -> None:
        self.score = score
        self.applicable = TRUE if score.applies_if is None else seen.condition(score.applies_if)
        points: list[z3.ArithRef] = []
        most: list[z3.ArithRef] = []
        zero = z3.RealVal(0)
        for item in score.items:
            when = seen.condition(item.when)
            if item.proxy is not None:
                stand_in = seen.condition(item.proxy)
                when = Tri(
                    z3.Or(when.t, z3.And(when.unknown, stand_in.t)),
                    z3.Or(when.f, z3.And(when.unknown, stand_in.f)),
                )
            value = z3.RealVal(Fraction(item.points))
            open_ = zero if item.judgement else value
            points.append(z3.If(when.t, value, z3.If(when.unknown, open_ if item.points < 0 else zero, zero)))
            most.append(z3.If(when.t, value, z3.If(when.unknown, open_ if item.points > 0 else zero, zero)))
        self.points = z3.Sum(points) if points else zero
        self.points_max = z3.Sum(most) if most else zero
        self.low = self._band_for(self.points)
        self.high = self._band_for(self.points_max)
        self.band = z3.If(z3.And(self.low == self.high, z3.Not(self.applicable.f)), self.low, -1)

    def _band_for(self, points: z3.ArithRef) -> z3.ArithRef:
        """The position (0: highest) of the band ``points`` fall in, as ``Score.band_for``."""
        bands = self.score.bands
        at: z3.ArithRef = z3.IntVal(len(bands) - 1)
        for i in reversed(range(len(bands))):
            minimum = bands[i].minimum
            reaches = z3.BoolVal(True) if minimum is None else points >= z3.RealVal(Fraction(minimum))
            at = z3.If(reaches, i, at)
        return at

    def band_at(self, band: str) -> int:
        return next((i for i, b in enumerate(self.score.bands) if b.id == band), -2)

    def leaf(self, c: ScoreCompare | ScoreBand) -> Tri:
        app = self.applicable
        if isinstance(c, ScoreBand):
            at = self.band_at(c.band)
            return Tri(
                z3.And(z3.Not(app.f), app.t, self.band == at),
                z3.Or(app.f, z3.And(self.band != -1, self.band != at)),
            )
        threshold = z3.RealVal(Fraction(c.threshold))
        low = compare(c.op, self.points, threshold)
        high = compare(c.op, self.points_max, threshold)
        return Tri(z3.And(z3.Not(app.f), app.t, low, high), z3.Or(app.f, z3.And(z3.Not(low), z3.Not(high))))
