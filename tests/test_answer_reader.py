"""One answer reader for every path: the same duplicate, type and range checks, the same messages.

``assess --answers``/``-a``, plain ``kneeguide`` with piped input, ``batch`` (JSON Lines and
CSV), FHIR and sessions all end in :func:`kneeguide.ruleset.answers.check_answers`; a key given
twice is refused in every form instead of keeping one of the values. Each fault is a small file
under ``tests/inputs/answers/``, run through the real command.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kneeguide.batch import jsonlines
from kneeguide.batch.reading import Line, parse_line
from kneeguide.errors import InputError
from kneeguide.ruleset.answers import check_answers, json_float, parse_assignments
from kneeguide.ruleset.model import RuleSet

INPUTS = Path(__file__).parent / "inputs" / "answers"
AGE_RANGE = "expected a whole number from 0 to 120"


def kneeguide(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    """The command run as a user runs it; without ``stdin``, standard input is /dev/null."""
    return subprocess.run(
        [sys.executable, "-m", "kneeguide", *args],
        input=stdin.decode() if stdin is not None else None,
        stdin=subprocess.DEVNULL if stdin is None else None,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "NO_COLOR": "1"},
    )


def records(done: subprocess.CompletedProcess[str]) -> dict[Any, dict[str, Any]]:
    """The batch records by id."""
    return {r["id"]: r for r in map(json.loads, done.stdout.splitlines())}


def messages(record: dict[str, Any]) -> list[str]:
    return [e["message"] for e in record["errors"]]


# --- duplicates, in every format -----------------------------------------------------------------


def test_a_key_twice_in_a_jsonl_record_is_an_error_record_naming_it() -> None:
    """It kept the last value (unsure) while `assess --answers` refused the same object."""
    done = kneeguide("batch", str(INPUTS / "duplicate.jsonl"))
    out = records(done)
    assert done.returncode == 2
    assert out["a"]["ok"] is False  # the id is still given, to match the row to its patient
    assert out["a"]["errors"] == [
        {"field": "calf_swelling", "message": "duplicate key 'calf_swelling': answered twice"}
    ]
    assert out["b"]["ok"] is True


def test_an_id_twice_is_refused_too() -> None:
    out = records(kneeguide("batch", str(INPUTS / "duplicate-id.jsonl")))
    assert out[None]["errors"][0]["field"] == "id"


@pytest.mark.parametrize(("name", "line"), [("duplicate.json", 4), ("duplicate.yaml", 3)])
def test_a_key_twice_in_an_answers_file_is_refused_at_its_line(name: str, line: int) -> None:
    done = kneeguide("assess", "-f", str(INPUTS / name))
    assert done.returncode == 2 and done.stdout == ""
    assert f"{name}:{line}:" in done.stderr and "duplicate key 'calf_swelling'" in done.stderr


def test_a_csv_with_a_column_twice_is_refused_naming_the_column() -> None:
    """It kept the second column's value."""
    done = kneeguide("batch", str(INPUTS / "duplicate-column.csv"))
    assert done.returncode == 2 and done.stdout == ""
    assert "duplicate-column.csv:1:4: duplicate key 'calf_swelling'" in done.stderr


