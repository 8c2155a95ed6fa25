"""``kneeguide note`` and ``kneeguide export``: the referral letter and the FHIR Bundle
of a saved interview session or an answers file.

A session brings its own language, region and audience; options given here win.
The letter is the same document wherever it is written (here, ``assess --note``
and the interview's end: :func:`note_text`): a session's letter carries the
interview's own date and time and, if the interview was not finished, says so on
every page; a session with no answers has no letter. Files are written whole or
not at all, readable by their owner only.
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
    EncodingOption,
    ForceOption,
    LangOption,
    PatientOption,
    RegionOption,
    RulesOption,
    SessionOption,
    file_name,
)
from kneeguide.cli.settings import Settings, announce_region, refuse_unread_stdin, resolve
from kneeguide.cli.streams import output_as
from kneeguide.errors import InputError, Location, Problem
from kneeguide.files import own_folder, write_atomic
from kneeguide.ids import ExportFormat, NoteFormat

if TYPE_CHECKING:
    from kneeguide.engine import Assessment
    from kneeguide.interview.session import Session
    from kneeguide.ruleset.model import Answers, RuleSet


@guarded
def note(
    session: SessionOption = None,
    answers: AnswersOption = None,
    output: Annotated[
        Optional[Path],  # noqa: UP045 - typer reads the annotations at run time
        typer.Option(
            "--output",
            "-o",
            help="Write here (format from .md/.txt/.html) instead of stdout.",
            metavar="FILE",
            parser=file_name,
        ),
    ] = None,
    fmt: Annotated[
        NoteFormat, typer.Option("--format", help="Format when writing to stdout.")
    ] = NoteFormat.MARKDOWN,
    patient: PatientOption = None,
    clinic: ClinicOption = None,
    to: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--to", help="Address the letter to this hospital or department.", metavar="TEXT"),
    ] = None,
    doctor: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--doctor", help="Address the letter to this doctor, by name.", metavar="NAME"),
    ] = None,
    lang: LangOption = None,
    region: RegionOption = None,
    audience: Annotated[
        Optional[AudienceId],  # noqa: UP045
        typer.Option("--audience", help="Wording for whom (default: the session's, else lay)."),
    ] = None,
    appendix: Annotated[
        bool,
        typer.Option(
            "--appendix/--no-appendix",
            help="Add the point anatomy, evidence and references after the letter.",
        ),
    ] = True,
    encoding: EncodingOption = None,
    force: ForceOption = False,
    rules_dir: RulesOption = None,
) -> None:
    """Write the referral letter from a saved session, an answers file or stdin."""
    if (session is None) == (answers is None):
        raise InputError([Problem("give exactly one of --session FILE or --answers FILE|-")])
    saved, settings, result = assess_saved(
        session, answers, lang, region, audience, rules_dir, empty=False, encoding=encoding
    )
    clinic_path = clinic or settings.clinic
    if output is not None and str(output) != "-":
        write_note(
            output, result, settings.rules, patient, clinic_path, force,
            session=saved, appendix=appendix, to=to, doctor=doctor,
        )  # fmt: skip
    else:
        if fmt is NoteFormat.HTML:
            output_as("html")
        text = note_text(
            fmt, result, settings.rules, patient, clinic_path,
            session=saved, appendix=appendix, to=to, doctor=doctor,
        )  # fmt: skip
        sys.stdout.write(text)
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
        typer.Option(
            "--output", "-o", help="Write here instead of stdout.", metavar="FILE", parser=file_name
        ),
    ] = None,
    lang: LangOption = None,
    region: RegionOption = None,
    audience: Annotated[
        Optional[AudienceId],  # noqa: UP045
        typer.Option(
            "--audience", help="The Questionnaire of whose interview (default: the session's, else lay)."
        ),
    ] = None,
    encoding: EncodingOption = None,
    force: ForceOption = False,
    rules_dir: RulesOption = None,
) -> None:
    """Export the questionnaire, the answers and the triage outcome as a FHIR R4 Bundle."""
    from kneeguide import render

    if not fhir:
        raise InputError([Problem("choose an export format: --fhir")])
    saved, settings, result = assess_saved(
        session, answers, lang, region, audience, rules_dir, encoding=encoding
    )
    completed = saved is None or saved.status == "completed"
    authored = session_times(saved)[1] if saved is not None else None  # None: answers given now
    text = render.export(ExportFormat.FHIR, result, settings.rules, completed=completed, authored=authored)
    if output is None or str(output) == "-":
        output_as("json")
        sys.stdout.write(text)
    else:
        write_atomic(output, text, private=True, force=force)


def note_text(
    fmt: NoteFormat,
    result: "Assessment",
    rules: "RuleSet",
    patient: str | None,
    clinic: str | Path | None,
    *,
    session: "Session | None" = None,
    appendix: bool = True,
    to: str | None = None,
    doctor: str | None = None,
) -> str:
    """The referral letter in ``fmt``, naming ``patient`` and the clinic profile at the path
    ``clinic`` (if any) as its sender, addressed ``to`` an institution and a ``doctor``
    where given; dated by ``session`` (its first and last answer) or, for answers given
    now, by the clock; raises ``InputError`` for a bad profile.

    The letter is read by the receiving clinician, whoever wrote the answers: it is worded
    from the practitioner's assessment of the same answers (clinical names of causes, the
    clinical warnings); the decisions are the same for every audience."""
    from kneeguide.inputs.clinic import load_clinic
    from kneeguide.render.note import draw, letter
    from kneeguide.render.note_blocks import Letterhead

    result = for_clinician(result, rules)
    profile = load_clinic(clinic) if clinic else None
    if session is None:
        head = Letterhead(datetime.now(), None, patient, profile, appendix, to=to, doctor=doctor)
    else:
        start, end = session_times(session)
        incomplete = unfinished(session, rules, result.answers)
        head = Letterhead(start, end, patient, profile, appendix, incomplete, to, doctor)
    return draw(fmt, letter(result, rules, head, fmt), rules, result.lang)  # fields escaped for fmt


def for_clinician(result: "Assessment", rules: "RuleSet") -> "Assessment":
    """``result`` worded for a practitioner (the same answers, region and language)."""
    from kneeguide.ids import Audience

    if result.audience is Audience.PRACTITIONER:
        return result
    from kneeguide import api

    return api.assess(
        result.answers, rules=rules, region=result.region, audience=Audience.PRACTITIONER, lang=result.lang
    )


def session_times(session: "Session") -> tuple[datetime, datetime]:
    """When the interview began and when it was last answered, in local time (the file holds
    UTC); a time the file does not hold readably is the file's last change."""

    def local(stamp: str) -> datetime:
        try:
            return datetime.fromisoformat(stamp).astimezone()
        except ValueError:
            return datetime.fromtimestamp(session.path.stat().st_mtime).astimezone()

    return local(session.created), local(session.updated)


