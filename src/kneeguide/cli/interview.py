"""``kneeguide interview``: the questions one by one in a terminal, then the report.

The session is saved after every answer; Ctrl-C, a closed terminal or SIGTERM
saves it and names the command that resumes it (exit status 130). After the
report, the user is offered to save the answers, the assessment and the referral
letter: the same letter as ``kneeguide note --session`` gives for this session
(HTML by default, to print; Markdown or text by the file name).
"""

import errno
import shlex
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from kneeguide.cli.guard import EXIT_INTERRUPTED, guarded
from kneeguide.cli.options import (
    RESUME_LATEST,
    AudienceId,
    DebugOption,
    DetailsOption,
    LangOption,
    NoteOption,
    RegionOption,
    RulesOption,
)
from kneeguide.cli.settings import Settings, color, resolve, width
from kneeguide.errors import InputError, KneeguideError, Location, Problem
from kneeguide.ids import Audience, ReportFormat

if TYPE_CHECKING:
    from kneeguide.engine import Assessment
    from kneeguide.interview.lock import SessionLock
    from kneeguide.interview.prompts import Asker
    from kneeguide.interview.resume import Copy
    from kneeguide.interview.session import Session
    from kneeguide.ruleset.model import RuleSet


@guarded
def interview(
    audience: Annotated[
        AudienceId, typer.Option("--audience", help="Plain words (lay) or intake wording (practitioner).")
    ] = Audience.LAY.id,
    region: RegionOption = None,
    lang: LangOption = None,
    note: NoteOption = None,
    resume: Annotated[
        Optional[str],  # noqa: UP045 - typer reads the annotations at run time
        typer.Option(
            "--resume",
            help="Continue a saved interview (the latest one if FILE is left out).",
            metavar="[FILE]",
        ),
    ] = None,
    rules_dir: RulesOption = None,
    plain: Annotated[
        bool,
        typer.Option(
            "--plain",
            help="Numbered line prompts, no cursor movement (screen readers; automatic with TERM=dumb).",
        ),
    ] = False,
    details: DetailsOption = False,
    debug: DebugOption = False,
) -> None:
    """Ask the questions one by one in the terminal, then show the report."""
    from kneeguide.cli.signals import interrupt_on_signals
    from kneeguide.interview.askers import asker_for

    settings = resolve(lang, region, audience, rules_dir)
    rules = settings.rules
    if not sys.stdin.isatty():
        raise InputError([Problem(rules.message("no_terminal", "en"), key="no_terminal")])
    kept: Path | None = None
    lock: SessionLock | None
    if resume is not None:

        def take_copy(copy: "Copy") -> bool:
            return _take_copy(copy, rules, settings.lang, plain=plain)

        session, lock, kept = _resumed(resume, rules, take_copy)
    else:
        session, lock = _started(audience, settings)
    try:  # the session stays locked until the interview ends, however it ends
        asker = asker_for(rules, session.lang, plain=plain)
        if kept is not None:  # in the language the copy was offered in
            asker.show(rules.message("resume_from_copy", settings.lang).format(path=kept))
        if session.rules_digest != rules.digest:  # said on the terminal, wrapped at its width
            asker.show(rules.message("resume_rules_changed", session.lang))
            session.rules_digest = rules.digest
        changed = rules_changed_lines(rules, session.lang)
        for line in changed:  # before the first question ...
            asker.show(line)
        if changed:  # ... and read before the interview's opening words scroll it away
            asker.pause(rules.message("rules_changed_continue", session.lang))
        interrupt_on_signals()
        _run(session, asker, rules, settings, note, resume=resume, plain=plain, details=details)
    finally:
        if lock is not None:
            lock.release()


def _run(
    session: "Session",
    asker: "Asker",
    rules: "RuleSet",
    settings: Settings,
    note: Path | None,
    *,
    resume: str | None,
    plain: bool,
    details: bool,
) -> None:
    """The interview over ``session``, the report and the offers to save; Ctrl-C, a closed
    terminal or SIGTERM save the session and name the command that resumes it (exit 130)."""
    from kneeguide.interview.loop import Interview
    from kneeguide.interview.plain import PlainAsker

    try:
        result = Interview(
            rules,
            session,
            asker,
            color=sys.stderr.isatty() and not isinstance(asker, PlainAsker),
            # The locale did not say where the person is: ask before any number is shown.
            ask_region=resume is None and settings.region_source == "default",
            remember=_remember,
        ).run()
        _report(result, rules, note, settings, session, plain=isinstance(asker, PlainAsker), details=details)
        offer_saves(rules, session, result, asker, clinic=settings.clinic)
    except (KeyboardInterrupt, EOFError):
        if session.status == "completed":  # only the offers to save were left
            sys.stderr.write("\n" + rules.message("interrupted_after_report", session.lang) + "\n")
            raise typer.Exit(EXIT_INTERRUPTED) from None
        if not session.steps:  # nothing answered: no file holds an empty interview
            sys.stderr.write("\n")
            asker.show(rules.message("nothing_saved", session.lang))  # wrapped for the terminal
            raise typer.Exit(EXIT_INTERRUPTED) from None
        session.save()
        command = f"{invocation()} interview --resume {shlex.quote(str(session.path))}"
        lines = command_lines(command, asker.width())
        sys.stderr.write(
            "\n" + rules.message("interrupted", session.lang).format(command="\n" + "\n".join(lines)) + "\n"
        )
        raise typer.Exit(EXIT_INTERRUPTED) from None


