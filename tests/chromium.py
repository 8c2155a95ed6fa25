"""Headless Chromium as the tests run it: the binary, and the flags that keep every run
offline, private and alike (no first-run, sync, updates or background network; a profile
of its own)."""

from __future__ import annotations

import shutil
import subprocess
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


def print_pdf(source: Path, work: Path) -> Path:
    """``source`` (an HTML file) printed as a person prints it, ``chromium --print-to-pdf``
    without header and footer, to ``work/<name>.pdf``; fails the test when no PDF came out."""
    pdf = work / (source.stem + ".pdf")
    subprocess.run(
        headless(work / "profile", "--no-pdf-header-footer", f"--print-to-pdf={pdf}", source.as_uri()),
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert pdf.exists() and pdf.stat().st_size > 1000, "chromium produced no PDF"
    return pdf
