"""Which saved interview ``interview --resume`` continues, and never another.

Everything is checked before a session is read (the folders and the file are the
user's own, see :mod:`kneeguide.interview.session`), the session is locked for the
interview (:mod:`kneeguide.interview.lock`), and a damaged session is named with its
intact previous copy offered, never passed over for an older, different interview.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from kneeguide.errors import InputError, Location, Problem
from kneeguide.files import WriteError, own_folder
from kneeguide.interview.lock import SessionLock
from kneeguide.interview.session import Session, check_own_file, latest_in_progress


class Copy(NamedTuple):
    """The intact previous copy of a damaged session, as offered to the person."""

    damaged: Path
    copy: Path
    answers: int  # how many questions it has answers for
    saved: str  # when it was saved, local time, "2024-05-01 21:07"


class Resumed(NamedTuple):
    session: Session
    lock: SessionLock
    kept: Path | None  # where the damaged file was kept, when the copy was resumed


def open_to_resume(given: Path | None, take_copy: Callable[[Copy], bool]) -> Resumed:
    """The session to resume (``given``, or the latest), locked for this interview.

    In order, before a byte of any session is read: the folder is checked (the data and
    sessions folders must be the user's own; the folder of a ``given`` file must at least
    not let others swap files in it, see :func:`kneeguide.files.own_folder`), then the
    file (:func:`check_own_file`), then the session is locked (:class:`SessionLock`).
    A damaged session with an intact previous copy is named and the copy offered
    (``take_copy`` says whether the person takes it): taken, the interview goes on from
    the copy under the session's own name, and the damaged file is kept beside it as
    ``<name>.damaged``; declined, or without an intact copy, the damaged file is refused
    with its own line (and, for the latest, that no other interview is taken in its place).
    ``given`` may be a ``.prev`` copy (the command the refusal prints): the interview then
    goes on from it, unless its session is intact (it would lose the newer answers).

    Raises :class:`InputError` (``resume_none``, ``session_*``), :class:`SessionInUse`,
    :class:`~kneeguide.files.FolderError` or :class:`~kneeguide.files.WriteError`.
    """
    latest = given is None
    if given is None:
        found = latest_in_progress()
        if found is None:
            raise InputError([Problem("no interrupted interview to resume", key="resume_none")])
        path = found
    else:
        path = given
        own_folder(path.parent, named=True)
    check_own_file(path)
    from_copy = path.name.endswith(".json.prev")
    session_path = path.with_name(path.name[: -len(".prev")]) if from_copy else path
    if from_copy:
        check_own_file(session_path)
    lock = SessionLock.take(session_path)
    try:
        if from_copy:
            if _intact(session_path):
                message = (
                    f"this is the previous copy of {session_path}, which is intact: resume that file instead"
                )
                problem = Problem(
                    message, Location(str(path)), "session_copy_of_intact", (("path", str(session_path)),)
                )
                raise InputError([problem])
            return _resumed_from(path, session_path, lock)
        try:
            return Resumed(Session.load(path), lock, None)
        except InputError as exc:
            if exc.problems[0].key == "session_not_found":
                raise
            copy = _intact_copy(path)
            if copy is not None and take_copy(copy):
                return _resumed_from(copy.copy, path, lock)
            if latest and copy is None:
                message = (
                    "the latest interview cannot be resumed, and no other is taken in its place: "
                    "resume another with 'kneeguide interview --resume FILE', "
                    "or start a new one with 'kneeguide interview'"
                )
                raise InputError([*exc.problems, Problem(message, key="resume_latest_damaged")]) from None
            raise
    except BaseException:
        lock.release()
        raise


def _intact(path: Path) -> bool:
    """Whether ``path`` holds a session that loads."""
    try:
        Session.load(path)
    except InputError:
        return False
    return True


def _intact_copy(path: Path) -> Copy | None:
    """The previous copy of the damaged session ``path``, when it is the user's own and loads."""
    copy = path.with_name(path.name + ".prev")
    check_own_file(copy)
    try:
        saved = Session.load(copy)
    except InputError:
        return None
    try:
        when = datetime.fromisoformat(saved.updated).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        when = saved.updated
    return Copy(path, copy, len(saved.answers), when)


def _resumed_from(copy: Path, path: Path, lock: SessionLock) -> Resumed:
    """The interview ``path`` going on from its intact ``copy``: the damaged file, if
    any, is kept as ``<path>.damaged`` and the copy written at ``path`` at once (so that
    the interview is never missing from the folder, where ``--resume`` looks for it); the
    copy stays as it is, the previous copy of the next save."""
    session = Session.load(copy)
    session.path = path
    kept = None
    if os.path.lexists(path):
        kept = path.with_name(path.name + ".damaged")
        try:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(kept)
            os.link(path, kept)
        except OSError as exc:
            problem = Problem(f"cannot keep the damaged file: {exc.strerror}", Location(str(kept)))
            raise WriteError([problem]) from None
    session.save(keep_previous=False)
    return Resumed(session, lock, kept)
