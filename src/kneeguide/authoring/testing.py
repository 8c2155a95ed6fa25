"""``kneeguide rules test`` and ``rules validate``: run every example a rule set documents.

A rule's ``examples`` (red flags: answer sets that must make it fire and that must
leave it quiet; floors: sets on which it holds or not; scores: points and band)
and every ``tests:`` case of every rule file are run through the engine, and each
gives one :class:`TestResult`. Pure functions over a loaded :class:`RuleSet`; the
CLI only formats what they return.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from kneeguide.engine import assessment_of, compute_score
from kneeguide.errors import Location
from kneeguide.evaluate.walk import with_implied
from kneeguide.ids import Audience
from kneeguide.ruleset.model import RuleSet


class TestResult(NamedTuple):
    """One example or test case, run."""

    name: str
    kind: str  # example | test
    rule: str  # the rule the example belongs to, or a test's file
    status: str  # passed | failed | todo
    problems: tuple[str, ...]  # why it did not pass, one line each
    location: Location | None


def _result(name: str, kind: str, rule: str, problem: str | None, location: Location | None) -> TestResult:
    """An example's result: passed without a problem, failed with one."""
    if problem is None:
        return TestResult(name, kind, rule, "passed", (), location)
    return TestResult(name, kind, rule, "failed", (problem,), location)


def run_tests(rules: RuleSet) -> list[TestResult]:
    """Every example and test case of ``rules``, in file order: red-flag examples,
    floor examples, score examples, then the ``tests:`` cases."""
    return [
        *_red_flag_examples(rules),
        *_floor_examples(rules),
        *_score_examples(rules),
        *_test_cases(rules),
    ]


def _red_flag_examples(rules: RuleSet) -> Iterator[TestResult]:
    for flag in rules.red_flags:
        for i, answers in enumerate(flag.examples.fires):
            a = assessment_of(rules, answers)
            fired = flag.id in {h.id for h in a.red_flags}
            problem = None if fired else f"'{flag.id}' was not raised"
            yield _result(f"{flag.id}: fires on example {i + 1}", "example", flag.id, problem, flag.location)
        for i, answers in enumerate(flag.examples.quiet):
            a = assessment_of(rules, answers)
            raised = {h.id for h in a.red_flags} | {n.id for n in a.not_excluded}
            problem = f"'{flag.id}' was raised or not excluded" if flag.id in raised else None
            yield _result(f"{flag.id}: quiet on example {i + 1}", "example", flag.id, problem, flag.location)


def _floor_examples(rules: RuleSet) -> Iterator[TestResult]:
    for floor in rules.floors:
        wanted = [(a, True) for a in floor.examples.fires] + [(a, False) for a in floor.examples.quiet]
        for answers, want in wanted:
            got = floor.when.evaluate(with_implied(rules, answers), {})
            problem = None if got is want else f"evaluated to {got}"
            name = f"{floor.id}: {'holds' if want else 'does not hold'} on {dict(answers)}"
            yield _result(name, "example", floor.id, problem, floor.location)


def _score_examples(rules: RuleSet) -> Iterator[TestResult]:
    for score in rules.scores:
        for case in score.examples:
            r = compute_score(score, with_implied(rules, case.answers))
            ok = r.points == case.points and r.band == case.band
            problem = None if ok else f"got {r.points:g} points ({r.band})"
            name = f"{score.id}: {case.points:g} points ({case.band})"
            yield _result(name, "example", score.id, problem, score.location)


def _test_cases(rules: RuleSet) -> Iterator[TestResult]:
    """The ``tests:`` cases; a failing case marked ``todo`` is reported, not failed.
    A disabled red flag a case expects to fire is not held against it."""
    off = {flag_id for flag_id, _ in rules.disabled}
    for test in rules.tests:
        a = assessment_of(rules, test.answers, audience=Audience[test.audience.upper()])
        raised = {h.id for h in a.red_flags}
        still_open = {n.id for n in a.not_excluded}
        problems = [f"'{f}' was not raised" for f in test.fires if f not in raised and f not in off]
        problems += [f"'{f}' was raised or not excluded" for f in test.quiet if f in raised | still_open]
        if test.level is not None:
            low, high = test.level
            level = a.triage.level
            if not low <= level <= high:
                problems.append(f"level {level.id} is outside [{low.id}, {high.id}]")
        status = "passed" if not problems else "todo" if test.todo else "failed"
        yield TestResult(test.name, "test", test.file, status, tuple(problems), test.location)
