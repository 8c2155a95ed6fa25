"""Standard output is written whole, or the command says it was not (issue 16, item 5).

On a full disk ``assess --format json > file`` wrote 16,384 of its 17,786 bytes and
exited 0 with no word: Python's stdout drops the rest of a write the disk took only in
part. ``> /dev/full`` gave "internal error: OSError", exit 1, and output held in the
buffer at exit gave "Exception ignored" and exit 120. Now every command that writes to
standard output says ``kneeguide: cannot write to standard output: <reason>``, one line,
exit 2; a reader that goes away (``| head``) still ends it quietly.

Each runs the real command, with stdout unbuffered (``PYTHONUNBUFFERED``, as in CI) and
buffered (a plain shell), the two ways Python writes it.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

INPUTS = Path(__file__).parent / "inputs" / "output"
STORY = str(INPUTS / "story.json")
FULL = os.strerror(errno.ENOSPC)
LINE = f"kneeguide: cannot write to standard output: {FULL}\n"

#: Every command that writes to standard output, with arguments that make it write.
COMMANDS = {
    "assess text": ["assess", "-f", STORY, "--details"],
    "assess markdown": ["assess", "-f", STORY, "--format", "markdown"],
    "assess json": ["assess", "-f", STORY, "--format", "json"],
    "piped answers": [],  # plain `kneeguide` with answers on stdin
    "note markdown": ["note", "-f", STORY],
    "note text": ["note", "-f", STORY, "--format", "text", "--no-appendix"],
    "note html": ["note", "-f", STORY, "--format", "html"],
    "export fhir": ["export", "--fhir", "-f", STORY],
    "questions text": ["questions"],
    "questions json": ["questions", "--format", "json"],
    "rules schema": ["rules", "schema"],
    "rules explain": ["rules", "explain", "dvt"],
    "batch jsonl": ["batch", str(INPUTS / "formulas.jsonl")],
    "batch csv": ["batch", str(INPUTS / "formulas.csv"), "--output-format", "csv"],
    "batch excel": ["batch", str(INPUTS / "formulas.csv"), "--excel"],
    "version": ["--version"],
}


def kneeguide(
    args: list[str], stdout: object, *, buffered: bool, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``kneeguide ARGS`` with its standard output at ``stdout`` (a file object or a descriptor)."""
    environ = {**os.environ, **(env or {})}
    environ.pop("PYTHONUNBUFFERED", None)
    if not buffered:
        environ["PYTHONUNBUFFERED"] = "1"
    stdin = Path(STORY).read_text() if not args else None
    return subprocess.run(
        [sys.executable, "-m", "kneeguide", *args],
        input=stdin,
        stdout=stdout,  # type: ignore[arg-type]
        stderr=subprocess.PIPE,
        text=True,
        timeout=120,
        env=environ,
    )


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full on this system")
@pytest.mark.parametrize("buffered", [False, True], ids=["unbuffered", "buffered"])
@pytest.mark.parametrize("name", list(COMMANDS))
def test_every_command_on_a_full_device_says_so_in_one_line_and_exits_2(name: str, buffered: bool) -> None:
    with open("/dev/full", "w") as full:
        done = kneeguide(COMMANDS[name], full, buffered=buffered)
    assert (done.returncode, done.stderr.splitlines()[-1:]) == (2, [LINE.rstrip("\n")]), done.stderr
    assert done.stderr.count("cannot write") == 1
    assert "internal error" not in done.stderr and "Exception ignored" not in done.stderr


def test_the_line_is_in_the_commands_language() -> None:
    with open("/dev/full", "w") as full:
        done = kneeguide(["assess", "-f", STORY, "--lang", "ja"], full, buffered=True)
    assert (done.returncode, done.stderr) == (2, f"kneeguide: 標準出力に書き込めません：{FULL}\n")


def test_fail_on_does_not_hide_a_failed_write() -> None:
    """Exit 3 says "the level is this high, read the output"; the output is not there."""
    with open("/dev/full", "w") as full:
        done = kneeguide(["assess", "-f", STORY, "--fail-on", "soon"], full, buffered=True)
    assert (done.returncode, done.stderr) == (2, LINE)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real file system of 16 KiB (tmpfs), as a disk that fills up mid-write."""
    folder = tmp_path / "small"
    folder.mkdir()
    mount = shutil.which("mount")
    if mount is None or os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root and mount(8)")
    made = subprocess.run(
        [mount, "-t", "tmpfs", "-o", "size=16k", "tmpfs", str(folder)], capture_output=True, check=False
    )
    if made.returncode != 0:
        pytest.skip(f"a tmpfs cannot be mounted here: {made.stderr.decode(errors='replace').strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=False)


@pytest.mark.parametrize("buffered", [False, True], ids=["unbuffered", "buffered"])
def test_a_disk_that_fills_mid_write_is_not_exit_0(small_disk: Path, buffered: bool) -> None:
    """The issue's own case: the JSON assessment is larger than the disk."""
    whole = kneeguide(
        ["assess", "-f", STORY, "--format", "json", "--details"], subprocess.PIPE, buffered=True
    )
    assert len(whole.stdout.encode()) > 16 * 1024  # the story is larger than the disk
    with open(small_disk / "out.json", "w") as out:
        done = kneeguide(["assess", "-f", STORY, "--format", "json", "--details"], out, buffered=buffered)
    assert (done.returncode, done.stderr) == (2, LINE)
    assert (small_disk / "out.json").stat().st_size < len(whole.stdout.encode())


def test_a_note_file_on_a_full_disk_fails_loudly_and_leaves_nothing(small_disk: Path) -> None:
    (small_disk / "filler").write_bytes(b"x" * 15 * 1024)
    target = small_disk / "note.md"
    done = kneeguide(["assess", "-f", STORY, "--note", str(target)], subprocess.DEVNULL, buffered=True)
    assert done.returncode == 2 and f"{target}: cannot write" in done.stderr, done.stderr
    assert not target.exists()


@pytest.mark.parametrize("buffered", [False, True], ids=["unbuffered", "buffered"])
@pytest.mark.parametrize("name", ["questions json", "batch jsonl", "note markdown"])
def test_a_reader_that_closes_the_pipe_ends_the_command_quietly(name: str, buffered: bool) -> None:
    """``kneeguide … | head -c 10``: the reader has what it wanted; no traceback, no error line."""
    read, write = os.pipe()
    os.close(read)  # the reader is gone before anything is written
    try:
        done = kneeguide(COMMANDS[name], write, buffered=buffered)
    finally:
        os.close(write)
    assert "internal error" not in done.stderr and "Traceback" not in done.stderr
    assert "standard output" not in done.stderr and "Exception ignored" not in done.stderr
