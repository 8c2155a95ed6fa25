"""The interview's prompts as a person meets them in a terminal.

Three layers, cheapest first: the wrapping (pure functions), the full-screen
prompts' keys in-process (prompt_toolkit fed through a pipe), and the real
program on a pseudo-terminal read through a screen emulator (tests/screen.py):
the Enter trap on the first tick-list, every choice whole at 50, 80 and 100
columns in English and Japanese, and no escape sequence at all with TERM=dumb
or --plain.
"""

from __future__ import annotations

import io
import json
import os
import re
import shlex
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pexpect
import pytest
from hypothesis import given
from hypothesis import strategies as st
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from screen import DOWN, TERMINAL_ENV, TIMEOUT, UP, Screen, block, progress
from test_interview_e2e import CAUDA_EQUINA_STORY, HAMSTRING_STORY
from wcwidth import wcswidth

from kneeguide.ids import Audience
from kneeguide.interview.flow import Flow
from kneeguide.interview.prompts import BACK, HELP, NONE, NOT_SURE, Checklist, Single
from kneeguide.interview.terminal import TerminalAsker
from kneeguide.render.phrases import phrases
from kneeguide.render.wrap import fit, hang, wrap
from kneeguide.ruleset.model import RuleSet, pick

pty = pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")

WIDTHS = (100, 80, 50)
LANGS = ("en", "ja")


def texts(rules: RuleSet, lang: str) -> list[str]:
    """Every question wording and choice the interview can show, in ``lang``."""
    out = []
    for q in rules.questions.values():
        out += [pick(q.wording(a), lang) for a in Audience]
        out += [pick(c.text, lang) for c in q.choices]
    return out


def joined(lines: list[str], lang: str) -> str:
    return ("" if lang == "ja" else " ").join(line.strip() for line in lines)


# --- wrapping --------------------------------------------------------------------------------------


@given(
    st.lists(st.text(st.characters(codec="utf-8", exclude_categories=["Cc", "Cs", "Z"]), min_size=1)),
    st.integers(min_value=2, max_value=120),  # a wide character needs two columns
)
def test_no_wrapped_line_is_wider_than_the_width_and_no_word_is_lost(words: list[str], width: int) -> None:
    text = " ".join(words)
    lines = wrap(text, width)
    assert all(wcswidth(line) <= width for line in lines)
    # Only a word wider than the line is ever cut; every character is kept, in order.
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_english_wraps_only_at_spaces(rules: RuleSet) -> None:
    for text in texts(rules, "en"):
        for width in (40, 50, 80):
            lines = wrap(text, width)
            assert " ".join(lines) == " ".join(text.split()), text
            assert all(wcswidth(line) <= width for line in lines)


def test_japanese_wraps_between_phrases_and_keeps_punctuation_off_the_line_start(rules: RuleSet) -> None:
    for text in texts(rules, "ja"):
        text = text.replace(" ", "")  # one run of phrases, so the lines join back exactly
        breaks = {0}
        for phrase in phrases(text):
            breaks.add(max(breaks) + len(phrase))
        for width in (40, 50, 80):
            lines = wrap(text, width)
            assert "".join(lines) == text
            assert all(wcswidth(line) <= width for line in lines)
            ends = [len("".join(lines[: i + 1])) for i in range(len(lines))]
            assert set(ends) <= breaks, f"broken inside a phrase: {lines}"
            assert not any(line[:1] in "、。）」？！・" for line in lines[1:]), lines


def test_a_word_budoux_cuts_off_one_kana_from_stays_whole() -> None:
    # BudouX reads the が of がまん (to hold in) as a particle: 便を|が|まん…
    text = "最近になって尿が出にくくなった、または尿や便をがまんできなくなったことがありますか？"
    for width in range(20, 100):
        assert "が\nまん" not in "\n".join(wrap(text, width)), width


