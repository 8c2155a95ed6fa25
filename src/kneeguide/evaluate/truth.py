"""What every condition of a rule set says about one answer set: a :class:`Truth`.

The engine's decisions (:mod:`kneeguide.engine`) rest on a :class:`Truth`: the
value of each red flag, escalation, score item, cause feature, triage floor and
acupuncture rule, aligned position by position with the rule set. Two
evaluators produce it and always agree: the walk (:mod:`walk`, one record, the
conditions as written) and the columns (:mod:`columns`, a block of records on
bit masks). Both describe a score the same way, as one row of item bits per
record (see :mod:`inferred`), which :func:`facts_of` reads.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from kneeguide.evaluate.conditions import Tri

if TYPE_CHECKING:
    from kneeguide.ruleset.model import Answers, RuleSet, Score


class ScoreFacts(NamedTuple):
    """A score as an interval, with what each item contributed.

    The conditions read it as it is, lay stand-ins counted. ``published`` is the
    same score from history and examination items only (an item decided by a
    stand-in unknown), which the assessment reports; it is worked out here, with
    the facts, so that each evaluator's memo of facts per row of item bits holds it.
    """

    applicable: Tri
    points: float
    points_max: float
    band: str | None  # None while the unknown items could still change the band
    complete: bool
    present: tuple[Tri, ...]  # per item
    proxy: tuple[bool, ...]  # per item: decided by a lay stand-in
    published: ScoreFacts | None = None  # without the stand-ins; None when none decided an item


class Truth(NamedTuple):
    """What the conditions say, as bit masks: a batch builds one per record.

    Bits follow the rule files' order. ``fired`` and ``unknown`` have bit ``i``
    for the ``i``-th red flag (a flag in neither is excluded). ``escalations``
    and ``features`` number every escalation (of every red flag) and every
    feature (of every cause) in file order; see :func:`bit_layout`.
    ``populations`` has two bits per score: ``2i`` whether its validated population
    holds is decided (known to hold or known to fail), ``2i + 1`` the population
    withholds the band (a bound fails, or a bound with ``withhold_until_known`` is
    not known to hold). Decided and not withholding: it holds; decided and
    withholding: it fails; neither: unknown. What is reported, which no condition
    reads (``engine.scores.seen`` reads it).
    """

    answers: Answers  # the answers plus the "no" implied by skipped questions
    scores: tuple[ScoreFacts, ...]  # aligned with rules.scores
    fired: int  # red flags definitely true
    unknown: int  # red flags not excluded
    escalations: int  # escalations definitely true, of red flags that fired
    features: int  # cause features definitely true
    floors: int  # triage floors definitely true
    suitability: int  # acupuncture suitability rules definitely true
    populations: int = 0  # per score: its population is decided (bit 2i), withholds the band (bit 2i+1)


def population_bits(values: list[tuple[Tri, Tri]]) -> int:
    """``Truth.populations`` from each score's population and its awaited bounds (those
    with ``withhold_until_known``; True where there are none), in rule order."""
    out = 0
    for at, (population, awaited) in enumerate(values):
        if population is not None:
            out |= 1 << (2 * at)
        if population is False or awaited is not True:
            out |= 1 << (2 * at + 1)
    return out


def bit_layout(rules: RuleSet) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Where each red flag's escalations and each cause's features start."""
    escalations, features = [], []
    at = 0
    for flag in rules.red_flags:
        escalations.append(at)
        at += len(flag.escalations)
    at = 0
    for cause in rules.causes:
        features.append(at)
        at += len(cause.features)
    return tuple(escalations), tuple(features)


def score_facts(
    score: Score, present: tuple[Tri, ...], proxy: tuple[bool, ...], applicable: Tri
) -> ScoreFacts:
    """Points as an interval: counted items, and the most the unknown ones could add;
    and the published score, when a lay stand-in decided an item.

    A clinician's judgement item (Wells' "alternative diagnosis as likely", −2)
    is never inferred: unknown, it counts nothing either way.
    """
    points = 0.0
    points_max = 0.0
    complete = True
    for item, value in zip(score.items, present, strict=True):
        if value is True:
            points += item.points
            points_max += item.points
        elif value is None and not item.judgement:
            complete = False
            if item.points > 0:
                points_max += item.points
            else:
                points += item.points
    low = score.band_for(points)
    high = score.band_for(points_max)
    band = low.id if low.id == high.id and applicable is not False else None
    published = None
    if True in proxy:
        published = _without_stand_ins(score, present, proxy, applicable, points, points_max, complete)
    return ScoreFacts(applicable, points, points_max, band, complete, present, proxy, published)


def _without_stand_ins(
    score: Score,
    present: tuple[Tri, ...],
    proxy: tuple[bool, ...],
    applicable: Tri,
    points: float,
    top: float,
    complete: bool,
) -> ScoreFacts:
    """The published score: each item a stand-in decided made unknown, by moving its
    points from the interval's counted side to its open side (as :func:`score_facts`
    counts an unknown item), so a batch pays a few additions, not a second pass."""
    unknown = list(present)
    items = score.items
    for at in score.stand_ins:
        if not proxy[at]:
            continue  # decided by history or examination, or open already
        item = items[at]
        unknown[at] = None
        gain = item.points
        if present[at] is True:  # take back what it counted ...
            points -= gain
            top -= gain
        if item.judgement:
            continue  # ... a judgement, unknown, counts nothing either way (score_facts)
        complete = False  # ... and count it open: lowest on one side, highest on the other
        if gain > 0:
            top += gain
        else:
            points += gain
    low = score.band_for(points)
    high = score.band_for(top)
    band = low.id if low.id == high.id and applicable is not False else None
    return ScoreFacts(applicable, points, top, band, complete, tuple(unknown), (False,) * len(proxy))


def facts_of(score: Score, row: int) -> ScoreFacts:
    """A score's facts from one record's row of item bits (:func:`inferred.item_columns`).

    Bit 0: the score applies; bit 1: it does not; then three bits per item:
    present, absent, decided by its lay stand-in. A Tri with neither bit is unknown.
    """
    applicable: Tri = True if row & 1 else False if row & 2 else None
    present: list[Tri] = []
    proxy: list[bool] = []
    for i in range(len(score.items)):
        bits = row >> (2 + 3 * i)
        present.append(True if bits & 1 else False if bits & 2 else None)
        proxy.append(bool(bits & 4))
    return score_facts(score, tuple(present), tuple(proxy), applicable)
