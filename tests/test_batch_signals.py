"""Batch runs under signals: every interruption ends the run at once, whole, with the row
to resume from, and resuming there gives the same output as a run never interrupted.

The promises, each tested as a person would meet them, through the real command:

* SIGINT, SIGTERM and SIGHUP end a batch within a second or two: exit status 130,
  complete records only, and the exact ``--resume-from`` row: the first row not written,
  also for a run that itself began at ``--resume-from`` and wrote nothing. One process
  or ``--workers 2``, from a file or a pipe, JSON Lines or CSV (:func:`test_random_signals`,
  deterministic seeds; ``KNEEGUIDE_SIGNAL_RUNS`` runs each combination more often).
* A signal ignored when kneeguide starts (``nohup`` ignores SIGHUP) stays ignored.
* A signal while kneeguide starts is exit 130 and ``kneeguide: interrupted``, never a
  traceback or a silent death by the signal.
* Workers end when their parent is killed (SIGKILL: no chance to end them).
* The output is never the input (same file, hard link, symlink, ``/dev/stdin``, stdout):
  refused before anything is read.

Timing is taken from what the run shows, not from sleeps: the signal goes after the
first record is out (or once the process waits on its pipe, or has its start-up handler),
then after a seeded random pause.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pytest
from command import installed
from os_faults import children, interrupt, reap, running

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")

INPUTS = Path(__file__).parent / "inputs" / "batch_signals"
#: The longest a run may take to end after its signal, in seconds ("a second or two",
#: with room for a loaded machine).
LIMIT = 3.0
#: Any wait for a run to get ready or to end.
TIMEOUT = 30.0
RECORDS = 30_000
#: Runs of each of the 8 combinations (file or pipe, 1 or 2 workers, JSON Lines or CSV).
RUNS = int(os.environ.get("KNEEGUIDE_SIGNAL_RUNS", "4"))
INTERRUPTIONS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
CSV_COLUMNS = ("id", "age", "calf_swelling", "recent_surgery")


# --- inputs ----------------------------------------------------------------------------------------


def answer_sets(count: int) -> Iterator[dict[str, Any]]:
    """Answer sets of every kind a batch meets: valid ones, invalid ones (error records)."""
    for i in range(count):
        answers: dict[str, Any] = {"id": f"p{i}", "age": 18 + i % 70}
        if i % 3:
            answers["calf_swelling"] = "yes" if i % 2 else "no"
        if i % 5 == 0:
            answers["recent_surgery"] = "yes"
        if i % 97 == 0:
            answers["age"] = "old"  # an error record: the run goes on
        yield answers


def jsonl_input(count: int) -> bytes:
    """JSON Lines, with a blank line now and then (rows keep the file's line numbers)."""
    lines = []
    for i, answers in enumerate(answer_sets(count)):
        lines.append(json.dumps(answers) + "\n")
        if i % 50 == 49:
            lines.append("\n")
    return "".join(lines).encode()


def csv_input(count: int) -> bytes:
    """CSV with the question ids as its header; now and then an id of two lines (a record
    then starts on one line and ends on the next: its row is the line it starts on)."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for i, answers in enumerate(answer_sets(count)):
        if i % 131 == 0:
            answers["id"] = f"p{i}\nsecond line"
        writer.writerow([answers.get(column, "") for column in CSV_COLUMNS])
    return text.getvalue().encode()


# --- a batch run -----------------------------------------------------------------------------------


@dataclass
class Run:
    """A ``kneeguide batch`` process: its input fed from a file or through a pipe (by a
    thread, as fast as it takes it), its stdout and stderr collected as they come."""

    args: list[str]
    data: bytes
    pipe: bool
    folder: Path
    ignore: tuple[signal.Signals, ...] = ()
    stdout: bytearray = field(default_factory=bytearray)
    stderr: bytearray = field(default_factory=bytearray)
    close_stdin: bool = True

    def __post_init__(self) -> None:
        source = self.folder / "input"
        source.write_bytes(self.data)
        command = [*installed(), "batch", "-" if self.pipe else str(source), *self.args]
        ignored = self.ignore

        def before() -> None:  # as nohup does: an ignored signal is inherited by the program
            for signum in ignored:
                signal.signal(signum, signal.SIG_IGN)

        self.process = subprocess.Popen(
            command,
            stdin=subprocess.PIPE if self.pipe else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            preexec_fn=before if ignored else None,
        )
        self.more = threading.Condition()
        self.readers = [
            threading.Thread(target=self._collect, args=(self.process.stdout, self.stdout), daemon=True),
            threading.Thread(target=self._collect, args=(self.process.stderr, self.stderr), daemon=True),
        ]
        if self.pipe:
            self.readers.append(threading.Thread(target=self._feed, daemon=True))
        for reader in self.readers:
            reader.start()

    def _collect(self, stream: IO[bytes], into: bytearray) -> None:
        while data := os.read(stream.fileno(), 65536):
            with self.more:
                into.extend(data)
                self.more.notify_all()
        with self.more:
            self.more.notify_all()

    def _feed(self) -> None:
        stdin = self.process.stdin
        assert stdin is not None
        try:
            stdin.write(self.data)
            stdin.flush()
            if self.close_stdin:
                stdin.close()
        except OSError:  # the run ended before taking it all
            pass

    def wait_for(self, ready: Callable[[], bool], what: str) -> None:
        deadline = time.monotonic() + TIMEOUT
        with self.more:
            while not ready():
                assert self.process.poll() is None or self.readers[0].is_alive(), f"ended before {what}"
                assert time.monotonic() < deadline, f"not ready in time: {what}"
                self.more.wait(0.05)

    def lines_out(self) -> int:
        return self.stdout.count(b"\n")

    def finish(self, limit: float = TIMEOUT) -> tuple[int, float]:
        """Wait for the end: the exit status and the seconds it took."""
        start = time.monotonic()
        try:
            code = self.process.wait(timeout=limit)
        except subprocess.TimeoutExpired:
            self.kill()
            pytest.fail(f"still running {limit} s later: {self.stderr.decode(errors='replace')[-1500:]}")
        took = time.monotonic() - start
        for reader in self.readers[:2]:
            reader.join(TIMEOUT)
        if self.process.stdin is not None and not self.process.stdin.closed:
            with contextlib.suppress(OSError):
                self.process.stdin.close()
        return code, took

    def kill(self) -> None:
        reap(self.process)

    def err(self) -> str:
        return self.stderr.decode(errors="replace")


def run_whole(args: list[str], data: bytes, pipe: bool, folder: Path) -> tuple[int, bytes, str]:
    run = Run(args, data, pipe, folder)
    code, _ = run.finish()
    return code, bytes(run.stdout), run.err()


def resume_row(stderr: str) -> int | None:
    found = re.findall(r"--resume-from (\d+)", stderr)
    return int(found[-1]) if found else None


def last_row(out: bytes, fmt: str) -> int:
    """The ``row`` of the last record of an output (0 when it holds none)."""
    text = out.decode()
    if fmt == "jsonl":
        lines = text.splitlines()
        return int(json.loads(lines[-1])["row"]) if lines else 0
    rows = list(csv.reader(io.StringIO(text)))[1:]
    return int(rows[-1][0]) if rows else 0


def without_header(out: bytes) -> bytes:
    return out.split(b"\n", 1)[1] if b"\n" in out else b""


def alive(pid: int) -> bool:
    """The process exists and is not a zombie waiting to be reaped."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status


def waits_on_its_pipe(pid: int) -> bool:
    """A thread of the process sleeps in a pipe read (Linux: its wchan)."""
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            if "pipe_read" in (task / "wchan").read_text():
                return True
        except OSError:
            pass
    return False


def catches(pid: int, signum: int) -> bool:
    """The process has a handler for ``signum`` (Linux: SigCgt in its status)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    found = re.search(r"^SigCgt:\s*([0-9a-f]+)$", status, re.M)
    return found is not None and bool(int(found.group(1), 16) >> (signum - 1) & 1)


linux_only = pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads /proc (Linux)")


# --- the random-signal test ------------------------------------------------------------------------

COMBINATIONS = [
    (source, workers, fmt) for source in ("file", "pipe") for workers in (1, 2) for fmt in ("jsonl", "csv")
]
_whole: dict[tuple[str, int, str], tuple[int, bytes]] = {}


def uninterrupted(source: str, workers: int, fmt: str, folder: Path) -> tuple[int, bytes]:
    """The exit status and output of the run never interrupted (once per combination)."""
    key = (source, workers, fmt)
    if key not in _whole:
        data = jsonl_input(RECORDS) if fmt == "jsonl" else csv_input(RECORDS)
        args = ["--workers", str(workers), "--region", "JP", "--input-format", fmt, "--output-format", fmt]
        code, out, err = run_whole(args, data, source == "pipe", folder)
        assert code in (0, 2) and "Traceback" not in err, err[-2000:]
        _whole[key] = (code, out)
    return _whole[key]


@pytest.mark.parametrize("seed", range(RUNS))
@pytest.mark.parametrize(("source", "workers", "fmt"), COMBINATIONS)
def test_random_signals(source: str, workers: int, fmt: str, seed: int, tmp_path: Path) -> None:
    """A signal at a random moment of a run: it ends in time, whole, naming the exact row;
    resumed there, the two outputs together are byte for byte the uninterrupted one."""
    whole_code, whole_out = uninterrupted(source, workers, fmt, tmp_path)
    chance = random.Random(f"{source}-{workers}-{fmt}-{seed}")
    signum = chance.choice(INTERRUPTIONS)
    pause = chance.uniform(0.0, 0.5)
    data = jsonl_input(RECORDS) if fmt == "jsonl" else csv_input(RECORDS)
    args = ["--workers", str(workers), "--region", "JP", "--input-format", fmt, "--output-format", fmt]
    run = Run(args, data, source == "pipe", tmp_path)
    try:
        first = 1 if fmt == "jsonl" else 2  # a CSV output's header comes before its records
        run.wait_for(lambda: run.lines_out() >= first, "the first record")
        time.sleep(pause)
        run.process.send_signal(signum)
        code, took = run.finish(TIMEOUT)
    finally:
        run.kill()
    stderr = run.err()
    said = f"{signal.Signals(signum).name} after {pause:.2f} s: {stderr[-1500:]}"
    assert "Traceback" not in stderr and "Fatal Python error" not in stderr, said
    out = bytes(run.stdout)
    assert out.endswith(b"\n"), said  # complete lines only
    if code == whole_code and resume_row(stderr) is None:  # it finished before the signal
        assert out == whole_out, said
        return
    assert code == 130, said
    assert took <= LIMIT, f"took {took:.2f} s to end; " + said
    row = resume_row(stderr)
    assert row == last_row(out, fmt) + 1, said  # the first row not written
    assert whole_out.startswith(out), said  # what was written is what the whole run writes
    resumed = [*args, "--resume-from", str(row)]
    rest_code, rest, rest_err = run_whole(resumed, data, source == "pipe", tmp_path)
    assert rest_code in (0, 2), rest_err[-1500:]
    assert out + (without_header(rest) if fmt == "csv" else rest) == whole_out, said


# --- each fault of the issue -----------------------------------------------------------------------


@linux_only
@pytest.mark.parametrize("workers", [1, 2])
@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_a_run_begun_at_a_row_and_stopped_before_writing_names_that_row(
    fmt: str, workers: int, tmp_path: Path
) -> None:
    """Regression: begun with --resume-from 9000001 and interrupted, it said "continue with
    --resume-from 1": following that would have written nine million rows twice."""
    data = (INPUTS / f"three.{fmt}").read_bytes()  # rows below 9000001: none is written
    args = ["--resume-from", "9000001", "--workers", str(workers), "--region", "JP"]
    run = Run([*args, "--input-format", fmt], data, pipe=True, folder=tmp_path, close_stdin=False)
    try:
        run.wait_for(lambda: waits_on_its_pipe(run.process.pid), "waiting on its pipe")
        run.process.send_signal(signal.SIGTERM)
        code, _ = run.finish(TIMEOUT)
    finally:
        run.kill()
    assert code == 130, run.err()
    assert "interrupted before any record was written; continue with --resume-from 9000001" in run.err()


def test_a_run_stopped_after_some_records_names_the_next_row_also_when_it_began_at_one(
    tmp_path: Path,
) -> None:
    """From a pipe that stays open: the records sent are written, then the run is stopped."""
    data = (INPUTS / "three.jsonl").read_bytes()
    run = Run(["--resume-from", "2", "--region", "JP"], data, pipe=True, folder=tmp_path, close_stdin=False)
    try:
        run.wait_for(lambda: run.lines_out() >= 2, "rows 2 and 3")
        run.process.send_signal(signal.SIGHUP)
        code, _ = run.finish(TIMEOUT)
    finally:
        run.kill()
    assert code == 130, run.err()
    assert [json.loads(line)["row"] for line in run.stdout.decode().splitlines()] == [2, 3]
    assert "interrupted after row 3;" in run.err() and resume_row(run.err()) == 4


@pytest.mark.parametrize("workers", [1, 2])
def test_an_ignored_sighup_stays_ignored(workers: int, tmp_path: Path) -> None:
    """Regression: `nohup kneeguide batch ... &` stopped at SIGHUP (kneeguide put its own
    handler in place of the ignored one)."""
    data = (INPUTS / "three.jsonl").read_bytes()
    run = Run(
        ["--workers", str(workers), "--region", "JP"],
        data,
        pipe=True,
        folder=tmp_path,
        ignore=(signal.SIGHUP,),
        close_stdin=False,
    )
    try:
        run.wait_for(lambda: run.lines_out() >= 3, "the records sent")
        run.process.send_signal(signal.SIGHUP)
        time.sleep(0.3)
        assert run.process.poll() is None, run.err()
        assert run.process.stdin is not None
        run.process.stdin.write(b'{"id": "after the hangup", "age": 40}\n')
        run.process.stdin.close()
        code, _ = run.finish(TIMEOUT)
    finally:
        run.kill()
    assert code == 0, run.err()
    assert json.loads(run.stdout.decode().splitlines()[-1])["id"] == "after the hangup"


@linux_only
@pytest.mark.parametrize("source", ["file", "pipe"])
def test_workers_end_when_their_parent_is_killed(source: str, tmp_path: Path) -> None:
    """Regression: after SIGKILL of the parent, `--workers 2` lived on as orphans blocked on a pipe."""
    data = jsonl_input(RECORDS if source == "file" else 3)
    run = Run(["--workers", "2", "--region", "JP"], data, source == "pipe", tmp_path, close_stdin=False)
    try:
        run.wait_for(lambda: len(children(run.process.pid)) >= 2 and run.lines_out() >= 1, "two workers")
        workers = children(run.process.pid)
        run.process.kill()
        run.process.wait()
        deadline = time.monotonic() + 5
        while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [pid for pid in workers if alive(pid)], "workers outlived their parent"
    finally:
        run.kill()


@linux_only
@pytest.mark.parametrize("seed", range(12))
def test_a_signal_while_kneeguide_starts_is_exit_130_in_one_line(seed: int) -> None:
    """Regression: SIGINT in the first ~0.2 s printed a traceback; an early SIGTERM ended the
    process by the signal (-15) without a word. Sent once the program's own handler is in
    place (before that, it is the interpreter starting), at a seeded moment of the start."""
    chance = random.Random(seed)
    signum = chance.choice(INTERRUPTIONS)
    pause = chance.uniform(0.0, 0.15)
    command = [*installed(), "assess", "-a", "age=70", "-a", "calf_swelling=yes", "--format", "json"]
    with running(subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)) as child:
        deadline = time.monotonic() + TIMEOUT
        while not catches(child.pid, signal.SIGTERM):
            assert child.poll() is None, child.communicate()
            assert time.monotonic() < deadline, "no handler in place"
            time.sleep(0.001)
        time.sleep(pause)
        out, err = interrupt(child, signum, timeout=TIMEOUT)
    stderr = err.decode()
    assert "Traceback" not in stderr, stderr
    if child.returncode == 0:  # it finished first: the whole assessment is out
        assert json.loads(out)["triage"]
        return
    assert child.returncode == 130, (signal.Signals(signum).name, pause, child.returncode, stderr)
    assert stderr.endswith("kneeguide: interrupted\n"), stderr


