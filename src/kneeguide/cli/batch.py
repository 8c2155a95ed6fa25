"""``kneeguide batch``: many answer sets in (JSON Lines or CSV), one record out for each,
in order.

A bad record becomes an error record and the run goes on. OUTPUT only ever holds
whole records: an interrupted run keeps what it finished and names the row to
resume from (exit status 130); a failed write leaves OUTPUT as it was.
"""

import contextlib
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Annotated, Any, BinaryIO, NoReturn, Optional

import typer

from kneeguide.batch.output import crlf
from kneeguide.cli.guard import EXIT_ERROR, EXIT_INTERRUPTED, guarded, say
from kneeguide.cli.options import (
    AudienceId,
    DebugOption,
    DelimiterOption,
    EncodingOption,
    RegionOption,
    RulesOption,
)
from kneeguide.cli.settings import announce_region, batch_settings, load
from kneeguide.cli.stdout import StdoutFailed
from kneeguide.errors import InputError, Location, Problem
from kneeguide.files import AtomicWriter
from kneeguide.ids import Audience, RecordFormat
from kneeguide.osfiles import descriptor_of

if TYPE_CHECKING:
    from kneeguide.batch.blocks import Job, Rendered
    from kneeguide.batch.opening import Input
    from kneeguide.batch.tally import Tally
    from kneeguide.ruleset.model import RuleSet


