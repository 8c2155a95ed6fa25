"""A score in words: its points, band and items, and the questions it counted or lacks."""

from __future__ import annotations

from kneeguide.engine.assessment import ItemResult, ScoreResult
from kneeguide.evaluate.conditions import questions_in
from kneeguide.evaluate.truth import ScoreFacts
from kneeguide.evaluate.walk import walk_score
from kneeguide.ruleset.model import Answers, Score, pick


def compute_score(score: Score, answers: Answers, lang: str = "en") -> ScoreResult:
    """One score on its own, its items walked as written (the interview and rule tools use this).

    ``answers`` should already carry the implied "no" of skipped questions
    (``with_implied``), as an assessment's do.
    """
    return score_result(score, walk_score(score, answers), answers, lang)


def score_result(score: Score, facts: ScoreFacts, answers: Answers, lang: str) -> ScoreResult:
    """A score's facts in words, with the questions it counted and those it still lacks."""
    counted: set[str] = set()
    missing: set[str] = set()
    items = []
    for item, present, proxy in zip(score.items, facts.present, facts.proxy, strict=True):
        if present is True:
            source = item.proxy if proxy and item.proxy is not None else item.when
            counted.update(q for q in questions_in(source) if q in answers)
        elif present is None and not item.judgement:
            missing.update(q for q in questions_in(item.when) if q not in answers)
        items.append(ItemResult(item.id, pick(item.text, lang), item.points, present, proxy))
    band = score.band_for(facts.points) if facts.band else None
    return ScoreResult(
        id=score.id,
        title=pick(score.title, lang),
        variant=pick(score.variant, lang),
        applicable=facts.applicable,
        points=facts.points,
        points_max=facts.points_max,
        band=facts.band,
        band_text=pick(band.text, lang) if band else "",
        complete=facts.complete,
        items=tuple(items),
        counted_questions=frozenset(counted),
        missing_questions=frozenset(missing),
    )
