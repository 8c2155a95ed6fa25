"""Encodings said out loud: every text input is UTF-8 (a BOM allowed), UTF-16/32 with a BOM, or
the encoding named with ``--encoding``; anything else is refused in one line that names the
encoding the bytes look like and the option that reads them, never decoded with U+FFFD.

Each fault is a small file under ``tests/inputs/encodings/`` (made by the table below's
author with Python's own codecs), run through the real ``kneeguide`` command.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kneeguide.batch.csv_records import read_csv
from kneeguide.batch.lines import Overlong, file_lines, lines_of
from kneeguide.errors import InputError
from kneeguide.inputs.encoding import Decoder, decode
from kneeguide.inputs.encoding_guess import guess

INPUTS = Path(__file__).parent / "inputs" / "encodings"
NAMES = ["佐藤", "高橋"]


def kneeguide(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-m", "kneeguide", *args],
        input=stdin if stdin is not None else b"",
        capture_output=True,
        timeout=120,
        env={**os.environ, "NO_COLOR": "1"},
    )
    return subprocess.CompletedProcess(
        done.args, done.returncode, done.stdout.decode("utf-8"), done.stderr.decode("utf-8")
    )


def records(done: subprocess.CompletedProcess[str]) -> list[dict[str, Any]]:
    return [json.loads(line) for line in done.stdout.splitlines()]


def refused(done: subprocess.CompletedProcess[str], *said: str) -> str:
    """Exit 2, nothing on stdout, one ``kneeguide:`` line saying each of ``said``."""
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    lines = [line for line in done.stderr.splitlines() if line.startswith("kneeguide: ")]
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    for part in said:
        assert part in lines[0], (part, lines[0])
    return lines[0]


# --- what is read ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "utf8-bom.csv",
        "utf8-bom.jsonl",
        "utf16le-bom.csv",  # Excel's "Unicode text", PowerShell's Export-Csv -Encoding Unicode
        "utf16be-bom.csv",
        "utf16le-bom.jsonl",  # Windows PowerShell 5's `>`
        "utf32le-bom.jsonl",
    ],
)
def test_utf8_with_a_bom_and_utf16_or_32_with_a_bom_are_read_as_they_are(name: str) -> None:
    done = kneeguide("batch", str(INPUTS / name))
    assert done.returncode == 0, done.stderr
    out = records(done)
    assert [r["id"] for r in out] == NAMES and all(r["ok"] for r in out)
    assert out[0]["level"] == "urgent"  # calf swelling: the answers were read, not just the ids


@pytest.mark.parametrize(("name", "place"), [("cp932.csv", "2:1"), ("cp932.jsonl", "1:9")])
def test_shift_jis_from_japanese_excel_is_refused_naming_cp932_and_read_with_encoding(
    name: str, place: str
) -> None:
    """Japanese Excel's "CSV" is cp932: 佐藤 and 高橋 were both read as ���� (exit 0)."""
    line = refused(kneeguide("batch", str(INPUTS / name)), f"{name}:{place}: ", "cp932", "--encoding cp932")
    assert "\ufffd" not in line
    done = kneeguide("batch", str(INPUTS / name), "--encoding", "cp932")
    assert done.returncode == 0, done.stderr
    assert [r["id"] for r in records(done)] == NAMES