def test_a_hanging_indent_puts_continuation_lines_under_the_text() -> None:
    text = "Do you have new trouble passing urine, or have you lost control of your bladder or bowels?"
    lines = hang(text, 40, " » ○ ")
    assert lines[0].startswith(" » ○ Do you")
    assert all(line.startswith("     ") and line[5] != " " for line in lines[1:])
    assert all(wcswidth(line) <= 40 for line in lines)
    assert joined([lines[0][5:], *lines[1:]], "en") == text


def test_fit_leaves_lines_that_fit_alone_and_hangs_the_others_under_their_marker() -> None:
    box = "╭──────╮\n│ 119  │\n╰──────╯"
    assert fit(box, 40) == box
    long = "  - " + "word " * 20
    out = fit("title\n" + long, 40).split("\n")
    assert out[0] == "title" and out[1].startswith("  - word")
    assert all(line.startswith("    word") for line in out[2:])
    assert all(wcswidth(line) <= 40 for line in out)


# --- the full-screen prompts, keys fed in-process --------------------------------------------------

ITEMS = (("calf_swelling", "Is your calf swollen?"), ("calf_pain", "Does your calf hurt?"))
# Rows: the two items, None of these, (separator), Not sure, Back, Help.
TO_NONE, TO_NOT_SURE, TO_BACK, TO_HELP = DOWN * 2, DOWN * 3, DOWN * 4, DOWN * 5


def asker(rules: RuleSet, keys: str) -> Iterator[TerminalAsker]:
    """An asker whose keyboard types ``keys`` and then closes: a prompt still open
    after them raises EOFError, so "did not submit" is an answer, not a hang."""
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        pipe.close()
        yield TerminalAsker(rules, "en", input=pipe, output=DummyOutput())


def tick_list(rules: RuleSet, keys: str, ticked: tuple[str, ...] = ()) -> list[str] | None:
    """The reply to a two-item tick-list, or None when the keys did not submit it."""
    prompt = Checklist("leg", "Do you have any of these?", ITEMS, ticked, "Part 3 of 9: Leg")
    for a in asker(rules, keys):
        try:
            return a.checklist(prompt)
        except EOFError:
            return None
    raise AssertionError("unreachable")


def test_enter_on_an_item_with_nothing_ticked_does_not_submit(rules: RuleSet) -> None:
    assert tick_list(rules, "\r") is None
    assert tick_list(rules, DOWN + "\r") is None
    # The prompt stayed: the person can still tick and confirm.
    assert tick_list(rules, "\r \r") == ["calf_swelling"]


def test_enter_on_none_of_these_says_no_to_every_item(rules: RuleSet) -> None:
    assert tick_list(rules, TO_NONE + "\r") == [NONE]
    assert tick_list(rules, TO_NONE + " " + UP * 2 + "\r") == [NONE]  # ticked, then Enter anywhere


def test_enter_on_not_sure_help_or_back_does_exactly_that(rules: RuleSet) -> None:
    assert tick_list(rules, TO_NOT_SURE + "\r") == [NOT_SURE]
    assert tick_list(rules, DOWN + " " + DOWN * 2 + "\r") == [NOT_SURE, "calf_pain"]
    assert tick_list(rules, " " + TO_BACK + "\r") == [BACK]
    assert tick_list(rules, TO_HELP + "\r") == [HELP]


def test_space_on_an_action_ticks_nothing(rules: RuleSet) -> None:
    assert tick_list(rules, TO_NOT_SURE + " \r") == [NOT_SURE]
    assert tick_list(rules, TO_BACK + " " + UP * 4 + "\r") is None


def test_none_of_these_and_an_item_are_never_ticked_together(rules: RuleSet) -> None:
    # Ticking "None of these" unticks the item ...
    assert tick_list(rules, " " + TO_NONE + " \r") == [NONE]
    # ... and ticking an item unticks "None of these".
    assert tick_list(rules, TO_NONE + " " + UP * 2 + " \r") == ["calf_swelling"]


def test_enter_on_none_of_these_with_an_item_ticked_does_not_submit(rules: RuleSet) -> None:
    assert tick_list(rules, DOWN + " " + DOWN + "\r") is None
    assert tick_list(rules, DOWN + " " + DOWN + "\r" + UP + "\r") == ["calf_pain"]


