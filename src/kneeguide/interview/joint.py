"""Answers that change the outcome only together: a score's band and the cause ranking.

A look-ahead of one answer at a time (:mod:`relevance`) cannot see them, so the
interview would end with all of them skipped:

* **A score's band.** Wells is "likely" from 2 points: from none, no single "yes"
  decides it, and no single "no" decides "unlikely" while two items are still open.
  For a practitioner, an examination can also overturn an item a lay stand-in decided,
  and a judgement item (Wells' "alternative diagnosis", -2) counts only once
  answered, so several of these together can move a band that looks decided.
* **The cause ranking.** A cause's total is its prior plus the weights of the
  features that hold; each undecided feature may still hold or not, so the total can
  still move within a span. Two reasons of 0.8 each lift referred back pain from 0.8,
  below the leading three, to 1.6, second. The leading three causes, their order and
  their strengths are settled when no choice of totals within the spans changes them.

Each function returns the questions still worth asking for that reason. The spans
treat features as independent, which they are not (age 45 or more and age under 35
cannot both hold), so a span may be wider than any real answers make it: that errs
towards asking, never towards skipping.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

from kneeguide.engine import Decision
from kneeguide.engine.scores import published
from kneeguide.evaluate import conditions
from kneeguide.evaluate.conditions import ScoreCompare, Scores
from kneeguide.evaluate.truth import ScoreFacts
from kneeguide.ruleset.model import Answers, Cause, RuleSet
from kneeguide.ruleset.numbers import cause_units


def score_groups(
    rules: RuleSet,
    scores: Sequence[ScoreFacts],
    askable: frozenset[str],
    compared: Mapping[str, Sequence[ScoreCompare]],
) -> dict[str, frozenset[str]]:
    """Per score whose band, whether it applies, or a rule comparing its points
    (``compared``) could still change: the unanswered questions, of those ``askable``,
    that could change it."""
    out: dict[str, frozenset[str]] = {}
    for score, facts in zip(rules.scores, scores, strict=True):
        if facts.applicable is False:
            continue
        low, high = facts.points, facts.points_max
        questions: set[str] = set()
        for item, present, by_stand_in in zip(score.items, facts.present, facts.proxy, strict=True):
            own = conditions.questions_in(item.when) & askable
            if present is None and not item.judgement:  # already within [points, points_max]
                questions |= own
                if item.proxy is not None:
                    questions |= conditions.questions_in(item.proxy) & askable
            elif own and (present is None or by_stand_in):
                # a judgement not yet made, or a stand-in the examination may overturn
                questions |= own
                now = item.points if present else 0.0
                other = 0.0 if present else item.points
                low += min(other - now, 0.0)
                high += max(other - now, 0.0)
        if facts.applicable is None and score.applies_if is not None:
            opening = conditions.questions_in(score.applies_if) & askable
        else:
            opening = set()
        moves = facts.band is None or score.band_for(low).id != score.band_for(high).id
        # the published score (stand-ins left out) is reported too: while its band is
        # undecided, answers to its history items may decide it only together
        moves = moves or published(facts).band is None
        span = {score.id: ScoreFacts(True, low, high, None, False, (), ())}
        moves = moves or any(leaf.evaluate({}, span) is None for leaf in compared.get(score.id, ()))
        if (questions and moves) or opening:
            out[score.id] = frozenset(questions | opening)
    return out


class Span(NamedTuple):
    """How far a cause's total could still move, and which questions move it."""

    low: int  # in the ranking's whole units (kneeguide.ruleset.numbers), as the engine sums
    high: int
    up: frozenset[str]  # unanswered questions of undecided features that would raise it
    down: frozenset[str]  # ... that would lower it
    can_show: bool  # a reason for it holds, or could still hold
    sure: bool  # a reason for it holds whatever comes


def cause_span(
    cause: Cause,
    prior: int,
    weights: tuple[int, ...],
    effective: Answers,
    scores: Scores,
    askable: frozenset[str],
    moving: Mapping[str, frozenset[str]],
) -> Span:
    """``moving``: the scores whose band could still change, with the questions that could.
    ``prior`` and ``weights`` are the cause's in whole units (:func:`cause_units`)."""
    total = prior
    low = high = 0
    up: set[str] = set()
    down: set[str] = set()
    can_show = sure = False
    for feature, weight in zip(cause.features, weights, strict=True):
        holds = feature.when.evaluate(effective, scores)
        open_ = conditions.questions_in(feature.when) & askable
        for sid in conditions.scores_in(feature.when):
            open_ |= moving.get(sid, frozenset())
        if holds is True:
            total += weight
        if not open_ or (holds is not None and not (conditions.scores_in(feature.when) & moving.keys())):
            # decided for good: answered, or undecided only through "not sure" or questions
            # this audience is not asked
            can_show = can_show or (holds is True and weight > 0)
            sure = sure or (holds is True and weight > 0)
            continue
        # may still go either way
        if weight > 0:
            can_show = True
            (down if holds is True else up).update(open_)
            if holds is True:
                low -= weight
            else:
                high += weight
        else:
            (up if holds is True else down).update(open_)
            if holds is True:
                high -= weight
            else:
                low += weight
    return Span(total + low, total + high, frozenset(up), frozenset(down), can_show, sure)


def ranking_group(
    rules: RuleSet,
    decision: Decision,
    effective: Answers,
    scores: Scores,
    askable: frozenset[str],
    moving: Mapping[str, frozenset[str]],
) -> frozenset[str]:
    """The questions that could, together, change the leading causes, their order or
    their strengths (or add a strong cause that raises the level)."""
    ranking = cause_units(rules)
    spans = [
        cause_span(c, prior, weights, effective, scores, askable, moving)
        for c, prior, weights in zip(rules.causes, ranking.priors, ranking.weights, strict=True)
    ]

    def strength(total: int) -> str:
        return (
            "strong"
            if total >= ranking.strong
            else "possible"
            if total >= ranking.possible
            else "less_likely"
        )

    def ahead(first: int, its_lowest: int, second: int, its_highest: int) -> bool:
        """``first`` stays ranked above ``second`` (equal totals: file order)."""
        return its_lowest > its_highest or (its_lowest == its_highest and first < second)

    group: set[str] = set()
    top = decision.causes[:3]
    for rank, entry in enumerate(top):
        s = spans[entry.cause]
        if strength(s.high) != entry.strength:
            group |= s.up
        if strength(s.low) != entry.strength or s.low < ranking.show or not s.sure:
            group |= s.down
        if rank + 1 < len(top):
            below = top[rank + 1]
            if not ahead(entry.cause, s.low, below.cause, spans[below.cause].high):
                group |= s.down | spans[below.cause].up
    placed = {entry.cause for entry in top}
    for index, s in enumerate(spans):
        if index in placed or not s.can_show or s.high < ranking.show:
            continue
        if len(top) < 3:
            group |= s.up
            continue
        last = top[-1]
        if not ahead(last.cause, spans[last.cause].low, index, s.high):
            group |= s.up | spans[last.cause].down
        if s.high >= ranking.strong and rules.causes[index].level > decision.level:
            group |= s.up  # a strong cause anywhere in the list raises the level
    return frozenset(group)
