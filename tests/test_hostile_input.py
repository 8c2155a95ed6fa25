"""Hostile and malformed input files: refused in one clear line, fast, and never obeyed.

Answer files (``kneeguide assess --answers FILE``) and rule directories
(``kneeguide rules validate DIR``, ``kneeguide assess --rules DIR``) are fed
Python tags, an alias bomb, oversized files, deep nesting, bad encodings, NUL
bytes, binary data, empty files, lists instead of mappings and directories
where files belong. Every one must end with exit status 2, exactly one line on
stderr naming the file (and the line and column where there is one), nothing on
stdout, no traceback, and well inside the 20 s subprocess timeout.

Tests whose docstring says "regression test" failed when this suite was written
(each was an ``xfail(strict=True)`` until the bug was fixed); see docs/security.md.
"""

from __future__ import annotations

import os
import pickle
import re
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from kneeguide.ruleset.files import builtin_rules

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX paths and signals")

TIMEOUT = 20
MiB = 1024 * 1024


def kneeguide(
    *args: str, cwd: Path, stdin: bytes | None = None, env: dict[str, str] | None = None, **kwargs: Any
) -> tuple[subprocess.CompletedProcess[bytes], float]:
    """Run kneeguide in a subprocess; return the result and the wall time it took."""
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "kneeguide", *args],
        input=stdin if stdin is not None else b"",
        capture_output=True,
        timeout=TIMEOUT,
        cwd=cwd,
        env={**os.environ, "NO_COLOR": "1", **(env or {})},
        **kwargs,
    )
    return done, time.monotonic() - started


def assert_refused(done: subprocess.CompletedProcess[bytes], elapsed: float, names: str, expect: str) -> str:
    """Exit 2, nothing on stdout, exactly one ``kneeguide: NAMES...: ...`` line, no traceback."""
    err = done.stderr.decode("utf-8", "replace")
    assert done.returncode == 2, (done.returncode, err[-2000:])
    assert done.stdout == b"", done.stdout[:500]
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, f"expected one clear line, got {len(lines)}: {err[:2000]!r}"
    assert lines[0].startswith(f"kneeguide: {names}"), lines[0]
    assert re.search(expect, lines[0]), (expect, lines[0])
    assert len(lines[0]) < 400, "a clear message, not a dump"
    assert elapsed < TIMEOUT
    return lines[0]


# --- the hostile contents -----------------------------------------------------------------------


def python_tag(marker: Path, key: str) -> bytes:
    return f'{key}: !!python/object/apply:os.system ["touch {marker}"]\n'.encode()


def billion_laughs(key: str) -> bytes:
    bomb = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    for level in "bcdefghi":
        prev = chr(ord(level) - 1)
        bomb += f"{level}: &{level} [{', '.join([f'*{prev}'] * 10)}]\n"
    return (bomb + f"{key}: *i\n").encode()


def sized(first_line: str, size: int) -> bytes:
    """Valid YAML of exactly ``size`` bytes (a comment pads it)."""
    head = first_line.encode() + b"\n#"
    return head + b"x" * (size - 1 - len(head)) + b"\n"


def oversized(first_line: str, limit: int) -> bytes:
    """Valid YAML one byte above ``limit``."""
    return sized(first_line, limit + 1)


def deep_flow(key: str) -> bytes:
    return f"{key}: {'[' * 200}1{']' * 200}\n".encode()


