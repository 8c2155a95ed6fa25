"""Where output goes, and what a crash leaves behind (issue 17, items 3 and 4).

* After SIGKILL, a hidden temporary file of 93-155 MB holding full assessments stayed next
  to the output. Now the file being written has no name (Linux ``O_TMPFILE``) until it is
  linked in whole; where the OS or the file system has no unnamed files, it is in a
  private folder (0o700) that the next run removes once its process is gone.
* ``-o NODE --force`` replaced a device or a FIFO with a regular file (as root, ``-o
  /dev/null --force`` would replace /dev/null), and a symbolic link with a regular file;
  ``-o /dev/stdout`` was refused. Now only regular files are replaced; devices, FIFOs and
  ``/dev/stdout`` are written to; a link is followed, never replaced.
* Names of 241+ characters failed (the temporary name's prefix); ``-o ''`` wrote a file
  named ``-`` (batch) or said "'.': file exists". Now a name the file system takes works,
  and a longer one or an empty one is one clear line.

Devices are made here with ``mknod`` in the test's own folder (root only), never taken from
the real /dev.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import socket
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kneeguide.files import AtomicWriter, WriteError, write_atomic
from kneeguide.osfiles import TEMPORARY_PREFIX, descriptor_of

INPUTS = Path(__file__).parent / "inputs" / "output_files"
THREE = INPUTS / "three.jsonl"  # three answer sets: three records
TIMEOUT = 60
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
LINUX = sys.platform == "linux" and hasattr(os, "O_TMPFILE")
root = pytest.mark.skipif(not IS_ROOT, reason="mknod of a device needs root")
linux = pytest.mark.skipif(not LINUX, reason="unnamed files (O_TMPFILE) and /proc are Linux's")


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def kneeguide(
    *args: str, cwd: Path | None = None, stdin: str | None = None, before: str = "pass"
) -> subprocess.CompletedProcess[str]:
    """The command as a person runs it; ``before``: Python run first in the same process
    (to take away what the OS offers)."""
    code = f"import sys; {before}; from kneeguide.cli.app import main; main(sys.argv[1:])"
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        cwd=cwd,
    )


def said(done: subprocess.CompletedProcess[str]) -> list[str]:
    """What the command said on stderr, without the region note and the batch summary."""
    return [
        line
        for line in done.stderr.splitlines()
        if not line.startswith("kneeguide batch:") and "assumed:" not in line
    ]


def records(text: str) -> list[str]:
    return [json.loads(line)["id"] for line in text.splitlines()]


@pytest.fixture(params=["unnamed", "private folder"])
def way(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each way a file is written: unnamed (O_TMPFILE, Linux), or in a private temporary
    folder (what every other OS and file system gets: forced here by taking O_TMPFILE away)."""
    if request.param == "unnamed" and not LINUX:
        pytest.skip("no O_TMPFILE here")
    if request.param == "private folder" and hasattr(os, "O_TMPFILE"):
        monkeypatch.delattr(os, "O_TMPFILE")
    return str(request.param)


def _unnamed_sizes(pid: int, folder: Path) -> list[int]:
    """The sizes of the files without a name that process ``pid`` has open in ``folder``
    (Linux shows them as ``FOLDER/#INODE (deleted)``)."""
    sizes = []
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            where = os.readlink(f"/proc/{pid}/fd/{fd}")
            if where.startswith(f"{folder}/") and where.endswith("(deleted)"):
                sizes.append(os.stat(f"/proc/{pid}/fd/{fd}").st_size)
        except OSError:  # closed meanwhile (the listing's own descriptor, say)
            continue
    return sizes


# --- nothing readable while writing, nothing left after ------------------------------------------