def test_earlier_ticks_start_ticked(rules: RuleSet) -> None:
    assert tick_list(rules, "\r", ticked=("calf_pain",)) == ["calf_pain"]


def test_an_earlier_none_of_these_starts_chosen(rules: RuleSet) -> None:
    prompt = Checklist("leg", "Do you have any of these?", ITEMS, (), "Part 3 of 9: Leg", none=True)
    for a in asker(rules, "\r"):
        assert a.checklist(prompt) == [NONE]
    for a in asker(rules, " \r"):  # ticking an item unticks it
        assert a.checklist(prompt) == ["calf_swelling"]


def test_ticks_survive_reading_the_help(rules: RuleSet) -> None:
    prompt = Checklist("leg", "Do you have any of these?", ITEMS, (), "Part 3 of 9: Leg")
    for a in asker(rules, DOWN + " " + DOWN * 4 + "\r" + UP * 5 + "\r"):
        assert a.checklist(prompt) == [HELP]
        assert a.checklist(prompt) == ["calf_pain"]


def yes_no(default: Any = None, offer_unsure: bool = True) -> Single:
    choices = (("yes", "Yes"), ("no", "No"))
    return Single("calf_swelling", "yn", "Is your calf swollen?", None, choices, "yes/no", None, None, False,
                  default, "Part 3 of 9: Leg", offer_unsure)  # fmt: skip


def test_a_single_question_points_at_the_earlier_answer(rules: RuleSet) -> None:
    for a in asker(rules, "\r"):
        assert a.single(yes_no(default="no")) == "no"
    for a in asker(rules, "\r"):  # an earlier "Not sure" is preselected too
        assert a.single(yes_no(default="unsure")) is None


def test_without_not_sure_the_choices_go_straight_to_back(rules: RuleSet) -> None:
    for a in asker(rules, DOWN * 2 + "\r"):
        assert a.single(yes_no(offer_unsure=False)) == BACK
    for a in asker(rules, DOWN * 2 + "\r"):
        assert a.single(yes_no()) is None  # "Not sure": unknown


# --- the real interview on a pseudo-terminal ------------------------------------------------------


def interview(tmp_path: Path, *args: str, columns: int, lang: str = "en", **env: str) -> Screen:
    return Screen(
        [sys.executable, "-m", "kneeguide", "interview", "--region", "JP", "--lang", lang, *args],
        env={
            **TERMINAL_ENV,
            "KNEEGUIDE_DATA_DIR": str(tmp_path / "data"),
            "KNEEGUIDE_CONFIG": str(tmp_path / "config.yaml"),
            **env,
        },
        columns=columns,
        cwd=str(tmp_path),
    )


@pytest.fixture
def screens() -> Iterator[list[Screen]]:
    started: list[Screen] = []
    yield started
    for screen in started:  # a failed test must not leave a prompt waiting
        screen.stop()


def first_tick_list(rules: RuleSet, lang: str) -> tuple[str, list[str]]:
    step = Flow(rules, Audience.LAY).next_step({}, [])
    assert step is not None and step.checklist
    section = next(s for s in rules.sections if s.id == step.section)
    items = [pick(rules.questions[q].wording(Audience.LAY), lang) for q in step.questions]
    return pick(section.prompt or section.title, lang), items


def drawn_list(rules: RuleSet, lang: str, question: str, items: list[str], width: int) -> list[list[str]]:
    """The blocks of rows a tick-list must show, top to bottom: the question, its
    instruction, each item and "None of these" with a tick box, then the actions."""
    m = lambda key: rules.message(key, lang)  # noqa: E731
    blocks = [hang(question, width, "? "), hang(m("checklist_hint"), width, "  ")]
    blocks += [hang(text, width, "   ○ ") for text in [*items, m("checklist_none")]]
    blocks += [hang(m(key), width, "   ") for key in ("checklist_not_sure", "choice_back", "choice_help")]
    return blocks


