"""Privacy: no network, owner-only files, nothing left on disk, no answers in error output.

Answers are special-category health data. kneeguide must never open a socket
at run time; every file that holds answers (interview sessions and their
``.prev`` copies, batch output, saved answers, assessments and notes) is
readable by its owner only, whatever the umask; ``assess`` leaves nothing on
disk but the compiled-rules cache; and an internal error is one line naming
the exception type only. A traceback appears only with ``--debug``, and even
then without the local variables (which would hold the answers).
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from screen import none_of_the_first_list

from kneeguide import cli, engine
from kneeguide.api import assess, load_rules
from kneeguide.cli import guard
from kneeguide.cli.app import build
from kneeguide.cli.interview import offer_saves
from kneeguide.files import write_atomic
from kneeguide.interview.session import Session
from kneeguide.ruleset.files import builtin_rules

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")

TIMEOUT = 20
RULES = load_rules()
STORY = {"age": 64, "calf_swelling": "yes", "calf_pain": "yes", "recent_surgery": "yes"}


@pytest.fixture(autouse=True)
def _restore_cli_debug(monkeypatch: pytest.MonkeyPatch) -> None:
    """cli.main sets the ``--debug`` flag in kneeguide.cli.guard: put it back for the tests after."""
    monkeypatch.setattr(guard, "_debug", guard._debug)


# --- no network at run time -------------------------------------------------------------------------

NO_NETWORK = textwrap.dedent(
    '''
    """Loaded by every test subprocess before kneeguide: any network use raises, and is logged.

    Only AF_UNIX sockets are let through: asyncio (under the interview's prompt_toolkit) makes a
    local socketpair as its self-pipe; no name lookup or connection is possible either way.
    """
    import os
    import socket

    _LOG = os.environ["KNEEGUIDE_TEST_NET_LOG"]


    def _refuse(what):
        with open(_LOG, "a", encoding="utf-8") as log:
            log.write(what + "\\n")
        raise OSError("socket disabled by kneeguide tests: " + what)


    class _NoSocket(socket.socket):  # a class, so that `class X(socket.socket)` elsewhere still works
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            if self.family != socket.AF_UNIX:  # local IPC (asyncio's self-pipe) is not network
                self.close()
                _refuse(f"socket.socket({self.family!r})")


    def _no_connection(*args, **kwargs):
        _refuse("socket.create_connection")


    def _no_lookup(*args, **kwargs):
        _refuse("socket.getaddrinfo")


    socket.socket = _NoSocket
    socket.create_connection = _no_connection
    socket.getaddrinfo = _no_lookup
    with open(os.environ["KNEEGUIDE_TEST_GUARD"], "w", encoding="utf-8") as mark:
        mark.write("loaded\\n")
    '''
)


def offline_env(folder: Path) -> dict[str, str]:
    """An environment whose Python refuses the network, with a fresh cache (so it is written too)."""
    site = folder / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(NO_NETWORK)
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(site), *filter(None, [os.environ.get("PYTHONPATH")])]),
        "KNEEGUIDE_TEST_NET_LOG": str(folder / "network.log"),
        "KNEEGUIDE_TEST_GUARD": str(folder / "guard.loaded"),
        "KNEEGUIDE_CACHE_DIR": str(folder / "cache"),
        "KNEEGUIDE_DATA_DIR": str(folder / "data"),
        "NO_COLOR": "1",
    }


def assert_offline(folder: Path) -> None:
    assert (folder / "guard.loaded").exists(), "the no-network guard was not loaded"
    log = folder / "network.log"
    attempts = log.read_text() if log.exists() else ""
    assert attempts == "", f"network use attempted: {attempts}"


def _rules_copy(folder: Path) -> Path:
    folder.mkdir()
    shutil.copytree(Path(str(builtin_rules())), folder, dirs_exist_ok=True)  # the files and catalogues
    return folder


def _jsonl(n: int) -> str:
    return "".join(json.dumps({"id": f"r{i}", **STORY, "age": 30 + i}) + "\n" for i in range(n))


#: name -> (arguments, stdin, acceptable exit statuses). {answers}, {rules}, {out} are filled in.
COMMANDS: dict[str, tuple[list[str], str | None, set[int]]] = {
    "assess-json": (["assess", "--answers", "{answers}", "--format", "json"], None, {0}),
    "assess-text": (["assess", "--answers", "{answers}", "--format", "text"], None, {0}),
    "assess-markdown": (["assess", "--answers", "{answers}", "--format", "markdown"], None, {0}),
    "assess-stdin-fail-on": (["assess", "--answers", "-", "--fail-on", "urgent"], json.dumps(STORY), {3}),
    "assess-custom-rules": (["assess", "--rules", "{rules}", "-a", "age=64"], None, {0}),
    "questions": (["questions"], None, {0}),
    "questions-json": (["questions", "--format", "json", "--audience", "practitioner"], None, {0}),
    "rules-validate": (["rules", "validate"], None, {0}),
    "rules-validate-dir": (["rules", "validate", "{rules}"], None, {0}),
    # test/coverage exit 1 when a rule's own test fails or a red-flag leaf is untested: still normal
    "rules-test": (["rules", "test", "--format", "json"], None, {0, 1}),
    "rules-coverage": (["rules", "coverage"], None, {0, 1}),
    "rules-diff": (["rules", "diff", "{rules}"], None, {0}),
    "rules-explain": (["rules", "explain", "dvt"], None, {0}),
    "rules-schema": (["rules", "schema"], None, {0}),
    "batch": (["batch", "-", "-o", "{out}"], _jsonl(20), {0}),
    "batch-workers-csv": (["batch", "-", "--workers", "2", "--output-format", "csv"], _jsonl(50), {0}),
    "piped": ([], json.dumps(STORY), {0}),
    "version": (["--version"], None, {0}),
}


def test_the_network_guard_refuses_and_logs(tmp_path: Path) -> None:
    """The control: under the guard, a connection, a lookup and an AF_INET socket all fail."""
    code = (
        "import socket\n"
        "for attempt in (lambda: socket.create_connection(('127.0.0.1', 9)),\n"
        "                lambda: socket.getaddrinfo('example.org', 443),\n"
        "                lambda: socket.socket(socket.AF_INET, socket.SOCK_STREAM)):\n"
        "    try:\n"
        "        attempt()\n"
        "    except OSError as exc:\n"
        "        print(exc)\n"
        "socket.socketpair()  # local IPC stays possible\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        env=offline_env(tmp_path),
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("socket disabled by kneeguide tests") == 3
    assert len((tmp_path / "network.log").read_text().splitlines()) == 3


@pytest.fixture(scope="module")
def offline_runs(
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, tuple[subprocess.CompletedProcess[str], Path]]:
    """Every command once, offline, each in its own folder, a few at a time."""
    folders = {name: tmp_path_factory.mktemp(f"offline-{name}") for name in COMMANDS}

    def run(name: str) -> tuple[subprocess.CompletedProcess[str], Path]:
        args, stdin, _ = COMMANDS[name]
        folder = folders[name]
        answers = folder / "answers.json"
        answers.write_text(json.dumps(STORY))
        rules = _rules_copy(folder / "rules")
        fill = {"answers": str(answers), "rules": str(rules), "out": str(folder / "o")}
        done = subprocess.run(
            [sys.executable, "-m", "kneeguide", *(a.format(**fill) for a in args)],
            input=stdin if stdin is not None else "",
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            env=offline_env(folder),
            cwd=folder,
        )
        return done, folder

    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        return dict(zip(COMMANDS, pool.map(run, COMMANDS), strict=True))


@pytest.mark.parametrize("name", list(COMMANDS))
def test_no_command_touches_the_network(
    name: str, offline_runs: dict[str, tuple[subprocess.CompletedProcess[str], Path]]
) -> None:
    done, folder = offline_runs[name]
    assert_offline(folder)
    assert done.returncode in COMMANDS[name][2], done.stderr[-2000:]
    assert "socket disabled" not in done.stderr + done.stdout
    assert "internal error" not in done.stderr
    assert "Traceback" not in done.stderr  # batch --workers once printed worker tracebacks here
    if name.startswith(("assess", "piped")):  # every assessment names the rules that made it
        assert "sha256:" in done.stdout
    assert done.stdout or (folder / "o").exists() or name.startswith("rules-validate")


def test_an_interview_touches_no_network(tmp_path: Path) -> None:
    pexpect = pytest.importorskip("pexpect")
    env = {**offline_env(tmp_path), "TERM": "xterm", "PROMPT_TOOLKIT_NO_CPR": "1"}
    child = pexpect.spawn(
        sys.executable, ["-m", "kneeguide", "interview"], env=env, encoding="utf-8", timeout=TIMEOUT,
        dimensions=(60, 240),
    )  # fmt: skip
    try:
        child.expect_exact(RULES.message("choice_help", "en"))  # the first tick-list is on screen
        child.send(none_of_the_first_list(RULES))
        child.expect_exact("\x1b[?2004l")
        child.expect_exact([RULES.message("choice_help", "en"), RULES.message("number_hint", "en")])
        child.send("\x03")  # Ctrl-C: saved, exit 130
        child.expect(pexpect.EOF)
        transcript = child.before
        child.close()
    finally:
        if child.isalive():
            child.terminate(force=True)
    assert child.exitstatus == 130, transcript[-1000:]
    assert "socket disabled" not in transcript and "Traceback" not in transcript
    assert_offline(tmp_path)


# --- owner-only files -------------------------------------------------------------------------------


@pytest.fixture()
def lax_umask() -> Iterator[None]:
    """The most permissive umask: owner-only modes must come from kneeguide, not from the umask."""
    old = os.umask(0)
    yield
    os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_session_files_and_their_previous_copy_are_owner_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lax_umask: None
) -> None:
    monkeypatch.setenv("KNEEGUIDE_DATA_DIR", str(tmp_path / "data"))
    session = Session.new("lay", "JP", "en", RULES.digest)
    session.answers.update(STORY)
    session.save()
    session.answers["warmth"] = "yes"
    session.save()
    assert mode(session.path) == 0o600
    assert mode(session.previous) == 0o600
    assert mode(session.path.parent) == 0o700  # sessions/


def test_an_existing_sessions_folder_open_to_others_is_not_used_as_it_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Regression test (a bug this suite found): files.private_dir only created folders
    owner-only; an existing sessions (or cache) folder that others could write was used as it was,
    so another local user could swap session files.
    """
    from kneeguide.files import WriteError

    monkeypatch.setenv("KNEEGUIDE_DATA_DIR", str(tmp_path / "data"))
    shared = tmp_path / "data" / "sessions"
    shared.mkdir(parents=True)
    shared.chmod(0o777)
    try:
        session = Session.new("lay", "JP", "en", RULES.digest)
        session.answers.update(STORY)
        session.save()
    except WriteError:
        return  # refusing is fine too
    assert mode(shared) == 0o700


def test_batch_output_is_owner_only(tmp_path: Path) -> None:
    for target in (tmp_path / "out.jsonl", tmp_path / "out.csv"):
        done = subprocess.run(
            [sys.executable, "-m", "kneeguide", "batch", "-", "-o", str(target)],
            input=_jsonl(3),
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            umask=0,
        )
        assert done.returncode == 0, done.stderr
        assert mode(target) == 0o600


def test_an_overwritten_batch_output_becomes_owner_only(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    target.write_text("old\n")
    target.chmod(0o644)
    done = subprocess.run(
        [sys.executable, "-m", "kneeguide", "batch", "-", "-o", str(target), "--force"],
        input=_jsonl(2),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert done.returncode == 0, done.stderr
    assert mode(target) == 0o600


def test_saved_answers_assessment_and_note_are_owner_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lax_umask: None
) -> None:
    monkeypatch.setenv("KNEEGUIDE_DATA_DIR", str(tmp_path / "data"))
    session = Session.new("lay", "JP", "en", RULES.digest)
    session.answers.update(STORY)
    shown: list[str] = []

    class SaveAll:
        def pause(self, message: str) -> None:
            pass

        def confirm(self, message: str, default: bool) -> bool:
            return True

        def path(self, message: str, default: str) -> str:
            return str(tmp_path / "saved" / default)

        def show(self, text: str) -> None:
            shown.append(text)

    (tmp_path / "saved").mkdir()
    offer_saves(RULES, session, assess(session.answers, rules=RULES), SaveAll())
    saved = sorted((tmp_path / "saved").iterdir())
    assert len(saved) == 3, shown
    assert {p.suffix for p in saved} == {".json", ".html"}  # answers, assessment; the letter prints from HTML
    assert all(mode(p) == 0o600 for p in saved), [(p.name, oct(mode(p))) for p in saved]
    answers_file = next(p for p in saved if "answers" in p.name)
    assert json.loads(answers_file.read_text()) == STORY


def test_write_atomic_is_owner_only_even_over_a_public_file(tmp_path: Path, lax_umask: None) -> None:
    target = tmp_path / "answers.json"
    target.write_text("{}")
    target.chmod(0o666)
    write_atomic(target, json.dumps(STORY))
    assert mode(target) == 0o600


def test_the_rules_cache_is_owner_only(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    done = subprocess.run(
        [sys.executable, "-m", "kneeguide", "questions"],
        capture_output=True,
        timeout=TIMEOUT,
        env={**os.environ, "KNEEGUIDE_CACHE_DIR": str(cache)},
        umask=0,
    )
    assert done.returncode == 0
    assert mode(cache) == 0o700
    entries = list(cache.iterdir())
    assert entries and all(mode(p) == 0o600 for p in entries)


def test_assess_leaves_nothing_on_disk_but_the_rules_cache(tmp_path: Path) -> None:
    home, work, temp = tmp_path / "home", tmp_path / "work", tmp_path / "tmp"
    for folder in (home, work, temp):
        folder.mkdir()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("KNEEGUIDE_", "XDG_"))},
        "HOME": str(home),
        "TMPDIR": str(temp),
        "NO_COLOR": "1",
    }
    for fmt in ("json", "text", "markdown"):
        done = subprocess.run(
            [sys.executable, "-m", "kneeguide", "assess", "--answers", "-", "--format", fmt],
            input=json.dumps(STORY),
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            env=env,
            cwd=work,
        )
        assert done.returncode == 0, done.stderr
    written = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file())
    cache = "home/.cache/kneeguide/rules-"
    assert all(p.startswith(cache) and p.endswith(".pickle") for p in written), written
    assert list(work.iterdir()) == [] and list(temp.iterdir()) == []


