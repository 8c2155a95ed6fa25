"""Headless Chromium as the tests run it: the binary, and the flags that keep every run
offline, private and alike (no first-run, sync, updates or background network; a profile
of its own)."""

from __future__ import annotations

import shutil
from pathlib import Path

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def headless(profile: Path, *args: str) -> list[str]:
    """The command line of a headless Chromium with its profile in ``profile``, then ``args``."""
    assert CHROMIUM is not None, "needs chromium"
    return [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        *args,
    ]
