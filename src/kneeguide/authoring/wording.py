"""A condition of the rule files in words, in the reader's language.

``kneeguide questions`` tells a person or a script *when* a follow-up question
matters (its ``ask_if``), and the README lists the questions beyond the
scripting contract the same way. Both need the condition as a reader says it,
"Recent immobilisation: yes", not as YAML, and in the language asked for; the
words come from the rule set itself (each question's clinical name, the answer
words and the connectives of ``messages.yaml``), so a translated rule set reads
in its own language without code changes.

The form is exact rather than elegant: every leaf is named, "and" and "or" are
written out, and a nested group is put in parentheses, so the words can be read
back into the condition without guessing.
"""

from __future__ import annotations

from typing import Any, TypeGuard

from kneeguide.authoring.describe import as_data
from kneeguide.evaluate import conditions
from kneeguide.evaluate.conditions import Condition
from kneeguide.ruleset.model import RuleSet, pick

#: How a comparison is written: the same symbols in every language.
SYMBOLS = {"ge": "≥", "gt": ">", "le": "≤", "lt": "<"}  # conditions.COMPARATORS


def as_json(cond: Condition) -> Any:
    """The condition in the form it is written in the rule files, ready for JSON;
    a whole-number threshold stays a whole number (``{"q": "age", "ge": 10}``)."""
    return _whole(as_data(cond))


def _whole(data: Any) -> Any:
    if isinstance(data, dict):
        return {key: _whole(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_whole(value) for value in data]
    if isinstance(data, float) and data.is_integer():
        return int(data)
    return data


def condition_text(cond: Condition, rules: RuleSet, lang: str) -> str:
    """``cond`` in words in ``lang``, e.g. "Recent immobilisation: yes", or
    "Preceding injury …: yes and (yes to any of: Giving way …; Deformity)"."""
    return _Words(rules, lang).say(cond, nested=False)


class _Words:
    def __init__(self, rules: RuleSet, lang: str) -> None:
        self.rules = rules
        self.lang = lang

    def m(self, key: str, **params: str) -> str:
        return (
            self.rules.message(key, self.lang).format(**params)
            if params
            else self.rules.message(key, self.lang)
        )

    def name(self, qid: str) -> str:
        return pick(self.rules.questions[qid].clinical, self.lang)

    def value(self, qid: str, value: str) -> str:
        question = self.rules.questions[qid]
        for choice in question.choices:
            if choice.id == value:
                return pick(choice.text, self.lang)
        if question.type == "yn" and value in ("yes", "no", "unsure"):
            return self.m(f"answer_{value}")
        return value

    def in_order(self, qid: str, values: frozenset[str]) -> list[str]:
        """A choice's values in the order the question offers them; others sorted."""
        offered = [c.id for c in self.rules.questions[qid].choices]
        return sorted(values, key=lambda v: (offered.index(v) if v in offered else len(offered), v))

    def say(self, cond: Condition, nested: bool) -> str:
        if isinstance(cond, conditions.All):
            return self.group([self.say(c, True) for c in cond.children], "cond_and", nested)
        if isinstance(cond, conditions.Any):
            return self.any(cond.children, nested)
        if isinstance(cond, conditions.Not):
            return self.m("cond_not", condition=self.say(cond.child, False))
        if isinstance(cond, conditions.AnswerIs):
            values = [self.value(cond.question, v) for v in self.in_order(cond.question, cond.values)]
            answer = f" {self.m('cond_or')} ".join(values)
            said = self.m("cond_answer", question=self.name(cond.question), answer=answer)
            return f"({said})" if nested and len(values) > 1 else said
        if isinstance(cond, conditions.AnswerCompare):
            return f"{self.name(cond.question)} {SYMBOLS[cond.op]} {cond.threshold:g}"
        score = next(s for s in self.rules.scores if s.id == cond.score)
        if isinstance(cond, conditions.ScoreCompare):
            return f"{pick(score.title, self.lang)} {SYMBOLS[cond.op]} {cond.threshold:g}"
        band = next(b for b in score.bands if b.id == cond.band)
        return self.m("cond_answer", question=pick(score.title, self.lang), answer=pick(band.text, self.lang))

    def any(self, children: tuple[Condition, ...], nested: bool) -> str:
        """ "or" between the children; two or more plain "yes" answers are said at once
        ("yes to any of: A; B; C"), which reads far better than "A: yes or B: yes". That
        list comes last, so it runs to the end of its group and never swallows a part."""
        yes = [c.question for c in children if _is_yes(c)]
        if len(yes) < 2:
            return self.group([self.say(c, True) for c in children], "cond_or", nested)
        parts = [self.say(c, True) for c in children if not _is_yes(c)]
        names = self.m("cond_separator").join(self.name(q) for q in yes)
        parts.append(self.m("cond_any_yes", questions=names))
        return self.group(parts, "cond_or", nested, listed=True)

    def group(self, parts: list[str], joiner: str, nested: bool, listed: bool = False) -> str:
        """``parts`` joined by the word ``joiner``; in parentheses inside another group
        when there is more than one part, or a list whose end would be unclear."""
        text = f" {self.m(joiner)} ".join(parts)
        return f"({text})" if nested and (len(parts) > 1 or listed) else text


def _is_yes(cond: Condition) -> TypeGuard[conditions.AnswerIs]:
    return isinstance(cond, conditions.AnswerIs) and cond.values == frozenset({"yes"})