def test_an_answers_file_in_cp932_is_refused_and_read_with_encoding() -> None:
    refused(kneeguide("assess", "-f", str(INPUTS / "cp932-answers.yaml")), ":3:", "--encoding cp932")
    done = kneeguide(
        "assess", "-f", str(INPUTS / "cp932-answers.yaml"), "--encoding", "cp932", "--format", "json"
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["answers"] == {"age": 64, "calf_swelling": "yes", "sex": "male"}


def test_piped_cp932_answers_name_the_command_that_reads_them() -> None:
    data = (INPUTS / "cp932-answers.yaml").read_bytes()
    refused(kneeguide(stdin=data), "<stdin>:3:", "kneeguide assess -f - --encoding cp932")
    done = kneeguide("assess", "-f", "-", "--encoding", "cp932", "--format", "json", stdin=data)
    assert done.returncode == 0 and json.loads(done.stdout)["answers"]["sex"] == "male"


def test_a_utf16_answers_file_from_powershell_is_read() -> None:
    done = kneeguide("assess", "-f", str(INPUTS / "utf16le-bom-answers.json"), "--format", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["answers"] == {"age": 64, "calf_swelling": "yes"}


# --- what is refused, before any record ------------------------------------------------------------


@pytest.mark.parametrize("name", ["utf16le-nobom.jsonl", "utf16le-nobom.csv"])
def test_utf16_without_a_bom_is_one_line_naming_utf16_not_bad_rows(name: str) -> None:
    """It was refused as three bad rows, without a word about UTF-16."""
    refused(kneeguide("batch", str(INPUTS / name)), f"{name}:", "utf-16-le", "--encoding utf-16-le")
    done = kneeguide("batch", str(INPUTS / name), "--encoding", "utf-16-le")
    assert done.returncode == 0 and all(r["ok"] for r in records(done)), done.stderr


def test_invalid_utf8_in_a_file_refuses_the_file_naming_line_and_byte_before_any_record(
    tmp_path: Path,
) -> None:
    """It was read with U+FFFD, exit 0. A file is checked whole first: nothing is written, not even
    the records before the bad line, and an OUTPUT file is not created."""
    out = tmp_path / "out.jsonl"
    done = kneeguide("batch", str(INPUTS / "invalid-utf8.jsonl"), "-o", str(out))
    refused(done, "invalid-utf8.jsonl:2:21: invalid UTF-8 (byte 0xff)")
    assert not out.exists()
    refused(kneeguide("batch", str(INPUTS / "invalid-utf8.jsonl"), "--output-format", "csv"), ":2:21:")


def test_invalid_utf8_from_a_pipe_stops_at_its_line_after_the_records_before_it() -> None:
    done = kneeguide("batch", "-", stdin=(INPUTS / "invalid-utf8.jsonl").read_bytes())
    assert done.returncode == 2 and [r["id"] for r in records(done)] == ["a"]
    assert "<stdin>:2:21: invalid UTF-8 (byte 0xff)" in done.stderr


def test_a_nul_byte_is_refused_in_any_encoding() -> None:
    refused(kneeguide("assess", "-f", str(INPUTS / "nul-answers.yaml")), ":2:17:", "NUL")


def test_an_unknown_encoding_name_is_a_usage_error_line() -> None:
    done = kneeguide("batch", str(INPUTS / "cp932.csv"), "--encoding", "shift-jjs")
    assert done.returncode == 2 and done.stdout == ""
    assert "unknown encoding 'shift-jjs'" in done.stderr and "Traceback" not in done.stderr
    assert kneeguide("assess", "--encoding", "rot13").returncode == 2  # a codec, but not of text


def test_bytes_not_valid_in_the_chosen_encoding_are_refused_too() -> None:
    refused(
        kneeguide("batch", str(INPUTS / "cp932.csv"), "--encoding", "ascii"), "cp932.csv:2:1: not valid ascii"
    )


# --- delimiters --------------------------------------------------------------------------------


def test_a_semicolon_csv_is_refused_naming_the_semicolon_and_read_with_delimiter() -> None:
    """European Excel writes ``;``: it was refused without naming the delimiter."""
    refused(
        kneeguide("batch", str(INPUTS / "semicolon.csv")), "semicolon.csv:1:", "semicolons", "--delimiter ';'"
    )
    done = kneeguide("batch", str(INPUTS / "semicolon.csv"), "--delimiter", ";")
    assert done.returncode == 0 and [r["id"] for r in records(done)] == NAMES


def test_a_tab_separated_file_is_read_with_delimiter_tab() -> None:
    refused(kneeguide("batch", str(INPUTS / "tab.csv")), "tabs", "--delimiter tab")
    done = kneeguide("batch", str(INPUTS / "tab.csv"), "--delimiter", "tab")
    assert done.returncode == 0 and [r["id"] for r in records(done)] == NAMES
    assert kneeguide("batch", str(INPUTS / "tab.csv"), "--delimiter", "x").returncode == 2


# --- bounded lines ---------------------------------------------------------------------------------


def test_a_line_of_a_few_mib_is_one_error_record_and_the_rest_goes_on(tmp_path: Path) -> None:
    """A 1 GiB line made batch use 4.2 GB; any line over 1 MiB is now one error record, read past
    without being held (a peak RSS measured by hand is in the report of issue 16)."""
    source = tmp_path / "long.jsonl"
    long = '{"id": "long", "note": "' + "x" * (3 * 1024 * 1024) + '"}\n'
    source.write_text('{"id": "a", "age": 30}\n' + long + '{"id": "b", "age": 31}\n', encoding="utf-8")
    done = kneeguide("batch", str(source))
    out = records(done)
    assert [(r["row"], r["ok"]) for r in out] == [(1, True), (2, False), (3, True)]
    assert "longer than 1,048,576 characters" in out[1]["errors"][0]["message"]
    csv_source = tmp_path / "long.csv"
    csv_source.write_text("id,age\na,30\nlong," + "9" * (2 * 1024 * 1024) + "\nb,31\n", encoding="utf-8")
    out = records(kneeguide("batch", str(csv_source)))
    assert [(r["row"], r["ok"]) for r in out] == [(2, True), (3, False), (4, True)]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(["a", "bb", "é", "\n", "\r", "\r\n", "x" * 9]), max_size=30).map("".join),
    st.integers(1, 7),
    st.integers(1, 12),
)
def test_every_line_over_the_limit_is_one_overlong_in_its_place(text: str, chunk: int, limit: int) -> None:
    """Whatever the chunks, the lines are those of the text, each one over ``limit`` replaced."""
    data = io.BytesIO(text.encode())
    got = ["*" if isinstance(x, Overlong) else x for x in lines_of(data.read, "t", None, limit, chunk)]
    assert got == ["*" if len(x) > limit else x for x in io.StringIO(text, newline="").readlines()]