@linux
def test_while_writing_the_folder_shows_nothing_but_what_was_there(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    out = AtomicWriter(target)
    secret = "secret answers\n" * 10_000  # more than Python holds back: it is on the disk
    out.write(secret)
    assert names(tmp_path) == []  # the file has no name: nothing to find, nothing to leave
    assert _unnamed_sizes(os.getpid(), tmp_path) == [len(secret)]
    out.commit()
    assert names(tmp_path) == ["out.jsonl"] and target.read_text() == secret
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_without_unnamed_files_a_private_folder_holds_the_file_until_the_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if hasattr(os, "O_TMPFILE"):
        monkeypatch.delattr(os, "O_TMPFILE")
    target = tmp_path / "out.jsonl"
    target.write_text("old\n")
    out = AtomicWriter(target)
    out.write("new\n")
    (folder,) = [p for p in tmp_path.iterdir() if p.name != "out.jsonl"]
    assert folder.name.startswith(f"{TEMPORARY_PREFIX}{os.getpid()}-") and len(folder.name) <= 32
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700  # nobody else may even look inside
    assert names(folder) == ["part"] and stat.S_IMODE((folder / "part").stat().st_mode) == 0o600
    out.commit()
    assert names(tmp_path) == ["out.jsonl"] and target.read_text() == "new\n"


def test_an_abandoned_file_leaves_the_old_one_and_nothing_else(way: str, tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    target.write_text("old\n")
    with pytest.raises(KeyboardInterrupt), AtomicWriter(target) as out:
        out.write("half")
        raise KeyboardInterrupt
    assert names(tmp_path) == ["out.jsonl"] and target.read_text() == "old\n"


@linux
@pytest.mark.parametrize("code", [errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL])
def test_a_file_system_without_unnamed_files_gets_the_private_folder(
    code: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What open(O_TMPFILE) fails with where the file system (or an old kernel) has none."""
    real_open = os.open

    def no_unnamed(path: object, flags: int, *args: object) -> int:
        if flags & os.O_TMPFILE == os.O_TMPFILE:
            raise OSError(code, os.strerror(code))
        return real_open(path, flags, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", no_unnamed)
    out = AtomicWriter(tmp_path / "out.txt")
    out.write("text\n")
    assert [p.name.startswith(TEMPORARY_PREFIX) for p in tmp_path.iterdir()] == [True]
    out.commit()
    assert names(tmp_path) == ["out.txt"]


@pytest.mark.parametrize("existing", [False, True])
def test_a_file_system_without_hard_links_gets_the_file_renamed_into_place(
    existing: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if hasattr(os, "O_TMPFILE"):
        monkeypatch.delattr(os, "O_TMPFILE")

    def no_links(*args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EPERM, os.strerror(errno.EPERM))  # what FAT says

    monkeypatch.setattr(os, "link", no_links)
    target = tmp_path / "out.txt"
    if existing:
        target.write_text("old\n")
    write_atomic(target, "new\n")
    assert names(tmp_path) == ["out.txt"] and target.read_text() == "new\n"


def test_a_file_that_appears_meanwhile_is_not_replaced_without_force(way: str, tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    out = AtomicWriter(target, force=False)
    out.write("ours\n")
    target.write_text("theirs\n")  # another program, while we write
    with pytest.raises(WriteError) as info:
        out.commit()
    assert info.value.lines() == [f"{target}: file exists; use --force to overwrite it"]
    assert names(tmp_path) == ["out.txt"] and target.read_text() == "theirs\n"


def _gone_pid() -> int:
    """The id of a process that has ended."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_the_next_writer_removes_what_a_killed_one_left_and_nothing_else(way: str, tmp_path: Path) -> None:
    dead = _gone_pid()
    stale_folder = tmp_path / f"{TEMPORARY_PREFIX}{dead}-0badf00d"
    stale_folder.mkdir(mode=0o700)
    (stale_folder / "part").write_text("answers of a killed run\n")
    stale_file = tmp_path / f"{TEMPORARY_PREFIX}{dead}-deadbeef"  # killed between link and rename
    stale_file.write_text("answers\n")
    running = tmp_path / f"{TEMPORARY_PREFIX}{os.getppid()}-00000001"  # its process still runs
    running.mkdir()
    in_use = tmp_path / f"{TEMPORARY_PREFIX}{dead}-00000002"  # open in another pid namespace
    in_use.write_text("")
    keep = [running.name, in_use.name, "out.txt"]
    if IS_ROOT:
        foreign = tmp_path / f"{TEMPORARY_PREFIX}{dead}-00000003"  # another user's: not ours to remove
        foreign.mkdir()
        os.chown(foreign, 65534, 65534)
        keep.append(foreign.name)
    import fcntl

    with open(in_use, "rb") as held:
        fcntl.flock(held, fcntl.LOCK_SH)
        write_atomic(tmp_path / "out.txt", "text\n")
    assert names(tmp_path) == sorted(keep)


# --- names ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["a" * 251 + ".txt", "あ" * 85], ids=["255 ASCII", "255 bytes in UTF-8"])
def test_a_name_as_long_as_the_file_system_allows_is_written(way: str, name: str, tmp_path: Path) -> None:
    target = tmp_path / name
    target.write_text("old\n")
    write_atomic(target, "new\n")
    assert names(tmp_path) == [name] and target.read_text() == "new\n"


@pytest.mark.parametrize(
    ("name", "size"), [("a" * 256, 256), ("あ" * 86, 258)], ids=["256 ASCII", "258 bytes in UTF-8"]
)
def test_a_longer_name_is_one_clear_line_before_anything_is_written(
    name: str, size: int, tmp_path: Path
) -> None:
    target = tmp_path / name
    with pytest.raises(WriteError) as info:
        AtomicWriter(target)
    assert info.value.lines() == [f"{target}: file name too long: {size} bytes, at most 255 in a name here"]
    assert isinstance(info.value.__context__, OSError) and info.value.__context__.errno == errno.ENAMETOOLONG
    assert names(tmp_path) == []


def test_an_empty_name_and_a_folder_are_refused_saying_what_was_expected(tmp_path: Path) -> None:
    with pytest.raises(WriteError) as info:
        AtomicWriter("")
    assert info.value.lines() == ["an empty file name: give the name of the file to write"]
    with pytest.raises(WriteError) as info:
        AtomicWriter(tmp_path, force=True)
    assert info.value.lines() == [f"{tmp_path}: is a folder: give the name of a file to write"]
    assert isinstance(info.value.__context__, OSError) and info.value.__context__.errno == errno.EISDIR


# --- devices, FIFOs, descriptors and links -------------------------------------------------------


def _device(folder: Path, name: str, minor: int) -> Path:
    """A character device of the memory driver (1, minor) made in ``folder``: 3 null, 7 full."""
    path = folder / name
    os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, minor))
    return path


def _is_device(path: Path, minor: int) -> bool:
    info = os.lstat(path)
    return stat.S_ISCHR(info.st_mode) and info.st_rdev == os.makedev(1, minor)


@root
@pytest.mark.parametrize("force", [False, True])
def test_a_device_is_written_to_never_replaced(force: bool, tmp_path: Path) -> None:
    null = _device(tmp_path, "null", 3)
    write_atomic(null, "records\n", force=force)  # nothing is overwritten: no --force needed
    assert _is_device(null, 3) and names(tmp_path) == ["null"]


@root
def test_a_full_device_fails_loudly_and_stays_a_device(tmp_path: Path) -> None:
    full = _device(tmp_path, "full", 7)
    with pytest.raises(WriteError) as info:
        write_atomic(full, "records\n", force=True)
    assert info.value.lines() == [f"{full}: cannot write: {os.strerror(errno.ENOSPC)}"]
    assert _is_device(full, 7)


@root
def test_a_block_device_is_written_over_only_with_force(tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    os.mknod(disk, stat.S_IFBLK | 0o600, os.makedev(7, 254))  # a loop device; never opened here
    with pytest.raises(WriteError) as info:
        AtomicWriter(disk, force=False)
    assert info.value.lines() == [f"{disk}: is a block device (a disk): use --force to write over it"]
    assert stat.S_ISBLK(os.lstat(disk).st_mode)


def test_a_socket_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s"
    with socket.socket(socket.AF_UNIX) as listening:
        listening.bind(str(path))
        with pytest.raises(WriteError) as info:
            AtomicWriter(path, force=True)
    assert info.value.lines() == [f"{path}: is a socket: give a file, a device or a FIFO to write to"]


class _Reader:
    """The other end of a FIFO, read whole in a thread."""

    def __init__(self, fifo: Path) -> None:
        self.data = b""
        self.thread = threading.Thread(target=self._read, args=(fifo,), daemon=True)
        self.thread.start()

    def _read(self, fifo: Path) -> None:
        with open(fifo, "rb") as pipe:
            self.data = pipe.read()

    def text(self) -> str:
        self.thread.join(TIMEOUT)
        return self.data.decode()


@pytest.mark.parametrize("force", [False, True])
def test_a_fifo_is_written_to_never_replaced(force: bool, tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    reader = _Reader(fifo)
    write_atomic(fifo, "records\n", force=force)
    assert reader.text() == "records\n"
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and names(tmp_path) == ["fifo"]


@pytest.mark.parametrize(
    ("path", "number"),
    [
        ("/dev/stdout", 1),
        ("/dev/stderr", 2),
        ("/dev/fd/7", 7),
        ("/proc/self/fd/9", 9),
        ("/dev/null", None),
        ("out.jsonl", None),
    ],
)
@linux
def test_the_paths_of_open_descriptors_are_known(path: str, number: int | None) -> None:
    assert descriptor_of(path) == number


@linux
def test_a_link_to_dev_stdout_is_a_descriptor_too(tmp_path: Path) -> None:
    (tmp_path / "out").symlink_to("/dev/stdout")
    assert descriptor_of(tmp_path / "out") == 1


@linux
def test_the_path_of_a_descriptor_is_written_where_the_descriptor_leads(tmp_path: Path) -> None:
    read, write = os.pipe()
    try:
        write_atomic(f"/dev/fd/{write}", "through the pipe\n", force=False)
        assert os.read(read, 100) == b"through the pipe\n"
    finally:
        os.close(read)
        os.close(write)
    assert names(tmp_path) == []


def test_a_link_is_followed_and_kept(way: str, tmp_path: Path) -> None:
    real = tmp_path / "real.jsonl"
    real.write_text("old\n")
    link = tmp_path / "link.jsonl"
    link.symlink_to("real.jsonl")
    with pytest.raises(WriteError) as info:
        write_atomic(link, "new\n", force=False)
    assert info.value.lines() == [f"{link}: file exists; use --force to overwrite it"]
    write_atomic(link, "new\n", force=True)
    assert link.is_symlink() and os.readlink(link) == "real.jsonl"  # the link itself is kept
    assert real.read_text() == "new\n" and stat.S_IMODE(real.stat().st_mode) == 0o600
    assert names(tmp_path) == ["link.jsonl", "real.jsonl"]


def test_a_link_to_nothing_yet_makes_its_target(way: str, tmp_path: Path) -> None:
    (tmp_path / "folder").mkdir()
    link = tmp_path / "link.jsonl"
    link.symlink_to("folder/new.jsonl")
    write_atomic(link, "new\n", force=False)
    assert link.is_symlink() and (tmp_path / "folder" / "new.jsonl").read_text() == "new\n"
    assert names(tmp_path / "folder") == ["new.jsonl"]


@root
def test_a_link_to_a_device_writes_to_the_device(tmp_path: Path) -> None:
    _device(tmp_path, "null", 3)
    link = tmp_path / "out"
    link.symlink_to("null")
    write_atomic(link, "records\n", force=True)
    assert link.is_symlink() and _is_device(tmp_path / "null", 3)


@root
def test_a_link_another_user_planted_in_a_shared_folder_is_not_followed(tmp_path: Path) -> None:
    """As the kernel refuses (fs.protected_symlinks): in /tmp, someone else's link to a file
    of yours would have your output written over that file."""
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    victim = tmp_path / "victim.txt"
    victim.write_text("keep\n")
    planted = shared / "out.jsonl"
    planted.symlink_to(victim)
    os.lchown(planted, 65534, 65534)
    with pytest.raises(WriteError) as info:
        write_atomic(planted, "records\n", force=True)
    assert info.value.lines() == [
        f"{planted}: a symbolic link of another user (uid 65534) in a folder everybody may write to: "
        "not followed; give the file it leads to"
    ]
    assert victim.read_text() == "keep\n" and planted.is_symlink()


# --- through the command -------------------------------------------------------------------------


@pytest.mark.parametrize("force", [[], ["--force"]], ids=["", "--force"])
def test_batch_onto_a_fifo_writes_to_its_reader(force: list[str], tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    reader = _Reader(fifo)
    done = kneeguide("batch", str(THREE), "-o", str(fifo), *force)
    assert done.returncode == 0, done.stderr
    assert records(reader.text()) == ["a", "b", "c"]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


@root
@pytest.mark.parametrize("force", [[], ["--force"]], ids=["", "--force"])
def test_batch_onto_a_null_device_leaves_the_device(force: list[str], tmp_path: Path) -> None:
    null = _device(tmp_path, "null", 3)
    done = kneeguide("batch", str(THREE), "-o", str(null), *force)
    assert done.returncode == 0, done.stderr
    assert _is_device(null, 3) and names(tmp_path) == ["null"]


def test_batch_onto_dev_stdout_writes_the_records_there() -> None:
    done = kneeguide("batch", str(THREE), "-o", "/dev/stdout")
    assert done.returncode == 0, done.stderr
    assert records(done.stdout) == ["a", "b", "c"]


def test_batch_onto_a_link_replaces_its_target_with_force_only(tmp_path: Path) -> None:
    real = tmp_path / "real.jsonl"
    real.write_text("old\n")
    (tmp_path / "link.jsonl").symlink_to("real.jsonl")
    refused = kneeguide("batch", str(THREE), "-o", "link.jsonl", cwd=tmp_path)
    assert refused.returncode == 2
    assert said(refused) == ["kneeguide: link.jsonl: file exists; use --force to overwrite it"]
    done = kneeguide("batch", str(THREE), "-o", "link.jsonl", "--force", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert os.readlink(tmp_path / "link.jsonl") == "real.jsonl"
    assert records(real.read_text()) == ["a", "b", "c"]


def test_batch_writes_a_name_of_250_characters(tmp_path: Path) -> None:
    name = "r" * 244 + ".jsonl"
    done = kneeguide("batch", str(THREE), "-o", name, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert names(tmp_path) == [name] and records((tmp_path / name).read_text()) == ["a", "b", "c"]


@pytest.mark.parametrize(
    ("output", "line"),
    [
        ("r" * 294 + ".jsonl", "{output}: file name too long: 300 bytes, at most 255 in a name here"),
        ("", "an empty file name: give the name of the file to write"),
        (".", ".: is a folder: give the name of a file to write"),
    ],
    ids=["300 characters", "empty", "a folder"],
)
def test_batch_refuses_a_name_it_cannot_write_in_one_line(output: str, line: str, tmp_path: Path) -> None:
    done = kneeguide("batch", str(THREE), "-o", output, cwd=tmp_path)
    assert done.returncode == 2
    assert said(done) == ["kneeguide: " + line.format(output=output)]
    assert names(tmp_path) == []  # not even a file named '-'


@pytest.mark.parametrize("command", [["note"], ["export", "--fhir"]])
def test_note_and_export_refuse_an_empty_name_as_a_usage_error(command: list[str], tmp_path: Path) -> None:
    done = kneeguide(*command, "--answers", str(THREE.with_name("answers.json")), "-o", "", cwd=tmp_path)
    assert done.returncode == 2
    assert said(done) == [
        "kneeguide: invalid value for '--output' / '-o': an empty file name: give the name of the "
        f"file to write; see 'kneeguide {command[0]} --help'"
    ]
    assert names(tmp_path) == []


def test_note_to_dash_goes_to_stdout(tmp_path: Path) -> None:
    done = kneeguide("note", "--answers", str(INPUTS / "answers.json"), "-o", "-", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("#") and names(tmp_path) == []


@root
def test_assess_note_onto_a_null_device_needs_no_force(tmp_path: Path) -> None:
    null = _device(tmp_path, "null", 3)
    done = kneeguide("assess", "--answers", str(INPUTS / "answers.json"), "--note", str(null))
    assert done.returncode == 0, done.stderr
    assert _is_device(null, 3)


# --- SIGKILL in the middle of a run --------------------------------------------------------------


@pytest.fixture()
def big(tmp_path: Path) -> Path:
    """An input long enough to be killed in the middle of (some seconds with ``--full``)."""
    source = tmp_path / "in.jsonl"
    line = '{"age": 64, "calf_swelling": "yes"}\n'
    source.write_text(line * 60_000)
    return source


def _started(folder: Path, *args: str, before: str = "pass") -> subprocess.Popen[bytes]:
    code = f"import sys; {before}; from kneeguide.cli.app import main; main(sys.argv[1:])"
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        cwd=folder,
        start_new_session=True,  # its workers too can be ended at once
    )


def _wait_for(child: subprocess.Popen[bytes], ready: Iterator[bool]) -> None:
    """Until the output holds its first records (a readiness sign, not a sleep)."""
    deadline = time.monotonic() + TIMEOUT
    for now in ready:
        if now:
            return
        assert child.poll() is None, child.stderr.read() if child.stderr else ""
        assert time.monotonic() < deadline, "the output never started"
        time.sleep(0.01)


def _unnamed_file_grows(pid: int, folder: Path) -> Iterator[bool]:
    while True:
        yield any(size > 0 for size in _unnamed_sizes(pid, folder))


def _ended(child: subprocess.Popen[bytes]) -> None:
    with_workers = os.getpgid(child.pid)
    child.kill()  # SIGKILL: nothing of kneeguide runs after it
    child.wait(TIMEOUT)
    assert child.returncode == -signal.SIGKILL
    with pytest.raises(ProcessLookupError):  # orphaned workers are item 2's; end them here
        while True:
            os.killpg(with_workers, signal.SIGKILL)
            time.sleep(0.05)


@linux
@pytest.mark.parametrize("workers", ["1", "2"])
def test_sigkill_in_the_middle_of_a_batch_leaves_nothing_but_the_input(
    workers: str, big: Path, tmp_path: Path
) -> None:
    child = _started(tmp_path, "batch", "in.jsonl", "-o", "out.jsonl", "--full", "--workers", workers)
    try:
        _wait_for(child, _unnamed_file_grows(child.pid, tmp_path))
    finally:
        _ended(child)
    assert names(tmp_path) == ["in.jsonl"]


def _part_grows(folder: Path) -> Iterator[bool]:
    while True:
        parts = list(folder.glob(f"{TEMPORARY_PREFIX}*/part"))
        yield any(p.stat().st_size > 0 for p in parts)


def test_sigkill_without_unnamed_files_leaves_a_private_folder_the_next_run_removes(
    big: Path, tmp_path: Path
) -> None:
    no_unnamed = "import os; hasattr(os, 'O_TMPFILE') and delattr(os, 'O_TMPFILE')"
    args = ("batch", "in.jsonl", "-o", "out.jsonl", "--full")
    child = _started(tmp_path, *args, before=no_unnamed)
    try:
        _wait_for(child, _part_grows(tmp_path))
    finally:
        _ended(child)
    (left,) = [p for p in tmp_path.iterdir() if p.name != "in.jsonl"]
    assert left.name.startswith(f"{TEMPORARY_PREFIX}{child.pid}-")
    assert stat.S_IMODE(left.stat().st_mode) == 0o700  # readable by nobody else
    assert stat.S_IMODE((left / "part").stat().st_mode) == 0o600
    done = kneeguide("batch", str(THREE), "-o", "next.jsonl", cwd=tmp_path, before=no_unnamed)
    assert done.returncode == 0, done.stderr
    assert names(tmp_path) == ["in.jsonl", "next.jsonl"]
