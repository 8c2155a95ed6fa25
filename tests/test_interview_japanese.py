"""The interview in Japanese reads as software written in Japanese (issue 15).

What a Japanese reader meets during ``kneeguide interview --lang ja`` is all the
interview's own: the questions, the key hints and the answers echoed once a prompt is
done ("(Y/n)" and "Yes" were questionary's English constants), the separators it joins
texts with, the country question, the offers to save, what it says when a file cannot
be written, and how to resume after Ctrl-C. Three layers, cheapest first:

* the prompts in-process, drawn into a VT100 screen emulator (pyte) at 50 and 80
  columns, so what is checked is what the terminal shows;
* the loop and the save offers with a scripted person;
* the real program on a pseudo-terminal, answered through to the report, lay and
  practitioner, full-screen and ``--plain``, at 50 and 80 columns, every screen
  scanned (tests/japanese.py) for English words, Western punctuation between Japanese
  phrases, lines starting with 、。」） and words cut across lines.

The report itself goes to a file here (``> report.txt``): its text is the renderers'
and test_japanese_output.py scans it. The emergency panel, which the interview shows
on the terminal but the renderer draws, is left out of the scan for the same reason.
"""

from __future__ import annotations

import errno
import io
import shlex
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyte
import pytest
from japanese import Hit, scan, unique, words
from japanese_scan import STORIES, FullScreen, Plain, Recorder, kept
from os_faults import refuse_creating
from prompt_toolkit.data_structures import Size
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output.vt100 import Vt100_Output
from screen import DOWN, TERMINAL_ENV, Screen, block, none_of_the_first_list
from test_interview import Person
from wcwidth import wcswidth, wcwidth

from kneeguide.cli.interview import command_lines, offer_saves, save_failed
from kneeguide.files import WriteError, write_atomic
from kneeguide.ids import Audience
from kneeguide.interview.loop import Interview
from kneeguide.interview.plain import PlainAsker
from kneeguide.interview.prompts import HELP, Checklist, Single, parse_number
from kneeguide.interview.session import Session
from kneeguide.interview.terminal import TerminalAsker
from kneeguide.render.wrap import hang, wrap
from kneeguide.ruleset.model import RuleSet, expected_text, pick

pty = pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")

WIDTHS = (50, 80)
ITEMS = (("calf_swelling", "ふくらはぎが腫れていますか？"), ("calf_pain", "ふくらはぎが痛みますか？"))


# --- the prompts, drawn in-process ----------------------------------------------------------------


@dataclass
class Drawn:
    """A prompt as the terminal showed it: once drawn (``opened``), after the keys while it
    was still open (``typed``: an error message, say), and at the end (``done``); and the
    reply (EOFError when the keys left the prompt open)."""

    reply: Any
    opened: list[str]
    typed: list[str]
    done: list[str]


def drawn(rules: RuleSet, lang: str, width: int, keys: str, ask: Any) -> Drawn:
    """``ask(asker)`` on a terminal ``width`` columns wide, ``keys`` typed from another
    thread once the prompt is on screen, as a person types them after reading it."""
    out = io.StringIO()
    seen: list[list[str]] = []

    def settled() -> list[str]:
        deadline, before = time.monotonic() + 10, ""
        while time.monotonic() < deadline:
            time.sleep(0.05)
            now = out.getvalue()
            if now and now == before:  # drawn, and nothing more is coming
                break
            before = now
        return rows_of(before, width)

    def person(pipe: Any) -> None:
        seen.append(settled())
        pipe.send_text(keys)
        seen.append(settled())
        pipe.close()

    with create_pipe_input() as pipe:
        output = Vt100_Output(out, lambda: Size(rows=40, columns=width), term="xterm")
        asker = TerminalAsker(rules, lang, input=pipe, output=output)
        typing = threading.Thread(target=person, args=(pipe,))
        typing.start()
        try:
            reply: Any = ask(asker)
        except EOFError:
            reply = EOFError
        typing.join()
    return Drawn(reply, seen[0], seen[1], rows_of(out.getvalue(), width))


