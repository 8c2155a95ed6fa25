"""Numbered line prompts: no cursor movement, no escape sequences, nothing redrawn.

For screen readers, Emacs shells and IDE consoles (TERM=dumb), and terminals
the full-screen prompts cannot draw on: each prompt is printed once, top to
bottom, and the answer is a line typed at "> ". What is printed is what a
screen reader reads, in order, so a choice is never shown by a pointer or a
colour, only by its number.

As everywhere in the interview, an empty reply to a tick-list is asked again,
never taken as "no"; only "0" (none of these) or the numbers typed make the
unlisted items "no".
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import unicodedata
from typing import Any, TextIO

from kneeguide.interview.prompts import BACK, HELP, INVALID, NONE, NOT_SURE, Checklist, Single, parse_number
from kneeguide.render.wrap import fit, hang, wrap
from kneeguide.ruleset.model import AnswerValue, RuleSet

#: Escape sequences (CSI, OSC and two-character ones), removed from anything shown.
_ESCAPES = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")
_BACK = ("b", "back")
_HELP = ("?",)
_YES = ("y", "yes", "はい")
_NO = ("n", "no", "いいえ")


def terminal_width() -> int:
    """The width of the terminal the prompts are read on.

    stderr first: the prompts go there, and stdout may be a file
    (``kneeguide interview > report.txt``), where ``shutil`` would fall back to
    80 columns on a 50-column screen.
    """
    for stream in (sys.stderr, sys.stdin, sys.stdout):
        try:
            columns = os.get_terminal_size(stream.fileno()).columns
        except (AttributeError, OSError, ValueError):
            continue
        if columns > 0:
            return columns
    return shutil.get_terminal_size((80, 24)).columns


class PlainAsker:
    """Line prompts read from ``stdin``, written to ``stderr``."""

    def __init__(
        self,
        rules: RuleSet,
        lang: str,
        *,
        stdin: TextIO | None = None,
        stderr: TextIO | None = None,
        width: int | None = None,
    ) -> None:
        self.rules = rules
        self.lang = lang
        self.stdin = stdin or sys.stdin
        self.stderr = stderr or sys.stderr
        self.fixed_width = width

    def m(self, key: str, **fill: Any) -> str:
        text = self.rules.message(key, self.lang)
        return text.format(**fill) if fill else text

    def width(self) -> int:
        return max(self.fixed_width or terminal_width(), 20)

    def write(self, text: str) -> None:
        self.stderr.write(_ESCAPES.sub("", text))
        self.stderr.flush()

    def say(self, text: str) -> None:
        self.write("\n".join(wrap(text, self.width())) + "\n")

    def read(self) -> str:
        """One line typed at "> "; EOF (Ctrl-D, a closed terminal) ends the interview."""
        self.write("> ")
        line = self.stdin.readline()
        if not line:
            raise EOFError
        return line.strip()

    def answer(self) -> str:
        """A reply to a choice, a number or a yes/no, in the characters the checks know:
        a Japanese input method types full-width digits and letters (１　３、ｙ, ？),
        which mean the same as 1 3, y and ?."""
        return unicodedata.normalize("NFKC", self.read()).strip()

    def heading(self, progress: str, text: str) -> None:
        self.write("\n")
        if progress:
            self.say(progress)
        self.say(text)

    def numbered(self, lines: list[tuple[int, str]]) -> None:
        """Choices one per line, numbers right-aligned, wrapped under the text."""
        digits = max(len(str(n)) for n, _ in lines)
        width = self.width()
        for n, label in lines:
            self.write("\n".join(hang(label, width, f"  {n:>{digits}}. ")) + "\n")

    def invalid(self, reply: str, expected: str) -> None:
        self.say(self.m("plain_invalid", reply=reply, expected=expected))

    def single(self, prompt: Single) -> AnswerValue | None:
        self.heading(prompt.progress, prompt.text)
        if prompt.kind not in ("yn", "choice"):
            return self.number(prompt)
        values: list[Any] = [value for value, _ in prompt.choices]
        labels = [label for _, label in prompt.choices]
        if prompt.offer_unsure:
            values.append(NOT_SURE)
            labels.append(self.m("choice_unsure"))
        self.numbered(list(enumerate(labels, 1)))
        while True:
            self.say(self.m("plain_single"))
            reply = self.answer()
            word = reply.lower()
            if word in _BACK or word in _HELP:
                return BACK if word in _BACK else HELP
            if word.isdigit() and 1 <= int(word) <= len(values):
                value = values[int(word) - 1]
                return None if value == NOT_SURE else value
            if reply:
                self.invalid(reply, self.m("plain_a_number", n=len(values)))

    def number(self, prompt: Single) -> AnswerValue | None:
        while True:
            self.say(self.m("number_hint"))
            reply = self.read()
            value = parse_number(prompt, reply)
            if value is not INVALID:
                return value  # type: ignore[no-any-return]
            self.say(self.m("number_invalid", expected=prompt.expected))

    def checklist(self, prompt: Checklist) -> list[str]:
        """Items numbered from 1, then "0. None of these" and, numbered after the items,
        "Not sure about some of these" (which may be typed with the items that apply)."""
        self.heading(prompt.progress, prompt.text)
        items = [qid for qid, _ in prompt.items]
        unsure = len(items) + 1
        lines = [*enumerate((label for _, label in prompt.items), 1)]
        lines += [(0, self.m("checklist_none")), (unsure, self.m("checklist_not_sure"))]
        self.numbered(lines)
        while True:
            self.say(self.m("plain_checklist"))
            reply = self.answer()
            word = reply.lower()
            if not word:
                continue  # silence is not "no": ask again
            if word in _BACK or word in _HELP:
                return [BACK if word in _BACK else HELP]
            numbers = _numbers(word)
            if numbers is not None and numbers == {0}:
                return [NONE]
            if numbers and 0 not in numbers and max(numbers) <= unsure:
                ticked = [qid for n, qid in enumerate(items, 1) if n in numbers]
                return [NOT_SURE, *ticked] if unsure in numbers else ticked
            self.invalid(reply, self.m("plain_numbers", n=unsure))

    def confirm(self, message: str, default: bool) -> bool:
        hint = "plain_confirm_default_yes" if default else "plain_confirm_default_no"
        while True:
            self.write("\n")
            self.say(self.m(hint, message=message))
            reply = self.answer()
            word = reply.lower()
            if not word:
                return default
            if word in _YES or word in _NO:
                return word in _YES
            self.invalid(reply, self.m("plain_yes_no"))

    def pause(self, message: str) -> None:
        """Nothing to wait for: line prompts never scroll the help away."""

    def path(self, message: str, default: str) -> str:
        self.write("\n")
        self.say(self.m("plain_path", message=message, default=default))
        return self.read() or default  # as typed: a file name is not normalised

    def show(self, text: str) -> None:
        # Colour codes go first, so what is measured is what is read.
        self.write(fit(_ESCAPES.sub("", text).rstrip("\n"), self.width()) + "\n")


def _numbers(word: str) -> set[int] | None:
    """The numbers in "1 3, 5" (None when anything else is typed)."""
    parts = word.replace(",", " ").replace("、", " ").split()
    if not all(p.isascii() and p.isdigit() for p in parts):
        return None
    return {int(p) for p in parts}


__all__ = ["PlainAsker", "terminal_width"]
