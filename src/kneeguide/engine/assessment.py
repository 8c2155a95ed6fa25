"""The assessment: what the engine concludes about one answer set, in words.

Frozen and picked in one language, so renderers only format. Shapes follow the
JSON assessment of the scripting contract (README, "The JSON assessment").
"""

from typing import NamedTuple

from kneeguide.engine.announced import RulesUsed
from kneeguide.evaluate.conditions import Tri
from kneeguide.ids import Audience, Level
from kneeguide.ruleset.model import Answers, Figure


class RedFlagHit(NamedTuple):
    id: str
    level: Level
    title: str
    because: tuple[str, ...]
    action: str
    explain: str
    escalated_because: tuple[str, ...]
    references: tuple[str, ...]


class NotExcluded(NamedTuple):
    id: str
    level: Level
    title: str
    missing: tuple[str, ...]


class ItemResult(NamedTuple):
    id: str
    text: str
    points: float
    present: Tri  # as decided, by the item's own question or (proxy) by its lay stand-in
    proxy: bool  # decided by a lay stand-in, not by history or examination: the published score leaves it out


class Limit(NamedTuple):
    """A bound of where a score applies (``applies_if``, or one of ``validated_for``)
    that is not met (``met`` False) or not known (None)."""

    id: str  # "applies_if", or the id of the ``validated_for`` entry
    met: Tri
    reason: str


class Estimate(NamedTuple):
    """The score with lay stand-ins counted: useful, but never the published score."""

    points: float
    points_max: float
    band: str | None  # None while unknown items could change it, and outside the population
    band_text: str
    complete: bool
    stand_ins: tuple[str, ...]  # the items a lay stand-in decided
    label: str  # what it is, for the audience ("Estimate from your answers, not the Wells score ...")


class ScoreResult(NamedTuple):
    """A score as reported: the published score, where it applies, and any lay estimate.

    ``points``, ``points_max``, ``band`` and ``complete`` count history and
    examination items only; ``applicable`` adds the validated population to
    ``applies_if``, and outside it ``band`` is None. Conditions never read this:
    they read :class:`~kneeguide.evaluate.truth.ScoreFacts`.
    """

    id: str
    title: str
    variant: str
    applicable: Tri
    points: float
    points_max: float
    band: str | None  # None while the unknown items could change the band, or outside the population
    band_text: str
    complete: bool
    items: tuple[ItemResult, ...]
    counted_questions: frozenset[str] = frozenset()  # what the conditions counted, stand-ins included
    missing_questions: frozenset[str] = frozenset()
    applicability: tuple[Limit, ...] = ()  # the bounds not met or not known
    estimate: Estimate | None = None  # when a lay stand-in decided any item


class Reason(NamedTuple):
    feature: str
    text: str
    weight: float
    lr: float | None
    questions: tuple[str, ...]


class CauseResult(NamedTuple):
    id: str
    name: str
    strength: str  # strong | possible | less_likely
    score: float
    level: Level
    reasons_for: tuple[Reason, ...]
    reasons_against: tuple[Reason, ...]
    advice: str

    @property
    def for_ids(self) -> tuple[str, ...]:
        return _ids(self.reasons_for)

    @property
    def against_ids(self) -> tuple[str, ...]:
        return _ids(self.reasons_against)


def _ids(reasons: tuple[Reason, ...]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for reason in reasons:
        for q in reason.questions:
            seen.setdefault(q, None)
    return tuple(seen)


class PointResult(NamedTuple):
    code: str
    name: str
    hanzi: str
    ja_reading: str  # romanised (Ichū), for scripts
    kana: str  # the Japanese reading in hiragana (いちゅう): Japanese output writes 委中（いちゅう）BL40
    location: str
    indications: str
    caution: str
    figure: Figure | None = None
    avoid_label: str = ""


class EvidenceResult(NamedTuple):
    id: str
    position: str
    claim: str
    source: str


class AcupunctureResult(NamedTuple):
    suitability: str  # suitable | caution | not_now
    reasons: tuple[str, ...]
    points: tuple[PointResult, ...]
    evidence: tuple[EvidenceResult, ...]
    unscreened: tuple[str, ...]
    # what a clinician must heed before needling, in words: each suitability rule's reason and
    # what is not yet screened (``reasons`` adds what the reader is told: the red flags, the
    # patient's instruction, the evidence in brief)
    cautions: tuple[str, ...] = ()


class Triage(NamedTuple):
    level: Level
    headline: str
    action: str
    call: str
    advice_line: str | None
    timeframe: str
    safety_net: str
    reasons: tuple[str, ...]


class Referral(NamedTuple):
    to: str
    urgency: str
    text: str


class Assessment(NamedTuple):
    tool_version: str
    rules_version: str
    rules_digest: str
    region: str
    audience: Audience
    lang: str
    triage: Triage
    red_flags: tuple[RedFlagHit, ...]
    not_excluded: tuple[NotExcluded, ...]
    scores: tuple[ScoreResult, ...]
    likely_causes: tuple[CauseResult, ...]
    acupuncture: AcupunctureResult
    referral: Referral
    answers: Answers
    unanswered: tuple[str, ...]
    warnings: tuple[str, ...]
    disclaimer: str
    #: the rule set that decided, custom or built-in, with what it switches off and rewords
    rule_set: RulesUsed
    #: the warnings about the rule set itself (each red flag it switches off, each safety
    #: text it rewords), in words: also in ``warnings``, and shown apart at the top
    announced: tuple[str, ...] = ()
    #: ``warnings`` by stable id, in the same order (``disabled:<flag>``, ``reworded:<text>``,
    #: ``proxy:<score>``, ``child``, ``pregnancy``, ``ottawa_window``, ``untranslated:<lang>``):
    #: what scripts match on, as batch records name them
    warning_ids: tuple[str, ...] = ()
