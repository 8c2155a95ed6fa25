"""A question the interview skips cannot change what the person is told, whatever the answer.

For any answers so far, each question the interview passes over now
(``Flow.skipped``: it applies, is unanswered and is not asked) leaves the
assessment's verdict unchanged for every possible answer, "not sure" included: the
level, the red flags raised (at their levels) and those not excluded, every score's
published band ("not yet decided" and "not applicable" are bands too) and the band of
its lay estimate (or the published one when no lay answer stood in), the three leading
causes in their order with their strengths, and acupuncture suitability. The answers so far
are each vignette's answers with a random part left out, and random answers to random
questions, for both audiences.

The verdict is read off the assessment, not off the flow, and a number is tried at
every half unit up to past the largest threshold the rules compare it with.
"""

from __future__ import annotations

from itertools import combinations, product
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from vignette_report import load_vignettes

from kneeguide.engine import assessment_of
from kneeguide.evaluate.conditions import AnswerCompare, Condition
from kneeguide.ids import Audience
from kneeguide.interview.flow import Flow
from kneeguide.ruleset.model import AnswerValue, Question, RuleSet

VIGNETTES = [v["answers"] for _, v in load_vignettes()]
AUDIENCES = [Audience.LAY, Audience.PRACTITIONER]
SKIPS = settings(max_examples=150, deadline=None, database=None, derandomize=True)


def verdict(rules: RuleSet, answers: dict[str, Any], audience: Audience) -> tuple[Any, ...]:
    """What the person is told that a skipped question must not change."""
    a = assessment_of(rules, answers, audience=audience, detail=False)
    return (
        a.triage.level,
        tuple((h.id, h.level) for h in a.red_flags),
        frozenset(n.id for n in a.not_excluded),
        tuple(
            (
                s.id,
                "not applicable" if s.applicable is False else s.band,
                s.estimate.band if s.estimate else s.band,
            )
            for s in a.scores
        ),
        tuple((c.id, c.strength) for c in a.likely_causes[:3]),
        a.acupuncture.suitability,
    )


def every_condition(rules: RuleSet) -> list[Condition]:
    found: list[Condition] = [f.when for f in rules.red_flags]
    found += [e.when for f in rules.red_flags for e in f.escalations]
    found += [f.when for f in rules.floors]
    found += [c for s in rules.scores for i in s.items for c in (i.when, i.proxy) if c is not None]
    found += [s.applies_if for s in rules.scores if s.applies_if is not None]
    found += [f.when for c in rules.causes for f in c.features]
    found += [r.when for r in rules.acupuncture.suitability]
    found += [q.ask_if for q in rules.questions.values() if q.ask_if is not None]
    return found


def possible_answers(rules: RuleSet) -> dict[str, list[AnswerValue]]:
    """Every answer a person could give, up to numbers the rules cannot tell apart."""
    thresholds: dict[str, list[float]] = {}
    for condition in every_condition(rules):
        for leaf in condition.leaves():
            if isinstance(leaf, AnswerCompare):
                thresholds.setdefault(leaf.question, []).append(leaf.threshold)

    def numbers(q: Question) -> list[AnswerValue]:
        low = q.minimum if q.minimum is not None else 0
        high = max([low, *thresholds.get(q.id, [])]) + 2
        if q.maximum is not None:
            high = q.maximum
        step = 1 if q.type == "int" else 0.5
        grid = [low + i * step for i in range(int((high - low) / step) + 1)]
        if q.maximum is None:
            grid.append(10_000)
        return [int(v) if q.type == "int" else v for v in grid]

    out: dict[str, list[AnswerValue]] = {}
    for q in rules.questions.values():
        if q.type == "yn":
            out[q.id] = ["yes", "no", "unsure"]
        elif q.type == "choice":
            out[q.id] = [*(c.id for c in q.choices), "unsure"]
        else:
            out[q.id] = [*numbers(q), "unsure"]
    return out


