"""Rule authoring: rule tests, coverage, custom rule sets, schema and explain."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from kneeguide.errors import RulesError
from kneeguide.ids import RULE_FILES
from kneeguide.ruleset.load import load_rules
from kneeguide.ruleset.schema import FILES, json_schema
from kneeguide.ruleset.yamlio import decode, parse, to_plain

ROOT = Path(__file__).resolve().parents[1]


def kneeguide(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kneeguide", *args], capture_output=True, text=True, timeout=120
    )


def overlay(tmp_path: Path, **files: str) -> Path:
    """A custom rules directory holding only the given files."""
    target = tmp_path / "custom"
    target.mkdir()
    for name, text in files.items():
        (target / f"{name}.yaml").write_text(text, encoding="utf-8")
    return target


EN_ONLY = "languages: [en]\n"  # an English-only overlay needs no Japanese translations
RULESET = 'version: "clinic-1"\ntitle: "Clinic rules"\nlanguages: [en]\ndefault_region: JP\n'

# -- rule tests -----------------------------------------------------------------------------


def test_rules_test_passes_on_the_builtin_rules() -> None:
    done = kneeguide("rules", "test")
    assert done.returncode == 0, done.stdout
    assert done.stdout.strip().splitlines()[-1].endswith("0 failed, 0 todo")


def test_rules_test_json_counts() -> None:
    data = json.loads(kneeguide("rules", "test", "--format", "json").stdout)
    assert data["evaluated"] == data["passed"] > 50
    assert data["failed"] == 0


def test_a_failing_case_exits_1_and_a_todo_case_is_reported_not_failed(tmp_path: Path) -> None:
    custom = overlay(
        tmp_path,
        triage="""
tests:
  - name: "a deliberately wrong expectation"
    answers: {calf_swelling: "yes"}
    quiet: [dvt]
  - name: "a known disagreement"
    answers: {calf_swelling: "yes"}
    level: [self_care, routine]
    todo: "clinic reviewing"
""",
    )
    done = kneeguide("rules", "test", str(custom))
    assert done.returncode == 1
    assert "FAILED: a deliberately wrong expectation: 'dvt' was raised or not excluded" in done.stdout
    assert "TODO: a known disagreement: level urgent is outside [self_care, routine]" in done.stdout
    assert "1 failed, 1 todo" in done.stdout
    assert f"{custom}/triage.yaml:" in done.stdout


# -- coverage -------------------------------------------------------------------------------


def test_every_red_flag_leaf_of_the_builtin_rules_is_tested() -> None:
    done = kneeguide("rules", "coverage")
    assert done.returncode == 0, done.stdout
    assert "0 red-flag leaves untested" in done.stdout


def test_a_new_red_flag_is_covered_by_its_own_examples(tmp_path: Path) -> None:
    custom = overlay(
        tmp_path,
        ruleset=EN_ONLY,
        red_flags="""
red_flags:
  - id: clinic_night_sweats
    title: "Night sweats"
    level: soon
    when: {q: fever, is: yes}
    action: "See a doctor within a few days."
    explain: "Night sweats with leg pain can be a sign of infection."
    references: [westjem_2019]
    examples:
      fires: [{fever: "yes"}]
      quiet: [{fever: "no"}]
""",
    )
    done = kneeguide("rules", "coverage", str(custom))
    assert done.returncode == 0, done.stdout  # its one leaf is decided by its own examples
    data = json.loads(kneeguide("rules", "coverage", str(custom), "--format", "json").stdout)
    assert any(item["rule"] == "clinic_night_sweats" and item["covered"] for item in data["items"])


# -- custom rule sets -----------------------------------------------------------------------


def test_an_overlay_adds_a_red_flag_to_the_builtin_set(tmp_path: Path) -> None:
    custom = overlay(
        tmp_path,
        ruleset=EN_ONLY,
        red_flags="""
red_flags:
  - id: clinic_recent_acupuncture_bruise
    title: "Large bruise after needling"
    level: soon
    when: {q: bruising_to_ankle, is: yes}
    action: "See a doctor within a few days."
    explain: "A spreading bruise after needling can be a bleed."
    references: [witt_2009]
    examples:
      fires: [{bruising_to_ankle: "yes"}]
      quiet: [{bruising_to_ankle: "no"}]