def rules_changed_lines(rules: "RuleSet", lang: str) -> list[str]:
    """What the interview says before its first question when ``rules`` switches red flags
    off or rewords safety texts: a heading, the rule set's label and each warning (the
    report says it again at its top); nothing for a rule set that changes neither."""
    from kneeguide.engine.advice import announced_of
    from kneeguide.engine.announced import rules_used
    from kneeguide.render.common import rules_label, typography

    said = announced_of(rules, lang)
    if not said:
        return []
    label = rules_label(rules_used(rules), rules, lang, short=True)
    shown = typography(rules, lang).label(rules.message("label_rules", lang), label)
    return [rules.message("heading_rules_changed", lang), shown, *said, ""]


def command_lines(command: str, width: int) -> list[str]:
    """``command`` as indented lines of at most ``width`` columns, broken between its
    words with the shell's line continuation (" \\"): written as one line, the terminal
    would cut it anywhere ("--r" / "esume" at 50 columns) and a person copying it would
    have to mend it. A word wider than a line (a deep path) has a line of its own."""
    from wcwidth import wcswidth

    words = [shlex.quote(part) for part in shlex.split(command)]
    lines: list[str] = []
    current = ""
    for n, word in enumerate(words, 1):
        joined = f"{current} {word}" if current else word
        indent = "    " if lines else "  "
        more = " \\" if n < len(words) else ""  # a line that goes on ends with the continuation
        if current and wcswidth(indent + joined + more) > width:
            lines.append(indent + current + " \\")
            current = word
        else:
            current = joined
    lines.append(("    " if lines else "  ") + current)
    return lines


def _remember(region: str) -> Path:
    from kneeguide.inputs.config import remember_region

    return remember_region(region)


def invocation() -> str:
    """The command that started this program, as the person can type it again.

    After the Quick start, ``kneeguide`` lives in ``.venv/bin`` and is not on
    PATH; a resume hint that says bare ``kneeguide`` would not run.
    """
    import os
    import shutil

    argv0 = sys.argv[0]
    if os.path.basename(argv0) == "__main__.py":
        return f"{shlex.quote(sys.executable)} -m kneeguide"
    if os.sep in argv0:
        found = shutil.which("kneeguide")
        try:
            if found is not None and os.path.samefile(found, argv0):
                return "kneeguide"
        except OSError:
            pass
        return shlex.quote(argv0)
    return "kneeguide"


def _started(audience: str, settings: Settings) -> tuple["Session", "SessionLock | None"]:
    """A new session, locked for this interview; the region and language are checked
    before any prompt."""
    from kneeguide import api
    from kneeguide.interview.session import Session

    rules = settings.rules
    chosen = api.region_of(rules, settings.region)
    api.assess({}, rules=rules, lang=settings.lang)  # validates the language before any prompt
    return Session.started(audience, chosen, settings.lang, rules.digest)


def _resumed(
    resume: str, rules: "RuleSet", take_copy: Callable[["Copy"], bool]
) -> tuple["Session", "SessionLock", Path | None]:
    """The saved session ``resume`` (or the latest), locked for this interview, its answers
    checked against ``rules`` (its ``rules_digest`` still the one it began with, for the
    caller to say if they changed), and where a damaged file was kept when its intact copy
    was taken instead (``take_copy`` asks; see ``session.open_to_resume``)."""
    from kneeguide.interview.resume import open_to_resume
    from kneeguide.ruleset.answers import check_answers

    found = open_to_resume(None if resume == RESUME_LATEST else Path(resume), take_copy)
    session = found.session
    try:
        checked, problems = check_answers(session.answers, rules.questions, where=Location(str(session.path)))
        if problems:
            raise InputError(problems)
    except BaseException:
        found.lock.release()
        raise
    session.answers = dict(checked)
    return session, found.lock, found.kept


