"""The ``kneeguide`` command: parse, call the core, pick a renderer, exit.

Machine output goes to stdout, everything else to stderr. Every error that is
the user's (bad answers, bad rules) is one line per problem and exit status 2;
a traceback appears only with ``--debug``. Heavy modules (rich, questionary)
are imported inside the commands that need them.
"""

import contextlib
import functools
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Optional, TypeVar

import typer

from kneeguide import __version__
from kneeguide.errors import InputError, KneeguideError, Location, Problem
from kneeguide.render import Format

_DEBUG = False

EXIT_OK = 0
EXIT_ERROR = 2
EXIT_FAIL_ON = 3
EXIT_INTERRUPTED = 130
MAX_ANSWERS_BYTES = 1024 * 1024

app = typer.Typer(
    name="kneeguide",
    help="Educational triage helper for pain behind the knee. Not a diagnosis.",
    invoke_without_command=True,
    pretty_exceptions_show_locals=False,
    add_completion=False,
)
rules_app = typer.Typer(help="Check and inspect rule sets.", no_args_is_help=True)
app.add_typer(rules_app, name="rules")


class LevelChoice(str, Enum):
    self_care = "self_care"
    routine = "routine"
    soon = "soon"
    urgent = "urgent"
    emergency = "emergency"


class AudienceChoice(str, Enum):
    lay = "lay"
    practitioner = "practitioner"


class ListFormat(str, Enum):
    text = "text"
    json = "json"


F = TypeVar("F", bound=Callable[..., None])


