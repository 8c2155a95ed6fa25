"""The installed ``kneeguide`` command, run as a user or a script would run it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from command import run as kneeguide

DVT_STORY = {"age": 64, "calf_swelling": "yes", "calf_pain": "yes", "warmth": "yes", "recent_surgery": "yes"}


def assess_json(*args: str, stdin: str | None = None) -> dict[str, Any]:
    done = kneeguide("assess", "--format", "json", *args, stdin=stdin)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def test_the_installed_command_assesses_answers_from_stdin(tmp_path: Path) -> None:
    done = kneeguide(
        "assess", "--answers", "-", "--format", "json", stdin=json.dumps(DVT_STORY), cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["triage"]["level"] in ("urgent", "emergency")
    assert "dvt" in [f["id"] for f in data["red_flags"]]
    assert done.stderr == ""


def test_the_json_assessment_has_the_contract_shape() -> None:
    data = assess_json("-a", "age=64", "-a", "calf_swelling=yes")
    assert set(data) >= {
        "schema_version",
        "tool",
        "rules",
        "triage",
        "red_flags",
        "not_excluded",
        "scores",
        "likely_causes",
        "acupuncture",
        "referral",
        "answers",
        "warnings",
        "disclaimer",
    }
    assert data["schema_version"] == 1
    assert data["tool"]["name"] == "kneeguide"
    assert data["rules"]["digest"].startswith("sha256:")
    assert set(data["triage"]) >= {"level", "headline", "action", "call"}
    assert data["triage"]["call"] == "119"
    flag = data["red_flags"][0]
    assert set(flag) >= {"id", "level", "title", "because", "action"}
    assert set(data["scores"]["wells_dvt"]) >= {"points", "band", "complete"}
    assert set(data["scores"]) >= {"wells_dvt", "ottawa_knee"}
    assert set(data["acupuncture"]) >= {"suitability", "reasons", "points", "evidence"}
    assert set(data["referral"]) == {"to", "urgency", "text"}
    assert data["answers"] == {"age": 64, "calf_swelling": "yes"}
    assert "not a diagnosis" in data["disclaimer"]


def test_age_alone_is_never_self_care_and_lists_what_is_not_excluded() -> None:
    data = assess_json("-a", "age=30")
    assert data["triage"]["level"] not in ("self_care", "routine")
    assert {n["id"] for n in data["not_excluded"]} >= {"dvt", "pulmonary_embolism", "cauda_equina"}


@pytest.mark.parametrize(
    ("region", "number"), [("JP", "119"), ("US", "911"), ("UK", "999"), ("EU", "112"), ("AU", "000")]
)
def test_the_emergency_number_follows_the_region(region: str, number: str) -> None:
    data = assess_json("-a", "saddle_numbness=yes", "--region", region)
    assert data["triage"]["level"] == "emergency"
    assert data["triage"]["call"] == number
    assert number in data["triage"]["action"]


def test_a_misspelt_id_exits_2_with_a_suggestion_and_nothing_on_stdout() -> None:
    done = kneeguide("assess", "-a", "calf_swelng=yes", "--format", "json")
    assert done.returncode == 2
    assert done.stdout == ""
    assert "calf_swelng" in done.stderr and "did you mean 'calf_swelling'" in done.stderr
    assert "Traceback" not in done.stderr


def test_every_bad_answer_is_reported_once_per_line() -> None:
    done = kneeguide("assess", "-a", "age=200", "-a", "sex=robot", "-a", "calf_swelling=maybe")
    assert done.returncode == 2 and done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 3, lines
    assert any("age: '200' is not valid; expected a whole number from 0 to 120" in ln for ln in lines)
    assert any("sex: 'robot'" in ln and "female, male, other, unspecified" in ln for ln in lines)
    assert any("calf_swelling: 'maybe'" in ln and "yes, no or unsure" in ln for ln in lines)


def test_a_bad_answers_file_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "answers.yaml"
    path.write_text("age: 40\ncalf_swelling: yes\nage: 41\n", encoding="utf-8")
    done = kneeguide("assess", "--answers", str(path))
    assert done.returncode == 2
    assert f"{path}:3:1: duplicate key 'age'" in done.stderr


def test_an_unknown_id_in_a_file_points_to_its_line(tmp_path: Path) -> None:
    path = tmp_path / "answers.json"
    path.write_text('{\n  "age": 40,\n  "calf_pian": "yes"\n}\n', encoding="utf-8")
    done = kneeguide("assess", "--answers", str(path))
    assert done.returncode == 2
    assert f"{path}:3:3: unknown question id 'calf_pian' (did you mean 'calf_pain'?)" in done.stderr


def test_fail_on_exits_3_at_or_above_the_level() -> None:
    assert kneeguide("assess", "-a", "calf_swelling=yes", "--fail-on", "urgent").returncode == 3
    assert kneeguide("assess", "-a", "calf_swelling=yes", "--fail-on", "emergency").returncode == 0


def test_option_answers_override_the_file(tmp_path: Path) -> None:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps({"age": 40, "calf_swelling": "yes"}), encoding="utf-8")
    data = assess_json("--answers", str(path), "-a", "calf_swelling=no")
    assert data["answers"]["calf_swelling"] == "no"


def test_text_output_without_a_terminal_is_plain() -> None:
    done = kneeguide("assess", "-a", "calf_swelling=yes")
    assert done.returncode == 0
    assert "\x1b[" not in done.stdout
    first_panel = done.stdout.split("Warning signs found")[0]
    assert "today" in first_panel.lower()
    assert done.stdout.index("Possible blood clot") < done.stdout.index("Possible causes")
    assert "not a diagnosis" in done.stdout


def test_markdown_output() -> None:
    done = kneeguide("assess", "-a", "calf_swelling=yes", "--format", "markdown")
    assert done.returncode == 0
    assert done.stdout.startswith("# Urgent")
    assert "## Warning signs found" in done.stdout


def test_questions_lists_every_contract_id_as_json() -> None:
    done = kneeguide("questions", "--format", "json")
    rows = json.loads(done.stdout)
    ids = {row["id"] for row in rows}
    from kneeguide.ruleset.contract import QUESTION_IDS

    assert set(QUESTION_IDS) <= ids
    age = next(r for r in rows if r["id"] == "age")
    assert (age["type"], age["min"], age["max"]) == ("int", 0, 120)


def test_rules_validate_reports_every_problem_with_file_and_line(rules_copy: Path) -> None:
    target = rules_copy
    flags = target / "red_flags.yaml"
    flags.write_text(flags.read_text().replace("    level: soon\n", "    level: later\n", 1))
    triage = target / "triage.yaml"
    triage.write_text(
        triage.read_text().replace(
            "not_excluded_level: soon\n", "not_excluded_level: soon\nnot_excluded_level: soon\n"
        )
    )
    done = kneeguide("rules", "validate", str(target))
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert any(f"{flags}:" in ln and "'later' is not one of" in ln for ln in lines), lines
    assert any(f"{triage}:" in ln and "duplicate key 'not_excluded_level'" in ln for ln in lines), lines
    assert "Traceback" not in done.stderr


def test_rules_validate_accepts_the_builtin_rules() -> None:
    done = kneeguide("rules", "validate")
    assert done.returncode == 0, done.stderr
    assert "is valid" in done.stderr


def test_version() -> None:
    from kneeguide.version import __version__

    done = kneeguide("--version")
    assert done.stdout.strip() == f"kneeguide {__version__}"


def test_python_dash_m_runs_the_same_program() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "kneeguide", "--version"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0 and done.stdout.startswith("kneeguide ")


def loaded_by_assess_json(modules: tuple[str, ...], answers: tuple[str, ...] = ("-a", "age=30")) -> list[str]:
    """Which of ``modules`` (or their submodules) a fresh `assess --format json` imports,
    the answers given by ``answers``.

    Modules the interpreter had loaded before kneeguide was imported are not
    kneeguide's doing (a site-wide ``.pth`` file may import ``tempfile``, say, in an
    environment made with ``--system-site-packages``), so they do not count.
    """
    code = (
        "import sys\n"
        "before = set(sys.modules)\n"
        "from kneeguide.cli import main\n"
        "try:\n"
        f"    main(['assess', *{list(answers)!r}, '--format', 'json'])\n"
        "except SystemExit:\n"
        "    pass\n"
        f"wanted = {modules!r}\n"
        "new = set(sys.modules) - before\n"
        "print(sorted({w for w in wanted for m in new if m == w or m.startswith(w + '.')}))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    loaded: list[str] = json.loads(done.stdout.splitlines()[-1].replace("'", '"'))
    return loaded


def test_assess_json_imports_none_of_the_interactive_stack() -> None:
    interactive = ("questionary", "prompt_toolkit", "rich", "budoux", "wcwidth", "kneeguide.interview")
    assert loaded_by_assess_json(interactive) == []


def test_a_warm_assess_json_loads_only_what_it_uses() -> None:
    """Start-up is most of a single assessment's cost (README, Performance)."""
    heavy = (
        "kneeguide.ruleset.schema",
        "kneeguide.ruleset.build",
        "yaml.constructor",
        "platformdirs",
        "_hashlib",
    )
    heavy += ("importlib.resources", "tempfile")
    loaded_by_assess_json(heavy)  # fills the rules cache
    expected = ["platformdirs"] if sys.platform != "linux" else []
    assert loaded_by_assess_json(heavy) == expected


