"""The compiled-rules cache: an accelerator that is never trusted blindly."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pytest

from kneeguide.ruleset import cache
from kneeguide.ruleset.files import load_rules


@pytest.fixture()
def rules_dir(rules_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("KNEEGUIDE_CACHE_DIR", str(tmp_path / "cache"))
    return rules_copy


def test_the_second_load_comes_from_the_cache(rules_dir: Path, tmp_path: Path) -> None:
    first = load_rules(rules_dir)
    entries = list((tmp_path / "cache").glob("rules-*.pickle"))
    assert len(entries) == 1 and (entries[0].stat().st_mode & 0o777) == 0o600
    assert load_rules(rules_dir) == first


def test_a_changed_rule_file_is_never_served_from_the_cache(rules_dir: Path) -> None:
    before = load_rules(rules_dir)
    path = rules_dir / "ruleset.yaml"
    path.write_text(path.read_text().replace('version: "', 'version: "changed-'))
    after = load_rules(rules_dir)
    assert after.digest != before.digest
    assert after.version.startswith("changed-")


def test_an_entry_whose_digest_differs_is_ignored(rules_dir: Path, tmp_path: Path) -> None:
    rules = load_rules(rules_dir)
    entry = next((tmp_path / "cache").glob("rules-*.pickle"))
    tag, cached, fast = pickle.loads(entry.read_bytes())
    forged = cached._replace(version="forged", digest="sha256:" + "0" * 64)
    entry.write_bytes(pickle.dumps((tag, forged, fast)))
    assert load_rules(rules_dir).version == rules.version


def test_an_entry_written_by_other_code_is_ignored(rules_dir: Path, tmp_path: Path) -> None:
    """A development checkout keeps its version number while its modules change."""
    rules = load_rules(rules_dir)
    entry = next((tmp_path / "cache").glob("rules-*.pickle"))
    tag, cached, fast = pickle.loads(entry.read_bytes())
    entry.write_bytes(pickle.dumps((tag[:-4] + "0000", cached._replace(version="stale"), fast)))
    assert load_rules(rules_dir).version == rules.version


def test_a_cached_rule_set_brings_its_compiled_conditions(
    rules_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kneeguide.api import assess
    from kneeguide.evaluate import bits as compiled

    fresh = load_rules(rules_dir, use_cache=False)
    load_rules(rules_dir)  # fills the cache

    def compile_again(*_: object) -> None:
        raise AssertionError("the conditions were compiled again")

    monkeypatch.setattr(compiled.Compiled, "__init__", compile_again)
    warm = load_rules(rules_dir)  # read back from it
    assert compiled.compiled(warm).rules is warm
    story = {"age": 64, "calf_swelling": "yes", "recent_surgery": "yes", "short_of_breath": "unsure"}
    assert assess(story, rules=warm) == assess(story, rules=fresh)


def test_a_damaged_cache_file_is_ignored(rules_dir: Path, tmp_path: Path) -> None:
    rules = load_rules(rules_dir)
    entry = next((tmp_path / "cache").glob("rules-*.pickle"))
    entry.write_bytes(b"not a pickle")
    assert load_rules(rules_dir) == rules


def test_the_cache_is_safe_to_delete(rules_dir: Path, tmp_path: Path) -> None:
    rules = load_rules(rules_dir)
    shutil.rmtree(tmp_path / "cache")
    assert load_rules(rules_dir) == rules


def test_no_cache_when_disabled(rules_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KNEEGUIDE_NO_CACHE", "1")
    load_rules(rules_dir)
    assert not (tmp_path / "cache").exists()
    assert not cache.enabled()
