"""The streaming atomic writer: a file appears whole at its path, or not at all."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pytest

from kneeguide import files
from kneeguide.files import AtomicWriter, WriteError


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_pieces_written_appear_at_the_path_only_on_commit_and_owner_only(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    target.write_text("old\n")
    out = AtomicWriter(target)
    out.write("first\n")
    out.write(b"second\n")
    # the temporary file has no name (O_TMPFILE): nothing but the old file is to be seen
    assert target.read_text() == "old\n" and names(tmp_path) == ["out.jsonl"]
    out.commit()
    assert target.read_text() == "first\nsecond\n"
    assert names(tmp_path) == ["out.jsonl"]
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600


@pytest.mark.parametrize(
    ("existing", "expected"),
    [
        (False, ["fsync file", "link", "fsync folder"]),  # a new file: linked in, never replacing
        (True, ["fsync file", "link", "rename", "fsync folder"]),  # linked to a fresh name, renamed over
    ],
)
def test_the_file_is_flushed_put_in_place_and_then_its_folder_flushed(
    existing: bool, expected: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The new name itself is made durable: the folder is fsynced after it."""
    steps: list[str] = []
    real_fsync, real_replace, real_link = os.fsync, os.replace, os.link
    if existing:
        (tmp_path / "out.txt").write_text("old\n")

    def fsync(fd: int) -> None:
        steps.append("fsync folder" if stat.S_ISDIR(os.fstat(fd).st_mode) else "fsync file")
        real_fsync(fd)

    def replace(src: Any, dst: Any) -> None:
        steps.append("rename")
        real_replace(src, dst)

    def link(src: Any, dst: Any, **kwargs: Any) -> None:
        steps.append("link")
        real_link(src, dst, **kwargs)

    monkeypatch.setattr(files.os, "fsync", fsync)
    monkeypatch.setattr(files.os, "replace", replace)
    monkeypatch.setattr(files.os, "link", link)
    with AtomicWriter(tmp_path / "out.txt") as out:
        out.write("text\n")
    assert steps == expected
    assert (tmp_path / "out.txt").read_text() == "text\n"


def test_an_error_while_writing_leaves_the_old_file_and_no_temporary_one(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old\n")
    with pytest.raises(KeyboardInterrupt), AtomicWriter(target) as out:
        out.write("half")
        raise KeyboardInterrupt
    assert target.read_text() == "old\n" and names(tmp_path) == ["out.txt"]


def test_an_existing_file_is_kept_without_force(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("keep me\n")
    with pytest.raises(WriteError) as info:
        AtomicWriter(target, force=False)
    assert info.value.lines() == [f"{target}: file exists; use --force to overwrite it"]
    assert names(tmp_path) == ["out.txt"]


def test_a_public_file_is_readable_by_all(tmp_path: Path) -> None:
    with AtomicWriter(tmp_path / "report.md", private=False) as out:
        out.write("# report\n")
    assert stat.S_IMODE(os.stat(tmp_path / "report.md").st_mode) == 0o644


def test_a_file_is_committed_or_abandoned_once(tmp_path: Path) -> None:
    out = AtomicWriter(tmp_path / "out.txt")
    out.write("text\n")
    out.commit()
    out.abandon()  # after the commit: nothing to remove, the file stays
    assert (tmp_path / "out.txt").read_text() == "text\n"
    with pytest.raises(ValueError, match="already committed or abandoned"):
        out.commit()