def rows_of(written: str, width: int) -> list[str]:
    """What a terminal ``width`` columns wide shows after ``written``: its rows with text."""
    screen = pyte.Screen(width, 40)
    pyte.Stream(screen).feed(written)
    return [row.rstrip() for row in cells(screen) if row.strip()]


def cells(screen: pyte.Screen) -> list[str]:
    """The rows as text: pyte keeps a wide character's second column as a blank cell."""
    rows = []
    for y in range(screen.lines):
        row, skip = [], False
        for x in range(screen.columns):
            if skip:
                skip = False
                continue
            char = screen.buffer[y][x].data
            skip = bool(char) and wcwidth(char[0]) == 2
            row.append(char)
        rows.append("".join(row))
    return rows


def hits_on(rows: list[str], rules: RuleSet) -> list[Hit]:
    return unique(scan("\n".join(rows), vocabulary=vocabulary(rules), kept=kept()))


_VOCABULARY: dict[int, frozenset[str]] = {}


def vocabulary(rules: RuleSet) -> frozenset[str]:
    """The ASCII words of every Japanese text the interview can show (to tell a word cut
    across lines from two words broken at their space)."""
    if id(rules) not in _VOCABULARY:
        texts = [rules.message(key, "ja") for key in rules.messages]
        for q in rules.questions.values():
            texts += [pick(q.wording(a), "ja") for a in Audience] + [pick(c.text, "ja") for c in q.choices]
            texts += [pick(q.help, "ja")] if q.help else []
        _VOCABULARY[id(rules)] = frozenset(words(*texts))
    return _VOCABULARY[id(rules)]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(("default", "keys", "answer"), [(False, "n", False), (True, "\r", True)])
def test_a_yes_no_question_says_its_keys_and_its_answer_in_japanese(
    rules: RuleSet, width: int, default: bool, keys: str, answer: bool
) -> None:
    ask = lambda a: a.confirm(rules.message("offer_save_assessment", "ja"), default)  # noqa: E731
    hint = rules.message("confirm_default_yes" if default else "confirm_default_no", "ja")

    shown = drawn(rules, "ja", width, keys, ask)
    reply, open_rows, rows = shown.reply, shown.opened, shown.done
    assert any(hint in row for row in open_rows), open_rows
    assert reply is answer
    echo = rules.message("confirm_yes" if answer else "confirm_no", "ja")
    assert rows[-1].strip() == echo == ("はい" if answer else "いいえ")
    for screen in (open_rows, rows):
        assert not hits_on(screen, rules), hits_on(screen, rules)
        assert not {"Yes", "No", "(Y/n)", "(y/N)"} & set(" ".join(screen).split())
        assert max(wcswidth(row) for row in screen) <= width


def test_in_english_the_yes_no_question_keeps_its_words(rules: RuleSet) -> None:
    ask = lambda a: a.confirm("Save the assessment as JSON?", False)  # noqa: E731
    shown = drawn(rules, "en", 80, "y", ask)
    assert "(y/N)" in " ".join(shown.opened)
    reply, rows = shown.reply, shown.done
    assert reply is True and rows[-1].strip() == "Yes"


def test_a_japanese_input_method_left_on_still_answers(rules: RuleSet) -> None:
    """Full-width ｙ, ６４, ？ and １　３ are what an input method in Japanese mode types."""
    assert drawn(rules, "ja", 50, "ｙ", lambda a: a.confirm("保存しますか？", False)).reply is True
    assert drawn(rules, "ja", 50, "Ｎ", lambda a: a.confirm("保存しますか？", True)).reply is False
    age = Single("age", "int", "年齢は何歳ですか？", None, (), "整数", 0, 120, True, None, "")
    assert parse_number(age, "６４") == 64
    assert parse_number(age, "？") == HELP

    def plain(typed: str) -> PlainAsker:
        return PlainAsker(rules, "ja", stdin=io.StringIO(typed), stderr=io.StringIO(), width=50)

    assert plain("ｙ\n").confirm("保存しますか？", False) is True
    assert plain("はい\n").confirm("保存しますか？", False) is True
    checklist = Checklist("leg", "次のいずれかに当てはまりますか？", ITEMS, (), "")
    assert plain("１　２\n").checklist(checklist) == ["calf_swelling", "calf_pain"]
    assert plain("１、２\n").checklist(checklist) == ["calf_swelling", "calf_pain"]


