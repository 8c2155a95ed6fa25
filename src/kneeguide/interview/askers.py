"""Which way of asking suits this terminal: full-screen prompts, or numbered lines.

The full-screen prompts need a terminal that understands cursor movement. With
TERM=dumb (Emacs shells, some IDE consoles) or no TERM at all, they would send
dozens of escape sequences that show up as junk or are read aloud by a screen
reader; the line prompts ask the same questions with nothing but text.
"""

from __future__ import annotations

import os
import sys

from kneeguide.interview.plain import PlainAsker
from kneeguide.interview.prompts import Asker
from kneeguide.ruleset.model import RuleSet


def asker_for(rules: RuleSet, lang: str, *, plain: bool) -> Asker:
    """Line prompts when asked for (``--plain``), when the terminal cannot move the
    cursor, or when prompt_toolkit cannot set up its input or output; otherwise the
    full-screen prompts."""
    if plain or os.environ.get("TERM", "dumb") in ("", "dumb"):
        return PlainAsker(rules, lang)
    try:
        from prompt_toolkit.input import create_input
        from prompt_toolkit.output import create_output

        output = create_output(stdout=sys.stderr)
        source = create_input()
    except Exception:  # each platform fails in its own way (no console, no fileno): ask plainly
        return PlainAsker(rules, lang)
    from kneeguide.interview.terminal import TerminalAsker

    return TerminalAsker(rules, lang, input=source, output=output)


__all__ = ["asker_for"]
