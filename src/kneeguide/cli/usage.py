"""Usage errors as one line and a hint, not click's box of six.

Click (vendored by typer) words a usage error in several lines, and typer draws them
in a box when rich is installed::

    Usage: kneeguide assess [OPTIONS]
    Try 'kneeguide assess --help' for help.
    ╭─ Error ─────────────────────────────────────────╮
    │ No such option: --formt (Possible options: ...) │
    ╰─────────────────────────────────────────────────╯

:func:`usage_line` says it the way every other kneeguide error is said::

    kneeguide: no such option '--formt' (did you mean '--format'?); see 'kneeguide assess --help'

This module is imported only when a command line is wrong: it costs nothing at
start-up. The words are click's, in English, like the option names they quote.
"""

from __future__ import annotations

import re
from typing import Any

try:  # typer 0.28 carries its own copy of click; earlier versions use click itself
    from typer._click import exceptions as _click
except ImportError:  # pragma: no cover - depends on the typer installed
    from click import exceptions as _click  # type: ignore[import-not-found,no-redef,unused-ignore]

#: Click's words for an option value that is not a whole number, and ours.
_NOT_WHOLE = re.compile(r"(?P<value>'[^']*') is not a valid (?:int range|integer range|integer)\.?$")
_NOT_NUMBER = re.compile(r"(?P<value>'[^']*') is not a valid (?:float range|float)\.?$")
_COMMAND = re.compile(r"^No such command (?P<name>'.*?')\.(?: Did you mean (?P<close>'.*?')(?:, .*)?\?)?$")


def usage_error(exc: BaseException, command: str = "kneeguide") -> tuple[str, int] | None:
    """The line to print and the exit status for a usage error or another error click
    raised on its own (an aborted prompt, a file it could not open), None for any other
    exception (which is not click's to word). ``command`` is the command whose
    ``--help`` the hint names when click does not know it (an option missing its
    value is found before the command's context exists)."""
    if isinstance(exc, _click.UsageError):
        return usage_line(exc, command), exc.exit_code
    if isinstance(exc, _click.ClickException):
        return f"kneeguide: {_escaped(_sentence(exc.format_message()))}", exc.exit_code
    if type(exc).__name__ == "Abort" and type(exc).__module__.startswith(("typer", "click")):
        return "kneeguide: aborted", 1
    return None


def usage_line(exc: Any, command: str = "kneeguide") -> str:
    """``kneeguide: <what is wrong>; see '<command> --help'`` for click's ``UsageError``
    ``exc`` (``command`` when the error does not say which): one line, control
    characters shown escaped."""
    ctx = getattr(exc, "ctx", None)
    command = ctx.command_path if ctx is not None else command
    return f"kneeguide: {_escaped(_what(exc))}; see '{_escaped(command)} --help'"


def _what(exc: Any) -> str:
    """What is wrong, in one clause: click's words, lower-cased, and a suggestion where
    click has one."""
    if isinstance(exc, _click.NoSuchOption):
        said = f"no such option '{exc.option_name}'"
        if exc.possibilities:
            import difflib

            best = difflib.get_close_matches(exc.option_name, exc.possibilities, n=1, cutoff=0.0)
            said += f" (did you mean '{best[0]}'?)" if best else ""
        return said
    if isinstance(exc, _click.MissingParameter):
        return _sentence(exc.format_message())
    if isinstance(exc, _click.BadParameter):  # "Invalid value for '--workers': 'x' is not ..."
        said = _NOT_WHOLE.sub(r"\g<value> is not a whole number", exc.format_message())
        return _sentence(_NOT_NUMBER.sub(r"\g<value> is not a number", said))
    found = _COMMAND.match(str(exc.message))
    if found:
        close = f" (did you mean {found['close']}?)" if found["close"] else ""
        return f"no such command {found['name']}{close}"
    return _sentence(exc.format_message())


def _sentence(text: str) -> str:
    """Click's sentence as a clause of ours: first letter lower-cased (unless the word
    is all capitals, like a metavar), no final full stop, one line."""
    text = " ".join(text.split()).rstrip(".")
    first = text.split(" ", 1)[0]
    if first[:1].isupper() and not first.isupper():
        text = text[0].lower() + text[1:]
    return text


def _escaped(text: str) -> str:
    """``text`` with control characters shown as escapes, so an argument cannot clear
    the screen or move the cursor when it is echoed."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)