def guarded(func: F) -> F:
    """Turn kneeguide's own errors into one line each and exit status 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        try:
            func(*args, **kwargs)
        except KneeguideError as exc:
            if _DEBUG:
                raise
            for line in _localized(exc):
                sys.stderr.write(f"kneeguide: {line}\n")
            raise typer.Exit(EXIT_ERROR) from None
        except KeyboardInterrupt:
            sys.stderr.write("kneeguide: interrupted\n")
            raise typer.Exit(EXIT_INTERRUPTED) from None

    return wrapper  # type: ignore[return-value]


#: The rules and language of the running command, once known, for error messages.
_SPEAK: dict[str, Any] = {}


def _localized(exc: KneeguideError) -> list[str]:
    rules, lang = _SPEAK.get("rules"), _SPEAK.get("lang", "en")
    if rules is None or lang == "en":
        return exc.lines()

    def translate(key: str, params: dict[str, str]) -> str | None:
        if key not in rules.messages or lang not in rules.messages[key]:
            return None
        fill = dict(params)
        question = rules.questions.get(params.get("id", ""))
        if question is not None:
            from kneeguide.ruleset.model import expected_text

            fill["expected"] = expected_text(question, rules, lang)
        try:
            return str(rules.messages[key][lang].format(**fill))
        except (KeyError, IndexError, ValueError):
            return None

    return [p.localized(translate) for p in exc.problems]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kneeguide {__version__}")
        raise typer.Exit(EXIT_OK)


LATEST = "latest"


@app.callback()
@guarded
def _root(
    ctx: typer.Context,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
) -> None:
    """Educational triage helper for pain behind the knee. Not a diagnosis.

    Run without a command in a terminal to start the interview. With answers
    piped on stdin (JSON or YAML), prints the JSON assessment instead.
    """
    if ctx.invoked_subcommand is not None:
        return
    if sys.stdin.isatty():
        ctx.invoke(interview)
        return
    data = sys.stdin.buffer.read(MAX_ANSWERS_BYTES + 1)
    if not data.strip():
        from kneeguide.inputs.config import locale_lang

        rules = _load(None)
        lang = locale_lang() if locale_lang() in rules.languages else "en"
        raise InputError([Problem(rules.message("no_terminal", lang))])
    _assess_piped(data)


def _assess_piped(data: bytes) -> None:
    """Answers arrived on a pipe: no prompts, JSON out."""
    from kneeguide import api
    from kneeguide.render import render

    rules = _load(None)
    clean = collect_answers(rules, "-", [], data)
    result = api.assess(clean, rules=rules)
    sys.stdout.write(render(Format.JSON, result, rules))


RegionOption = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--region", help="Emergency numbers for JP, US, UK, EU or AU."),
]
RulesOption = Annotated[
    Optional[Path],  # noqa: UP045 - typer needs Optional at runtime on 3.9-style evaluation
    typer.Option("--rules", help="Use the rule set in DIR instead of the built-in one.", metavar="DIR"),
]

LangOption = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--lang", help="Language: en or ja (default: config, then the locale)."),
]
NoteOption = Annotated[
    Optional[Path],  # noqa: UP045
    typer.Option("--note", help="Also write the referral note (.md, .txt or .html).", metavar="FILE"),
]
PatientOption = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--patient", help="Patient name or reference printed on the note."),
]
ClinicOption = Annotated[
    Optional[Path],  # noqa: UP045
    typer.Option("--clinic", help="Clinic profile (YAML) named on routine notes.", metavar="FILE"),
]
ForceOption = Annotated[bool, typer.Option("--force", help="Overwrite an existing output file.")]


def _load(rules_dir: Path | None) -> Any:
    from kneeguide.api import load_rules

    return load_rules(rules_dir)


def read_answers_source(source: str, data: bytes | None = None) -> tuple[Any, str]:
    """Read an answers file or stdin ('-') as JSON or YAML, with located errors."""
    from kneeguide.ruleset.yamlio import decode, parse

    shown = "<stdin>" if source == "-" else source
    try:
        if data is not None:
            pass
        elif source == "-":
            data = sys.stdin.buffer.read(MAX_ANSWERS_BYTES + 1)
        else:
            with open(source, "rb") as handle:
                data = handle.read(MAX_ANSWERS_BYTES + 1)
    except FileNotFoundError:
        raise InputError(
            [Problem("answers file not found", Location(shown), "err_answers_not_found")]
        ) from None
    except IsADirectoryError:
        raise InputError(
            [Problem("is a directory, not an answers file", Location(shown), "err_answers_directory")]
        ) from None
    except OSError as exc:
        raise InputError([Problem(f"cannot read answers: {exc.strerror}", Location(shown))]) from None
    if len(data) > MAX_ANSWERS_BYTES:
        raise InputError([Problem("answers larger than 1 MiB", Location(shown), "err_answers_too_large")])
    try:
        doc = parse(decode(data, shown), shown)
    except KneeguideError as exc:
        raise InputError(exc.problems) from None
    if doc is None:
        raise InputError([Problem("no answers: the file is empty", Location(shown), "err_answers_empty")])
    if not isinstance(doc, dict):
        raise InputError(
            [
                Problem(
                    "answers must be a mapping of question id to value",
                    Location(shown, 1, 1),
                    "err_answers_not_mapping",
                )
            ]
        )
    return doc, shown


def collect_answers(
    rules: Any, answers_file: str | None, assignments: list[str], data: bytes | None = None
) -> dict[str, Any]:
    """Merge the answers file and ``-a`` options (which win), checking both."""
    from kneeguide.ruleset.answers import check_answers, parse_assignments

    problems: list[Problem] = []
    clean: dict[str, Any] = {}
    if answers_file is not None:
        raw, shown = read_answers_source(answers_file, data)
        where = Location(shown)
        if raw.get("resourceType") == "QuestionnaireResponse":  # FHIR, e.g. from `kneeguide export --fhir`
            from kneeguide.render.fhir import answers_from_response

            raw = answers_from_response(raw)
        from kneeguide.ruleset.yamlio import key_location

        locations = {k: key_location(raw, k, where) for k in raw}
        file_answers, found = check_answers(raw, rules.questions, where=where, locations=locations)
        clean.update(file_answers)
        problems.extend(found)
    if assignments:
        raw_a = parse_assignments(assignments)
        a_answers, found = check_answers(raw_a, rules.questions)
        problems.extend(
            Problem(f"-a {p.message}", None, p.key, (*p.params, ("prefix", "-a "))) for p in found
        )
        clean.update(a_answers)
    if problems:
        raise InputError(problems)
    return clean


def _color() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


def _width() -> int:
    if sys.stdout.isatty():
        import shutil

        return max(60, min(shutil.get_terminal_size().columns, 120))
    return 100


@app.command()
@guarded
def assess(
    answers: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--answers", "-f", help="Answers as JSON or YAML; '-' reads stdin.", metavar="FILE|-"),
    ] = None,
    answer: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option(
            "--answer", "-a", help="One answer as id=value; repeatable; wins over FILE.", metavar="ID=VALUE"
        ),
    ] = None,
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.TEXT,
    region: RegionOption = None,
    audience: Annotated[
        Optional[AudienceChoice],  # noqa: UP045
        typer.Option("--audience", help="Wording and disclaimers for whom (default: lay)."),
    ] = None,
    lang: LangOption = None,
    fail_on: Annotated[
        Optional[LevelChoice],  # noqa: UP045
        typer.Option("--fail-on", help="Exit 3 when the triage level is LEVEL or higher.", metavar="LEVEL"),
    ] = None,
    note: NoteOption = None,
    patient: PatientOption = None,
    clinic: ClinicOption = None,
    force: ForceOption = False,
    rules_dir: RulesOption = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
) -> None:
    """Assess answers without prompting: from a file, stdin or -a options."""
    from kneeguide import api
    from kneeguide.ids import Level
    from kneeguide.render import render

    settings = _settings(lang, region, audience.value if audience else None, rules_dir)
    rules = settings["rules_set"]
    clean = collect_answers(rules, answers, answer or [])
    result = api.assess(
        clean, rules=rules, region=settings["region"], audience=settings["audience"], lang=settings["lang"]
    )
    if note is not None:
        _write_note(note, result, rules, patient, clinic or settings["clinic"], force)
    output = render(fmt, result, rules, color=_color() and fmt is Format.TEXT, width=_width())
    sys.stdout.write(output)
    sys.stdout.flush()
    if fail_on is not None and result.triage.level >= Level.parse(fail_on.value):
        raise typer.Exit(EXIT_FAIL_ON)


@app.command()
@guarded
def questions(
    fmt: Annotated[ListFormat, typer.Option("--format", help="Output format.")] = ListFormat.text,
    audience: Annotated[
        Optional[AudienceChoice],  # noqa: UP045
        typer.Option("--audience", help="Only the questions asked of this audience."),
    ] = None,
    lang: Annotated[str, typer.Option("--lang", help="Language of the wording.")] = "en",
    rules_dir: RulesOption = None,
) -> None:
    """List question ids, types, allowed values and wording."""
    import json

    from kneeguide.ids import Audience
    from kneeguide.ruleset.model import pick

    rules = _load(rules_dir)
    wanted = Audience[audience.value.upper()] if audience else None
    rows = []
    for q in rules.questions.values():
        if wanted is not None and wanted not in q.audiences:
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
    if fmt is ListFormat.json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return
    for row in rows:
        wording = row["practitioner"] if wanted is Audience.PRACTITIONER else row["lay"]
        sys.stdout.write(f"{row['id']:<36} {row['expected']}\n    {wording}\n")


@app.command()
@guarded
def interview(
    audience: Annotated[
        AudienceChoice, typer.Option("--audience", help="Plain words (lay) or intake wording (practitioner).")
    ] = AudienceChoice.lay,
    region: RegionOption = None,
    lang: LangOption = None,
    note: NoteOption = None,
    resume: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--resume",
            help="Continue a saved interview (the latest one if FILE is left out).",
            metavar="[FILE]",
        ),
    ] = None,
    rules_dir: RulesOption = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
) -> None:
    """Ask the questions one by one in the terminal, then show the report."""
    from kneeguide import api
    from kneeguide.interview.prompts import Interview, TerminalAsker
    from kneeguide.interview.session import Session, latest_in_progress

    settings = _settings(lang, region, audience.value, rules_dir)
    rules = settings["rules_set"]
    if not sys.stdin.isatty():
        raise InputError([Problem(rules.message("no_terminal", "en"))])
    if resume is not None:
        path = latest_in_progress() if resume == LATEST else Path(resume)
        if path is None:
            raise InputError([Problem("no interrupted interview to resume")])
        session = Session.load(path)
        from kneeguide.ruleset.answers import check_answers

        checked, problems = check_answers(session.answers, rules.questions, where=Location(str(path)))
        if problems:
            raise InputError(problems)
        session.answers = dict(checked)
        if session.rules_digest != rules.digest:
            sys.stderr.write(
                "kneeguide: note: the rules changed since this interview began; "
                "your answers are kept and checked again\n"
            )
            session.rules_digest = rules.digest
    else:
        chosen = api._region(rules, settings["region"])
        api.assess({}, rules=rules, lang=settings["lang"])  # validates the language before any prompt
        session = Session.new(audience.value, chosen, settings["lang"], rules.digest)
    asker = TerminalAsker(rules, session.lang)
    _interrupt_on_signals()
    try:
        result = Interview(rules, session, asker, color=sys.stderr.isatty()).run()
        from kneeguide.render import render

        sys.stdout.write(render(Format.TEXT, result, rules, color=_color(), width=_width()))
        sys.stdout.flush()
        if note is not None:
            _write_note(note, result, rules, None, settings["clinic"], True)
        _offer_saves(rules, session, result, asker)
    except (KeyboardInterrupt, EOFError):
        if session.status == "completed":  # only the offers to save were left
            sys.stderr.write("\nkneeguide: interrupted\n")
            raise typer.Exit(EXIT_INTERRUPTED) from None
        session.save()
        command = f"kneeguide interview --resume {session.path}"
        sys.stderr.write("\n" + rules.message("interrupted", session.lang).format(command=command) + "\n")
        raise typer.Exit(EXIT_INTERRUPTED) from None


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold Ctrl-C, SIGTERM and SIGHUP until the block ends (they arrive just after).

    An interruption between writing a block and counting it would name the
    wrong row to resume from. Where signals cannot be held (Windows), a block
    is still written whole.
    """
    import signal

    held = {signal.SIGINT} | {getattr(signal, n) for n in ("SIGTERM", "SIGHUP") if hasattr(signal, n)}
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def _interrupt_on_signals() -> None:
    """A closed terminal (SIGHUP) or SIGTERM interrupts like Ctrl-C: save, then exit 130."""
    import signal

    def handler(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), handler)