def test_an_answer_given_twice_with_a_is_refused() -> None:
    done = kneeguide("assess", "-a", "calf_swelling=yes", "-a", "calf_swelling=unsure")
    assert done.returncode == 2
    assert "kneeguide: -a duplicate key 'calf_swelling': answered twice" in done.stderr
    with pytest.raises(InputError):
        parse_assignments(["age=30", "age=31"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a", "b", "c:d", "id"]), st.sampled_from([1, "x", "y:z", None]))))
def test_the_colon_count_never_lets_a_duplicate_through(pairs: list[tuple[str, Any]]) -> None:
    """The quick test (one ':' per key proves no key twice) against the careful reading."""
    text = "{" + ", ".join(f"{json.dumps(k)}: {json.dumps(v)}" for k, v in pairs) + "}"
    keys = [k for k, _ in pairs]
    record = parse_line(Line(1, text))
    if len(set(keys)) < len(keys):
        assert record.answers is None and "duplicate key" in record.problems[0][1]
    else:
        assert record.problems == ()
        assert jsonlines.quick_object(text) in (None, dict(pairs))


# --- numbers -----------------------------------------------------------------------------------


NUMBERS = {
    "json-underflow": "age: 1e-400 is not valid",  # json reads 0.0: refused, not read as 0
    "underscore": "age: '6_4' is not valid",  # float() reads 64
    "exponent-text": "age: '1e-400' is not valid",
    "infinity": "age: 'inf' is not valid",
    "hex": "age: '0x40' is not valid",
    "comma": "age: '6,4' is not valid",
    "arabic-indic": "is not valid",  # float() reads any script's digits
    "plain": None,
    "full-width": None,  # what a Japanese keyboard types
    "whole-float": None,
    "json-exponent": None,  # a JSON number written by a program, read exactly
}


def test_number_spellings_in_jsonl_are_read_or_refused_with_the_id_value_and_range() -> None:
    out = records(kneeguide("batch", str(INPUTS / "numbers.jsonl")))
    assert set(out) == set(NUMBERS)
    for ident, refusal in NUMBERS.items():
        if refusal is None:
            assert out[ident]["ok"] is True, (ident, out[ident])
        else:
            [message] = messages(out[ident])
            assert refusal in message and message.endswith(AGE_RANGE), (ident, message)
            assert out[ident]["errors"][0]["field"] == "age"


def test_number_spellings_in_csv_are_checked_the_same_way() -> None:
    out = records(kneeguide("batch", str(INPUTS / "numbers.csv")))
    assert {k: v["ok"] for k, v in out.items()} == {
        "underscore": False,
        "exponent": False,
        "comma": False,
        "plain": True,
        "full-width": True,
    }


@pytest.mark.parametrize("name", ["underflow.json", "underflow.yaml"])
def test_an_underflowing_age_in_an_answers_file_is_refused_not_read_as_zero(name: str) -> None:
    done = kneeguide("assess", "-f", str(INPUTS / name))
    assert done.returncode == 2
    assert "age:" in done.stderr and "1e-400" in done.stderr and AGE_RANGE in done.stderr


@pytest.mark.parametrize(
    ("value", "clean"),
    [("64", 64), (" 64 ", 64), ("+64", 64), ("64.0", 64), ("６４", 64), ("0", 0), (64, 64), (64.0, 64)],
)
def test_plain_numbers_are_read(rules: RuleSet, value: Any, clean: int) -> None:
    answers, problems = check_answers({"age": value}, rules.questions)
    assert problems == [] and answers == {"age": clean}


@pytest.mark.parametrize(
    "value", ["6_4", "1e-400", "1e2", "inf", "nan", "0x40", "6,4", "١٢", "64.5", "", ".", "1.2.3"]
)
def test_other_spellings_are_refused_with_the_expected_range(rules: RuleSet, value: Any) -> None:
    answers, problems = check_answers({"age": value}, rules.questions)
    assert answers == {} and len(problems) == 1
    assert problems[0].message.startswith("age: ") and problems[0].message.endswith(AGE_RANGE)


def test_json_float_keeps_an_underflow_as_its_text() -> None:
    assert json_float("1e-400") == "1e-400" and json_float("0e-400") == 0.0 and json_float("1.5") == 1.5
    assert jsonlines.loads('{"age": 1e-400}') == {"age": "1e-400"}


# --- shapes and empty sets ---------------------------------------------------------------------------


def test_answers_of_the_wrong_shape_are_errors_never_internal_errors() -> None:
    done = kneeguide("batch", str(INPUTS / "wrong-shape.jsonl"))
    out = records(done)
    assert done.returncode == 2 and "internal error" not in done.stderr
    assert all(not r["ok"] and r["errors"][0]["field"] for r in out.values())
    done = kneeguide("assess", "-f", str(INPUTS / "wrong-shape.json"))
    assert done.returncode == 2 and "internal error" not in done.stderr
    assert len(done.stderr.splitlines()) == 3  # every problem of the file, one line each


@settings(max_examples=300, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3),
        max_leaves=8,
    )
)
def test_any_value_for_any_question_is_an_answer_or_a_problem(value: Any) -> None:
    from kneeguide.api import load_rules

    questions = load_rules().questions
    for qid in ("age", "calf_swelling", "side", "pain_score"):
        answers, problems = check_answers({qid: value}, questions)
        assert len(answers) + len(problems) <= 1
        assert all(p.message.startswith(f"{qid}: ") for p in problems)