def shows_in_order(rows: list[str], blocks: list[list[str]]) -> bool:
    at = [block(rows, b) for b in blocks]
    return None not in at and at == sorted(at)  # type: ignore[type-var]


def assert_whole(rows: list[str], blocks: list[list[str]], items: list[str], width: int, lang: str) -> None:
    """Every block on screen as wrapped, within the width, and no word of an item lost."""
    missing = [b for b in blocks if block(rows, b) is None]
    assert not missing, (
        "not on screen:\n" + "\n\n".join("\n".join(b) for b in missing) + "\n---\n" + "\n".join(rows)
    )
    # From the question down (what was printed before a resize is the terminal's to reflow).
    assert max(wcswidth(row) for row in rows[block(rows, blocks[0]) :]) <= width
    for text in items:
        lines = hang(text, width, "   ○ ")
        start = block(rows, lines)
        assert start is not None
        shown = [row[5:] for row in rows[start : start + len(lines)]]
        assert joined(shown, lang) == joined([text], lang), f"{shown} != {text}"


@pty
@pytest.mark.parametrize("lang", LANGS)
def test_every_choice_of_the_first_screen_is_whole_at_100_80_and_50_columns(
    tmp_path: Path, screens: list[Screen], rules: RuleSet, lang: str
) -> None:
    question, items = first_tick_list(rules, lang)
    term = interview(tmp_path, columns=WIDTHS[0], lang=lang)
    screens.append(term)
    for width in WIDTHS:  # one interview, the window narrowed twice: the list is re-wrapped
        if width != term.columns:
            term.resize(width)
        blocks = drawn_list(rules, lang, question, items, width)
        rows = term.wait(
            lambda rows, b=blocks: shows_in_order(rows, b), f"the first tick-list at {width} columns"
        )
        assert_whole(rows, blocks, items, width, lang)
        if width == WIDTHS[0]:  # the introduction above it, before any resize
            intro = rules.message("interview_intro", lang).format(emergency="119")
            assert block(rows, wrap(intro, width)) is not None
    term.send("\x03")
    assert term.finish() == 130


def flat(rows: list[str] | str) -> str:
    """Screen text as one line of words, for phrases that may wrap anywhere."""
    return " ".join((rows if isinstance(rows, str) else " ".join(rows)).split())


@pty
def test_the_first_tick_list_never_takes_silence_for_no(
    tmp_path: Path, screens: list[Screen], rules: RuleSet
) -> None:
    def m(key: str) -> str:
        return rules.message(key, "en")

    width = 80
    question, items = first_tick_list(rules, "en")
    n = len(items)  # rows: the items, None of these (n), Not sure, Back, Help; the separator is skipped
    to_none, to_not_sure, to_back, to_help = DOWN * n, DOWN * (n + 1), DOWN * (n + 2), DOWN * (n + 3)
    blocks = drawn_list(rules, "en", question, items, width)
    term = interview(tmp_path, columns=width)
    screens.append(term)

    def list_open(after: str) -> None:
        """Wait for ``after``, then for the list. An answered list is erased at once,
        so a list on screen once ``after`` shows is the list asked again."""
        term.wait(lambda rows: flat(after) in flat(rows), after)
        term.wait(lambda rows: shows_in_order(rows, blocks), f"the list again after {after[:40]!r}")

    list_open(question)
    # Enter on an item with nothing ticked: nothing is submitted, the list says what to do.
    term.send("\r")
    empty = hang(m("checklist_empty"), width, "  ")
    rows = term.wait(lambda rows: block(rows, empty) is not None, "the nothing-ticked message")
    assert shows_in_order(rows, blocks), "the list closed"

    # Help: the help of the items, then the same list again.
    step = Flow(rules, Audience.LAY).next_step({}, [])
    assert step is not None
    term.send(to_help + "\r")
    last_help = pick(rules.questions[step.questions[-1]].help, "en")
    term.wait(lambda rows: flat(m("help_continue")) in flat(rows), "the help, waiting to be read")
    assert not shows_in_order(term.lines(), blocks), "the list came back before the help was read"
    term.send(" ")
    list_open(last_help)

    # Back on the first question: nothing to go back to, said, and the list again.
    term.send(to_back + "\r")
    list_open(m("back_at_start"))

    # Not sure: the first item on its own, with "Not sure" among the answers;
    # Back from it returns to the tick-list.
    term.send(to_not_sure + "\r")
    alone = hang(items[0], width, "? ")
    unsure = ["   " + m("choice_unsure")]
    term.wait(lambda rows: block(rows, alone) is not None and block(rows, unsure) is not None, "item 1 alone")
    term.send(DOWN * 3 + "\r")
    term.wait(lambda rows: shows_in_order(rows, blocks), "the list after Back")

    # None of these: every item "no", because the person said so.
    term.send(to_none + "\r")
    part_2 = progress(m("progress"), n="2")
    term.wait(lambda rows: any(part_2.match(row) for row in rows), "the next part")
    term.send("\x03")
    assert term.finish() == 130

    (path,) = (tmp_path / "data" / "sessions").glob("*.json")
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert {q: saved["answers"].get(q) for q in step.questions} == dict.fromkeys(step.questions, "no")
    assert saved["individually"] == []


