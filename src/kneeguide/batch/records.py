"""The batch record of one answer set: its decisions by id, or what was wrong with it.

A batch record is read straight off the engine's :class:`~kneeguide.engine.Decision`
(no words are chosen), so it says what ``kneeguide assess`` decides for the same
answers, at a fraction of the cost. Its shape:

* ``row`` (int, from 1), ``id`` (the record's own ``id`` or None), ``ok`` (bool);
* when ``ok``: ``level``, ``red_flags`` and ``not_excluded`` (ids, most urgent
  first), ``likely_causes`` (the first three ids), ``wells_dvt``
  (``{"points", "points_max", "band", "applicable"}``: the published score, lay
  stand-ins left out) and ``ottawa_knee`` (``{"applicable", "band"}``: applicable also by its
  validated population, and no band outside it), as the JSON assessment reports
  them (:func:`kneeguide.engine.scores.reported`), each None when the rule set has
  no such score,
  ``acupuncture`` (suitable | caution | not_now), ``rules_digest``,
  ``rules_version``, ``rules_custom`` (any rule set but the built-in one),
  ``rules_checked_against`` (a custom set's ``{"version", "digest"}`` of the
  built-in set it was checked against, else None: the JSON assessment's
  ``rules.checked_against``) and
  ``warnings``: the ids of the warnings ``assess`` gives for the same answers, in
  its order (:func:`kneeguide.engine.warnings_of` decides both):
  ``"disabled:<red flag id>"`` for each red flag the rule set switches off and
  ``"reworded:<text id>"`` for each built-in safety text it rewords (both in
  every record), ``"proxy:<score id>"`` for a score with items decided by lay
  stand-ins, ``"child"``, ``"pregnancy"`` and ``"ottawa_window"`` (an injury
  older than the Ottawa knee rule's 7 days); an empty list when none applies;
* when not: ``errors``, a list of ``{"field": id or None, "message": str}``, and the
  same ``rules_*`` fields and the warnings that hold for every answer set (``disabled:``,
  ``reworded:``), so that no record of a changed rule set goes without saying so.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

from kneeguide.engine import Decision, standing_of, warnings_of
from kneeguide.engine.announced import rules_used
from kneeguide.engine.scores import seen
from kneeguide.evaluate.memo import PerRules
from kneeguide.ids import Level
from kneeguide.render.json import number
from kneeguide.ruleset.model import RuleSet


def decision_record(row: int, ident: Any, rules: RuleSet, d: Decision) -> dict[str, Any]:
    """The batch record of the answer set in row ``row`` that ``rules`` decided as ``d``.

    Score points are whole numbers as ints, any other value exact (the JSON
    assessment rounds them to two places; batch records never did).
    """
    ids = _ids(rules)
    truth = d.truth
    wells = ottawa = None
    # as the JSON assessment reports them (engine.scores.seen), from the population the
    # evaluators worked out with the rest
    if ids.wells_at is not None:
        applicable, shown, band = seen(truth.scores[ids.wells_at], truth.populations >> 2 * ids.wells_at)
        wells = {
            "points": number(shown.points),
            "points_max": number(shown.points_max),
            "band": band,
            "applicable": applicable,
        }
    if ids.ottawa_at is not None:
        applicable, _, band = seen(truth.scores[ids.ottawa_at], truth.populations >> 2 * ids.ottawa_at)
        ottawa = {"applicable": applicable, "band": band}
    flags = ids.flags
    causes = ids.causes
    return {
        "row": row,
        "id": ident,
        "ok": True,
        "level": _LEVEL_IDS[d.level],
        "red_flags": [flags[i] for i, _ in d.hits],
        "not_excluded": [flags[i] for i in d.open],
        "likely_causes": [causes[c.cause] for c in d.causes[:3]],
        "wells_dvt": wells,
        "ottawa_knee": ottawa,
        "acupuncture": d.suitability,
        "rules_digest": rules.digest,
        "rules_version": rules.version,
        "rules_custom": ids.custom,
        "rules_checked_against": None if ids.checked_against is None else dict(ids.checked_against),
        "warnings": [w.id for w in warnings_of(rules, truth.answers, truth.scores)],
    }


def error_record(
    row: int, ident: Any, problems: Iterable[tuple[str | None, str]], rules: RuleSet
) -> dict[str, Any]:
    """The batch record of a row that could not be assessed: each (field or None, message),
    and, as every record, the rule set it was read for and the warnings that hold for every
    answer set (a red flag switched off, a safety text reworded: :func:`standing_of`)."""
    ids = _ids(rules)
    return {
        "row": row,
        "id": ident,
        "ok": False,
        "errors": [{"field": f, "message": m} for f, m in problems],
        "rules_digest": rules.digest,
        "rules_version": rules.version,
        "rules_custom": ids.custom,
        "rules_checked_against": None if ids.checked_against is None else dict(ids.checked_against),
        "warnings": [w.id for w in standing_of(rules)],
    }


def field_of(message: str) -> str | None:
    """The question id an answer problem is about, read off its message (None if none is named)."""
    if message.startswith("unknown question id '"):
        return message.split("'")[1]
    head = message.split(":", 1)[0]
    return head if head.isidentifier() else None


class _Ids(NamedTuple):
    """What a record names of a rule set, looked up once: the ids by position, where
    Wells and Ottawa sit among ``rules.scores``, and whether it is custom and what it
    was checked against (copied into each record, which its reader may change)."""

    flags: tuple[str, ...]
    causes: tuple[str, ...]
    wells_at: int | None
    ottawa_at: int | None
    custom: bool
    checked_against: dict[str, str] | None


def _find_ids(rules: RuleSet) -> _Ids:
    at = {score.id: i for i, score in enumerate(rules.scores)}
    used = rules_used(rules)
    against = used.checked_against
    return _Ids(
        tuple(f.id for f in rules.red_flags),
        tuple(c.id for c in rules.causes),
        at.get("wells_dvt"),
        at.get("ottawa_knee"),
        used.custom,
        None if against is None else {"version": against[0], "digest": against[1]},
    )


_ids: PerRules[_Ids] = PerRules(_find_ids)

_LEVEL_IDS = {level: level.id for level in Level}
