"""The HTML referral letter printed to PDF by headless Chromium, counted in A4 pages.

Every vignette's letter prints on at most 2 pages in both languages, its appendix (which
starts on a page of its own) on at most 2 more; the three golden stories' letters on 1.
One Chromium process prints them all, driven over its DevTools pipe
(``--remote-debugging-pipe``: JSON messages on file descriptors 3 and 4, no network
port), a few pages at a time. Set ``KNEEGUIDE_NOTE_PNG=DIR`` to keep every page as a
PNG to look at.

Needs Debian's chromium and poppler-utils (.ci/run installs them); skipped where absent.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import re
import select
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from chromium import CHROMIUM, headless, print_pdf
from test_notes import CLINIC, STORIES, WHEN
from vignette_report import load_vignettes

from kneeguide.api import assess, load_rules
from kneeguide.cli.notes import for_clinician
from kneeguide.ids import NoteFormat
from kneeguide.inputs.clinic import load_clinic
from kneeguide.render import render_note
from kneeguide.render.note import build, draw

pytestmark = pytest.mark.skipif(
    not (CHROMIUM and shutil.which("pdftotext") and shutil.which("pdfinfo")) or sys.platform == "win32",
    reason="needs chromium and poppler-utils",
)
TIMEOUT = 60.0  # seconds for any one answer of the browser
AT_ONCE = 4  # pages printed side by side: two processors keep busy while a page lays out


class Browser:
    """One headless Chromium, printing HTML files to PDF over its DevTools pipe."""

    def __init__(self, profile: Path) -> None:
        to_browser, self._commands = os.pipe()
        self._replies, from_browser = os.pipe()

        def on_3_and_4() -> None:  # the pipe Chromium reads (3) and writes (4)
            os.dup2(to_browser, 3)
            os.dup2(from_browser, 4)

        self.process = subprocess.Popen(
            headless(profile, "--remote-debugging-pipe", "about:blank"),
            pass_fds=(3, 4),
            preexec_fn=on_3_and_4,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_browser)
        os.close(from_browser)
        self._buffer = b""
        self._sent = 0
        self._answers: dict[int, dict[str, Any]] = {}
        self._loaded: set[str] = set()

    def _receive(self) -> None:
        while b"\0" not in self._buffer:
            ready, _, _ = select.select([self._replies], [], [], TIMEOUT)
            chunk = os.read(self._replies, 1 << 20) if ready else b""
            if not chunk:
                raise RuntimeError("chromium stopped answering")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        reply = json.loads(message)
        if "id" in reply:
            self._answers[reply["id"]] = reply
        elif reply.get("method") == "Page.loadEventFired":
            self._loaded.add(reply["sessionId"])

    def send(self, method: str, session: str | None = None, **params: Any) -> int:
        self._sent += 1
        message: dict[str, Any] = {"id": self._sent, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self._commands, json.dumps(message).encode() + b"\0")
        return self._sent

    def answer(self, sent: int) -> dict[str, Any]:
        while sent not in self._answers:
            self._receive()
        reply = self._answers.pop(sent)
        assert "error" not in reply, reply
        result: dict[str, Any] = reply["result"]
        return result

    def call(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        return self.answer(self.send(method, session, **params))

    def print_all(self, pages: list[Path]) -> list[bytes]:
        """The PDF of each HTML file, A4 as its ``@page`` rule says, laid out side by side."""
        tabs = []
        for page in pages:
            target = self.call("Target.createTarget", url="about:blank")["targetId"]
            session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
            self.call("Page.enable", session)
            self.call("Page.navigate", session, url=page.as_uri())
            tabs.append((target, session))
        while not all(session in self._loaded for _, session in tabs):
            self._receive()
        printing = [
            self.send("Page.printToPDF", s, preferCSSPageSize=True, printBackground=True) for _, s in tabs
        ]
        pdfs = [base64.b64decode(self.answer(sent)["data"]) for sent in printing]
        for target, session in tabs:
            self._loaded.discard(session)
            self.call("Target.closeTarget", targetId=target)
        return pdfs

    def close(self) -> None:
        with contextlib.suppress(RuntimeError, OSError):  # it may be gone already
            self.call("Browser.close")
        os.close(self._commands)
        os.close(self._replies)
        try:
            self.process.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    chromium = Browser(tmp_path_factory.mktemp("chromium"))
    yield chromium
    chromium.close()


def printed(browser: Browser, notes: dict[str, str], folder: Path) -> dict[str, list[str]]:
    """Each HTML note printed: the text of each of its pages (and its PNGs, if asked for)."""
    names = list(notes)
    for name in names:
        (folder / f"{name}.html").write_text(notes[name], encoding="utf-8")
    pngs = os.environ.get("KNEEGUIDE_NOTE_PNG")
    out: dict[str, list[str]] = {}
    for at in range(0, len(names), AT_ONCE):
        batch = names[at : at + AT_ONCE]
        for name, data in zip(batch, browser.print_all([folder / f"{n}.html" for n in batch]), strict=True):
            pdf = folder / f"{name}.pdf"
            pdf.write_bytes(data)
            text = subprocess.run(
                ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
            ).stdout
            out[name] = text.split("\f")[:-1]  # each page ends in a form feed
            if pngs:
                Path(pngs).mkdir(parents=True, exist_ok=True)
                subprocess.run(["pdftoppm", "-png", "-r", "80", str(pdf), str(Path(pngs) / name)], check=True)
    return out


def letter_pages(pages: list[str], lang: str) -> int:
    """The letter's pages: up to the one that ends it with the rule set's version and the
    disclaimer (an appendix of references alone may follow on that page; the anatomy and
    the evidence start a page of their own)."""
    rules = load_rules()
    disclaimer = re.sub(r"\s+", "", rules.message("disclaimer", lang))[:16]
    ends = [rules.version, disclaimer]
    return 1 + max(n for n, text in enumerate(pages) if any(e in re.sub(r"\s+", "", text) for e in ends))


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_every_vignettes_letter_prints_on_at_most_two_a4_pages_and_its_appendix_on_two_more(
    browser: Browser, tmp_path: Path, lang: str
) -> None:
    """With the clinic profile as sender and a patient name: the longest head there is."""
    rules = load_rules()
    notes = {}
    for path, vignette in load_vignettes():
        result = assess(
            vignette["answers"],
            rules=rules,
            region=vignette.get("region"),
            audience=vignette.get("audience", "lay"),
            lang=lang,
        )
        result = for_clinician(result, rules)  # as the commands write it
        blocks = build(result, rules, when=WHEN, patient="Test Patient", clinic=CLINIC)
        notes[f"{path.stem}-{lang}"] = draw(NoteFormat.HTML, blocks, rules, lang)
    pages = printed(browser, notes, tmp_path)
    assert len(pages) == len(notes) >= 100
    letters = {name: letter_pages(text, lang) for name, text in pages.items()}
    appendices = {name: len(text) - letters[name] for name, text in pages.items()}
    assert {n: p for n, p in letters.items() if not 1 <= p <= 2} == {}
    assert {n: p for n, p in appendices.items() if p > 2} == {}
    print(  # the figures, for the record (pytest -s)
        f"\n{lang}: letters by pages {sorted(Counter(letters.values()).items())};"
        f" appendices {sorted(Counter(appendices.values()).items())};"
        f" both {sorted(Counter(map(len, pages.values())).items())}"
    )


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_golden_stories_letters_print_on_one_page(browser: Browser, tmp_path: Path, lang: str) -> None:
    """As the commands write them, with the README's example clinic profile as sender."""
    notes = {}
    rules = load_rules()
    example = load_clinic(Path(__file__).parent.parent / "examples" / "clinic-tokyo.yaml")
    for story, answers in STORIES.items():
        result = for_clinician(assess(answers, rules=rules, lang=lang), rules)
        blocks = build(result, rules, when=WHEN, patient="Test Patient", clinic=example, appendix=False)
        notes[f"{story}-{lang}"] = draw(NoteFormat.HTML, blocks, rules, lang)
    pages = printed(browser, notes, tmp_path)
    assert {name: len(text) for name, text in pages.items()} == {name: 1 for name in notes}
    for name, (text,) in pages.items():
        sender = {"en": "Fuji Wellness", "ja": "富士ウェルネス鍼灸院"}[lang]  # named per language
        assert "Test Patient" in text and sender in text, name
        assert re.search(r"1\s*/\s*1", text), "the running footer numbers the page"


