"""Cutting the input into blocks: full blocks from a file, what has arrived from a pipe."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import NamedTuple, TypeVar

from kneeguide.interrupts import block_in_this_thread

Item = TypeVar("Item")


def blocks(records: Iterable[Item], size: int) -> Iterator[list[Item]]:
    """The records in lists of ``size`` (the last one shorter)."""
    block: list[Item] = []
    for record in records:
        block.append(record)
        if len(block) >= size:
            yield block
            block = []
    if block:
        yield block


class _Failed(NamedTuple):
    error: BaseException


def arriving_blocks(records: Iterable[Item], size: int) -> Iterator[list[Item]]:
    """Blocks of the records that have arrived, for input that may come slowly.

    From a pipe or a terminal, waiting for a full block could hold a record
    back indefinitely. A reader thread takes the records as they come; a block
    is whatever is there (at most ``size``), so a slow producer's records are
    assessed at once and a fast one's still travel in large blocks. The queue
    is bounded, so memory stays flat however fast the input. An exception
    while reading comes out here, after the records read before it.

    The thread is never waited for: an interrupted run returns at once and leaves
    it blocked on the pipe. That is safe because it holds no lock the interpreter
    needs at exit (it reads with ``os.read``, never through ``sys.stdin``'s buffer:
    :func:`~kneeguide.batch.lines.arriving_lines`) and it is a daemon thread, which the
    interpreter simply stops; it blocks the interruptions, so they reach the main thread.
    """
    import queue
    import threading

    waiting: queue.Queue[Item | _Failed | None] = queue.Queue(maxsize=size)

    def read() -> None:
        # A process-directed signal goes to any thread that does not block it. Taken
        # here, it would interrupt the main thread at once, even while that thread
        # holds signals to write and count a block as one step (the resume row would
        # be a block early); blocked here, it waits for the main thread.
        block_in_this_thread()
        try:
            for record in records:
                waiting.put(record)
        except BaseException as exc:  # handed to the main thread, which reports it
            waiting.put(_Failed(exc))
        waiting.put(None)  # the end of the input

    threading.Thread(target=read, name="kneeguide-batch-reader", daemon=True).start()
    while True:
        item = waiting.get()
        block: list[Item] = []
        while True:
            if isinstance(item, _Failed):
                if block:
                    yield block
                raise item.error
            if item is None:
                if block:
                    yield block
                return
            block.append(item)
            if len(block) >= size:
                break
            try:
                item = waiting.get_nowait()
            except queue.Empty:
                break
        yield block