def test_answers_in_json_or_given_with_a_never_import_the_yaml_reader(tmp_path: Path) -> None:
    """PyYAML costs about 6 ms of a start-up; JSON is read by the json module (issue 16)."""
    answers = tmp_path / "answers.json"
    answers.write_text('{"age": 30, "calf_swelling": "no"}')
    loaded_by_assess_json(("yaml",))  # fills the rules cache
    assert loaded_by_assess_json(("yaml",)) == []
    assert loaded_by_assess_json(("yaml",), ("--answers", str(answers))) == []
    yaml_answers = tmp_path / "answers.yaml"
    yaml_answers.write_text("age: 30\n")
    assert loaded_by_assess_json(("yaml",), ("--answers", str(yaml_answers))) == ["yaml"]


def test_an_unknown_region_or_language_is_refused() -> None:
    region = kneeguide("assess", "-a", "age=30", "--region", "XX")
    assert region.returncode == 2 and "unknown region 'XX'" in region.stderr and region.stdout == ""
    lang = kneeguide("assess", "-a", "age=30", "--lang", "fr")
    assert lang.returncode == 2 and "language 'fr' is not provided" in lang.stderr and lang.stdout == ""


def test_rules_validate_runs_every_rules_examples(rules_copy: Path) -> None:
    flags = rules_copy / "red_flags.yaml"
    flags.write_text(
        flags.read_text().replace(
            '        - {cannot_straighten: "yes"}\n', '        - {cannot_straighten: "no"}\n', 1
        )
    )
    done = kneeguide("rules", "validate", str(rules_copy))
    assert done.returncode == 2 and done.stdout == ""
    assert (
        f"{flags}:" in done.stderr
        and "locked_knee: fires on example 1: 'locked_knee' was not raised" in done.stderr
    )