@pytest.mark.parametrize("width", WIDTHS)
def test_the_ticked_items_are_echoed_with_a_japanese_separator(rules: RuleSet, width: int) -> None:
    checklist = Checklist("leg", "次のいずれかに当てはまりますか？", ITEMS, (), "パート3／9：脚")
    shown = drawn(rules, "ja", width, " " + DOWN + " \r", lambda a: a.checklist(checklist))
    reply, rows = shown.reply, shown.done
    assert reply == ["calf_swelling", "calf_pain"]
    echoed = "".join(row.strip() for row in rows[rows.index("? 次のいずれかに当てはまりますか？") + 1 :])
    assert echoed == "ふくらはぎが腫れていますか？／ふくらはぎが痛みますか？"
    assert not hits_on(rows, rules)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(
    ("keys", "key"),
    [("\r", "checklist_empty"), (" " + DOWN * 2 + "\r", "checklist_none_and_item")],
    ids=["nothing ticked", "none of these and an item"],
)
def test_what_a_tick_list_says_when_it_cannot_be_submitted_is_japanese(
    rules: RuleSet, width: int, keys: str, key: str
) -> None:
    checklist = Checklist("leg", "次のいずれかに当てはまりますか？", ITEMS, (), "パート3／9：脚")
    shown = drawn(rules, "ja", width, keys, lambda a: a.checklist(checklist))
    assert shown.reply is EOFError  # not submitted: the list stays open, saying why
    assert block(shown.typed, hang(rules.message(key, "ja"), width, "  ")) is not None, shown.typed
    assert not hits_on(shown.typed, rules)


@pytest.mark.parametrize("width", WIDTHS)
def test_a_number_that_is_not_one_is_said_in_japanese(rules: RuleSet, width: int) -> None:
    age = rules.questions["age"]
    expected = expected_text(age, rules, "ja")
    wording = pick(age.lay, "ja")
    prompt = Single("age", "int", wording, None, (), expected, age.minimum, age.maximum, True, None, "")
    shown = drawn(rules, "ja", width, "六十四\r", lambda a: a.single(prompt))  # typed in kanji
    said = hang(rules.message("number_invalid", "ja").format(expected=expected), width, "  ")
    assert shown.reply is EOFError and block(shown.typed, said) is not None, shown.typed
    assert not hits_on(shown.typed, rules)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_file_name_is_typed_on_its_own_line_and_the_default_fits(rules: RuleSet, width: int) -> None:
    default = "kneeguide-assessment-20261130-0930.json"
    ask = lambda a: a.path(rules.message("ask_path", "ja"), default)  # noqa: E731
    shown = drawn(rules, "ja", width, "\r", ask)
    reply, open_rows, rows = shown.reply, shown.opened, shown.done
    assert open_rows[-2:] == ["? " + rules.message("ask_path", "ja"), "  > " + default]
    assert reply == default and rows[-1] == "  " + default


def test_the_pause_after_the_help_is_japanese_and_wrapped_between_phrases(rules: RuleSet) -> None:
    message = rules.message("help_continue", "ja")
    shown = drawn(rules, "ja", 20, " ", lambda a: a.pause(message))
    reply, rows = shown.reply, shown.done
    assert reply is None
    assert "".join(rows) == message and all(wcswidth(row) <= 20 for row in rows)
    assert not rows[0].startswith(" ")  # flush left, like the help above it
    assert not hits_on(rows, rules)


# --- the loop and the offers to save ---------------------------------------------------------------


@pytest.fixture()
def japanese_session(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rules: RuleSet) -> Iterator[Session]:
    monkeypatch.setenv("KNEEGUIDE_DATA_DIR", str(tmp_path))
    yield Session.new("practitioner", "JP", "ja", rules.digest)


class Asked(Person):
    """A person who keeps every prompt they were shown."""

    def __init__(self, story: dict[str, Any], script: list[tuple[str, Any]] | None = None) -> None:
        super().__init__(story, script)
        self.prompts: list[Single] = []

    def single(self, prompt: Single) -> Any:
        self.prompts.append(prompt)
        return super().single(prompt)


