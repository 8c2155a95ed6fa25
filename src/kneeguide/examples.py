"""Running each rule's own examples: answers that must and must not trigger it.

Used by ``kneeguide rules validate`` and by the test suite, so a rule whose
condition no longer matches its documented examples is caught either way.
"""

from __future__ import annotations

from .engine import assess, compute_score, with_implied
from .errors import Problem
from .model import RuleSet


def check_examples(rules: RuleSet) -> list[Problem]:
    problems: list[Problem] = []
    for flag in rules.red_flags:
        for answers in flag.examples.fires:
            result = assess(rules, answers)
            if flag.id not in {h.id for h in result.red_flags}:
                problems.append(
                    Problem(
                        f"red flag '{flag.id}' does not fire on its example {dict(answers)}", flag.location
                    )
                )
        for answers in flag.examples.quiet:
            result = assess(rules, answers)
            raised = {h.id for h in result.red_flags} | {n.id for n in result.not_excluded}
            if flag.id in raised:
                problems.append(
                    Problem(
                        f"red flag '{flag.id}' is raised or not excluded on its quiet example "
                        f"{dict(answers)}",
                        flag.location,
                    )
                )
    for floor in rules.floors:
        for answers in floor.examples.fires:
            if floor.when.evaluate(with_implied(rules, answers), {}) is not True:
                problems.append(
                    Problem(f"floor '{floor.id}' does not hold on {dict(answers)}", floor.location)
                )
        for answers in floor.examples.quiet:
            if floor.when.evaluate(with_implied(rules, answers), {}) is not False:
                problems.append(
                    Problem(f"floor '{floor.id}' is not false on {dict(answers)}", floor.location)
                )
    for score in rules.scores:
        for case in score.examples:
            scored = compute_score(score, with_implied(rules, case.answers))
            if scored.points != case.points or scored.band != case.band:
                problems.append(
                    Problem(
                        f"score '{score.id}' gives {scored.points:g} ({scored.band}) on "
                        f"{dict(case.answers)}, expected {case.points:g} ({case.band})",
                        score.location,
                    )
                )
    return problems