def _offer_saves(rules: Any, session: Any, result: Any, asker: Any) -> None:
    import json
    from datetime import datetime

    from kneeguide.files import write_atomic
    from kneeguide.render import render

    stamp = datetime.now().strftime("%Y%m%d-%H%M")
    lang = session.lang

    def offer(key: str, default_name: str, content: str) -> None:
        if asker.confirm(rules.message(key, lang), False):
            target = Path(asker.path(rules.message("ask_path", lang), default_name)).expanduser()
            if target.exists() and not asker.confirm(
                rules.message("ask_overwrite", lang).format(path=target), False
            ):
                return
            try:
                write_atomic(target, content)
            except KneeguideError as exc:  # a read-only folder or a full disk: say so, keep going
                for line in exc.lines():
                    asker.show(f"kneeguide: {line}")
                return
            asker.show(rules.message("saved_to", lang).format(path=target))

    offer(
        "offer_save_answers",
        f"kneeguide-answers-{stamp}.json",
        json.dumps(session.answers, ensure_ascii=False, indent=2) + "\n",
    )
    offer("offer_save_assessment", f"kneeguide-assessment-{stamp}.json", render(Format.JSON, result, rules))
    offer("offer_note", f"kneeguide-note-{stamp}.md", render(Format.MARKDOWN, result, rules))


