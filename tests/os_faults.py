"""Faults of the file system that root cannot meet for real (root writes anywhere)."""

from __future__ import annotations

import errno
import os
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
