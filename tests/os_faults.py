"""Faults the operating system deals a run: those of the file system that root cannot meet
for real (root writes anywhere), and signals sent to a running ``kneeguide``."""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest


def refuse_creating(monkeypatch: pytest.MonkeyPatch, folder: Path | None = None) -> None:
    """Make the OS refuse (EACCES) to create any file or folder in ``folder`` (anywhere when
    ``None``), as it does in a read-only folder for anyone but root: an unnamed file
    (O_TMPFILE), a named one (O_CREAT), a folder, a new link. Opening what exists, for
    reading or writing, still works."""
    real_open, real_mkdir, real_link = os.open, os.mkdir, os.link
    unnamed = getattr(os, "O_TMPFILE", 0)

    def inside(path: Any, *, itself: bool = False) -> bool:
        where = Path(os.fsdecode(path)).resolve()
        return folder is None or (where if itself else where.parent) == folder.resolve()

    def refused() -> PermissionError:
        return PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    def opening(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if unnamed and flags & unnamed == unnamed and inside(path, itself=True):
            raise refused()
        if flags & os.O_CREAT and inside(path):
            raise refused()
        return real_open(path, flags, *args, **kwargs)

    def making(path: Any, *args: Any, **kwargs: Any) -> None:
        if inside(path):
            raise refused()
        real_mkdir(path, *args, **kwargs)

    def linking(source: Any, target: Any, **kwargs: Any) -> None:
        if inside(target):
            raise refused()
        real_link(source, target, **kwargs)

    monkeypatch.setattr(os, "open", opening)
    monkeypatch.setattr(os, "mkdir", making)
    monkeypatch.setattr(os, "link", linking)


def reap(child: subprocess.Popen[bytes], *, group: bool = False) -> None:
    """Kill ``child`` with SIGKILL (its whole process group with ``group``, for a child
    started with ``start_new_session=True``, so that its workers go too) and wait for it,
    if it is still running; nothing when it has ended."""
    if child.poll() is None:
        if group:
            os.killpg(child.pid, signal.SIGKILL)
        else:
            child.kill()
        child.wait()


@contextlib.contextmanager
def running(child: subprocess.Popen[bytes], *, group: bool = False) -> Iterator[subprocess.Popen[bytes]]:
    """``child`` for the ``with`` block, reaped (:func:`reap`) when the block ends, so that a
    test failing while it waits for the child leaves no process behind."""
    try:
        yield child
    finally:
        reap(child, group=group)


def interrupt(
    child: subprocess.Popen[bytes], signum: int, *, timeout: float, group: bool = False
) -> tuple[bytes, bytes]:
    """Send ``signum`` to ``child`` (to its process group with ``group``) and wait for its
    end: its standard output and error (both must be pipes). The test fails when the child
    is still running ``timeout`` seconds later; :func:`running` then kills it."""
    if group:
        os.killpg(child.pid, signum)
    else:
        child.send_signal(signum)
    try:
        return child.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        pytest.fail(f"still running {timeout} s after {signal.Signals(signum).name}")


def children(pid: int) -> list[int]:
    """The process ids of the children of ``pid`` (Linux: /proc/PID/task/PID/children), none
    once ``pid`` has ended; the test is skipped on a kernel without that file."""
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        if Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children").exists():
            return []  # the process is gone
        pytest.skip("/proc/PID/task/PID/children is needed")  # pragma: no cover - CONFIG_PROC_CHILDREN
