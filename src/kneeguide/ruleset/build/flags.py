"""``scores.yaml`` and ``red_flags.yaml`` → scores and red flags; and every file's rule tests.

Scores come before red flags because a red flag's condition may read a score
(its points or band); a score's own conditions read answers only. The rule
tests are built last of the three: they name red flags, switched off or not.
"""

from __future__ import annotations

from kneeguide.errors import Problem
from kneeguide.ids import Level
from kneeguide.ruleset import contract
from kneeguide.ruleset.build.context import Context
from kneeguide.ruleset.model import (
    Band,
    Escalation,
    EstimateLabel,
    RedFlag,
    RuleTest,
    Score,
    ScoreExample,
    ScoreItem,
    Validity,
)
from kneeguide.suggest import did_you_mean


def scores(ctx: Context) -> tuple[Score, ...]:
    """Scores in file order; each score's band ids go into ``ctx.score_bands`` first."""
    nodes = ctx.docs["scores.yaml"]["scores"]
    ctx.unique("score", nodes)
    for n in nodes:
        ctx.score_bands[n["id"]] = {b["id"] for b in n["bands"]}
    built = []
    for n in nodes:
        ctx.unique("score item", n["items"])
        items = []
        for item in n["items"]:
            proxy = ctx.condition(item, "proxy", allow_scores=False) if "proxy" in item else None
            items.append(
                ScoreItem(
                    id=item["id"],
                    text=ctx.text(item, "text"),
                    points=float(item["points"]),
                    when=ctx.condition(item, "when", allow_scores=False),
                    proxy=proxy,
                    judgement=bool(item.get("judgement", False)),
                )
            )
        ctx.unique("band", n["bands"])
        bands = tuple(Band(b["id"], b.get("min"), ctx.text(b, "text")) for b in n["bands"])
        mins = [b.minimum for b in bands]
        if None in mins[:-1] or mins[-1] is not None or mins[:-1] != sorted(mins[:-1], reverse=True):  # type: ignore[type-var]
            ctx.problems.append(
                Problem(
                    "bands must go from the highest 'min' down, the last band without 'min'",
                    ctx.where(n, "bands"),
                )
            )
        examples = []
        for case in n["examples"]["cases"]:
            answers = ctx.answers(case["answers"], ctx.where(case, "answers"))
            examples.append(ScoreExample(answers, float(case["points"]), case["band"]))
            if case["band"] not in ctx.score_bands[n["id"]]:
                ctx.problems.append(Problem(f"unknown band '{case['band']}'", ctx.where(case, "band")))
        label = None
        if "estimate_label" in n:
            node = n["estimate_label"]
            label = EstimateLabel(ctx.text(node, "lay"), ctx.text(node, "practitioner"))
        elif any(item.proxy is not None for item in items):
            ctx.problems.append(
                Problem("a score with lay stand-ins ('proxy') needs 'estimate_label'", ctx.where(n, "items"))
            )
        ctx.unique("population bound", n.get("validated_for", []))
        validity = tuple(
            Validity(
                v["id"],
                ctx.condition(v, "when", allow_scores=False),
                ctx.text(v, "reason"),
                ctx.refs(v),
                bool(v.get("withhold_until_known", False)),
            )
            for v in n.get("validated_for", [])
        )
        built.append(
            Score(
                id=n["id"],
                title=ctx.text(n, "title"),
                variant=ctx.text(n, "variant"),
                applies_if=ctx.condition(n, "applies_if", allow_scores=False) if "applies_if" in n else None,
                applies_reason=ctx.opt_text(n, "applies_reason"),
                population=ctx.opt_text(n, "population"),
                validated_for=validity,
                estimate_label=label,
                items=tuple(items),
                bands=bands,
                references=ctx.refs(n),
                examples=tuple(examples),
                location=ctx.where(n),
                stand_ins=tuple(i for i, item in enumerate(items) if item.proxy is not None),
            )
        )
    return tuple(built)


def red_flags(ctx: Context) -> tuple[RedFlag, ...]:
    """Red flags in file order, with their escalations; each escalation must raise the level."""
    nodes = ctx.docs["red_flags.yaml"]["red_flags"]
    ctx.unique("red flag", nodes)
    flags = []
    for n in nodes:
        level = Level.parse(n["level"])
        escalations = []
        for e in n.get("escalate", []):
            esc_level = Level.parse(e["level"])
            if esc_level <= level:
                ctx.problems.append(
                    Problem(f"an escalation must raise the level above '{level.id}'", ctx.where(e, "level"))
                )
            escalations.append(
                Escalation(
                    esc_level,
                    ctx.condition(e, "when"),
                    ctx.text(e, "reason"),
                    ctx.refs(e),
                    ctx.opt_text(e, "action"),
                )
            )
        flags.append(
            RedFlag(
                id=n["id"],
                title=ctx.text(n, "title"),
                level=level,
                when=ctx.condition(n, "when"),
                escalations=tuple(escalations),
                action=ctx.text(n, "action"),
                explain=ctx.text(n, "explain"),
                references=ctx.refs(n),
                examples=ctx.examples(n),
                location=ctx.where(n),
            )
        )
    return tuple(flags)


def switch_off(ctx: Context, flags: tuple[RedFlag, ...]) -> tuple[RedFlag, ...]:
    """``flags`` without those ``ruleset.yaml`` lists under ``disable:``.

    Only a red flag of this rule set or of the contract may be switched off;
    any other id is a problem.
    """
    known = {f.id for f in flags}
    for d in ctx.docs["ruleset.yaml"].get("disable", []):
        if d["id"] not in known and d["id"] not in contract.RED_FLAG_IDS:
            hint = did_you_mean(d["id"], sorted(known))
            ctx.problems.append(
                Problem(f"cannot disable unknown red flag '{d['id']}'{hint}", ctx.where(d, "id"))
            )
    off = {d for d, _ in ctx.disabled}
    return tuple(f for f in flags if f.id not in off)


def rule_tests(ctx: Context, known_flags: set[str]) -> tuple[RuleTest, ...]:
    """Every file's ``tests:``, file by file; ``known_flags`` are the red flags they may name."""
    tests = []
    for name, doc in ctx.docs.items():
        for case in doc.get("tests", []):
            for key in ("fires", "quiet"):
                for flag in case.get(key, []):
                    if flag not in known_flags:
                        hint = did_you_mean(flag, sorted(known_flags))
                        ctx.problems.append(Problem(f"unknown red flag '{flag}'{hint}", ctx.where(case, key)))
            level = case.get("level")
            if level is not None:
                low, high = Level.parse(level[0]), Level.parse(level[-1])
                if low > high:
                    ctx.problems.append(Problem("level range must go lowest first", ctx.where(case, "level")))
            if "references" in case:
                ctx.refs(case)
            tests.append(
                RuleTest(
                    name=case["name"],
                    file=name,
                    answers=ctx.answers(case["answers"], ctx.where(case, "answers")),
                    audience=case.get("audience", "lay"),
                    fires=tuple(case.get("fires", [])),
                    quiet=tuple(case.get("quiet", [])),
                    level=(Level.parse(level[0]), Level.parse(level[-1])) if level else None,
                    todo=case.get("todo"),
                    location=ctx.where(case),
                )
            )
    return tuple(tests)