def test_the_country_choices_read_as_japanese(rules: RuleSet, japanese_session: Session) -> None:
    person = Asked({"region": "JP"})
    Interview(rules, japanese_session, person, ask_region=True).run()
    region = next(p for p in person.prompts if p.qid == "region")
    labels = [label for _, label in region.choices]
    assert [pick(r.name, "ja") for r in rules.regions.values()] == [label.split("：")[0] for label in labels]
    assert "日本：119番" in labels and not any("(" in label for label in labels)


def test_a_practitioner_reads_which_rules_use_an_answer_joined_as_japanese(
    rules: RuleSet, japanese_session: Session
) -> None:
    person = Asked({}, script=[("age", HELP)])
    Interview(rules, japanese_session, person).run()
    why = [line for text in person.shown for line in text.split("\n") if "この回答を使用するルール" in line]
    assert why and all("; " not in line for line in why)
    assert any("／" in line for line in why)  # the age feeds many rules


def test_a_file_that_cannot_be_written_is_said_in_japanese(rules: RuleSet, tmp_path: Path) -> None:
    target = tmp_path / "missing" / "note.html"
    with pytest.raises(WriteError) as info:
        write_atomic(target, "x")
    said = save_failed(rules, "ja", target, info.value)
    assert said == [f"{target} に保存できませんでした（フォルダーが存在しません）。"]
    # In English, the error as every command words it.
    assert save_failed(rules, "en", target, info.value) == [
        f"kneeguide: {line}" for line in info.value.lines()
    ]
    # A rarer failure keeps the system's words rather than hiding them.
    rare = WriteError(info.value.problems)
    rare.__context__ = OSError(errno.EIO, "Input/output error")
    assert "cannot write" in save_failed(rules, "ja", target, rare)[0]


def test_the_offers_to_save_speak_japanese_when_the_folder_is_read_only(
    rules: RuleSet, japanese_session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    refuse_creating(monkeypatch, tmp_path)
    japanese_session.answers.update({"age": 64, "calf_swelling": "yes"})
    person = Person({})
    person.path = lambda message, default: str(tmp_path / default)  # type: ignore[method-assign]
    from kneeguide.api import assess

    offer_saves(rules, japanese_session, assess(japanese_session.answers, rules=rules, lang="ja"), person)
    refused = [line for line in person.shown if "保存できませんでした" in line]
    assert len(refused) == 3 and all("この場所に書き込む権限がありません" in line for line in refused)


@pytest.mark.parametrize("width", (40, 50, 80))
def test_the_resume_command_is_broken_between_its_words_for_the_shell(width: int) -> None:
    path = "/home/someone/.local/share/kneeguide/sessions/20261130-093000.json"
    command = f"/home/someone/clinic/.venv/bin/kneeguide interview --resume {shlex.quote(path)}"
    lines = command_lines(command, width)
    # Within the width, but for a word wider than a line, which has one of its own.
    assert all(wcswidth(line) <= width or len(line.removesuffix("\\").split()) == 1 for line in lines), lines
    assert all(line.endswith(" \\") for line in lines[:-1]) and lines[0].startswith("  ")
    assert shlex.split(" ".join(line.removesuffix("\\") for line in lines)) == shlex.split(command)
    assert command_lines(command, len(command) + 2) == ["  " + command]  # room for it: one line


# --- the real program on a pseudo-terminal ----------------------------------------------------------


class ShortPaths(FullScreen):
    """Answers as japanese_scan's driver does, but names the note relative to the working
    folder, as a person would (a long temporary path is cut by the edge however it is drawn)."""

    def keys(self, kind: str, what: Any) -> str:
        return "\x15note.html\r" if kind == "path" else super().keys(kind, what)


class ShortPlainPaths(Plain):
    def reply(self, kind: str, what: Any) -> str:
        return "note.txt" if kind == "path" else super().reply(kind, what)


def interview(rules: RuleSet, folder: Path, audience: str, columns: int, plain: bool) -> list[str]:
    """The interview in Japanese on a terminal ``columns`` wide, the report to a file:
    every screen shown, less the emergency panel (the renderer's)."""
    argv = [sys.executable, "-m", "kneeguide", "interview", "--region", "JP", "--lang", "ja"]
    argv += ["--audience", audience] + (["--plain"] if plain else [])
    command = " ".join(shlex.quote(part) for part in argv) + " > report.txt"
    env = {
        **TERMINAL_ENV,
        "KNEEGUIDE_DATA_DIR": str(folder / "data"),
        "KNEEGUIDE_CONFIG": str(folder / "config.yaml"),
    }
    term = Recorder(["/bin/sh", "-c", "exec " + command], env=env, columns=columns, cwd=str(folder))
    try:
        if plain:
            ShortPlainPaths(rules, audience, STORIES[audience](), folder).run(term)
        else:
            ShortPaths(rules, audience, STORIES[audience](), folder).run(term)
    finally:
        term.stop()
    return [without_panel(text) for _, text in term.screens()]


def without_panel(screen: str) -> str:
    rows, out, inside = screen.split("\n"), [], False
    for row in rows:
        inside = inside or row.startswith("╭")
        if not inside:
            out.append(row)
        inside = inside and not row.startswith("╰")
    return "\n".join(out)


RUNS = [(a, w, p) for a in ("lay", "practitioner") for w in WIDTHS for p in (False, True)]


@pytest.fixture(scope="module")
def interviews(rules: RuleSet, tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, int, bool], Any]:
    """Every run, side by side (each is its own program, mostly waiting for the next key)."""
    folders = {
        run: tmp_path_factory.mktemp(f"{run[0]}-{run[1]}-{'plain' if run[2] else 'full'}") for run in RUNS
    }
    with ThreadPoolExecutor(max_workers=4) as pool:
        jobs = {run: pool.submit(interview, rules, folders[run], *run) for run in RUNS}
        return {run: (job.result(), folders[run]) for run, job in jobs.items()}


