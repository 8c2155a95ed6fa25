"""The README's promises about getting started hold.

The Quick start is the first thing a newcomer runs: one code block of exactly
two lines, one that installs and runs kneeguide, one that runs the tests, both
working where pip refuses to install outside a virtual environment (Debian,
Ubuntu). CI runs the second line verbatim, so a README edit cannot drift away
from what is tested.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def quick_start_lines() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```[a-z]*\n(.*?)```", section, flags=re.DOTALL)
    assert len(blocks) == 1, "the Quick start holds one code block"
    return blocks[0].strip("\n").split("\n")


def test_the_quick_start_is_two_lines_install_and_run_then_test() -> None:
    run, test = quick_start_lines()
    assert run.endswith("kneeguide"), "the first line ends by starting kneeguide"
    assert "pytest" in test and "'.[test]'" in test


def test_the_quick_start_never_installs_outside_a_virtual_environment() -> None:
    for line in quick_start_lines():
        assert line.startswith("python3 -m venv ")
        assert "pip install" in line
        assert re.search(r"(^|&& )pip install", line) is None, "a bare pip install hits PEP 668"


def test_ci_runs_the_quick_start_test_line_verbatim() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert quick_start_lines()[1] in ci


def test_the_docs_name_only_tests_and_modules_that_exist() -> None:
    """The hazard log and the docs cite tests as evidence: a renamed test must be renamed there."""
    stale = []
    for doc in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        text = doc.read_text(encoding="utf-8")
        for path, name in re.findall(r"(tests/[\w/]+\.py)::(\w+)", text):
            source = ROOT / path
            if not source.exists() or not re.search(rf"def {name}\b", source.read_text(encoding="utf-8")):
                stale.append(f"{doc.name}: {path}::{name}")
        for path in re.findall(r"`(src/kneeguide/[\w/.]+)`", text):
            if not (ROOT / path).exists():
                stale.append(f"{doc.name}: {path}")
    assert not stale, "\n".join(stale)


def readme_section(heading: str) -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return readme.split(heading, 1)[1].split("\n#", 1)[0]


def listed(section: str, label: str) -> list[str]:
    """The code spans after ``label`` in a bullet, up to the end of its sentence."""
    sentence = section.split(f"{label}", 1)[1].split(".\n", 1)[0].split(". ", 1)[0]
    return re.findall(r"`([^`]+)`", sentence)


def test_the_readme_lists_exactly_the_ids_of_the_contract() -> None:
    from kneeguide import ids
    from kneeguide.ruleset import contract

    section = readme_section("### Ids scripts can rely on")
    assert listed(section, "Levels, lowest first:") == list(ids.LEVELS)
    assert listed(section, "Regions:") == list(ids.REGIONS)
    assert listed(section, "Audiences:") == list(ids.AUDIENCES)
    assert listed(section, "Languages:") == list(ids.LANGUAGES)
    assert listed(section, "Red flags:") == list(contract.RED_FLAG_IDS)
    assert listed(section, "Causes:") == list(contract.CAUSE_IDS)
    assert listed(section, "Scores:") == list(contract.SCORE_IDS)
    assert listed(section, "Questions:") == list(contract.QUESTION_IDS)


def test_the_readme_option_lists_are_the_id_lists() -> None:
    """Choices written out in the README (`--format text|json|markdown`) match ids.py."""
    from kneeguide import ids

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    expected = {
        "--region": list(ids.REGIONS),
        "--audience": list(ids.AUDIENCES),
        "--lang": list(ids.LANGUAGES),
    }
    for option, values in expected.items():
        for found in re.findall(rf"`{option} ([A-Za-z_|]+)`", readme):
            assert found.split("|") == values, f"README: {option} {found}"
    formats = [f.value for f in ids.ReportFormat]
    for found in re.findall(r"`--format ([a-z|]+)`", readme):
        assert found.split("|") in (formats, [f.value for f in ids.NoteFormat]), f"README: --format {found}"
