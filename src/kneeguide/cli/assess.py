"""``kneeguide assess``: one answer set in, the assessment out, without prompting.

This is the command scripts call, and the one whose start-up is measured: it
imports only what the chosen format needs.
"""

import sys
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from kneeguide.cli.guard import EXIT_FAIL_ON, guarded
from kneeguide.cli.options import (
    AnswersOption,
    AudienceId,
    ClinicOption,
    DebugOption,
    DetailsOption,
    EncodingOption,
    ForceOption,
    LangOption,
    LevelId,
    NoteOption,
    PatientOption,
    RegionOption,
    RulesOption,
)
from kneeguide.cli.settings import (
    announce_region,
    color,
    refuse_unread_stdin,
    resolve,
    say_if_nothing_answered,
    width,
)
from kneeguide.cli.streams import output_as
from kneeguide.ids import Level, ReportFormat
from kneeguide.inputs.sources import collect_answers

if TYPE_CHECKING:
    pass


@guarded
def assess(
    answers: AnswersOption = None,
    answer: Annotated[
        Optional[list[str]],  # noqa: UP045 - typer reads the annotations at run time
        typer.Option(
            "--answer", "-a", help="One answer as id=value; repeatable; wins over FILE.", metavar="ID=VALUE"
        ),
    ] = None,
    encoding: EncodingOption = None,
    fmt: Annotated[ReportFormat, typer.Option("--format", help="Output format.")] = ReportFormat.TEXT,
    region: RegionOption = None,
    audience: Annotated[
        Optional[AudienceId],  # noqa: UP045
        typer.Option("--audience", help="Wording and disclaimers for whom (default: lay)."),
    ] = None,
    lang: LangOption = None,
    fail_on: Annotated[
        Optional[LevelId],  # noqa: UP045
        typer.Option("--fail-on", help="Exit 3 when the triage level is LEVEL or higher.", metavar="LEVEL"),
    ] = None,
    details: DetailsOption = False,
    note: NoteOption = None,
    patient: PatientOption = None,
    clinic: ClinicOption = None,
    force: ForceOption = False,
    rules_dir: RulesOption = None,
    debug: DebugOption = False,
) -> None:
    """Assess answers without prompting: from a file, stdin or -a options."""
    from kneeguide import api
    from kneeguide.render import render

    settings = resolve(lang, region, audience, rules_dir)
    rules = settings.rules
    if answers is None and not answer:
        refuse_unread_stdin(rules, settings.lang)
    clean = collect_answers(rules, answers, answer or [], encoding=encoding)
    say_if_nothing_answered(clean, rules, settings.lang)
    result = api.assess(
        clean, rules=rules, region=settings.region, audience=settings.audience, lang=settings.lang
    )
    if note is not None:
        from kneeguide.cli.notes import write_note

        write_note(note, result, rules, patient, clinic or settings.clinic, force)
    announce_region(settings)
    if fmt is ReportFormat.JSON:
        output_as("json")
    sys.stdout.write(
        render(fmt, result, rules, color=color() and fmt is ReportFormat.TEXT, width=width(), details=details)
    )
    sys.stdout.flush()
    if fail_on is not None and result.triage.level >= Level.parse(fail_on):
        raise typer.Exit(EXIT_FAIL_ON)
