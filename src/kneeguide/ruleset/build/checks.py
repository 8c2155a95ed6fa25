"""The checks that need the whole rule set: the contract's ids, cited references, the default region.

They run after every file is built, and :func:`sorted_problems` then puts
every problem of the build in file order, each once.
"""

from __future__ import annotations

from collections.abc import Iterable

from kneeguide.errors import Location, Problem
from kneeguide.ids import REGIONS
from kneeguide.ruleset import contract
from kneeguide.ruleset.build.context import Context
from kneeguide.ruleset.model import Cause, RedFlag, Reference, Region, Score
from kneeguide.suggest import did_you_mean


def check_contract(
    ctx: Context,
    red_flags: Iterable[RedFlag],
    causes: Iterable[Cause],
    scores: Iterable[Score],
    regions: dict[str, Region],
) -> None:
    """A problem for each id of the scripting contract (:mod:`contract`) the rule set lacks.

    A contract red flag switched off under ``disable:`` is not required.
    """

    def need(kind: str, required: Iterable[str], have: set[str], file: str) -> None:
        shown = ctx.files[file][0]
        extra = (
            " (to switch it off, list it under 'disable:' in ruleset.yaml with a reason)"
            if kind == "red flag"
            else ""
        )
        for rid in required:
            if rid not in have:
                ctx.problems.append(
                    Problem(f"contract {kind} '{rid}' is missing; scripts rely on it{extra}", Location(shown))
                )

    need("question", contract.QUESTION_IDS, set(ctx.questions), "questions.yaml")
    disabled = {d for d, _ in ctx.disabled}
    need(
        "red flag",
        [r for r in contract.RED_FLAG_IDS if r not in disabled],
        {f.id for f in red_flags},
        "red_flags.yaml",
    )
    need("cause", contract.CAUSE_IDS, {c.id for c in causes}, "causes.yaml")
    need("score", contract.SCORE_IDS, {s.id for s in scores}, "scores.yaml")
    need("region", REGIONS, set(regions), "dispositions.yaml")


def check_cited(ctx: Context, references: dict[str, Reference]) -> None:
    """A problem for each reference cited anywhere that ``references.yaml`` does not define."""
    for ref, loc in ctx.cited:
        if ref not in references:
            hint = did_you_mean(ref, list(references))
            ctx.problems.append(Problem(f"unknown reference '{ref}'{hint}", loc))


def check_default_region(ctx: Context, regions: dict[str, Region]) -> None:
    """A problem when ``ruleset.yaml``'s ``default_region`` is not a region of ``dispositions.yaml``."""
    meta = ctx.docs["ruleset.yaml"]
    if meta["default_region"] not in regions:
        ctx.problems.append(
            Problem(f"unknown default region '{meta['default_region']}'", ctx.where(meta, "default_region"))
        )


def sorted_problems(problems: list[Problem]) -> list[Problem]:
    """``problems`` each once, by file, line and column (found order among equals)."""
    seen: set[str] = set()
    out = []
    for p in problems:
        key = str(p)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return sorted(out, key=_sort_key)


def _sort_key(p: Problem) -> tuple[str, int, int]:
    loc = p.location
    return (loc.path, loc.line, loc.col) if loc else ("", 0, 0)
