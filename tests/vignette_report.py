"""Validation report for the clinical vignette corpus (clinical reference §5 and §8.20).

Assesses every story in tests/vignettes/ with the library API and prints Markdown:
the safety figures (red-flag recall, under- and over-triage, exact-range rate,
top-3 cause agreement) and one row per vignette. Regenerate the committed copy with

    python tests/vignette_report.py > docs/validation.md

The output is deterministic (files in name order, no dates), so tests can check that
docs/validation.md is never stale.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from kneeguide.api import assess, load_rules
from kneeguide.ids import Level
from kneeguide.ruleset.model import RuleSet

VIGNETTE_DIR = Path(__file__).resolve().parent / "vignettes"
REGENERATE = "python tests/vignette_report.py > docs/validation.md"


def _file_order(path: Path) -> tuple[int, str]:
    """File-name order with the leading number compared as a number (9 < 10 < 100)."""
    prefix = path.name.split("_", 1)[0]
    return (int(prefix) if prefix.isdigit() else sys.maxsize, path.name)


def vignette_files(directory: Path = VIGNETTE_DIR) -> list[Path]:
    """Every vignette file, in file-name order (numbered files by their number)."""
    return sorted(directory.glob("*.yaml"), key=_file_order)


def load_vignettes(directory: Path = VIGNETTE_DIR) -> list[tuple[Path, dict[str, Any]]]:
    """Every vignette file, in file-name order, with its parsed content."""
    out = []
    for path in vignette_files(directory):
        with path.open(encoding="utf-8") as fh:
            out.append((path, yaml.safe_load(fh)))
    return out


@dataclass(frozen=True)
class Outcome:
    """One vignette compared with what the tool did."""

    file: str
    id: str
    audience: str
    tags: tuple[str, ...]
    lo: Level
    hi: Level
    level: Level
    expected_flags: tuple[str, ...]
    raised_flags: tuple[str, ...]
    absent_flags: tuple[str, ...]
    expected_top3: tuple[str, ...]
    top3: tuple[str, ...]
    absent_causes: tuple[str, ...] = ()
    acupuncture_allowed: tuple[str, ...] = ()
    acupuncture: str = ""
    scores_wrong: tuple[str, ...] = ()  # "wells_dvt.points: 1, expected 3"

    @property
    def under(self) -> bool:
        return self.level < self.lo

    @property
    def over(self) -> bool:
        return self.level > self.hi

    @property
    def in_range(self) -> bool:
        return self.lo <= self.level <= self.hi

    @property
    def missing_flags(self) -> tuple[str, ...]:
        return tuple(f for f in self.expected_flags if f not in self.raised_flags)

    @property
    def unwanted_flags(self) -> tuple[str, ...]:
        return tuple(f for f in self.absent_flags if f in self.raised_flags)

    @property
    def top3_missing(self) -> tuple[str, ...]:
        return tuple(c for c in self.expected_top3 if c not in self.top3)

    @property
    def unwanted_causes(self) -> tuple[str, ...]:
        return tuple(c for c in self.absent_causes if c in self.top3)

    @property
    def acupuncture_wrong(self) -> bool:
        return bool(self.acupuncture_allowed) and self.acupuncture not in self.acupuncture_allowed

    @property
    def problems(self) -> list[str]:
        out = []
        if self.under:
            out.append("UNDER")
        if self.over:
            out.append("over")
        if self.missing_flags:
            out.append(f"missing red flag ({', '.join(self.missing_flags)})")
        if self.unwanted_flags:
            out.append(f"unwanted red flag ({', '.join(self.unwanted_flags)})")
        if self.top3_missing:
            out.append(f"top-3 miss ({', '.join(self.top3_missing)})")
        if self.unwanted_causes:
            out.append(f"unwanted in top 3 ({', '.join(self.unwanted_causes)})")
        if self.acupuncture_wrong:
            out.append(f"acupuncture {self.acupuncture}, expected {' or '.join(self.acupuncture_allowed)}")
        out += [f"score {wrong}" for wrong in self.scores_wrong]
        return out

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def verdict(self) -> str:
        return "; ".join(self.problems) or "ok"

    @property
    def expected_range(self) -> str:
        return self.lo.id if self.lo == self.hi else f"{self.lo.id}–{self.hi.id}"


def evaluate(path: Path, vignette: dict[str, Any], rules: RuleSet) -> Outcome:
    """Assess one vignette exactly as the test suite does."""
    exp = vignette["expect"]
    audience = vignette.get("audience", "lay")
    result = assess(vignette["answers"], rules=rules, region=vignette.get("region"), audience=audience)
    lo, hi = (Level.parse(x) for x in exp["level"])
    return Outcome(
        file=path.name,
        id=str(vignette["id"]),
        audience=audience,
        tags=tuple(vignette.get("tags") or ()),
        lo=lo,
        hi=hi,
        level=result.triage.level,
        expected_flags=tuple(exp.get("red_flags") or ()),
        raised_flags=tuple(rf.id for rf in result.red_flags),
        absent_flags=tuple(exp.get("absent_red_flags") or ()),
        expected_top3=tuple(exp.get("top3") or ()),
        top3=tuple(c.id for c in result.likely_causes[:3]),
        absent_causes=tuple(exp.get("absent_causes") or ()),
        acupuncture_allowed=tuple(exp.get("acupuncture") or ()),
        acupuncture=result.acupuncture.suitability,
        scores_wrong=_scores_wrong(exp.get("scores") or {}, result),
    )


def _scores_wrong(expected: dict[str, dict[str, Any]], result: Any) -> tuple[str, ...]:
    """Each expected score field (``wells_dvt: {points: 3}``) that the assessment does not have.

    The fields are those of the JSON assessment's ``scores`` (``points``, ``band``,
    ``applicable``...), read from the same object the JSON is written from.
    """
    from kneeguide.api import as_dict

    scores = as_dict(result)["scores"]
    wrong = []
    for score, fields in expected.items():
        for field, want in fields.items():
            got = scores.get(score, {}).get(field)
            if got != want:
                wrong.append(f"{score}.{field}: {got!r}, expected {want!r}")
    return tuple(wrong)


def evaluate_all(rules: RuleSet | None = None, directory: Path = VIGNETTE_DIR) -> list[Outcome]:
    ruleset = rules if rules is not None else load_rules()
    return [evaluate(path, v, ruleset) for path, v in load_vignettes(directory)]


@dataclass(frozen=True)
class Figures:
    vignettes: int
    flags_expected: int
    flags_raised: int
    under: int
    emergency_cases: int
    emergency_under: int
    over: int
    in_range: int
    top3_cases: int
    top3_agree: int
    unwanted: int
    passing: int

    @property
    def recall(self) -> float:
        return 100.0 if not self.flags_expected else 100.0 * self.flags_raised / self.flags_expected


def figures(outcomes: Sequence[Outcome]) -> Figures:
    emergency = [o for o in outcomes if o.lo == Level.EMERGENCY]
    with_top3 = [o for o in outcomes if o.expected_top3]
    return Figures(
        vignettes=len(outcomes),
        flags_expected=sum(len(o.expected_flags) for o in outcomes),
        flags_raised=sum(len(o.expected_flags) - len(o.missing_flags) for o in outcomes),
        under=sum(o.under for o in outcomes),
        emergency_cases=len(emergency),
        emergency_under=sum(o.under for o in emergency),
        over=sum(o.over for o in outcomes),
        in_range=sum(o.in_range for o in outcomes),
        top3_cases=len(with_top3),
        top3_agree=sum(not o.top3_missing for o in with_top3),
        unwanted=sum(bool(o.unwanted_flags) for o in outcomes),
        passing=sum(o.ok for o in outcomes),
    )


def _pct(n: int, d: int) -> str:
    return "–" if d == 0 else f"{100.0 * n / d:.1f}%"


def _ids(ids: Iterable[str]) -> str:
    joined = ", ".join(ids)
    return joined or "–"


def render(outcomes: Sequence[Outcome], rules: RuleSet) -> str:
    f = figures(outcomes)
    n = f.vignettes
    lay = sum(o.audience == "lay" for o in outcomes)
    lines = [
        "# kneeguide vignette validation",
        "",
        "Generated from the clinical vignette corpus in `tests/vignettes/`",
        "(clinical reference §5 and §8.20). Do not edit by hand; regenerate with:",
        "",
        "```",
        REGENERATE,
        "```",
        "",
        "Each vignette is a story with the answers a person would give and an expected triage range, written",
        "from the clinical reference and not from the program's output. `tests/test_vignettes.py` fails when",
        "this file is stale.",
        "",
        f"- Rules version: `{rules.version}`",
        f"- Rules digest: `{rules.digest}`",
        "",
        "## Figures",
        "",
        "| measure | result |",
        "| --- | --- |",
        f"| vignettes | {n} ({lay} lay, {n - lay} practitioner) |",
        f"| red-flag recall (expected red flags raised) | {f.recall:.1f}% "
        f"({f.flags_raised} of {f.flags_expected}) |",
        f"| under-triage (level below the accepted range) | {f.under} of {n} ({_pct(f.under, n)}) |",
        f"| under-triage of emergency-expected cases | {f.emergency_under} of {f.emergency_cases} |",
        f"| over-triage (level above the accepted range) | {f.over} of {n} ({_pct(f.over, n)}) |",
        f"| exact-range rate (level within the accepted range) | {f.in_range} of {n} "
        f"({_pct(f.in_range, n)}) |",
        f"| top-3 cause agreement (all expected causes in the top 3) | {f.top3_agree} of {f.top3_cases} "
        f"({_pct(f.top3_agree, f.top3_cases)}) |",
        f"| vignettes raising a red flag that the story rules out | {f.unwanted} of {n} |",
        f"| vignettes passing every check | {f.passing} of {n} ({_pct(f.passing, n)}) |",
        "",
        "Safety targets (clinical reference §8.20): red-flag recall 100% and no under-triage. Over-triage is",
        "reported, not failed.",
        "",
    ]
    attention = [o for o in outcomes if not o.ok]
    lines += ["## Needing attention", ""]
    if attention:
        for o in attention:
            lines.append(
                f"- `{o.file}`: {o.verdict} — expected {o.expected_range}, got {o.level.id}; "
                f"red flags raised: {_ids(o.raised_flags)}; top 3: {_ids(o.top3)}"
            )
    else:
        lines.append("None: every vignette passes.")
    lines.append("")

    tags = sorted({t for o in outcomes for t in o.tags})
    if tags:
        lines += [
            "## By tag",
            "",
            "| tag | vignettes | in range | under | over | red flags missed |",
            "| --- | ---: | ---: | ---: | ---: | ---: |",
        ]
        for tag in tags:
            group = [o for o in outcomes if tag in o.tags]
            lines.append(
                f"| {tag} | {len(group)} | {sum(o.in_range for o in group)} | "
                f"{sum(o.under for o in group)} | {sum(o.over for o in group)} | "
                f"{sum(len(o.missing_flags) for o in group)} |"
            )
        lines.append("")

    lines += [
        "## Vignettes",
        "",
        "| # | id | audience | expected | actual | red flags expected | red flags raised "
        "| top-3 causes | verdict |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for o in outcomes:
        lines.append(
            f"| {o.file.split('_', 1)[0]} | {o.id} | {o.audience} | {o.expected_range} | {o.level.id} | "
            f"{_ids(o.expected_flags)} | {_ids(o.raised_flags)} | {_ids(o.top3)} | {o.verdict} |"
        )
    lines.append("")
    return "\n".join(lines)


def main() -> int:
    rules = load_rules()
    text = render(evaluate_all(rules), rules)
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
