"""Bounded reads: a clinic profile, the config file and a saved interview are regular
files of a bounded size, or one clear line naming the file and what was expected.

``/dev/zero`` must not be read until memory runs out, a FIFO nobody writes to must not
block forever, and a directory or a missing file must be said, not ignored. Each case
runs the real command with a timeout: a hang or an endless read fails the test.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from kneeguide.errors import InputError
from kneeguide.inputs import clinic, config
from kneeguide.inputs.bounded import read_regular, size_text
from kneeguide.interview import session

INPUTS = Path(__file__).parent / "inputs" / "bounded"
needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")


def command() -> list[str]:
    exe = shutil.which("kneeguide", path=os.path.dirname(sys.executable))  # this interpreter's
    return [exe] if exe else [sys.executable, "-m", "kneeguide"]


def kneeguide(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The real command; a read that blocks or never ends fails on the timeout."""
    return subprocess.run(
        [*command(), *args],
        capture_output=True,
        text=True,
        timeout=30,
        env={**os.environ, "LANG": "C.UTF-8", "LC_ALL": "", **(env or {})},
    )


def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "fifo.yaml"
    os.mkfifo(path)
    return path


def directory(tmp_path: Path) -> Path:
    path = tmp_path / "folder.yaml"
    path.mkdir()
    return path


def too_large(limit: int) -> Callable[[Path], Path]:
    def make(tmp_path: Path) -> Path:
        path = tmp_path / "large.yaml"
        path.write_text("# " + "x" * limit + "\n", encoding="utf-8")
        return path

    return make


#: A file that is not a small regular file → what the line about it says.
SPECIAL: dict[str, tuple[Callable[[Path], Path], str]] = {
    "dev_zero": (lambda _: Path("/dev/zero"), "is a device, not a regular file (expected a {what})"),
    "fifo": (fifo, "is a pipe (FIFO), not a regular file (expected a {what})"),
    "directory": (directory, "is a directory, not a {what}"),
    "missing": (lambda tmp_path: tmp_path / "missing.yaml", "{what} not found"),
}


def special(case: str, tmp_path: Path) -> Path:
    if case == "dev_zero" and not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero here")
    if case == "fifo" and not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this system")
    return SPECIAL[case][0](tmp_path)


@pytest.mark.parametrize("case", sorted(SPECIAL))
def test_a_clinic_profile_that_is_no_small_regular_file_is_one_line(case: str, tmp_path: Path) -> None:
    path = special(case, tmp_path)
    note = tmp_path / "note.md"
    done = kneeguide("assess", "-a", "age=30", "--region", "JP", "--note", str(note), "--clinic", str(path))
    expected = SPECIAL[case][1].format(what="clinic profile")
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.splitlines() == [f"kneeguide: {path}: {expected}"]
    assert not note.exists()


def test_a_clinic_profile_over_64_kib_is_refused(tmp_path: Path) -> None:
    path = too_large(clinic.MAX_BYTES)(tmp_path)
    done = kneeguide("assess", "-a", "age=30", "--region", "JP", "--clinic", str(path), "--note", "n.md")
    assert done.returncode == 2
    assert done.stderr.splitlines() == [f"kneeguide: {path}: clinic profile larger than 64 KiB"]


@pytest.mark.parametrize("case", sorted(set(SPECIAL) - {"missing"}))
def test_a_config_file_that_is_no_regular_file_is_one_line_naming_the_variable(
    case: str, tmp_path: Path
) -> None:
    path = special(case, tmp_path)
    done = kneeguide("assess", "-a", "age=30", "--format", "json", env={"KNEEGUIDE_CONFIG": str(path)})
    expected = SPECIAL[case][1].format(what="config file")
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.splitlines() == [f"kneeguide: KNEEGUIDE_CONFIG={path}: {expected}"]


def test_a_config_file_over_64_kib_is_refused(tmp_path: Path) -> None:
    path = too_large(config.MAX_BYTES)(tmp_path)
    done = kneeguide("assess", "-a", "age=30", env={"KNEEGUIDE_CONFIG": str(path)})
    assert done.returncode == 2
    assert done.stderr.splitlines() == [f"kneeguide: KNEEGUIDE_CONFIG={path}: config file larger than 64 KiB"]