def unfinished(session: "Session", rules: "RuleSet", answers: "Answers") -> bool:
    """Whether the interview stopped before its end: interrupted, or stopped after the
    emergency panel while questions were still worth asking (``answers``: the session's,
    checked)."""
    if session.status != "completed":
        return True
    from kneeguide.ids import Audience
    from kneeguide.interview.flow import Flow

    try:
        audience = Audience[session.audience.upper()]
    except KeyError:  # an audience this version does not know: the settings refused it already
        return False
    return Flow(rules, audience).next_step(answers, session.individually) is not None


#: A note file's format, by its suffix; any other suffix means Markdown.
SUFFIXES = {".html": NoteFormat.HTML, ".htm": NoteFormat.HTML, ".txt": NoteFormat.TEXT}


def write_note(
    path: Path,
    result: "Assessment",
    rules: "RuleSet",
    patient: str | None,
    clinic: str | Path | None,
    force: bool,
    *,
    session: "Session | None" = None,
    appendix: bool = True,
    to: str | None = None,
    doctor: str | None = None,
) -> None:
    """Write the referral letter to ``path`` (owner-only), its format by the suffix; raises
    ``WriteError`` when it cannot, or when it exists and ``force`` is false."""
    fmt = SUFFIXES.get(path.suffix.lower(), NoteFormat.MARKDOWN)
    text = note_text(
        fmt, result, rules, patient, clinic, session=session, appendix=appendix, to=to, doctor=doctor
    )
    write_atomic(path, text, private=True, force=force)


def check_session_file(path: Path) -> None:
    """Refuse the session file ``path`` where ``interview --resume`` would, before a byte
    of it is read: in a folder where others can swap files (:func:`own_folder`), or not
    the user's own file, a link, or open to others' changes
    (:func:`~kneeguide.interview.session.check_own_file`). A device, FIFO or folder is
    left to :meth:`Session.load`, which names what it is (``/dev/zero`` is open to all,
    but "is a device" is the line that helps). Raises :class:`~kneeguide.files.FolderError`
    or :class:`InputError`."""
    import os
    import stat

    from kneeguide.interview.session import check_own_file

    own_folder(path.parent, named=True)
    try:
        mode = os.lstat(path).st_mode
    except OSError:  # missing or unreadable: Session.load says so in its own words
        return
    if stat.S_ISREG(mode) or stat.S_ISLNK(mode):
        check_own_file(path)


def assess_saved(
    session: Path | None,
    answers: str | None,
    lang: str | None,
    region: str | None,
    audience: str | None,
    rules_dir: Path | None,
    *,
    empty: bool = True,
    encoding: str | None = None,
) -> "tuple[Session | None, Settings, Assessment]":
    """Assess a saved session or an answers file (in ``encoding``, see ``--encoding``): its
    settings unless options say otherwise. A session is read only where
    :func:`check_session_file` lets it be. Unless ``empty``, a session with no answers is
    refused: it has nothing to say. An answers file with no answers is assessed, with a
    line on stderr saying so."""
    from kneeguide import api
    from kneeguide.inputs.sources import collect_answers
    from kneeguide.interview.session import Session
    from kneeguide.ruleset.answers import check_answers

    if session is not None:
        check_session_file(session)
    saved = Session.load(session) if session is not None else None
    if saved is not None and not saved.answers and not empty:
        where = Location(str(session))
        raise InputError(
            [Problem("this session has no answers yet: there is nothing to write a note from", where)]
        )
    settings = resolve(
        lang or (saved.lang if saved else None),
        region or (saved.region if saved else None),
        audience or (saved.audience if saved else None),
        rules_dir,
    )
    rules = settings.rules
    if saved is None and answers is None:  # export with nothing given: never ignore a pipe
        refuse_unread_stdin(rules, settings.lang)
    if saved is not None:
        clean, problems = check_answers(saved.answers, rules.questions, where=Location(str(session)))
        if problems:
            raise InputError(problems)
    else:
        from kneeguide.cli.settings import say_if_nothing_answered

        clean = collect_answers(rules, answers, [], encoding=encoding) if answers is not None else {}
        say_if_nothing_answered(clean, rules, settings.lang)
    result = api.assess(
        clean, rules=rules, region=settings.region, audience=settings.audience, lang=settings.lang
    )
    return saved, settings, result
