"""Exit statuses, and kneeguide's own errors as one line each.

A problem that is the user's (bad answers, bad rules, a file that cannot be
written) is printed as ``kneeguide: <problem>`` on stderr, one line per problem,
in the language of the running command when the rules can say it, and the
command exits 2. ``--debug`` lets the traceback through instead. What a line echoes from
the input (an unknown id, a value, a file name) is shown, never acted on: its control
and bidirectional characters are written as escapes (:func:`kneeguide.render.escape.terminal`).
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import typer

from kneeguide.errors import KneeguideError

if TYPE_CHECKING:
    from kneeguide.ruleset.model import RuleSet

EXIT_OK = 0
EXIT_ERROR = 2
EXIT_FAIL_ON = 3
EXIT_INTERRUPTED = 130

#: ``--debug`` anywhere on the command line: tracebacks instead of one-line errors.
_debug = False
#: The rules and language of the running command, once known, for error messages.
_speak: dict[str, Any] = {}

F = TypeVar("F", bound=Callable[..., None])


def set_debug(on: bool) -> None:
    """Let errors through as tracebacks (``--debug``) or not."""
    global _debug
    _debug = on


def debugging() -> bool:
    """True under ``--debug``: errors go through as tracebacks."""
    return _debug


def speak_as(rules: RuleSet, lang: str) -> None:
    """Word later error messages in ``lang``, with the translations of ``rules``."""
    _speak.update(rules=rules, lang=lang)


def guarded(func: F) -> F:
    """Turn kneeguide's own errors into one line each and exit status 2;
    Ctrl-C into ``kneeguide: interrupted`` and exit status 130."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        try:
            func(*args, **kwargs)
        except KneeguideError as exc:
            if _debug:
                raise
            say(_localized(exc))
            raise typer.Exit(EXIT_ERROR) from None
        except KeyboardInterrupt:
            sys.stderr.write("kneeguide: interrupted\n")
            raise typer.Exit(EXIT_INTERRUPTED) from None

    return wrapper  # type: ignore[return-value]


def say(lines: list[str], prefix: str = "kneeguide") -> None:
    """Each line on stderr as ``prefix: line``, its control characters escaped (one line
    each, whatever the input held)."""
    from kneeguide.render.escape import terminal  # only when there is something to say

    sys.stderr.write("".join(f"{prefix}: {terminal(line)}\n" for line in lines))


def stdout_failed(reason: str) -> int:
    """Say that standard output took not everything (``reason``: the OS's words, "No space
    left on device"), in the command's language where the rules say it; the exit status."""
    line = f"cannot write to standard output: {reason}"
    rules, lang = _speak.get("rules"), _speak.get("lang", "en")
    if rules is not None and lang != "en" and lang in rules.messages.get("stdout_failed", {}):
        line = str(rules.messages["stdout_failed"][lang]).format(reason=reason)
    say([line])
    return EXIT_ERROR


def _localized(exc: KneeguideError) -> list[str]:
    rules, lang = _speak.get("rules"), _speak.get("lang", "en")
    if rules is None or lang == "en":
        return exc.lines()

    def translate(key: str, params: dict[str, str]) -> str | None:
        if key not in rules.messages or lang not in rules.messages[key]:
            return None
        fill = dict(params)
        question = rules.questions.get(params.get("id", ""))
        if question is not None:
            from kneeguide.ruleset.model import expected_text

            fill["expected"] = expected_text(question, rules, lang)
        try:
            return str(rules.messages[key][lang].format(**fill))
        except (KeyError, IndexError, ValueError):
            return None

    return [p.localized(translate) for p in exc.problems]