def _settings(
    lang: str | None, region: str | None, audience: str | None, rules_dir: Path | None
) -> dict[str, Any]:
    """Command-line options, then the config file, then the locale."""
    from kneeguide.inputs.config import effective

    chosen = effective(lang, region, audience)
    rules = _load(rules_dir or (Path(chosen["rules"]) if chosen["rules"] else None))
    if lang is None and chosen["lang"] not in rules.languages:
        chosen["lang"] = "en"  # a locale or config default the rules cannot speak: fall back
    chosen["rules_set"] = rules
    _SPEAK.update(rules=rules, lang=chosen["lang"])
    return chosen


def _write_note(path: Path, result: Any, rules: Any, patient: str | None, clinic: Any, force: bool) -> None:
    from datetime import datetime

    from kneeguide.files import write_atomic
    from kneeguide.inputs.clinic import load_clinic
    from kneeguide.render import note as notes

    profile = load_clinic(clinic) if clinic else None
    blocks = notes.build(result, rules, when=datetime.now(), patient=patient, clinic=profile)
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm"):
        text = notes.to_html(blocks, rules, result.lang)
    elif suffix == ".txt":
        text = notes.to_text(blocks, rules, result.lang)
    else:
        text = notes.to_markdown(blocks, rules, result.lang)
    write_atomic(path, text, private=True, force=force)


def _assess_saved(
    session: Path | None,
    answers: str | None,
    lang: str | None,
    region: str | None,
    audience: str | None,
    rules_dir: Path | None,
) -> tuple[Any, dict[str, Any], Any]:
    """Assess a saved session or an answers file: its settings unless options say otherwise."""
    from kneeguide import api
    from kneeguide.interview.session import Session
    from kneeguide.ruleset.answers import check_answers

    saved = Session.load(session) if session is not None else None
    settings = _settings(
        lang or (saved.lang if saved else None),
        region or (saved.region if saved else None),
        audience or (saved.audience if saved else None),
        rules_dir,
    )
    rules = settings["rules_set"]
    if saved is not None:
        clean, problems = check_answers(saved.answers, rules.questions, where=Location(str(session)))
        if problems:
            raise InputError(problems)
    else:
        clean = collect_answers(rules, answers, []) if answers is not None else {}
    result = api.assess(
        clean, rules=rules, region=settings["region"], audience=settings["audience"], lang=settings["lang"]
    )
    return saved, settings, result


class NoteFormat(str, Enum):
    markdown = "markdown"
    text = "text"
    html = "html"


