"""``kneeguide rules explain ID``: one rule described in its own words and data.

A rule author reads back what the loader made of a red flag, score, cause, floor
or question: its wording (English), its conditions in the form they are written
in the rule files, its references and examples, and where it was defined. (The
explanations of a condition's result for one answer set live with the conditions,
in :mod:`kneeguide.evaluate.conditions`; this module describes the rules.)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import yaml

from kneeguide.errors import InputError, Problem
from kneeguide.evaluate import conditions
from kneeguide.evaluate.conditions import Condition
from kneeguide.ruleset.model import Cause, Floor, Question, RedFlag, RuleSet, Score, pick
from kneeguide.suggest import did_you_mean

LANG = "en"  # rule authors write English; translations are checked separately


def as_data(cond: Condition) -> Any:
    """A condition back in the form it is written in the rule files (plain dicts and lists)."""
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


def _yaml(cond: Condition) -> str:
    data = as_data(cond)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=None, width=100)


def describe_rule(rules: RuleSet, rule_id: str) -> str:
    """The description of the red flag, score, cause, floor or question ``rule_id``
    (looked for in that order), as lines of text ending in a newline.

    Raises :class:`InputError` naming the closest known id when there is none.
    """
    kinds: list[tuple[dict[str, Any], Callable[[RuleSet, Any], list[str]]]] = [
        ({f.id: f for f in rules.red_flags}, _red_flag),
        ({s.id: s for s in rules.scores}, _score),
        ({c.id: c for c in rules.causes}, _cause),
        ({f.id: f for f in rules.floors}, _floor),
        (dict(rules.questions), _question),
    ]
    for known, describe in kinds:
        if rule_id in known:
            return "\n".join(describe(rules, known[rule_id])) + "\n"
    every = [key for known, _ in kinds for key in known]
    raise InputError([Problem(f"no rule or question '{rule_id}'{did_you_mean(rule_id, every)}")])


def _references(rules: RuleSet, ids: tuple[str, ...]) -> list[str]:
    out = ["references:"]
    for ref in ids:
        r = rules.references.get(ref)
        out.append(f"  - {ref}: {pick(r.citation, 'en') if r else '(unknown)'}")
    return out


def _red_flag(rules: RuleSet, flag: RedFlag) -> list[str]:
    out = [
        f"red flag {flag.id} ({flag.location})",
        f"title: {pick(flag.title, LANG)}",
        f"level: {flag.level.id}",
        f"action: {pick(flag.action, LANG)}",
        f"why: {pick(flag.explain, LANG)}",
        "when:",
        _yaml(flag.when).rstrip(),
    ]
    for esc in flag.escalations:
        out += [f"escalates to {esc.level.id} when ({pick(esc.reason, LANG)}):", _yaml(esc.when).rstrip()]
        if esc.action is not None:
            out.append(f"  action then: {pick(esc.action, LANG)}")
    out += _references(rules, flag.references)
    out.append("examples that must fire:")
    out += [f"  - {dict(a)}" for a in flag.examples.fires]
    out.append("examples that must not fire:")
    out += [f"  - {dict(a)}" for a in flag.examples.quiet]
    return out


def _score(rules: RuleSet, score: Score) -> list[str]:
    out = [
        f"score {score.id} ({score.location})",
        f"title: {pick(score.title, LANG)}",
        f"variant: {pick(score.variant, LANG)}",
    ]
    if score.applies_if is not None:
        out += ["applies if:", _yaml(score.applies_if).rstrip()]
    for bound in score.validated_for:
        # reported only: red flags reading the score never read these bounds
        waits = " (no band until known to hold)" if bound.withhold_until_known else ""
        reason = pick(bound.reason, LANG)
        out.append(f"validated for ({bound.id}){waits}: {reason}: {_yaml(bound.when).strip()}")
    for item in score.items:
        judgement = "  (judgement: never inferred)" if item.judgement else ""
        out.append(f"  {item.points:+g}  {pick(item.text, LANG)}{judgement}")
        if item.proxy is not None:
            out.append(f"        lay stand-in: {_yaml(item.proxy).strip()}")
    for band in score.bands:
        low = "" if band.minimum is None else f">= {band.minimum:g}"
        out.append(f"  band {band.id} {low}: {pick(band.text, LANG)}")
    return out + _references(rules, score.references)


def _cause(rules: RuleSet, cause: Cause) -> list[str]:
    out = [
        f"cause {cause.id} ({cause.location})",
        f"name: {pick(cause.name, LANG)}",
        f"usual level: {cause.level.id}",
        f"prior: {cause.prior:g}",
        "features:",
    ]
    for f in cause.features:
        basis = f"LR {f.lr:g}" if f.lr is not None else "expert weight"
        out.append(f"  {f.weight:+.2f} ({basis})  {pick(f.text, LANG)}")
        out.append(f"        when: {_yaml(f.when).strip()}")
    out.append(f"advice: {pick(cause.advice, LANG)}")
    for variant in cause.advice_if:
        out += [f"advice instead when {_yaml(variant.when).strip()}:", f"  {pick(variant.advice, LANG)}"]
    if cause.seek_care is not None:
        out.append(f"seek care (only at level {cause.level.id}): {pick(cause.seek_care, LANG)}")
    return out + _references(rules, cause.references)


def _floor(rules: RuleSet, floor: Floor) -> list[str]:
    out = [
        f"floor {floor.id} ({floor.location})",
        f"level: {floor.level.id}",
        f"reason: {pick(floor.reason, LANG)}",
        "when:",
        _yaml(floor.when).rstrip(),
    ]
    return out + _references(rules, floor.references)


def _question(rules: RuleSet, question: Question) -> list[str]:
    out = [
        f"question {question.id} ({question.location})",
        f"type: {question.expected()}",
        f"lay: {pick(question.lay, LANG)}",
        f"practitioner: {pick(question.practitioner, LANG)}",
        f"clinical: {pick(question.clinical, LANG)}",
    ]
    if question.ask_if is not None:
        out += ["asked if:", _yaml(question.ask_if).rstrip()]
    return out + _references(rules, question.references)
