"""Reading a small file whole, within bounds: a regular file of at most so many bytes.

Every small file kneeguide reads whole (a clinic profile, the config file, a saved
interview) goes through :func:`read_regular`, so that ``/dev/zero`` is not read until
memory runs out, a FIFO nobody writes to does not wait forever, and a directory or a
device is said to be one, in one line naming the file.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from pathlib import Path

from kneeguide.errors import InputError, Location, Problem

#: The ways :func:`read_regular` refuses a file, each a key of its ``keys`` argument.
READ_FAULTS = ("not_found", "directory", "not_regular", "too_large", "unreadable")


def size_text(limit: int) -> str:
    """``limit`` bytes as a person reads it: ``64 KiB``, ``4 MiB``, ``100 bytes``."""
    for unit, size in (("MiB", 1 << 20), ("KiB", 1 << 10)):
        if limit >= size and limit % size == 0:
            return f"{limit // size} {unit}"
    return f"{limit} bytes"


def read_regular(path: str | Path, limit: int, what: str, keys: Mapping[str, str] | None = None) -> bytes:
    """The whole content of the regular file ``path``, at most ``limit`` bytes.

    The file is opened without blocking (a FIFO with no writer would otherwise wait
    forever) and checked with ``fstat`` on that same descriptor before a byte is read,
    so a device (``/dev/zero``), a FIFO, a socket or a directory is refused without
    reading it, and no other file can be swapped in between the check and the read.
    At most ``limit + 1`` bytes are read, so a file that grew past the limit after the
    check is refused too.

    ``what`` names the file in the messages (``"clinic profile"``); ``keys`` maps a
    fault of :data:`READ_FAULTS` to the message key a translation knows it by. Raises
    :class:`InputError` with one problem located at ``path``: ``<what> not found``,
    ``is a directory, not a <what>``, ``is a device, not a regular file (expected a
    <what>)`` (or a pipe (FIFO), a socket), ``<what> larger than <limit>`` or
    ``cannot read <what>: <reason>``.
    """
    shown = str(path)
    keys = keys or {}

    def refuse(fault: str, message: str, **params: str) -> InputError:
        return InputError([Problem(message, Location(shown), keys.get(fault, ""), tuple(params.items()))])

    flags = (
        os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    )
    try:
        fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise refuse("not_found", f"{what} not found") from None
    except IsADirectoryError:  # Windows; elsewhere a directory opens and fstat says so
        raise refuse("directory", f"is a directory, not a {what}", kind="a directory") from None
    except OSError as exc:
        raise refuse("unreadable", f"cannot read {what}: {exc.strerror}", reason=str(exc.strerror)) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise refuse("directory", f"is a directory, not a {what}", kind="a directory")
        if not stat.S_ISREG(info.st_mode):
            kind = _kind(info.st_mode)
            raise refuse("not_regular", f"is {kind}, not a regular file (expected a {what})", kind=kind)
        too_large = refuse("too_large", f"{what} larger than {size_text(limit)}", limit=size_text(limit))
        if info.st_size > limit:
            raise too_large
        chunks: list[bytes] = []
        left = limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 16))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        if left <= 0:
            raise too_large
        return b"".join(chunks)
    except OSError as exc:
        raise refuse("unreadable", f"cannot read {what}: {exc.strerror}", reason=str(exc.strerror)) from None
    finally:
        os.close(fd)


def _kind(mode: int) -> str:
    """What a file that is not a regular file is, in a message's words."""
    if stat.S_ISFIFO(mode):
        return "a pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"  # pragma: no cover - no other kind opens
