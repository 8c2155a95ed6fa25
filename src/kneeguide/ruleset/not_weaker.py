"""A custom rule set may make the built-in red flags stricter, never weaker.

Checked whenever a rule set other than the built-in one is loaded: every
built-in red flag must still exist, at the same level or higher, and still fire
on every built-in answer set that makes it fire (its examples and the built-in
rule tests). The only way to switch one off is to list it under ``disable:``
with a reason, and then every report carries a visible warning naming it.

"Fires" is decided by the conditions' own evaluator (:func:`fires`), the one the
engine decides by, so the rule set layer needs nothing above it.
"""

from __future__ import annotations

from kneeguide.errors import Location, Problem, RulesError
from kneeguide.evaluate.walk import walk
from kneeguide.ruleset.model import Answers, RuleSet


def fires(rules: RuleSet, index: int, answers: Answers) -> bool:
    """Whether ``rules.red_flags[index]`` fires on the validated ``answers``.

    It fires when its ``when`` is definitely true on the answers plus the "no"
    implied by every skipped question, scores included: bit ``index`` of
    :attr:`Truth.fired <kneeguide.evaluate.truth.Truth.fired>`, which is what
    makes the engine raise it.
    """
    return bool(walk(rules, answers).fired >> index & 1)


def check_against_builtin(custom: RuleSet, builtin: RuleSet) -> None:
    """Raise :class:`RulesError` listing each built-in red flag that ``custom`` drops,
    lowers or no longer fires on a built-in positive answer set (at most one such set per flag)."""
    problems: list[Problem] = []
    disabled = {flag_id for flag_id, _ in custom.disabled}
    mine = {f.id: i for i, f in enumerate(custom.red_flags)}
    hint = "list it under 'disable:' in ruleset.yaml with a reason to allow this"
    for flag in builtin.red_flags:
        if flag.id in disabled:
            continue
        index = mine.get(flag.id)
        if index is None:
            problems.append(
                Problem(f"built-in red flag '{flag.id}' is missing; {hint}", Location(custom.source))
            )
            continue
        ours = custom.red_flags[index]
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
            if not fires(custom, index, usable):
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
