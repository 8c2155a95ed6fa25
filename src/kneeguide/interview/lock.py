"""One interview per session: a lock held for as long as an interview has it open.

Without it, the same session resumed in two windows is saved by both, and the last
save wins: an answer given in the other window is lost without a word.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from kneeguide.errors import InputError, Location, Problem


class SessionInUse(InputError):
    """The session is held by another running interview."""


class SessionLock:
    """An exclusive lock on one session, held while an interview has it open.

    The lock is ``flock`` on ``<session>.lock`` beside the session file, not on the
    session file itself: every save replaces that file (:class:`~kneeguide.files.AtomicWriter`
    renames a new one over it), and a lock on the old file would no longer guard the new
    one. The operating system lets go of it when the process ends however it ends (exit,
    crash, SIGKILL), so a lock is never left stale; the lock file holds the process id of
    its holder, to say who has the session. :meth:`release` removes the lock file.
    Without ``fcntl`` (Windows), sessions are not locked.
    """

    def __init__(self, path: Path, fd: int | None) -> None:
        self.path = path  # the lock file
        self._fd = fd

    @staticmethod
    def lock_file(session: Path) -> Path:
        return session.with_name(session.name + ".lock")

    @classmethod
    def take(cls, session: Path) -> SessionLock:
        """Lock ``session`` (a path; the file need not exist yet) without waiting.

        Raises :class:`SessionInUse` when another process holds it (keys
        ``session_in_use`` with ``pid``, or ``session_in_use_no_pid``), and
        :class:`InputError` (``session_cannot_lock`` with ``reason``) when no lock can be
        made there (a read-only folder, a file system without locks).
        """
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows
            return cls(cls.lock_file(session), None)
        lock = cls.lock_file(session)
        where = Location(str(session))

        def cannot(reason: str) -> InputError:
            message = f"cannot lock this session: {reason}"
            return InputError([Problem(message, where, "session_cannot_lock", (("reason", reason),))])

        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
        for _ in range(20):  # a holder that finishes removes the file: take the new one
            try:
                fd = os.open(lock, flags, 0o600)
            except OSError as exc:
                raise cannot(str(exc.strerror)) from None
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = _holder(fd)
                os.close(fd)
                if holder is None:
                    message = (
                        "this interview is already open in another window: "
                        "continue it there, or close that window first"
                    )
                    raise SessionInUse([Problem(message, where, "session_in_use_no_pid")]) from None
                message = (
                    f"this interview is already open in another window (process {holder}): "
                    "continue it there, or close that window first"
                )
                raise SessionInUse(
                    [Problem(message, where, "session_in_use", (("pid", str(holder)),))]
                ) from None
            except OSError as exc:
                os.close(fd)
                raise cannot(str(exc.strerror)) from None
            try:
                current = os.lstat(lock)
                same = os.path.samestat(os.fstat(fd), current)
            except OSError:
                same = False
            if same:
                with contextlib.suppress(OSError):
                    os.ftruncate(fd, 0)
                    os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
                return cls(lock, fd)
            os.close(fd)  # locked a lock file its holder removed as we opened it: again
        raise cannot("the lock file keeps changing")

    def release(self) -> None:
        """Let go of the session and remove the lock file. Safe to repeat."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        with contextlib.suppress(OSError):
            if os.path.samestat(os.fstat(fd), os.lstat(self.path)):
                os.unlink(self.path)  # while still held: whoever opened it meanwhile takes it again
        os.close(fd)

    def __enter__(self) -> SessionLock:
        return self

    def __exit__(self, *_: object) -> None:
        self.release()


def _holder(fd: int) -> int | None:
    """The process id written in a lock file, if any."""
    with contextlib.suppress(OSError, ValueError):
        text = os.pread(fd, 32, 0).decode("ascii").strip()
        return int(text) if text else None
    return None
