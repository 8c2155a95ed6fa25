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

    ``ahead``: how many groups of pieces are handed out before the first one's
    results are taken.
    """
    import multiprocessing
    import os
    from collections import deque
    from concurrent.futures import Future, ProcessPoolExecutor

    # A process pool whose workers die (a SIGTERM to the whole process group, as a
    # service manager sends) reports a broken pool instead of deadlocking on a lock.
    context = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
    executor = ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker, initargs=(job,))
    try:
        executor.submit(_ready).result()  # start the workers now, not at the first full block
        pending: deque[list[Future[Result]]] = deque()
        for group in groups():
            pending.append([executor.submit(pooled, piece) for piece in group])
            while len(pending) > ahead:
                for future in pending.popleft():
                    yield future.result()
        while pending:
            for future in pending.popleft():
                yield future.result()
    except BaseException:
        executor.shutdown(wait=False, cancel_futures=True)
        for child in multiprocessing.active_children():
            child.kill()
        # Let the pool's manager thread see its workers gone and close its pipe before
        # the interpreter exits: Python 3.11's exit hook can otherwise write to that pipe
        # while it closes and print a traceback (the race is fixed in 3.12).
        manager = getattr(executor, "_executor_manager_thread", None)
        if manager is not None:
            manager.join(timeout=5)
        raise
    executor.shutdown(wait=True)


# --- in a worker process ------------------------------------------------------------------------

_JOB: Job | None = None  # the worker's job, set once when it starts


def _init_worker(job: Job) -> None:
    """Workers leave interruption to the parent, which stops cleanly and reports."""
    import signal

    global _JOB
    _JOB = job
    settle()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's "save and stop" handler


def _ready() -> bool:
    return True


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
