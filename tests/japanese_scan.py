"""Every Japanese output the program shows, gathered and scanned (:mod:`japanese`).

``python tests/japanese_scan.py`` prints the hits counted per category and per output;
``--show`` prints every hit with its line; ``--top N`` the N most frequent findings.
``tests/test_japanese_output.py`` asserts the same scan finds nothing, one test per family.

What is gathered, all with ``--lang ja`` and for answer sets from tests/vignettes that
span the levels (emergency, urgent blood clot, routine, self-care, a practitioner's
Wells and Ottawa findings, a story with many questions left unanswered):

* ``assess --format text`` at 40 and 80 columns, with and without ``--details``, for the
  lay reader and ``--audience practitioner``; ``--format markdown``; the texts in
  ``--format json`` (string values, not keys or ids);
* the referral letter from ``note`` in text, Markdown and HTML (its visible text), and
  from ``assess --note`` (.txt, .md, .html);
* the interview on a real pseudo-terminal (pexpect, read through the pyte screen
  emulator as a person sees it) at 50 and 80 columns, lay and practitioner, answered
  through to the report and the offers to save, with the help shown once per kind of
  prompt; every screen is kept, including the lines that scrolled away; the same with
  ``--plain``; and an interview stopped with Ctrl-C (the resume hint).

The commands run in-process where the other tests do (``kneeguide.cli.app.main``), for
speed; the interview runs as its own program on a pseudo-terminal.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import io
import json
import os
import re
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import cache, partial
from pathlib import Path
from typing import Any

# The user's own configuration, cache and saved interviews stay out of the scan (as in
# conftest.py, whose settings win under pytest); the region is Japan's.
_SANDBOX = Path(tempfile.mkdtemp(prefix="kneeguide-japanese-"))
atexit.register(shutil.rmtree, _SANDBOX, ignore_errors=True)
os.environ.setdefault("KNEEGUIDE_CACHE_DIR", str(_SANDBOX / "cache"))
os.environ.setdefault("KNEEGUIDE_DATA_DIR", str(_SANDBOX / "data"))
if "KNEEGUIDE_CONFIG" not in os.environ:
    (_SANDBOX / "config.yaml").write_text("region: JP\n", encoding="utf-8")
    os.environ["KNEEGUIDE_CONFIG"] = str(_SANDBOX / "config.yaml")

import pyte  # noqa: E402
import yaml  # noqa: E402
from japanese import CATEGORIES, Hit, json_texts, scan, summary, unique, visible_text, words  # noqa: E402
from screen import DOWN, TERMINAL_ENV, TIMEOUT, Screen  # noqa: E402

HERE = Path(__file__).resolve().parent

#: One answer set per situation: the level each is known to reach is in its file.
VIGNETTES = {
    "emergency": "26_cauda_equina",
    "urgent_dvt": "01_dvt_after_hip_replacement",
    "routine": "35_knee_oa_older_woman",
    "self_care": "34_hamstring_strain_runner",
    "practitioner_wells": "79_practitioner_wells_full_likely",
    "practitioner_ottawa": "25_practitioner_ottawa_fibular_head",
    "unknowns": "90_partial_oa_story_emergency_screen_skipped",
}
AUDIENCES = ("lay", "practitioner")
WIDTHS = (40, 80)
INTERVIEW_WIDTHS = (50, 80)

#: A clinic as a Japanese clinic fills in its profile (the letter's sender): the letter
#: is scanned, not the clinic's own data, so the data is Japanese too.
CLINIC = """\
name: "富士ウェルネス鍼灸院"
address: "〒132-0031 東京都江戸川区松島1-21-14"
phone: "03-0000-0000"
email: "info@fuji-wellness.example"
languages: [ja, en]
hours: "月〜土 9:00〜19:00"
accepts: [routine, self_care]
"""


@dataclass
class Output:
    """One output as the reader gets it: its family (one test each), its name, its text.

    ``parts`` (the interview's screens) are scanned one by one, each from its first line
    (``start``, its row in the terminal's scrollback): a line drawn on many screens is
    one finding, and lines next to each other are those shown next to each other."""

    family: str
    name: str
    text: str
    vocabulary: frozenset[str] = field(default=frozenset(), repr=False)
    parts: tuple[tuple[int, str], ...] = field(default=(), repr=False)

    @property
    def hits(self) -> list[Hit]:
        parts = self.parts or ((0, self.text),)
        found = []
        for start, text in parts:
            hits = scan(text, vocabulary=self.vocabulary, kept=kept())
            found += [replace(h, line=h.line + start) for h in hits]
        return unique(found)


@cache
def kept() -> frozenset[str]:
    """Names kept in Latin letters in Japanese output: the points' Chinese (pinyin) names,
    which issue 15 keeps where the English output shows them ("with the Chinese pinyin only
    where the English output uses it"); one word each, so "Ashi points" (English) is not."""
    from kneeguide.api import load_rules

    points = load_rules().acupuncture.points
    return frozenset(p.name for p in points if re.fullmatch(r"[A-Z][a-z]+", p.name))


# --- in-process commands ----------------------------------------------------------------------


def run(*args: str, columns: int | None = None) -> tuple[str, str]:
    """``kneeguide ARGS`` run in this process as the console script runs it, at ``columns``
    (as ``COLUMNS`` says, for a pipe) or none: what it writes to stdout and to stderr."""
    from kneeguide.cli.app import main

    out, err = io.StringIO(), io.StringIO()
    saved = os.environ.pop("COLUMNS", None)
    if columns is not None:
        os.environ["COLUMNS"] = str(columns)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                main(list(args))
            except SystemExit as exc:
                if exc.code not in (0, None):
                    raise AssertionError(
                        f"kneeguide {' '.join(args)}: exit {exc.code}\n{err.getvalue()}"
                    ) from None
    finally:
        os.environ.pop("COLUMNS", None)
        if saved is not None:
            os.environ["COLUMNS"] = saved
    return out.getvalue(), err.getvalue()


def kneeguide(*args: str, columns: int | None = None) -> str:
    """What ``kneeguide ARGS`` shows on a terminal: its output, then any notes on stderr
    (a warning is read by the same person)."""
    out, err = run(*args, columns=columns)
    return out + ("\n" + err if err else "")


@cache
def answers_file(key: str) -> Path:
    """The answers of vignette ``key`` as a JSON file (the vignette file has more)."""
    data = yaml.safe_load((HERE / "vignettes" / f"{VIGNETTES[key]}.yaml").read_text(encoding="utf-8"))
    path = _SANDBOX / f"{key}.json"
    path.write_text(json.dumps(data["answers"], ensure_ascii=False), encoding="utf-8")
    return path


@cache
def clinic_file() -> Path:
    path = _SANDBOX / "clinic.yaml"
    path.write_text(CLINIC, encoding="utf-8")
    return path


def assess_args(key: str, audience: str, *extra: str) -> tuple[str, ...]:
    answers = str(answers_file(key))
    return ("assess", "--answers", answers, "--lang", "ja", "--region", "JP", "--audience", audience, *extra)


def assess(key: str, audience: str, *extra: str, columns: int | None = None) -> str:
    return kneeguide(*assess_args(key, audience, *extra), columns=columns)


def assess_json(key: str, audience: str) -> tuple[Any, str]:
    """The JSON report (parsed) and what was said on stderr."""
    out, err = run(*assess_args(key, audience, "--format", "json"))
    return json.loads(out), err


@cache
def report_vocabulary(key: str, audience: str) -> frozenset[str]:
    """The ASCII words of one assessment as written whole (its JSON texts and unwrapped
    Markdown): what tells a word cut at a line end from two words."""
    data, _ = assess_json(key, audience)
    markdown = assess(key, audience, "--format", "markdown", "--details")
    return frozenset(words(*json_texts(data), markdown))


def assess_outputs() -> Iterator[Output]:
    for key in VIGNETTES:
        for audience in AUDIENCES:
            known = report_vocabulary(key, audience)
            for details in (False, True):
                more = ("--details",) if details else ()
                tag = f"{key} {audience}{' details' if details else ''}"
                for width in WIDTHS:
                    text = assess(key, audience, "--format", "text", *more, columns=width)
                    yield Output("assess-text", f"assess text {tag} {width} cols", text, known)
                text = assess(key, audience, "--format", "markdown", *more)
                yield Output("assess-markdown", f"assess markdown {tag}", text, known)
            data, err = assess_json(key, audience)
            text = "\n".join([*json_texts(data), err])
            yield Output("assess-json", f"assess json {key} {audience}", text, known)


NOTE_FORMATS = {"text": ".txt", "markdown": ".md", "html": ".html"}


def readable(fmt: str, text: str) -> str:
    return visible_text(text) if fmt == "html" else text


def note_outputs() -> Iterator[Output]:
    """The letter from ``note`` for every answer set, audience and format (a practitioner's
    from a clinic's profile), and from ``assess --note`` for each format once."""
    for key in VIGNETTES:
        for audience in AUDIENCES:
            clinic = ("--clinic", str(clinic_file())) if audience == "practitioner" else ()
            for fmt in NOTE_FORMATS:
                text = kneeguide(
                    "note", "--answers", str(answers_file(key)), "--lang", "ja", "--region", "JP",
                    "--audience", audience, "--format", fmt, *clinic,
                )  # fmt: skip
                yield Output(f"note-{fmt}", f"note {fmt} {key} {audience}", readable(fmt, text))
    for fmt, suffix in NOTE_FORMATS.items():
        path = _SANDBOX / f"assess-note-{fmt}{suffix}"
        _, err = run(*assess_args("urgent_dvt", "lay", "--note", str(path), "--force", "--format", "json"))
        text = readable(fmt, path.read_text(encoding="utf-8")) + ("\n" + err if err else "")
        yield Output(f"note-{fmt}", f"assess --note {suffix} urgent_dvt lay", text)


# --- the interview on a pseudo-terminal -------------------------------------------------------

#: prompt_toolkit turns bracketed paste on when a prompt opens and off when it closes.
OPENED, CLOSED = "\x1b[?2004h", "\x1b[?2004l"
ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")
KILL_LINE = "\x15"  # Ctrl-U: clear a text prompt's default before typing
NONE, NOT_SURE, BACK, HELP = "<none>", "<not sure>", "<back>", "<help>"


def flat(text: str) -> str:
    """Text without escape sequences or white space: wrapped text compares whole."""
    return "".join(ANSI.sub("", text).split())


def _rows(screen: pyte.HistoryScreen) -> list[str]:
    """Every row the terminal has shown and still holds: the scrolled-off ones, then the screen."""
    from wcwidth import wcwidth

    def render(row: Any) -> str:
        out, wide = [], False
        for x in range(screen.columns):
            if wide:
                wide = False
                continue
            char = row[x].data
            wide = bool(char) and wcwidth(char[0]) == 2
            out.append(char)
        return "".join(out).rstrip()

    return [render(row) for row in screen.history.top] + [row.rstrip() for row in screen.display]


class Recorder(Screen):
    """A :class:`screen.Screen` that keeps every screen shown: a snapshot of all its rows
    (those scrolled off the top included) whenever a prompt is ready to be answered."""

    def __init__(self, argv: list[str], *, env: dict[str, str], columns: int, cwd: str) -> None:
        super().__init__(argv, env=env, columns=columns, lines=60, cwd=cwd)
        self.kept = pyte.HistoryScreen(columns, 60, history=100000)
        self.screen = self.kept
        self.stream = pyte.Stream(self.kept)
        self.snapshots: list[list[str]] = []
        self.ended = False

    def snapshot(self) -> None:
        self.snapshots.append(_rows(self.kept))

    def read_until(self, test: Callable[[str], bool], what: str) -> bool:
        """Read until ``test`` holds for the output so far; False if the program ended first."""
        deadline = time.monotonic() + TIMEOUT
        while not test(self.output):
            if self.ended:
                return False
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"waited {TIMEOUT:.0f} s for {what}; screen:\n{self.text()}")
            try:
                self._feed(self.child.read_nonblocking(65536, timeout=remaining))
            except Exception as exc:  # pexpect.TIMEOUT: go on; pexpect.EOF: the program ended
                if type(exc).__name__ == "EOF":
                    self.ended = True
                elif type(exc).__name__ != "TIMEOUT":
                    raise
        return True

    def screens(self) -> list[tuple[int, str]]:
        """Every screen kept, as (first row, text) from a few rows above where it differs
        from the screen before (the rows scrolled away above are the same on both)."""
        out: list[tuple[int, str]] = []
        before: list[str] = []
        for rows in self.snapshots:
            same = 0
            while same < min(len(rows), len(before)) and rows[same] == before[same]:
                same += 1
            start = max(same - 3, 0)
            if same < len(rows) or not out:
                out.append((start, "\n".join(rows[start:])))
            before = rows
        return out


class Driver:
    """Answers an interview from a story (question id → answer, None for "not sure"), as
    tests/test_interview_e2e.py does, but in Japanese and knowing each prompt only by
    the texts the rules give it. Asks for the help once for each kind of prompt."""

    def __init__(self, rules: Any, audience: str, story: dict[str, Any], folder: Path) -> None:
        from kneeguide.ids import Audience
        from kneeguide.ruleset.model import pick

        self.rules = rules
        self.story = story
        self.folder = folder
        self.pick = pick
        who = Audience[audience.upper()]
        self.wordings = {q.id: flat(pick(q.wording(who), "ja")) for q in rules.questions.values()}
        self.helped: set[str] = set()

    def m(self, key: str) -> str:
        return flat(self.rules.message(key, "ja"))

    def value(self, qid: str) -> Any:
        question = self.rules.questions[qid]
        return self.story.get(qid, "no" if question.type == "yn" else None)

    def found(self, tail: str) -> list[str]:
        """The questions whose wording is in ``tail``, in order shown (none inside another)."""
        spans = []
        for qid, wording in self.wordings.items():
            at = tail.find(wording)
            if wording and at >= 0:
                spans.append((at, at + len(wording), qid))
        whole = [s for s in spans if not any(o != s and o[0] <= s[0] and s[1] <= o[1] for o in spans)]
        return [qid for _, _, qid in sorted(whole)]

    def single_options(self, qid: str) -> list[Any]:
        question = self.rules.questions[qid]
        values: list[Any] = ["yes", "no"] if question.type == "yn" else [c.id for c in question.choices]
        return values + ([NOT_SURE] if question.offer_unsure else [])

    def choose(self, value: Any, options: list[Any]) -> int:
        if value in (None, "unsure"):
            value = NOT_SURE if NOT_SURE in options else options[-1]
        return options.index(value)


class FullScreen(Driver):
    """The full-screen prompts (prompt_toolkit)."""

    def ready(self, tail: str) -> tuple[str, Any] | None:
        """What the prompt drawn in ``tail`` is, once it is drawn whole; else None."""
        if self.m("choice_help") in tail:  # the last line of every list
            if self.m("checklist_hint") in tail:
                return "checklist", self.found(tail)
            asked = self.found(tail)
            return ("single", max(asked, key=lambda q: len(self.wordings[q]))) if asked else None
        hint = self.m("number_hint")
        if hint in tail and ">" in tail[tail.index(hint) + len(hint) :]:
            asked = self.found(tail)
            return ("number", max(asked, key=lambda q: len(self.wordings[q]))) if asked else None
        for key in (
            "ask_finish",
            "offer_save_answers",
            "offer_save_assessment",
            "offer_note",
            "region_remember",
        ):
            message = self.m(key)
            if message in tail and len(tail) > tail.index(message) + len(message):  # and its hint
                return "confirm", key
        if self.m("ask_path") in tail and "kneeguide-" in tail:
            return "path", None
        if self.m("help_continue") in tail or self.m("rules_changed_continue") in tail:
            return "pause", None
        return None

    def keys(self, kind: str, what: Any) -> str:
        """The keys that answer the prompt."""
        if kind == "checklist":
            options = [*what, NONE, NOT_SURE, BACK, HELP]  # the separator is skipped
            if kind not in self.helped:
                self.helped.add(kind)
                return DOWN * options.index(HELP) + "\r"
            values = {q: self.value(q) for q in what}
            ticked = [options.index(q) for q, v in values.items() if v == "yes"]
            keys, at = "", 0
            for index in ticked:
                keys += DOWN * (index - at) + " "
                at = index
            if any(v in (None, "unsure") for v in values.values()):
                return keys + DOWN * (options.index(NOT_SURE) - at) + "\r"
            return keys + ("\r" if ticked else DOWN * (options.index(NONE) - at) + "\r")
        if kind == "single":
            options = [*self.single_options(what), BACK, HELP]
            if kind not in self.helped:
                self.helped.add(kind)
                return DOWN * options.index(HELP) + "\r"
            return DOWN * self.choose(self.value(what), options) + "\r"
        if kind == "number":
            if kind not in self.helped:
                self.helped.add(kind)
                return KILL_LINE + "?\r"
            value = self.value(what)
            return KILL_LINE + ("" if value in (None, "unsure") else f"{value:g}") + "\r"
        if kind == "confirm":
            return "y" if what in ("ask_finish", "offer_note") else "n"
        if kind == "path":
            return KILL_LINE + str(self.folder / "note.html") + "\r"
        return " "  # pause: any key

    def run(self, term: Recorder, *, stop_after: int | None = None) -> None:
        """Answer every prompt until the program ends (or press Ctrl-C once ``stop_after``
        prompts are answered), keeping a snapshot of the screen at each prompt."""
        opened = 0
        while term.read_until(partial(_more_than, OPENED, opened), "the next prompt"):
            start = _nth(term.output, OPENED, opened)
            opened += 1
            prompt = self.drawn(term, start, opened)
            if prompt is None:
                break
            term.snapshot()
            if stop_after is not None and opened > stop_after:
                term.send("\x03")
                break
            term.send(self.keys(*prompt))
            term.read_until(partial(_more_than, CLOSED, opened - 1), f"prompt {opened} closed")
        term.read_until(lambda out: False, "the end")
        term.snapshot()

    def drawn(self, term: Recorder, start: int, n: int) -> tuple[str, Any] | None:
        """Prompt ``n`` (opened at ``start`` in the output) once drawn whole; None if the
        program ended first."""
        prompt: list[tuple[str, Any] | None] = [None]

        def whole(out: str) -> bool:
            prompt[0] = self.ready(flat(out[start:]))
            return prompt[0] is not None

        return prompt[0] if term.read_until(whole, f"prompt {n} drawn whole") else None


def _more_than(part: str, n: int, out: str) -> bool:
    return out.count(part) > n


def _nth(text: str, part: str, n: int) -> int:
    at = -1
    for _ in range(n + 1):
        at = text.index(part, at + 1)
    return at


class Plain(Driver):
    """The numbered line prompts of ``--plain``."""

    def ready(self, chunk: str) -> tuple[str, Any] | None:
        flat_chunk = flat(chunk)
        if self.m("plain_checklist") in flat_chunk:
            return "checklist", self.found(flat_chunk)
        if self.m("plain_single") in flat_chunk or self.m("number_hint") in flat_chunk:
            asked = self.found(flat_chunk)
            kind = "single" if self.m("plain_single") in flat_chunk else "number"
            return (kind, max(asked, key=lambda q: len(self.wordings[q]))) if asked else None
        for key in (
            "ask_finish",
            "offer_save_answers",
            "offer_save_assessment",
            "offer_note",
            "region_remember",
        ):
            if self.m(key) in flat_chunk:
                return "confirm", key
        if self.m("ask_path") in flat_chunk:
            return "path", None
        return None

    def reply(self, kind: str, what: Any) -> str:
        if kind == "checklist":
            if kind not in self.helped:
                self.helped.add(kind)
                return "?"
            values = {q: self.value(q) for q in what}
            numbers = [str(n) for n, q in enumerate(what, 1) if values[q] == "yes"]
            if any(v in (None, "unsure") for v in values.values()):
                numbers.append(str(len(what) + 1))
            return " ".join(numbers) or "0"
        if kind == "single":
            options = self.single_options(what)
            return str(self.choose(self.value(what), options) + 1)
        if kind == "number":
            value = self.value(what)
            return "" if value in (None, "unsure") else f"{value:g}"
        if kind == "confirm":
            return "y" if what in ("ask_finish", "offer_note") else "n"
        return str(self.folder / "note.txt")

    def run(self, term: Recorder) -> None:
        """Answer each line prompt ("> ", written last, before the program waits) until the end."""
        replied = 0
        while term.read_until(partial(_more_than, "> ", replied), "the next line prompt"):
            chunk = term.output[_nth(term.output, "> ", replied - 1) + 2 if replied else 0 :]
            prompt = self.ready(chunk)
            assert prompt is not None, f"an unknown line prompt:\n{chunk[-1500:]}"
            term.snapshot()
            replied = term.output.count("> ")
            term.send(self.reply(*prompt) + "\r")
        term.snapshot()


#: The stories the interview is answered from: a lay person with a clot in the calf who is
#: also short of breath (the emergency panel, then on to the end), unsure whether the whole
#: leg is swollen and of the pain score; a practitioner's full Wells examination, unsure
#: about the collateral veins.
def lay_story() -> dict[str, Any]:
    from stories import CALF_CLOT

    return {
        **CALF_CLOT,
        "short_of_breath": "yes",
        "whole_leg_swollen": None,
        "pain_score": None,
        "able_to_bear_weight": "yes",
        "can_flex_90": "yes",
    }


def practitioner_story() -> dict[str, Any]:
    data = yaml.safe_load((HERE / "vignettes" / f"{VIGNETTES['practitioner_wells']}.yaml").read_text("utf-8"))
    return {**data["answers"], "collateral_veins": None}


STORIES: dict[str, Callable[[], dict[str, Any]]] = {"lay": lay_story, "practitioner": practitioner_story}


def interview(audience: str, columns: int, *, plain: bool = False, stop_after: int | None = None) -> Output:
    """One interview in Japanese on a pseudo-terminal ``columns`` wide: every row shown."""
    from kneeguide.api import load_rules

    rules = load_rules()
    folder = Path(tempfile.mkdtemp(prefix="interview-", dir=_SANDBOX))
    argv = [sys.executable, "-m", "kneeguide", "interview", "--region", "JP", "--lang", "ja"]
    argv += ["--audience", audience] + (["--plain"] if plain else [])
    env = {
        **TERMINAL_ENV,
        "KNEEGUIDE_DATA_DIR": str(folder / "data"),
        "KNEEGUIDE_CONFIG": str(folder / "config.yaml"),
    }
    term = Recorder(argv, env=env, columns=columns, cwd=str(folder))
    story = STORIES[audience]()
    try:
        if plain:
            Plain(rules, audience, story, folder).run(term)
            family, name = "interview-plain", f"interview --plain {audience} {columns} cols"
        else:
            FullScreen(rules, audience, story, folder).run(term, stop_after=stop_after)
            family = "interview-stopped" if stop_after is not None else f"interview-{columns}"
            name = f"interview {audience} {columns} cols" + (" stopped (Ctrl-C)" if stop_after else "")
    finally:
        term.stop()
    known = words(*_rule_texts(rules), *report_vocabulary("urgent_dvt", audience))
    screens = tuple(term.screens())
    return Output(family, name, "\n".join(text for _, text in screens), frozenset(known), screens)


def _rule_texts(rules: Any) -> Iterator[str]:
    """Every Japanese text of the rules an interview shows: wordings, choices, help, messages."""
    from kneeguide.ids import Audience
    from kneeguide.ruleset.model import pick

    for q in rules.questions.values():
        yield from (pick(q.wording(a), "ja") for a in Audience)
        yield from (pick(c.text, "ja") for c in q.choices)
        if q.help:
            yield pick(q.help, "ja")
    for section in rules.sections:
        yield pick(section.title, "ja")
        if section.prompt:
            yield pick(section.prompt, "ja")
    for key in rules.messages:
        yield rules.message(key, "ja")


#: Every interview run: (audience, columns, plain, stop after n prompts).
INTERVIEWS = [
    *((audience, width, False, None) for audience in AUDIENCES for width in INTERVIEW_WIDTHS),
    *((audience, 80, True, None) for audience in AUDIENCES),
    ("lay", 50, False, 4),  # Ctrl-C at the fifth prompt, after the first answers
]


def interview_outputs(runs: Iterable[tuple[str, int, bool, int | None]] = INTERVIEWS) -> Iterator[Output]:
    """The interviews, run side by side (each is its own program, mostly waiting)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=4) as pool:
        jobs = [pool.submit(interview, a, w, plain=p, stop_after=s) for a, w, p, s in runs]
        for job in jobs:
            yield job.result()


FAMILIES: dict[str, Callable[[], Iterator[Output]]] = {
    "assess": assess_outputs,
    "note": note_outputs,
    "interview": interview_outputs,
}


def every_output() -> Iterator[Output]:
    for gather in FAMILIES.values():
        yield from gather()


# --- the report ---------------------------------------------------------------------------------


def table(outputs: list[Output]) -> str:
    """Counts per category for each output, per family, and in all."""
    width = max(len(o.name) for o in outputs) + 2
    head = f"{'output':<{width}}" + "".join(f"{c:>12}" for c in CATEGORIES) + f"{'total':>8}"
    lines = [head, "-" * len(head)]
    families: dict[str, Counter[str]] = {}
    total: Counter[str] = Counter()
    for output in outputs:
        counts = summary(output.hits)
        families.setdefault(output.family, Counter()).update(counts)
        total.update(counts)
        lines.append(
            f"{output.name:<{width}}"
            + "".join(f"{counts[c]:>12}" for c in CATEGORIES)
            + f"{sum(counts.values()):>8}"
        )
    lines += ["", "per family:"]
    for family, counts in families.items():
        lines.append(
            f"{family:<{width}}"
            + "".join(f"{counts[c]:>12}" for c in CATEGORIES)
            + f"{sum(counts.values()):>8}"
        )
    lines += [
        "",
        f"{'TOTAL':<{width}}" + "".join(f"{total[c]:>12}" for c in CATEGORIES) + f"{sum(total.values()):>8}",
    ]
    return "\n".join(lines)


def show(outputs: list[Output]) -> str:
    out = []
    for output in outputs:
        hits = output.hits
        out.append(f"== {output.name} [{output.family}]: {len(hits)} hits")
        out += [f"  {hit}" for hit in hits]
    return "\n".join(out)


def top(outputs: list[Output], n: int) -> str:
    """The ``n`` findings met most often: category, kind and what was found with a few
    characters around it (the same wording in many outputs is one finding), with the
    number of hits and of outputs, and one line it is on."""
    hits: Counter[tuple[str, str, str]] = Counter()
    where: dict[tuple[str, str, str], set[str]] = {}
    example: dict[tuple[str, str, str], str] = {}
    for output in outputs:
        for hit in output.hits:
            key = (hit.category, hit.kind, hit.context or hit.found)
            hits[key] += 1
            where.setdefault(key, set()).add(output.name)
            example.setdefault(key, f"{output.name}: {hit.text}")
    lines = []
    for key, count in hits.most_common(n):
        category, kind, found = key
        lines.append(f"{count:>5} hits in {len(where[key]):>3} outputs  {category}/{kind}  {found!r}")
        lines.append(f"{'':>8}e.g. {example[key][:150]}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--show", action="store_true", help="every hit, with its line")
    parser.add_argument("--top", type=int, metavar="N", help="the N most frequent findings")
    parser.add_argument("--family", choices=list(FAMILIES), action="append", help="only these (repeatable)")
    args = parser.parse_args(argv)
    outputs = [o for name in args.family or FAMILIES for o in FAMILIES[name]()]
    print(show(outputs) if args.show else table(outputs))
    if args.top:
        print(f"\nthe {args.top} most frequent findings (hits over all outputs, and in how many):")
        print(top(outputs, args.top))
    return 0


if __name__ == "__main__":
    sys.exit(main())
