"""A score as reported: the published score, where it applies, and any lay estimate.

The conditions of the rules read a score as :class:`~kneeguide.evaluate.truth.ScoreFacts`:
lay stand-ins counted, ``applicable`` from ``applies_if`` alone. What a reader is
told is narrower, and derived here from the same facts, never by evaluating the
items again:

* the **published** score counts history and examination items only: an item
  that only its lay stand-in decided is unknown there;
* the **estimate**, given whenever a stand-in decided an item, is the facts
  themselves, labelled as an estimate for the audience;
* the score **applies** where ``applies_if`` and every bound of its validated
  population (``validated_for``) hold; outside them no band is reported, and
  neither is it while a bound marked ``withhold_until_known`` (Wells: a clot is
  suspected) is not known to hold.

Keeping the conditions on the facts is a safety choice (rules/scores.yaml says
why): what is reported can change without triage changing.
"""

from __future__ import annotations

from typing import NamedTuple

from kneeguide.engine.assessment import Estimate, ItemResult, Limit, ScoreResult
from kneeguide.evaluate.conditions import Tri, grounds, questions_in
from kneeguide.evaluate.truth import ScoreFacts
from kneeguide.evaluate.walk import walk_score
from kneeguide.ids import Audience
from kneeguide.ruleset.model import Answers, Score, pick

#: The position of ``applies_if`` among a score's bounds (``validated_for`` entries count from 0).
APPLIES_IF = -1
_NO_SCORES: dict[str, ScoreFacts] = {}  # a population bound reads answers only
_APPLIES: tuple[Tri, tuple[tuple[int, Tri], ...]] = (True, ())
_OUTSIDE: tuple[Tri, tuple[tuple[int, Tri], ...]] = (False, ((APPLIES_IF, False),))


class Reported(NamedTuple):
    """A score as reported, before it is put in words (a batch record reads the same through
    :func:`seen`, without naming the bounds)."""

    applicable: Tri  # applies_if and the validated population
    limits: tuple[tuple[int, Tri], ...]  # each bound not met or not known: (position, met)
    published: ScoreFacts  # stand-ins left out; no band outside, or while applies_if is unknown
    estimate: ScoreFacts | None  # stand-ins counted, when any decided an item; band as published


def compute_score(
    score: Score, answers: Answers, lang: str = "en", audience: Audience = Audience.LAY
) -> ScoreResult:
    """One score on its own, its items walked as written (the interview and rule tools use this).

    ``answers`` should already carry the implied "no" of skipped questions
    (``with_implied``), as an assessment's do.
    """
    return score_result(score, walk_score(score, answers), answers, lang, audience)


def published(facts: ScoreFacts) -> ScoreFacts:
    """The published score: an item decided only by its lay stand-in counts as unknown
    (worked out with the facts: :func:`~kneeguide.evaluate.truth.score_facts`)."""
    return facts if facts.published is None else facts.published


def applicability(
    score: Score, facts: ScoreFacts, answers: Answers
) -> tuple[Tri, tuple[tuple[int, Tri], ...]]:
    """Whether ``score`` applies (``applies_if`` and its validated population, three-valued),
    and each bound that is not met or not known. Where ``applies_if`` fails, the score is
    not for this situation at all and its population is beside the point."""
    if facts.applicable is False:
        return _OUTSIDE
    limits: tuple[tuple[int, Tri], ...] = () if facts.applicable else ((APPLIES_IF, None),)
    outside = False
    for at, bound in enumerate(score.validated_for):
        met = bound.when.evaluate(answers, _NO_SCORES)
        if met is not True:
            limits += ((at, met),)
            outside = outside or met is False
    if not limits:
        return _APPLIES
    return (False if outside else None), limits


#: What a batch record holds of a score: whether it applies, its published figures, and
#: the published band where it is a result (else None). A plain tuple: a batch makes two
#: per record.
Seen = tuple[Tri, ScoreFacts, "str | None"]


def shows_band(applicable: Tri, facts: ScoreFacts, withheld: bool = False) -> bool:
    """A band is a result only for the situation the score is for: "Ottawa positive" before
    anyone said there was an injury, or "Wells: DVT unlikely, NICE still advises a D-dimer"
    before anyone suspected a clot, would be a finding nobody made. An unknown population
    bound, an age not given, keeps the band and the report says so, unless the population
    ``withheld`` it (a bound with ``withhold_until_known`` not yet known to hold)."""
    return applicable is not False and facts.applicable is True and not withheld


