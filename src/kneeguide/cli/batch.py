"""``kneeguide batch``: many answer sets in (JSON Lines or CSV), one record out for each,
in order.

A bad record becomes an error record and the run goes on. OUTPUT only ever holds
whole records: an interrupted run keeps what it finished and names the row to
resume from (exit status 130); a failed write leaves OUTPUT as it was.
"""

import contextlib
import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, BinaryIO, Optional

import typer

from kneeguide.cli.guard import EXIT_ERROR, EXIT_INTERRUPTED, guarded
from kneeguide.cli.options import AudienceId, DebugOption, RegionOption, RulesOption
from kneeguide.cli.settings import announce_region, batch_settings, load
from kneeguide.errors import InputError, Location, Problem
from kneeguide.files import AtomicWriter
from kneeguide.ids import Audience, RecordFormat

if TYPE_CHECKING:
    from kneeguide.batch.blocks import Job
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

    rules = load(rules_dir)
    in_fmt = _format_of(None if source == "-" else source, input_format)
    out_fmt = _format_of(output, output_format)
    settings = batch_settings(rules, region, audience)
    job = Job(
        rules, api.region_of(rules, settings.region), Audience[audience.upper()], full, out_fmt, resume_from
    )
    announce_region(settings)
    settle()
    raw = _open(source)
    try:
        sink = _sink(output, force, out_fmt)
        tally, interrupted = _run(job, raw, in_fmt, workers, sink, output or "<stdout>")
    finally:
        if raw is not sys.stdin.buffer:
            raw.close()
    sink.commit()
    _summary(tally, rules, interrupted)


def _run(
    job: "Job", raw: BinaryIO, in_fmt: RecordFormat, workers: int, sink: "Sink", shown: str
) -> "tuple[Tally, bool]":
    """Assess every record of ``raw`` into ``sink``, block by block, and count them.

    Returns the tally and whether the run was interrupted (Ctrl-C, SIGTERM, SIGHUP);
    what was written by then is whole records. A failed write abandons ``sink``
    and raises ``InputError`` (naming ``shown``) or ``WriteError``.
    """
    import stat

    from kneeguide.batch.pool import run_rendered, run_text
    from kneeguide.batch.reading import arriving_lines, jsonl_lines, read_csv, text_stream
    from kneeguide.batch.tally import Tally
    from kneeguide.cli.signals import interrupt_on_signals, signals_held

    arriving = not stat.S_ISREG(os.fstat(raw.fileno()).st_mode)  # a pipe or a terminal: as records come
    # what arrives is read by a thread waiting on the pipe: with os.read, which holds no lock at exit
    text = None if arriving else text_stream(raw)
    stream: Iterable[str] = arriving_lines(raw.fileno()) if text is None else text
    # JSON lines are parsed with their block (by its worker, with --workers): little waits parsed
    records: Iterable[Any] = read_csv(stream) if in_fmt is RecordFormat.CSV else jsonl_lines(stream)
    if job.resume_from > 1:
        records = (r for r in records if r.row >= job.resume_from)
    interrupt_on_signals()
    tally = Tally()
    progress = _progress()
    try:
        if workers > 1 and in_fmt is RecordFormat.JSONL and text is not None:
            results = run_text(job, text, workers)  # the workers read the lines themselves
        else:
            results = run_rendered(job, records, workers, arriving=arriving)
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
        raise InputError([Problem(f"cannot write: {exc.strerror}", Location(shown))]) from None
    except BaseException:
        sink.abandon()
        raise
    return tally, False


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


def _summary(tally: "Tally", rules: "RuleSet", interrupted: bool) -> None:
    """The summary on stderr (with the disabled red flags and the disclaimer); exit 130
    when interrupted, 2 when a record failed."""
    for line in tally.lines(rules):
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


class _Stdout:
    """Records straight to stdout, with the calls of :class:`kneeguide.files.AtomicWriter`."""

    def write(self, text: str) -> None:
        """One block of records, passed on at once: a reader at the other end of a pipe gets
        each record as it is assessed (Python holds a pipe's output in its buffer otherwise,
        unless ``PYTHONUNBUFFERED`` is set)."""
        sys.stdout.write(text)
        sys.stdout.flush()

    def abandon(self) -> None:
        """After a failed write (a closed pipe): close stdout, so that nothing more is tried."""
        with contextlib.suppress(OSError):
            sys.stdout.close()

    def commit(self) -> None:
        sys.stdout.flush()


#: Where records go: both take whole blocks of text, and are committed or abandoned.
Sink = _Stdout | AtomicWriter


def _sink(output: str | None, force: bool, fmt: RecordFormat) -> Sink:
    """Where the records go: stdout (no OUTPUT, or ``-``), or OUTPUT written atomically,
    owner-only. An existing OUTPUT without ``force`` is a ``WriteError``; so is a folder
    that takes no file. A CSV output starts with its header."""
    from kneeguide.batch.output import csv_header

    sink: Sink = _Stdout() if output is None or output == "-" else AtomicWriter(Path(output), force=force)
    if fmt is RecordFormat.CSV:
        sink.write(csv_header())
    return sink