@app.command()
@guarded
def note(
    session: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("--session", help="A saved interview session.", metavar="FILE"),
    ] = None,
    answers: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--answers", "-f", help="Answers as JSON or YAML; '-' reads stdin.", metavar="FILE|-"),
    ] = None,
    output: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("--output", "-o", help="Write here (format from .md/.txt/.html) instead of stdout."),
    ] = None,
    fmt: Annotated[
        NoteFormat, typer.Option("--format", help="Format when writing to stdout.")
    ] = NoteFormat.markdown,
    patient: PatientOption = None,
    clinic: ClinicOption = None,
    lang: LangOption = None,
    region: RegionOption = None,
    audience: Annotated[
        Optional[AudienceChoice],  # noqa: UP045
        typer.Option("--audience", help="Wording for whom (default: the session's, else lay)."),
    ] = None,
    force: ForceOption = False,
    rules_dir: RulesOption = None,
) -> None:
    """Write the referral note from a saved session, an answers file or stdin."""
    from datetime import datetime

    from kneeguide.inputs.clinic import load_clinic
    from kneeguide.render import note as notes

    if (session is None) == (answers is None):
        raise InputError([Problem("give exactly one of --session FILE or --answers FILE|-")])
    _, settings, result = _assess_saved(
        session, answers, lang, region, audience.value if audience else None, rules_dir
    )
    rules = settings["rules_set"]
    if output is not None:
        _write_note(output, result, rules, patient, clinic or settings["clinic"], force)
        return
    profile_path = clinic or settings["clinic"]
    profile = load_clinic(profile_path) if profile_path else None
    blocks = notes.build(result, rules, when=datetime.now(), patient=patient, clinic=profile)
    render_fn = {
        NoteFormat.markdown: notes.to_markdown,
        NoteFormat.text: notes.to_text,
        NoteFormat.html: notes.to_html,
    }[fmt]
    sys.stdout.write(render_fn(blocks, rules, result.lang))


@app.command()
@guarded
def export(
    fhir: Annotated[bool, typer.Option("--fhir", help="A FHIR R4 Bundle (the only format so far).")] = False,
    session: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("--session", help="A saved interview session.", metavar="FILE"),
    ] = None,
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
    import json

    from kneeguide.files import write_atomic
    from kneeguide.render import fhir as fhir_out

    if not fhir:
        raise InputError([Problem("choose an export format: --fhir")])
    saved, settings, result = _assess_saved(session, answers, lang, None, None, rules_dir)
    rules = settings["rules_set"]
    completed = saved is None or saved.status == "completed"
    text = (
        json.dumps(fhir_out.bundle(rules, result, completed=completed), ensure_ascii=False, indent=2) + "\n"
    )
    if output is None:
        sys.stdout.write(text)
    else:
        write_atomic(output, text, private=True, force=force)


config_app = typer.Typer(help="Show the user's defaults.", no_args_is_help=True)
app.add_typer(config_app, name="config")


@config_app.command("show")
@guarded
def config_show() -> None:
    """Print the configuration file's location and the defaults in effect."""
    import yaml

    from kneeguide.inputs.config import config_path, effective

    chosen = effective(None, None, None)
    exists = config_path().is_file()
    sys.stdout.write(f"# {config_path()}{'' if exists else ' (not created; built-in defaults)'}\n")
    sys.stdout.write(yaml.safe_dump({k: v for k, v in chosen.items() if k != "config"}, sort_keys=False))


class RecordFormat(str, Enum):
    jsonl = "jsonl"
    csv = "csv"


def _format_of(name: str | None, given: RecordFormat | None) -> RecordFormat:
    if given is not None:
        return given
    if name and name.lower().endswith(".csv"):
        return RecordFormat.csv
    return RecordFormat.jsonl