#: Asks one tick-list and one single question given as JSON, with the real full-screen asker.
DRIVER = """
import json, sys
from kneeguide.api import load_rules
from kneeguide.interview.prompts import Checklist, Single
from kneeguide.interview.terminal import TerminalAsker
spec = json.loads(sys.argv[1])
asker = TerminalAsker(load_rules(), spec["lang"])
replies = [asker.checklist(Checklist(**spec["checklist"])), asker.single(Single(**spec["single"]))]
print("REPLIES", json.dumps(replies))
"""


def longest(rules: RuleSet, lang: str) -> tuple[Checklist, Single]:
    """The six longest yes/no wordings as a tick-list; the longest wording of all as a
    question whose answers are the four longest choices of any question."""
    wordings = {(q.id, a.id): pick(q.wording(a), lang) for q in rules.questions.values() for a in Audience}
    yes_no = [(k, t) for k, t in wordings.items() if rules.questions[k[0]].type == "yn"]
    yes_no.sort(key=lambda kt: -wcswidth(kt[1]))
    items = tuple((f"{qid}/{audience}", text) for (qid, audience), text in yes_no[:6])
    choices = [(f"{q.id}/{c.id}", pick(c.text, lang)) for q in rules.questions.values() for c in q.choices]
    labels = sorted(choices, key=lambda vl: -wcswidth(vl[1]))
    text = max(wordings.values(), key=wcswidth)
    return (
        Checklist("s", text, items, (), "Part 1 of 1"),
        Single("q", "choice", text, None, tuple(labels[:4]), "", None, None, False, None, "Part 1 of 1"),
    )


@pty
@pytest.mark.parametrize("lang", LANGS)
def test_the_longest_choices_anywhere_are_whole_at_every_width(
    tmp_path: Path, screens: list[Screen], rules: RuleSet, lang: str
) -> None:
    checklist, single = longest(rules, lang)
    spec = {"lang": lang, "checklist": checklist.__dict__, "single": single.__dict__}
    term = Screen([sys.executable, "-c", DRIVER, json.dumps(spec)], env=TERMINAL_ENV, columns=WIDTHS[0])
    screens.append(term)
    m = lambda key: rules.message(key, lang)  # noqa: E731
    items = [text for _, text in checklist.items]
    labels = [label for _, label in single.choices]

    for width in WIDTHS:  # narrowing, on the tick-list
        if width != term.columns:
            term.resize(width)
        blocks = drawn_list(rules, lang, checklist.text, items, width)
        rows = term.wait(lambda rows, b=blocks: shows_in_order(rows, b), f"the tick-list at {width} columns")
        assert_whole(rows, blocks, items, width, lang)
    term.send(" \r")  # tick the first item, confirm

    for width in reversed(WIDTHS):  # widening, on the single question
        if width != term.columns:
            term.resize(width)
        blocks = [hang(single.text, width, "? ")]
        blocks += [hang(text, width, "   ") for text in [*labels, m("choice_unsure")]]
        blocks += [hang(m(key), width, "   ") for key in ("choice_back", "choice_help")]
        rows = term.wait(lambda rows, b=blocks: shows_in_order(rows, b), f"the question at {width} columns")
        assert max(wcswidth(row) for row in rows[block(rows, blocks[0]) :]) <= width
        for label, lines in zip(labels, blocks[1 : 1 + len(labels)], strict=True):
            start = block(rows, lines)
            assert start is not None
            shown = [row[3:] for row in rows[start : start + len(lines)]]
            assert joined(shown, lang) == joined([label], lang)
    term.send("\r")
    assert term.finish() == 0
    replies, _ = json.JSONDecoder().raw_decode(term.output.split("REPLIES ", 1)[1])
    assert replies == [[checklist.items[0][0]], single.choices[0][0]]


