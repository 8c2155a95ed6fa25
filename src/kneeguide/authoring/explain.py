"""``kneeguide rules explain ID``: a rule described in its own words and data."""

from __future__ import annotations

from typing import Any

import yaml

from kneeguide.errors import InputError, Problem
from kneeguide.evaluate import conditions
from kneeguide.evaluate.conditions import Condition
from kneeguide.ruleset.model import RuleSet, pick
from kneeguide.suggest import did_you_mean


def as_data(cond: Condition) -> Any:
    """A condition back in the form it is written in the rule files."""
    if isinstance(cond, conditions.All):
        return {"all": [as_data(c) for c in cond.children]}
    if isinstance(cond, conditions.Any):
        return {"any": [as_data(c) for c in cond.children]}
    if isinstance(cond, conditions.Not):
        return {"not": as_data(cond.child)}
    if isinstance(cond, conditions.AnswerIs):
        values = sorted(cond.values)
        return (
            {"q": cond.question, "is": values[0]} if len(values) == 1 else {"q": cond.question, "in": values}
        )
    if isinstance(cond, conditions.AnswerCompare):
        return {"q": cond.question, cond.op: cond.threshold}
    if isinstance(cond, conditions.ScoreCompare):
        return {"score": cond.score, cond.op: cond.threshold}
    return {"score": cond.score, "band": cond.band}


def _yaml(data: Any) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=None, width=100)


def explain_rule(rules: RuleSet, rule_id: str) -> str:
    lang = "en"
    out: list[str] = []

    def refs(ids: tuple[str, ...]) -> None:
        out.append("references:")
        for ref in ids:
            r = rules.references.get(ref)
            out.append(f"  - {ref}: {r.citation if r else '(unknown)'}")

    flag = next((f for f in rules.red_flags if f.id == rule_id), None)
    if flag is not None:
        out += [
            f"red flag {flag.id} ({flag.location})",
            f"title: {pick(flag.title, lang)}",
            f"level: {flag.level.id}",
            f"action: {pick(flag.action, lang)}",
            f"why: {pick(flag.explain, lang)}",
            "when:",
            _yaml(as_data(flag.when)).rstrip(),
        ]
        for esc in flag.escalations:
            out += [
                f"escalates to {esc.level.id} when ({pick(esc.reason, lang)}):",
                _yaml(as_data(esc.when)).rstrip(),
            ]
        refs(flag.references)
        out.append("examples that must fire:")
        out += [f"  - {dict(a)}" for a in flag.examples.fires]
        out.append("examples that must not fire:")
        out += [f"  - {dict(a)}" for a in flag.examples.quiet]
        return "\n".join(out) + "\n"
    score = next((s for s in rules.scores if s.id == rule_id), None)
    if score is not None:
        out += [
            f"score {score.id} ({score.location})",
            f"title: {pick(score.title, lang)}",
            f"variant: {pick(score.variant, lang)}",
        ]
        if score.applies_if is not None:
            out += ["applies if:", _yaml(as_data(score.applies_if)).rstrip()]
        for item in score.items:
            out.append(
                f"  {item.points:+g}  {pick(item.text, lang)}"
                + ("  (judgement: never inferred)" if item.judgement else "")
            )
            if item.proxy is not None:
                out.append(f"        lay stand-in: {_yaml(as_data(item.proxy)).strip()}")
        for band in score.bands:
            low = "" if band.minimum is None else f">= {band.minimum:g}"
            out.append(f"  band {band.id} {low}: {pick(band.text, lang)}")
        refs(score.references)
        return "\n".join(out) + "\n"
    cause = next((c for c in rules.causes if c.id == rule_id), None)
    if cause is not None:
        out += [
            f"cause {cause.id} ({cause.location})",
            f"name: {pick(cause.name, lang)}",
            f"usual level: {cause.level.id}",
            f"prior: {cause.prior:g}",
            "features:",
        ]
        for f in cause.features:
            basis = f"LR {f.lr:g}" if f.lr is not None else "expert weight"
            out.append(f"  {f.weight:+.2f} ({basis})  {pick(f.text, lang)}")
            out.append(f"        when: {_yaml(as_data(f.when)).strip()}")
        refs(cause.references)
        return "\n".join(out) + "\n"
    floor = next((f for f in rules.floors if f.id == rule_id), None)
    if floor is not None:
        out += [
            f"floor {floor.id} ({floor.location})",
            f"level: {floor.level.id}",
            f"reason: {pick(floor.reason, lang)}",
            "when:",
            _yaml(as_data(floor.when)).rstrip(),
        ]
        refs(floor.references)
        return "\n".join(out) + "\n"
    question = rules.questions.get(rule_id)
    if question is not None:
        out += [
            f"question {question.id} ({question.location})",
            f"type: {question.expected()}",
            f"lay: {pick(question.lay, lang)}",
            f"practitioner: {pick(question.practitioner, lang)}",
            f"clinical: {pick(question.clinical, lang)}",
        ]
        if question.ask_if is not None:
            out += ["asked if:", _yaml(as_data(question.ask_if)).rstrip()]
        refs(question.references)
        return "\n".join(out) + "\n"
    known = (
        [f.id for f in rules.red_flags]
        + [s.id for s in rules.scores]
        + [c.id for c in rules.causes]
        + [f.id for f in rules.floors]
        + list(rules.questions)
    )
    raise InputError([Problem(f"no rule or question '{rule_id}'{did_you_mean(rule_id, known)}")])