@app.command()
@guarded
def batch(
    source: Annotated[
        str, typer.Argument(help="JSON Lines or CSV file of answer sets; '-' reads stdin.", metavar="INPUT")
    ],
    output: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--output", "-o", help="Write records here instead of stdout.", metavar="OUTPUT"),
    ] = None,
    input_format: Annotated[
        Optional[RecordFormat],  # noqa: UP045
        typer.Option("--input-format", help="Default: from the file name (.csv), else jsonl."),
    ] = None,
    output_format: Annotated[
        Optional[RecordFormat],  # noqa: UP045
        typer.Option("--output-format", help="Default: from the output name (.csv), else jsonl."),
    ] = None,
    workers: Annotated[int, typer.Option("--workers", min=1, max=64, help="Processes to use.")] = 1,
    full: Annotated[
        bool, typer.Option("--full", help="Include the whole assessment in each JSON record.")
    ] = False,
    resume_from: Annotated[
        int, typer.Option("--resume-from", min=1, help="Skip input records before this row.", metavar="ROW")
    ] = 1,
    force: Annotated[bool, typer.Option("--force", help="Overwrite OUTPUT if it exists.")] = False,
    region: RegionOption = None,
    audience: Annotated[AudienceChoice, typer.Option("--audience")] = AudienceChoice.lay,
    rules_dir: RulesOption = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
) -> None:
    """Assess many answer sets: one output record per input record, in order.

    A bad record gives an error record and the run goes on; the summary goes to
    stderr, and the exit status is 2 if any record failed.
    """
    from kneeguide import api
    from kneeguide.batch import run as b
    from kneeguide.ids import Audience

    rules = _load(rules_dir)
    in_fmt = _format_of(None if source == "-" else source, input_format)
    out_fmt = _format_of(output, output_format)
    job = b.Job(
        rules, api._region(rules, region), Audience[audience.value.upper()], full, out_fmt.value, resume_from
    )
    b.settle()
    if source == "-":
        raw = sys.stdin.buffer
    else:
        try:
            raw = open(source, "rb")  # noqa: SIM115 - closed below
        except OSError as exc:
            raise InputError([Problem(f"cannot read: {exc.strerror}", Location(source))]) from None
    import stat

    arriving = not stat.S_ISREG(os.fstat(raw.fileno()).st_mode)  # a pipe or a terminal: as records come
    stream = b.text_stream(raw)
    # JSON lines are parsed with their block (by its worker, with --workers): little waits parsed
    records: Iterable[Any] = b.read_csv(stream) if in_fmt is RecordFormat.csv else b.jsonl_lines(stream)
    if resume_from > 1:
        records = (r for r in records if r.row >= resume_from)
    sink = _BatchSink(output, force, out_fmt)
    _interrupt_on_signals()
    tally = b.Tally()
    progress = _progress()
    interrupted = False
    try:
        if workers > 1 and in_fmt is RecordFormat.jsonl and not arriving:
            results = b.run_text(job, stream, workers)  # the workers read the lines themselves
        else:
            results = b.run_rendered(job, records, workers, arriving=arriving)
        for done in results:
            with _signals_held():  # a block is written and counted as one step
                sink.write(done.text)
                tally.merge(done.tally)
            if progress is not None:
                progress(tally.records)
    except KeyboardInterrupt:
        interrupted = True
    except OSError as exc:  # a full disk or a vanished folder while writing
        sink.abandon()
        raise InputError([Problem(f"cannot write: {exc.strerror}", Location(output or "<stdout>"))]) from None
    except BaseException:
        sink.abandon()
        raise
    finally:
        if raw is not sys.stdin.buffer:
            raw.close()
    sink.close()
    for line in tally.lines():
        sys.stderr.write(f"kneeguide batch: {line}\n")
    if interrupted:
        sys.stderr.write(
            f"kneeguide batch: interrupted after row {tally.last_row}; "
            f"the output holds complete records only; continue with --resume-from {tally.last_row + 1}\n"
        )
        raise typer.Exit(EXIT_INTERRUPTED)
    if tally.errors:
        raise typer.Exit(EXIT_ERROR)


def _progress() -> Callable[[int], None] | None:
    """A record counter on stderr, only when stderr is a terminal."""
    if not sys.stderr.isatty():
        return None

    def show(count: int) -> None:
        sys.stderr.write(f"\r  {count:,} records assessed ")
        sys.stderr.flush()

    return show


class _BatchSink:
    """Where batch records go: stdout, or OUTPUT via a temporary file renamed at the end.

    Only whole records are ever written; an interrupted run still renames what it
    has, so OUTPUT holds complete records and nothing torn.
    """

    def __init__(self, output: str | None, force: bool, fmt: RecordFormat) -> None:
        import tempfile

        from kneeguide.batch import run as b

        self.target = None if output is None or output == "-" else Path(output)
        self.temp: str | None = None
        if self.target is None:
            self.handle: Any = sys.stdout
        else:
            if self.target.exists() and not force:
                raise InputError(
                    [Problem("file exists; use --force to overwrite it", Location(str(self.target)))]
                )
            try:
                fd, self.temp = tempfile.mkstemp(
                    prefix=f".{self.target.name}.", suffix=".tmp", dir=self.target.parent
                )
            except OSError as exc:
                raise InputError(
                    [Problem(f"cannot write here: {exc.strerror}", Location(str(self.target)))]
                ) from None
            os.fchmod(fd, 0o600)
            self.handle = open(fd, "w", encoding="utf-8", newline="")  # noqa: SIM115
        if fmt is RecordFormat.csv:
            self.handle.write(b.csv_header())

    def write(self, text: str) -> None:
        self.handle.write(text)

    def abandon(self) -> None:
        """After a write error: remove the temporary file, leave OUTPUT as it was."""
        import contextlib

        with contextlib.suppress(OSError):
            self.handle.close()
        if self.temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(self.temp)
            self.temp = None

    def close(self) -> None:
        self.handle.flush()
        if self.target is None or self.temp is None:
            return
        try:
            os.fsync(self.handle.fileno())
            self.handle.close()
            os.replace(self.temp, self.target)
        except OSError as exc:
            import contextlib

            with contextlib.suppress(OSError):
                os.unlink(self.temp)
            raise InputError([Problem(f"cannot write: {exc.strerror}", Location(str(self.target)))]) from None


