"""Near-miss suggestions for misspelt ids ("did you mean ...?")."""

from __future__ import annotations

from collections.abc import Sequence as Seq


def did_you_mean(word: str, choices: Seq[str]) -> str:
    import difflib  # only on an error: not worth importing on every run

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.75)
    return f" (did you mean '{close[0]}'?)" if close else ""
