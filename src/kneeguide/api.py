"""The library API: ``from kneeguide import load_rules, assess``.

It runs exactly what the CLI runs — the same loader, the same answer checks,
the same engine — so a script and the command line can never disagree.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kneeguide.engine import decide as engine
from kneeguide.engine.assessment import Assessment
from kneeguide.errors import InputError, Problem
from kneeguide.ids import Audience
from kneeguide.ruleset import files as rulefiles
from kneeguide.ruleset.answers import parse_answers
from kneeguide.ruleset.model import RuleSet

__all__ = ["Assessment", "RuleSet", "as_dict", "assess", "load_rules"]

_BUILTIN: RuleSet | None = None


def load_rules(directory: str | Path | None = None) -> RuleSet:
    """Load and validate a rule set; the built-in one is loaded once per process.

    Raises :class:`kneeguide.errors.RulesError` listing every problem.
    """
    global _BUILTIN
    if directory is not None:
        return rulefiles.load_rules(directory)
    if _BUILTIN is None:
        _BUILTIN = rulefiles.load_rules()
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
    chosen = _region(ruleset, region)
    if lang not in ruleset.languages:
        raise InputError(
            [
                Problem(
                    f"language '{lang}' is not provided by this rule set (available: "
                    f"{', '.join(ruleset.languages)})"
                )
            ]
        )
    return engine.assess(ruleset, clean, region=chosen, audience=who, lang=lang)


def as_dict(assessment: Assessment) -> dict[str, Any]:
    """The contract's JSON shape as a Python dict."""
    from kneeguide.render.json import to_dict

    return to_dict(assessment)


def _audience(value: str) -> Audience:
    try:
        return Audience[value.upper()]
    except KeyError:
        raise InputError([Problem(f"unknown audience '{value}' (expected lay or practitioner)")]) from None


def _region(rules: RuleSet, region: str | None) -> str:
    if region is None:
        return rules.default_region
    code = region.upper()
    if code not in rules.regions:
        raise InputError(
            [Problem(f"unknown region '{region}' (expected one of: {', '.join(rules.regions)})")]
        )
    return code
