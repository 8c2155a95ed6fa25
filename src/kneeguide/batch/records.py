"""The batch record of one answer set: its decisions by id, or what was wrong with it.

A batch record is read straight off the engine's :class:`~kneeguide.engine.Decision`
(no words are chosen), so it says what ``kneeguide assess`` decides for the same
answers, at a fraction of the cost. Its shape:

* ``row`` (int, from 1), ``id`` (the record's own ``id`` or None), ``ok`` (bool);
* when ``ok``: ``level``, ``red_flags`` and ``not_excluded`` (ids, most urgent
  first), ``likely_causes`` (the first three ids), ``wells_dvt``
  (``{"points", "points_max", "band"}``) and ``ottawa_knee``
  (``{"applicable", "band"}``), each None when the rule set has no such score,
  ``acupuncture`` (suitable | caution | not_now), ``rules_digest`` and
  ``warnings``: the ids of the warnings ``assess`` gives for the same answers, in
  its order (:func:`kneeguide.engine.warnings_of` decides both):
  ``"disabled:<red flag id>"`` for each red flag the rule set switches off (so in
  every record), ``"proxy:<score id>"`` for a score with items decided by lay
  stand-ins, ``"child"``, ``"pregnancy"`` and ``"ottawa_window"`` (an injury
  older than the Ottawa knee rule's 7 days); an empty list when none applies;
* when not: ``errors``, a list of ``{"field": id or None, "message": str}``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from kneeguide.engine import Decision, warnings_of
from kneeguide.evaluate.memo import PerRules
from kneeguide.ids import Level
from kneeguide.render.json import number
from kneeguide.ruleset.model import RuleSet


def decision_record(row: int, ident: Any, rules: RuleSet, d: Decision) -> dict[str, Any]:
    """The batch record of the answer set in row ``row`` that ``rules`` decided as ``d``.

    Score points are whole numbers as ints, any other value exact (the JSON
    assessment rounds them to two places; batch records never did).
    """
    wells_at, ottawa_at = _score_positions(rules)
    wells = ottawa = None
    if wells_at is not None:
        facts = d.truth.scores[wells_at]
        wells = {"points": number(facts.points), "points_max": number(facts.points_max), "band": facts.band}
    if ottawa_at is not None:
        facts = d.truth.scores[ottawa_at]
        ottawa = {"applicable": facts.applicable, "band": facts.band}
    flags = rules.red_flags
    causes = rules.causes
    return {
        "row": row,
        "id": ident,
        "ok": True,
        "level": _LEVEL_IDS[d.level],
        "red_flags": [flags[i].id for i, _ in d.hits],
        "not_excluded": [flags[i].id for i in d.open],
        "likely_causes": [causes[c.cause].id for c in d.causes[:3]],
        "wells_dvt": wells,
        "ottawa_knee": ottawa,
        "acupuncture": d.suitability,
        "rules_digest": rules.digest,
        "warnings": [w.id for w in warnings_of(rules, d.truth.answers, d.truth.scores)],
    }


def error_record(row: int, ident: Any, problems: Iterable[tuple[str | None, str]]) -> dict[str, Any]:
    """The batch record of a row that could not be assessed: each (field or None, message)."""
    return {"row": row, "id": ident, "ok": False, "errors": [{"field": f, "message": m} for f, m in problems]}


def field_of(message: str) -> str | None:
    """The question id an answer problem is about, read off its message (None if none is named)."""
    if message.startswith("unknown question id '"):
        return message.split("'")[1]
    head = message.split(":", 1)[0]
    return head if head.isidentifier() else None


def _find_scores(rules: RuleSet) -> tuple[int | None, int | None]:
    """Where Wells and Ottawa sit among ``rules.scores``."""
    at = {score.id: i for i, score in enumerate(rules.scores)}
    return at.get("wells_dvt"), at.get("ottawa_knee")


_score_positions: PerRules[tuple[int | None, int | None]] = PerRules(_find_scores)

_LEVEL_IDS = {level: level.id for level in Level}
