"""Rule files are read more strictly than PyYAML would."""

from __future__ import annotations

import time

import pytest

from kneeguide.errors import RulesError
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