RulesDir = Annotated[
    Optional[Path],  # noqa: UP045
    typer.Argument(help="Rules directory (default: the built-in rules).", metavar="DIR"),
]


@rules_app.command("validate")
@guarded
def rules_validate(directory: RulesDir = None) -> None:
    """Check a rule set: schema, cross-references, translations and every rule's examples."""
    from kneeguide.authoring.ruletools import run_tests
    from kneeguide.ruleset.files import load_rules

    rules = load_rules(directory, use_cache=False)
    problems = [
        Problem(f"{r.name}: {'; '.join(r.problems)}", r.location)
        for r in run_tests(rules)
        if r.kind == "example" and r.status == "failed"
    ]
    if problems:
        raise KneeguideError(problems)
    typer.echo(
        f"{rules.source}: rule set {rules.version} is valid "
        f"({len(rules.questions)} questions, {len(rules.red_flags)} red flags, "
        f"{len(rules.causes)} causes; {rules.digest})",
        err=True,
    )


@rules_app.command("test")
@guarded
def rules_test(
    directory: RulesDir = None,
    fmt: Annotated[ListFormat, typer.Option("--format", help="Output format.")] = ListFormat.text,
) -> None:
    """Run every rule's examples and every tests: case; exit 1 if any fails."""
    import json

    from kneeguide.authoring.ruletools import run_tests
    from kneeguide.ruleset.files import load_rules

    rules = load_rules(directory, use_cache=False)
    results = run_tests(rules)
    counts = {k: sum(1 for r in results if r.status == k) for k in ("passed", "failed", "todo")}
    if fmt is ListFormat.json:
        sys.stdout.write(
            json.dumps(
                {
                    "evaluated": len(results),
                    **counts,
                    "results": [
                        {
                            "name": r.name,
                            "kind": r.kind,
                            "rule": r.rule,
                            "status": r.status,
                            "problems": list(r.problems),
                            "location": str(r.location) if r.location else None,
                        }
                        for r in results
                    ],
                },
                ensure_ascii=False,
                indent=2,
            )
            + "\n"
        )
    else:
        for r in results:
            if r.status != "passed":
                where = f"{r.location}: " if r.location else ""
                sys.stdout.write(f"{where}{r.status.upper()}: {r.name}: {'; '.join(r.problems)}\n")
        sys.stdout.write(
            f"{len(results)} evaluated: {counts['passed']} passed, {counts['failed']} failed, "
            f"{counts['todo']} todo\n"
        )
    if counts["failed"]:
        raise typer.Exit(1)


@rules_app.command("coverage")
@guarded
def rules_coverage(
    directory: RulesDir = None,
    fmt: Annotated[ListFormat, typer.Option("--format", help="Output format.")] = ListFormat.text,
) -> None:
    """Which condition leaves of red flags and scores some test makes decisive; exit 1 if a
    red-flag leaf is untested."""
    import json

    from kneeguide.authoring.ruletools import coverage
    from kneeguide.ruleset.files import load_rules

    rules = load_rules(directory, use_cache=False)
    leaves = coverage(rules)
    flag_ids = {f.id for f in rules.red_flags}
    untested_flags = [x for x in leaves if not x.covered and x.rule in flag_ids]
    covered = sum(1 for x in leaves if x.covered)
    if fmt is ListFormat.json:
        sys.stdout.write(
            json.dumps(
                {
                    "leaves": len(leaves),
                    "covered": covered,
                    "untested_red_flag_leaves": len(untested_flags),
                    "items": [
                        {"rule": x.rule, "part": x.part, "leaf": x.text, "covered": x.covered} for x in leaves
                    ],
                },
                indent=2,
            )
            + "\n"
        )
    else:
        for x in leaves:
            if not x.covered:
                where = f"{x.location}: " if x.location else ""
                sys.stdout.write(f"{where}untested: {x.rule} ({x.part}) {x.text}\n")
        sys.stdout.write(
            f"{covered} of {len(leaves)} condition leaves are decisive in some test; "
            f"{len(untested_flags)} red-flag leaves untested\n"
        )
    if untested_flags:
        raise typer.Exit(1)


