"""The installed command as a script runs it: its standard output, which must be a success."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys


def output(*args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> str:
    """``kneeguide ARGS`` with ``stdin`` and ``env`` added to the test's environment; its
    standard output (the test fails on a non-zero exit)."""
    exe = shutil.which("kneeguide", path=os.path.dirname(sys.executable))  # this interpreter's
    command = [exe] if exe else [sys.executable, "-m", "kneeguide"]
    done = subprocess.run(
        [*command, *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def flat(text: str) -> str:
    """``text`` with all white space removed: the terminal report wraps paragraphs at the
    terminal's width and indents the wrapped lines under their text, so a sentence is found
    in it by comparing ``flat(sentence) in flat(report)``."""
    return "".join(text.split())