""",
    )
    rules = load_rules(custom)
    ids = {f.id for f in rules.red_flags}
    assert "clinic_recent_acupuncture_bruise" in ids and "dvt" in ids


def test_dropping_dvt_without_disable_is_rejected(rules_copy: Path) -> None:
    copy = rules_copy
    text = (copy / "red_flags.yaml").read_text()
    start, end = text.index("  - id: dvt\n"), text.index("  - id: pulmonary_embolism\n")
    # the pulmonary embolism flag reads the DVT flag's list of risk factors: keep it whole
    # (narrowing it to one factor is a weakening the proof finds, with a counter-example)
    risks = re.search(r"any: &vte_risk\n((?:\s+- \{q: \w+, is: yes\}\n)+)", text)
    assert risks is not None
    listed = ", ".join(re.findall(r"\{q: \w+, is: yes\}", risks.group(1)))
    rest = text[:start] + text[end:].replace("any: *vte_risk", f"any: [{listed}]")
    (copy / "red_flags.yaml").write_text(rest)
    with pytest.raises(RulesError) as info:
        load_rules(copy)
    assert any("red flag 'dvt' is missing" in line and "disable:" in line for line in info.value.lines())
    (copy / "ruleset.yaml").write_text(
        (copy / "ruleset.yaml").read_text() + 'disable:\n  - id: dvt\n    reason: "test of the switch"\n'
    )
    assert "dvt" not in {f.id for f in load_rules(copy).red_flags}


def test_weakening_dvt_in_an_overlay_is_rejected(tmp_path: Path) -> None:
    custom = overlay(
        tmp_path,
        ruleset=EN_ONLY,
        red_flags="""
red_flags:
  - id: dvt
    title: "Clot (narrowed)"
    level: urgent
    when: {q: whole_leg_swollen, is: yes}
    action: "See a doctor today."
    explain: "Narrowed on purpose."
    references: [nice_ng158]
    examples:
      fires: [{whole_leg_swollen: "yes"}]
      quiet: [{whole_leg_swollen: "no"}]