@pytest.mark.parametrize(
    "how", ["no answers", "empty.json", "all-null.yaml", "fhir-empty.json", "piped {}", "note", "export"]
)
def test_an_empty_answer_set_is_assessed_but_says_nothing_was_answered(how: str) -> None:
    if how == "no answers":
        done = kneeguide("assess", "--format", "json")
    elif how == "piped {}":
        done = kneeguide(stdin=b"{}\n")
    elif how == "note":
        done = kneeguide("note", "-f", str(INPUTS / "empty.json"), "--format", "text")
    elif how == "export":
        done = kneeguide("export", "--fhir", "-f", str(INPUTS / "empty.json"))
    else:
        done = kneeguide("assess", "-f", str(INPUTS / how), "--format", "json")
    assert done.returncode == 0, done.stderr
    said = [line for line in done.stderr.splitlines() if "nothing was answered" in line]
    assert len(said) == 1 and said[0].startswith("kneeguide: ")
    if how not in ("note", "export"):
        assert len(json.loads(done.stdout)["not_excluded"]) > 0


@pytest.mark.parametrize("command", [("note", "--format", "text"), ("export", "--fhir")])
def test_note_and_export_read_a_cp932_answers_file_with_encoding_as_assess_does(
    command: tuple[str, ...],
) -> None:
    source = str(Path(__file__).parent / "inputs" / "encodings" / "cp932-answers.yaml")
    refused = kneeguide(*command, "-f", source)
    assert refused.returncode == 2 and refused.stdout == ""
    assert refused.stderr.count("\n") == 1 and "--encoding cp932" in refused.stderr
    done = kneeguide(*command, "-f", source, "--encoding", "cp932")
    assert done.returncode == 0, done.stderr
    assessed = kneeguide("assess", "-f", source, "--encoding", "cp932", "--format", "json")
    assert json.loads(assessed.stdout)["answers"] == {"age": 64, "calf_swelling": "yes", "sex": "male"}
    if command[0] == "export":
        bundle = json.loads(done.stdout)
        response = next(
            e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "QuestionnaireResponse"
        )
        assert {item["linkId"] for item in _leaves(response["item"])} == {"age", "calf_swelling", "sex"}


