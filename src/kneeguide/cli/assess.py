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
from kneeguide.cli.settings import announce_region, color, resolve, say_if_nothing_answered, width
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
    clean = collect_answers(rules, answers, answer or [], encoding=encoding)
    say_if_nothing_answered(clean, rules, settings.lang)
    if answers is None and not clean and _stdin_waits():
        sys.stderr.write(f"kneeguide: {rules.message('stdin_not_read', settings.lang)}\n")
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


def _stdin_waits() -> bool:
    """Whether standard input is a pipe or a file that may hold answers ``assess`` does not
    read without ``--answers -`` (``echo '{…}' | kneeguide assess``): not a terminal and not
    ``/dev/null``. Nothing is read from it: a parent that keeps the pipe open must not
    make ``assess`` wait."""
    import os
    import stat

    try:
        mode = os.fstat(sys.stdin.fileno()).st_mode
    except (OSError, ValueError, AttributeError):  # no stdin at all
        return False
    return stat.S_ISFIFO(mode) or (stat.S_ISREG(mode) and os.fstat(sys.stdin.fileno()).st_size > 0)
