"""The condition form is evaluated in three-valued logic: unknown stays unknown."""

from __future__ import annotations

from kneeguide.evaluate.conditions import All, AnswerCompare, AnswerIs, Any, Not, grounds

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


def test_grounds_name_the_answers_that_made_it_true() -> None:
    cond = Any((YES, All((B_YES, AnswerIs("c", frozenset({"yes"}))))))
    found = grounds(cond, {"a": "no", "b": "yes", "c": "yes"}, {}, {})
    assert found.value is True
    assert found.because == ["b", "c"]
    assert found.missing == []


def test_grounds_do_not_give_an_explanation_ruled_out_as_a_reason() -> None:
    """Calf pain with no pain from the back: the person's "no" under a `not` is a condition
    of the rule, not a reason they gave, so it is not named; while unknown it is missing."""
    cond = All((YES, Not(B_YES)))
    assert grounds(cond, {"a": "yes", "b": "no"}, {}, {}).because == ["a"]
    assert grounds(cond, {"a": "yes"}, {}, {}).missing == ["b"]


def test_grounds_name_what_is_still_missing() -> None:
    cond = Any((YES, B_YES))
    found = grounds(cond, {"a": "no"}, {}, {})
    assert found.value is None
    assert found.because == []
    assert found.missing == ["b"]


def test_a_false_condition_rests_on_nothing_to_show() -> None:
    found = grounds(All((YES, B_YES)), {"a": "no", "b": "yes"}, {}, {})
    assert found == (False, [], [])