@guarded
def batch(
    source: Annotated[
        str, typer.Argument(help="JSON Lines or CSV file of answer sets; '-' reads stdin.", metavar="INPUT")
    ],
    output: Annotated[
        Optional[str],  # noqa: UP045 - typer reads the annotations at run time
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
    excel: Annotated[
        bool,
        typer.Option(
            "--excel", help="CSV for Excel: UTF-8 with a byte order mark and CRLF line ends (implies CSV)."
        ),
    ] = False,
    encoding: EncodingOption = None,
    delimiter: DelimiterOption = ",",
    region: RegionOption = None,
    audience: Annotated[AudienceId, typer.Option("--audience")] = Audience.LAY.id,
    rules_dir: RulesOption = None,
    debug: DebugOption = False,
) -> None:
    """Assess many answer sets: one output record per input record, in order.

    A bad record gives an error record and the run goes on; the summary goes to
    stderr, and the exit status is 2 if any record failed.
    """
    from kneeguide import api
    from kneeguide.batch.blocks import Job
    from kneeguide.batch.pool import settle
    from kneeguide.batch.tally import Tally

    sink: Sink | None = None
    try:
        rules = load(rules_dir)
        in_fmt = _format_of(None if source == "-" else source, input_format)
        if excel and output_format is RecordFormat.JSONL:
            raise InputError([Problem("--excel writes CSV: it cannot go with --output-format jsonl")])
        if excel and output is not None and output.lower().endswith((".jsonl", ".json", ".ndjson")):
            raise InputError([Problem(f"--excel writes CSV: name the output .csv, not {output!r}")])
        out_fmt = RecordFormat.CSV if excel else _format_of(output, output_format)
        settings = batch_settings(rules, region, audience)
        region_code = api.region_of(rules, settings.region)
        job = Job(rules, region_code, Audience[audience.upper()], full, out_fmt, resume_from)
        settle()
        raw = _open(source)
    except KeyboardInterrupt:
        _stopped(Tally(next_row=resume_from))
    try:
        try:
            from kneeguide.batch.csv_records import DELIMITERS
            from kneeguide.batch.opening import open_input

            shown = "<stdin>" if source == "-" else source
            _refuse_own_input(raw, shown, output)  # before anything is read
            # what would spoil every record (the encoding, a CSV header) is refused before any is written
            csv_in, split = in_fmt is RecordFormat.CSV, DELIMITERS[delimiter]
            given = open_input(raw, shown, csv_in, encoding, split, columns=rules.questions)
            # a CSV from Excel with a BOM goes back to Excel with one (a pipe's BOM is known here for CSV)
            bom = excel or (out_fmt is RecordFormat.CSV and given.decoder.bom)
            sink = made = _sink(output, force, out_fmt, bom=bom, crlf=excel)
            announce_region(settings)  # once the input is taken: a refused one is one line, not two
        except KeyboardInterrupt:
            if sink is not None:
                sink.abandon()
            _stopped(Tally(next_row=resume_from))
        tally, interrupted = _run(job, given, workers, made, output or "<stdout>")
    finally:
        if raw is not sys.stdin.buffer:
            raw.close()
    _finish(made, tally, rules, interrupted)


def _run(job: "Job", given: "Input", workers: int, sink: "Sink", shown: str) -> "tuple[Tally, bool]":
    """Assess every record of ``given`` into ``sink``, block by block, and count them.

    Returns the tally and whether the run was interrupted (Ctrl-C, SIGTERM, SIGHUP);
    what was written by then is whole records, and the tally counts exactly those
    (its ``next_row`` is the row to resume from). The workers, if any, are gone when
    this returns. A failed write abandons ``sink`` and raises ``InputError`` (naming
    ``shown``) or ``WriteError``; so does input from a pipe that turns out not to be
    text (``InputError``, after the records before it).
    """
    from kneeguide.batch.pool import run_rendered, run_text
    from kneeguide.batch.tally import Tally
    from kneeguide.cli.signals import interrupt_on_signals, signals_held

    # JSON lines are parsed with their block (by its worker, with --workers): little waits parsed
    records: Iterable[Any] = given.records
    if job.resume_from > 1:
        records = (r for r in records if r.row >= job.resume_from)
    interrupt_on_signals()
    tally = Tally(next_row=job.resume_from)
    progress = _progress()
    results: Iterator[Rendered] = iter(())
    try:
        if workers > 1 and given.lines is not None:
            results = run_text(job, given.lines, workers)  # the workers read the lines themselves
        else:
            results = run_rendered(job, records, workers, arriving=given.arriving)
        for done in results:
            with signals_held():  # a block is written and counted as one step
                sink.write(done.text)
                tally.merge(done.tally)
            if progress is not None:
                progress(tally.records)
    except KeyboardInterrupt:
        return tally, True
    except OSError as exc:  # a full disk or a vanished folder while writing
        sink.abandon()
        if isinstance(exc, StdoutFailed):
            raise  # said as every command says it (kneeguide.cli.app.main)
        raise InputError([Problem(f"cannot write: {exc.strerror}", Location(shown))]) from None
    except BaseException:
        sink.abandon()
        raise
    finally:
        with signals_held():  # the workers ended (and reaped) now, not when the generator is collected
            _close(results)
        if progress is not None:
            progress(None)  # the counter's line cleared for what stderr says next
    return tally, False


def _close(results: Iterator[Any]) -> None:
    close = getattr(results, "close", None)
    if close is not None:
        close()


def _refuse_own_input(raw: BinaryIO, shown: str, output: str | None) -> None:
    """Refuse an output that is the input itself (the same file, a hard link, a symlink to
    it, ``/dev/stdin`` when stdin comes from it, stdout redirected onto it), before anything
    is read: it would be replaced by records of itself, or read while it grows. A terminal
    (or ``/dev/null``) is read and written alike, and may be both. Raises ``InputError``."""
    import os
    import stat

    try:
        read = os.fstat(raw.fileno())
    except (OSError, ValueError):  # pragma: no cover - an input without a descriptor
        return
    if stat.S_ISCHR(read.st_mode):
        return
    to_stdout = output is None or output == "-"
    try:
        written = os.fstat(sys.stdout.fileno()) if to_stdout else os.stat(output or "")
    except (OSError, ValueError):  # no such file yet (or no stdout): nothing to overwrite
        return
    if (written.st_dev, written.st_ino) == (read.st_dev, read.st_ino):
        where = "<stdout>" if to_stdout else str(output)
        raise InputError(
            [
                Problem(
                    f"this is the input {shown!r} itself: nothing was read; write the records elsewhere",
                    Location(where),
                )
            ]
        )


def _format_of(name: str | None, given: RecordFormat | None) -> RecordFormat:
    """The format given, else CSV for a ``.csv`` name, else JSON Lines."""
    if given is not None:
        return given
    if name and name.lower().endswith(".csv"):
        return RecordFormat.CSV
    return RecordFormat.JSONL


def _open(source: str) -> BinaryIO:
    """The binary input: stdin for ``'-'``, else the file (closed by the caller)."""
    if source == "-":
        return sys.stdin.buffer
    try:
        return open(source, "rb")  # closed by the caller
    except OSError as exc:
        raise InputError([Problem(f"cannot read: {exc.strerror}", Location(source))]) from None


def _finish(sink: "Sink", tally: "Tally", rules: "RuleSet", interrupted: bool) -> None:
    """Put the output in place and say how the run went, with interruptions held: what the
    summary says is what the output holds. An interruption that comes now finds every
    record written and changes nothing (in the program it stays held until the process
    ends, a few milliseconds later; :func:`kneeguide.cli.app.main`)."""
    from kneeguide.interrupts import block_in_this_thread, in_the_program, take_held, unblock

    held = block_in_this_thread()
    try:
        sink.commit()
        _summary(tally, rules, interrupted)
    finally:
        take_held()
        if not in_the_program():
            unblock(held)


def _stopped(tally: "Tally") -> NoReturn:
    """Interrupted before any record was written: say so, with the row to resume from."""
    sys.stderr.write(
        "kneeguide batch: interrupted before any record was written; "
        f"continue with --resume-from {tally.next_row}\n"
    )
    raise typer.Exit(EXIT_INTERRUPTED)


def _summary(tally: "Tally", rules: "RuleSet", interrupted: bool) -> None:
    """The summary on stderr (for a custom rule set its label, the red flags it switches
    off and the safety texts it rewords; the disclaimer); exit 130
    when interrupted (with the row to resume from: the first not written), 2 when a
    record failed."""
    say(tally.lines(rules), "kneeguide batch")  # escaped: a line may echo an id from the input
    if interrupted:
        if not tally.records:
            _stopped(tally)
        sys.stderr.write(
            f"kneeguide batch: interrupted after row {tally.last_row}; "
            f"the output holds complete records only; continue with --resume-from {tally.next_row}\n"
        )
        raise typer.Exit(EXIT_INTERRUPTED)
    if tally.errors:
        raise typer.Exit(EXIT_ERROR)


def _progress() -> Callable[[int | None], None] | None:
    """A record counter on stderr, only when stderr is a terminal; ``None`` clears its line
    (carriage return, then ECMA-48 "erase in line"), so the summary starts on a clean one."""
    if not sys.stderr.isatty():
        return None

    def show(count: int | None) -> None:
        sys.stderr.write("\r\x1b[K" if count is None else f"\r  {count:,} records assessed ")
        sys.stderr.flush()

    return show


class _Stdout:
    """Records straight to stdout, with the calls of :class:`kneeguide.files.AtomicWriter`.

    ``utf8``: write UTF-8 bytes whatever the terminal's encoding (a CSV for Excel is a
    UTF-8 file, even through ``>`` on a cp932 console). On a terminal, what a record
    echoes from the input is shown, not acted on (:func:`~kneeguide.render.escape.terminal_records`)."""

    def __init__(self, utf8: bool = False, fmt: RecordFormat = RecordFormat.JSONL) -> None:
        self.utf8 = utf8
        self.json = fmt is RecordFormat.JSONL
        self.tty = sys.stdout.isatty()

    def write(self, text: str) -> None:
        """One block of records, passed on at once: a reader at the other end of a pipe gets
        each record as it is assessed (Python holds a pipe's output in its buffer otherwise,
        unless ``PYTHONUNBUFFERED`` is set). A write that does not all arrive raises
        (``StdoutFailed``, ``BrokenPipeError``)."""
        if self.tty:
            from kneeguide.render.escape import terminal_records

            text = terminal_records(text, self.json)
        if self.utf8:
            sys.stdout.flush()
            sys.stdout.buffer.write(text.encode("utf-8"))
            sys.stdout.buffer.flush()
            return
        sys.stdout.write(text)
        sys.stdout.flush()

    def abandon(self) -> None:
        """After a failed write (a closed pipe): close stdout, so that nothing more is tried."""
        with contextlib.suppress(OSError):
            sys.stdout.close()

    def commit(self) -> None:
        sys.stdout.flush()


class _Excel:
    """A CSV sink for Excel around another: every record line ends in CRLF (a line break
    inside a quoted cell stays as it is)."""

    def __init__(self, sink: "_Stdout | AtomicWriter") -> None:
        self.sink = sink

    def write(self, text: str) -> None:
        self.sink.write(crlf(text))

    def abandon(self) -> None:
        self.sink.abandon()

    def commit(self) -> None:
        self.sink.commit()


#: Where records go: all take whole blocks of text, and are committed or abandoned.
Sink = _Stdout | AtomicWriter | _Excel


def _sink(
    output: str | None, force: bool, fmt: RecordFormat, *, bom: bool = False, crlf: bool = False
) -> Sink:
    """Where the records go: stdout (no OUTPUT, ``-`` or ``/dev/stdout``), or OUTPUT written
    atomically, owner-only; a device or a FIFO is written to, not replaced. An existing
    OUTPUT without ``force`` is a ``WriteError``; so are an empty name, a name too long, a
    folder, and a folder that takes no file (:class:`~kneeguide.files.AtomicWriter`). A CSV
    output starts with its header; ``bom`` puts a UTF-8 byte order mark before it (Excel
    then reads the file as UTF-8, not as the system's code page: 佐藤, not 菴占陸), ``crlf``
    ends each record line in CRLF (``--excel`` gives both; an input that began with a BOM
    gives ``bom`` to a CSV output)."""
    from kneeguide.batch.output import csv_header

    to_stdout = output is None or output == "-" or descriptor_of(output) == 1  # -o /dev/stdout
    plain = _Stdout(bom, fmt) if to_stdout or output is None else AtomicWriter(output, force=force)
    sink: Sink = _Excel(plain) if crlf and fmt is RecordFormat.CSV else plain
    if fmt is RecordFormat.CSV:
        sink.write(("\ufeff" if bom else "") + csv_header())
    return sink
