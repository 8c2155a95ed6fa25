"""``kneeguide note`` and ``kneeguide export``: the referral note and the FHIR Bundle
of a saved interview session or an answers file.

A session brings its own language, region and audience; options given here win.
Files are written whole or not at all, readable by their owner only.
"""

import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from kneeguide.cli.guard import guarded
from kneeguide.cli.options import (
    AnswersOption,
    AudienceId,
    ClinicOption,
    ForceOption,
    LangOption,
    PatientOption,
    RegionOption,
    RulesOption,
    SessionOption,
)
from kneeguide.cli.settings import Settings, announce_region, resolve
from kneeguide.cli.streams import output_as
from kneeguide.errors import InputError, Location, Problem
from kneeguide.files import write_atomic
from kneeguide.ids import ExportFormat, NoteFormat

if TYPE_CHECKING:
    from kneeguide.engine import Assessment
    from kneeguide.interview.session import Session
    from kneeguide.ruleset.model import RuleSet


@guarded
def note(
    session: SessionOption = None,
    answers: AnswersOption = None,
    output: Annotated[
        Optional[Path],  # noqa: UP045 - typer reads the annotations at run time
        typer.Option("--output", "-o", help="Write here (format from .md/.txt/.html) instead of stdout."),
    ] = None,
    fmt: Annotated[
        NoteFormat, typer.Option("--format", help="Format when writing to stdout.")
    ] = NoteFormat.MARKDOWN,
    patient: PatientOption = None,
    clinic: ClinicOption = None,
    lang: LangOption = None,
    region: RegionOption = None,
    audience: Annotated[
        Optional[AudienceId],  # noqa: UP045
        typer.Option("--audience", help="Wording for whom (default: the session's, else lay)."),
    ] = None,
    force: ForceOption = False,
    rules_dir: RulesOption = None,
) -> None:
    """Write the referral note from a saved session, an answers file or stdin."""
    if (session is None) == (answers is None):
        raise InputError([Problem("give exactly one of --session FILE or --answers FILE|-")])
    _, settings, result = assess_saved(session, answers, lang, region, audience, rules_dir)
    clinic_path = clinic or settings.clinic
    if output is not None:
        write_note(output, result, settings.rules, patient, clinic_path, force)
    else:
        if fmt is NoteFormat.HTML:
            output_as("html")
        sys.stdout.write(note_text(fmt, result, settings.rules, patient, clinic_path))
    announce_region(settings)


@guarded
def export(
    fhir: Annotated[bool, typer.Option("--fhir", help="A FHIR R4 Bundle (the only format so far).")] = False,
    session: SessionOption = None,
    answers: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--answers",
            "-f",
            help="Answers as JSON, YAML or a QuestionnaireResponse; '-' reads stdin.",
            metavar="FILE|-",
        ),
    ] = None,
    output: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("--output", "-o", help="Write here instead of stdout."),
    ] = None,
    lang: LangOption = None,
    force: ForceOption = False,
    rules_dir: RulesOption = None,
) -> None:
    """Export the questionnaire, the answers and the triage outcome as a FHIR R4 Bundle."""
    from kneeguide import render

    if not fhir:
        raise InputError([Problem("choose an export format: --fhir")])
    saved, settings, result = assess_saved(session, answers, lang, None, None, rules_dir)
    completed = saved is None or saved.status == "completed"
    text = render.export(ExportFormat.FHIR, result, settings.rules, completed=completed)
    if output is None:
        output_as("json")
        sys.stdout.write(text)
    else:
        write_atomic(output, text, private=True, force=force)


def note_text(
    fmt: NoteFormat, result: "Assessment", rules: "RuleSet", patient: str | None, clinic: str | Path | None
) -> str:
    """The referral note in ``fmt``, stamped now, naming ``patient`` and the clinic
    profile at the path ``clinic`` (if any); raises ``InputError`` for a bad profile."""
    from kneeguide.inputs.clinic import load_clinic
    from kneeguide.render import render_note

    profile = load_clinic(clinic) if clinic else None
    return render_note(fmt, result, rules, when=datetime.now(), patient=patient, clinic=profile)


#: A note file's format, by its suffix; any other suffix means Markdown.
SUFFIXES = {".html": NoteFormat.HTML, ".htm": NoteFormat.HTML, ".txt": NoteFormat.TEXT}


def write_note(
    path: Path,
    result: "Assessment",
    rules: "RuleSet",
    patient: str | None,
    clinic: str | Path | None,
    force: bool,
) -> None:
    """Write the referral note to ``path`` (owner-only), its format by the suffix; raises
    ``WriteError`` when it cannot, or when it exists and ``force`` is false."""
    fmt = SUFFIXES.get(path.suffix.lower(), NoteFormat.MARKDOWN)
    write_atomic(path, note_text(fmt, result, rules, patient, clinic), private=True, force=force)


def assess_saved(
    session: Path | None,
    answers: str | None,
    lang: str | None,
    region: str | None,
    audience: str | None,
    rules_dir: Path | None,
) -> "tuple[Session | None, Settings, Assessment]":
    """Assess a saved session or an answers file: its settings unless options say otherwise."""
    from kneeguide import api
    from kneeguide.inputs.sources import collect_answers
    from kneeguide.interview.session import Session
    from kneeguide.ruleset.answers import check_answers

    saved = Session.load(session) if session is not None else None
    settings = resolve(
        lang or (saved.lang if saved else None),
        region or (saved.region if saved else None),
        audience or (saved.audience if saved else None),
        rules_dir,
    )
    rules = settings.rules
    if saved is not None:
        clean, problems = check_answers(saved.answers, rules.questions, where=Location(str(session)))
        if problems:
            raise InputError(problems)
    else:
        clean = collect_answers(rules, answers, []) if answers is not None else {}
    result = api.assess(
        clean, rules=rules, region=settings.region, audience=settings.audience, lang=settings.lang
    )
    return saved, settings, result