def deep_block(key: str) -> bytes:
    return (f"{key}:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 200)) + "  " * 200 + "x\n").encode()


#: name -> (contents for an answers file, for a rule file, what the message must say).
#: Contents are functions of the tmp dir (for the Python-tag marker file).
CASES: dict[str, tuple[Callable[[Path], bytes], Callable[[Path], bytes], str]] = {
    "python_tag": (
        lambda d: python_tag(d / "PWNED", "age"),
        lambda d: python_tag(d / "PWNED", "red_flags"),
        r":1:\d+: tag '.*python/object/apply:os\.system' is not allowed",
    ),
    "billion_laughs": (
        lambda d: billion_laughs("age"),
        lambda d: billion_laughs("red_flags"),
        r":\d+:\d+: document is too large once aliases are expanded",
    ),
    "too_large": (
        lambda d: oversized("age: 30", MiB),
        lambda d: oversized("red_flags: []", 2 * MiB),
        r"larger than (1 MiB|2048 KiB)",
    ),
    "deep_flow": (lambda d: deep_flow("age"), lambda d: deep_flow("red_flags"), r":1:\d+: nesting deeper"),
    "deep_block": (
        lambda d: deep_block("age"),
        lambda d: deep_block("red_flags"),
        r":\d+:\d+: nesting deeper",
    ),
    "invalid_utf8": (
        lambda d: b'age: 30\nsex: "\xff"\n',
        lambda d: b'red_flags: []\nx: "\xff"\n',
        r":2:5: invalid UTF-8 \(byte 0xff\)",
    ),
    "binary": (
        lambda d: bytes(range(256)) * 16,
        lambda d: bytes(range(256)) * 16,
        r":2:118: invalid UTF-8 \(byte 0x80\)",
    ),
    "list": (lambda d: b"- age\n- 30\n", lambda d: b"- red_flags\n- []\n", r":1:1: .*mapping"),
}
#: Where 0xff sits in the invalid_utf8 files: after 'sex: "' (answers) or 'x: "' (rules).
UTF8_COL = {"answers": 7, "rules": 5}


def _expect(case: str, kind: str) -> str:
    expect = CASES[case][2]
    if case == "invalid_utf8":
        expect = expect.replace(":2:5:", f":2:{UTF8_COL[kind]}:")
    return expect


# --- every run, prepared up front and run a few at a time ---------------------------------------


@dataclass(frozen=True)
class Job:
    """One kneeguide run in a fresh folder: ``prepare(folder, pristine_rules)`` sets the files up."""

    prepare: Callable[[Path, Path], None]
    args: tuple[str, ...]
    stdin: bytes | None = None


def answers_file(content: Callable[[Path], bytes]) -> Callable[[Path, Path], None]:
    def prepare(folder: Path, pristine: Path) -> None:
        (folder / "answers.yaml").write_bytes(content(folder))

    return prepare


def rules_dir(change: Callable[[Path, Path], None]) -> Callable[[Path, Path], None]:
    """A copy of the built-in rules in ``folder/rules``, with red_flags.yaml changed."""

    def prepare(folder: Path, pristine: Path) -> None:
        shutil.copytree(pristine, folder / "rules")
        change(folder / "rules" / "red_flags.yaml", folder)

    return prepare


def replaced_by(content: Callable[[Path], bytes]) -> Callable[[Path, Path], None]:
    return lambda path, folder: path.write_bytes(content(folder))


def replaced_by_a_directory(path: Path, folder: Path) -> None:
    path.unlink()
    path.mkdir()


def nothing(folder: Path, pristine: Path) -> None:
    pass


def a_file_named_rules(folder: Path, pristine: Path) -> None:
    (folder / "rules").write_bytes(b"red_flags: []\n")


def a_directory_named_answers(folder: Path, pristine: Path) -> None:
    (folder / "answers.yaml").mkdir()


ASSESS = ("assess", "--answers", "answers.yaml")
RULE_COMMANDS = {
    "validate": ("rules", "validate", "rules"),
    "assess": ("assess", "--rules", "rules", "-a", "age=30", "--format", "json"),
}
NUL_ANSWERS = b"age: 30\nsex: ma\x00le\n"
NUL_RULES = b"red_flags: []\nx: a\x00b\n"

JOBS: dict[str, Job] = {
    **{f"answers:{case}": Job(answers_file(c[0]), ASSESS) for case, c in CASES.items()},
    **{
        f"{command}:{case}": Job(rules_dir(replaced_by(c[1])), args)
        for case, c in CASES.items()
        for command, args in RULE_COMMANDS.items()
    },
    "answers:stdin_python_tag": Job(
        nothing, ("assess", "--answers", "-"), python_tag(Path("PWNED").absolute(), "age")
    ),
    "answers:dev_zero": Job(nothing, ("assess", "--answers", "/dev/zero")),
    "answers:exactly_1_mib": Job(
        answers_file(lambda d: sized("age: 30", MiB)), (*ASSESS, "--format", "json")
    ),
    "answers:directory": Job(a_directory_named_answers, ASSESS),
    "answers:missing": Job(nothing, ("assess", "--answers", "nowhere.yaml")),
    "answers:nul": Job(answers_file(lambda d: NUL_ANSWERS), ASSESS),
    "answers:empty": Job(answers_file(lambda d: b""), ASSESS),
    "answers:huge_int": Job(answers_file(lambda d: b"age: " + b"9" * 400 + b"\n"), ASSESS),
    "piped:invalid_utf8": Job(nothing, (), b'age: 30\nsex: "\xff"\n'),
    **{
        f"{command}:{case}": Job(prepare, args)
        for command, args in RULE_COMMANDS.items()
        for case, prepare in {
            "empty": rules_dir(replaced_by(lambda d: b"")),
            "directory": rules_dir(replaced_by_a_directory),
            "file_as_dir": a_file_named_rules,
            "nul": rules_dir(replaced_by(lambda d: NUL_RULES)),
        }.items()
    },
}

Outcome = tuple[subprocess.CompletedProcess[bytes], float, Path]


@pytest.fixture(scope="module")
def pristine_rules(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the built-in rule files, as a user would copy them to edit."""
    target = tmp_path_factory.mktemp("pristine") / "rules"
    target.mkdir()
    shutil.copytree(Path(str(builtin_rules())), target, dirs_exist_ok=True)  # the files and catalogues
    return target


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory, pristine_rules: Path) -> dict[str, Outcome]:
    """Every job run once, each a fresh process in its own folder, a few at a time."""
    folders = {}
    for key, job in JOBS.items():
        folders[key] = tmp_path_factory.mktemp(key.replace(":", "-"))
        job.prepare(folders[key], pristine_rules)

    def run(key: str) -> Outcome:
        job = JOBS[key]
        stdin = job.stdin
        if stdin is not None and b"PWNED" in stdin:  # the marker goes to this job's folder
            stdin = python_tag(folders[key] / "PWNED", "age")
        return (*kneeguide(*job.args, cwd=folders[key], stdin=stdin), folders[key])

    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        return dict(zip(JOBS, pool.map(run, JOBS), strict=True))


# --- answer files ---------------------------------------------------------------------------------


@pytest.mark.parametrize("case", list(CASES))
def test_a_hostile_answers_file_is_refused(case: str, outcomes: dict[str, Outcome]) -> None:
    done, elapsed, folder = outcomes[f"answers:{case}"]
    assert_refused(done, elapsed, "answers.yaml", _expect(case, "answers"))
    assert not (folder / "PWNED").exists()


def test_a_python_tag_on_stdin_is_refused_and_never_run(outcomes: dict[str, Outcome]) -> None:
    done, elapsed, folder = outcomes["answers:stdin_python_tag"]
    assert_refused(done, elapsed, "<stdin>:1:", "is not allowed")
    assert not (folder / "PWNED").exists()


def test_an_answers_file_above_1_mib_is_refused_without_reading_it_all(outcomes: dict[str, Outcome]) -> None:
    done, elapsed, _ = outcomes["answers:dev_zero"]
    assert_refused(done, elapsed, "/dev/zero", "larger than 1 MiB")


def test_an_answers_file_of_exactly_1_mib_is_still_read(outcomes: dict[str, Outcome]) -> None:
    done, _, folder = outcomes["answers:exactly_1_mib"]
    assert (folder / "answers.yaml").stat().st_size == MiB
    assert done.returncode == 0, done.stderr[-1000:]
    assert b'"age": 30' in done.stdout


def test_a_directory_given_as_the_answers_file_is_refused(outcomes: dict[str, Outcome]) -> None:
    done, elapsed, _ = outcomes["answers:directory"]
    assert_refused(done, elapsed, "answers.yaml", "is a directory")


def test_a_missing_answers_file_is_refused(outcomes: dict[str, Outcome]) -> None:
    done, elapsed, _ = outcomes["answers:missing"]
    assert_refused(done, elapsed, "nowhere.yaml", "not found")


def test_a_nul_byte_in_an_answers_file_is_one_line_with_line_and_col(outcomes: dict[str, Outcome]) -> None:
    """Regression test (a bug this suite found): a NUL byte gave a two-line message without
    line:col, because yaml.reader.ReaderError is not a MarkedYAMLError and its text was printed whole.
    """
    done, elapsed, _ = outcomes["answers:nul"]
    assert_refused(done, elapsed, "answers.yaml:2:8:", "")


def test_an_empty_answers_file_is_refused(outcomes: dict[str, Outcome]) -> None:
    """Regression test (a bug this suite found): an empty answers file was read as {} and assessed
    (exit 0), while `kneeguide` with empty stdin exits 2: an empty or truncated file silently gave
    an assessment of nothing.
    """
    done, elapsed, _ = outcomes["answers:empty"]
    assert_refused(done, elapsed, "answers.yaml", "")


def test_a_huge_integer_answer_is_refused(outcomes: dict[str, Outcome]) -> None:
    """Regression test (a bug this suite found): a 400-digit integer answer raised OverflowError
    in answers._number (math.isfinite on an int too large for a float): 'internal error', exit 1.
    """
    done, elapsed, _ = outcomes["answers:huge_int"]
    assert_refused(done, elapsed, "answers.yaml:1:1: age", "not valid")


def test_piped_invalid_utf8_is_refused_with_line_and_col(outcomes: dict[str, Outcome]) -> None:
    """Regression test (a bug this suite found): `kneeguide` with piped invalid UTF-8 re-encoded
    the surrogate-escaped text and crashed with UnicodeEncodeError ('internal error', exit 1).
    """
    done, elapsed, _ = outcomes["piped:invalid_utf8"]
    assert_refused(done, elapsed, "<stdin>:2:7:", "invalid UTF-8")


# --- rule directories -----------------------------------------------------------------------------


@pytest.mark.parametrize("command", list(RULE_COMMANDS))
@pytest.mark.parametrize("case", list(CASES))
def test_a_hostile_rule_file_is_refused(case: str, command: str, outcomes: dict[str, Outcome]) -> None:
    done, elapsed, folder = outcomes[f"{command}:{case}"]
    assert_refused(done, elapsed, "rules/red_flags.yaml", _expect(case, "rules"))
    assert not (folder / "PWNED").exists()


@pytest.mark.parametrize("command", list(RULE_COMMANDS))
def test_an_empty_rule_file_is_refused(command: str, outcomes: dict[str, Outcome]) -> None:
    done, elapsed, _ = outcomes[f"{command}:empty"]
    assert_refused(done, elapsed, "rules/red_flags.yaml:1:1:", "expected a mapping, found nothing")


@pytest.mark.parametrize("command", list(RULE_COMMANDS))
def test_a_directory_in_place_of_a_rule_file_is_refused(command: str, outcomes: dict[str, Outcome]) -> None:
    done, elapsed, _ = outcomes[f"{command}:directory"]
    assert_refused(done, elapsed, "rules/red_flags.yaml", "Is a directory|not a regular file")


@pytest.mark.parametrize("command", list(RULE_COMMANDS))
def test_a_file_given_as_the_rules_directory_is_refused(command: str, outcomes: dict[str, Outcome]) -> None:
    done, elapsed, _ = outcomes[f"{command}:file_as_dir"]
    assert_refused(done, elapsed, "rules", "rules directory not found")


def test_a_nul_byte_in_a_rule_file_is_one_line_with_line_and_col(outcomes: dict[str, Outcome]) -> None:
    """Regression test (a bug this suite found): a NUL byte gave a two-line message without
    line:col, because yaml.reader.ReaderError is not a MarkedYAMLError and its text was printed whole.
    """
    done, elapsed, _ = outcomes["validate:nul"]
    assert_refused(done, elapsed, "rules/red_flags.yaml:2:5:", "")


@pytest.fixture()
def rules_copy(pristine_rules: Path, tmp_path: Path) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(pristine_rules, target)
    return target


# A rule file must not be read past the size limit: one linked to /dev/zero (or any endless
# or huge file) must be refused like a 2 MiB + 1 file. The child gets an address-space cap so
# that the bug, today, ends in a MemoryError instead of eating the test machine's memory.
MEMORY_CAP = 512 * MiB


def _cap_memory() -> None:  # pragma: no cover - runs in the child
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def test_the_memory_cap_is_enough_for_real_rules(rules_copy: Path, tmp_path: Path) -> None:
    done, _ = kneeguide("rules", "validate", "rules", cwd=tmp_path, preexec_fn=_cap_memory)
    assert done.returncode == 0, done.stderr[-1000:]


def test_a_rule_file_linked_to_dev_zero_is_refused(rules_copy: Path, tmp_path: Path) -> None:
    """Regression test (a bug this suite found): rulefiles.read_files read a whole rule file
    before yamlio.parse checked the 2 MiB limit, so a rule file linked to /dev/zero exhausted memory
    ('internal error: MemoryError', or the machine's memory without a cap) and a FIFO blocked for ever.
    """
    (rules_copy / "red_flags.yaml").unlink()
    (rules_copy / "red_flags.yaml").symlink_to("/dev/zero")
    done, elapsed = kneeguide("rules", "validate", "rules", cwd=tmp_path, preexec_fn=_cap_memory)
    assert_refused(done, elapsed, "rules/red_flags.yaml", "larger than|not a regular file")


# --- tampered caches ------------------------------------------------------------------------------


class _Planted:
    """A pickle that, when loaded, creates a marker file: stands for any code an attacker plants."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (Path.touch, (self.marker,))


def test_a_cache_entry_planted_in_a_world_writable_cache_dir_is_never_unpickled(tmp_path: Path) -> None:
    """Regression test (a bug this suite found): cache.get unpickled entries from a cache folder
    that other users can write (no owner or mode check before pickle.load): a planted entry ran code.
    """
    from kneeguide.ruleset import cache
    from kneeguide.ruleset.files import digest_of, read_files

    shared = tmp_path / "shared-cache"
    shared.mkdir()
    shared.chmod(0o777)  # e.g. KNEEGUIDE_CACHE_DIR pointed at a shared folder
    marker = tmp_path / "PWNED"
    digest = digest_of(read_files(builtin_rules()))
    entry = shared / cache._path(digest).name
    entry.write_bytes(pickle.dumps(_Planted(marker)))
    done, _ = kneeguide("questions", cwd=tmp_path, env={"KNEEGUIDE_CACHE_DIR": str(shared)})
    assert done.returncode == 0, done.stderr[-1000:]
    assert not marker.exists(), "a planted cache entry was unpickled"


def test_a_damaged_cache_entry_is_ignored_and_replaced(tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    env = {"KNEEGUIDE_CACHE_DIR": str(cache_dir)}
    first, _ = kneeguide("questions", "--format", "json", cwd=tmp_path, env=env)
    assert first.returncode == 0
    (entry,) = cache_dir.glob("rules-*.pickle")
    entry.write_bytes(b"\x80\x05garbage")
    again, _ = kneeguide("questions", "--format", "json", cwd=tmp_path, env=env)
    assert again.returncode == 0 and again.stdout == first.stdout
    assert b"Traceback" not in again.stderr
    assert pickle.loads(entry.read_bytes())[1].digest.startswith("sha256:")
