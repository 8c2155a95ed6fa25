"""``kneeguide questions``: the question ids, types, allowed values and wording,
for people writing answer files and for scripts (``--format json``)."""

import sys
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from kneeguide.cli.guard import guarded
from kneeguide.cli.options import AudienceId, RulesOption
from kneeguide.cli.settings import load
from kneeguide.ids import Audience, ListFormat
from kneeguide.render import assert_never

if TYPE_CHECKING:
    from kneeguide.ruleset.model import RuleSet


@guarded
def questions(
    fmt: Annotated[ListFormat, typer.Option("--format", help="Output format.")] = ListFormat.TEXT,
    audience: Annotated[
        Optional[AudienceId],  # noqa: UP045 - typer reads the annotations at run time
        typer.Option("--audience", help="Only the questions asked of this audience."),
    ] = None,
    lang: Annotated[str, typer.Option("--lang", help="Language of the wording.")] = "en",
    rules_dir: RulesOption = None,
) -> None:
    """List question ids, types, allowed values and wording."""
    wanted = Audience[audience.upper()] if audience else None
    rows = question_rows(load(rules_dir), wanted, lang)
    if fmt is ListFormat.JSON:
        import json

        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    elif fmt is ListFormat.TEXT:
        for row in rows:
            wording = row["practitioner"] if wanted is Audience.PRACTITIONER else row["lay"]
            sys.stdout.write(f"{row['id']:<36} {row['expected']}\n    {wording}\n")
    else:
        assert_never(fmt)


def question_rows(rules: "RuleSet", audience: Audience | None, lang: str) -> list[dict[str, Any]]:
    """One row per question (of ``audience``, or all), in the rule set's order: id, type,
    section, audiences, the expected values in words, both wordings in ``lang``; the
    choices of a choice, the bounds of a number, the help text when there is one."""
    from kneeguide.ruleset.model import pick

    rows = []
    for q in rules.questions.values():
        if audience is not None and audience not in q.audiences:
            continue
        row: dict[str, Any] = {
            "id": q.id,
            "type": q.type,
            "section": q.section,
            "audience": sorted(a.id for a in q.audiences),
            "expected": q.expected(),
            "lay": pick(q.lay, lang),
            "practitioner": pick(q.practitioner, lang),
        }
        if q.type == "choice":
            row["choices"] = [c.id for c in q.choices]
        if q.type in ("int", "number"):
            row["min"] = q.minimum
            row["max"] = q.maximum
        if q.help:
            row["help"] = pick(q.help, lang)
        rows.append(row)
    return rows