# --- line prompts: TERM=dumb and --plain ------------------------------------------------------------


class Lines:
    """The interview asking with line prompts on a pseudo-terminal, everything it
    writes (prompts and report alike) kept, answered from a story like a person would."""

    def __init__(self, rules: RuleSet, tmp_path: Path, *args: str, term: str) -> None:
        self.rules = rules
        self.lay = {pick(q.wording(Audience.LAY), "en"): q.id for q in rules.questions.values()}
        self.log = io.StringIO()
        self.child = pexpect.spawn(
            sys.executable,
            ["-m", "kneeguide", "interview", "--region", "JP", "--lang", "en", *args],
            env={
                **{k: v for k, v in os.environ.items() if k != "NO_COLOR"},
                "TERM": term,
                "KNEEGUIDE_DATA_DIR": str(tmp_path / "data"),
                "KNEEGUIDE_CONFIG": str(tmp_path / "config.yaml"),
            },
            encoding="utf-8",
            dimensions=(40, 80),
            timeout=TIMEOUT,
        )
        self.child.logfile_read = self.log
        self.asked: list[tuple[str, ...]] = []

    def m(self, key: str) -> str:
        return self.rules.message(key, "en")

    @staticmethod
    def numbered(chunk: str) -> dict[str, int]:
        """The numbered lines of a prompt, label -> number (a wrapped label joined up)."""
        entries: list[list[Any]] = []
        for line in chunk.split("\n"):
            found = re.match(r"\s*(\d+)\. (.*)", line)
            if found:
                entries.append([int(found.group(1)), found.group(2)])
            elif entries and line.startswith(" ") and line.strip():
                entries[-1][1] += " " + line.strip()
        return {flat(label): number for number, label in entries}

    def reply(self, chunk: str, story: dict[str, Any], finish: bool) -> str:
        text = flat(chunk)
        if text.endswith(("[Y/n]", "[y/N]")):
            return "y" if finish and flat(self.m("ask_finish")) in text else "n"
        if flat(self.m("plain_checklist")) in text:
            choices = self.numbered(chunk)
            items = {label: self.lay[label] for label in choices if label in self.lay}
            self.asked.append(tuple(items.values()))
            ticked = [str(choices[label]) for label, q in items.items() if story.get(q, "no") == "yes"]
            if any(story.get(q, "no") in (None, "unsure") for q in items.values()):
                ticked.append(str(choices[flat(self.m("checklist_not_sure"))]))
            return " ".join(ticked) or str(choices[self.m("checklist_none")])
        qid = self.lay[max((w for w in self.lay if flat(w) in text), key=len)]
        self.asked.append((qid,))
        question = self.rules.questions[qid]
        value = story.get(qid, "no" if question.type == "yn" else None)
        if flat(self.m("plain_single")) not in text:
            return "" if value is None else str(value)  # a number
        choices = self.numbered(chunk)
        if value in (None, "unsure"):
            label = self.m("choice_unsure")
        elif question.type == "yn":
            label = self.m(f"answer_{value}")
        else:
            label = next(pick(c.text, "en") for c in question.choices if c.id == value)
        return str(choices[label])

    def run(self, story: dict[str, Any], *, finish: bool = True) -> int:
        """Answer every prompt from the story; the exit status."""
        while self.child.expect_exact(["> ", pexpect.EOF]) == 0:
            self.child.sendline(self.reply(self.child.before.replace("\r", ""), story, finish))
        self.child.close()
        return int(self.child.exitstatus)

    @property
    def output(self) -> str:
        return self.log.getvalue()


