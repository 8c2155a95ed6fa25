"""Messages by the contract: every value problem names the id, the value and what was
expected, every problem of a file that parses is reported, JSON is read and refused as
JSON, and a wrong command line is one line with a hint.

Each fault is a small file in ``tests/inputs/messages/`` run through the real command.
"""

from __future__ import annotations

import json
import math
import subprocess
from collections.abc import Iterator
from pathlib import Path

import command
import pytest
import yaml

from kneeguide.errors import InputError, RulesError
from kneeguide.inputs.clinic import load_clinic
from kneeguide.ruleset import yamlio, yamlload

INPUTS = Path(__file__).parent / "inputs" / "messages"


def kneeguide(*args: str, stdin: str | None = None, cwd: Path = INPUTS) -> subprocess.CompletedProcess[str]:
    """The installed command run in ``cwd`` (so messages name files as given), in English."""
    return command.run(*args, stdin=stdin, cwd=cwd, env={"LANG": "C.UTF-8", "LC_ALL": "", "COLUMNS": "80"})


@pytest.fixture(params=["libyaml", "pure-python"])
def loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The YAML reader with libyaml's C parser, then with PyYAML's own (as on a machine
    where PyYAML was built without libyaml): both must read alike."""
    if request.param == "pure-python":
        pure = type("_PureLoader", (yaml.SafeLoader,), {})
        pure.yaml_implicit_resolvers = yamlload.Loader.yaml_implicit_resolvers
        monkeypatch.setattr(yamlload, "Loader", pure)
    elif not yaml.__with_libyaml__:  # pragma: no cover - depends on how PyYAML was built
        pytest.skip("PyYAML was built without libyaml")
    yield request.param


# -- YAML by the 1.2 core schema -------------------------------------------------------

#: A plain scalar → what it is under the YAML 1.2 core schema (text unless the core
#: schema names it a null, boolean, integer or float).
CORE = {
    "10:00": "10:00",  # YAML 1.1: the sexagesimal 600
    "1:30:00": "1:30:00",
    "2026-12-01": "2026-12-01",  # YAML 1.1: a date
    "2026-12-01T10:00:00Z": "2026-12-01T10:00:00Z",
    "6_4": "6_4",  # YAML 1.1: 64
    "1_000": "1_000",
    "0b11": "0b11",  # YAML 1.1: 3
    "017": 17,  # YAML 1.1: octal 15
    "0o17": 15,
    "0x1F": 31,
    "+12": 12,
    "-3": -3,
    "1.5": 1.5,
    "1.": 1.0,
    ".5": 0.5,
    "-2.5e3": -2500.0,
    "1e400": "1e400",  # no float holds it: kept as written, never infinity
    "1e-400": "1e-400",  # never zero
    "yes": "yes",  # YAML 1.1: true
    "no": "no",
    "on": "on",
    "off": "off",
    "y": "y",
    "true": True,
    "False": False,
    "~": None,
    "null": None,
    "=": "=",
}


@pytest.mark.parametrize("scalar", sorted(CORE))
def test_plain_scalars_mean_what_the_yaml_1_2_core_schema_says(scalar: str, loader: str) -> None:
    value = yamlio.parse(f"a: {scalar}\n", "f.yaml")["a"]
    assert value == CORE[scalar] and type(value) is type(CORE[scalar])


def test_inf_and_nan_are_floats_that_every_finite_check_refuses(loader: str) -> None:
    doc = yamlio.parse("a: .inf\nb: -.Inf\nc: .nan\n", "f.yaml")
    assert doc["a"] == math.inf and doc["b"] == -math.inf and math.isnan(doc["c"])


def test_every_value_problem_of_an_answers_file_names_the_id_value_and_expectation() -> None:
    done = kneeguide("assess", "--answers", "yaml11_values.yaml", "--region", "JP")
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.splitlines() == [
        "kneeguide: yaml11_values.yaml:2:1: age: '10:00' is not valid; expected a whole number from 0 to 120",
        "kneeguide: yaml11_values.yaml:3:1: sex: '2026-12-01' is not valid; "
        "expected one of: female, male, other, unspecified (or unsure)",
        "kneeguide: yaml11_values.yaml:4:1: calf_swelling: 'maybe' is not valid; expected yes, no or unsure",
    ]


@pytest.mark.parametrize("name", ["duplicate_keys.yaml", "duplicate_keys.json"])
def test_every_duplicate_key_is_reported_with_both_lines(name: str) -> None:
    done = kneeguide("assess", "--answers", name, "--region", "JP")
    assert done.returncode == 2 and done.stdout == ""
    col = 1 if name.endswith(".yaml") else 3
    first = (1, 2) if name.endswith(".yaml") else (2, 3)
    again = (3, 4) if name.endswith(".yaml") else (4, 5)
    assert done.stderr.splitlines() == [
        f"kneeguide: {name}:{again[0]}:{col}: duplicate key 'age' (first defined at line {first[0]})",
        f"kneeguide: {name}:{again[1]}:{col}: duplicate key 'calf_swelling' "
        f"(first defined at line {first[1]})",
    ]


def test_a_clinic_profile_keeps_its_hours_as_written_and_reports_every_problem() -> None:
    assert load_clinic(INPUTS / "clinic_hours.yaml").hours == "10:00"
    with pytest.raises(InputError) as info:
        load_clinic(INPUTS / "clinic_duplicate_and_unknown.yaml")
    shown = INPUTS / "clinic_duplicate_and_unknown.yaml"
    assert info.value.lines() == [
        f"{shown}:3:1: duplicate key 'name' (first defined at line 1)",
        f"{shown}:4:1: unknown key 'fax'",
    ]


def test_rules_still_refuse_an_infinite_number(rules_copy: Path) -> None:
    questions = rules_copy / "questions.yaml"
    text = questions.read_text(encoding="utf-8")
    assert "    max: 120\n" in text
    questions.write_text(text.replace("    max: 120\n", "    max: .inf\n", 1), encoding="utf-8")
    done = kneeguide("rules", "validate", str(rules_copy), cwd=Path.cwd())
    assert done.returncode == 2, done.stderr
    assert "expected a finite number, found inf" in done.stderr and "Traceback" not in done.stderr


# -- JSON read as JSON -------------------------------------------------------------------


def test_tab_indented_json_is_read_as_json_with_or_without_libyaml(loader: str) -> None:
    text = (INPUTS / "tab_indented.json").read_text(encoding="utf-8")
    for shown in ("tab_indented.json", "<stdin>"):
        doc = yamlio.parse(text, shown)
        assert doc == {"age": 30, "calf_swelling": "yes", "calf_pain": "no"}
        assert doc.key_locations["calf_pain"] == (shown, 4, 2)


def test_tab_indented_json_assesses_from_a_file_and_from_stdin() -> None:
    done = kneeguide("assess", "--answers", "tab_indented.json", "--region", "JP", "--format", "json")
    assert done.returncode == 0, done.stderr
    piped = kneeguide(stdin=(INPUTS / "tab_indented.json").read_text(encoding="utf-8"))
    assert piped.returncode == 0, piped.stderr
    assert '"calf_swelling": "yes"' in piped.stdout


#: A broken or non-JSON ``.json`` file → the one line that says so.
BROKEN_JSON = {
    "trailing_comma.json": "trailing_comma.json:4:1: invalid JSON: a comma before '}' "
    "(JSON allows no trailing comma)",
    "nan.json": "nan.json:1:9: invalid JSON: NaN is not a number JSON allows",
    "unterminated.json": "unterminated.json:1:35: invalid JSON: the text ends before the closing '}'",
}


@pytest.mark.parametrize("name", sorted(BROKEN_JSON))
def test_a_broken_json_file_is_said_to_be_invalid_json(name: str) -> None:
    done = kneeguide("assess", "--answers", name, "--region", "JP")
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.splitlines() == [f"kneeguide: {BROKEN_JSON[name]}"]


@pytest.mark.parametrize("loader_name", ["libyaml", "pure-python"])
def test_broken_json_is_never_called_yaml(loader_name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if loader_name == "pure-python":
        monkeypatch.setattr(yamlload, "Loader", None)  # JSON must not reach the YAML reader at all
    for text, shown in (
        ('{\n\t"age": 30,\n}\n', "a.json"),
        ('{"age": 30,}', "<stdin>"),
        ("[1, 2", "<stdin>"),
    ):
        with pytest.raises(RulesError) as info:
            yamlio.parse(text, shown)
        assert all(": invalid JSON: " in line for line in info.value.lines()), info.value.lines()


def test_flow_style_yaml_on_stdin_is_read_as_yaml_not_refused_as_json() -> None:
    done = kneeguide("assess", "--answers", "-", "--format", "json", stdin="{age: 64, calf_swelling: yes}\n")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["answers"] == {"age": 64, "calf_swelling": "yes"}


def test_piped_json_that_breaks_is_located_on_stdin() -> None:
    done = kneeguide("assess", "--answers", "-", "--region", "JP", stdin='{"age": 30,}')
    assert done.stderr.splitlines() == [
        "kneeguide: <stdin>:1:12: invalid JSON: a comma before '}' (JSON allows no trailing comma)"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"a": Infinity}', "invalid JSON: Infinity is not a number JSON allows"),
        ('{"a": -Infinity}', "invalid JSON: -Infinity is not a number JSON allows"),
        ('{"a": "\\ud800"}', "invalid JSON: a string holds half of a surrogate pair"),
        ('{"a": "x\ty"}', "invalid JSON: a control character inside a string"),
        ('{"a": 01}', "invalid JSON: expected ',' or '}' after a value"),
        ("{'a': 1}", "invalid JSON: expected a key in double quotes"),
        ('{"a": 1} {"b": 2}', "invalid JSON: extra data after the JSON value"),
        ("[" * 50 + "]" * 50, "nesting deeper than 40 levels"),
    ],
)
def test_what_json_does_not_allow_is_refused(text: str, expected: str) -> None:
    with pytest.raises(RulesError) as info:
        yamlio.parse(text, "a.json")
    assert expected in info.value.lines()[0]


def test_json_numbers_no_float_holds_stay_as_written() -> None:
    doc = yamlio.parse('{"big": 1e400, "tiny": 1e-400, "zero": -0, "n": 1.5E+3}', "a.json")
    assert doc == {"big": "1e400", "tiny": "1e-400", "zero": 0, "n": 1500.0}


def test_json_and_yaml_give_the_same_located_containers() -> None:
    as_json = yamlio.parse('{"a": [1, {"b": null}]}', "x.json")
    as_yaml = yamlio.parse("a: [1, {b: null}]\n", "x.yaml")
    assert as_json == as_yaml
    for doc in (as_json, as_yaml):
        assert isinstance(doc, yamlio.Mapping) and isinstance(doc["a"], yamlio.Sequence)
        assert isinstance(doc["a"][1], yamlio.Mapping)


# -- usage errors --------------------------------------------------------------------------

#: A wrong command line → the one line kneeguide says (exit status 2, nothing on stdout).
USAGE = {
    ("assess", "--formt", "json"): "no such option '--formt' (did you mean '--format'?); "
    "see 'kneeguide assess --help'",
    ("asess",): "no such command 'asess' (did you mean 'assess'?); see 'kneeguide --help'",
    ("assess", "--format", "pdf"): "invalid value for '--format': 'pdf' is not one of 'text', 'json', "
    "'markdown'; see 'kneeguide assess --help'",
    ("batch", "in.jsonl", "--workers", "x"): "invalid value for '--workers': 'x' is not a whole number; "
    "see 'kneeguide batch --help'",
    ("batch",): "missing argument 'INPUT'; see 'kneeguide batch --help'",
    ("assess", "--answers"): "option '--answers' requires an argument; see 'kneeguide assess --help'",
    (
        "rules",
        "validat",
    ): "no such command 'validat' (did you mean 'validate'?); see 'kneeguide rules --help'",
    ("assess", "extra"): "got unexpected extra argument(s) (extra); see 'kneeguide assess --help'",
    ("assess", "--formt\x1b[2J"): "no such option '--formt\\x1b[2J' (did you mean '--format'?); "
    "see 'kneeguide assess --help'",
}


@pytest.mark.parametrize("args", sorted(USAGE), ids=" ".join)
def test_a_usage_error_is_one_line_with_a_hint(args: tuple[str, ...]) -> None:
    done = kneeguide(*args)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.splitlines() == [f"kneeguide: {USAGE[args]}"]


def test_help_and_version_still_exit_0() -> None:
    assert kneeguide("--version").returncode == 0
    shown = kneeguide("assess", "--help")
    assert shown.returncode == 0 and "--format" in shown.stdout


def test_a_usage_error_is_one_line_under_debug_too() -> None:
    done = kneeguide("--debug", "assess", "--formt", "json")
    assert done.returncode == 2 and len(done.stderr.splitlines()) == 1, done.stderr
