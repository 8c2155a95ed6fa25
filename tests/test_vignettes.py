"""Clinical vignette suite (clinical reference §5 and §8.20).

Each file in tests/vignettes/ is one story with the answers a person would give
and the expectation written from the clinical reference, not from the program's
output. A vignette passes when:

- triage.level lies within expect.level = [lowest, highest];
- every id in expect.red_flags is raised;
- no id in expect.absent_red_flags is raised;
- every id in expect.top3 is among the first three likely causes.

Gate tests over the whole corpus: red-flag recall is 100%, no vignette is
under-triaged, over-triage is counted and printed (not failed), and the
committed report docs/validation.md is the current output of
tests/vignette_report.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from vignette_report import (
    REGENERATE,
    VIGNETTE_DIR,
    evaluate,
    evaluate_all,
    figures,
    render,
    vignette_files,
)

from kneeguide.ids import Level

VIGNETTE_FILES = vignette_files()
MIN_VIGNETTES = 60
REPORT = Path(__file__).resolve().parent.parent / "docs" / "validation.md"

TOP_KEYS = {"id", "story", "source", "tags", "audience", "region", "answers", "expect"}
EXPECT_KEYS = {"level", "red_flags", "absent_red_flags", "top3", "absent_causes", "acupuncture", "scores"}


def _load(path: Path) -> dict:
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@pytest.fixture(scope="module")
def outcomes(rules):
    return evaluate_all(rules)


def _describe(o) -> str:
    return (
        f"[{o.id}] expected level {o.expected_range}, got {o.level.id}; "
        f"red flags raised {list(o.raised_flags)}; top causes {list(o.top3)}; "
        f"expected red flags {list(o.expected_flags)}, "
        f"absent {list(o.absent_flags)}, top3 {list(o.expected_top3)}"
    )


def test_corpus_is_complete(rules):
    assert len(VIGNETTE_FILES) >= MIN_VIGNETTES, (
        f"only {len(VIGNETTE_FILES)} vignettes in {VIGNETTE_DIR}, need at least {MIN_VIGNETTES}"
    )
    flag_ids = {rf.id for rf in rules.red_flags}
    cause_ids = {c.id for c in rules.causes}
    ids = set()
    for path in VIGNETTE_FILES:
        v = _load(path)
        assert isinstance(v, dict), f"{path.name}: not a mapping"
        unknown = set(v) - TOP_KEYS
        assert not unknown, f"{path.name}: unknown keys {sorted(unknown)}"
        for key in ("id", "story", "source", "answers", "expect"):
            assert key in v and v[key] not in (None, ""), f"{path.name}: missing {key}"
        assert isinstance(v["answers"], dict) and v["answers"], (
            f"{path.name}: answers must be a non-empty mapping"
        )
        assert isinstance(v["expect"], dict), f"{path.name}: expect must be a mapping"
        unknown = set(v["expect"]) - EXPECT_KEYS
        assert not unknown, f"{path.name}: unknown expect keys {sorted(unknown)}"
        level = v["expect"].get("level")
        assert isinstance(level, list) and len(level) == 2, (
            f"{path.name}: expect.level must be [lowest, highest]"
        )
        lo, hi = (Level.parse(x) for x in level)
        assert lo <= hi, f"{path.name}: expect.level {level} is not ordered lowest first"
        assert "red_flags" in v["expect"], f"{path.name}: expect.red_flags missing (may be [])"
        for key in ("red_flags", "absent_red_flags"):
            bad = set(v["expect"].get(key) or ()) - flag_ids
            assert not bad, f"{path.name}: expect.{key} names unknown red flags {sorted(bad)}"
        for key in ("top3", "absent_causes"):
            bad = set(v["expect"].get(key) or ()) - cause_ids
            assert not bad, f"{path.name}: expect.{key} names unknown causes {sorted(bad)}"
        bad = set(v["expect"].get("acupuncture") or ()) - {"suitable", "caution", "not_now"}
        assert not bad, f"{path.name}: expect.acupuncture names unknown suitability {sorted(bad)}"
        bad = set(v["expect"].get("scores") or {}) - {s.id for s in rules.scores}
        assert not bad, f"{path.name}: expect.scores names unknown scores {sorted(bad)}"
        tags = v.get("tags", [])
        assert isinstance(tags, list) and all(isinstance(t, str) and t for t in tags), (
            f"{path.name}: tags must be a list of words"
        )
        assert v["id"] not in ids, f"{path.name}: duplicate id {v['id']}"
        ids.add(v["id"])


@pytest.mark.parametrize("path", VIGNETTE_FILES, ids=[p.stem for p in VIGNETTE_FILES])
def test_vignette(path: Path, rules):
    o = evaluate(path, _load(path), rules)
    problems = []
    if o.under or o.over:
        kind = "UNDER-triage" if o.under else "over-triage"
        problems.append(f"{kind}: level {o.level.id} outside {o.expected_range}")
    if o.missing_flags:
        problems.append(f"red flags not raised: {list(o.missing_flags)}")
    if o.unwanted_flags:
        problems.append(f"red flags raised but should be absent: {list(o.unwanted_flags)}")
    if o.top3_missing:
        problems.append(f"causes not in top 3: {list(o.top3_missing)}")
    if o.unwanted_causes:
        problems.append(f"causes in the top 3 that the story rules out: {list(o.unwanted_causes)}")
    if o.acupuncture_wrong:
        problems.append(f"acupuncture {o.acupuncture}, expected one of {list(o.acupuncture_allowed)}")
    problems += [f"score {wrong}" for wrong in o.scores_wrong]
    assert not problems, "; ".join(problems) + "\n" + _describe(o)


def test_red_flag_recall_is_complete(outcomes):
    f = figures(outcomes)
    missed = [f"{o.file}: {', '.join(o.missing_flags)}" for o in outcomes if o.missing_flags]
    assert f.flags_raised == f.flags_expected, (
        f"red-flag recall {f.recall:.1f}% ({f.flags_raised} of {f.flags_expected}); missed:\n"
        + "\n".join(missed)
    )


def test_no_vignette_is_under_triaged(outcomes):
    under = [f"{o.file}: {o.level.id}, expected {o.expected_range}" for o in outcomes if o.under]
    assert not under, f"{len(under)} vignette(s) under-triaged:\n" + "\n".join(under)


def test_over_triage_is_reported(outcomes, capsys):
    f = figures(outcomes)
    over = [f"{o.file}: {o.level.id}, expected {o.expected_range}" for o in outcomes if o.over]
    with capsys.disabled():
        rate = 100.0 * f.over / f.vignettes if f.vignettes else 0.0
        print(f"\nvignette over-triage: {f.over} of {f.vignettes} ({rate:.1f}%)")
        for line in over:
            print(f"  over: {line}")
    assert f.over == len(over)  # counted and shown, never a failure


def test_validation_report_is_current(outcomes, rules):
    expected = render(outcomes, rules)
    actual = REPORT.read_text(encoding="utf-8") if REPORT.exists() else ""
    assert actual == expected, (
        f"{REPORT.relative_to(REPORT.parent.parent)} is stale: regenerate it with `{REGENERATE}`"
    )
