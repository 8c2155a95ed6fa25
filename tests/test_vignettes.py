"""Clinical vignette suite (clinical reference §5 and §8.20).

Each file in tests/vignettes/ is one story with the answers a person would give
and the expectation written from the clinical reference, not from the program's
output. A vignette passes when:

- triage.level lies within expect.level = [lowest, highest];
- every id in expect.red_flags is raised;
- no id in expect.absent_red_flags is raised;
- every id in expect.top3 is among the first three likely causes.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from kneeguide.api import assess, load_rules
from kneeguide.model import Level

VIGNETTE_DIR = Path(__file__).parent / "vignettes"
VIGNETTE_FILES = sorted(VIGNETTE_DIR.glob("*.yaml"))
MIN_VIGNETTES = 30


def _load(path: Path) -> dict:
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@pytest.fixture(scope="module")
def rules():
    return load_rules()


def _describe(vignette: dict, result) -> str:
    level = result.triage.level
    flags = [rf.id for rf in result.red_flags]
    causes = [c.id for c in result.likely_causes[:3]]
    exp = vignette["expect"]
    return (
        f"[{vignette['id']}] expected level {exp['level']}, got {level.id}; "
        f"red flags raised {flags}; top causes {causes}; "
        f"expected red flags {exp.get('red_flags', [])}, "
        f"absent {exp.get('absent_red_flags', [])}, top3 {exp.get('top3', [])}"
    )


def test_corpus_is_complete():
    assert len(VIGNETTE_FILES) >= MIN_VIGNETTES, (
        f"only {len(VIGNETTE_FILES)} vignettes in {VIGNETTE_DIR}, need at least {MIN_VIGNETTES}"
    )
    ids = set()
    for path in VIGNETTE_FILES:
        v = _load(path)
        assert isinstance(v, dict), f"{path.name}: not a mapping"
        for key in ("id", "story", "source", "answers", "expect"):
            assert key in v and v[key] not in (None, ""), f"{path.name}: missing {key}"
        assert isinstance(v["answers"], dict) and v["answers"], (
            f"{path.name}: answers must be a non-empty mapping"
        )
        level = v["expect"].get("level")
        assert isinstance(level, list) and len(level) == 2, (
            f"{path.name}: expect.level must be [lowest, highest]"
        )
        lo, hi = (Level.parse(x) for x in level)
        assert lo <= hi, f"{path.name}: expect.level {level} is not ordered lowest first"
        assert "red_flags" in v["expect"], f"{path.name}: expect.red_flags missing (may be [])"
        assert v["id"] not in ids, f"{path.name}: duplicate id {v['id']}"
        ids.add(v["id"])


@pytest.mark.parametrize("path", VIGNETTE_FILES, ids=[p.stem for p in VIGNETTE_FILES])
def test_vignette(path: Path, rules):
    v = _load(path)
    exp = v["expect"]
    result = assess(
        v["answers"],
        rules=rules,
        region=v.get("region"),
        audience=v.get("audience", "lay"),
    )
    msg = _describe(v, result)

    lo, hi = (Level.parse(x) for x in exp["level"])
    level = result.triage.level
    problems = []
    if not (lo <= level <= hi):
        kind = "UNDER-triage" if level < lo else "over-triage"
        problems.append(f"{kind}: level {level.id} outside {exp['level']}")

    raised = {rf.id for rf in result.red_flags}
    missing = [f for f in exp.get("red_flags") or [] if f not in raised]
    if missing:
        problems.append(f"red flags not raised: {missing}")
    unwanted = [f for f in exp.get("absent_red_flags") or [] if f in raised]
    if unwanted:
        problems.append(f"red flags raised but should be absent: {unwanted}")

    top3 = [c.id for c in result.likely_causes[:3]]
    not_top = [c for c in exp.get("top3") or [] if c not in top3]
    if not_top:
        problems.append(f"causes not in top 3: {not_top}")

    assert not problems, "; ".join(problems) + "\n" + msg
