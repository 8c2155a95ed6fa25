"""Any terminal: output whole in the stream's own encoding, never an encoding error.

A Japanese Windows console writes cp932 and a bare locale ASCII. The reports' box
corners, bullets and dashes have no code there (and in ASCII neither has Japanese); the
command used to stop with "internal error: UnicodeEncodeError", exit 1, nothing printed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

STORY = ("-a", "calf_swelling=yes", "-a", "age=70", "--region", "JP")


def run(encoding: str, *args: str, stdin: bytes | None = None) -> bytes:
    """``kneeguide ARGS`` with standard output in ``encoding``; its raw bytes (it must succeed)."""
    env = {**os.environ, "PYTHONIOENCODING": encoding}
    done = subprocess.run(
        [sys.executable, "-m", "kneeguide", *args], input=stdin, capture_output=True, timeout=60, env=env
    )
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    return done.stdout


@pytest.mark.parametrize("encoding", ["ascii", "cp932"])
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_json_assessment_is_the_same_data_in_any_encoding(encoding: str, lang: str) -> None:
    args = ("assess", *STORY, "--lang", lang, "--format", "json")
    expected = json.loads(run("utf-8", *args).decode("utf-8"))
    assert json.loads(run(encoding, *args).decode(encoding)) == expected


@pytest.mark.parametrize("encoding", ["ascii", "cp932"])
@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_a_report_in_english_is_readable_on_a_legacy_terminal(encoding: str, fmt: str) -> None:
    shown = run(encoding, "assess", *STORY, "--format", fmt).decode(encoding)
    assert "See a doctor today" in shown
    assert "Possible blood clot in a deep vein of the leg" in shown
    assert not {"\u2022", "\u2013", "\u256d", "\u2570"} & set(shown)


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_a_japanese_report_on_a_japanese_windows_console_keeps_every_word(fmt: str) -> None:
    """cp932 has every Japanese character of the report: only symbols become look-alikes."""
    shown = run("cp932", "assess", *STORY, "--lang", "ja", "--format", fmt).decode("cp932")
    assert "今日中" in shown
    assert "\\u" not in shown


def test_a_japanese_report_on_an_ascii_stream_shows_codes_not_nothing() -> None:
    shown = run("ascii", "assess", *STORY, "--lang", "ja").decode("ascii")
    assert "\\u4eca\\u65e5\\u4e2d" in shown  # 今日中, as codes: nothing dropped unseen


def test_the_html_note_on_a_legacy_stream_uses_character_references() -> None:
    story = json.dumps({"calf_swelling": "yes", "age": 70}).encode()
    shown = run("ascii", "note", "--answers", "-", "--region", "JP", "--format", "html", stdin=story)
    shown = shown.decode("ascii")
    assert "&#" in shown and "</html>" in shown


def test_the_question_catalogue_parses_the_same_in_any_encoding() -> None:
    args = ("questions", "--format", "json", "--lang", "ja")
    assert json.loads(run("ascii", *args).decode("ascii")) == json.loads(run("utf-8", *args).decode("utf-8"))


def test_look_alikes() -> None:
    from kneeguide.cli.streams import _look_alike

    assert [_look_alike(c, "ascii") for c in "\u256d\u2500\u2502\u2022\u2013\u00e9\u65e5"] == [
        "+",
        "-",
        "|",
        "*",
        "-",
        "e",
        "\\u65e5",
    ]


@pytest.mark.parametrize(
    ("kind", "written"), [("json", "2\\u301c6 \\u22120.28"), ("html", "2&#12316;6 &#8722;0.28")]
)
def test_a_character_a_code_page_reads_back_as_another_is_escaped_in_a_document(
    kind: str, written: str
) -> None:
    """cp932 writes 〜 and − with the bytes of ～ and －: text may show the look-alike, but a
    JSON or HTML document must read back as the very characters written."""
    import io
    import sys

    from kneeguide.cli import streams

    raw = io.BytesIO()
    saved = sys.stdout
    sys.stdout = io.TextIOWrapper(raw, encoding="cp932")
    try:
        streams.output_as(kind)  # type: ignore[arg-type]
        sys.stdout.write("2〜6 −0.28 今日中")
        sys.stdout.flush()
        shown = raw.getvalue().decode("cp932")
    finally:
        sys.stdout = saved
    assert shown == f"{written} 今日中"
