"""Writing files so that nothing is half-written and answers stay private
(reading small files within bounds is :mod:`kneeguide.inputs.bounded`).

Every file kneeguide writes goes through :class:`AtomicWriter` (whole texts
through :func:`write_atomic`, which uses it): a temporary file in the same
directory that nobody can read (unnamed, on Linux), flushed to disk, then linked
in or renamed over the target, so a crash or a full disk leaves either the old
file or the new one, never a torn mix, and a killed process leaves nothing
readable. Files that hold answers are created readable by their owner only.
Devices, FIFOs and ``/dev/stdout`` are written to, never replaced.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO, NoReturn

from kneeguide import osfiles
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


class FolderError(KneeguideError):
    """A folder that would hold answers is not this user's own (see :func:`own_folder`)."""


def own_folder(path: Path, *, create: bool = False, tighten: bool = False, named: bool = False) -> bool:
    """Whether ``path`` exists, refusing it unless it is a folder of this user's own.

    Answers are kept only where nobody else can put or swap a file: the folder must
    belong to this user (its owner is the effective uid) and be writable by its owner
    only. A missing folder is created when ``create`` is set, each missing level owner-only
    (0o700, whatever the umask: ``mkdir -p`` would give the parents the umask's mode).
    ``tighten``: a folder of this user's that others may read or write is made 0o700
    rather than refused (for a folder kneeguide made itself, perhaps under an older
    version's umask; a folder the person chose is never changed behind their back).
    ``named``: the folder of a file the person named (``--resume FILE``), which may be
    anyone's (their home, a checkout, ``/tmp``): it is refused only when others can put
    files in it and take theirs away, that is when it is writable by all and not sticky
    (``/tmp`` is sticky); the file itself is checked by its reader.
    The folder is followed through symbolic links, and what it leads to is checked.

    Raises :class:`FolderError`, one problem at ``path`` (keys ``folder_not_a_folder``,
    ``folder_not_yours`` with ``owner`` (a uid), ``folder_open`` with ``mode`` (``0777``)
    and ``path``), or :class:`WriteError` when it cannot be created.
    """
    import stat

    shown = Location(str(path))
    if create and not path.exists():
        missing = [p for p in (path, *path.parents) if not p.exists()]
        try:
            for level in reversed(missing):
                with contextlib.suppress(FileExistsError):  # made by another process meanwhile
                    os.mkdir(level, 0o700)
        except OSError as exc:
            raise WriteError([Problem(f"cannot create directory: {exc.strerror}", shown)]) from None
    try:
        info = path.stat()
    except (FileNotFoundError, NotADirectoryError):  # (a file where a parent folder would be)
        return False
    except OSError as exc:
        raise WriteError([Problem(f"cannot use this folder: {exc.strerror}", shown)]) from None
    if not stat.S_ISDIR(info.st_mode):
        message = "not a folder (expected the folder that keeps the interviews)"
        raise FolderError([Problem(message, shown, "folder_not_a_folder")])
    if named:
        if info.st_mode & 0o002 and not info.st_mode & stat.S_ISVTX:
            raise FolderError([_open_to_others(path, info.st_mode)])
        return True
    if info.st_uid != os.geteuid():
        message = (
            f"this folder belongs to another user (uid {info.st_uid}); answers are kept only in a "
            "folder of your own that only you can write to (set KNEEGUIDE_DATA_DIR to one)"
        )
        raise FolderError([Problem(message, shown, "folder_not_yours", (("owner", str(info.st_uid)),))])
    if tighten and info.st_mode & 0o077:
        try:
            path.chmod(0o700)
        except OSError as exc:
            raise WriteError([Problem(f"cannot make this folder private: {exc.strerror}", shown)]) from None
    elif info.st_mode & 0o022:
        raise FolderError([_open_to_others(path, info.st_mode)])
    return True


def _open_to_others(path: Path, st_mode: int) -> Problem:
    import stat

    mode = f"{stat.S_IMODE(st_mode):04o}"
    message = (
        f"others can write in this folder (mode {mode}); answers are kept only in a folder "
        f"that only you can write to: run 'chmod go-w {path}' or set KNEEGUIDE_DATA_DIR to another folder"
    )
    return Problem(message, Location(str(path)), "folder_open", (("mode", mode), ("path", str(path))))


