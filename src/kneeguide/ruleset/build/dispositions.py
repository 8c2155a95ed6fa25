"""``dispositions.yaml`` and ``messages.yaml`` → regions, each level's advice, and the fixed texts.

Advice texts may name the region's numbers only through the placeholders
``{emergency}``, ``{advice}`` and ``{advice_name}``; any other placeholder is a
problem, since it could not be filled in. Every message the renderers use
(``contract.MESSAGE_IDS``) must exist.
"""

from __future__ import annotations

import string
from typing import Any

from kneeguide.errors import Problem
from kneeguide.ids import Level
from kneeguide.ruleset import contract
from kneeguide.ruleset.build.context import Context
from kneeguide.ruleset.model import Disposition, Region, Text
from kneeguide.ruleset.yamlio import key_location
from kneeguide.suggest import did_you_mean

PLACEHOLDERS = frozenset({"emergency", "advice", "advice_name"})


def dispositions(ctx: Context) -> tuple[dict[str, Region], dict[Level, Disposition]]:
    """Region id → region, and each level's disposition; every level must have one."""
    doc = ctx.docs["dispositions.yaml"]
    ctx.unique("region", doc["regions"])
    regions = {}
    for n in doc["regions"]:
        ctx.refs(n)
        regions[n["id"]] = Region(
            id=n["id"],
            name=ctx.text(n, "name"),
            emergency=str(n["emergency"]),
            advice=str(n["advice"]) if "advice" in n else None,
            advice_name=ctx.opt_text(n, "advice_name"),
        )
    ctx.unique("level", doc["levels"])
    by_level: dict[Level, Disposition] = {}
    for n in doc["levels"]:
        level = Level.parse(n["id"])
        for key in ("headline", "action", "action_no_advice", "timeframe", "safety_net"):
            if key in n:
                _check_placeholders(ctx, n, key)
        by_region: dict[str, dict[str, Text]] = {}
        for region_id, override in n.get("by_region", {}).items():
            if region_id not in regions:
                hint = did_you_mean(region_id, list(regions))
                ctx.problems.append(
                    Problem(
                        f"unknown region '{region_id}'{hint}",
                        key_location(n["by_region"], region_id, ctx.where(n)),
                    )
                )
            by_region[region_id] = {}
            for key in override:
                _check_placeholders(ctx, override, key)
                by_region[region_id][key] = ctx.text(override, key)
        by_level[level] = Disposition(
            level=level,
            headline=ctx.text(n, "headline"),
            action=ctx.text(n, "action"),
            action_no_advice=ctx.opt_text(n, "action_no_advice"),
            timeframe=ctx.text(n, "timeframe"),
            referral_to=ctx.text(n, "referral_to"),
            safety_net=ctx.text(n, "safety_net"),
            by_region=by_region,
            references=ctx.refs(n),
        )
    missing = [lvl.id for lvl in Level if lvl not in by_level]
    if missing:
        ctx.problems.append(
            Problem(f"dispositions missing for: {', '.join(missing)}", ctx.where(doc, "levels"))
        )
    return regions, by_level


def _check_placeholders(ctx: Context, node: Any, key: str) -> None:
    value = node[key]
    texts = [value] if isinstance(value, str) else list(value.values())
    for text in texts:
        try:
            names = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
        except ValueError as exc:
            ctx.problems.append(Problem(f"bad placeholder in '{key}': {exc}", ctx.where(node, key)))
            continue
        for name in names - PLACEHOLDERS:
            ctx.problems.append(
                Problem(
                    f"unknown placeholder '{{{name}}}' in '{key}' (allowed: "
                    + ", ".join("{" + p + "}" for p in sorted(PLACEHOLDERS))
                    + ")",
                    ctx.where(node, key),
                )
            )


def messages(ctx: Context) -> dict[str, Text]:
    """Message id → text; a problem for each message of the contract that is missing."""
    doc = ctx.docs["messages.yaml"]
    node = doc["messages"]
    built = {key: ctx.text(node, key) for key in node}
    for key in contract.MESSAGE_IDS:
        if key not in built:
            ctx.problems.append(Problem(f"missing message '{key}'", ctx.where(doc, "messages")))
    return built