def _leaves(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for item in items:
        out += _leaves(item["item"]) if "item" in item else [item]
    return out


def test_the_empty_answer_warning_is_said_in_japanese() -> None:
    done = kneeguide("assess", "--lang", "ja")
    assert done.returncode == 0 and "回答が1つもありません" in done.stderr


def test_one_answer_is_enough_to_say_nothing() -> None:
    done = kneeguide("assess", "-a", "age=30", "--format", "json")
    assert done.returncode == 0 and "nothing was answered" not in done.stderr


@pytest.mark.parametrize("command", [("assess", "--fail-on", "urgent"), ("export", "--fhir")])
def test_answers_piped_without_answers_dash_are_refused_not_silently_ignored(
    command: tuple[str, ...],
) -> None:
    """`echo '{…}' | kneeguide assess --fail-on urgent` assessed no answers: "soon", exit 0,
    a swollen calf let through; now nothing is assessed and the line says how to read them."""
    done = kneeguide(*command, stdin=b'{"calf_swelling": "yes", "recent_surgery": "yes"}\n')
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.splitlines() == [
        "kneeguide: answers on standard input are read only with --answers - (or -f -): nothing was assessed"
    ]
    with_a = kneeguide("assess", "-a", "age=30", "--format", "json", stdin=b"{}\n")
    assert "standard input" not in with_a.stderr  # answers were given another way
    read = kneeguide("assess", "--answers", "-", "--format", "json", stdin=b'{"calf_swelling": "yes"}\n')
    assert json.loads(read.stdout)["answers"] == {"calf_swelling": "yes"}
    assert "standard input" not in read.stderr


# --- CSV: the header once, every row whose it is -------------------------------------------------


def test_unknown_csv_columns_are_refused_once_at_the_header_as_written_with_the_nearest_id(
    tmp_path: Path,
) -> None:
    """`ID,Age ,calf_pain` gave two unknown-id errors in every row, `id: null`, `Age ` trimmed."""
    source = tmp_path / "forms.csv"
    source.write_text("ID,Age ,calf_pain\r\na,40,yes\r\nb,41,no\r\n")
    done = kneeguide("batch", str(source))
    assert done.returncode == 2 and done.stdout == ""
    assert [line for line in done.stderr.splitlines() if "column" in line] == [
        f"kneeguide: {source}:1:1: unknown column 'ID': not a question id (did you mean 'id'?)",
        f"kneeguide: {source}:1:2: unknown column 'Age ': not a question id (did you mean 'age'?)",
    ]


def test_a_row_of_the_wrong_width_keeps_its_id_and_names_what_is_extra_or_missing(tmp_path: Path) -> None:
    source = tmp_path / "ragged.csv"
    source.write_text("id,age,calf_pain\r\na,40,yes,extra\r\nb,40\r\n,41\r\n")
    done = kneeguide("batch", str(source))
    assert done.returncode == 2
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert [(r["id"], messages(r)) for r in rows] == [
        ("a", ["expected 3 columns, found 4: extra 'extra'"]),
        ("b", ["expected 3 columns, found 2: no cell for calf_pain"]),
        (None, ["expected 3 columns, found 2: no cell for calf_pain"]),
    ]


def test_the_progress_counter_is_cleared_before_the_summary_on_a_terminal(tmp_path: Path) -> None:
    """The summary began on the counter's line: `30,000 records assessed kneeguide batch: …`."""
    import pexpect
    import pyte

    source = tmp_path / "many.jsonl"
    source.write_text('{"age": 40}\n' * 2000)
    screen = pyte.Screen(80, 24)
    stream = pyte.ByteStream(screen)
    child = pexpect.spawn(
        sys.executable,
        ["-m", "kneeguide", "batch", str(source), "--region", "JP", "-o", str(tmp_path / "out.jsonl")],
        dimensions=(24, 80),
        env={**os.environ, "TERM": "xterm"},
    )
    child.expect(pexpect.EOF, timeout=120)
    stream.feed(child.before)
    lines = [line.rstrip() for line in screen.display if line.strip()]
    assert lines[0] == "kneeguide batch: 2000 records: soon 2000", lines
    assert not any("records assessed" in line for line in lines)


@pytest.mark.parametrize(
    ("text", "column"),
    [('{"id":"b","age":40\n', 19), ('{"id":"b","age":40\r\n', 19), ('{"id":"c" "age":4}\n', 11)],
)
def test_a_broken_jsonl_record_names_the_column_in_its_own_line(text: str, column: int) -> None:
    """A record cut short was said to break at "column 1" (of the line after it)."""
    record = parse_line(Line(7, text))
    assert record.problems == ((None, f"invalid JSON: Expecting ',' delimiter (column {column})"),)


def test_the_summary_counts_one_record_in_the_singular(tmp_path: Path) -> None:
    source = tmp_path / "one.jsonl"
    source.write_text('{"age": 40}\n')
    done = kneeguide("batch", str(source), "--region", "JP")
    assert "kneeguide batch: 1 record: soon 1" in done.stderr.splitlines()


def test_a_csv_row_is_numbered_by_the_line_it_starts_on_after_a_cell_of_several_lines(
    tmp_path: Path,
) -> None:
    """`row` is the line in the file (README); a quoted cell of three lines shifted every
    later row by two, so an error pointed at the wrong patient's line."""
    source = tmp_path / "multiline.csv"
    source.write_text('id,age\n"a\nb\nc",40\nd,41\n\ne,x\n')
    done = kneeguide("batch", str(source), "--region", "JP")
    rows = [(r["row"], r["id"]) for r in map(json.loads, done.stdout.splitlines())]
    assert rows == [(2, "a\nb\nc"), (5, "d"), (7, "e")]
    assert "errors: 1 (rows 7)" in done.stderr


def test_the_problems_of_an_answers_file_come_in_the_files_order(tmp_path: Path) -> None:
    """A duplicate key (found by the parser) was listed before everything the checker found."""
    source = tmp_path / "bad.yaml"
    source.write_text("age: 10:00\nside: up\nfoo: 1\nage: 3\ncalf_pain: maybe\n")
    done = kneeguide("assess", "-f", str(source), "--region", "JP")
    lines = [int(line.split(":")[2]) for line in done.stderr.splitlines() if str(source) in line]
    assert done.returncode == 2 and lines == [1, 2, 3, 4, 5]


def test_an_id_given_twice_with_a_does_not_hide_the_other_problems() -> None:
    done = kneeguide("assess", "-a", "age=10:00", "-a", "age=5", "-a", "bogus=1")
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "kneeguide: -a duplicate key 'age': answered twice",
        f"kneeguide: -a age: '10:00' is not valid; {AGE_RANGE}",
        "kneeguide: -a unknown question id 'bogus'",
    ]


def test_a_refused_batch_input_is_one_line_without_the_region_note_before_it(tmp_path: Path) -> None:
    source = tmp_path / "dup.csv"
    source.write_text("id,age,age\nx,1,2\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LANG", "LC_"))}
    done = subprocess.run(
        [sys.executable, "-m", "kneeguide", "batch", str(source)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**env, "KNEEGUIDE_CONFIG": os.devnull},
    )
    assert done.returncode == 2
    assert done.stderr.splitlines() == [f"kneeguide: {source}:1:3: duplicate key 'age': answered twice"]
