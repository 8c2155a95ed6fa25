"""Both evaluators decide exactly as the conditions read.

A rule set is evaluated two ways: walked, one answer set at a time
(:mod:`kneeguide.evaluate.walk`), and compiled to nodes over numbered leaves and
evaluated on bit columns, a block of answer sets at a time
(:mod:`kneeguide.evaluate.columns`). Every decision the engine makes rests on
one or the other, so both must agree with the oracle (:mod:`oracle`), which
walks each condition by its definition: on random condition trees (the nodes'
Kleene logic), and on the built-in rule set for every rule test, every
vignette, random answer sets and blocks of every size.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from oracle import interpret

from kneeguide.api import load_rules
from kneeguide.evaluate import columns as block_module
from kneeguide.evaluate.columns import SMALL, Columns, columns
from kneeguide.evaluate.compiled import Compiled, compiled
from kneeguide.evaluate.conditions import All, AnswerCompare, AnswerIs, Condition, Not, Tri
from kneeguide.evaluate.conditions import Any as AnyOf
from kneeguide.evaluate.memo import MEMO_LIMIT
from kneeguide.evaluate.nodes import Numbering, failing, holding, node
from kneeguide.evaluate.walk import walk
from kneeguide.ruleset.answers import parse_answers

RULES = load_rules()
VIGNETTES = sorted((Path(__file__).parent / "vignettes").glob("*.yaml"))
PROPERTIES = settings(max_examples=300, deadline=None, database=None)

# --- nodes on arbitrary condition trees -----------------------------------------------------------

LEAVES = st.one_of(
    st.builds(AnswerIs, st.sampled_from("abc"), st.sampled_from([frozenset({"yes"}), frozenset({"no"})])),
    st.builds(AnswerCompare, st.just("n"), st.sampled_from(["ge", "lt"]), st.sampled_from([1.0, 2.0])),
)
TREES = st.recursive(
    LEAVES,
    lambda inner: st.one_of(
        st.builds(All, st.lists(inner, max_size=4).map(tuple)),
        st.builds(AnyOf, st.lists(inner, max_size=4).map(tuple)),
        st.builds(Not, inner),
    ),
    max_leaves=12,
)
ANSWER = st.fixed_dictionaries(
    {},
    optional={
        "a": st.sampled_from(["yes", "no", "unsure"]),
        "b": st.sampled_from(["yes", "no", "unsure"]),
        "c": st.sampled_from(["yes", "no", "unsure"]),
        "n": st.sampled_from([0, 1, 2, 3, "unsure"]),
    },
)


def column_values(condition: Condition, block: list[dict[str, Any]]) -> list[Tri]:
    """The condition as a node, evaluated on the columns of a block of answer sets."""
    numbering = Numbering()
    tree = node(condition, numbering)
    T = [0] * len(numbering.of)
    F = [0] * len(numbering.of)
    for leaf, at in numbering.of.items():
        for j, answers in enumerate(block):
            said = leaf.evaluate(answers, {})
            T[at] |= (said is True) << j
            F[at] |= (said is False) << j
    ones = (1 << len(block)) - 1
    true, false = holding(tree, T, F, ones), failing(tree, T, F, ones)
    assert not true & false, "never both definitely true and definitely false"
    return [True if true >> j & 1 else False if false >> j & 1 else None for j in range(len(block))]


@PROPERTIES
@given(TREES, st.lists(ANSWER, min_size=1, max_size=5))
def test_a_compiled_condition_has_the_value_the_condition_has(
    condition: Condition, block: list[dict[str, Any]]
):
    assert column_values(condition, block) == [condition.evaluate(a, {}) for a in block]


def test_an_unknown_answer_leaves_every_leaf_unknown():
    condition = AnyOf((AnswerIs("a", frozenset({"yes"})), Not(AnswerCompare("n", "ge", 1.0))))
    block: list[dict[str, Any]] = [{"a": "unsure", "n": "unsure"}, {}, {"a": "no", "n": 3}, {"n": 0}]
    assert column_values(condition, block) == [None, None, False, True]


def test_empty_all_is_true_and_empty_any_is_false():
    assert column_values(All(()), [{}]) == [True]
    assert column_values(AnyOf(()), [{}]) == [False]
    assert column_values(Not(AnyOf(())), [{}]) == [True]


# --- the built-in rule set, one answer set at a time ------------------------------------------------


def vignette_answers() -> list[dict[str, Any]]:
    return [
        parse_answers(yaml.safe_load(path.read_text(encoding="utf-8"))["answers"], RULES.questions)
        for path in VIGNETTES
    ]


def test_every_rule_test_case_gets_the_same_truth():
    assert RULES.tests, "the rule files carry test cases"
    for case in RULES.tests:
        assert walk(RULES, case.answers) == interpret(RULES, case.answers), case.name


def test_every_vignette_gets_the_same_truth():
    assert len(VIGNETTES) >= 100
    for path, answers in zip(VIGNETTES, vignette_answers(), strict=True):
        assert walk(RULES, answers) == interpret(RULES, answers), path.name


def _value(question: Any) -> st.SearchStrategy[Any]:
    if question.type == "yn":
        return st.sampled_from(["yes", "no", "unsure"])
    if question.type == "choice":
        return st.sampled_from([c.id for c in question.choices] + ["unsure"])
    low = int(question.minimum or 0)
    high = int(question.maximum if question.maximum is not None else low + 120)
    return st.one_of(st.integers(low, high), st.just("unsure"))


RULE_ANSWERS = st.fixed_dictionaries({}, optional={q.id: _value(q) for q in RULES.questions.values()})


@settings(max_examples=500, deadline=None, database=None)
@given(RULE_ANSWERS)
def test_random_answer_sets_get_the_same_truth(answers: dict[str, Any]):
    expected = interpret(RULES, answers)
    assert walk(RULES, answers) == expected
    assert columns(RULES).truths([answers] * SMALL) == [expected] * SMALL


def test_walking_leaves_the_given_answers_as_they_were():
    answers = {"lump_behind_knee": "no"}
    truth = walk(RULES, answers)
    assert answers == {"lump_behind_knee": "no"}
    assert truth.answers != answers, "a skipped question's implied no is in the truth, not the input"


# --- many answer sets at once ------------------------------------------------------------------------


def test_a_block_of_vignettes_gets_each_ones_truth():
    block = vignette_answers()
    assert len(block) >= SMALL, "large enough to be evaluated on columns"
    assert columns(RULES).truths(block) == [interpret(RULES, a) for a in block]


def _random_answer_set(rng: random.Random) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for question in rng.sample(list(RULES.questions.values()), rng.randint(0, len(RULES.questions))):
        if rng.random() < 0.1:
            answers[question.id] = "unsure"
        elif question.type == "yn":
            answers[question.id] = rng.choice(["yes", "no", "no"])
        elif question.type == "choice":
            answers[question.id] = rng.choice(question.choices).id
        else:
            low = int(question.minimum or 0)
            answers[question.id] = rng.randint(low, int(question.maximum or low + 120))
    return answers


@settings(max_examples=40, deadline=None, database=None)
@given(st.integers(0, 2**32), st.integers(SMALL, 300))
def test_random_blocks_get_each_records_truth(seed: int, size: int):
    rng = random.Random(seed)
    block = [_random_answer_set(rng) for _ in range(size)]
    assert columns(RULES).truths(block) == [interpret(RULES, a) for a in block]


def test_blocks_of_every_size_agree_with_one_record_at_a_time(monkeypatch: pytest.MonkeyPatch):
    stories = [case.answers for case in RULES.tests]
    sizes = (0, 1, 2, SMALL - 1, SMALL, SMALL + 1, 31, 32, 33, 64, len(stories))
    for small in (SMALL, 1):  # as configured, and on columns however small the block
        monkeypatch.setattr(block_module, "SMALL", small)
        for size in sizes:
            block = (stories * 3)[:size]
            assert columns(RULES).truths(block) == [interpret(RULES, a) for a in block], (small, size)


def test_a_rule_set_is_compiled_once_and_each_rule_set_gets_its_own():
    assert compiled(RULES) is compiled(RULES)
    assert columns(RULES) is columns(RULES)
    other = RULES._replace(version="another")
    assert compiled(other) is not compiled(RULES)
    assert isinstance(compiled(other), Compiled)


def test_no_source_file_runs_text_as_code():
    """Conditions stay data: nothing in kneeguide calls eval, exec or compile."""
    import ast

    package = Path(__file__).parent.parent / "src" / "kneeguide"
    calls = []
    for path in sorted(package.rglob("*.py")):
        for call in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(call, ast.Call)
                and isinstance(call.func, ast.Name)
                and call.func.id in {"eval", "exec", "compile", "__import__"}
            ):
                calls.append(f"{path.name}:{call.lineno}")
    assert len(list(package.rglob("*.py"))) > 30
    assert calls == []


def test_an_answer_is_folded_once_and_the_memo_stops_growing_at_its_limit():
    block_of = Columns(Compiled(RULES))
    for start in range(0, MEMO_LIMIT + 100, 50):
        block = [{"duration_days": days, "age": 40} for days in range(start, start + 50)]
        assert block_of.truths(block) == [interpret(RULES, a) for a in block]
    assert ("duration_days", 3) in block_of._pairs and ("age", 40) in block_of._pairs
    assert len(block_of._pairs) == MEMO_LIMIT  # still correct beyond it, only not remembered
