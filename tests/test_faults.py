"""Fault injection: crashes, full disks, read-only folders, damaged files, changed rules, signals.

The promises under test: a file kneeguide writes is either the old one or the
new one, never torn, and no temporary file is left behind; a write that fails
says so in one line (exit 2) instead of an internal error; a damaged session
leaves a good copy to go back to; every batch record carries the digest of the
rules that actually assessed it, whatever happens to the files on disk; and an
interruption (SIGTERM) leaves complete output and a saved interview (exit 130).

Tests run as root here, so "read-only" is simulated by making the file
creation fail with EACCES (as the kernel would); the permission-based variant
runs only for an unprivileged user.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import resource
import shutil
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from os_faults import children, interrupt, refuse_creating, running
from screen import TERMINAL_ENV, none_of_the_first_list

from kneeguide import cli, files
from kneeguide.api import assess_batch, load_rules
from kneeguide.batch.blocks import BLOCK
from kneeguide.cli import guard
from kneeguide.cli.interview import offer_saves
from kneeguide.errors import InputError
from kneeguide.files import WriteError, write_atomic
from kneeguide.interview.session import Session
from kneeguide.ruleset.files import builtin_rules
from kneeguide.ruleset.load import load_rules as load_rules_from

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and permissions")

TIMEOUT = 20
RULES = load_rules()
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


@pytest.fixture(autouse=True)
def _restore_cli_debug(monkeypatch: pytest.MonkeyPatch) -> None:
    """cli.main sets the ``--debug`` flag in kneeguide.cli.guard: put it back for the tests after."""
    monkeypatch.setattr(guard, "_debug", guard._debug)


def leftovers(folder: Path) -> list[str]:
    """Temporary files kneeguide would have left in ``folder`` (its own, or a fallback's)."""
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp") or ".kneeguide-tmp-" in p.name)


def writing_in(pid: int, folder: Path) -> bool:
    """Whether process ``pid`` has an output file open in ``folder``: the unnamed one
    (O_TMPFILE: ``FOLDER/#123 (deleted)`` in /proc) or the fallback's."""
    fds = Path(f"/proc/{pid}/fd")
    with contextlib.suppress(OSError):
        for fd in fds.iterdir():
            with contextlib.suppress(OSError):
                where = os.readlink(fd)
                if where.startswith(f"{folder}/") and where.endswith("(deleted)"):
                    return True
    return bool(leftovers(folder))


@pytest.fixture()
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("KNEEGUIDE_DATA_DIR", str(folder))
    return folder


@pytest.fixture()
def handlers() -> Iterator[None]:
    """In-process CLI runs may install SIGTERM/SIGHUP handlers: put pytest's back."""
    saved = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGHUP)}
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run the console entry point in process (so monkeypatched faults apply)."""
    with pytest.raises(SystemExit) as info:
        cli.main(args)
    out, err = capsys.readouterr()
    code = info.value.code
    return (code if isinstance(code, int) else 1), out, err


# --- a crash between two writes ------------------------------------------------------------------


def test_a_crash_before_the_rename_keeps_the_old_file_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "answers.json"
    write_atomic(target, '{"age": 64}\n')

    def crash(src: Any, dst: Any) -> None:
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(files.os, "replace", crash)
    with pytest.raises(WriteError) as info:
        write_atomic(target, '{"age": 65, "calf_swelling": "yes"}\n')
    assert info.value.lines() == [f"{target}: cannot write: {os.strerror(errno.EIO)}"]
    assert target.read_text() == '{"age": 64}\n'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["answers.json"]


def test_a_crash_between_two_session_saves_keeps_the_first(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = Session.new("lay", "JP", "en", RULES.digest)
    session.answers["age"] = 64
    session.save()
    first = session.path.read_bytes()

    def crash(src: Any, dst: Any) -> None:
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(files.os, "replace", crash)
    session.answers["calf_swelling"] = "yes"
    with pytest.raises(WriteError):
        session.save()
    monkeypatch.undo()
    assert session.path.read_bytes() == first
    assert Session.load(session.path).answers == {"age": 64}
    assert leftovers(session.path.parent) == []


def test_an_interruption_before_the_rename_leaves_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Regression test (a bug this suite found): write_atomic removed its temporary file only on
    OSError; an interruption (KeyboardInterrupt, which SIGTERM/SIGHUP become in the interview) between
    mkstemp and os.replace left '.NAME.xxxx.tmp' holding answers next to the target.
    """
    target = tmp_path / "session.json"
    write_atomic(target, "old\n")

    def interrupted(src: Any, dst: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(files.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, "new\n")
    assert target.read_text() == "old\n"
    assert leftovers(tmp_path) == []


# --- a full disk ---------------------------------------------------------------------------------


class _FullDisk:
    """A file handle on a full disk: writing raises ENOSPC."""

    def __init__(self, handle: Any) -> None:
        self.handle = handle

    def __enter__(self) -> _FullDisk:
        return self

    def __exit__(self, *exc: object) -> None:
        self.handle.close()

    def fileno(self) -> int:
        return int(self.handle.fileno())

    def write(self, data: bytes) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def flush(self) -> None:
        pass


@pytest.mark.parametrize("where", ["write", "fsync"])
def test_a_full_disk_on_the_session_file_keeps_the_previous_session(
    where: str, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = Session.new("lay", "JP", "en", RULES.digest)
    session.answers.update({"age": 64, "calf_swelling": "yes"})
    session.save()
    before = session.path.read_bytes()

    if where == "write":
        real_fdopen = os.fdopen
        monkeypatch.setattr(files.os, "fdopen", lambda fd, mode: _FullDisk(real_fdopen(fd, mode)))
    else:

        def full(fd: int) -> None:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        monkeypatch.setattr(files.os, "fsync", full)
    session.answers["warmth"] = "yes"
    with pytest.raises(WriteError) as info:
        session.save()
    monkeypatch.undo()
    assert info.value.lines() == [f"{session.path}: cannot write: {os.strerror(errno.ENOSPC)}"]
    assert session.path.read_bytes() == before
    assert Session.load(session.path).answers == {"age": 64, "calf_swelling": "yes"}
    assert leftovers(session.path.parent) == []


def test_a_full_disk_during_batch_is_one_clear_line_and_no_partial_output(tmp_path: Path) -> None:
    """Regression test (a bug this suite found): an OSError while batch wrote a record (ENOSPC
    surfaces in write() once the buffer flushes) was not caught: 'internal error: OSError', exit 1,
    and OUTPUT was renamed into place holding only the records written so far.

    Here a file size limit makes the kernel refuse a write part-way (EFBIG), as a full disk does.
    """
    source = tmp_path / "in.jsonl"
    count = BLOCK * 2 + 5  # three blocks, more than the limit lets through
    source.write_text("".join(json.dumps({"id": i, "age": 30 + i % 50}) + "\n" for i in range(count)))
    out_dir = tmp_path / "out"
    out_dir.mkdir()

    def small_disk() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a refused write, not a killed process
        resource.setrlimit(resource.RLIMIT_FSIZE, (256 * 1024, 256 * 1024))

    done = subprocess.run(
        [sys.executable, "-m", "kneeguide", "batch", str(source), "-o", str(out_dir / "out.jsonl")],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        preexec_fn=small_disk,
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr == f"kneeguide: {out_dir / 'out.jsonl'}: cannot write: {os.strerror(errno.EFBIG)}\n"
    assert done.stdout == "" and sorted(p.name for p in out_dir.iterdir()) == []


# --- a read-only folder --------------------------------------------------------------------------


@pytest.fixture()
def read_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A folder nobody may create files in (EACCES, as the kernel says for a read-only folder)."""
    folder = tmp_path / "read-only"
    folder.mkdir()
    refuse_creating(monkeypatch, folder)
    yield folder
    assert list(folder.iterdir()) == [], "nothing, not even a partial file, is left"


def test_batch_into_a_read_only_folder_is_one_clear_line(
    read_only: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], handlers: None
) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": "a", "age": 64, "calf_swelling": "yes"}) + "\n")
    target = read_only / "out.jsonl"
    code, out, err = run_cli(["batch", str(source), "-o", str(target)], capsys)
    assert code == 2 and out == ""
    assert err == f"kneeguide: {target}: cannot write here: {os.strerror(errno.EACCES)}\n"


def test_a_note_into_a_read_only_folder_is_one_clear_line(
    read_only: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text('{"age": 64, "calf_swelling": "yes"}\n')
    target = read_only / "note.md"
    code, out, err = run_cli(["note", "--answers", str(answers), "-o", str(target)], capsys)
    assert code == 2 and out == ""
    assert err == f"kneeguide: {target}: cannot write here: {os.strerror(errno.EACCES)}\n"


class _SaveEverything:
    """The asker at the end of an interview: yes to every offer, into one folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.shown: list[str] = []

    def pause(self, message: str) -> None:
        pass

    def confirm(self, message: str, default: bool) -> bool:
        return True

    def path(self, message: str, default: str) -> str:
        return str(self.folder / default)

    def show(self, text: str) -> None:
        self.shown.append(text)


def test_saving_answers_into_a_read_only_folder_says_so_and_goes_on(read_only: Path, data_dir: Path) -> None:
    from kneeguide.api import assess

    session = Session.new("lay", "JP", "en", RULES.digest)
    session.answers.update({"age": 64, "calf_swelling": "yes"})
    asker = _SaveEverything(read_only)
    offer_saves(RULES, session, assess(session.answers, rules=RULES), asker)
    refused = [line for line in asker.shown if os.strerror(errno.EACCES) in line]
    assert len(refused) == 3, asker.shown  # answers, assessment, note: each said, none fatal
    assert all(line.startswith(f"kneeguide: {read_only}/kneeguide-") for line in refused)


def test_an_interview_cannot_start_in_a_data_folder_it_cannot_create(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("KNEEGUIDE_DATA_DIR", str(blocker / "data"))
    with pytest.raises(WriteError) as info:
        Session.new("lay", "JP", "en", RULES.digest)
    assert info.value.lines()[0].startswith(f"{blocker}/data/sessions: cannot create directory:")


def test_an_unwritable_cache_never_stops_an_assessment(tmp_path: Path) -> None:
    blocker = tmp_path / "cache-is-a-file"
    blocker.write_text("")
    done = subprocess.run(
        [sys.executable, "-m", "kneeguide", "assess", "-a", "age=64", "--format", "json"],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        env={**os.environ, "KNEEGUIDE_CACHE_DIR": str(blocker / "cache")},
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["answers"] == {"age": 64}


@pytest.mark.skipif(IS_ROOT, reason="root ignores directory permissions; the monkeypatched variant covers it")
def test_batch_into_a_truly_read_only_folder(tmp_path: Path) -> None:  # pragma: no cover - not as root
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "kneeguide", "batch", "-", "-o", str(folder / "out.jsonl")],
            input=json.dumps({"age": 30}) + "\n",
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        )
        assert done.returncode == 2 and done.stdout == ""
        assert done.stderr == f"kneeguide: {folder}/out.jsonl: cannot write here: Permission denied\n"
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o755)


# --- a damaged session file ------------------------------------------------------------------------


def two_saves() -> Session:
    session = Session.new("lay", "JP", "en", RULES.digest)
    session.answers["age"] = 64
    session.save()
    session.answers["calf_swelling"] = "yes"
    session.save()
    return session


def test_after_two_saves_the_previous_copy_is_intact_and_private(data_dir: Path) -> None:
    session = two_saves()
    session.path.write_text('{"format": "kneeguide-session", "answ')  # torn by a disk fault
    with pytest.raises(InputError) as info:
        Session.load(session.path)
    assert info.value.lines()[0].startswith(f"{session.path}:1:")
    assert "damaged" in info.value.lines()[0]
    previous = Session.load(session.previous)
    assert previous.answers == {"age": 64}
    assert stat.S_IMODE(session.previous.stat().st_mode) == 0o600


def test_a_damaged_session_points_to_the_previous_copy(data_dir: Path) -> None:
    session = two_saves()
    session.path.write_text('{"format": "kneeguide-session", "answ')
    with pytest.raises(InputError) as info:
        Session.load(session.path)
    assert str(session.previous) in str(info.value)


# --- rules changed on disk during a batch -----------------------------------------------------------


@pytest.mark.parametrize("workers", [1, 2])
def test_rules_changed_during_a_batch_do_not_change_its_digest(workers: int, tmp_path: Path) -> None:
    folder = tmp_path / "rules"
    folder.mkdir()
    shutil.copytree(Path(str(builtin_rules())), folder, dirs_exist_ok=True)  # the files and catalogues
    rules = load_rules_from(folder, use_cache=False)
    answer_sets = (
        {"id": f"r{i}", "age": 30 + i, "calf_swelling": "yes", "recent_surgery": "yes"} for i in range(1, 41)
    )
    outs = []
    for out in assess_batch(answer_sets, rules=rules, region="JP", workers=workers):
        outs.append(out)
        if len(outs) == 1:  # the file changes under the running batch
            red_flags = folder / "red_flags.yaml"
            red_flags.write_text(red_flags.read_text(encoding="utf-8") + "\n# edited mid-batch\n")
    assert len(outs) == 40 and all(o["ok"] for o in outs)
    assert {o["rules_digest"] for o in outs} == {rules.digest}
    assert load_rules_from(folder, use_cache=False).digest != rules.digest  # the change was real


# --- SIGTERM to a running batch ---------------------------------------------------------------------


def test_sigterm_to_a_batch_keeps_complete_records_and_names_resume_from(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    started = subprocess.Popen(
        [sys.executable, "-m", "kneeguide", "batch", "-", "-o", str(target)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    with running(started) as child:
        assert child.stdin is not None
        deadline = time.monotonic() + TIMEOUT
        while not writing_in(child.pid, tmp_path):  # the output's temporary file: batch is under way
            assert time.monotonic() < deadline and child.poll() is None
            time.sleep(0.05)
        for i in range(3):  # fed slowly, through a pipe that stays open
            child.stdin.write(
                (json.dumps({"id": f"r{i}", "age": 60 + i, "calf_swelling": "yes"}) + "\n").encode()
            )
            child.stdin.flush()
            time.sleep(0.2)
        time.sleep(0.3)
        out, err = interrupt(child, signal.SIGTERM, timeout=TIMEOUT)
    stderr = err.decode()
    assert child.returncode == 130, stderr
    assert out == b"" and "Traceback" not in stderr
    text = target.read_text(encoding="utf-8")
    assert text.endswith("\n")
    records = [json.loads(line) for line in text.splitlines()]
    assert [r["row"] for r in records] == list(range(1, len(records) + 1))
    assert all(r["ok"] and r["rules_digest"] == RULES.digest for r in records)
    assert f"--resume-from {len(records) + 1}" in stderr
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert leftovers(tmp_path) == []


def test_ctrl_c_reaching_a_batch_worker_is_ignored_by_it(tmp_path: Path) -> None:
    """Deterministic stand-in for Ctrl-C to the group: SIGINT to one idle worker only. The parent
    alone should decide what an interruption means; the batch then completes normally.

    Regression test (a bug this suite found): batch --workers left the pool workers with the
    default SIGINT handling (and, forked after it, batch's own SIGTERM handler), so a Ctrl-C that
    reached them (a terminal sends it to the whole process group) printed 'Process
    ForkPoolWorker-N: Traceback ... KeyboardInterrupt' for each; a worker interrupted just after
    taking the task queue's lock died holding it, and the batch then hung for ever in
    Pool.terminate (about half of the runs of Ctrl-C to the group; every run of this test).
    """
    target = tmp_path / "out.jsonl"
    started = subprocess.Popen(
        [sys.executable, "-m", "kneeguide", "batch", "-", "-o", str(target), "--workers", "2"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    with running(started, group=True) as child:
        assert child.stdin is not None
        child.stdin.write("".join(json.dumps({"age": 30 + i}) + "\n" for i in range(3)).encode())
        child.stdin.flush()
        deadline = time.monotonic() + TIMEOUT
        while len(workers := children(child.pid)) < 2:  # both workers are up, waiting for tasks
            assert time.monotonic() < deadline and child.poll() is None
            time.sleep(0.05)
        time.sleep(0.2)
        os.kill(workers[0], signal.SIGINT)
        time.sleep(0.3)
        try:
            _, err = child.communicate(timeout=5)  # closes stdin: the batch can finish
        except subprocess.TimeoutExpired:
            pytest.fail("the batch hung after a worker was interrupted")
    stderr = err.decode()
    assert "Traceback" not in stderr, stderr[-2000:]
    assert child.returncode == 0, stderr[-2000:]
    assert len(target.read_text().splitlines()) == 3


def _resumes_after_what_was_written(stderr: str, tmp_path: Path) -> bool:
    """The resume row named is the one after the last record the output holds."""
    match = re.search(r"--resume-from (\d+)", stderr)
    target = tmp_path / "out.jsonl"
    written = target.read_text(encoding="utf-8").splitlines() if target.exists() else []
    last = json.loads(written[-1])["row"] if written else 0
    return match is not None and int(match.group(1)) == last + 1


def _interrupt_the_group(sig: int, tmp_path: Path) -> tuple[int, str]:
    """Start `batch --workers 2` reading a pipe, then signal its whole process group."""
    target = tmp_path / "out.jsonl"
    started = subprocess.Popen(
        [sys.executable, "-m", "kneeguide", "batch", "-", "-o", str(target), "--workers", "2"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group, as a shell job or a service has
    )
    with running(started, group=True) as child:
        assert child.stdin is not None
        child.stdin.write("".join(json.dumps({"age": 30 + i}) + "\n" for i in range(3)).encode())
        child.stdin.flush()
        deadline = time.monotonic() + TIMEOUT
        while len(children(child.pid)) < 2:
            assert time.monotonic() < deadline and child.poll() is None
            time.sleep(0.05)
        time.sleep(0.3)
        _, err = interrupt(child, sig, timeout=5, group=True)
    assert leftovers(tmp_path) == []
    return child.returncode, err.decode()


def test_ctrl_c_to_a_batch_with_workers_stops_cleanly(tmp_path: Path) -> None:
    """Ctrl-C in a terminal: SIGINT to the parent and to every worker."""
    code, stderr = _interrupt_the_group(signal.SIGINT, tmp_path)
    assert code == 130, stderr[-2000:]
    assert "Traceback" not in stderr and _resumes_after_what_was_written(stderr, tmp_path)


def test_sigterm_to_a_batch_with_workers_stops_cleanly(tmp_path: Path) -> None:
    code, stderr = _interrupt_the_group(signal.SIGTERM, tmp_path)
    assert code == 130, stderr[-2000:]
    assert "Traceback" not in stderr and _resumes_after_what_was_written(stderr, tmp_path)


# --- SIGTERM to a running interview ------------------------------------------------------------------


def interview_on_a_terminal(tmp_path: Path) -> Any:
    """``kneeguide interview`` on a pseudo-terminal, its sessions under ``tmp_path``."""
    pexpect = pytest.importorskip("pexpect")
    env = {**os.environ, **TERMINAL_ENV, "KNEEGUIDE_DATA_DIR": str(tmp_path / "data")}
    return pexpect.spawn(
        sys.executable,
        ["-m", "kneeguide", "interview", "--region", "JP"],
        env=env,
        encoding="utf-8",
        timeout=TIMEOUT,
        dimensions=(60, 240),
    )


def test_an_interview_stopped_before_the_first_answer_leaves_no_file(tmp_path: Path) -> None:
    pexpect = pytest.importorskip("pexpect")
    child = interview_on_a_terminal(tmp_path)
    try:
        child.expect_exact(RULES.message("choice_help", "en"))  # the first tick-list
        child.sendintr()
        child.expect(pexpect.EOF)
        transcript = child.before
        child.close()
    finally:
        if child.isalive():
            child.terminate(force=True)
    assert child.exitstatus == 130, (child.exitstatus, transcript[-1000:])
    assert RULES.message("nothing_saved", "en") in transcript
    assert "--resume" not in transcript
    assert list((tmp_path / "data" / "sessions").glob("*")) == []


def test_sigterm_to_an_interview_saves_it_and_exits_130(tmp_path: Path) -> None:
    pexpect = pytest.importorskip("pexpect")
    help_label = RULES.message("choice_help", "en")
    number_hint = RULES.message("number_hint", "en")
    child = interview_on_a_terminal(tmp_path)
    try:
        child.expect_exact(help_label)  # the first tick-list
        child.send(none_of_the_first_list(RULES))  # every item is "no"
        child.expect_exact("\x1b[?2004l")  # the prompt closed
        child.expect_exact([help_label, number_hint])  # the next question is waiting
        time.sleep(0.2)
        child.kill(signal.SIGTERM)
        child.expect(pexpect.EOF)
        transcript = child.before
        child.close()
    finally:
        if child.isalive():
            child.terminate(force=True)
    assert child.exitstatus == 130, (child.exitstatus, child.signalstatus, transcript[-1000:])
    assert "Traceback" not in transcript
    (path,) = sorted((tmp_path / "data" / "sessions").glob("*.json"))
    # The hint runs as typed: the program as it was started, not a bare name off PATH.
    assert f"{sys.executable} -m kneeguide interview --resume {path}" in transcript.replace("\r\n", "")
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved["status"] == "in_progress"
    assert saved["answers"] and set(saved["answers"].values()) == {"no"}
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert leftovers(path.parent) == []


def test_resuming_a_session_with_damaged_answers_is_a_clear_error(tmp_path: Path, data_dir: Path) -> None:
    """Regression test (a bug this suite found): `interview --resume` never re-checked a session's
    answers (although it said 'your answers are kept and checked again'): a damaged value such as
    "age": [1] was an internal TypeError (exit 1), and "calf_swelling": "maybe" was silently ignored.
    """
    pexpect = pytest.importorskip("pexpect")
    session = Session.new("lay", "JP", "en", RULES.digest)
    session.answers.update({"age": [1], "calf_swelling": "maybe"})
    session.save()
    env = {**os.environ, "NO_COLOR": "1", "TERM": "xterm", "PROMPT_TOOLKIT_NO_CPR": "1"}
    child = pexpect.spawn(
        sys.executable,
        ["-m", "kneeguide", "interview", "--resume", str(session.path)],
        env=env,
        encoding="utf-8",
        timeout=TIMEOUT,
        dimensions=(60, 240),
    )
    try:
        child.expect(pexpect.EOF)
        transcript = child.before
        child.close()
    finally:
        if child.isalive():
            child.terminate(force=True)
    assert child.exitstatus == 2, transcript[-1000:]
    assert "internal error" not in transcript
    assert f"{session.path}" in transcript and "age" in transcript


@pytest.mark.skipif(not hasattr(signal, "pthread_sigmask"), reason="signals cannot be held here")
def test_a_signal_while_a_batch_block_is_written_arrives_once_it_is_counted() -> None:
    from kneeguide.cli.signals import signals_held

    seen: list[str] = []
    before = signal.signal(signal.SIGTERM, lambda *_: seen.append("SIGTERM"))
    try:
        with signals_held():
            os.kill(os.getpid(), signal.SIGTERM)
            seen.append("written")
            seen.append("counted")
        seen.append("after")
    finally:
        signal.signal(signal.SIGTERM, before)
    assert seen == ["written", "counted", "SIGTERM", "after"]