def test_the_start_up_handler_ends_the_process_with_130_and_one_line() -> None:
    """The handler itself, deterministically: a signal right after it is in place."""
    script = (
        "import os, signal, time\n"
        "from kneeguide.interrupts import quiet_until_the_command\n"
        "quiet_until_the_command()\n"
        "os.kill(os.getpid(), signal.SIGTERM)\n"
        "time.sleep(10)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=TIMEOUT)
    assert (done.returncode, done.stderr) == (130, "kneeguide: interrupted\n")


@pytest.mark.parametrize("how", ["same path", "hard link", "symlink", "/dev/stdin", "stdout"])
@linux_only
def test_the_output_is_never_the_input(how: str, tmp_path: Path) -> None:
    """Regression: `batch in.jsonl -o in.jsonl --force`, then SIGTERM, replaced the input with
    partial output. Refused in one line before anything is read; the input stays as it was."""
    source = tmp_path / "in.jsonl"
    shutil.copy(INPUTS / "three.jsonl", source)
    before = source.read_bytes()
    stdin: Any = subprocess.DEVNULL
    stdout: Any = subprocess.PIPE
    args = [str(source)]
    if how == "same path":
        args += ["-o", str(source), "--force"]
    elif how == "hard link":
        os.link(source, tmp_path / "linked.jsonl")
        args += ["-o", str(tmp_path / "linked.jsonl"), "--force"]
    elif how == "symlink":
        (tmp_path / "pointer.jsonl").symlink_to(source)
        args += ["-o", str(tmp_path / "pointer.jsonl"), "--force"]
    elif how == "/dev/stdin":  # as /dev/stdin is on Linux; a link of the test's own, should it be replaced
        stdin = source.open("rb")
        (tmp_path / "stdin").symlink_to("/proc/self/fd/0")
        args = ["-", "-o", str(tmp_path / "stdin"), "--force"]
    else:  # `>> in.jsonl`: records appended to the file being read
        stdout = source.open("ab")
    try:
        done = subprocess.run(
            [*installed(), "batch", *args, "--region", "JP"],
            stdin=stdin,
            stdout=stdout,
            stderr=subprocess.PIPE,
            timeout=TIMEOUT,
        )
    finally:
        for stream in (stdin, stdout):
            if hasattr(stream, "close"):
                stream.close()
    lines = done.stderr.decode().splitlines()
    assert done.returncode == 2, lines
    assert len(lines) == 1 and "is the input" in lines[0] and "nothing was read" in lines[0], lines
    assert source.read_bytes() == before
