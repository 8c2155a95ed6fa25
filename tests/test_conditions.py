"""The condition form is evaluated in three-valued logic: unknown stays unknown."""

from __future__ import annotations

from kneeguide.evaluate.conditions import All, AnswerCompare, AnswerIs, Any, Not, explain

YES = AnswerIs("a", frozenset({"yes"}))
B_YES = AnswerIs("b", frozenset({"yes"}))


def test_an_unanswered_question_is_unknown_not_no() -> None:
    assert YES.evaluate({}, {}) is None


def test_unsure_is_unknown() -> None:
    assert YES.evaluate({"a": "unsure"}, {}) is None


def test_yes_and_no_are_definite() -> None:
    assert YES.evaluate({"a": "yes"}, {}) is True
    assert YES.evaluate({"a": "no"}, {}) is False


def test_any_is_true_as_soon_as_one_child_is_true() -> None:
    assert Any((YES, B_YES)).evaluate({"b": "yes"}, {}) is True


def test_any_is_unknown_while_a_child_is_unknown_and_none_true() -> None:
    assert Any((YES, B_YES)).evaluate({"b": "no"}, {}) is None


def test_any_is_false_only_when_every_child_is_false() -> None:
    assert Any((YES, B_YES)).evaluate({"a": "no", "b": "no"}, {}) is False


def test_all_is_false_as_soon_as_one_child_is_false() -> None:
    assert All((YES, B_YES)).evaluate({"a": "no"}, {}) is False


def test_all_is_unknown_while_a_child_is_unknown_and_none_false() -> None:
    assert All((YES, B_YES)).evaluate({"a": "yes"}, {}) is None


def test_not_keeps_unknown_unknown() -> None:
    assert Not(YES).evaluate({}, {}) is None
    assert Not(YES).evaluate({"a": "no"}, {}) is True


def test_numeric_comparison_of_a_missing_number_is_unknown() -> None:
    old = AnswerCompare("age", "ge", 55)
    assert old.evaluate({}, {}) is None
    assert old.evaluate({"age": 55}, {}) is True
    assert old.evaluate({"age": 54}, {}) is False


def test_explain_names_the_answers_that_made_it_true() -> None:
    cond = Any((YES, All((B_YES, AnswerIs("c", frozenset({"yes"}))))))
    value, because, missing = explain(cond, {"a": "no", "b": "yes", "c": "yes"}, {}, {})
    assert value is True
    assert because == ["b", "c"]
    assert missing == []


def test_explain_names_what_is_still_missing() -> None:
    cond = Any((YES, B_YES))
    value, _, missing = explain(cond, {"a": "no"}, {}, {})
    assert value is None
    assert missing == ["b"]
