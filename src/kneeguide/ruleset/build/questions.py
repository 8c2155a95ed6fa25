"""``references.yaml`` and ``questions.yaml`` → references, sections and questions.

Built first: every later file's conditions and answer sets are checked against
the questions. Questions are declared in a first pass and their ``ask_if``
resolved in a second, so skip logic may refer to a question asked later.
"""

from __future__ import annotations

from typing import Any

from kneeguide.errors import Problem
from kneeguide.evaluate import conditions
from kneeguide.ids import Audience
from kneeguide.ruleset.build.context import Context
from kneeguide.ruleset.model import Choice, Question, Reference, Section
from kneeguide.suggest import did_you_mean


def references(ctx: Context) -> dict[str, Reference]:
    """Reference id → reference; a problem for each repeated id."""
    nodes = ctx.docs["references.yaml"]["references"]
    ctx.unique("reference", nodes)
    return {n["id"]: Reference(n["id"], ctx.bibliographic(n, "citation"), n.get("section")) for n in nodes}


def questions(ctx: Context) -> tuple[Section, ...]:
    """The sections in file order; the questions go into ``ctx.questions`` (id → question)."""
    doc = ctx.docs["questions.yaml"]
    sections = tuple(
        Section(s["id"], ctx.text(s, "title"), bool(s.get("checklist", False)), ctx.opt_text(s, "prompt"))
        for s in doc["sections"]
    )
    for s in doc["sections"]:
        if s.get("checklist") and "prompt" not in s:
            ctx.problems.append(Problem("a checklist section needs a 'prompt'", ctx.where(s)))
    ctx.unique("section", doc["sections"])
    section_ids = {s.id for s in sections}
    nodes = doc["questions"]
    ctx.unique("question", nodes)
    # First pass: declare every question so ask_if may refer forwards or backwards.
    pending: list[tuple[Any, Question]] = []
    for n in nodes:
        audiences = frozenset(Audience[a.upper()] for a in n.get("audience", ["lay", "practitioner"]))
        loc = ctx.where(n)
        if n["section"] not in section_ids:
            hint = did_you_mean(n["section"], sorted(section_ids))
            ctx.problems.append(Problem(f"unknown section '{n['section']}'{hint}", ctx.where(n, "section")))
        for audience in audiences:
            if audience.id not in n:
                ctx.problems.append(
                    Problem(f"question asked of '{audience.id}' needs '{audience.id}' wording", loc)
                )
        qtype = n["type"]
        if qtype == "choice" and "choices" not in n:
            ctx.problems.append(Problem("a choice question needs 'choices'", loc))
        if qtype != "choice" and "choices" in n:
            ctx.problems.append(Problem("only choice questions take 'choices'", ctx.where(n, "choices")))
        if qtype in ("yn", "choice") and ("min" in n or "max" in n):
            ctx.problems.append(Problem("'min'/'max' only apply to int and number questions", loc))
        fallback_key = "lay" if "lay" in n else "practitioner" if "practitioner" in n else "clinical"
        question = Question(
            id=n["id"],
            type=qtype,
            section=n["section"],
            audiences=audiences,
            lay=ctx.text(n, "lay" if "lay" in n else fallback_key),
            practitioner=ctx.text(n, "practitioner" if "practitioner" in n else fallback_key),
            clinical=ctx.text(n, "clinical"),
            help=ctx.opt_text(n, "help"),
            minimum=n.get("min"),
            maximum=n.get("max"),
            unit=ctx.opt_text(n, "unit"),
            choices=tuple(Choice(c["id"], ctx.text(c, "text")) for c in n.get("choices", [])),
            ask_if=None,
            references=ctx.refs(n),
            location=loc,
            offer_unsure=n.get("offer_unsure", True),
            always_ask=n.get("always_ask", False),
        )
        ctx.questions[question.id] = question
        pending.append((n, question))
    for n, question in pending:
        if "ask_if" in n:
            ask_if = ctx.condition(n, "ask_if", allow_scores=False)
            if question.id in conditions.questions_in(ask_if):
                ctx.problems.append(
                    Problem("a question's ask_if cannot depend on itself", ctx.where(n, "ask_if"))
                )
            ctx.questions[question.id] = question._replace(ask_if=ask_if)
    return sections