@pty
@pytest.mark.parametrize(
    ("audience", "columns", "plain"), RUNS, ids=[f"{a}-{w}-{'plain' if p else 'full'}" for a, w, p in RUNS]
)
def test_every_screen_of_the_interview_reads_as_japanese(
    rules: RuleSet, interviews: dict[tuple[str, int, bool], Any], audience: str, columns: int, plain: bool
) -> None:
    screens, folder = interviews[audience, columns, plain]
    found: list[Hit] = []
    for screen in screens:
        found += scan(screen, vocabulary=vocabulary(rules), kept=kept())
    found = unique(found)
    assert not found, "\n".join(str(hit) for hit in found)
    shown = "\n".join(screens)
    assert all(wcswidth(row) <= columns for row in shown.split("\n"))
    # Through to the report, the offers to save answered in Japanese, and the letter written.
    heading = rules.message("heading_triage" if audience == "practitioner" else "heading_level", "ja")
    assert heading in (folder / "report.txt").read_text(encoding="utf-8")
    assert (folder / ("note.txt" if plain else "note.html")).exists()
    assert rules.message("saved_to", "ja").split("{")[0] in shown
    # The yes/no questions said their keys in Japanese (the line prompts too) ...
    joined = "".join(shown.split())
    assert rules.message("confirm_default_no", "ja") in joined
    assert "y/N" not in joined and "Y/n" not in joined
    if not plain:  # ... and the full-screen ones echoed the answer in Japanese
        assert "\n  いいえ" in shown


def japanese_interview(tmp_path: Path, *args: str, columns: int) -> Screen:
    """``kneeguide interview --lang ja ARGS`` in a locale that names no country. The
    configuration file is in a folder with a short name, as ~/.config/kneeguide is: its
    path is shown when the country is remembered, and pytest's folders are longer than
    a 50-column line (a path is the one word that may be cut)."""
    config = Path(tempfile.mkdtemp(prefix="kg-")) / "config.yaml"
    return Screen(
        [sys.executable, "-m", "kneeguide", "interview", "--lang", "ja", *args],
        env={
            **TERMINAL_ENV,
            "LANG": "C.UTF-8",
            "LC_ALL": "",
            "KNEEGUIDE_DATA_DIR": str(tmp_path / "data"),
            "KNEEGUIDE_CONFIG": str(config),
        },
        columns=columns,
        cwd=str(tmp_path),
    )