# --- tracebacks only with --debug, and never with locals ----------------------------------------------


def test_typer_never_prints_local_variables() -> None:
    for command in (None, "assess", "batch", "rules"):
        assert build(command).pretty_exceptions_show_locals is False


@pytest.fixture()
def broken_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(rules: Any, answers: Any, **kwargs: Any) -> Any:
        raise RuntimeError(f"forced failure while assessing {dict(answers)}")

    monkeypatch.setattr(engine, "assessment_of", boom)


def test_an_internal_error_is_one_line_without_the_answers(
    broken_engine: None, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as info:
        cli.main(["assess", "-a", "age=73", "-a", "calf_swelling=yes"])
    assert info.value.code == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "kneeguide: internal error: RuntimeError (run again with --debug for details)\n"


def test_debug_lets_the_internal_error_through(broken_engine: None) -> None:
    with pytest.raises(RuntimeError, match="forced failure"):
        cli.main(["--debug", "assess", "-a", "age=73"])


def test_debug_lets_a_user_error_through_and_without_it_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = str(tmp_path / "missing.json")
    with pytest.raises(SystemExit) as info:
        cli.main(["assess", "--answers", missing])
    assert info.value.code == 2
    assert capsys.readouterr().err == f"kneeguide: {missing}: answers file not found\n"
    from kneeguide.errors import InputError

    with pytest.raises(InputError):
        cli.main(["assess", "--answers", missing, "--debug"])


FORCED = textwrap.dedent(
    """
    import kneeguide.engine as _engine


    def _boom(rules, answers, **kwargs):
        raise RuntimeError("forced failure")


    _engine.assessment_of = _boom
    """
)


def test_a_debug_traceback_in_a_real_process_shows_no_answers(tmp_path: Path) -> None:
    """(With ``pretty_exceptions_show_locals = True`` set in the sitecustomize below, the same run
    prints ``'age': 73`` from the frames' locals: checked by hand, too slow to keep, ~9 s.)"""
    (tmp_path / "sitecustomize.py").write_text(FORCED)
    env = {**os.environ, "PYTHONPATH": str(tmp_path), "NO_COLOR": "1", "COLUMNS": "200"}
    args = [sys.executable, "-m", "kneeguide", "assess", "-a", "age=73", "-a", "calf_swelling=yes"]
    plain = subprocess.run(args, capture_output=True, text=True, timeout=TIMEOUT, env=env)
    assert plain.returncode == 1
    assert plain.stderr == "kneeguide: internal error: RuntimeError (run again with --debug for details)\n"
    debug = subprocess.run([*args, "--debug"], capture_output=True, text=True, timeout=TIMEOUT, env=env)
    assert debug.returncode == 1
    assert "Traceback" in debug.stderr and "RuntimeError: forced failure" in debug.stderr
    assert "'age': 73" not in debug.stderr and "calf_swelling" not in debug.stderr, debug.stderr[-3000:]
