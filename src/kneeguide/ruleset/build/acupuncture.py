"""``acupuncture.yaml`` → the points, the evidence, the screening questions and the suitability rules.

Points and evidence may name the causes they are discussed for, which must
exist; screening names questions, which must exist too.
"""

from __future__ import annotations

from typing import Any

from kneeguide.errors import Problem
from kneeguide.ruleset.build.context import Context
from kneeguide.ruleset.model import Acupuncture, Evidence, Figure, Point, Suitability
from kneeguide.suggest import did_you_mean


def acupuncture(ctx: Context, cause_ids: set[str]) -> Acupuncture:
    """Acupuncture as the rule set describes it; ``cause_ids`` are the causes it may name."""
    doc = ctx.docs["acupuncture.yaml"]
    ctx.unique("point", doc["points"], key="code")
    ctx.unique("evidence", doc["evidence"])
    ctx.unique("suitability", doc["suitability"])

    def check_causes(node: Any) -> tuple[str, ...]:
        ids = tuple(node.get("causes", []))
        for cid in ids:
            if cid not in cause_ids:
                hint = did_you_mean(cid, sorted(cause_ids))
                ctx.problems.append(Problem(f"unknown cause '{cid}'{hint}", ctx.where(node, "causes")))
        return ids

    def check_kana(node: Any) -> str:
        """The reading as hiragana: Japanese output writes 委中（いちゅう）BL40, and a romanised
        or katakana reading there would read as a foreign word."""
        kana = str(node["kana"])
        if not all("\u3041" <= ch <= "\u309f" or ch == "ー" for ch in kana):
            problem = f"kana '{kana}' is not hiragana (e.g. いちゅう)"
            ctx.problems.append(Problem(problem, ctx.where(node, "kana")))
        return kana

    points = tuple(
        Point(
            code=n["code"],
            name=n["name"],
            hanzi=n["hanzi"],
            ja_reading=n["ja_reading"],
            kana=check_kana(n),
            location=ctx.text(n, "location"),
            indications=ctx.text(n, "indications"),
            caution=ctx.text(n, "caution"),
            causes=check_causes(n),
            references=ctx.refs(n),
            figure=_figure(ctx, n),
        )
        for n in doc["points"]
    )
    evidence = tuple(
        Evidence(
            id=n["id"],
            position=n["position"],
            claim=ctx.text(n, "claim"),
            source=ctx.bibliographic(n, "source"),
            causes=check_causes(n),
            references=ctx.refs(n),
        )
        for n in doc["evidence"]
    )
    for qid in doc["screening"]:
        if qid not in ctx.questions:
            hint = did_you_mean(qid, list(ctx.questions))
            ctx.problems.append(Problem(f"unknown question '{qid}'{hint}", ctx.where(doc, "screening")))
    suitability = tuple(
        Suitability(
            id=n["id"],
            level=n["level"],
            when=ctx.condition(n, "when"),
            reason=ctx.text(n, "reason"),
            references=ctx.refs(n),
        )
        for n in doc["suitability"]
    )
    return Acupuncture(
        points=points,
        evidence=evidence,
        screening=tuple(doc["screening"]),
        suitability=suitability,
        suitable_text=ctx.text(doc, "suitable_text"),
        not_now_text=ctx.text(doc, "not_now_text"),
        unscreened_text=ctx.text(doc, "unscreened_text"),
        references=ctx.refs(doc),
    )


def _figure(ctx: Context, node: Any) -> Figure | None:
    fig = node.get("figure")
    if fig is None:
        return None
    avoid = fig.get("avoid")
    return Figure(
        view=fig["view"],
        x=float(fig["x"]),
        y=float(fig["y"]),
        avoid=(float(avoid["rx"]), float(avoid["ry"]), ctx.text(avoid, "label")) if avoid else None,
    )