""",
    )
    with pytest.raises(RulesError) as info:
        load_rules(custom)
    assert any(
        "does not raise red flag 'dvt' at its built-in level (fires:dvt); counter-example:" in line
        for line in info.value.lines()
    )


def test_lowering_a_red_flag_level_is_rejected(rules_copy: Path) -> None:
    copy = rules_copy
    text = (copy / "red_flags.yaml").read_text()
    start = text.index("  - id: acute_limb_ischaemia\n")
    text = text[:start] + text[start:].replace("    level: emergency\n", "    level: urgent\n", 1)
    (copy / "red_flags.yaml").write_text(text)
    with pytest.raises(RulesError) as info:
        load_rules(copy)
    assert any(
        "'acute_limb_ischaemia' is weaker than built-in: level urgent < emergency; keep level emergency or "
        "higher (a custom set may raise a level, never lower one)"
        in line
        and "disable:" not in line
        for line in info.value.lines()
    )


def test_a_stricter_red_flag_is_accepted(rules_copy: Path) -> None:
    copy = rules_copy
    text = (copy / "red_flags.yaml").read_text()
    text = text.replace(
        "    when: {q: foot_cold_or_pale, is: yes}\n",
        "    when:\n      any:\n        - {q: foot_cold_or_pale, is: yes}\n"
        "        - {q: pain_out_of_proportion, is: yes}\n",
        1,
    )
    (copy / "red_flags.yaml").write_text(text)
    rules = load_rules(copy)
    assert "acute_limb_ischaemia" in {f.id for f in rules.red_flags}


def test_disabling_a_red_flag_needs_a_reason_and_warns_in_every_output(tmp_path: Path) -> None:
    custom = overlay(
        tmp_path,
        ruleset=RULESET + "disable:\n  - id: cellulitis\n"
        '    reason: "assessed by the clinic\'s own skin protocol"\n',
    )
    rules = load_rules(custom)
    assert "cellulitis" not in {f.id for f in rules.red_flags}
    for fmt in ("json", "text", "markdown"):
        done = kneeguide(
            "assess", "--rules", str(custom), "-a", "redness=yes", "-a", "warmth=yes", "--format", fmt
        )
        assert done.returncode == 0, done.stderr
        said = "switches off the warning sign 'Possible skin infection of the leg (cellulitis) [cellulitis]'"
        assert "".join(said.split()) in "".join(done.stdout.replace("│", "").split()), fmt  # as wrapped
    (tmp_path / "b").mkdir()
    missing_reason = overlay(tmp_path / "b", ruleset=RULESET + "disable:\n  - id: cellulitis\n")
    with pytest.raises(RulesError, match="missing required key 'reason'"):
        load_rules(missing_reason)


def test_rules_diff_shows_what_a_custom_set_changes(tmp_path: Path) -> None:
    custom = overlay(
        tmp_path,
        ruleset=RULESET + 'disable:\n  - id: cellulitis\n    reason: "protocol"\n',
        messages='messages:\n  heading_warnings: "Important"\n',
    )
    done = kneeguide("rules", "diff", str(custom))
    assert done.returncode == 0, done.stderr
    assert "! red flag cellulitis: DISABLED (protocol)" in done.stdout
    assert "~ message heading_warnings: changed" in done.stdout


# -- editor support -------------------------------------------------------------------------


@pytest.mark.parametrize("name", RULE_FILES)
def test_the_shipped_json_schema_is_the_loaders_schema(name: str) -> None:
    shipped = json.loads((ROOT / "rules" / "schema" / f"{name[:-5]}.schema.json").read_text())
    assert shipped == json_schema(name), "regenerate with: kneeguide rules schema " + name


@pytest.mark.parametrize("name", RULE_FILES)
def test_each_rule_file_names_its_schema_and_validates_against_it(name: str) -> None:
    text = (ROOT / "rules" / name).read_text(encoding="utf-8")
    assert text.splitlines()[0] == f"# yaml-language-server: $schema=schema/{name[:-5]}.schema.json"
    doc = to_plain(parse(decode(text.encode(), name), name))
    jsonschema.validate(doc, json_schema(name))


def test_the_json_schema_rejects_a_misspelt_key() -> None:
    doc = {"red_flags": [{"id": "x", "titel": "typo"}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, json_schema("red_flags.yaml"))


def test_rules_schema_command_prints_one_files_schema() -> None:
    done = kneeguide("rules", "schema", "red_flags.yaml")
    assert json.loads(done.stdout) == json_schema("red_flags.yaml")
    assert kneeguide("rules", "schema", "red_flag.yaml").returncode == 2


def test_rules_explain_prints_wording_condition_references_and_examples() -> None:
    done = kneeguide("rules", "explain", "dvt")
    assert done.returncode == 0
    for part in (
        "red flag dvt",
        "level: urgent",
        "when:",
        "calf_swelling",
        "references:",
        "nice_ng158: NICE NG158",
        "examples that must fire:",
    ):
        assert part in done.stdout, part
    assert "did you mean 'dvt'" in kneeguide("rules", "explain", "dvtt").stderr


def test_rules_explain_shows_the_population_a_score_was_validated_in() -> None:
    done = kneeguide("rules", "explain", "ottawa_knee")
    assert done.returncode == 0, done.stderr
    bound = "validated for (age_over_5): validated in adults and children over 5: {q: age, ge: 6"
    assert bound in done.stdout
    assert "validated for (within_7_days)" in done.stdout


def test_every_file_record_accepts_tests() -> None:
    assert all("tests" in {f.name for f in record.fields} for record in FILES.values())


# -- translation -----------------------------------------------------------------------------


#: Marks of a text still under review: never for a reader (clinical reference notes say "GK"
#: for general knowledge, "verify" for a figure to check, and point to its own sections).
DRAFT_MARKS = re.compile(
    r"verify|要確認|\bTODO\b|\bFIXME\b|\bXXX\b|§|\bGK\b|clinical reference", re.IGNORECASE
)


def test_no_draft_or_review_text_reaches_a_reader() -> None:
    """Every user-facing text of the built-in rules, in both languages, with every citation
    and evidence source a note prints: review notes belong in YAML comments."""
    from kneeguide.authoring.strings import string_rows

    rules = load_rules()
    texts = [text for row in string_rows(None, "ja") for text in (row.english, row.translation)]
    texts += [reference.citation for reference in rules.references.values()]
    texts += [evidence.source for evidence in rules.acupuncture.evidence]
    drafts = [text[:90] for text in texts if DRAFT_MARKS.search(str(text))]
    assert drafts == []