def test_an_unfinished_interviews_letter_says_so_on_every_printed_page(
    browser: Browser, tmp_path: Path
) -> None:
    rules = load_rules()
    vignette = next(v for p, v in load_vignettes() if p.stem.startswith("52_"))
    result = assess(vignette["answers"], rules=rules, region=vignette.get("region"))
    blocks = build(result, rules, when=WHEN, clinic=CLINIC, incomplete=True)
    pages = printed(browser, {"unfinished": draw(NoteFormat.HTML, blocks, rules, "en")}, tmp_path)[
        "unfinished"
    ]
    mark = rules.message("note_incomplete", "en")
    assert len(pages) >= 2, "a letter over several pages"
    assert [n for n, text in enumerate(pages, 1) if mark not in text.replace("\n", " ")] == []


@pytest.mark.parametrize(
    ("lang", "answers", "expect"),
    [
        ("en", {"age": 64, "calf_swelling": "yes", "recent_surgery": "yes"}, "blood clot"),
        ("ja", {"age": 64, "calf_swelling": "yes", "recent_surgery": "yes"}, "血栓"),
    ],
)
def test_the_command_line_print_gives_a4_pages_with_the_red_flag_text(
    lang: str, answers: dict[str, str], expect: str, tmp_path: Path
) -> None:
    """As a person prints it: ``chromium --print-to-pdf``, the note of ``render_note``."""
    rules = load_rules()
    result = assess(answers, rules=rules, lang=lang)
    source = tmp_path / "note.html"
    source.write_text(render_note(NoteFormat.HTML, result, rules, when=datetime(2026, 11, 28, 9, 0)), "utf-8")
    pdf = print_pdf(source, tmp_path)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert 1 <= pages <= 2, info  # the letter on one page, its references on the next
    assert size and abs(float(size.group(1)) - 595) < 3 and abs(float(size.group(2)) - 842) < 3, "A4"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert expect in text.replace("\n", "")