@pty
@pytest.mark.parametrize("columns", WIDTHS)
def test_the_country_question_and_the_offer_to_remember_it_are_japanese(
    tmp_path: Path, rules: RuleSet, columns: int
) -> None:
    term = japanese_interview(tmp_path, columns=columns)
    try:
        rows = term.wait("日本：119番", "the country question")
        asked = rows[: max(i for i, row in enumerate(rows) if row.strip()) + 1]
        term.send("\r")
        remember = rules.message("confirm_default_yes", "ja")
        rows = term.wait(lambda rows: any(remember in row for row in rows), "the offer to remember")
        asked += [row for row in rows if row.strip()]
        term.send("\r")
        rows = term.wait(rules.message("checklist_none", "ja"), "the first tick-list")
        answered = [row for row in rows if row.strip()]
    finally:
        term.stop()
    for screen in (asked, answered):
        assert not hits_on(screen, rules), hits_on(screen, rules)
        assert all(wcswidth(row) <= columns for row in screen)
    assert "  日本：119番" in asked  # the echoed choice
    assert "  はい" in answered  # the echoed yes, not "Yes"


@pty
@pytest.mark.parametrize("columns", WIDTHS)
def test_ctrl_c_says_how_to_resume_in_japanese_with_a_command_that_fits(
    tmp_path: Path, rules: RuleSet, columns: int
) -> None:
    term = japanese_interview(tmp_path, "--region", "JP", columns=columns)
    try:
        term.wait(rules.message("checklist_none", "ja"), "the first tick-list")
        term.send(none_of_the_first_list(rules))
        term.wait(rules.message("number_hint", "ja")[:10], "the next prompt")
        term.send("\x03")
        assert term.finish() == 130
    finally:
        term.stop()
    said = rules.message("interrupted", "ja").split("{")[0]
    rows = [row for row in term.lines() if row.strip()]
    assert not hits_on(rows[next(i for i, row in enumerate(rows) if row.startswith(said)) :], rules)
    # The lines as written (the terminal cuts a path wider than the screen; that cut is
    # the terminal's own, and copying the text joins it up again).
    written = term.output.replace("\r", "").split(said, 1)[1].strip("\n").split("\n")
    assert all(wcswidth(line) <= columns or len(line.removesuffix("\\").split()) == 1 for line in written)
    (session,) = (tmp_path / "data" / "sessions").glob("*.json")
    typed = shlex.split(" ".join(line.removesuffix("\\") for line in written))
    assert typed[-3:] == ["interview", "--resume", str(session)]


@pty
def test_a_damaged_session_is_said_in_japanese(tmp_path: Path, rules: RuleSet) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "kneeguide-session", "answers": {', encoding="utf-8")
    term = japanese_interview(tmp_path, "--resume", str(broken), columns=80)
    try:
        assert term.finish() == 2
    finally:
        term.stop()
    said = "".join(term.text().split())  # the path may be cut by the edge: joined up
    assert said.endswith(f"{broken}:1:45:{rules.message('session_damaged', 'ja')}"), said


@pty
def test_a_resumed_interview_says_in_japanese_that_the_rules_changed(tmp_path: Path, rules: RuleSet) -> None:
    saved = tmp_path / "saved.json"
    session = Session(saved, "lay", "JP", "ja", "sha256:" + "0" * 64, answers={"age": 64}, steps=[["age"]])
    session.save()
    term = japanese_interview(tmp_path, "--resume", str(saved), columns=50)
    try:
        rows = term.wait(rules.message("checklist_none", "ja"), "the first tick-list")
    finally:
        term.stop()
    note = wrap(rules.message("resume_rules_changed", "ja"), 50)
    assert len(note) > 1 and block(rows, note) is not None, rows  # wrapped between phrases
    assert not hits_on(rows, rules)


def test_without_a_terminal_the_interview_says_so_in_japanese(rules: RuleSet) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "kneeguide", "interview", "--lang", "ja"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr == f"kneeguide: {rules.message('no_terminal', 'ja')}\n"
