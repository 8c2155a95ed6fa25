"""The compiled conditions decide exactly as the conditions read.

:mod:`kneeguide.compiled` turns every condition into bit-mask tests so batch
scoring is fast; :func:`kneeguide.truth.interpret` walks the same conditions
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

from kneeguide.answers import parse_answers
from kneeguide.api import load_rules
from kneeguide.compiled import Compiled, _Bits, _function, _need, _tri, compiled
from kneeguide.conditions import All, AnswerCompare, AnswerIs, Condition, Not, Tri
from kneeguide.conditions import Any as AnyOf
from kneeguide.truth import interpret

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


def compiled_value(condition: Condition, answers: dict[str, Any]) -> Tri:
    bits = _Bits()
    evaluate = _function("evaluate", [f"return {_tri(condition, bits)}"])
    t = f = 0
    for leaf, bit in bits.of.items():
        value = leaf.evaluate(answers, {})
        if value is True:
            t |= bit
        elif value is False:
            f |= bit
    result: Tri = evaluate(t, f)
    return result


@PROPERTIES
@given(TREES, ANSWERS)
def test_a_compiled_condition_has_the_value_the_condition_has(condition: Condition, answers: dict[str, Any]):
    assert compiled_value(condition, answers) == condition.evaluate(answers, {})


@PROPERTIES
@given(TREES, ANSWERS)
def test_a_shortcut_guard_never_skips_a_condition_that_could_hold(
    condition: Condition, answers: dict[str, Any]
):
    bits = _Bits()
    need = _need(condition, bits)
    if need is None or condition.evaluate(answers, {}) is not True:
        return
    t = f = 0
    for leaf, bit in bits.of.items():
        value = leaf.evaluate(answers, {})
        t |= bit if value is True else 0
        f |= bit if value is False else 0
    assert t & need[0] or f & need[1], "the guard would have skipped a true condition"


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
    from kneeguide.columns import SMALL, columns

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
    from kneeguide.columns import columns

    rng = random.Random(seed)
    block = [_random_answer_set(rng) for _ in range(size)]
    assert columns(RULES).truths(block) == [interpret(RULES, a) for a in block]


def test_blocks_of_every_size_agree_with_one_record_at_a_time():
    from kneeguide.columns import columns

    stories = [case.answers for case in RULES.tests]
    for size in (0, 1, 31, 32, 33, 64, len(stories)):
        block = (stories * 3)[:size]
        assert columns(RULES).truths(block) == [compiled(RULES).truth(a) for a in block], size


def test_generated_code_holds_numbers_and_operators_never_rule_text(monkeypatch):
    """No id, value or text from a rule file ever becomes Python source."""
    import re

    from kneeguide import columns as columns_module
    from kneeguide import compiled as compiled_module

    sources: list[str] = []
    real = compiled_module._function

    def capture(name: str, body: list[str], args: str = "T, F"):
        sources.append("\n".join(body))
        return real(name, body, args)

    monkeypatch.setattr(compiled_module, "_function", capture)
    monkeypatch.setattr(columns_module, "_function", capture)
    fresh = RULES._replace(version="capture")
    columns_module.Columns(compiled_module.Compiled(fresh))
    assert len(sources) == 6
    names = set(re.findall(r"[A-Za-z_][A-Za-z_0-9]*", "\n".join(sources)))
    keywords = {"True", "False", "None", "if", "elif", "else", "not", "and", "or", "is", "return"}
    variables = {"T", "F", "ONES", "t", "f", "wt", "wf", "pt", "pf", "known", "out", "append"}
    variables |= {"fired", "unknown", "escalations", "features", "floors", "suitability"}
    numbered = {n for n in names if re.fullmatch(r"[aswx]\d+", n)}  # per-score and per-item locals
    assert names - keywords - variables - numbered == set()
    assert "'" not in "".join(sources) and '"' not in "".join(sources)
