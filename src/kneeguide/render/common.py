"""Small formatting helpers shared by the human-readable renderers (the report and the note).

Texts are joined with the punctuation of the reader's language, never with a literal ", "
or ": ": :class:`~kneeguide.render.typography.Typography` (re-exported here with
:func:`typography`, :func:`point_label` and :func:`fmt_points`) holds it.
"""

from __future__ import annotations

from kneeguide.engine import Assessment, ScoreResult
from kneeguide.engine.announced import RulesUsed
from kneeguide.engine.assessment import Triage
from kneeguide.render.typography import Typography, fmt_points, point_label, typography
from kneeguide.ruleset.model import AnswerValue, RuleSet

__all__ = [
    "Typography",
    "answer_text",
    "askable",
    "clinical",
    "fmt_points",
    "grounds_text",
    "headline_apart",
    "point_label",
    "rules_label",
    "score_line",
    "score_notes",
    "short_digest",
    "typography",
]


def headline_apart(t: Triage) -> bool:
    """Whether the headline says something the action does not begin with: the urgent action
    starts with its own headline ("See a doctor today, within a few hours. Call #7119 ..."),
    and printed twice it reads as a stutter."""
    return not t.action.startswith(t.headline.rstrip(".。"))


def short_digest(digest: str) -> str:
    """A rule set's digest shortened to its first 12 hex digits (as git shortens commit
    ids), where space counts: ``sha256:2a2b2c9969e6``."""
    kind, _, value = digest.partition(":")
    return f"{kind}:{value[:12]}" if value else digest


def rules_label(used: RulesUsed, rules: RuleSet, lang: str, *, short: bool = False) -> str:
    """The rule set that decided, as a reader is shown it after "Rules:": the built-in set
    as its version and digest ("2026.11.0 (sha256:…)"); a custom set says so, with its own
    version, the built-in version it was checked against and its digest ("custom rule set
    clinic-1 (checked against built-in 2026.11.0), digest sha256:…"; ``rules_custom``).
    ``short`` shortens the digest (:func:`short_digest`)."""
    digest = short_digest(used.digest) if short else used.digest
    if not used.custom:
        return typography(rules, lang).paren(used.version, digest)
    if used.checked_against is None:  # a set built without the loader's check: still not the built-in one
        return rules.message("rules_custom_unchecked", lang).format(version=used.version, digest=digest)
    builtin = used.checked_against[0]
    return rules.message("rules_custom", lang).format(version=used.version, builtin=builtin, digest=digest)


def score_line(s: ScoreResult, rules: RuleSet, lang: str, *, incomplete: bool = True) -> str:
    """One line per score, the published score only: points (or range), band,
    completeness (unless ``incomplete`` is off: a decided band needs no caveat for a
    lay reader); or, outside where it applies, "not applicable" and why."""
    ty = typography(rules, lang)
    if s.applicable is False:
        na = rules.message("label_not_applicable", lang)
        reasons = [limit.reason for limit in s.applicability if limit.met is False and limit.reason]
        return ty.label(s.title, ty.because(na, ty.phrases(reasons)) if reasons else na)
    band = s.band_text if s.band else rules.message("band_indeterminate", lang)
    if not s.complete and incomplete:
        band = ty.paren(band, rules.message("label_incomplete", lang))
    return ty.label(s.title, ty.sentences(ty.sentence(ty.points(s.points, s.points_max)), band))


def score_notes(s: ScoreResult, rules: RuleSet, lang: str) -> list[str]:
    """The lines under a score's line: what is not known about where it applies (a band
    given might read as settled, and a band withheld needs its reason), and the estimate
    from lay stand-ins, labelled so that it never reads as the score."""
    ty = typography(rules, lang)
    out: list[str] = []
    if s.applicable is None:
        unknown = [limit.reason for limit in s.applicability if limit.met is None and limit.reason]
        if unknown:
            out.append(rules.message("applicability_unknown", lang).format(reasons=ty.phrases(unknown)))
    e = s.estimate
    if e is not None and s.applicable is not False:
        band = (
            rules.message("estimate_band", lang).format(band=e.band_text)
            if e.band
            else rules.message("band_indeterminate", lang)
        )
        out.append(ty.label(e.label, ty.phrases([ty.points(e.points, e.points_max), band])))
    return out


def answer_text(a: Assessment, rules: RuleSet, qid: str) -> str:
    """The answer to ``qid`` in words: yes, no and unsure in the reader's language (whatever
    the question's type: a choice or a number may be answered "unsure" too), a choice's
    text, a number with its unit."""
    value: AnswerValue | None = a.answers.get(qid)
    if value is None:
        return rules.message("answer_unanswered", a.lang)
    question = rules.questions[qid]
    for choice in question.choices if question.type == "choice" else ():
        if choice.id == value:
            return choice.text.get(a.lang) or choice.text["en"]
    if value in ("yes", "no", "unsure"):
        return rules.message(f"answer_{value}", a.lang)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        unit = (question.unit.get(a.lang) or question.unit.get("en", "")) if question.unit else ""
        return typography(rules, a.lang).quantity(value, unit)
    return str(value)


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
    return typography(rules, a.lang).phrases(
        rules.message("cond_answer", a.lang).format(
            question=clinical(rules, q, a.lang), answer=answer_text(a, rules, q)
        )
        for q in given
    )


def askable(a: Assessment, rules: RuleSet, ids: tuple[str, ...]) -> tuple[str, ...]:
    """The missing questions this audience can answer (all of them if none can)."""
    mine = tuple(q for q in ids if a.audience in rules.questions[q].audiences)
    return mine or ids
