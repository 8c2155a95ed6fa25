"""Writing files so that nothing is half-written and answers stay private
(reading small files within bounds is :mod:`kneeguide.inputs.bounded`).

Every file kneeguide writes goes through :class:`AtomicWriter` (whole texts
through :func:`write_atomic`, which uses it): a temporary file in the same
directory, flushed to disk, then renamed over the target, so a crash or a full
disk leaves either the old file or the new one, never a torn mix. Files that
hold answers are created readable by their owner only.
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


class AtomicWriter:
    """A file written in pieces that appears at ``path`` whole, or not at all.

    The pieces go to a private temporary file next to ``path``; :meth:`commit`
    flushes it to disk, renames it over ``path`` and makes the rename durable
    (an fsync of the folder, where the OS allows). :meth:`abandon` removes it
    and leaves ``path`` as it was. As a context manager it commits on a normal
    exit and abandons on any exception, an interruption included::

        with AtomicWriter(Path("out.jsonl"), force=True) as out:
            out.write("{}\n")

    ``private``: the file is readable by its owner only (else 0o644).
    ``force``: replace an existing ``path``; without it an existing one is an error.
    Every failure is a :class:`WriteError` naming ``path``: ``file exists; use
    --force to overwrite it``, ``cannot write here: <reason>`` (no temporary file
    could be made) or ``cannot write: <reason>`` (a write, the flush or the rename
    failed; the temporary file is then gone).
    """

    def __init__(self, path: Path, *, private: bool = True, force: bool = True) -> None:
        import tempfile

        if not force and path.exists():
            raise WriteError([Problem("file exists; use --force to overwrite it", Location(str(path)))])
        self.path = path
        self._temp: str | None = None  # None once committed or abandoned
        self._directory = path.parent if str(path.parent) else Path(".")
        try:
            fd, self._temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=self._directory)
        except OSError as exc:
            raise WriteError([Problem(f"cannot write here: {exc.strerror}", Location(str(path)))]) from None
        self._open = contextlib.ExitStack()
        try:
            self._handle = self._open.enter_context(os.fdopen(fd, "wb"))
            os.fchmod(self._handle.fileno(), PRIVATE if private else 0o644)
        except BaseException as exc:
            self.abandon()
            if isinstance(exc, OSError):
                raise self._failed(exc) from None
            raise

    def write(self, data: str | bytes) -> None:
        """Append ``data`` (text is written as UTF-8); on failure the file is abandoned."""
        try:
            self._handle.write(data.encode("utf-8") if isinstance(data, str) else data)
        except OSError as exc:
            self.abandon()
            raise self._failed(exc) from None

    def commit(self) -> None:
        """Put everything written at ``path``; on failure ``path`` is left as it was.

        Raises :class:`ValueError` when the file was already committed or abandoned.
        """
        temp = self._temp
        if temp is None:
            raise ValueError(f"{self.path}: already committed or abandoned")
        try:
            self._handle.flush()
            os.fsync(self._handle.fileno())
            self._open.close()
            os.replace(temp, self.path)
        except BaseException as exc:  # interrupted (Ctrl-C, SIGTERM): never leave a temporary file behind
            self.abandon()
            if isinstance(exc, OSError):
                raise self._failed(exc) from None
            raise
        self._temp = None
        with contextlib.suppress(OSError):  # make the rename durable where the OS allows
            dir_fd = os.open(self._directory, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)

    def abandon(self) -> None:
        """Close and remove the temporary file; ``path`` stays as it was. Safe to repeat."""
        with contextlib.suppress(OSError):
            self._open.close()
        if self._temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(self._temp)
            self._temp = None

    def __enter__(self) -> AtomicWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: object) -> None:
        if kind is None:
            self.commit()
        else:
            self.abandon()

    def _failed(self, exc: OSError) -> WriteError:
        return WriteError([Problem(f"cannot write: {exc.strerror}", Location(str(self.path)))])


def write_atomic(path: Path, data: str | bytes, *, private: bool = True, force: bool = True) -> None:
    """Replace ``path`` with ``data`` atomically (owner-only when ``private``); see :class:`AtomicWriter`."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    with AtomicWriter(path, private=private, force=force) as out:
        out.write(payload)


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
