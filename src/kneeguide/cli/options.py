"""The options several commands share, with their choices taken from :mod:`kneeguide.ids`.

Each alias is an ``Annotated`` type that typer reads: the name, the help text and
the metavar of one option, written once. Lists of ids in help texts are built
from ``kneeguide.ids``, so adding a region or a language needs no edit here.
"""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal, Optional

import typer

from kneeguide.ids import AUDIENCES, LANGUAGES, LEVELS, REGIONS

if TYPE_CHECKING:
    AudienceId = str
    LevelId = str
else:
    # typer offers a Literal's values as the choices; Audience and Level are IntEnums,
    # whose values are numbers, so their ids are given this way.
    AudienceId = Literal[AUDIENCES]
    LevelId = Literal[LEVELS]


def file_name(value: str) -> Path:
    """``-o FILE``: a name, else a usage error (an empty one would become ``.``, the folder)."""
    if not value:
        raise typer.BadParameter("an empty file name: give the name of the file to write")
    return Path(value)


def note_file(value: str) -> Path:
    """``--note FILE``: the name of the letter's file, else a usage error. Besides an empty
    name (:func:`file_name`), ``-`` is refused: standard output already carries the report,
    and a file named ``-`` is not what anyone means by it (``./-`` names one); ``kneeguide
    note`` writes the letter to standard output."""
    if value == "-":
        raise typer.BadParameter(
            "'-': standard output carries the report; give the note a file name (.md, .txt or .html), "
            "or use 'kneeguide note' for the letter on standard output"
        )
    return file_name(value)


def _either(ids: tuple[str, ...]) -> str:
    """``('en', 'ja')`` → ``'en or ja'``; ``('JP', 'US', 'UK')`` → ``'JP, US or UK'``."""
    return f"{', '.join(ids[:-1])} or {ids[-1]}"


RegionOption = Annotated[
    Optional[str],  # noqa: UP045 - typer reads the annotations at run time
    typer.Option(
        "--region",
        help=f"Emergency numbers for {_either(REGIONS)} (default: config, then the locale, then the rules').",
    ),
]
LangOption = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--lang", help=f"Language: {_either(LANGUAGES)} (default: config, then the locale)."),
]
RulesOption = Annotated[
    Optional[Path],  # noqa: UP045
    typer.Option("--rules", help="Use the rule set in DIR instead of the built-in one.", metavar="DIR"),
]
AnswersOption = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--answers", "-f", help="Answers as JSON or YAML; '-' reads stdin.", metavar="FILE|-"),
]
SessionOption = Annotated[
    Optional[Path],  # noqa: UP045
    typer.Option("--session", help="A saved interview session.", metavar="FILE"),
]
NoteOption = Annotated[
    Optional[Path],  # noqa: UP045
    typer.Option(
        "--note", help="Also write the referral note (.md, .txt or .html).", metavar="FILE", parser=note_file
    ),
]
PatientOption = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--patient", help="Patient name or reference printed on the note."),
]
ClinicOption = Annotated[
    Optional[Path],  # noqa: UP045
    typer.Option("--clinic", help="Clinic profile (YAML): the letter's sender.", metavar="FILE"),
]
DetailsOption = Annotated[
    bool,
    typer.Option(
        "--details", help="Text and Markdown: add the scores in full, the evidence and the anatomy."
    ),
]
ForceOption = Annotated[bool, typer.Option("--force", help="Overwrite an existing output file.")]


def _encoding(name: Optional[str]) -> Optional[str]:  # noqa: UP045
    """``--encoding``: a name Python knows as a text encoding, else a usage error."""
    if name is None:  # not given: nothing to check, nothing to import on every start-up
        return None
    from kneeguide.inputs.encoding import checked_encoding

    try:
        return checked_encoding(name)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


def _delimiter(word: str) -> str:
    """``--delimiter``: ``,``, ``;`` or ``tab``, else a usage error."""
    if word.lower() not in (",", ";", "tab", "\t", "\\t"):
        raise typer.BadParameter(f"'{word}': use ',', ';' or tab")
    return word.lower()


EncodingOption = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option(
        "--encoding",
        help="Input text encoding when not UTF-8 (which may have a BOM) or UTF-16/32 with a BOM, "
        "e.g. cp932 for a CSV from Japanese Excel.",
        metavar="NAME",
        callback=_encoding,
    ),
]
DelimiterOption = Annotated[
    str,
    typer.Option(
        "--delimiter",
        help="CSV input: the cell separator, ',' ';' or tab.",
        metavar="CHAR",
        callback=_delimiter,
    ),
]
DebugOption = Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")]

#: What ``--resume`` without a FILE stands for (``main`` puts it in): the latest
#: interrupted interview.
RESUME_LATEST = "latest"
