"""Running a batch: blocks assessed here, or shared out among worker processes, in order.

Every worker gets the :class:`~kneeguide.batch.blocks.Job` once, with the rule
set loaded at the start, so every record carries the digest of the rules that
actually assessed it, even if the files change during the run. Results come
back in input order whatever the number of workers. Workers leave interruption
to the parent, which stops cleanly, keeps what is finished and reports.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any, TypeVar

from kneeguide.batch.blocks import BLOCK, Job, Rendered, process_block, render_block
from kneeguide.batch.reading import Line, Record, jsonl_lines
from kneeguide.batch.split import arriving_blocks, blocks

Result = TypeVar("Result")
Piece = TypeVar("Piece")

PIECE = BLOCK // 4  # lines sent to a worker at a time by run_text


def run_records(job: Job, records: Iterable[Record | Line], workers: int = 1) -> Iterator[dict[str, Any]]:
    """The batch records of ``records``, in order, ``workers`` processes sharing the blocks."""
    for outs in _shared(job, records, workers, False, process_block, _process_block):
        yield from outs


def run_rendered(
    job: Job, records: Iterable[Record | Line], workers: int = 1, *, arriving: bool = False
) -> Iterator[Rendered]:
    """Each block's batch records written out as text and tallied, in order.

    This is what the command uses: with ``--workers`` the workers do the
    formatting too, and this process only writes text, so two workers come
    close to twice the records of one. ``arriving``: the input is a pipe or a
    terminal, so records are assessed as they arrive rather than when a block
    is full (:func:`~kneeguide.batch.split.arriving_blocks`).
    """
    return _shared(job, records, workers, arriving, render_block, _render_block)


def run_text(job: Job, stream: Iterator[str], workers: int) -> Iterator[Rendered]:
    """:func:`run_rendered` for a JSON Lines file and several workers.

    ``stream`` gives the file's lines (:func:`~kneeguide.batch.lines.file_lines`).
    The lines go to the workers as they are, a few hundred at a time, and each
    worker numbers, reads, assesses, formats and tallies its share (from row
    ``job.resume_from``): this process only reads text and writes text.
    """

    def groups() -> Iterator[list[tuple[int, list[str]]]]:
        row = 1
        while True:
            group = []
            for _ in range(workers * 4):
                lines = list(islice(stream, PIECE))
                if not lines:
                    break
                group.append((row, lines))
                row += len(lines)
            if not group:
                return
            yield group

    return _pool(job, groups, workers, 1, _render_text)


def settle() -> None:
    """Exempt everything alive now (the rule set, mostly) from garbage collection.

    A batch allocates a few short-lived objects per record, which sets off the
    cyclic collector every few hundred records; each full collection would walk
    the whole rule set again. Frozen, it is skipped: about a third of a
    record's cost. For a process that runs one batch, not for library callers.
    """
    import gc

    gc.collect()
    gc.freeze()


def _shared(
    job: Job,
    records: Iterable[Record | Line],
    workers: int,
    arriving: bool,
    work: Callable[[Job, list[Record | Line]], Result],
    pooled: Callable[[list[Record | Line]], Result],
) -> Iterator[Result]:
    """``work`` (here) or ``pooled`` (in a worker) on each block of the records, in order."""
    if workers <= 1:
        chunks = arriving_blocks(records, BLOCK) if arriving else blocks(records, BLOCK)
        for block in chunks:
            yield work(job, block)
        return

    def groups() -> Iterator[list[list[Record | Line]]]:
        size = BLOCK * workers
        for block in arriving_blocks(records, size) if arriving else blocks(records, size):
            share = max(1, len(block) // (workers * 4))
            yield [block[i : i + share] for i in range(0, len(block), share)]

    # From a file, one block is handed out ahead, so the workers are busy while this
    # process writes the previous block's records; arriving records go out at once.
    yield from _pool(job, groups, workers, 0 if arriving else 1, pooled)


def _pool(
    job: Job,
    groups: Callable[[], Iterable[list[Piece]]],
    workers: int,
    ahead: int,
    pooled: Callable[[Piece], Result],
) -> Iterator[Result]:
    """``pooled`` on every piece in ``workers`` processes; results in the pieces' order.

    ``ahead``: how many groups of pieces are read beyond the one whose results are
    being taken (0 for input that arrives: reading more could wait for it while
    finished records are held back).

    No thread and no lock of this process is involved: each worker has its own
    pipe and at most one piece at a time, and this process waits on the pipes
    (:func:`multiprocessing.connection.wait`), where an interruption reaches it
    at once. However this generator ends (done, an interruption, an error, or
    closed early), its workers are gone when it has: ended by the parent, never
    waited for while they might be blocked (:class:`~kneeguide.batch.workers.Workers`).
    """
    from kneeguide.batch.workers import Workers

    crew = Workers(workers, _init_worker, job, pooled)
    try:
        yield from crew.ordered(groups(), ahead)
    except BaseException:
        crew.end(kill=True)
        raise
    crew.end(kill=False)


# --- in a worker process ------------------------------------------------------------------------

_JOB: Job | None = None  # the worker's job, set once when it starts


def _init_worker(job: Job) -> None:
    global _JOB
    _JOB = job
    settle()


def _process_block(records: list[Record | Line]) -> list[dict[str, Any]]:
    assert _JOB is not None
    return process_block(_JOB, records)


def _render_block(records: list[Record | Line]) -> Rendered:
    assert _JOB is not None
    return render_block(_JOB, records)


def _render_text(piece: tuple[int, list[str]]) -> Rendered:
    assert _JOB is not None
    first, lines = piece
    return render_block(_JOB, list(jsonl_lines(lines, first, _JOB.resume_from)))