@pytest.mark.parametrize("name", ["missing", os.devnull])
def test_no_config_file_yet_and_the_null_device_mean_no_settings(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A config file that does not exist yet is where the interview will remember a
    region (tests and scripts point ``KNEEGUIDE_CONFIG`` at one); ``/dev/null`` is the
    usual way to say "none"."""
    monkeypatch.setenv("KNEEGUIDE_CONFIG", str(tmp_path / name) if name == "missing" else name)
    assert config.load_config() == {}


def test_a_dangling_link_as_config_file_is_said(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    link = tmp_path / "config.yaml"
    link.symlink_to(tmp_path / "gone.yaml")
    monkeypatch.setenv("KNEEGUIDE_CONFIG", str(link))
    with pytest.raises(InputError) as info:
        config.load_config()
    assert info.value.lines() == [f"KNEEGUIDE_CONFIG={link}: config file not found"]


# -- sessions ----------------------------------------------------------------------------


@pytest.mark.parametrize("case", sorted(SPECIAL))
def test_a_session_that_is_no_regular_file_is_one_line(case: str, tmp_path: Path) -> None:
    path = special(case, tmp_path)
    with pytest.raises(InputError) as info:
        session.Session.load(path)
    expected = SPECIAL[case][1].format(what="session file")
    assert info.value.lines() == [f"{path}: {expected}"]


@pytest.mark.parametrize("case", sorted(SPECIAL))
@pytest.mark.parametrize("kind", ["note", "export"])
def test_note_and_export_from_a_session_that_is_no_regular_file_is_one_line(
    kind: str, case: str, tmp_path: Path
) -> None:
    path = special(case, tmp_path)
    out = tmp_path / "out.txt"
    args = (
        ["note", "--session", str(path)] if kind == "note" else ["export", "--fhir", "--session", str(path)]
    )
    done = kneeguide(*args, "-o", str(out))
    expected = SPECIAL[case][1].format(what="session file")
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.splitlines() == [f"kneeguide: {path}: {expected}"]
    assert not out.exists()


def test_a_session_over_4_mib_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    path.write_bytes(b" " * (session.MAX_BYTES + 1))
    with pytest.raises(InputError) as info:
        session.Session.load(path)
    assert info.value.lines() == [f"{path}: session file larger than 4 MiB"]
    assert info.value.problems[0].key == "session_too_large"


#: A damaged or malformed session file → its one line.
SESSIONS = {
    "session_duplicate_key.json": ":8:3: session file is damaged: duplicate key 'answers' "
    "(first defined at line 7)",
    "session_steps_not_a_list.json": ": session file is incomplete ('steps': expected a list, found str)",
}


@pytest.mark.parametrize("name", sorted(SESSIONS))
def test_a_malformed_session_is_named_and_not_guessed_at(name: str) -> None:
    with pytest.raises(InputError) as info:
        session.Session.load(INPUTS / name)
    assert info.value.lines() == [f"{INPUTS / name}{SESSIONS[name]}"]


def test_a_sessions_answers_go_through_the_answer_checker_for_a_note(tmp_path: Path) -> None:
    shown = INPUTS / "session_bad_answers.json"
    done = kneeguide("note", "--session", str(shown), "-o", str(tmp_path / "note.md"))
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.splitlines() == [
        f"kneeguide: {shown}: age: '10:00' is not valid; expected a whole number from 0 to 120",
        f"kneeguide: {shown}: calf_swelling: 'maybe' is not valid; expected yes, no or unsure",
        f"kneeguide: {shown}: unknown question id 'calf_pian' (did you mean 'calf_pain'?)",
    ]
    assert not (tmp_path / "note.md").exists()


def test_a_sessions_answers_go_through_the_answer_checker_on_resume() -> None:
    """Resumed in a real terminal: the saved answers are checked like any others."""
    pexpect = pytest.importorskip("pexpect")
    child = pexpect.spawn(
        command()[0],
        [*command()[1:], "interview", "--resume", str(INPUTS / "session_bad_answers.json")],
        encoding="utf-8",
        timeout=30,
        env={**os.environ, "TERM": "dumb", "LANG": "C.UTF-8", "LC_ALL": ""},
    )
    child.expect(pexpect.EOF)
    child.close()
    shown = INPUTS / "session_bad_answers.json"
    assert child.exitstatus == 2
    assert child.before.replace("\r\n", "\n").strip().splitlines() == [
        f"kneeguide: {shown}: age: '10:00' is not valid; expected a whole number from 0 to 120",
        f"kneeguide: {shown}: calf_swelling: 'maybe' is not valid; expected yes, no or unsure",
        f"kneeguide: {shown}: unknown question id 'calf_pian' (did you mean 'calf_pain'?)",
    ]


@needs_fifo
def test_resuming_from_a_fifo_in_a_terminal_does_not_hang(tmp_path: Path) -> None:
    pexpect = pytest.importorskip("pexpect")
    path = fifo(tmp_path)
    child = pexpect.spawn(
        command()[0],
        [*command()[1:], "interview", "--resume", str(path)],
        encoding="utf-8",
        timeout=30,
        env={**os.environ, "TERM": "dumb", "LANG": "C.UTF-8", "LC_ALL": ""},
    )
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 2
    assert "is a pipe (FIFO), not a regular file (expected a session file)" in child.before


# -- the reader itself -------------------------------------------------------------------


def test_the_reader_reads_a_regular_file_whole_up_to_its_limit(tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"x" * 10)
    assert read_regular(path, 10, "thing") == b"x" * 10
    with pytest.raises(InputError, match="thing larger than 9 bytes"):
        read_regular(path, 9, "thing")


def test_the_reader_reads_a_file_that_claims_no_size_only_to_its_limit() -> None:
    """Files under /proc say they are empty yet hold text: the limit still holds."""
    status = Path("/proc/self/status")
    if not status.exists():
        pytest.skip("no /proc here")
    with pytest.raises(InputError, match="larger than 10 bytes"):
        read_regular(status, 10, "thing")


def test_sizes_are_said_as_people_read_them() -> None:
    assert [size_text(n) for n in (64 * 1024, 4 << 20, 100, 1536)] == [
        "64 KiB",
        "4 MiB",
        "100 bytes",
        "1536 bytes",
    ]
