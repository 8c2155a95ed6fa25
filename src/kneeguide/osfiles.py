"""What the OS offers for writing a file safely, and what it takes to use it
(:class:`kneeguide.files.AtomicWriter` is built on these).

Unnamed temporary files (Linux ``O_TMPFILE``) are linked in with ``linkat`` through
``/proc``; elsewhere a private temporary folder, named ``.kneeguide-tmp-<pid>-<hex>``,
holds the file, and what a killed process left of these is removed by the next writer
in that folder once the process is gone and nobody holds the file's lock. Paths such as
``/dev/stdout`` name open descriptors (:func:`descriptor_of`); a file system's longest
name is :func:`name_max`. Nothing here raises for a person: callers word the errors.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
from pathlib import Path

#: How a device or FIFO is opened: no O_CREAT (never a new file), no O_TRUNC (a device is
#: not emptied), no controlling terminal taken.
STREAM = os.O_WRONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0)
#: The fallback's file inside its private folder.
PART = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0)
#: What ``open(folder, O_TMPFILE)`` fails with where the file system has no unnamed files
#: (an old kernel: EISDIR, as O_TMPFILE includes O_DIRECTORY).
NO_TMPFILE = {errno.EOPNOTSUPP, errno.ENOTSUP, errno.EISDIR, errno.EINVAL}
#: What ``link()`` fails with on a file system without hard links (FAT, some network ones).
NO_LINKS = {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EMLINK, errno.EXDEV}
#: The name of every temporary name kneeguide makes: ``.kneeguide-tmp-<pid>-<8 hex digits>``.
TEMPORARY_PREFIX = ".kneeguide-tmp-"


def proc_link(fd: int) -> str:
    """The name under which Linux lets an unnamed file be linked in (``linkat`` through /proc)."""
    return f"/proc/self/fd/{fd}"


def link(source: str, target: Path) -> None:
    """``linkat(source, target, AT_SYMLINK_FOLLOW)``: a new name for ``source``, which fails
    with ``EEXIST`` rather than replace ``target``. The flag makes ``/proc/self/fd/N`` lead
    to the unnamed file rather than be linked itself (``EXDEV``); Python asks for it only
    when a folder descriptor is given (else it calls ``link()``, which never follows), so
    one is: the current folder, which the kernel ignores for an absolute ``source``."""
    here = os.open(".", getattr(os, "O_PATH", os.O_RDONLY) | getattr(os, "O_CLOEXEC", 0))
    try:
        os.link(source, target, src_dir_fd=here, follow_symlinks=True)
    finally:
        os.close(here)


def temporary_name() -> str:
    """A fresh name of 32 characters at most, whatever the output's name: ``.kneeguide-tmp-<pid>-<hex>``."""
    return f"{TEMPORARY_PREFIX}{os.getpid()}-{os.urandom(4).hex()}"


def name_max(folder: Path) -> int:
    """The longest name, in bytes, the file system of ``folder`` takes (255 when unknown)."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        return int(os.pathconf(folder, "PC_NAME_MAX"))
    return 255


def private_folder(directory: Path) -> Path:
    """A new folder only this user can enter, next to the output (the fallback's)."""
    for _ in range(10):
        folder = directory / temporary_name()
        try:
            os.mkdir(folder, 0o700)
        except FileExistsError:
            continue
        return folder
    raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(directory))


def remove_folder(folder: Path) -> None:
    """Remove a temporary folder and the file in it, quietly (it may be gone already)."""
    with contextlib.suppress(OSError):
        for name in os.listdir(folder):
            with contextlib.suppress(OSError):
                os.unlink(folder / name)
        os.rmdir(folder)


def hold(fd: int) -> None:
    """Mark the temporary file as in use (a shared lock) for as long as it is open, so that
    no other run takes it for stale, whatever its process id says (another pid namespace)."""
    with contextlib.suppress(ImportError, OSError):
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)


def in_use(path: Path) -> bool:
    """Whether a process holds the lock of :func:`hold` on ``path`` (unknown: in use)."""
    try:
        import fcntl
    except ImportError:
        return True
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        return False
    except OSError:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(fd)
    return False


def alive(pid: int) -> bool:
    """Whether process ``pid`` exists (unknown, or not POSIX: assumed alive)."""
    if pid == os.getpid() or os.name != "posix":
        return True  # os.kill on Windows would end the process
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def clean_stale(directory: Path) -> None:
    """Remove what a killed run left in ``directory``: this user's ``.kneeguide-tmp-*``
    folders and files whose process is gone and which nobody has open. Never fails."""
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return
    for entry in entries:
        name = entry.name
        if not name.startswith(TEMPORARY_PREFIX):
            continue
        pid = name[len(TEMPORARY_PREFIX) :].partition("-")[0]
        if not pid.isdigit() or alive(int(pid)):
            continue
        with contextlib.suppress(OSError):
            info = entry.stat(follow_symlinks=False)
            if info.st_uid != os.geteuid():
                continue
            path = Path(entry.path)
            if stat.S_ISDIR(info.st_mode):
                if not in_use(path / "part"):
                    remove_folder(path)
            elif stat.S_ISREG(info.st_mode) and not in_use(path):
                os.unlink(path)


def descriptor_of(path: Path | str) -> int | None:
    """The open descriptor ``path`` names, else ``None``: 1 for ``/dev/stdout``, 2 for
    ``/dev/stderr``, N for ``/dev/fd/N`` or ``/proc/self/fd/N`` (Linux, where these are
    links to whatever the descriptor leads to, a pipe included; elsewhere they are
    devices and are written to as such)."""
    if sys.platform != "linux":
        return None
    mine = {os.path.realpath("/proc/self/fd"), os.path.realpath("/proc/thread-self/fd")}
    hop = os.path.abspath(path)
    for _ in range(40):  # the kernel's own limit on links followed
        folder, name = os.path.split(hop)
        if name.isdigit() and os.path.realpath(folder) in mine:
            return int(name)
        try:
            target = os.readlink(hop)
        except OSError:
            return None
        hop = os.path.normpath(os.path.join(folder, target))
    return None