def _take_copy(copy: "Copy", rules: "RuleSet", lang: str, *, plain: bool) -> bool:
    """Whether the person goes on from the intact copy of a damaged session: asked on the
    terminal, Enter for yes (it is the interview they asked for, an answer or so earlier);
    a closed terminal is a no."""
    from kneeguide.interview.askers import asker_for

    question = rules.message("resume_damaged_copy", lang).format(
        path=copy.damaged, saved=copy.saved, count=copy.answers
    )
    try:
        return asker_for(rules, lang, plain=plain).confirm(question, True)
    except EOFError:
        return False


def _report(
    result: "Assessment",
    rules: "RuleSet",
    note: Path | None,
    settings: Settings,
    session: "Session",
    *,
    plain: bool,
    details: bool = False,
) -> None:
    """The report on stdout (no colour after line prompts: a screen reader would read the
    codes), and the letter in ``note`` if asked for (overwritten; none for a session with
    no answers, which has nothing to refer)."""
    from kneeguide.render import render

    shown = render(
        ReportFormat.TEXT, result, rules, color=color() and not plain, width=width(), details=details
    )
    sys.stdout.write(shown)
    sys.stdout.flush()
    if note is not None and session.answers:
        from kneeguide.cli.notes import write_note

        write_note(note, result, rules, None, settings.clinic, True, session=session)


def offer_saves(
    rules: "RuleSet",
    session: "Session",
    result: "Assessment",
    asker: "Asker",
    *,
    clinic: str | Path | None = None,
) -> None:
    """Offer to save the answers, the assessment (JSON) and the referral letter (HTML to
    print, or Markdown or text by the file name's suffix; from the ``clinic`` profile if
    given), each to a path the user picks; a file that cannot be written is said, not
    fatal. An empty session is offered nothing: it has no answers to keep or refer."""
    import json

    from kneeguide.cli.notes import SUFFIXES, note_text
    from kneeguide.files import write_atomic
    from kneeguide.ids import NoteFormat
    from kneeguide.render import render

    if not session.answers:
        return

    stamp = datetime.now().strftime("%Y%m%d-%H%M")
    lang = session.lang

    def offer(key: str, default_name: str, content: Callable[[Path], str]) -> None:
        if asker.confirm(rules.message(key, lang), False):
            target = Path(asker.path(rules.message("ask_path", lang), default_name)).expanduser()
            if target.exists() and not asker.confirm(
                rules.message("ask_overwrite", lang).format(path=target), False
            ):
                return
            try:
                write_atomic(target, content(target))
            except KneeguideError as exc:  # a read-only folder or a full disk: say so, keep going
                for line in save_failed(rules, lang, target, exc):
                    asker.show(line)
                return
            asker.show(rules.message("saved_to", lang).format(path=target))

    def letter(target: Path) -> str:
        fmt = SUFFIXES.get(target.suffix.lower(), NoteFormat.MARKDOWN)
        return note_text(fmt, result, rules, None, clinic, session=session)

    offer(
        "offer_save_answers",
        f"kneeguide-answers-{stamp}.json",
        lambda _: json.dumps(session.answers, ensure_ascii=False, indent=2) + "\n",
    )
    offer(
        "offer_save_assessment",
        f"kneeguide-assessment-{stamp}.json",
        lambda _: render(ReportFormat.JSON, result, rules),
    )
    offer("offer_note", f"kneeguide-note-{stamp}.html", letter)


#: The save_reason_* message for the system errors a person can do something about
#: (by name: not every platform has every code).
_REASONS = {
    code: key
    for names, key in (
        (("EACCES", "EPERM", "EROFS"), "save_reason_permission"),
        (("ENOSPC", "EDQUOT", "EFBIG"), "save_reason_no_space"),
        (("ENOENT", "ENOTDIR"), "save_reason_no_folder"),
        (("EISDIR",), "save_reason_directory"),
    )
    for name in names
    if (code := getattr(errno, name, None)) is not None
}


def save_failed(rules: "RuleSet", lang: str, target: Path, exc: KneeguideError) -> list[str]:
    """Why a file the person chose was not written, in their language.

    In English, kneeguide's own words for the error, as every command prints it
    (``kneeguide: PATH: cannot write here: Permission denied``). In another language
    the system's English would be the only English on the screen, so the reason is
    said in that language when it is a common one (no permission, a full disk, no
    such folder), read from the system error the write failed with.
    """
    if lang == "en":
        return [f"kneeguide: {line}" for line in exc.lines()]
    cause = exc.__context__  # the OSError the write failed with (raised "from None", still kept)
    key = _REASONS.get(cause.errno) if isinstance(cause, OSError) and cause.errno is not None else None
    reasons = [rules.message(key, lang)] if key else [p.message for p in exc.problems]
    return [rules.message("save_failed", lang).format(path=target, reason=reason) for reason in reasons]