@rules_app.command("diff")
@guarded
def rules_diff(
    directory: Annotated[Path, typer.Argument(help="A custom rules directory.", metavar="DIR")],
) -> None:
    """Show what a custom rule set changes compared with the built-in rules."""
    from kneeguide.authoring.ruletools import diff
    from kneeguide.ruleset.files import load_rules

    lines = diff(load_rules(directory, use_cache=False), load_rules())
    sys.stdout.write("".join(line + "\n" for line in lines) or "no changes\n")


@rules_app.command("schema")
@guarded
def rules_schema(
    name: Annotated[
        Optional[str],  # noqa: UP045
        typer.Argument(help="A rule file name, e.g. red_flags.yaml (default: all, by file).", metavar="FILE"),
    ] = None,
) -> None:
    """Print the JSON Schema of the rule files (the loader's own schema)."""
    import json

    from kneeguide.ruleset.schema import FILES, json_schema

    if name is None:
        sys.stdout.write(json.dumps({n: json_schema(n) for n in FILES}, indent=2) + "\n")
        return
    if name not in FILES:
        from kneeguide.suggest import did_you_mean

        raise InputError([Problem(f"no rule file '{name}'{did_you_mean(name, list(FILES))}")])
    sys.stdout.write(json.dumps(json_schema(name), indent=2) + "\n")


@rules_app.command("explain")
@guarded
def rules_explain(
    rule_id: Annotated[
        str, typer.Argument(help="A red flag, score, cause, floor or question id.", metavar="ID")
    ],
    rules_dir: RulesOption = None,
) -> None:
    """Print a rule's wording, condition, references and examples."""
    from kneeguide.authoring.explain import explain_rule

    sys.stdout.write(explain_rule(_load(rules_dir), rule_id))


@rules_app.command("strings")
@guarded
def rules_strings(
    lang: Annotated[str, typer.Option("--lang", help="The language to list translations for.")] = "ja",
    missing: Annotated[bool, typer.Option("--missing", help="Only the texts without a translation.")] = False,
    directory: RulesDir = None,
) -> None:
    """List every user-facing text of the rules with its translation, as YAML for translations.yaml."""
    import yaml

    from kneeguide.ruleset.build import english_texts
    from kneeguide.ruleset.files import builtin_rules, read_files

    files = read_files(directory if directory is not None else builtin_rules())
    texts, catalog = english_texts(files)
    known = catalog.get(lang, {})
    entries: dict[str, str] = {}
    for text, _ in texts:
        if text and text not in entries and (not missing or text not in known):
            entries[text] = known.get(text, "")
    sys.stdout.write(yaml.safe_dump({lang: entries}, allow_unicode=True, sort_keys=False, width=1000))


@contextlib.contextmanager
def _only_the_command_in(args: list[str]) -> Iterator[None]:
    """Let typer build only the command about to run.

    Typer turns every registered command into a click command on every run, which
    costs more than a whole assessment. When ``args`` name a known command (the root
    options before it are flags), the others are set aside for this run; anything
    else (``--help``, a misspelt command) sees the whole app, so help and
    "no such command" suggestions are unchanged.
    """
    name = next((a for a in args if not a.startswith("-")), None)
    commands, groups = app.registered_commands, app.registered_groups
    keep = [c for c in commands if c.callback and (c.name or c.callback.__name__.replace("_", "-")) == name]
    keep_groups = [g for g in groups if g.name == name]
    if name is None or not (keep or keep_groups):
        yield
        return
    app.registered_commands, app.registered_groups = keep, keep_groups
    try:
        yield
    finally:
        app.registered_commands, app.registered_groups = commands, groups


def main(argv: list[str] | None = None) -> None:
    """Console entry point. Anything unexpected becomes one line, not a traceback."""
    global _DEBUG
    args = sys.argv[1:] if argv is None else list(argv)
    _DEBUG = "--debug" in args
    if "--resume" in args:  # `--resume` with no FILE means the latest interrupted interview
        at = args.index("--resume")
        if at + 1 == len(args) or args[at + 1].startswith("-"):
            args.insert(at + 1, LATEST)
    try:
        with _only_the_command_in(args):
            app(args=args, prog_name="kneeguide")
    except SystemExit:
        raise
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): nothing worth a traceback.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(EXIT_OK)
    except Exception as exc:
        if _DEBUG:
            raise
        sys.stderr.write(
            f"kneeguide: internal error: {type(exc).__name__} (run again with --debug for details)\n"
        )
        sys.exit(1)
