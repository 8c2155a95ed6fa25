"""Writing files so that nothing is half-written and answers stay private.

Every file kneeguide writes goes through :func:`write_atomic`: a temporary file
in the same directory, flushed to disk, then renamed over the target, so a
crash or a full disk leaves either the old file or the new one, never a torn
mix. Files that hold answers are created readable by their owner only.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

from kneeguide.errors import KneeguideError, Location, Problem

PRIVATE = 0o600


class WriteError(KneeguideError):
    """A file could not be written; the previous file, if any, is untouched."""


_XDG = {
    "cache": ("XDG_CACHE_HOME", ".cache"),
    "config": ("XDG_CONFIG_HOME", ".config"),
    "data": ("XDG_DATA_HOME", ".local/share"),
}


def user_dir(kind: str) -> Path:
    """kneeguide's own ``cache``, ``config`` or ``data`` folder for this user.

    On Linux this is the XDG rule, exactly as platformdirs computes it (a test
    compares the two); elsewhere platformdirs decides. Importing platformdirs
    costs a few milliseconds that every command would otherwise pay.
    """
    if sys.platform == "linux":
        variable, default = _XDG[kind]
        base = os.environ.get(variable, "").strip() or os.path.expanduser(f"~/{default}")
        return Path(base) / "kneeguide"
    import platformdirs

    find = {
        "cache": platformdirs.user_cache_dir,
        "config": platformdirs.user_config_dir,
        "data": platformdirs.user_data_dir,
    }[kind]
    return Path(find("kneeguide", appauthor=False))


def write_atomic(path: Path, data: str | bytes, *, private: bool = True, force: bool = True) -> None:
    """Replace ``path`` with ``data`` atomically (owner-only when ``private``)."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    if not force and path.exists():
        raise WriteError([Problem("file exists; use --force to overwrite it", Location(str(path)))])
    directory = path.parent if str(path.parent) else Path(".")
    import tempfile

    try:
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise WriteError([Problem(f"cannot write here: {exc.strerror}", Location(str(path)))]) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), PRIVATE if private else 0o644)
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise WriteError([Problem(f"cannot write: {exc.strerror}", Location(str(path)))]) from None
    except BaseException:  # interrupted (Ctrl-C, SIGTERM): never leave a temporary file behind
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    with contextlib.suppress(OSError):  # make the rename durable where the OS allows
        dir_fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def private_dir(path: Path) -> Path:
    """Create a directory readable by its owner only (if it does not exist)."""
    try:
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
        info = path.stat()
        if info.st_uid == os.geteuid() and info.st_mode & 0o077:
            path.chmod(0o700)  # an existing folder that others could read: make it private
    except OSError as exc:
        raise WriteError([Problem(f"cannot create directory: {exc.strerror}", Location(str(path)))]) from None
    return path


def owner_only(path: Path) -> bool:
    """True when only this user can write ``path`` (a directory or file we trust)."""
    try:
        info = path.stat()
    except OSError:
        return False
    return info.st_uid == os.geteuid() and not info.st_mode & 0o022
