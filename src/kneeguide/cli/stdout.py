"""Standard output written whole, or the command fails loudly (issue 16).

Python's own stdout loses the rest of a write the disk took only in part, unbuffered
(``PYTHONUNBUFFERED``) and buffered alike: a write of 17,786 bytes to a full disk took
16,384 and the command exited 0, with no word. :func:`checked_stdout` puts a writer
under ``sys.stdout`` that writes every byte or raises :class:`StdoutFailed`, which the
entry point (:func:`kneeguide.cli.app.main`) reports as one line and exit status 2;
:func:`flush_stdout` is the last flush, done there rather than by the interpreter.
"""

from __future__ import annotations

import io
import os
import sys
from typing import Any


class StdoutFailed(OSError):
    """Standard output took not every byte (a full disk, an I/O error): ``errno`` and
    ``strerror`` say why. A closed pipe is not this: it stays a ``BrokenPipeError``."""


class _WholeWrites(io.RawIOBase):
    """The raw standard output, each write taken whole: a short write goes on with the
    rest until the OS takes it or refuses with an error (:class:`StdoutFailed`)."""

    def __init__(self, raw: Any) -> None:
        super().__init__()
        self._raw = raw

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return int(self._raw.fileno())

    def isatty(self) -> bool:
        return bool(self._raw.isatty())

    def write(self, data: Any) -> int:
        view = memoryview(data).cast("B")
        done = 0
        while done < len(view):
            try:
                n = self._raw.write(view[done:])
            except BrokenPipeError:
                raise  # the reader went away (`| head`): the entry point ends quietly
            except InterruptedError:
                continue
            except OSError as exc:
                raise StdoutFailed(exc.errno, exc.strerror or str(exc)) from None
            if n is None:  # a non-blocking stdout that is full: wait until it takes more
                import select

                select.select([], [self.fileno()], [])
                continue
            if n == 0:
                import errno

                raise StdoutFailed(errno.EIO, "short write")
            done += n
        return done

    def close(self) -> None:
        if not self.closed:
            try:
                self._raw.close()
            finally:
                super().close()


def checked_stdout() -> None:
    """Put :class:`_WholeWrites` under ``sys.stdout``: same encoding, error handler and line
    buffering, every byte written or :class:`StdoutFailed` (see the module). A stream that
    is no plain file descriptor (a test's capture, the Windows console) is left as it is."""
    stream = sys.stdout
    buffer = getattr(stream, "buffer", None)
    unbuffered = isinstance(buffer, io.FileIO)  # python -u, PYTHONUNBUFFERED
    raw = buffer if unbuffered else getattr(buffer, "raw", None)
    if not isinstance(stream, io.TextIOWrapper) or not isinstance(raw, io.FileIO) or raw.closed:
        return
    stream.flush()
    # a second FileIO on the same descriptor, which it leaves open: sys.__stdout__ keeps it
    whole: Any = _WholeWrites(io.FileIO(raw.fileno(), "wb", closefd=False))
    sys.stdout = io.TextIOWrapper(
        whole if unbuffered else io.BufferedWriter(whole),
        encoding=stream.encoding,
        errors=stream.errors,
        newline=None if os.name == "nt" else "\n",
        line_buffering=stream.line_buffering,
        write_through=unbuffered,
    )


def flush_stdout() -> None:
    """Write out what standard output still holds, before the interpreter would (it reports
    a failure there only as "Exception ignored" and exit status 120); raises
    :class:`StdoutFailed` or ``BrokenPipeError``. A closed stdout has nothing to flush."""
    stream = sys.stdout
    if stream is None or getattr(stream, "closed", False):
        return
    stream.flush()
