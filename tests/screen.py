"""A program on a real pseudo-terminal, read as a person sees it.

pexpect runs the program; everything it writes is fed to pyte, a VT100 screen
emulator, so a test looks at the screen (what is drawn where, after every
redraw and resize) rather than at the stream of escape sequences. Every wait is
for something on the screen, with a generous timeout; nothing sleeps.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Sequence

import pexpect
import pyte

from kneeguide.ids import Audience
from kneeguide.interview.flow import Flow
from kneeguide.ruleset.model import RuleSet

TIMEOUT = 20.0
DOWN, UP = "\x1b[B", "\x1b[A"

#: A real terminal answers cursor-position requests at once; pexpect does not,
#: and prompt_toolkit would wait a second for the answer after every prompt.
TERMINAL_ENV = {"TERM": "xterm", "PROMPT_TOOLKIT_NO_CPR": "1", "NO_COLOR": "1"}


def none_of_the_first_list(rules: RuleSet) -> str:
    """The keys that choose "None of these" on the interview's first tick-list: down past
    its items (the pointer starts on the first), then Enter."""
    first = Flow(rules, Audience.LAY).next_step({})
    assert first is not None and first.checklist
    return DOWN * len(first.questions) + "\r"


class Screen:
    """``argv`` on a pseudo-terminal ``columns`` wide and ``lines`` tall."""

    def __init__(
        self,
        argv: Sequence[str],
        *,
        env: dict[str, str],
        columns: int,
        lines: int = 100,
        cwd: str | None = None,
    ) -> None:
        self.screen = pyte.Screen(columns, lines)
        self.stream = pyte.Stream(self.screen)
        self.raw: list[str] = []
        self.child = pexpect.spawn(
            argv[0],
            list(argv[1:]),
            env={**os.environ, **env},
            encoding="utf-8",
            dimensions=(lines, columns),
            timeout=TIMEOUT,
            cwd=cwd,
        )

    @property
    def columns(self) -> int:
        return int(self.screen.columns)

    @property
    def output(self) -> str:
        """Everything the program wrote, escape sequences and all."""
        return "".join(self.raw)

    def lines(self) -> list[str]:
        """The screen as text, one string per row, trailing blanks removed."""
        return [row.rstrip() for row in self.screen.display]

    def text(self) -> str:
        return "\n".join(self.lines()).strip("\n")

    def _feed(self, data: str) -> None:
        self.raw.append(data)
        self.stream.feed(data)

    def wait(self, until: str | Callable[[list[str]], bool], what: str = "") -> list[str]:
        """Read until ``until`` (a text, or a test of the screen's rows) holds; the rows."""
        test = until if callable(until) else (lambda rows: until in "\n".join(rows))
        deadline = time.monotonic() + TIMEOUT
        while not test(self.lines()):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"waited {TIMEOUT:.0f} s for {what or until!r}; screen:\n{self.text()}")
            try:
                self._feed(self.child.read_nonblocking(65536, timeout=remaining))
            except pexpect.TIMEOUT:
                continue
            except pexpect.EOF:
                if test(self.lines()):
                    break
                raise AssertionError(f"ended before {what or until!r}; screen:\n{self.text()}") from None
        return self.lines()

    def send(self, keys: str) -> None:
        self.child.send(keys)

    def resize(self, columns: int) -> None:
        """Narrow or widen the terminal, as dragging the window edge does."""
        lines = int(self.screen.lines)
        self.screen.resize(lines, columns)
        self.child.setwinsize(lines, columns)

    def finish(self) -> int:
        """Read to the end; the exit status."""
        while True:
            try:
                self._feed(self.child.read_nonblocking(65536, timeout=TIMEOUT))
            except pexpect.EOF:
                break
        self.child.close()
        assert self.child.exitstatus is not None, f"killed by signal {self.child.signalstatus}"
        return int(self.child.exitstatus)

    def stop(self) -> None:
        if self.child.isalive():
            self.child.terminate(force=True)


def progress(template: str, n: str = r"(\d+)") -> re.Pattern[str]:
    """The progress line ("Part {n} of {total}: {section}") as a pattern: part ``n``
    (any part, captured, by default) of any total, any section."""
    pattern = re.escape(template).replace(r"\{n\}", n).replace(r"\{total\}", r"(\d+)")
    return re.compile(pattern.replace(r"\{section\}", ""))


def block(rows: list[str], expected: list[str]) -> int | None:
    """Where ``expected`` appears on the screen as consecutive rows (the pointer
    "»" read as a blank), or None."""
    plain = [row.replace("»", " ") for row in rows]
    want = [line.replace("»", " ").rstrip() for line in expected]
    for start in range(len(plain) - len(want) + 1):
        if plain[start : start + len(want)] == want:
            return start
    return None