def withholds(score: Score, limits: tuple[tuple[int, Tri], ...]) -> bool:
    """Whether a bound not met or not known (``limits``, from :func:`applicability`)
    withholds the band: one that fails, or one marked ``withhold_until_known`` not yet known."""
    return any(
        met is False or (at != APPLIES_IF and met is None and score.validated_for[at].withhold_until_known)
        for at, met in limits
    )


def seen(facts: ScoreFacts, population: int) -> Seen:
    """A score as reported, from its facts and its population bits as the evaluators worked
    them out (``Truth.populations >> 2 * position``: 1 decided, 2 withholds the band): one
    call per score and record, which is all a batch record needs. :func:`reported` says the
    same, naming the bounds (a test holds the two to each other on random answers)."""
    applies_if = facts.applicable
    decided, withheld = bool(population & 1), bool(population & 2)
    if applies_if is False or (decided and withheld):
        applicable: Tri = False
    else:
        applicable = True if applies_if and decided else None
    shown = published(facts)
    band = shown.band if shows_band(applicable, facts, withheld) else None
    return applicable, shown, band


def reported(score: Score, facts: ScoreFacts, answers: Answers) -> Reported:
    """``facts`` (what the conditions read) as the assessment reports them.

    ``answers`` are the effective answers (``Truth.answers``: with the implied "no").
    """
    applicable, limits = applicability(score, facts, answers)
    shown = published(facts)
    estimate = facts if shown is not facts else None
    if not shows_band(applicable, facts, withholds(score, limits)):
        shown = shown._replace(band=None)
        estimate = estimate._replace(band=None) if estimate else None
    return Reported(applicable, limits, shown, estimate)


def score_result(
    score: Score, facts: ScoreFacts, answers: Answers, lang: str, audience: Audience = Audience.LAY
) -> ScoreResult:
    """A score's facts in words, as reported, with the questions the conditions counted
    (lay stand-ins included: they explain red flags) and those still missing."""
    counted: set[str] = set()
    missing: set[str] = set()
    items = []
    for item, present, proxy in zip(score.items, facts.present, facts.proxy, strict=True):
        if present is True:
            source = item.proxy if proxy and item.proxy is not None else item.when
            # only the answers that made the item present: "bed rest or surgery" held
            # on the surgery, so a "no" to bed rest is not a reason (grounds)
            counted.update(grounds(source, answers, _NO_SCORES, {}).because)
        elif present is None and not item.judgement:
            missing.update(q for q in questions_in(item.when) if q not in answers)
        items.append(ItemResult(item.id, pick(item.text, lang), item.points, present, proxy))
    shown = reported(score, facts, answers)
    pub = shown.published
    return ScoreResult(
        id=score.id,
        title=pick(score.title, lang),
        variant=pick(score.variant, lang),
        applicable=shown.applicable,
        points=pub.points,
        points_max=pub.points_max,
        band=pub.band,
        band_text=_band_text(score, pub, lang),
        complete=pub.complete,
        items=tuple(items),
        counted_questions=frozenset(counted),
        missing_questions=frozenset(missing),
        applicability=tuple(_limit(score, at, met, lang) for at, met in shown.limits),
        estimate=_estimate(score, shown.estimate, lang, audience),
    )


def _band_text(score: Score, facts: ScoreFacts, lang: str) -> str:
    return pick(score.band_for(facts.points).text, lang) if facts.band else ""


def _limit(score: Score, at: int, met: Tri, lang: str) -> Limit:
    if at == APPLIES_IF:
        reason = pick(score.applies_reason, lang) if score.applies_reason else ""
        return Limit("applies_if", met, reason)
    bound = score.validated_for[at]
    return Limit(bound.id, met, pick(bound.reason, lang))


def _estimate(score: Score, facts: ScoreFacts | None, lang: str, audience: Audience) -> Estimate | None:
    if facts is None or score.estimate_label is None:
        return None
    labels = score.estimate_label
    label = labels.practitioner if audience is Audience.PRACTITIONER else labels.lay
    return Estimate(
        points=facts.points,
        points_max=facts.points_max,
        band=facts.band,
        band_text=_band_text(score, facts, lang),
        complete=facts.complete,
        stand_ins=tuple(item.id for item, proxy in zip(score.items, facts.proxy, strict=True) if proxy),
        label=pick(label, lang),
    )
