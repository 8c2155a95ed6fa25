"""``causes.yaml`` and ``triage.yaml`` → the causes with their ranking, and the triage floors.

A feature's weight is the natural log of its published likelihood ratio
(rounded to 4 places), or an expert weight where no ratio is published.
"""

from __future__ import annotations

import math

from kneeguide.errors import Problem
from kneeguide.ids import Level
from kneeguide.ruleset.build.context import Context
from kneeguide.ruleset.model import AdviceIf, Cause, Feature, Floor, Ranking


def causes(ctx: Context) -> tuple[tuple[Cause, ...], Ranking]:
    """The causes in file order, and the thresholds that rank them."""
    doc = ctx.docs["causes.yaml"]
    r = doc["ranking"]
    ranking = Ranking(float(r["strong"]), float(r["possible"]), float(r["show"]), int(r["top"]))
    if not ranking.strong > ranking.possible > ranking.show:
        ctx.problems.append(
            Problem("ranking thresholds must satisfy strong > possible > show", ctx.where(doc, "ranking"))
        )
    ctx.unique("cause", doc["causes"])
    built = []
    for n in doc["causes"]:
        ctx.unique("feature", n["features"])
        features = []
        for f in n["features"]:
            lr = f.get("lr")
            weight = _ln(lr) if lr is not None else float(f["weight"])
            features.append(
                Feature(
                    id=f["id"],
                    when=ctx.condition(f, "when"),
                    weight=weight,
                    lr=float(lr) if lr is not None else None,
                    text=ctx.text(f, "text"),
                    references=ctx.refs(f),
                )
            )
        built.append(
            Cause(
                id=n["id"],
                name=ctx.text(n, "name"),
                lay_name=ctx.text(n, "lay_name") if "lay_name" in n else ctx.text(n, "name"),
                level=Level.parse(n["level"]),
                prior=float(n["prior"]),
                features=tuple(features),
                advice=ctx.text(n, "advice"),
                references=ctx.refs(n),
                location=ctx.where(n),
                advice_if=tuple(
                    AdviceIf(ctx.condition(v, "when"), ctx.text(v, "advice"), ctx.refs(v))
                    for v in n.get("advice_if", [])
                ),
                seek_care=ctx.opt_text(n, "seek_care"),
            )
        )
    return tuple(built), ranking


def triage(ctx: Context) -> tuple[tuple[Floor, ...], Level, Level]:
    """The triage floors, the level when no cause stands out, and the lowest level
    while a red flag is not excluded."""
    doc = ctx.docs["triage.yaml"]
    ctx.unique("floor", doc["floors"])
    floors = tuple(
        Floor(
            id=n["id"],
            level=Level.parse(n["level"]),
            when=ctx.condition(n, "when"),
            reason=ctx.text(n, "reason"),
            references=ctx.refs(n),
            examples=ctx.examples(n),
            location=ctx.where(n),
        )
        for n in doc["floors"]
    )
    not_excluded = Level.parse(doc["not_excluded_level"])
    if not_excluded < Level.SOON:
        ctx.problems.append(
            Problem(
                "not_excluded_level must be 'soon' or higher (contract §4)",
                ctx.where(doc, "not_excluded_level"),
            )
        )
    return floors, Level.parse(doc["no_cause_level"]), not_excluded


def _ln(lr: float) -> float:
    return round(math.log(lr), 4)
