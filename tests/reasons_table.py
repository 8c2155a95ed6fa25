"""Every "because" text of the rule set beside the smallest answer sets that make it shown.

A reason is shown whenever its condition holds, so its text must be true of every
answer set that makes the condition hold; the hardest of those to be true of are
the smallest ones, which say the least. This module writes, for each text that is
shown as a reason (cause features for and against, acupuncture suitability
reasons, triage floors, red-flag escalations), the text in every language and its
condition's minimal answer sets in clinical words. The table was read against the
texts by hand and is committed (``tests/reasons/table.md``); ``test_reasons_text.py``
fails when a text or a condition changes until the table is regenerated and the
changed entries are read again:

    python tests/reasons_table.py > tests/reasons/table.md

Minimal answer sets are the prime terms of the condition written as an "or" of
"and"s: ``not`` is pushed down to the leaves (not "yes" is "no"; not "at least 45"
is "under 45"), contradictory terms are dropped, and a term that contains another is
left out, since the smaller one holds with fewer answers.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from kneeguide.api import load_rules
from kneeguide.evaluate.conditions import (
    All,
    AnswerCompare,
    AnswerIs,
    Any,
    Condition,
    Not,
    ScoreBand,
    ScoreCompare,
)
from kneeguide.ruleset.model import RuleSet, Text

TABLE = Path(__file__).resolve().parent / "reasons" / "table.md"
REGENERATE = "python tests/reasons_table.py > tests/reasons/table.md"

#: A literal of a minimal answer set: a leaf, or a score leaf under ``not`` (kept as written).
Literal = AnswerIs | AnswerCompare | ScoreCompare | ScoreBand | Not
Term = frozenset[Literal]

_FLIP = {"ge": "lt", "gt": "le", "le": "gt", "lt": "ge"}
_SIGN = {"ge": "≥", "gt": ">", "le": "≤", "lt": "<"}


class Shown(NamedTuple):
    """One text shown as a reason, and the condition that shows it."""

    where: str  # file · rule · entry
    text: Text
    when: Condition


def minimal_sets(rules: RuleSet, condition: Condition) -> list[Term]:
    """The condition's minimal answer sets, smallest first (then in a stable order)."""
    terms = [t for t in _dnf(rules, condition, negate=False) if not _contradicts(t)]
    kept = [t for t in terms if not any(other < t for other in terms)]
    unique = sorted(set(kept), key=lambda t: (len(t), sorted(_words(rules, x) for x in t)))
    return unique


def _dnf(rules: RuleSet, c: Condition, *, negate: bool) -> list[Term]:
    if isinstance(c, Not):
        return _dnf(rules, c.child, negate=not negate)
    if isinstance(c, (All, Any)):
        parts = [_dnf(rules, child, negate=negate) for child in c.children]
        conjunction = isinstance(c, All) != negate  # De Morgan under a `not`
        if not conjunction:
            return [term for part in parts for term in part]
        out: list[Term] = [frozenset()]
        for part in parts:
            out = [a | b for a in out for b in part]
        return out
    return [frozenset([_negated(rules, c) if negate else c])]


def _negated(rules: RuleSet, leaf: Literal) -> Literal:
    """The leaf that holds exactly where ``leaf`` is answered and false."""
    if isinstance(leaf, AnswerIs):
        question = rules.questions[leaf.question]
        values = {"yes", "no"} if question.type == "yn" else {c.id for c in question.choices}
        return AnswerIs(leaf.question, frozenset(values - leaf.values))
    if isinstance(leaf, AnswerCompare):
        return AnswerCompare(leaf.question, _FLIP[leaf.op], leaf.threshold)
    return Not(leaf)  # type: ignore[arg-type]  # a score leaf under not: shown as written


def _contradicts(term: Term) -> bool:
    """Two answers to one question that cannot both hold (yes and no; under 40 and 50 or over)."""
    said: dict[str, frozenset[str]] = {}
    for literal in term:
        if isinstance(literal, AnswerIs):
            before = said.get(literal.question)
            said[literal.question] = literal.values if before is None else before & literal.values
            if not said[literal.question]:
                return True
    numbers = [x for x in term if isinstance(x, AnswerCompare)]
    for a in numbers:
        for b in numbers:
            same = a.question == b.question and a.op in ("ge", "gt") and b.op in ("le", "lt")
            if same and (
                a.threshold > b.threshold or (a.threshold == b.threshold and (a.op, b.op) != ("ge", "le"))
            ):
                return True
    return False


def _words(rules: RuleSet, literal: Literal) -> str:
    """A literal in the questions' clinical words (English)."""
    if isinstance(literal, AnswerIs):
        question = rules.questions[literal.question]
        name = question.clinical["en"]
        if question.type == "yn":
            return f"{name}: {' or '.join(sorted(literal.values))}"
        texts = {c.id: c.text["en"] for c in question.choices}
        return f"{name}: {' or '.join(texts.get(v, v) for v in sorted(literal.values))}"
    if isinstance(literal, AnswerCompare):
        question = rules.questions[literal.question]
        return f"{question.clinical['en']} {_SIGN[literal.op]} {literal.threshold:g}"
    if isinstance(literal, ScoreCompare):
        return f"score {literal.score} {_SIGN[literal.op]} {literal.threshold:g}"
    if isinstance(literal, ScoreBand):
        return f"score {literal.score} band {literal.band}"
    return f"not ({_words(rules, literal.child)})"  # type: ignore[arg-type]


def shown_texts(rules: RuleSet) -> Iterator[Shown]:
    """Every text shown as a reason, with the condition that shows it, in rule-set order."""
    for cause in rules.causes:
        for feature in cause.features:
            sign = "for" if feature.weight > 0 else "against"
            yield Shown(f"causes.yaml · {cause.id} · {feature.id} ({sign})", feature.text, feature.when)
        for at, variant in enumerate(cause.advice_if):
            yield Shown(f"causes.yaml · {cause.id} · advice_if[{at}]", variant.advice, variant.when)
    for rule in rules.acupuncture.suitability:
        yield Shown(f"acupuncture.yaml · suitability · {rule.id} ({rule.level})", rule.reason, rule.when)
    for floor in rules.floors:
        yield Shown(f"triage.yaml · floors · {floor.id} ({floor.level.id})", floor.reason, floor.when)
    for flag in rules.red_flags:
        for at, escalation in enumerate(flag.escalations):
            where = f"red_flags.yaml · {flag.id} · escalate[{at}] ({escalation.level.id})"
            yield Shown(where, escalation.reason, escalation.when)


def table(rules: RuleSet) -> str:
    """The table as Markdown: one entry per text, its texts, then its minimal answer sets."""
    out = [
        "# Reasons and the smallest answer sets that show them",
        "",
        "Generated by `tests/reasons_table.py`; read by hand against the texts. Regenerate with",
        f"`{REGENERATE}` and read every changed entry again.",
        "",
    ]
    for shown in shown_texts(rules):
        out.append(f"## {shown.where}")
        out.append("")
        for lang in rules.languages:
            out.append(f"- {lang}: {shown.text[lang]}")
        out.append("- shown when any of:")
        for term in minimal_sets(rules, shown.when):
            out.append("  - " + "; ".join(sorted(_words(rules, x) for x in term)))
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    sys.stdout.write(table(load_rules()))