#: What Japanese line breaking never puts at the start of a line (kinsoku).
CLOSING = tuple("、。」）")


@pytest.mark.parametrize("story", sorted(STORIES))
def test_the_japanese_letter_prints_on_page_one_its_appendix_after_with_no_line_starting_with_a_stop(
    browser: Browser, tmp_path: Path, story: str
) -> None:
    """The 紹介状 as the commands write it, with a Japanese clinic as sender, printed with a
    CJK font: the letter fills page 1 and the appendix starts on page 2; Chromium breaks
    between phrases (``word-break: auto-phrase``) and never before 、。」） (``line-break:
    strict``). Keep the pages to look at: KNEEGUIDE_NOTE_PNG=DIR."""
    rules = load_rules()
    result = for_clinician(assess(STORIES[story], rules=rules, lang="ja"), rules)
    notes = {
        f"{story}-ja{suffix}": draw(
            NoteFormat.HTML,
            build(result, rules, when=WHEN, patient="田中 花子", clinic=CLINIC, appendix=not suffix),
            rules,
            "ja",
        )
        for suffix in ("", "-no-appendix")
    }
    pages = printed(browser, notes, tmp_path)
    whole, letter = pages[f"{story}-ja"], pages[f"{story}-ja-no-appendix"]
    assert len(letter) == 1 and letter_pages(whole, "ja") == 1
    assert "紹介状" in letter[0] and "富士ウェルネス鍼灸院" in letter[0]
    closing, appendix = rules.message("note_closing", "ja"), rules.message("note_heading_references", "ja")
    assert closing in letter[0].replace("\n", "")
    first = whole[0].replace("\n", "")
    assert closing in first and (appendix not in first or first.index(closing) < first.index(appendix))
    starts = [line for text in whole for line in text.splitlines() if line.lstrip().startswith(CLOSING)]
    assert starts == []
