"""Interview sessions that nobody can plant, share or swap (issue 17, item 5).

An attack run found three ways to get the wrong answers into an interview:

- with ``KNEEGUIDE_DATA_DIR`` on a world-writable folder of another user, ``interview
  --resume`` took a session planted there (every warning sign "no");
- the same session resumed in two terminals: the last save won and an answer was lost;
- when the newest session was damaged, ``--resume`` silently went on with an older,
  different interview.

Each is a test here, run as a person meets it: the real ``kneeguide interview`` on a
pseudo-terminal (tests/screen.py), with the session files of ``tests/inputs/sessions/``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import stat
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from screen import TERMINAL_ENV, Screen

from kneeguide.errors import InputError
from kneeguide.files import FolderError, own_folder
from kneeguide.interview import session as sessions
from kneeguide.interview.lock import SessionInUse, SessionLock
from kneeguide.interview.resume import Copy, open_to_resume
from kneeguide.interview.session import Session, check_own_file

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX owners, modes and locks")

INPUTS = Path(__file__).parent / "inputs" / "sessions"
IS_ROOT = os.geteuid() == 0
#: Another user (nobody): only root can give a file to another user, so the tests that
#: need a file of someone else's run as root (as CI does) and are skipped otherwise.
OTHER = 65534
as_root = pytest.mark.skipif(not IS_ROOT, reason="needs root to give files to another user")


def never(copy: Copy) -> bool:
    raise AssertionError(f"asked about {copy}")


@pytest.fixture()
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("KNEEGUIDE_DATA_DIR", str(folder))
    return folder


def put(source: str, target: Path, *, age: float = 0.0) -> Path:
    """The input file ``source`` copied to ``target`` (owner-only), ``age`` seconds old."""
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    shutil.copyfile(INPUTS / source, target)
    target.chmod(0o600)
    when = time.time() - age
    os.utime(target, (when, when))
    return target


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under ``folder`` with its bytes and modification time: what "untouched" means."""
    return {
        str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def interview(tmp_path: Path, *args: str, data: Path, columns: int = 240, lang: str = "en") -> Screen:
    """``kneeguide interview --lang LANG ARGS`` on a pseudo-terminal, its sessions in ``data``."""
    return Screen(
        [sys.executable, "-m", "kneeguide", "interview", "--lang", lang, *args],
        env={
            **TERMINAL_ENV,
            "LANG": "C.UTF-8",
            "LC_ALL": "",
            "KNEEGUIDE_DATA_DIR": str(data),
            "KNEEGUIDE_CONFIG": str(tmp_path / "config.yaml"),
        },
        columns=columns,
        cwd=str(tmp_path),
    )


def refused(term: Screen) -> list[str]:
    """The lines a refused interview wrote (it must end with status 2)."""
    try:
        assert term.finish() == 2, term.output
    finally:
        term.stop()
    written = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", term.output)  # the prompt's own drawing, if any
    return [line for line in written.replace("\r\n", "\n").split("\n") if line.strip()]


@pytest.fixture()
def screens() -> Iterator[list[Screen]]:
    """Terminals a test opens, stopped whatever happens."""
    opened: list[Screen] = []
    yield opened
    for term in opened:
        term.stop()


FIRST_PROMPT = "Part "  # every question of the interview shows its progress: "Part 2 of 11: ..."


# --- 1. a data folder that is not the user's own -------------------------------------------------


@as_root
@pytest.mark.parametrize("how", ["latest", "by name", "new"])
def test_a_session_planted_in_another_users_shared_folder_is_never_resumed(tmp_path: Path, how: str) -> None:
    shared = tmp_path / "shared"  # as /tmp/shared, mode 1777, of another user
    planted = put("planted_all_no.json", shared / "sessions" / "20990101-000000.json")
    for path in (shared, shared / "sessions", planted):
        os.chown(path, OTHER, OTHER)
    shared.chmod(0o1777)
    (shared / "sessions").chmod(0o777)
    before = snapshot(shared)
    args = {"latest": ["--resume"], "by name": ["--resume", str(planted)], "new": ["--region", "JP"]}[how]
    lines = refused(interview(tmp_path, *args, data=shared))
    if how == "by name":  # a file named in a folder where anyone can swap files
        folder = planted.parent
        assert lines == [
            f"kneeguide: {folder}: others can write in this folder (mode 0777); answers are kept only in a "
            f"folder that only you can write to: run 'chmod go-w {folder}' or set KNEEGUIDE_DATA_DIR to "
            "another folder"
        ]
    else:
        assert lines == [
            f"kneeguide: {shared}: this folder belongs to another user (uid {OTHER}); answers are kept only "
            "in a folder of your own that only you can write to (set KNEEGUIDE_DATA_DIR to one)"
        ]
    assert snapshot(shared) == before  # nothing read into an interview, nothing written, no lock


def test_a_chosen_data_folder_that_others_can_write_is_refused_and_left_as_it_is(data: Path) -> None:
    put("older_other_interview.json", data / "sessions" / "20250301-090000.json")
    data.chmod(0o777)
    with pytest.raises(FolderError) as info:
        open_to_resume(None, never)
    assert info.value.lines() == [
        f"{data}: others can write in this folder (mode 0777); answers are kept only in a folder that "
        f"only you can write to: run 'chmod go-w {data}' or set KNEEGUIDE_DATA_DIR to another folder"
    ]
    assert info.value.problems[0].key == "folder_open"
    with pytest.raises(FolderError):
        Session.new("lay", "JP", "en", "sha256:0")
    assert stat.S_IMODE(data.stat().st_mode) == 0o777  # a folder the person chose is not changed


def test_kneeguides_own_data_folder_open_to_others_is_made_private(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The default folder (made by an older version under a umask of 002) is kneeguide's:
    made private rather than refused."""
    monkeypatch.delenv("KNEEGUIDE_DATA_DIR", raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    folder = tmp_path / "share" / "kneeguide"
    (folder / "sessions").mkdir(parents=True)
    folder.chmod(0o775)
    (folder / "sessions").chmod(0o775)
    Session.new("lay", "JP", "en", "sha256:0")
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / "sessions").stat().st_mode) == 0o700


def test_a_new_data_folder_is_made_owner_only_whatever_the_umask(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deep = tmp_path / "deep" / "er" / "data"
    monkeypatch.setenv("KNEEGUIDE_DATA_DIR", str(deep))
    old = os.umask(0)
    try:
        session = Session.new("lay", "JP", "en", "sha256:0")
    finally:
        os.umask(old)
    made = [tmp_path / "deep", tmp_path / "deep" / "er", deep, session.path.parent]
    assert [stat.S_IMODE(p.stat().st_mode) for p in made] == [0o700] * 4


def test_a_data_path_that_is_a_file_is_refused(tmp_path: Path) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("")
    with pytest.raises(FolderError) as info:
        own_folder(blocker)
    assert info.value.lines() == [f"{blocker}: not a folder (expected the folder that keeps the interviews)"]


# --- 1. a session file that is not the user's own ------------------------------------------------


@as_root
@pytest.mark.parametrize("how", ["latest", "by name"])
def test_a_session_file_of_another_user_is_never_resumed(tmp_path: Path, how: str) -> None:
    data = tmp_path / "data"
    planted = put("planted_all_no.json", data / "sessions" / "20990101-000000.json")
    data.chmod(0o700)
    os.chown(planted, OTHER, OTHER)
    before = snapshot(data)
    args = ["--resume"] if how == "latest" else ["--resume", str(planted)]
    lines = refused(interview(tmp_path, *args, data=data))
    assert lines == [
        f"kneeguide: {planted}: this session file belongs to another user (uid {OTHER}); "
        "only your own sessions are resumed"
    ]
    assert snapshot(data) == before


@as_root
def test_a_session_of_ones_own_named_in_a_shared_sticky_folder_is_resumed(tmp_path: Path, data: Path) -> None:
    """As ``--resume /tmp/mine.json``: /tmp is everyone's, but sticky, so nobody else can
    swap the person's own file there; another user's file there is refused."""
    shared = tmp_path / "tmp"
    mine = put("older_other_interview.json", shared / "mine.json")
    theirs = put("planted_all_no.json", shared / "theirs.json")
    os.chown(shared, OTHER, OTHER)
    os.chown(theirs, OTHER, OTHER)
    shared.chmod(0o1777)
    found = open_to_resume(mine, never)
    found.lock.release()
    assert found.session.answers["age"] == 30
    with pytest.raises(InputError) as info:
        open_to_resume(theirs, never)
    assert info.value.problems[0].key == "session_not_yours"


def test_a_session_file_others_can_write_is_never_resumed(data: Path) -> None:
    path = put("planted_all_no.json", data / "sessions" / "20990101-000000.json")
    path.chmod(0o666)
    for given in (None, path):
        with pytest.raises(InputError) as info:
            open_to_resume(given, never)
        assert info.value.lines() == [
            f"{path}: others can change this session file (mode 0666); it is not resumed"
        ]
    assert not SessionLock.lock_file(path).exists()


def test_a_symlinked_session_file_is_never_resumed(tmp_path: Path, data: Path) -> None:
    elsewhere = put("planted_all_no.json", tmp_path / "elsewhere" / "session.json")
    link = data / "sessions" / "20990101-000000.json"
    link.parent.mkdir(parents=True, mode=0o700)
    link.symlink_to(elsewhere)
    for given in (None, link):
        with pytest.raises(InputError) as info:
            open_to_resume(given, never)
        assert info.value.lines() == [
            f"{link}: is a symbolic link; a session is resumed only from the file itself"
        ]


def test_a_session_of_the_users_own_is_resumed(data: Path) -> None:
    path = put("older_other_interview.json", data / "sessions" / "20250301-090000.json")
    found = open_to_resume(None, never)
    try:
        assert found.session.path == path and found.session.answers["age"] == 30 and found.kept is None
    finally:
        found.lock.release()
    check_own_file(path)  # no error


# --- 2. one session, one interview -----------------------------------------------------------


def test_a_locked_session_says_which_process_has_it(tmp_path: Path) -> None:
    path = tmp_path / "20250308-100000.json"
    lock = SessionLock.take(path)
    assert SessionLock.lock_file(path).read_text() == f"{os.getpid()}\n"
    with pytest.raises(SessionInUse) as info:
        SessionLock.take(path)
    assert info.value.lines() == [
        f"{path}: this interview is already open in another window (process {os.getpid()}): "
        "continue it there, or close that window first"
    ]
    lock.release()
    assert not SessionLock.lock_file(path).exists()  # nothing left behind
    SessionLock.take(path).release()  # free again
    lock.release()  # twice is harmless


def test_two_interviews_started_in_the_same_second_get_two_files(data: Path) -> None:
    first, held = Session.started("lay", "JP", "en", "sha256:0")
    second, also = Session.started("lay", "JP", "en", "sha256:0")
    try:
        assert first.path != second.path
    finally:
        for lock in (held, also):
            assert lock is not None
            lock.release()


def test_the_same_session_in_two_terminals_the_second_is_refused(
    tmp_path: Path, data: Path, screens: list[Screen]
) -> None:
    """Two real `kneeguide interview --resume` processes: the second says in one line which
    process has the session and leaves it alone; once the first has ended (Ctrl-C, or killed
    outright), the session can be resumed again."""
    path = put("older_other_interview.json", data / "sessions" / "20250301-090000.json")
    first = interview(tmp_path, "--resume", str(path), data=data)
    screens.append(first)
    first.wait(FIRST_PROMPT, "the first question")
    before = snapshot(data)
    for args in (["--resume", str(path)], ["--resume"]):  # by name, and as the latest
        lines = refused(interview(tmp_path, *args, data=data))
        assert lines == [
            f"kneeguide: {path}: this interview is already open in another window "
            f"(process {first.child.pid}): continue it there, or close that window first"
        ]
    assert snapshot(data) == before  # the second did not touch it

    first.send("\x03")  # Ctrl-C: saved, and let go of
    assert first.finish() == 130
    second = interview(tmp_path, "--resume", data=data)
    screens.append(second)
    second.wait(FIRST_PROMPT, "the first question, resumed again")
    second.child.kill(signal.SIGKILL)  # killed outright: the OS lets go of the lock
    second.child.wait()
    third = interview(tmp_path, "--resume", str(path), data=data)
    screens.append(third)
    third.wait(FIRST_PROMPT, "the first question, after a SIGKILL")


def test_a_new_interview_is_in_use_once_it_has_an_answer(
    tmp_path: Path, data: Path, screens: list[Screen]
) -> None:
    from screen import none_of_the_first_list

    from kneeguide.api import load_rules

    started = interview(tmp_path, "--region", "JP", data=data)
    screens.append(started)
    started.wait("None of these", "the first tick-list")
    started.send(none_of_the_first_list(load_rules()))
    started.wait("Part 2", "the second question")
    (path,) = (data / "sessions").glob("*.json")
    lines = refused(interview(tmp_path, "--resume", data=data))
    assert lines == [
        f"kneeguide: {path}: this interview is already open in another window (process {started.child.pid}): "
        "continue it there, or close that window first"
    ]


# --- 3. a damaged newest session -------------------------------------------------------------


def damaged_newest(data: Path) -> tuple[Path, Path, Path]:
    """An older, different interview, and the newest one cut short, with its intact copy."""
    older = put("older_other_interview.json", data / "sessions" / "20250301-090000.json", age=7 * 86400)
    newest = put("newest_truncated.json", data / "sessions" / "20250308-100000.json")
    copy = put("newest.json.prev", data / "sessions" / "20250308-100000.json.prev", age=60)
    return older, newest, copy


#: What the JSON reader says of the truncated session of tests/inputs/sessions.
DAMAGE = "invalid JSON: the text ends before the closing '}'"


def copy_saved(copy: Path) -> str:
    """When the copy was saved, as the offer shows it (local time)."""
    from datetime import datetime

    updated = json.loads(copy.read_text())["updated"]
    return datetime.fromisoformat(updated).astimezone().strftime("%Y-%m-%d %H:%M")


def test_a_damaged_newest_session_is_named_and_its_copy_offered(data: Path) -> None:
    _older, newest, copy = damaged_newest(data)
    asked: list[Copy] = []

    def decline(offered: Copy) -> bool:
        asked.append(offered)
        return False

    before = snapshot(data)
    with pytest.raises(InputError) as info:
        open_to_resume(None, decline)
    assert [c.damaged for c in asked] == [newest] and asked[0].copy == copy and asked[0].answers == 17
    assert info.value.lines()[0].startswith(f"{newest}:")
    assert info.value.lines()[0].endswith(
        f"; the previous copy is intact: kneeguide interview --resume {copy}"
    )
    assert snapshot(data) == before  # declined: nothing changed, the older one not taken


def test_the_intact_copy_taken_goes_on_as_the_same_interview(data: Path) -> None:
    older, newest, copy = damaged_newest(data)
    damaged = newest.read_bytes()
    found = open_to_resume(None, lambda offered: True)
    try:
        assert found.session.path == newest
        assert found.session.answers == json.loads(copy.read_text())["answers"]
        assert found.kept == newest.with_name(newest.name + ".damaged")
        assert found.kept.read_bytes() == damaged  # kept, not dropped
        assert Session.load(newest).answers == found.session.answers  # the interview is where it was
        found.session.answers["sex"] = "female"
        found.session.save()
        assert Session.load(newest.with_name(newest.name + ".prev")).answers["age"] == 64
    finally:
        found.lock.release()
    assert json.loads(older.read_text())["answers"]["age"] == 30


def test_a_damaged_newest_session_without_a_copy_is_refused_not_replaced(data: Path) -> None:
    _older, newest, copy = damaged_newest(data)
    copy.unlink()
    before = snapshot(data)
    with pytest.raises(InputError) as info:
        open_to_resume(None, never)
    lines = info.value.lines()
    assert lines[0].startswith(f"{newest}:") and "session file is damaged" in lines[0]
    assert lines[1:] == [
        "the latest interview cannot be resumed, and no other is taken in its place: resume another "
        "with 'kneeguide interview --resume FILE', or start a new one with 'kneeguide interview'"
    ]
    assert snapshot(data) == before


def test_resuming_the_copy_by_name_goes_on_as_its_interview(data: Path) -> None:
    _older, newest, copy = damaged_newest(data)
    found = open_to_resume(copy, never)  # the command the refusal prints
    try:
        assert found.session.path == newest and found.session.answers["age"] == 64
    finally:
        found.lock.release()


def test_the_copy_of_an_intact_session_is_not_resumed_over_it(data: Path) -> None:
    _older, newest, copy = damaged_newest(data)
    shutil.copyfile(INPUTS / "newest.json.prev", newest)
    with pytest.raises(InputError) as info:
        open_to_resume(copy, never)
    assert info.value.lines() == [
        f"{copy}: this is the previous copy of {newest}, which is intact: resume that file instead"
    ]


@pytest.mark.parametrize("take", [True, False])
def test_resume_in_a_terminal_asks_about_the_copy_of_a_damaged_session(
    tmp_path: Path, data: Path, take: bool, screens: list[Screen]
) -> None:
    older, newest, copy = damaged_newest(data)
    before = older.read_bytes()
    term = interview(tmp_path, "--resume", data=data)
    screens.append(term)
    term.wait("(Y/n)", "the offer of the copy")
    said = " ".join(term.text().split())
    assert said == (
        f"? The interview saved in {newest} cannot be read: the file is damaged. An earlier copy is intact "
        f"(saved {copy_saved(copy)}, 17 answers). Continue the interview from that copy? (Y/n)"
    )
    if not take:
        term.send("n")
        lines = refused(term)
        assert lines[-1].startswith(f"kneeguide: {newest}:") and lines[-1].endswith(
            f": session file is damaged: {DAMAGE}; "
            f"the previous copy is intact: kneeguide interview --resume {copy}"
        )
        assert older.read_bytes() == before
        assert not SessionLock.lock_file(newest).exists()
        return
    term.send("\r")  # Enter: yes
    term.wait(f"The damaged file is kept here: {newest}.damaged", "the note")
    term.wait(FIRST_PROMPT, "the next question")
    term.send("\x03")
    assert term.finish() == 130
    saved = json.loads(newest.read_text())
    assert saved["answers"]["age"] == 64 and saved["status"] == "in_progress"
    assert older.read_bytes() == before  # the older, different interview: never taken


def test_an_older_interview_is_resumed_only_when_the_newer_ones_are_completed(data: Path) -> None:
    older = put("older_other_interview.json", data / "sessions" / "20250301-090000.json", age=86400)
    done = put("newest.json.prev", data / "sessions" / "20250308-100000.json")
    body = json.loads(done.read_text())
    done.write_text(json.dumps({**body, "status": "completed"}))
    assert sessions.latest_in_progress() == older


# --- note and export read a session only as interview --resume would -----------------------------


READERS = {"note": ["note"], "export": ["export", "--fhir"]}


def read_session(command: str, path: Path) -> tuple[int, str, list[str]]:
    """``kneeguide note --session PATH`` (or ``export --fhir``), run as a person would: its
    exit status, standard output and the lines on standard error."""
    from command import run

    done = run(*READERS[command], "--session", str(path), "--region", "JP", env={"LANG": "C.UTF-8"})
    return done.returncode, done.stdout, done.stderr.splitlines()


@pytest.mark.parametrize("command", sorted(READERS))
def test_note_and_export_refuse_a_session_in_a_folder_others_can_write(command: str, tmp_path: Path) -> None:
    """Regression: `note --session` and `export --session` read a planted session (every
    warning sign "no") that `interview --resume` refuses."""
    folder = tmp_path / "shared"
    planted = put("planted_all_no.json", folder / "s.json")
    folder.chmod(0o777)  # anyone can swap the file, and it is not sticky
    assert read_session(command, planted) == (
        2,
        "",
        [
            f"kneeguide: {folder}: others can write in this folder (mode 0777); answers are kept only in a "
            f"folder that only you can write to: run 'chmod go-w {folder}' or set KNEEGUIDE_DATA_DIR to "
            "another folder"
        ],
    )


@pytest.mark.parametrize("command", sorted(READERS))
@pytest.mark.parametrize("how", ["others can write it", "a symbolic link", "another user's"])
def test_note_and_export_refuse_a_session_file_that_is_not_the_users_own(
    command: str, how: str, tmp_path: Path
) -> None:
    path = put("planted_all_no.json", tmp_path / "mine" / "s.json")
    if how == "others can write it":
        path.chmod(0o666)
        expected = f"{path}: others can change this session file (mode 0666); it is not resumed"
    elif how == "a symbolic link":
        path = path.with_name("link.json")
        path.symlink_to("s.json")
        expected = f"{path}: is a symbolic link; a session is resumed only from the file itself"
    else:
        if not IS_ROOT:
            pytest.skip("needs root to give files to another user")
        os.chown(path, OTHER, OTHER)
        expected = (
            f"{path}: this session file belongs to another user (uid {OTHER}); "
            "only your own sessions are resumed"
        )
    assert read_session(command, path) == (2, "", [f"kneeguide: {expected}"])


@pytest.mark.parametrize("command", sorted(READERS))
def test_note_and_export_read_a_session_of_the_users_own(command: str, tmp_path: Path) -> None:
    code, out, err = read_session(command, put("older_other_interview.json", tmp_path / "mine" / "s.json"))
    assert code == 0, err
    assert out.startswith("#" if command == "note" else "{")
