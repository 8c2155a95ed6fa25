"""The ``kneeguide`` program: the typer app, its root options and the console entry point.

Typer turns every registered command into a click command on every run, and
importing every command's module costs more than a whole assessment, so
:func:`main` builds the app with only the command about to run, imported from
its own module. Anything else (``--help``, no command, a misspelt command) gets
every command, so help and "no such command" suggestions are unchanged.
"""

import importlib
import os
import sys

from kneeguide.interrupts import command_starts, quiet_until_the_command

if sys.argv:  # as the program, before typer loads: a signal while it starts is exit 130, in one line
    quiet_until_the_command(sys.argv[0])
from typing import Annotated, Any

import typer

from kneeguide.cli.guard import EXIT_INTERRUPTED, EXIT_OK, debugging, guarded, set_debug, stdout_failed
from kneeguide.cli.options import RESUME_LATEST, DebugOption
from kneeguide.cli.settings import announce_region, load, resolve
from kneeguide.cli.signals import interruptible
from kneeguide.cli.stdout import StdoutFailed, checked_stdout, flush_stdout
from kneeguide.cli.streams import output_as
from kneeguide.errors import InputError, Problem
from kneeguide.version import __version__

HELP = "Educational triage helper for pain behind the knee. Not a diagnosis."

#: Every command: its name → the module of ``kneeguide.cli`` that defines it and the
#: function there, in the order ``--help`` lists them.
COMMANDS: dict[str, tuple[str, str]] = {
    "assess": ("assess", "assess"),
    "questions": ("questions", "questions"),
    "interview": ("interview", "interview"),
    "note": ("notes", "note"),
    "export": ("notes", "export"),
    "batch": ("batch", "batch"),
}
#: Every group of commands: its name → its module and typer app; listed after the commands.
GROUPS: dict[str, tuple[str, str]] = {
    "rules": ("rules", "rules_app"),
    "config": ("config", "config_app"),
}


def main(argv: list[str] | None = None) -> None:
    """Console entry point: run the command in ``argv`` (default: ``sys.argv[1:]``) and exit.

    Anything unexpected becomes one line and exit status 1, not a traceback
    (unless ``--debug``); a closed stdout (``| head``) ends quietly. Standard output is
    written whole or the command fails loudly: a full disk or an I/O error, during the
    command or in the last flush (done here, not left to the interpreter, which would
    only say "Exception ignored" and exit 120), is one line and exit status 2.
    """
    args = sys.argv[1:] if argv is None else list(argv)
    set_debug("--debug" in args)
    checked_stdout()  # every byte written or StdoutFailed (cli.stdout)
    output_as("text")  # any stdout encoding: a JSON writer switches to escapes (cli.stdout)
    if "--resume" in args:  # `--resume` with no FILE means the latest interrupted interview
        at = args.index("--resume")
        if at + 1 == len(args) or args[at + 1].startswith("-"):
            args.insert(at + 1, RESUME_LATEST)
    try:
        try:
            # Not standalone: click's usage errors come here to be said in one line
            # (cli.usage), and the exit status comes back as a value.
            app = build(next((a for a in args if not a.startswith("-")), None))
            status = app(args=args, prog_name="kneeguide", standalone_mode=False)
        except SystemExit as done:
            flush_stdout()  # a failure here is the command's: what it wrote did not all arrive
            raise done from None
        flush_stdout()
        sys.exit(status if isinstance(status, int) else EXIT_OK)
    except SystemExit:
        raise
    except KeyboardInterrupt:  # an interruption outside the command (which reports its own)
        sys.stderr.write("kneeguide: interrupted\n")
        sys.exit(EXIT_INTERRUPTED)
    except StdoutFailed as exc:
        if debugging():
            raise
        _stdout_to_devnull()  # what is still held would fail again at exit ("Exception ignored")
        sys.exit(stdout_failed(exc.strerror or str(exc)))
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): nothing worth a traceback.
        _stdout_to_devnull()
        sys.exit(EXIT_OK)
    except Exception as exc:
        from kneeguide.cli.usage import usage_error
        from kneeguide.render.escape import terminal

        named = next((a for a in args if not a.startswith("-")), "")
        known = named in COMMANDS or named in GROUPS
        usage = usage_error(exc, f"kneeguide {named}" if known else "kneeguide")  # one line, a hint, exit 2
        if usage is not None:
            sys.stderr.write(terminal(usage[0]) + "\n")  # it may echo what was typed
            sys.exit(usage[1])
        if debugging():
            raise
        sys.stderr.write(
            f"kneeguide: internal error: {type(exc).__name__} (run again with --debug for details)\n"
        )
        sys.exit(1)


def _stdout_to_devnull() -> None:
    """Point standard output's descriptor at the null device: what the streams still hold
    goes nowhere at exit, quietly."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.close(devnull)


def build(name: str | None) -> typer.Typer:
    """The app with the command or group ``name`` only, or with every one when ``name``
    is None or names none of them (the root options before a command are flags, so
    the first argument that is not an option names it)."""
    app = typer.Typer(
        name="kneeguide",
        help=HELP,
        invoke_without_command=True,
        pretty_exceptions_show_locals=False,
        add_completion=False,
    )
    app.callback()(_root)
    every = name not in COMMANDS and name not in GROUPS
    for command, (module, function) in COMMANDS.items():
        if every or command == name:
            app.command(command)(interruptible(_member(module, function)))
    for group, (module, typer_app) in GROUPS.items():
        if every or group == name:
            app.add_typer(_member(module, typer_app), name=group)
    return app


def _member(module: str, name: str) -> Any:
    return getattr(importlib.import_module(f"kneeguide.cli.{module}"), name)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kneeguide {__version__}")
        raise typer.Exit(EXIT_OK)


@guarded
def _root(
    ctx: typer.Context,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
    debug: DebugOption = False,
) -> None:
    """Educational triage helper for pain behind the knee. Not a diagnosis.

    Run without a command in a terminal to start the interview. With answers
    piped on stdin (JSON or YAML), prints the JSON assessment instead.
    """
    if ctx.invoked_subcommand not in COMMANDS:  # a command does it as it starts (cli.signals)
        command_starts()
    if ctx.invoked_subcommand is not None:
        return
    if sys.stdin.isatty():
        from kneeguide.cli.interview import interview

        ctx.invoke(interview)
        return
    from kneeguide.inputs.sources import MAX_ANSWERS_BYTES

    data = sys.stdin.buffer.read(MAX_ANSWERS_BYTES + 1)
    if not data.strip():
        from kneeguide.inputs.config import locale_lang

        rules = load(None)
        lang = locale_lang() if locale_lang() in rules.offered else "en"
        raise InputError([Problem(rules.message("no_terminal", lang))])
    _assess_piped(data)


def _assess_piped(data: bytes) -> None:
    """Answers arrived on a pipe: no prompts, JSON out."""
    from kneeguide import api
    from kneeguide.cli.settings import say_if_nothing_answered
    from kneeguide.ids import ReportFormat
    from kneeguide.inputs.sources import collect_answers
    from kneeguide.render import render

    settings = resolve(None, None, None, None)  # the same order as assess: config, locale, default
    rules = settings.rules
    # the one answer reader of every command; no --encoding here, so a message names assess's
    answers = collect_answers(rules, "-", [], data, option="kneeguide assess -f - --encoding")
    say_if_nothing_answered(answers, rules, settings.lang)
    result = api.assess(answers, rules=rules, region=settings.region, lang=settings.lang)
    sys.stdout.write(render(ReportFormat.JSON, result, rules))
    announce_region(settings)
