"""The interview's prompts as data, and the protocol every way of asking them follows.

:class:`Single` and :class:`Checklist` say what to ask; an :class:`Asker` asks it
(a full-screen terminal in :mod:`kneeguide.interview.terminal`, numbered line
prompts in :mod:`kneeguide.interview.plain`, a script in the tests) and returns
what the person chose, or one of the action markers below. Nothing here prints.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any, Protocol

from kneeguide.ruleset.model import AnswerValue

BACK = "\x00back"
HELP = "\x00help"
NOT_SURE = "\x00not-sure"
#: "None of these" on a tick-list: every item is "no", because the person said so.
NONE = "\x00none"


@dataclass(frozen=True)
class Single:
    """One question: yes/no, a choice, or a number."""

    qid: str
    kind: str
    text: str
    help: str | None
    choices: tuple[tuple[str, str], ...]  # (value, label); for yes/no and choice questions
    expected: str
    minimum: float | None
    maximum: float | None
    integer: bool
    default: AnswerValue | None  # the earlier answer ("unsure" too), preselected after Back
    progress: str
    offer_unsure: bool = True  # offer "Not sure" (False when a choice already declines)


@dataclass(frozen=True)
class Checklist:
    """The yes/no questions of a section as one tick-list."""

    section: str
    text: str
    items: tuple[tuple[str, str], ...]  # (question id, wording)
    ticked: tuple[str, ...]
    progress: str
    none: bool = False  # "None of these" was the earlier choice (after Back): start with it ticked


class Asker(Protocol):
    def single(self, prompt: Single) -> AnswerValue | None:
        """The answer, None for "not sure", or BACK / HELP."""

    def checklist(self, prompt: Checklist) -> list[str]:
        """What the person chose on a tick-list, never empty.

        One of: the ticked question ids; ``[NONE]`` ("None of these": every item
        is "no"); ``[NOT_SURE, *ticked]`` (ask the unticked items one by one);
        ``[BACK]``; ``[HELP]``. An asker never submits a list with nothing
        chosen: silence is not "no".
        """

    def confirm(self, message: str, default: bool) -> bool: ...

    def pause(self, message: str) -> None:
        """Wait until the person has read what was just shown (help on a short screen
        would otherwise scroll away under the question drawn again at once)."""

    def path(self, message: str, default: str) -> str: ...

    def show(self, text: str) -> None: ...

    def width(self) -> int:
        """The width in columns of the terminal the person reads, for what is drawn there."""


class _Invalid:
    pass


INVALID: Any = _Invalid()


def parse_number(prompt: Single, text: str) -> Any:
    """Parse typed input for a number question: a value, None (unknown), BACK, HELP or INVALID.

    Full-width characters, which a Japanese input method types (６４, ？, ｂ), read as
    their ASCII forms."""
    word = unicodedata.normalize("NFKC", text).strip().lower()
    if word in ("", "?", "b", "back"):
        return {"": None, "?": HELP, "b": BACK, "back": BACK}[word]
    try:
        value = float(word)
    except ValueError:
        return INVALID
    if value != value or value in (float("inf"), float("-inf")):
        return INVALID
    if prompt.integer:
        if value != int(value):
            return INVALID
        value = int(value)
    if prompt.minimum is not None and value < prompt.minimum:
        return INVALID
    if prompt.maximum is not None and value > prompt.maximum:
        return INVALID
    return int(value) if value == int(value) else value


__all__ = ["BACK", "HELP", "INVALID", "NONE", "NOT_SURE", "Asker", "Checklist", "Single", "parse_number"]