@pytest.fixture(scope="module")
def flows(rules: RuleSet) -> dict[Audience, Flow]:
    return {audience: Flow(rules, audience) for audience in AUDIENCES}


@pytest.fixture(scope="module")
def answers_to(rules: RuleSet) -> dict[str, list[AnswerValue]]:
    return possible_answers(rules)


def assert_skips_cannot_matter(
    flow: Flow, rules: RuleSet, answers: dict[str, Any], answers_to: dict[str, list[AnswerValue]]
) -> None:
    now = verdict(rules, answers, flow.audience)
    for qid in flow.skipped(answers):
        assert qid not in answers and flow.applies(rules.questions[qid], answers)
        for value in answers_to[qid]:
            after = verdict(rules, {**answers, qid: value}, flow.audience)
            assert after == now, f"skipped {qid}={value!r} changes {now} to {after}, given {answers}"


@pytest.mark.parametrize("audience", AUDIENCES, ids=lambda a: a.id)
@SKIPS
@given(data=st.data())
def test_a_skipped_question_cannot_change_the_verdict_of_a_vignette_partly_told(
    audience: Audience,
    data: st.DataObject,
    rules: RuleSet,
    flows: dict[Audience, Flow],
    answers_to: dict[str, list[AnswerValue]],
) -> None:
    story = data.draw(st.sampled_from(VIGNETTES))
    told = sorted(q for q in story if audience in rules.questions[q].audiences)
    kept = data.draw(st.lists(st.booleans(), min_size=len(told), max_size=len(told)))
    answers = {q: story[q] for q, keep in zip(told, kept, strict=True) if keep}
    assert_skips_cannot_matter(flows[audience], rules, answers, answers_to)


@pytest.mark.parametrize("audience", AUDIENCES, ids=lambda a: a.id)
@SKIPS
@given(data=st.data())
def test_a_skipped_question_cannot_change_the_verdict_of_random_answers(
    audience: Audience,
    data: st.DataObject,
    rules: RuleSet,
    flows: dict[Audience, Flow],
    answers_to: dict[str, list[AnswerValue]],
) -> None:
    asked = sorted(q.id for q in rules.questions.values() if audience in q.audiences)
    told = data.draw(st.sets(st.sampled_from(asked), max_size=len(asked)))
    answers = {q: data.draw(st.sampled_from(answers_to[q])) for q in sorted(told)}
    assert_skips_cannot_matter(flows[audience], rules, answers, answers_to)


def interview(flow: Flow, story: dict[str, Any]) -> dict[str, Any]:
    """Every prompt answered from ``story``; what it does not say is "no", or "not sure"."""
    answers: dict[str, Any] = {}
    while (step := flow.next_step(answers)) is not None:
        for qid in step.questions:
            default = "no" if flow.rules.questions[qid].type == "yn" else "unsure"
            answers[qid] = story.get(qid, default)
    return answers


@pytest.mark.parametrize("audience", AUDIENCES, ids=lambda a: a.id)
def test_when_an_interview_ends_no_two_skipped_questions_matter_together(
    audience: Audience, rules: RuleSet, flows: dict[Audience, Flow], answers_to: dict[str, list[AnswerValue]]
) -> None:
    """Answers that change the verdict only together are not left out (two reasons of 0.8
    each lift referred back pain into the leading three; two examination findings overturn
    the lay stand-ins that made Wells "likely"): after every vignette's interview, neither
    one skipped question nor any two change the verdict, whatever the answers."""
    flow = flows[audience]
    for story in VIGNETTES:
        answers = interview(flow, story)
        assert_skips_cannot_matter(flow, rules, answers, answers_to)
        now = verdict(rules, answers, audience)
        skipped = flow.skipped(answers)
        for first, second in combinations(skipped, 2):
            for one, other in product(answers_to[first][:-1], answers_to[second][:-1]):  # not "unsure"
                after = verdict(rules, {**answers, first: one, second: other}, audience)
                assert after == now, f"{first}={one!r} and {second}={other!r} change {now} to {after}"
