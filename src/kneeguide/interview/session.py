"""Interview sessions on disk: saved after every answer, resumable after a crash.

A session file is JSON holding the answers, the prompts asked so far (so
"back" and resume work), the audience, region and language, and the digest of
the rules it was started with. It is written atomically and owner-only, under
the user's data directory (``KNEEGUIDE_DATA_DIR`` overrides it, for tests and
for clinics that keep records elsewhere).

Nobody else can plant, share or swap a session:

- the data folder and its ``sessions`` folder must be the user's own and writable
  by them only (:func:`sessions_folder`), and a session is resumed only from a
  regular file of theirs that others cannot write (:func:`check_own_file`), all
  checked before a session is read or written;
- an interview holds a lock on its session for as long as it runs
  (:class:`~kneeguide.interview.lock.SessionLock`), so a second ``--resume`` of it says
  it is in use instead of letting the last save win;
- a damaged session is named, and its intact previous copy offered
  (:func:`kneeguide.interview.resume.open_to_resume`); ``--resume`` never moves on to
  another interview in its place.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from kneeguide.errors import InputError, KneeguideError, Location, Problem
from kneeguide.files import own_folder, write_atomic
from kneeguide.inputs.bounded import read_regular
from kneeguide.interview.lock import SessionInUse, SessionLock

FORMAT = "kneeguide-session"
VERSION = 1


def data_dir() -> Path:
    override = os.environ.get("KNEEGUIDE_DATA_DIR")
    if override:
        return Path(override)
    from kneeguide.files import user_dir

    return user_dir("data")


def sessions_dir() -> Path:
    return data_dir() / "sessions"


def sessions_folder(*, create: bool) -> Path | None:
    """The sessions folder, once it and the data folder are known to be the user's own;
    None when it does not exist (and ``create`` is not set).

    The data folder is checked before anything is made or read in it; missing folders
    are created owner-only (0o700). The default data folder and the ``sessions`` folder
    are kneeguide's own: when others can read or write them they are made private
    (an older version made them under the umask). A ``KNEEGUIDE_DATA_DIR`` the person
    chose is never changed: when it is not theirs alone, it is refused.
    Raises :class:`~kneeguide.files.FolderError` or :class:`~kneeguide.files.WriteError`
    (one line naming the folder, see :func:`kneeguide.files.own_folder`).
    """
    chosen = bool(os.environ.get("KNEEGUIDE_DATA_DIR"))
    data = data_dir()
    own_folder(data, tighten=not chosen)
    folder = sessions_dir()
    exists = own_folder(folder, create=create, tighten=True)
    own_folder(data, tighten=not chosen)  # made just now: by us, not by someone quicker
    return folder if exists else None


def check_own_file(path: Path) -> None:
    """Refuse a session file that is a symbolic link, belongs to another user, or that
    others can write: a planted or shared file is never resumed.

    A file that does not exist or cannot be looked at is let through:
    :meth:`Session.load` says what is wrong with it in its own words.
    Raises :class:`InputError` located at ``path`` (keys ``session_symlink``,
    ``session_not_yours`` with ``owner``, ``session_open`` with ``mode``).
    """
    try:
        info = os.lstat(path)
    except OSError:
        return
    where = Location(str(path))
    if stat.S_ISLNK(info.st_mode):
        message = "is a symbolic link; a session is resumed only from the file itself"
        raise InputError([Problem(message, where, "session_symlink")])
    if info.st_uid != os.geteuid():
        message = (
            f"this session file belongs to another user (uid {info.st_uid}); "
            "only your own sessions are resumed"
        )
        raise InputError([Problem(message, where, "session_not_yours", (("owner", str(info.st_uid)),))])
    if info.st_mode & 0o022:
        mode = f"{stat.S_IMODE(info.st_mode):04o}"
        message = f"others can change this session file (mode {mode}); it is not resumed"
        raise InputError([Problem(message, where, "session_open", (("mode", mode),))])


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass
class Session:
    path: Path
    audience: str
    region: str
    lang: str
    rules_digest: str
    answers: dict[str, Any] = field(default_factory=dict)
    steps: list[list[str]] = field(default_factory=list)
    individually: list[str] = field(default_factory=list)
    emergency_shown: bool = False
    status: str = "in_progress"
    created: str = field(default_factory=_now)
    updated: str = field(default_factory=_now)

    @classmethod
    def new(cls, audience: str, region: str, lang: str, rules_digest: str) -> Session:
        """A new session in the sessions folder (checked and created, see
        :func:`sessions_folder`), named after the time it began; nothing is written yet."""
        return cls.started(audience, region, lang, rules_digest, locked=False)[0]

    @classmethod
    def started(
        cls, audience: str, region: str, lang: str, rules_digest: str, *, locked: bool = True
    ) -> tuple[Session, SessionLock | None]:
        """A new session and, when ``locked``, the lock it is held by for the interview's
        life: two interviews started in the same second get two files, never one."""
        folder = sessions_folder(create=True)
        assert folder is not None  # created
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        suffix = 1
        while True:
            path = folder / (f"{stamp}.json" if suffix == 1 else f"{stamp}-{suffix}.json")
            suffix += 1
            if os.path.lexists(path):
                continue
            if not locked:
                return cls(path, audience, region, lang, rules_digest), None
            try:
                lock = SessionLock.take(path)
            except SessionInUse:
                continue  # another interview began this second and has this name
            if os.path.lexists(path):  # ... and saved it between the two looks
                lock.release()
                continue
            return cls(path, audience, region, lang, rules_digest), lock

    def save(self, *, keep_previous: bool = True) -> None:
        """Write the session whole, keeping the last good copy as :attr:`previous`
        (unless ``keep_previous`` is off: the file at :attr:`path` is damaged and the
        previous copy is the good one)."""
        self.updated = _now()
        body = {
            "format": FORMAT,
            "version": VERSION,
            "status": self.status,
            "created": self.created,
            "updated": self.updated,
            "audience": self.audience,
            "region": self.region,
            "lang": self.lang,
            "rules_digest": self.rules_digest,
            "answers": self.answers,
            "steps": self.steps,
            "individually": self.individually,
            "emergency_shown": self.emergency_shown,
        }
        if keep_previous and self.path.exists():
            # Keep the last good copy: a file damaged later (by hand, by a disk fault)
            # never takes the answers with it.
            prev = self.previous
            with contextlib.suppress(OSError):
                if prev.exists():
                    prev.unlink()
                os.link(self.path, prev)
        write_atomic(self.path, json.dumps(body, ensure_ascii=False, indent=2) + "\n")

    @property
    def previous(self) -> Path:
        return self.path.with_name(self.path.name + ".prev")

    @classmethod
    def load(cls, path: Path) -> Session:
        """The session saved at ``path``.

        The file must be a regular file of at most :data:`MAX_BYTES` (a FIFO or
        ``/dev/zero`` is refused before a byte is read) holding strict JSON (no
        duplicate key, no ``NaN``) with the fields :meth:`save` writes. Raises
        :class:`InputError` with one line naming the file (and, when the file is
        damaged, its intact previous copy). The answers come back as saved, not yet
        checked: the caller checks them against the rules it runs with, as every
        other answer is checked (``kneeguide.ruleset.answers.check_answers``).
        """
        from kneeguide.ruleset.jsonio import parse_json
        from kneeguide.ruleset.yamlio import decode, to_plain

        shown = str(path)
        where = Location(shown)
        data = read_regular(path, MAX_BYTES, "session file", _READ_KEYS)
        try:
            raw = to_plain(parse_json(decode(data, shown), shown))
        except KneeguideError as exc:
            first = exc.problems[0]
            message = f"session file is damaged: {first.message}"
            prev = path.with_name(path.name + ".prev")
            if prev.exists():
                message += f"; the previous copy is intact: kneeguide interview --resume {prev}"
                problem = Problem(message, first.location, "session_damaged_prev", (("prev", str(prev)),))
            else:
                problem = Problem(message, first.location, "session_damaged")
            raise InputError([problem]) from None
        if not isinstance(raw, dict) or raw.get("format") != FORMAT:
            raise InputError([Problem("not a kneeguide session file", where, "session_not_a_session")])
        try:
            return cls(
                path=path,
                audience=_field(raw, "audience", str),
                region=_field(raw, "region", str),
                lang=_field(raw, "lang", str),
                rules_digest=_field(raw, "rules_digest", str),
                answers=dict(_field(raw, "answers", dict)),
                steps=_field(raw, "steps", (list, _IDS)),
                individually=_field(raw, "individually", _IDS, []),
                emergency_shown=_field(raw, "emergency_shown", bool, False),
                status=_field(raw, "status", str, "in_progress"),
                created=_field(raw, "created", str, _now()),
                updated=_field(raw, "updated", str, _now()),
            )
        except ValueError as exc:
            problem = Problem(f"session file is incomplete ({exc})", where, "session_incomplete")
            raise InputError([problem]) from None


#: The most a session file may hold, in bytes: a whole interview saves under 20 KiB.
MAX_BYTES = 4 * 1024 * 1024
#: The message keys of a session file that cannot be read (see ``files.read_regular``).
_READ_KEYS = {
    "not_found": "session_not_found",
    "directory": "session_not_regular",
    "not_regular": "session_not_regular",
    "too_large": "session_too_large",
    "unreadable": "session_unreadable",
}


_REQUIRED: Any = object()
_SHAPES = {str: "text", bool: "true or false", list: "a list", dict: "a mapping"}
#: The shape of a list field: (list, the shape of each item).
_IDS = (list, str)


def _field(raw: dict[str, Any], name: str, shape: Any, default: Any = _REQUIRED) -> Any:
    """``raw[name]`` if it has ``shape`` (a type, or ``(list, item shape)``); raises
    ValueError naming the field when it is missing (and required) or of another shape."""
    value = raw.get(name, default)
    if value is _REQUIRED:
        raise ValueError(f"no '{name}'")
    kind, inner = shape if isinstance(shape, tuple) else (shape, None)
    if not isinstance(value, kind):
        raise ValueError(f"'{name}': expected {_SHAPES[kind]}, found {type(value).__name__}")
    for item in value if inner is not None else ():
        _field({name: item}, name, inner)
    return value


def latest_in_progress() -> Path | None:
    """The newest session file that is in progress, or damaged; None when there is none.

    A damaged file is returned, not passed over: it may well be the interview the person
    means, and going on with an older one in its place would be a different interview
    (the caller names the damaged file and offers its intact copy). A completed session
    is passed over. Every file looked at is checked first (:func:`check_own_file`), and
    the folders too (:func:`sessions_folder`); raises :class:`InputError` or
    :class:`~kneeguide.files.FolderError` for one that is not the user's own.
    """
    folder = sessions_folder(create=False)
    if folder is None:
        return None
    # (".prev" copies, ".lock" and ".damaged" files do not match "*.json")
    for path in sorted(folder.glob("*.json"), key=lambda p: p.lstat().st_mtime, reverse=True):
        check_own_file(path)
        try:
            if Session.load(path).status == "in_progress":
                return path
        except InputError:
            return path
    return None
