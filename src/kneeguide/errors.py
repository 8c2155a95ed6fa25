"""Error types that always know where they point.

Every problem kneeguide reports about a file names ``path:line:col`` so that a
person can jump straight to it; problems about command-line input name the
question id instead. All of them derive from :class:`KneeguideError`, the only
exception type the CLI turns into a clean message and exit status 2.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

# Named tuples, not dataclasses: immutable and hashable just the same, and they
# cost a tenth as much to define, which every start-up of the command pays.


class Location(NamedTuple):
    """A place in a file; line and column are 1-based, 0 when unknown."""

    path: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if self.line and self.col:
            return f"{self.path}:{self.line}:{self.col}"
        if self.line:
            return f"{self.path}:{self.line}"
        return self.path


class Problem(NamedTuple):
    """One thing wrong, with where it is (when it is in a file)."""

    message: str
    location: Location | None = None
    key: str = ""  # a message id in messages.yaml, for the same problem in another language
    params: tuple[tuple[str, str], ...] = ()

    def __str__(self) -> str:
        if self.location is None:
            return self.message
        return f"{self.location}: {self.message}"

    def localized(self, translate: Callable[[str, dict[str, str]], str | None]) -> str:
        """The problem in the user's language when a template exists, else in English."""
        params = dict(self.params)
        text = translate(self.key, params) if self.key else None
        if text is None:
            return str(self)
        text = params.get("prefix", "") + text
        return text if self.location is None else f"{self.location}: {text}"


class KneeguideError(Exception):
    """Base of every error kneeguide reports to a person as plain lines."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def lines(self) -> list[str]:
        return [str(p) for p in self.problems]


class RulesError(KneeguideError):
    """The rule set could not be loaded; kneeguide must not assess anything."""


class InputError(KneeguideError):
    """Answers (a file, stdin or ``-a``) were not valid."""


def single(message: str, location: Location | None = None) -> list[Problem]:
    """Shorthand for the common one-problem error."""
    return [Problem(message, location)]
