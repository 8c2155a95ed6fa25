"""Rule files are read more strictly than PyYAML would."""

from __future__ import annotations

import time

import pytest

from kneeguide.errors import Problem, RulesError
from kneeguide.ruleset.yamlio import parse


def test_yes_and_no_stay_words_not_booleans() -> None:
    assert parse("a: yes\nb: no\nc: NO\nd: true\n", "f.yaml") == {
        "a": "yes",
        "b": "no",
        "c": "NO",
        "d": True,
    }


def test_duplicate_keys_are_rejected_with_both_lines() -> None:
    with pytest.raises(RulesError) as info:
        parse("when: 1\nother: 2\nwhen: 3\n", "rules/x.yaml")
    assert info.value.lines() == ["rules/x.yaml:3:1: duplicate key 'when' (first defined at line 1)"]


def test_python_tags_are_refused() -> None:
    with pytest.raises(RulesError, match=r"x.yaml:1:4: tag '.*python/object/apply:os.system' is not allowed"):
        parse("a: !!python/object/apply:os.system ['true']\n", "x.yaml")


def test_a_billion_laughs_file_fails_fast() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for level in "bcdefghij":
        prev = chr(ord(level) - 1)
        refs = ", ".join([f"*{prev}"] * 10)
        bomb += f"{level}: &{level} [{refs}]\n"
    start = time.monotonic()
    with pytest.raises(RulesError, match="too large once aliases are expanded"):
        parse(bomb, "bomb.yaml")
    assert time.monotonic() - start < 5


def test_syntax_errors_point_to_line_and_column() -> None:
    with pytest.raises(RulesError) as info:
        parse("a: [1, 2\nb: 3\n", "bad.yaml")
    assert info.value.lines()[0].startswith("bad.yaml:")
    assert "invalid YAML" in info.value.lines()[0]


def test_deep_nesting_is_refused() -> None:
    with pytest.raises(RulesError, match="nesting"):
        parse("a: " + "[" * 200 + "]" * 200 + "\n", "deep.yaml")


def test_every_duplicate_and_refused_value_of_a_file_is_reported_at_once() -> None:
    with pytest.raises(RulesError) as info:
        parse("a: 1\na: 2\nb: !!binary aGk=\nc: !!int 1.5\nb: 3\n", "x.yaml")
    assert info.value.lines() == [
        "x.yaml:2:1: duplicate key 'a' (first defined at line 1)",
        "x.yaml:3:4: tag 'tag:yaml.org,2002:binary' is not allowed",
        "x.yaml:4:4: '1.5' is not an integer",
        "x.yaml:5:1: duplicate key 'b' (first defined at line 3)",
    ]


def test_a_checker_can_take_the_problems_and_the_document_to_report_everything() -> None:
    """The answer checker or a schema goes on with the first of two duplicate values,
    so one run names the duplicate and every other problem of the file."""
    found: list[Problem] = []
    doc = parse("age: 30\nage: 31\nsex: x\n", "a.yaml", problems=found)
    assert doc == {"age": 30, "sex": "x"}
    assert [str(p) for p in found] == ["a.yaml:2:1: duplicate key 'age' (first defined at line 1)"]
    found.clear()
    assert parse('{"a": 1, "a": 2}', "a.json", problems=found) == {"a": 1}
    assert len(found) == 1
