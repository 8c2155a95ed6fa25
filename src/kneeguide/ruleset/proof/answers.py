"""A person's answers to both rule sets' questions, as solver variables (:class:`Raw`),
and a three-valued condition as two solver booleans (:class:`Tri`).

The whole proof restates, term for term, the Python that decides: this module and
:mod:`view` the three-valued conditions (:mod:`kneeguide.evaluate.conditions`) and the
implied "no" of a skipped question (:mod:`kneeguide.evaluate.inferred`), :mod:`scores`
a score's interval and band (:mod:`kneeguide.evaluate.truth`), :mod:`outcome` the red
flags, floors, cause ranking and level (:mod:`kneeguide.engine.decision`).
``tests/test_proof.py`` holds the two to each other on random answer sets.
"""

from __future__ import annotations

from fractions import Fraction
from typing import NamedTuple

import z3

from kneeguide.ids import Audience
from kneeguide.ruleset.model import Question, RuleSet

MISSING, UNSURE = 0, 1  # codes of a coded answer (yes/no, choice) before the choices


class Tri(NamedTuple):
    """A three-valued condition: ``t`` where it is definitely true, ``f`` where definitely false."""

    t: z3.BoolRef
    f: z3.BoolRef

    @property
    def unknown(self) -> z3.BoolRef:
        return z3.And(z3.Not(self.t), z3.Not(self.f))


TRUE = Tri(z3.BoolVal(True), z3.BoolVal(False))


def codes_of(rule_sets: tuple[RuleSet, ...]) -> dict[str, dict[str, int]]:
    """Per yes/no or choice question of any of ``rule_sets``: each value's code (2, 3, ...)."""
    out: dict[str, dict[str, int]] = {}
    for rules in rule_sets:
        for q in rules.questions.values():
            if q.type in ("int", "number"):
                continue
            values = ("yes", "no") if q.type == "yn" else tuple(c.id for c in q.choices)
            known = out.setdefault(q.id, {})
            for value in values:
                known.setdefault(value, len(known) + 2)
    return out


class Raw:
    """One person's answers to every question of both rule sets, as solver variables.

    A yes/no or choice question is a code (:data:`MISSING`, :data:`UNSURE`, then
    its values); a number question is whether it was answered and its value.
    ``interview`` is whether the answers were taken by each rule set's own
    interview (which asks only what applies to ``practitioner`` or not, and
    skips what its ``ask_if`` rules out) or given whole, as a script gives them.
    The values a person can give are those ``domain`` (the built-in set) accepts.
    """

    def __init__(self, domain: RuleSet, other: RuleSet) -> None:
        self.codes = codes_of((domain, other))
        self.coded: dict[str, z3.ArithRef] = {}
        self.present: dict[str, z3.BoolRef] = {}
        self.number: dict[str, z3.ArithRef] = {}
        self.types: dict[str, str] = {}
        self.interview = z3.Bool("interview")
        self.practitioner = z3.Bool("practitioner")
        self.constraints: list[z3.BoolRef] = []
        # a question's domain is the built-in set's (which the custom set must accept whole:
        # proof.structure); a question only the custom set asks has the custom set's
        questions = {**other.questions, **domain.questions}
        for q in questions.values():
            self.types[q.id] = q.type
            if q.type in ("int", "number"):
                self._number(q)
            else:
                self._coded(q)

    def _coded(self, q: Question) -> None:
        var = self.coded[q.id] = z3.Int(f"q:{q.id}")
        allowed = [MISSING, UNSURE]
        codes = self.codes[q.id]
        allowed += [codes[v] for v in (("yes", "no") if q.type == "yn" else (c.id for c in q.choices))]
        self.constraints.append(z3.Or([var == code for code in allowed]))

    def _number(self, q: Question) -> None:
        present = self.present[q.id] = z3.Bool(f"answered:{q.id}")
        value = self.number[q.id] = z3.Int(f"q:{q.id}") if q.type == "int" else z3.Real(f"q:{q.id}")
        bounds = []
        if q.minimum is not None:
            bounds.append(value >= const(q.minimum))
        if q.maximum is not None:
            bounds.append(value <= const(q.maximum))
        self.constraints.append(z3.Implies(present, z3.And(bounds)) if bounds else z3.BoolVal(True))

    def missing(self, qid: str) -> z3.BoolRef:
        if qid in self.coded:
            return self.coded[qid] == MISSING
        return z3.Not(self.present[qid])

    def asks(self, q: Question) -> z3.BoolRef:
        """Whether this audience's interview asks ``q`` at all (its ``ask_if`` aside)."""
        lay, practitioner = Audience.LAY in q.audiences, Audience.PRACTITIONER in q.audiences
        if lay and practitioner:
            return z3.BoolVal(True)
        if practitioner:
            return self.practitioner
        return z3.Not(self.practitioner) if lay else z3.BoolVal(False)


def const(value: float) -> z3.ArithRef:
    """``value`` exactly (a float's own binary value), as a solver constant."""
    return z3.RealVal(Fraction(value)) if value != int(value) else z3.IntVal(int(value))
