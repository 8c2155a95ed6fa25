"""The library API: ``from kneeguide import load_rules, assess``, and
``from kneeguide.api import as_dict, assess_batch``.

It runs exactly what the CLI runs — the same loader, the same answer checks,
the same engine, the same batch records — so a script and the command line can
never disagree.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from kneeguide import engine
from kneeguide.engine import Assessment
from kneeguide.errors import InputError, Problem
from kneeguide.ids import Audience
from kneeguide.ruleset import load as loader
from kneeguide.ruleset.answers import parse_answers
from kneeguide.ruleset.model import RuleSet

__all__ = ["Assessment", "RuleSet", "as_dict", "assess", "assess_batch", "load_rules", "region_of"]

_BUILTIN: RuleSet | None = None


def load_rules(directory: str | Path | None = None) -> RuleSet:
    """Load and validate a rule set; the built-in one is loaded once per process.

    Raises :class:`kneeguide.errors.RulesError` listing every problem.
    """
    global _BUILTIN
    if directory is not None:
        return loader.load_rules(directory)
    if _BUILTIN is None:
        _BUILTIN = loader.load_rules()
    return _BUILTIN


def assess(
    answers: Mapping[str, Any],
    *,
    rules: RuleSet | None = None,
    region: str | None = None,
    audience: str | Audience = "lay",
    lang: str = "en",
) -> Assessment:
    """Check raw answers (as a script would send them) and assess them.

    Raises :class:`kneeguide.errors.InputError` naming every bad id or value.
    """
    ruleset = rules if rules is not None else load_rules()
    clean = parse_answers(answers, ruleset.questions)
    who = audience if isinstance(audience, Audience) else _audience(audience)
    chosen = region_of(ruleset, region)
    if lang not in ruleset.offered:
        raise InputError(
            [
                Problem(
                    f"language '{lang}' is not provided by this rule set (available: "
                    f"{', '.join(ruleset.offered)})"
                )
            ]
        )
    return engine.assessment_of(ruleset, clean, region=chosen, audience=who, lang=lang)


def as_dict(assessment: Assessment) -> dict[str, Any]:
    """The contract's JSON shape as a Python dict."""
    from kneeguide.render.json import to_dict

    return to_dict(assessment)


def assess_batch(
    answer_sets: Iterable[Mapping[str, Any]],
    *,
    rules: RuleSet | None = None,
    region: str | None = None,
    audience: str | Audience = "lay",
    full: bool = False,
    workers: int = 1,
) -> Iterator[dict[str, Any]]:
    """Assess many answer sets as ``kneeguide batch`` does: one record each, in order, lazily.

    Each answer set is a mapping of question ids to raw answers (as :func:`assess`
    takes them), with an optional ``"id"`` that is carried into its record.
    Records are numbered by ``row`` from 1. Each record is the dict that
    ``kneeguide batch`` writes as one JSON line:

    * ``{"row", "id", "ok": True, "level", "red_flags", "not_excluded",
      "likely_causes", "wells_dvt", "ottawa_knee", "acupuncture",
      "rules_digest", "rules_version", "rules_custom", "rules_checked_against",
      "warnings"}``: ids, the first three likely causes, Wells as
      ``{"points", "points_max", "band"}`` and Ottawa as ``{"applicable",
      "band"}``, the rule set (custom or not, and a custom set's built-in
      ``{"version", "digest"}`` it was proved against), the ids of the warnings
      :func:`assess` gives (``"disabled:<red flag id>"``, ``"reworded:<text id>"``,
      ``"proxy:<score id>"``, ``"child"``, ``"pregnancy"``, ``"ottawa_window"``);
      with ``full``, also ``"assessment"``, the English JSON assessment (:func:`as_dict`);
    * ``{"row", "id", "ok": False, "errors": [{"field", "message"}], "rules_digest",
      "rules_version", "rules_custom", "rules_checked_against", "warnings"}`` for a
      set with a bad id or value (or that is not a mapping), its warnings those that
      hold for every answer set (``disabled:``, ``reworded:``): the others go on.

    Answer sets are read as the records are taken, a block (1,000) at a time,
    so memory stays flat however many there are. ``workers`` > 1 shares the
    blocks among that many processes; the order stays the input order.

    Raises :class:`kneeguide.errors.InputError` at once for an unknown
    ``region`` or ``audience``, and :class:`ValueError` when ``workers`` < 1.

    >>> from kneeguide.api import assess_batch
    >>> records = assess_batch([{"id": "a", "age": 64, "calf_swelling": "yes"}, {"age": "old"}])
    >>> [(r["row"], r["id"], r["ok"]) for r in records]
    [(1, 'a', True), (2, None, False)]
    """
    from kneeguide.batch.blocks import Job
    from kneeguide.batch.pool import run_records
    from kneeguide.batch.reading import Record

    ruleset = rules if rules is not None else load_rules()
    who = audience if isinstance(audience, Audience) else _audience(audience)
    if workers < 1:
        raise ValueError(f"workers must be at least 1, not {workers}")
    job = Job(ruleset, region_of(ruleset, region), who, full)

    def records() -> Iterator[Record]:
        for row, given in enumerate(answer_sets, 1):
            if not isinstance(given, Mapping):
                yield Record(
                    row, None, None, ((None, "an answer set must be a mapping of question ids to answers"),)
                )
                continue
            answers = dict(given)
            ident = answers.pop("id", None)
            yield Record(row, ident, answers, ())

    return run_records(job, records(), workers)


def _audience(value: str) -> Audience:
    try:
        return Audience[value.upper()]
    except KeyError:
        raise InputError([Problem(f"unknown audience '{value}' (expected lay or practitioner)")]) from None


def region_of(rules: RuleSet, region: str | None) -> str:
    """The region code of ``rules`` that ``region`` names (any case), or the rule set's
    ``default_region`` when None. Raises :class:`InputError` for a region ``rules``
    does not define, listing the ones it does."""
    if region is None:
        return rules.default_region
    code = region.upper()
    if code not in rules.regions:
        raise InputError(
            [Problem(f"unknown region '{region}' (expected one of: {', '.join(rules.regions)})")]
        )
    return code
