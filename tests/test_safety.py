"""Safety properties of contract §4, checked on random answer sets (hypothesis)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kneeguide.api import as_dict, assess, load_rules
from kneeguide.evaluate.conditions import All, AnswerIs, Not
from kneeguide.evaluate.conditions import Any as Any_
from kneeguide.ids import Level

RULES = load_rules()
YN = sorted(q.id for q in RULES.questions.values() if q.type == "yn")


_OPPOSITE = {"yes": "no", "no": "yes"}

#: Questions whose answer can explain a danger away as well as point to one: with calf pain,
#: an injury, pain travelling from the back, or cramps on walking that ease with rest
#: explain the pain, so only their absence makes it a suspected clot (NICE NG158, see
#: docs/safety.md §5); yet an injury, radiating pain and those cramps are red-flag or floor
#: features in their own right. Every other yes/no feature points one way only.
EXPLANATIONS = {"injury", "radiating_pain", "calf_pain_walking_relieved_by_rest"}


def _leaves(condition: Any, against: bool) -> list[tuple[str, str]]:
    """(question, value towards the condition) for every yes/no leaf, a `not` turning it round."""
    if isinstance(condition, Not):
        return _leaves(condition.child, not against)
    if isinstance(condition, (All, Any_)):
        return [pair for child in condition.children for pair in _leaves(child, against)]
    if isinstance(condition, AnswerIs) and condition.question in YN:
        return [(condition.question, _OPPOSITE.get(v, v) if against else v) for v in condition.values]
    return []


def _features() -> list[tuple[str, str]]:
    """(question, value) pairs that count towards a red flag or a floor on the level, e.g.
    (calf_swelling, yes), (able_to_bear_weight, no), (injury, no) for the unexplained calf pain
    of a suspected clot: the direction of each yes/no feature comes from the rules.

    A score item with negative points counts against: Wells' "alternative diagnosis
    as likely" (−2) makes a clot less likely when a clinician answers yes, as the
    published score intends, so for it the direction towards the red flag is "no".
    """
    conds = [(f.when, False) for f in RULES.red_flags]
    conds += [(f.when, False) for f in RULES.floors]
    conds += [(i.when, i.points < 0) for s in RULES.scores for i in s.items]
    return sorted({pair for cond, against in conds for pair in _leaves(cond, against)})


FEATURES = _features()
ONE_WAY = [(q, v) for q, v in FEATURES if q not in EXPLANATIONS]
RED_FLAG_QUESTIONS = sorted({q for q, _ in FEATURES})


def value_for(qid: str) -> st.SearchStrategy[Any]:
    q = RULES.questions[qid]
    if q.type == "yn":
        return st.sampled_from(["yes", "no", "unsure"])
    if q.type == "choice":
        return st.sampled_from([c.id for c in q.choices])
    low = int(q.minimum or 0)
    high = int(q.maximum if q.maximum is not None else 400)
    return st.integers(low, high)


answer_sets = st.dictionaries(st.sampled_from(sorted(RULES.questions)), st.none(), max_size=40).flatmap(
    lambda keys: st.fixed_dictionaries({k: value_for(k) for k in keys})
)

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(answer_sets)
def test_every_assessment_satisfies_the_contract(answers: dict[str, Any]) -> None:
    result = assess(answers, rules=RULES)
    level = result.triage.level
    for hit in result.red_flags:
        assert level >= hit.level
    if result.not_excluded:
        assert level >= Level.SOON
    if level >= Level.URGENT:
        assert result.acupuncture.suitability == "not_now"
    data = as_dict(result)
    assert data["schema_version"] == 1
    assert data["disclaimer"]
    assert data["triage"]["level"] in ("self_care", "routine", "soon", "urgent", "emergency")
    assert data["rules"]["digest"].startswith("sha256:")
    for cause in data["likely_causes"]:
        assert cause["strength"] in ("strong", "possible", "less_likely")
        assert set(cause["for"]) <= set(RULES.questions)


@FAST
@given(answer_sets, st.sampled_from(ONE_WAY))
def test_unknown_never_gives_a_lower_level_than_the_all_clear_answer(
    answers: dict[str, Any], feature: tuple[str, str]
) -> None:
    """Unknown is never read as the reassuring answer: "no" for most features, "yes" for
    the few asked the other way round (able to bear weight, able to bend the knee)."""
    qid, worse = feature
    all_clear = "no" if worse == "yes" else "yes"
    unknown = {k: v for k, v in answers.items() if k != qid}
    cleared = {**unknown, qid: all_clear}
    assert assess(unknown, rules=RULES).triage.level >= assess(cleared, rules=RULES).triage.level


def test_every_red_flag_feature_has_one_direction_except_the_declared_explanations() -> None:
    """A question is either a 'yes is worse' or a 'no is worse' feature, never both, unless it
    is one of the few declared explanations (an answer that can also explain a danger away)."""
    directions: dict[str, set[str]] = {}
    for qid, value in FEATURES:
        directions.setdefault(qid, set()).add(value)
    assert {q for q, v in directions.items() if len(v) > 1} == EXPLANATIONS


@FAST
@given(answer_sets, st.sampled_from(sorted(EXPLANATIONS)))
def test_an_unknown_explanation_is_never_lower_than_both_of_its_answers(
    answers: dict[str, Any], qid: str
) -> None:
    """Unanswered, an explanation leaves open both what it would explain away and what it
    would point to: the level is never below what both "yes" and "no" would give."""
    unknown = {k: v for k, v in answers.items() if k != qid}
    answered = [assess({**unknown, qid: value}, rules=RULES).triage.level for value in ("yes", "no")]
    assert assess(unknown, rules=RULES).triage.level >= min(answered)


@FAST
@given(answer_sets, st.sampled_from(ONE_WAY))
def test_reporting_a_red_flag_feature_never_lowers_the_level(
    answers: dict[str, Any], feature: tuple[str, str]
) -> None:
    qid, worse = feature
    better = "no" if worse == "yes" else "yes"
    before = {k: v for k, v in answers.items() if k != qid}
    for earlier in (before, {**before, qid: better}):
        after = {**earlier, qid: worse}
        assert assess(after, rules=RULES).triage.level >= assess(earlier, rules=RULES).triage.level


@pytest.mark.parametrize(
    ("answers", "feature"),
    [
        # a possible clot (urgent) stayed urgent only while it led the causes
        ({"pitting_oedema": "yes", "fainting": "yes"}, ("lump_behind_knee", "yes")),
        # bruising to the ankle (a burst cyst, urgent) lost its level to a pulsating lump
        ({"able_to_bear_weight": "yes", "bruising_to_ankle": "yes"}, ("lump_pulsating", "yes")),
    ],
)
def test_the_cases_the_random_search_found_never_lower_the_level(
    answers: dict[str, Any], feature: tuple[str, str]
) -> None:
    qid, worse = feature
    before = assess(answers, rules=RULES).triage.level
    assert assess({**answers, qid: worse}, rules=RULES).triage.level >= before
