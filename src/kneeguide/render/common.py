"""Small formatting helpers shared by the human-readable renderers."""

from __future__ import annotations

from kneeguide.engine import Assessment, ScoreResult
from kneeguide.engine.assessment import Triage
from kneeguide.ruleset.model import RuleSet


def fmt_points(value: float) -> str:
    """Points as written: ``2``, ``-2``, ``1.5`` (no trailing zeros)."""
    return f"{value:g}"


def _interval(low: float, high: float) -> str:
    return fmt_points(low) if high == low else f"{fmt_points(low)}–{fmt_points(high)}"


def headline_apart(t: Triage) -> bool:
    """Whether the headline says something the action does not begin with: the urgent action
    starts with its own headline ("See a doctor today, within a few hours. Call #7119 ..."),
    and printed twice it reads as a stutter."""
    return not t.action.startswith(t.headline.rstrip(".。"))


def score_line(s: ScoreResult, rules: RuleSet, lang: str, *, incomplete: bool = True) -> str:
    """One line per score, the published score only: points (or range), band,
    completeness (unless ``incomplete`` is off: a decided band needs no caveat for a
    lay reader); or, outside where it applies, "not applicable" and why."""
    if s.applicable is False:
        line = f"{s.title}: {rules.message('label_not_applicable', lang)}"
        reasons = [limit.reason for limit in s.applicability if limit.met is False and limit.reason]
        return f"{line}: {rules.message('cond_separator', lang).join(reasons)}" if reasons else line
    band = s.band_text if s.band else rules.message("band_indeterminate", lang)
    extra = "" if s.complete or not incomplete else f" ({rules.message('label_incomplete', lang)})"
    label = rules.message("label_points", lang)
    return f"{s.title}: {label} {_interval(s.points, s.points_max)}. {band}{extra}"


def score_notes(s: ScoreResult, rules: RuleSet, lang: str) -> list[str]:
    """The lines under a score's line: what is not known about where it applies (a band
    given might read as settled, and a band withheld needs its reason), and the estimate
    from lay stand-ins, labelled so that it never reads as the score."""
    out: list[str] = []
    if s.applicable is None:
        unknown = [limit.reason for limit in s.applicability if limit.met is None and limit.reason]
        if unknown:
            joined = rules.message("cond_separator", lang).join(unknown)
            out.append(rules.message("applicability_unknown", lang).format(reasons=joined))
    e = s.estimate
    if e is not None and s.applicable is not False:
        band = (
            rules.message("estimate_band", lang).format(band=e.band_text)
            if e.band
            else rules.message("band_indeterminate", lang)
        )
        points = f"{rules.message('label_points', lang)} {_interval(e.points, e.points_max)}"
        out.append(f"{e.label}: {points}; {band}")
    return out


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


def grounds_text(a: Assessment, rules: RuleSet, ids: tuple[str, ...]) -> str:
    """The answers a red flag rests on, each with what was answered ("Preceding injury: no"):
    a flag can rest on an answer of "no" (calf pain with no injury), and its name alone
    would read as if the person had said yes. Implied answers are not the person's and
    are left out."""
    given = [q for q in ids if q in a.answers]
    return rules.message("cond_separator", a.lang).join(
        rules.message("cond_answer", a.lang).format(
            question=clinical(rules, q, a.lang), answer=answer_text(a, rules, q)
        )
        for q in given
    )


def askable(a: Assessment, rules: RuleSet, ids: tuple[str, ...]) -> tuple[str, ...]:
    """The missing questions this audience can answer (all of them if none can)."""
    mine = tuple(q for q in ids if a.audience in rules.questions[q].audiences)
    return mine or ids
