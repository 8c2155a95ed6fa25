"""The compiled-rules cache: an accelerator that is never trusted blindly."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pytest
from imports import LAYERS, PACKAGE, import_closure, layer_of, module_file

from kneeguide.ruleset import cache
from kneeguide.ruleset.load import load_rules


@pytest.fixture()
def rules_dir(rules_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("KNEEGUIDE_CACHE_DIR", str(tmp_path / "cache"))
    return rules_copy


def test_the_second_load_comes_from_the_cache(rules_dir: Path, tmp_path: Path) -> None:
    first = load_rules(rules_dir)
    entries = list((tmp_path / "cache").glob("rules-*.pickle"))
    # the custom set, and the built-in set it was proved against, each in its own entry
    assert len(entries) == 2 and {e.stat().st_mode & 0o777 for e in entries} == {0o600}
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
    from kneeguide.evaluate import compiled

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


# -- what the cache key covers ----------------------------------------------------------------


LOADER = import_closure("kneeguide.ruleset.load")


def test_the_closure_follows_imports_made_inside_functions() -> None:
    """The builder, the schema and the proof against the built-in set are imported only on a cache miss."""
    assert {
        "kneeguide.ruleset.build.assemble",
        "kneeguide.ruleset.schema.decisions",
        "kneeguide.ruleset.proof.outcome",
    } <= LOADER


def test_every_module_the_loader_may_import_is_in_the_cache_key() -> None:
    keyed = set(cache.keyed_sources())
    files = {name: module_file(name) for name in LOADER}
    assert sorted(name for name, path in files.items() if path not in keyed) == []


def test_the_loader_imports_nothing_above_the_rule_set() -> None:
    """Loading needs the rule set's modules, the conditions' evaluator and the shared bottom
    helpers: not the engine, the renderers or the command line."""
    below = set().union(*LAYERS[layer_of("ruleset") :])
    assert sorted(name for name in LOADER if "." in name and name.split(".")[1] not in below) == []


@pytest.fixture()
def package_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the kneeguide sources whose tag the cache computes."""
    copy = tmp_path / "kneeguide"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "rules"))
    monkeypatch.setattr(cache, "_TOP", copy)
    return copy


def test_editing_any_module_the_loader_may_import_changes_the_tag(package_copy: Path) -> None:
    before = cache._tag()
    for name in sorted(LOADER):
        source = module_file(name)
        assert source is not None
        edited = package_copy / source.relative_to(PACKAGE)
        original = edited.read_bytes()
        edited.write_bytes(original + b"# edited\n")
        assert cache._tag() != before, f"editing {name} leaves the cache key unchanged"
        edited.write_bytes(original)
    assert cache._tag() == before


def test_a_new_module_in_a_keyed_package_changes_the_tag(package_copy: Path) -> None:
    before = cache._tag()
    (package_copy / "ruleset" / "build" / "extra.py").write_text('"""A new builder."""\n')
    assert cache._tag() != before


def test_editing_a_module_the_loader_never_imports_keeps_the_tag(package_copy: Path) -> None:
    """Editing the engine or a renderer does not invalidate a validated rule set."""
    before = cache._tag()
    for name in ("engine/words.py", "render/text.py"):
        with (package_copy / name).open("a", encoding="utf-8") as handle:
            handle.write("# edited\n")
    assert cache._tag() == before
