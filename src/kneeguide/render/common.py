"""Small formatting helpers shared by the human-readable renderers."""

from __future__ import annotations

from kneeguide.engine import Assessment, ScoreResult
from kneeguide.ruleset.model import RuleSet


def fmt_points(value: float) -> str:
    """Points as written: ``2``, ``-2``, ``1.5`` (no trailing zeros)."""
    return f"{value:g}"


def score_line(s: ScoreResult, rules: RuleSet, lang: str) -> str:
    """One line per score: points (or range), band, completeness."""
    if s.applicable is False:
        return f"{s.title}: {rules.message('label_not_applicable', lang)}"
    points = fmt_points(s.points)
    if s.points_max != s.points:
        points = f"{points}–{fmt_points(s.points_max)}"
    band = s.band_text if s.band else rules.message("band_indeterminate", lang)
    extra = "" if s.complete else f" ({rules.message('label_incomplete', lang)})"
    label = rules.message("label_points", lang)
    return f"{s.title}: {label} {points}. {band}{extra}"


def answer_text(a: Assessment, rules: RuleSet, qid: str) -> str:
    """The answer to ``qid`` in words (a choice's text, a number with its unit)."""
    value = a.answers.get(qid)
    if value is None:
        return rules.message("answer_unanswered", a.lang)
    question = rules.questions[qid]
    if question.type == "yn":
        return rules.message(f"answer_{value}", a.lang)
    if question.type == "choice":
        for choice in question.choices:
            if choice.id == value:
                return choice.text.get(a.lang) or choice.text["en"]
    unit = question.unit.get(a.lang) or question.unit.get("en", "") if question.unit else ""
    return f"{value:g} {unit}".strip() if isinstance(value, (int, float)) else str(value)


def clinical(rules: RuleSet, qid: str, lang: str) -> str:
    """The question's short clinical name in ``lang``, e.g. "Calf swelling"."""
    text = rules.questions[qid].clinical
    return text.get(lang) or text["en"]


def askable(a: Assessment, rules: RuleSet, ids: tuple[str, ...]) -> tuple[str, ...]:
    """The missing questions this audience can answer (all of them if none can)."""
    mine = tuple(q for q in ids if a.audience in rules.questions[q].audiences)
    return mine or ids
