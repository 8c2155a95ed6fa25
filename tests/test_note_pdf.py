"""The HTML note printed to PDF by headless Chromium: one or two A4 pages, text extractable.

Needs Debian's chromium and poppler-utils (.ci/run installs them); skipped where absent.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest

from kneeguide.api import assess, load_rules
from kneeguide.ids import NoteFormat
from kneeguide.render import render_note

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    not (CHROMIUM and shutil.which("pdftotext") and shutil.which("pdfinfo")),
    reason="needs chromium and poppler-utils",
)


def print_pdf(html: str, tmp_path: Path) -> Path:
    source = tmp_path / "note.html"
    source.write_text(html, encoding="utf-8")
    pdf = tmp_path / "note.pdf"
    assert CHROMIUM is not None
    subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            source.as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert pdf.exists() and pdf.stat().st_size > 1000, "chromium produced no PDF"
    return pdf


@pytest.mark.parametrize(
    ("lang", "answers", "expect"),
    [
        ("en", {"age": 64, "calf_swelling": "yes", "recent_surgery": "yes"}, "blood clot"),
        ("ja", {"age": 64, "calf_swelling": "yes", "recent_surgery": "yes"}, "血栓"),
    ],
)
def test_the_html_note_prints_on_one_or_two_a4_pages_with_the_red_flag_text(
    lang: str, answers: dict[str, str], expect: str, tmp_path: Path
) -> None:
    rules = load_rules()
    result = assess(answers, rules=rules, lang=lang)
    html = render_note(NoteFormat.HTML, result, rules, when=datetime(2026, 11, 28, 9, 0))
    pdf = print_pdf(html, tmp_path)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert 1 <= pages <= 2, info
    assert size and abs(float(size.group(1)) - 595) < 3 and abs(float(size.group(2)) - 842) < 3, "A4"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert expect in text.replace("\n", "")
