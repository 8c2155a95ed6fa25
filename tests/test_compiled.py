"""The compiled conditions decide exactly as the conditions read.

:mod:`kneeguide.evaluate.bits` turns every condition into bit-mask tests so batch
scoring is fast; :func:`kneeguide.evaluate.truth.interpret` walks the same conditions
as written. Every decision the engine makes rests on the compiled form, so the
two must agree on everything: on random condition trees (the compiler's
Kleene logic and its shortcut guards), and on the built-in rule set for every
rule test, every vignette and random answer sets.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from kneeguide.api import load_rules
from kneeguide.evaluate.bits import Compiled, Node, _Bits, compiled, need, node, value
from kneeguide.evaluate.columns import failing, holding
from kneeguide.evaluate.conditions import All, AnswerCompare, AnswerIs, Condition, Not, Tri
from kneeguide.evaluate.conditions import Any as AnyOf
from kneeguide.evaluate.truth import interpret
from kneeguide.ruleset.answers import parse_answers

RULES = load_rules()
VIGNETTES = sorted((Path(__file__).parent / "vignettes").glob("*.yaml"))
PROPERTIES = settings(max_examples=300, deadline=None, database=None)

# --- the compiler on arbitrary condition trees ----------------------------------------------------

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
ANSWERS = st.fixed_dictionaries(
    {},
    optional={
        "a": st.sampled_from(["yes", "no", "unsure"]),
        "b": st.sampled_from(["yes", "no", "unsure"]),
        "c": st.sampled_from(["yes", "no", "unsure"]),
        "n": st.sampled_from([0, 1, 2, 3, "unsure"]),
    },
)


def masks(condition: Condition, answers: dict[str, Any]) -> tuple[Node, int, int, int]:
    """The condition's node, its leaves definitely true and definitely false, and how many leaves."""
    bits = _Bits()
    tree = node(condition, bits)
    t = f = 0
    for leaf, bit in bits.of.items():
        said = leaf.evaluate(answers, {})
        t |= bit if said is True else 0
        f |= bit if said is False else 0
    return tree, t, f, len(bits.of)


def compiled_value(condition: Condition, answers: dict[str, Any]) -> Tri:
    tree, t, f, _ = masks(condition, answers)
    return value(tree, t, f)


def column_value(condition: Condition, answers: dict[str, Any]) -> Tri:
    """The same condition on columns, for a block of this one record."""
    tree, t, f, width = masks(condition, answers)
    T = [t >> i & 1 for i in range(width)]
    F = [f >> i & 1 for i in range(width)]
    true, false = holding(tree, T, F, 1), failing(tree, T, F, 1)
    assert not (true and false)
    return True if true else False if false else None


@PROPERTIES
@given(TREES, ANSWERS)
def test_a_compiled_condition_has_the_value_the_condition_has(condition: Condition, answers: dict[str, Any]):
    assert compiled_value(condition, answers) == condition.evaluate(answers, {})
    assert column_value(condition, answers) == condition.evaluate(answers, {})


@PROPERTIES
@given(TREES, ANSWERS)
def test_a_shortcut_guard_never_skips_a_condition_that_could_hold(
    condition: Condition, answers: dict[str, Any]
):
    tree, t, f, _ = masks(condition, answers)
    cheap = need(tree)
    if cheap is None or condition.evaluate(answers, {}) is not True:
        return
    assert t & cheap[0] or f & cheap[1], "the guard would have skipped a true condition"


def test_an_unknown_answer_leaves_every_leaf_unknown():
    condition = AnyOf((AnswerIs("a", frozenset({"yes"})), Not(AnswerCompare("n", "ge", 1.0))))
    assert compiled_value(condition, {"a": "unsure", "n": "unsure"}) is None
    assert compiled_value(condition, {}) is None
    assert compiled_value(condition, {"a": "no", "n": 3}) is False
    assert compiled_value(condition, {"n": 0}) is True


def test_empty_all_is_true_and_empty_any_is_false():
    assert compiled_value(All(()), {}) is True
    assert compiled_value(AnyOf(()), {}) is False
    assert compiled_value(Not(AnyOf(())), {}) is True


# --- the built-in rule set ----------------------------------------------------------------------------


def test_every_rule_test_case_gets_the_same_truth():
    engine = compiled(RULES)
    assert RULES.tests, "the rule files carry test cases"
    for case in RULES.tests:
        assert engine.truth(case.answers) == interpret(RULES, case.answers), case.name


def test_every_vignette_gets_the_same_truth():
    engine = compiled(RULES)
    assert len(VIGNETTES) >= 100
    for path in VIGNETTES:
        answers = parse_answers(yaml.safe_load(path.read_text(encoding="utf-8"))["answers"], RULES.questions)
        assert engine.truth(answers) == interpret(RULES, answers), path.name


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
    assert compiled(RULES).truth(answers) == interpret(RULES, answers)


def test_a_rule_set_is_compiled_once_and_each_rule_set_gets_its_own():
    assert compiled(RULES) is compiled(RULES)
    other = RULES._replace(version="another")
    assert compiled(other) is not compiled(RULES)
    assert isinstance(compiled(other), Compiled)


# --- many answer sets at once ------------------------------------------------------------------------


def test_a_block_of_vignettes_gets_each_ones_truth():
    from kneeguide.evaluate.columns import SMALL, columns

    block = [
        parse_answers(yaml.safe_load(path.read_text(encoding="utf-8"))["answers"], RULES.questions)
        for path in VIGNETTES
    ]
    assert len(block) >= SMALL, "large enough to be evaluated on columns"
    assert columns(RULES).truths(block) == [compiled(RULES).truth(a) for a in block]


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
@given(st.integers(0, 2**32), st.integers(32, 300))
def test_random_blocks_get_each_records_truth(seed: int, size: int):
    from kneeguide.evaluate.columns import columns

    rng = random.Random(seed)
    block = [_random_answer_set(rng) for _ in range(size)]
    assert columns(RULES).truths(block) == [interpret(RULES, a) for a in block]


def test_blocks_of_every_size_agree_with_one_record_at_a_time():
    from kneeguide.evaluate.columns import columns

    stories = [case.answers for case in RULES.tests]
    for size in (0, 1, 31, 32, 33, 64, len(stories)):
        block = (stories * 3)[:size]
        assert columns(RULES).truths(block) == [compiled(RULES).truth(a) for a in block], size


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


def test_a_number_is_folded_once_and_the_memo_stops_growing_at_its_limit():
    from kneeguide.evaluate.bits import MEMO_LIMIT

    engine = Compiled(RULES)
    for days in range(MEMO_LIMIT + 100):
        answers = {"duration_days": days, "age": 40}
        assert engine.truth(answers) == interpret(RULES, answers)
    assert ("duration_days", 3) in engine._numbers and ("age", 40) in engine._numbers
    assert len(engine._numbers) == MEMO_LIMIT  # still correct beyond it, only not remembered
