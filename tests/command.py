"""The installed command, run as a person or a script runs it: the words that start it,
a run of it, and the standard output of a run that must succeed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path


def installed() -> list[str]:
    """The words that start this interpreter's ``kneeguide`` (its console script; ``python -m
    kneeguide`` where none is installed), for a test that starts the process itself."""
    exe = shutil.which("kneeguide", path=os.path.dirname(sys.executable))
    return [exe] if exe else [sys.executable, "-m", "kneeguide"]


def run(
    *args: str, stdin: str | None = None, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``kneeguide ARGS`` run to its end in ``cwd`` (so messages name files as given), with
    ``stdin`` as its input and ``env`` added to the test's environment: its exit status,
    standard output and standard error, as text. Fails the test after 60 seconds."""
    return subprocess.run(
        [*installed(), *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd,
        env={**os.environ, **(env or {})},
    )


def output(*args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> str:
    """``kneeguide ARGS`` with ``stdin`` and ``env`` added to the test's environment; its
    standard output (the test fails on a non-zero exit)."""
    done = run(*args, stdin=stdin, env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout


def flat(text: str) -> str:
    """``text`` with all white space removed: the terminal report wraps paragraphs at the
    terminal's width and indents the wrapped lines under their text, so a sentence is found
    in it by comparing ``flat(sentence) in flat(report)``."""
    return "".join(text.split())
