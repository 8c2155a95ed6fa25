"""Answers → assessment: pure, deterministic, no I/O. What other packages import from the engine.

* :func:`assessment_of` — one validated answer set assessed, in words (:mod:`words`),
  which is :func:`decide` and then :func:`in_words`;
* :func:`decide` and :func:`decide_on` — the same decisions by position, before
  any text (:mod:`decision`), which batch summaries read;
* :func:`compute_score` — one score on its own, in words (:mod:`scores`);
* :func:`warnings_of` — the warnings that apply, as :class:`Warned` (each with its
  stable id), decided once for the assessment's texts and batch records alike;
  :func:`standing_of` those that hold for every answer set (a red flag switched
  off, a safety text reworded; :func:`announced_of` in words), and
  :func:`warning_texts` any of them in words (:mod:`advice`);
* the :class:`Assessment` and its parts (:mod:`assessment`).

The library API (:func:`kneeguide.api.assess`) checks raw answers and then
calls :func:`assessment_of`.
"""

from kneeguide.engine.advice import (
    Warned,
    announced_of,
    standing_of,
    warning_texts,
    warnings_of,
)
from kneeguide.engine.assessment import (
    AcupunctureResult,
    Assessment,
    CauseResult,
    EvidenceResult,
    ItemResult,
    NotExcluded,
    PointResult,
    Reason,
    RedFlagHit,
    Referral,
    ScoreResult,
    Triage,
)
from kneeguide.engine.decision import Decision, RankedCause, decide, decide_on
from kneeguide.engine.scores import compute_score
from kneeguide.engine.words import assessment_of, in_words

__all__ = [
    "AcupunctureResult",
    "Assessment",
    "CauseResult",
    "Decision",
    "EvidenceResult",
    "ItemResult",
    "NotExcluded",
    "PointResult",
    "RankedCause",
    "Reason",
    "RedFlagHit",
    "Referral",
    "ScoreResult",
    "Triage",
    "Warned",
    "announced_of",
    "assessment_of",
    "compute_score",
    "decide",
    "decide_on",
    "in_words",
    "standing_of",
    "warning_texts",
    "warnings_of",
]