@pty
@pytest.mark.parametrize(
    ("term", "args", "story", "level"),
    [
        ("dumb", (), HAMSTRING_STORY, "self_care"),  # TERM=dumb alone chooses the line prompts
        ("xterm", ("--plain",), CAUDA_EQUINA_STORY, "emergency"),
    ],
    ids=["TERM=dumb", "--plain"],
)
def test_line_prompts_finish_a_story_without_a_single_escape_sequence(
    tmp_path: Path, rules: RuleSet, term: str, args: tuple[str, ...], story: dict[str, Any], level: str
) -> None:
    lines = Lines(rules, tmp_path, *args, term=term)
    assert lines.run(story, finish=level != "emergency") == 0, lines.output[-2000:]
    assert "\x1b" not in lines.output
    assert lines.asked and len(lines.asked[0]) > 1  # the first prompt was the tick-list
    text = flat(lines.output)
    assert flat(f"{rules.message('heading_level', 'en')}: {rules.message(f'level_{level}', 'en')}") in text
    assert flat(rules.message("plain_invalid", "en"))[:12] not in text  # every reply understood
    (path,) = (tmp_path / "data" / "sessions").glob("*.json")
    saved = json.loads(path.read_text(encoding="utf-8"))["answers"]
    assert {q: saved[q] for q in lines.asked[0]} == {q: story.get(q, "no") for q in lines.asked[0]}


@pty
@pytest.mark.parametrize("lang", LANGS)
def test_the_emergency_panel_fits_the_terminal_even_with_the_report_going_to_a_file(
    tmp_path: Path, screens: list[Screen], rules: RuleSet, lang: str
) -> None:
    """The panel is drawn on the terminal the person reads (stderr), so its width is that
    terminal's, not stdout's: `kneeguide interview > report.txt` on a 50-column screen."""
    command = " ".join(
        shlex.quote(part)
        for part in [sys.executable, "-m", "kneeguide", "interview", "--region", "JP", "--lang", lang]
    )
    term = Screen(
        ["/bin/sh", "-c", f"exec {command} > report.txt"],
        env={**TERMINAL_ENV, "KNEEGUIDE_DATA_DIR": str(tmp_path / "data")},
        columns=50,
        cwd=str(tmp_path),
    )
    screens.append(term)
    term.wait(rules.message("checklist_none", lang), "the first tick-list")
    term.send(" \r")  # tick the first item, new breathlessness: an emergency
    finish = rules.message("ask_finish", lang)[:8]  # the question asked once the panel is drawn
    rows = term.wait(
        lambda rows: any(finish in row for row in rows), "the emergency panel, then its question"
    )
    top = next(i for i, row in enumerate(rows) if row.startswith("╭"))
    bottom = next(i for i, row in enumerate(rows) if row.startswith("╰"))
    assert rows[top].endswith("╮") and rows[bottom].endswith("╯")
    for row in rows[top + 1 : bottom]:  # a panel wider than the screen would wrap into broken rows
        assert row.startswith("│") and row.endswith("│"), row


@pty
def test_stopping_before_the_first_answer_is_said_in_words_that_fit_the_screen(
    tmp_path: Path, screens: list[Screen], rules: RuleSet
) -> None:
    term = interview(tmp_path, columns=50)
    screens.append(term)
    term.wait(rules.message("checklist_none", "en"), "the first tick-list")
    term.send("\x03")
    assert term.finish() == 130
    rows = [row for row in term.lines() if row]
    said = hang(rules.message("nothing_saved", "en"), 50, "")
    assert block(rows, said) is not None, rows[-4:]  # wrapped between words, not mid-sentence
