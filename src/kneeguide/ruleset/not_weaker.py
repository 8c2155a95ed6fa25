"""A custom rule set may make the built-in red flags stricter, never weaker.

Checked whenever a rule set other than the built-in one is loaded: every
built-in red flag must still exist, at the same level or higher, and still fire
on every built-in answer set that makes it fire (its examples and the built-in
rule tests). The only way to switch one off is to list it under ``disable:``
with a reason, and then every report carries a visible warning naming it.
"""

from __future__ import annotations

from kneeguide.engine.decide import assess
from kneeguide.errors import Location, Problem, RulesError
from kneeguide.ruleset.model import RuleSet


def check_against_builtin(custom: RuleSet, builtin: RuleSet) -> None:
    problems: list[Problem] = []
    disabled = {flag_id for flag_id, _ in custom.disabled}
    mine = {f.id: f for f in custom.red_flags}
    hint = "list it under 'disable:' in ruleset.yaml with a reason to allow this"
    for flag in builtin.red_flags:
        if flag.id in disabled:
            continue
        ours = mine.get(flag.id)
        if ours is None:
            problems.append(
                Problem(f"built-in red flag '{flag.id}' is missing; {hint}", Location(custom.source))
            )
            continue
        if ours.level < flag.level:
            problems.append(
                Problem(
                    f"red flag '{flag.id}' is weaker than built-in: level {ours.level.id} < {flag.level.id}; "
                    + hint,
                    ours.location,
                )
            )
        positives = list(flag.examples.fires)
        positives += [t.answers for t in builtin.tests if flag.id in t.fires]
        for answers in positives:
            usable = {k: v for k, v in answers.items() if k in custom.questions}
            result = assess(custom, usable)
            hit = next((h for h in result.red_flags if h.id == flag.id), None)
            if hit is None:
                problems.append(
                    Problem(
                        f"red flag '{flag.id}' is weaker than built-in: it no longer fires on "
                        f"{dict(answers)}; {hint}",
                        ours.location,
                    )
                )
                break
    if problems:
        raise RulesError(problems)
