"""Loading a rule set: every problem is reported at once, each with file:line."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from kneeguide.errors import RulesError
from kneeguide.ruleset.load import load_rules


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def problems(directory: Path) -> list[str]:
    with pytest.raises(RulesError) as info:
        load_rules(directory)
    return info.value.lines()


def test_the_builtin_rules_load(rules_copy: Path) -> None:
    rules = load_rules(rules_copy)
    assert rules.digest.startswith("sha256:") and len(rules.digest) == 71


def test_a_bad_level_and_a_duplicate_key_are_both_reported(rules_copy: Path) -> None:
    flags = rules_copy / "red_flags.yaml"
    edit(flags, "    level: soon\n", "    level: sooon\n")
    edit(
        rules_copy / "triage.yaml",
        "no_cause_level: routine\n",
        "no_cause_level: routine\nno_cause_level: routine\n",
    )
    found = problems(rules_copy)
    assert any(
        re.search(r"red_flags\.yaml:\d+:\d+: 'sooon' is not one of: .*did you mean 'soon'", p) for p in found
    ), found
    assert any(re.search(r"triage\.yaml:\d+:1: duplicate key 'no_cause_level'", p) for p in found), found


def test_an_unknown_question_in_a_condition_suggests_the_near_miss(rules_copy: Path) -> None:
    edit(rules_copy / "red_flags.yaml", "{q: foot_cold_or_pale, is: yes}", "{q: foot_cold_or_pail, is: yes}")
    found = problems(rules_copy)
    assert any(
        "unknown question 'foot_cold_or_pail' (did you mean 'foot_cold_or_pale'?)" in p for p in found
    ), found
    assert all(re.match(r".+\.yaml:\d+:\d+: ", p) for p in found), found


def test_a_misspelt_key_is_an_error_not_silently_ignored(rules_copy: Path) -> None:
    edit(rules_copy / "red_flags.yaml", "    explain:", "    explian:")
    found = problems(rules_copy)
    assert any("unknown key 'explian' (did you mean 'explain'?)" in p for p in found), found


def test_dropping_a_contract_red_flag_is_refused(rules_copy: Path) -> None:
    text = (rules_copy / "red_flags.yaml").read_text(encoding="utf-8")
    start = text.index("  - id: locked_knee")
    end = text.index("  - id: cauda_equina")
    (rules_copy / "red_flags.yaml").write_text(text[:start] + text[end:], encoding="utf-8")
    found = problems(rules_copy)
    assert any("contract red flag 'locked_knee' is missing" in p for p in found), found


def test_an_unknown_reference_is_reported(rules_copy: Path) -> None:
    edit(
        rules_copy / "red_flags.yaml",
        "references: [bmj_ces, sbns_bass_2018]",
        "references: [bmj_cess, sbns_bass_2018]",
    )
    found = problems(rules_copy)
    assert any("unknown reference 'bmj_cess' (did you mean 'bmj_ces'?)" in p for p in found), found


def test_a_directory_with_some_files_is_an_overlay_on_the_builtin_rules(rules_copy: Path) -> None:
    (rules_copy / "scores.yaml").unlink()
    rules = load_rules(rules_copy)
    assert {s.id for s in rules.scores} == {"wells_dvt", "ottawa_knee"}  # from the built-in set


def test_an_unreadable_rule_file_is_named(rules_copy: Path) -> None:
    (rules_copy / "scores.yaml").unlink()
    (rules_copy / "scores.yaml").mkdir()
    found = problems(rules_copy)
    assert found == [f"{rules_copy}/scores.yaml: not a regular file"]


def test_a_red_flag_without_examples_is_refused(rules_copy: Path) -> None:
    text = (rules_copy / "red_flags.yaml").read_text(encoding="utf-8")
    start = text.index("    examples:\n      fires:\n        - {cannot_straighten")
    end = text.index("  - id: cauda_equina")
    (rules_copy / "red_flags.yaml").write_text(text[:start] + "\n" + text[end:], encoding="utf-8")
    found = problems(rules_copy)
    assert any("missing required key 'examples'" in p for p in found), found


def test_the_digest_changes_with_any_byte(rules_copy: Path) -> None:
    before = load_rules(rules_copy).digest
    edit(rules_copy / "ruleset.yaml", 'version: "', 'version: "x')
    assert load_rules(rules_copy).digest != before


def test_a_rules_directory_that_does_not_exist(tmp_path: Path) -> None:
    assert problems(tmp_path / "nope") == [f"{tmp_path / 'nope'}: rules directory not found"]


def test_shutil_copy_of_rules_is_what_validate_checks(rules_copy: Path) -> None:
    shutil.copy(rules_copy / "ruleset.yaml", rules_copy / "extra.yaml")  # unknown files are ignored
    assert load_rules(rules_copy).version


# -- a custom rule set may not weaken the built-in red flags --------------------------------------


def test_a_red_flag_that_no_longer_fires_on_its_own_example_is_refused(rules_copy: Path) -> None:
    edit(rules_copy / "red_flags.yaml", "{q: foot_cold_or_pale, is: yes}", "{q: foot_cold_or_pale, is: no}")
    found = problems(rules_copy)
    assert any(
        re.search(
            r"red_flags\.yaml:\d+:\d+: not weaker than built-in: this rule set does not raise red flag "
            r"'\w+' at its built-in level \(fires:\w+\); counter-example: ",
            p,
        )
        for p in found
    ), found


def test_a_translation_never_names_an_emergency_number_the_english_leaves_to_the_region() -> None:
    """ "Call the emergency number now" is 911 in the US: a Japanese text that says 119
    where the English says "the emergency number" sends a person abroad to a dead line.
    (The disclaimer's example, "日本では119番", names its country.)"""
    import re

    rules = load_rules()
    numbers = {r.emergency for r in rules.regions.values()}
    from kneeguide.authoring.strings import string_rows

    wrong = []
    for english, japanese in ((row.english, row.translation) for row in string_rows(None, "ja")):
        for number in numbers:
            said = re.sub(rf"日本では{number}番?", "", str(japanese))
            if re.search(rf"(?<!\d){number}(?!\d)", said) and number not in english:
                wrong.append((number, english[:60]))
    assert wrong == []