class AtomicWriter:
    """A file written in pieces that appears at ``path`` whole, or not at all.

    Where ``path`` names a regular file (or nothing yet), the pieces go to a
    temporary file that nobody else can read and that no crash leaves behind
    readable: on Linux an unnamed file (``O_TMPFILE``) in the output's folder,
    which the kernel frees if the process dies, however it dies; elsewhere, or on
    a file system without unnamed files, a file in a private folder (0o700) next
    to the output, ``.kneeguide-tmp-<pid>-<8 hex digits>``, which the next writer
    in that folder removes once its process is gone. :meth:`commit` flushes the
    file to disk, links it in at ``path`` (a new name: it never replaces what
    appeared meanwhile) or renames it over ``path`` (with ``force``; an unnamed
    file is given a fresh ``.kneeguide-tmp-…`` name for that instant, as rename
    needs a name), and makes that durable (an fsync of the folder, where the OS allows). :meth:`abandon`
    drops it and leaves ``path`` as it was. As a context manager it commits on a
    normal exit and abandons on any exception, an interruption included::

        with AtomicWriter(Path("out.jsonl"), force=True) as out:
            out.write("{}\\n")

    What ``path`` names decides what happens to it (the same with or without
    ``force`` unless said):

    - a regular file: refused without ``force``, else replaced as above;
    - a symbolic link: followed; what it leads to is written (a regular file
      replaced, with ``force``), the link itself is left as it is. A link that
      another user put in a folder everybody may write to (``/tmp``) is refused,
      as the kernel refuses to follow it (``fs.protected_symlinks``);
    - a character device (``/dev/null``, a terminal) or a FIFO: written to
      directly, never replaced and never created; ``force`` is not needed, as
      nothing is overwritten (a FIFO waits for its reader to open it). A block
      device (a disk) is written over only with ``force``;
    - an open descriptor (``/dev/stdout``, ``/dev/stderr``, ``/dev/fd/N``):
      written to directly, where that descriptor leads;
    - a folder, a socket, an empty name or a name longer than the file system
      allows: refused.

    Written directly, what was written before a failure stays written: only a
    file can appear whole or not at all.

    ``private``: the file is readable by its owner only (else 0o644).
    ``force``: replace an existing regular file (or write over a block device).
    Every failure is a :class:`WriteError` naming ``path``: ``an empty file name``,
    ``file name too long``, ``is a folder``, ``file exists; use --force to
    overwrite it``, ``cannot write here: <reason>`` (no temporary file could be
    made, or the device could not be opened) or ``cannot write: <reason>`` (a
    write, the flush or putting the file in place failed; the temporary file is
    then gone). Its ``__context__`` is an :class:`OSError` with the errno that
    says why (``EISDIR``, ``ENAMETOOLONG``, ...), for a caller that words the
    reason itself.
    """

    def __init__(self, path: Path | str, *, private: bool = True, force: bool = True) -> None:
        if not os.fspath(path):
            _refuse("an empty file name: give the name of the file to write", "", errno.ENOENT)
        self.path = Path(path)
        self._force = force
        self._real = self.path  # what is written: the path, or where its symbolic link leads
        self._directory = self.path.parent
        self._unnamed = False  # the file is an O_TMPFILE one (else in ``_folder``, or direct)
        self._folder: Path | None = None  # the private temporary folder of the fallback
        self._direct = False  # written straight to a device, a FIFO or a descriptor
        self._existed = False  # a regular file was there: renamed over, not linked in
        self._done = False  # committed or abandoned
        self._open = contextlib.ExitStack()
        number = osfiles.descriptor_of(self.path)
        if number is not None:
            self._handle = self._stream(lambda: os.dup(number), number)
            return
        self._real = self._follow()
        self._directory = self._real.parent
        info = self._inspect()
        if info is not None and not stat.S_ISREG(info.st_mode):
            self._handle = self._stream(lambda: os.open(self._real, osfiles.STREAM), None)
            return
        if info is not None and not force:
            _refuse("file exists; use --force to overwrite it", str(self.path), errno.EEXIST)
        self._existed = info is not None
        osfiles.clean_stale(self._directory)
        fd = self._create()
        try:
            self._handle = self._open.enter_context(_opened(fd))
            os.fchmod(fd, PRIVATE if private else 0o644)
            osfiles.hold(fd)
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
        if self._done:
            raise ValueError(f"{self.path}: already committed or abandoned")
        try:
            self._handle.flush()
            if self._direct:
                self._done = True
                self._open.close()
                return
            os.fsync(self._handle.fileno())
            self._place()
        except BaseException as exc:  # interrupted (Ctrl-C, SIGTERM): never leave a temporary file behind
            self.abandon()
            if isinstance(exc, OSError):
                if exc.errno == errno.EEXIST:  # appeared meanwhile, and no --force
                    _refuse("file exists; use --force to overwrite it", str(self.path), errno.EEXIST)
                raise self._failed(exc) from None
            raise
        self.abandon()  # closes the file and removes the fallback's folder; the output stays
        with contextlib.suppress(OSError):  # make the new name durable where the OS allows
            dir_fd = os.open(self._directory, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)

    def abandon(self) -> None:
        """Close and remove the temporary file; ``path`` stays as it was. Safe to repeat.

        Written directly (a device, a FIFO), what was written stays written."""
        self._done = True
        with contextlib.suppress(OSError):
            self._open.close()  # an unnamed file is gone with its last descriptor
        if self._folder is not None:
            osfiles.remove_folder(self._folder)
            self._folder = None

    def __enter__(self) -> AtomicWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: object) -> None:
        if kind is None:
            self.commit()
        else:
            self.abandon()

    def _follow(self) -> Path:
        """Where ``path`` leads: itself, or the end of its chain of symbolic links (which
        need not exist yet). Refuses a link planted by another user in a shared folder."""
        try:
            if not os.path.islink(self.path):
                return self.path
            link, folder = os.lstat(self.path), os.stat(self._directory)
        except OSError as exc:
            raise self._failed(exc, "cannot write here") from None
        sticky = folder.st_mode & stat.S_ISVTX and folder.st_mode & 0o002
        if sticky and link.st_uid not in (os.geteuid(), folder.st_uid):
            _refuse(
                f"a symbolic link of another user (uid {link.st_uid}) in a folder everybody may write "
                "to: not followed; give the file it leads to",
                str(self.path),
                errno.EACCES,
            )
        return Path(os.path.realpath(self.path))

    def _inspect(self) -> os.stat_result | None:
        """What is at ``_real`` (``None``: nothing yet); refuses what cannot be written to
        or is not to be replaced, and a name the file system would not take."""
        limit = osfiles.name_max(self._directory)
        size = len(os.fsencode(self._real.name))
        if size > limit:
            _refuse(
                f"file name too long: {size} bytes, at most {limit} in a name here",
                str(self.path),
                errno.ENAMETOOLONG,
            )
        try:
            info = os.stat(self._real)
        except FileNotFoundError:
            return None  # a missing folder is said when the file cannot be made there
        except OSError as exc:
            raise self._failed(exc, "cannot write here") from None
        mode = info.st_mode
        if stat.S_ISDIR(mode):
            _refuse("is a folder: give the name of a file to write", str(self.path), errno.EISDIR)
        if stat.S_ISBLK(mode) and not self._force:
            _refuse("is a block device (a disk): use --force to write over it", str(self.path), errno.EEXIST)
        if not (stat.S_ISREG(mode) or stat.S_ISCHR(mode) or stat.S_ISBLK(mode) or stat.S_ISFIFO(mode)):
            _refuse("is a socket: give a file, a device or a FIFO to write to", str(self.path), errno.ENXIO)
        return info

    def _stream(self, opening: Callable[[], int], number: int | None) -> BinaryIO:
        """Open a device, a FIFO or a descriptor to be written straight to."""
        self._direct = True
        if number in (1, 2):  # what Python holds for the same descriptor goes first
            with contextlib.suppress(Exception):
                (sys.stdout if number == 1 else sys.stderr).flush()
        try:
            fd = opening()
        except OSError as exc:
            raise self._failed(exc, "cannot write here") from None
        return self._open.enter_context(_opened(fd))

    def _create(self) -> int:
        """A new, empty, private file for the output's folder: unnamed where the OS and the
        file system offer it, else ``part`` in a private temporary folder next to the output."""
        flag = getattr(os, "O_TMPFILE", None)
        if flag is not None:
            try:
                fd = os.open(self._directory, flag | os.O_WRONLY | os.O_CLOEXEC, PRIVATE)
            except OSError as exc:
                if exc.errno not in osfiles.NO_TMPFILE:
                    raise self._failed(exc, "cannot write here") from None
            else:
                if os.path.exists(osfiles.proc_link(fd)):  # linked in through /proc at commit
                    self._unnamed = True
                    return fd
                os.close(fd)
        try:
            self._folder = osfiles.private_folder(self._directory)
            return os.open(self._folder / "part", osfiles.PART, PRIVATE)
        except OSError as exc:
            self.abandon()
            raise self._failed(exc, "cannot write here") from None

    def _place(self) -> None:
        """Give the written file the output's name: linked in as a new name (which fails
        rather than replace a file that appeared meanwhile, unless ``force``), or renamed
        over the regular file there."""
        folder = self._folder or self._directory
        source = osfiles.proc_link(self._handle.fileno()) if self._unnamed else str(folder / "part")
        try:
            if not self._existed:
                osfiles.link(source, self._real)  # never replaces
                return
        except FileExistsError:
            if not self._force:
                raise
        except OSError as exc:
            if self._unnamed or exc.errno not in osfiles.NO_LINKS:
                raise
            if not self._force and os.path.lexists(self._real):
                raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST)) from None
        if not self._unnamed:
            os.replace(source, self._real)
            return
        temporary = self._directory / osfiles.temporary_name()
        osfiles.link(source, temporary)
        try:
            os.replace(temporary, self._real)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise

    def _failed(self, exc: OSError, what: str = "cannot write") -> WriteError:
        error = WriteError([Problem(f"{what}: {exc.strerror}", Location(str(self.path)))])
        error.__context__ = exc
        return error


def _opened(fd: int) -> BinaryIO:
    """A buffered binary file for ``fd``, which is closed if that cannot be made."""
    try:
        return os.fdopen(fd, "wb")
    except BaseException:
        os.close(fd)
        raise


def _refuse(message: str, path: str, code: int) -> NoReturn:
    """Raise a one-problem :class:`WriteError` whose context carries ``code`` (an errno)."""
    error = WriteError([Problem(message, Location(path) if path else None)])
    error.__context__ = OSError(code, os.strerror(code))
    error.__suppress_context__ = True
    raise error


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
