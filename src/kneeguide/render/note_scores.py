"""Which scores the referral letter gives item by item: where the engine gives a band.

Kept apart from :mod:`kneeguide.render.note` so that the appendix, which cites the
sources of the scores given, reads the same rule.
"""

from __future__ import annotations

from kneeguide.engine import ScoreResult
from kneeguide.ruleset.model import RuleSet


def awaited(s: ScoreResult, rules: RuleSet) -> list[str]:
    """The reasons a score waits for: its own condition (``applies_if``: Ottawa's injury) or
    a bound marked ``withhold_until_known`` (Wells: a suspected clot) not yet known to hold."""
    score = next((x for x in rules.scores if x.id == s.id), None)
    bounds = {b.id: b for b in score.validated_for} if score else {}
    return [
        limit.reason
        for limit in s.applicability
        if limit.met is None
        and (limit.id == "applies_if" or (limit.id in bounds and bounds[limit.id].withhold_until_known))
    ]


def applies(s: ScoreResult, rules: RuleSet) -> bool:
    """Whether ``s`` is reported item by item: where the engine gives its band
    (:func:`kneeguide.engine.scores.shows_band`): not outside its population, nor while it
    waits to be known to apply (:func:`awaited`), for a score there is no finding yet."""
    return s.applicable is not False and not awaited(s, rules)
