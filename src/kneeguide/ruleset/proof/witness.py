"""A counter-example read off the solver's model: the answers, and both outcomes side by side."""

from __future__ import annotations

from fractions import Fraction
from typing import NamedTuple

import z3

from kneeguide.ids import Level
from kneeguide.ruleset.model import Answers, AnswerValue
from kneeguide.ruleset.proof.answers import MISSING, UNSURE, Raw
from kneeguide.ruleset.proof.outcome import Outcome

_LEVELS = tuple(sorted(Level))


class Side(NamedTuple):
    """One rule set's outcome on a counter-example, read off the solver's model."""

    level: str
    flags: tuple[tuple[str, str], ...]  # (red flag, level) raised
    open: tuple[str, ...]  # red flags not excluded
    floors: tuple[str, ...]
    bands: tuple[tuple[str, str, str], ...]  # (score, lowest band, highest band)

    def differences(self, other: Side) -> str:
        """This side's level, then what it has that ``other`` lacks (or has otherwise)."""
        parts = [self.level]
        flags = [f"{f} ({lvl})" for f, lvl in self.flags if (f, lvl) not in other.flags]
        if flags:
            parts.append("raises " + ", ".join(flags))
        raised = {f for f, _ in self.flags}
        lost = [f for f, _ in other.flags if f not in raised and f not in self.open]
        opened = [f for f in self.open if f not in other.open]
        if opened:
            parts.append("not excluded " + ", ".join(opened))
        excluded = [f for f in other.open if f not in self.open and f not in raised]
        if lost or excluded:
            parts.append("excludes " + ", ".join(lost + excluded))
        floors = [f for f in self.floors if f not in other.floors]
        if floors:
            parts.append("floor " + ", ".join(floors))
        for band in self.bands:
            if band not in other.bands:
                score, low, high = band
                parts.append(f"{score} {low}" if low == high else f"{score} {low} or {high}")
        return ", ".join(parts)


class Witness(NamedTuple):
    """An answer set on which a property fails, and both outcomes on it."""

    answers: Answers  # what the person gave (unanswered questions left out)
    interview: bool  # taken by each rule set's interview (else given whole, by a script)
    practitioner: bool  # the interview's audience
    builtin: Side
    custom: Side
    #: per rule set (built-in, custom): each answer it does not take as given, and what it
    #: counts instead ("no" for a question it skips, "unanswered" for one it does not ask)
    assumed: tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]] = ((), ())

    def __str__(self) -> str:
        given = ", ".join(f"{k}={v}" for k, v in self.answers.items()) or "nothing"
        audience = "practitioner" if self.practitioner else "lay"
        how = (
            "given"
            if not self.interview
            else f"the answers of a person in each rule set's {audience} interview"
        )
        for whose, assumed in zip(("the built-in set", "this rule set"), self.assumed, strict=True):
            if assumed:
                how += "".join(f"; {whose} does not ask {q} and counts it as {value}" for q, value in assumed)
        return (
            f"counter-example: {given} ({how}) -> built-in: {self.builtin.differences(self.custom)}"
            f" | this rule set: {self.custom.differences(self.builtin)}"
        )


def witness(model: z3.ModelRef, raw: Raw, builtin: Outcome, custom: Outcome) -> Witness:
    """The counter-example in ``model``: the answers given and both sides' outcomes."""
    answers: dict[str, AnswerValue] = {}
    for qid, var in raw.coded.items():
        code = model.evaluate(var, model_completion=True).as_long()
        if code == UNSURE:
            answers[qid] = "unsure"
        elif code != MISSING:
            answers[qid] = next(v for v, c in raw.codes[qid].items() if c == code)
    for qid, present in raw.present.items():
        if z3.is_true(model.evaluate(present, model_completion=True)):
            answers[qid] = _number(model.evaluate(raw.number[qid], model_completion=True), raw.types[qid])
    return Witness(
        dict(sorted(answers.items())),
        z3.is_true(model.evaluate(raw.interview, model_completion=True)),
        z3.is_true(model.evaluate(raw.practitioner, model_completion=True)),
        side(model, builtin),
        side(model, custom),
        (_assumed(model, raw, builtin, answers), _assumed(model, raw, custom, answers)),
    )


def _assumed(model: z3.ModelRef, raw: Raw, outcome: Outcome, answers: Answers) -> tuple[tuple[str, str], ...]:
    """Each answer in ``answers`` that ``outcome``'s rule set reads as something else: a
    question its interview skips ("no") or does not ask this audience ("unanswered")."""
    seen = outcome.view
    out = []
    for qid in answers:
        if qid in seen.coded and not z3.is_true(model.evaluate(seen.coded[qid] == raw.coded[qid], True)):
            code = model.evaluate(seen.coded[qid], model_completion=True).as_long()
            out.append((qid, "unanswered" if code == MISSING else "no"))
        elif qid in seen.present and not z3.is_true(model.evaluate(seen.present[qid], True)):
            out.append((qid, "unanswered"))
    return tuple(out)


def _number(value: z3.ExprRef, kind: str) -> AnswerValue:
    if isinstance(value, z3.IntNumRef):
        return int(value.as_long())
    assert isinstance(value, z3.RatNumRef)
    exact = Fraction(value.numerator_as_long(), value.denominator_as_long())
    return int(exact) if kind == "int" or exact.denominator == 1 else float(exact)


def side(model: z3.ModelRef, outcome: Outcome) -> Side:
    def true(term: z3.BoolRef) -> bool:
        return bool(z3.is_true(model.evaluate(term, model_completion=True)))

    def level(term: z3.ArithRef) -> str:
        return str(_LEVELS[model.evaluate(term, model_completion=True).as_long()].id)

    bands = []
    for score_id, terms in outcome.scores.items():
        ids = [b.id for b in terms.score.bands]
        low = ids[model.evaluate(terms.low, model_completion=True).as_long()]
        high = ids[model.evaluate(terms.high, model_completion=True).as_long()]
        if true(terms.applicable.f):
            low = high = "not applicable"
        bands.append((score_id, low, high))
    return Side(
        level(outcome.level),
        tuple(
            sorted(
                ((f, level(outcome.flag_level[f])) for f, t in outcome.fired.items() if true(t)),
                key=lambda x: x[0],
            )
        ),
        tuple(f for f, t in outcome.unknown.items() if true(t)),
        tuple(f for f, t in outcome.floors.items() if true(t)),
        tuple(bands),
    )
