"""``kneeguide questions``: the question ids, types, allowed values and wording,
for people writing answer files and for scripts (``--format json``), with what a
script needs beyond the ids: whether a question is in the scripting contract,
when it is asked, the label of each choice and the rules that read it
(:mod:`kneeguide.authoring.catalogue`)."""

import sys
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from kneeguide.cli.guard import guarded
from kneeguide.cli.options import AudienceId, RulesOption
from kneeguide.cli.settings import load
from kneeguide.cli.streams import output_as
from kneeguide.ids import Audience, ListFormat
from kneeguide.render import assert_never
from kneeguide.ruleset.model import expected_text

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
    from kneeguide.authoring.catalogue import question_rows

    wanted = Audience[audience.upper()] if audience else None
    rules = load(rules_dir)
    rows = question_rows(rules, wanted, lang)
    if fmt is ListFormat.JSON:
        import json

        output_as("json")
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    elif fmt is ListFormat.TEXT:
        sys.stdout.write("".join(_text(row, rules, wanted, lang) for row in rows))
    else:
        assert_never(fmt)


def _text(row: dict[str, Any], rules: "RuleSet", audience: Audience | None, lang: str) -> str:
    """A question for a person writing answers: its id and allowed values, its wording,
    each choice's label, and, where it applies, that it is beyond the scripting contract
    and when it is asked (a script should send it whenever that holds)."""
    wording = row["practitioner"] if audience is Audience.PRACTITIONER else row["lay"]
    expected = expected_text(rules.questions[row["id"]], rules, lang)
    lines = [f"{row['id']:<36} {expected}", f"    {wording}"]
    lines += [f"      {choice}: {label}" for choice, label in row.get("choice_labels", {}).items()]
    if not row["contract"]:
        lines.append(f"    [{rules.message('label_beyond_contract', lang)}]")
    if row["asked_if_text"] is not None:
        lines.append("    " + rules.message("label_asked_if", lang).format(condition=row["asked_if_text"]))
    return "\n".join(lines) + "\n"