def test_help_lists_every_command_and_a_misspelt_command_gets_a_suggestion() -> None:
    shown = kneeguide("--help")
    assert shown.returncode == 0
    for name in ("assess", "batch", "interview", "note", "export", "questions", "rules", "config"):
        assert name in shown.stdout
    typo = kneeguide("asess", "-a", "age=30")
    assert typo.returncode == 2 and "assess" in typo.stderr


def test_a_run_builds_only_its_command_and_help_sees_every_command() -> None:
    """Typer builds every registered command on every run, at more than the cost of an
    assessment: a run builds only the command it names; no command or a misspelt one
    gets them all, so help and "did you mean" are unchanged."""
    from kneeguide.cli.app import build

    def names(app: Any) -> list[str]:
        return [c.name for c in app.registered_commands] + [g.name for g in app.registered_groups]

    every = ["assess", "questions", "interview", "note", "export", "batch", "rules", "config"]
    assert names(build("assess")) == ["assess"]
    assert names(build("rules")) == ["rules"]
    assert names(build(None)) == every
    assert names(build("asess")) == every


def test_assess_imports_no_other_command() -> None:
    others = tuple(
        f"kneeguide.cli.{m}" for m in ("questions", "interview", "notes", "batch", "rules", "config")
    )
    assert loaded_by_assess_json(others) == []


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
@pytest.mark.parametrize("columns", [40, 50])
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_report_in_a_narrow_terminal_is_never_wider_than_it(columns: int, lang: str) -> None:
    import pexpect
    from wcwidth import wcswidth

    env = {**os.environ, "TERM": "xterm", "NO_COLOR": "1"}
    args = ["-m", "kneeguide", "assess", "--lang", lang, "-a", "age=64", "-a", "calf_swelling=yes"]
    child = pexpect.spawn(
        sys.executable, args, env=env, encoding="utf-8", dimensions=(40, columns), timeout=60
    )
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before[-500:]
    lines = child.before.replace("\r\n", "\n").splitlines()
    assert len(lines) > 20
    assert max(wcswidth(line) for line in lines) <= columns


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_the_action_is_said_once_not_headline_then_the_same_words_again(lang: str, fmt: str) -> None:
    """The urgent action starts with its own headline: printed both, the report stutters."""
    import json

    from kneeguide.api import assess, load_rules

    rules = load_rules()
    story = {"age": 64, "calf_swelling": "yes"}
    headline = assess(story, rules=rules, region="JP", lang=lang).triage.headline
    args = ("assess", "--answers", "-", "--region", "JP", "--lang", lang, "--format", fmt)
    done = kneeguide(*args, stdin=json.dumps(story), env={"COLUMNS": "200", "NO_COLOR": "1"})
    assert done.returncode == 0, done.stderr
    what_to_do = done.stdout.split(rules.message("heading_red_flags", lang))[
        0
    ]  # the red flags' own actions follow
    assert what_to_do.count(headline) == 1