def test_an_overlong_csv_header_refuses_the_file() -> None:
    lines = file_lines(io.BytesIO(b"id," + b"a" * 50 + b"\n1,2\n"), "h.csv", None, limit=20)
    with pytest.raises(InputError, match=r"h\.csv:1: line longer than 20"):
        read_csv(lines, ",", "h.csv")


# --- the decoder on its own ------------------------------------------------------------------------


@pytest.mark.parametrize("codec", ["utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_a_file_read_byte_by_byte_gives_the_text_decode_gives(codec: str) -> None:
    data = "\ufeff佐藤\r\n高橋\n".encode(codec)  # each with its byte order mark
    assert decode(data, "f") == "佐藤\r\n高橋\n"
    decoder = Decoder("f")
    pieces = [decoder.decode(data[i : i + 1]) for i in range(len(data))]
    assert "".join(pieces) + decoder.decode(b"", final=True) == "佐藤\r\n高橋\n"


@pytest.mark.parametrize(
    ("data", "place"),
    [
        (b"ab\ncd\xffe", "f:2:3:"),
        ("日本\n語".encode() + b"\xff", "f:2:2:"),
        (b"ok\n" * 30000 + b"\x80", "f:30001:1:"),  # far into the input: the count carries over pieces
    ],
)
def test_a_refusal_names_the_line_and_the_column_in_characters(data: bytes, place: str) -> None:
    with pytest.raises(InputError) as caught:
        list(lines_of(io.BytesIO(data).read, "f", chunk=1000))
    assert str(caught.value).startswith(place), str(caught.value)


def test_the_guess_prefers_cp932_for_short_japanese_windows_text() -> None:
    """charset-normalizer rates a few Japanese names as Korean cp949 as well: the tie goes to
    cp932, the encoding of Japanese Windows, kneeguide's other language. Binary data is no text."""
    found = guess("id,age\n佐藤,64\n高橋,30\n".encode("cp932"))
    assert found is not None and found.name == "cp932"
    assert guess(bytes(range(256)) * 16) is None
