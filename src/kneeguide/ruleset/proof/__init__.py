"""A custom rule set proved never weaker than the built-in one, for every answer set.

The proof is exact, not sampled: both rule sets' whole decisions (conditions, the
implied "no" of skipped questions, scores, red flags, floors, the cause ranking and
the level) are written as one formula over every possible answer set (:mod:`answers`,
:mod:`view`, :mod:`scores`, :mod:`outcome`), and an SMT solver decides whether any
answer set makes the custom set weaker by one of the properties of :mod:`properties`.
When one does, the solver's model is such an answer set; the answers it does not need
are left out and it is printed with both outcomes side by side (:mod:`witness`), so the
author can run it. Structural weakenings are named first, without the solver
(:mod:`structure`).

Why Z3 (``z3-solver`` on PyPI; Microsoft Research, MIT licence): the conditions are
three-valued logic over finite answer domains, but the scores and the cause ranking
add points and weights and compare the sums, with thresholds and with each other (a
cause counts only among the top five), which is linear integer and rational
arithmetic. Z3 decides that combination directly; a SAT solver (PySAT) or a BDD
library (``dd``) would need the sums bit-blasted by hand: our own code, where a
mistake silently weakens the proof. Measured with ``python benchmarks/run.py proof``
(2-core development machine, Python 3.11, z3-solver 5.4): the built-in set against
itself in a median of 245 ms (0.5 to 0.7 s on a loaded machine), z3's import about
40 ms; all of it only when a custom set is loaded and not yet in the rules cache
(:mod:`kneeguide.ruleset.cache`), so a cached
``assess --rules`` pays nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kneeguide.errors import Location, Problem
from kneeguide.ruleset.model import RuleSet
from kneeguide.ruleset.proof import structure

if TYPE_CHECKING:
    import z3

    from kneeguide.ruleset.proof.answers import Raw
    from kneeguide.ruleset.proof.witness import Witness

#: Give up (and refuse the rule set) rather than let a run hang on a pathological set.
TIMEOUT_MS = 120_000


class Undecided(Exception):
    """The solver gave up within :data:`TIMEOUT_MS`: the rule set is refused, never trusted."""


def prove(custom: RuleSet, builtin: RuleSet) -> list[Problem]:
    """The ways ``custom`` is weaker than ``builtin``, each with a counter-example; [] when
    it is proved never weaker. Raises nothing: an undecided proof is itself a problem."""
    found = structure.problems(custom, builtin)
    if found:
        return found  # the solver compares like with like
    try:
        weaker = counter_examples(custom, builtin)
    except Undecided:
        message = f"the proof that it is not weaker than built-in was not decided in {TIMEOUT_MS // 1000} s"
        return [Problem(message + "; the rule set is refused", Location(custom.source))]
    found = [
        Problem(f"not weaker than built-in: this rule set {what} ({check}); {w}", _where(custom, check))
        for check, what, w in weaker
    ]
    return _asked_otherwise(custom, builtin) + found if found else []


def _asked_otherwise(custom: RuleSet, builtin: RuleSet) -> list[Problem]:
    """A line for each built-in question ``custom`` asks otherwise (its ``ask_if`` or its
    audiences changed), the likely cause of counter-examples that never name it: a
    question a rule set skips counts as "no", one it does not ask as unanswered."""
    found = []
    for q in builtin.questions.values():
        theirs = custom.questions.get(q.id)
        if theirs is None or (theirs.ask_if == q.ask_if and theirs.audiences == q.audiences):
            continue
        what = "its ask_if" if theirs.ask_if != q.ask_if else "its audiences"
        found.append(
            Problem(
                f"question '{q.id}' is asked otherwise than in the built-in set ({what}): where this rule "
                "set skips it, it counts as 'no'; the problems below may follow from it",
                theirs.location,
            )
        )
    return found


def counter_examples(custom: RuleSet, builtin: RuleSet) -> list[tuple[str, str, Witness]]:
    """Per property that fails (:mod:`properties`, in order): its id, what fails in words,
    and an answer set that shows it (:class:`Witness`). [] when ``custom`` is never weaker.

    ``custom`` and ``builtin`` must be structurally comparable (:func:`structure.problems`
    empty). Raises :class:`Undecided` when the solver gives up.
    """
    import z3

    from kneeguide.ruleset.proof.answers import Raw
    from kneeguide.ruleset.proof.outcome import Outcome
    from kneeguide.ruleset.proof.properties import properties
    from kneeguide.ruleset.proof.witness import witness

    raw = Raw(builtin, custom)
    ours = Outcome(builtin, raw, frozenset(flag_id for flag_id, _ in custom.disabled))
    theirs = Outcome(custom, raw)
    checks = properties(ours, theirs, builtin)
    solver = z3.Solver()
    solver.set("timeout", TIMEOUT_MS)
    solver.add(raw.constraints)
    verdict = solver.check(z3.Not(z3.And([p.holds for p in checks])))
    if verdict == z3.unsat:
        return []
    if verdict != z3.sat:
        raise Undecided
    found = []
    for check in checks:
        model = _smallest(solver, z3.Not(check.holds), raw)
        if model is not None:
            found.append((check.id, check.what, witness(model, raw, ours, theirs)))
    return found


def _smallest(solver: z3.Solver, fails: z3.BoolRef, raw: Raw) -> z3.ModelRef | None:
    """A model of ``fails`` with the answers it does not need left out, answers given whole
    (a script's) preferred to an interview's: a counter-example a person can read and run.
    None when nothing fails (or the solver gives up).

    The solver's first model is one answer set; each answer is then tried unanswered, every
    other answer held at its value, and left out where the weakening remains (an evaluation
    of the formula on fixed values, under a millisecond, not another search).
    """
    import z3

    from kneeguide.ruleset.proof.answers import MISSING

    for mode in (z3.Not(raw.interview), z3.BoolVal(True)):
        verdict = solver.check(fails, mode)
        if verdict == z3.unknown:
            raise Undecided
        if verdict != z3.sat:
            continue
        found = solver.model()
        values: dict[z3.ExprRef, z3.ExprRef] = {
            var: found.evaluate(var, model_completion=True)
            for var in (
                raw.interview,
                raw.practitioner,
                *raw.coded.values(),
                *raw.present.values(),
                *raw.number.values(),
            )
        }
        for qid in sorted({*raw.coded, *raw.present}):
            var = raw.coded[qid] if qid in raw.coded else raw.present[qid]
            unanswered = z3.IntVal(MISSING) if qid in raw.coded else z3.BoolVal(False)
            if values[var].eq(unanswered):
                continue
            trial = {**values, var: unanswered}
            if z3.is_true(_model(trial).evaluate(fails, model_completion=True)):
                values = trial
        return _model(values)
    return None


def _model(values: dict[z3.ExprRef, z3.ExprRef]) -> z3.ModelRef:
    """A model holding exactly ``values`` (what the formula is evaluated on)."""
    import z3

    model = z3.Model()
    for var, value in values.items():
        model.update_value(var, value)
    return model


def _where(custom: RuleSet, check: str) -> Location:
    kind, _, name = check.partition(":")
    if kind in ("fires", "open"):
        for flag in custom.red_flags:
            if flag.id == name:
                return flag.location
    if kind == "floor":
        for floor in custom.floors:
            if floor.id == name:
                return floor.location
    if kind == "band":
        for score in custom.scores:
            if score.id == name:
                return score.location
    return Location(custom.source)
