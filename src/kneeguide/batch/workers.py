"""Worker processes for a batch: started, fed and ended by their parent alone, without
a thread or a lock in the parent.

:class:`concurrent.futures.ProcessPoolExecutor` waits at exit for a manager thread
that can block for ever on a pipe a killed worker half wrote (a batch that hung after
its output was complete and its resume row said), and its threads could hold the
stderr lock when the interpreter ended ("Fatal Python error: _enter_buffered_busy").
Here each worker has its own pipe and one piece at a time, and the parent waits on
the pipes (:func:`multiprocessing.connection.wait`), where an interruption reaches it
at once. Workers ignore SIGINT, SIGTERM and SIGHUP (a Ctrl-C or a ``kill`` reaches the
whole process group; the parent decides what it means), are killed by the parent when
it stops early, never waited for while they may be blocked, and end when the parent
dies: ``PR_SET_PDEATHSIG`` on Linux, elsewhere their pipe closing (a worker closes
its copies of the parent's ends) or their parent changing.
"""

from __future__ import annotations

import atexit
import contextlib
import os
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:  # multiprocessing is imported when workers start
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess


class _Worker(NamedTuple):
    process: BaseProcess
    conn: Connection  # this process's end of the worker's pipe


class Workers:
    """Worker processes, each with its own pipe and at most one piece at a time: a worker
    only sends while this process is not sending to it, so neither ever waits on the
    other with both pipes full."""

    def __init__(
        self, count: int, setup: Callable[[Any], None], given: Any, pooled: Callable[[Any], Any]
    ) -> None:
        """Start ``count`` workers; each runs ``setup(given)`` once (``given`` is sent once,
        the rule set with it), then ``pooled`` on each piece it is handed."""
        import multiprocessing

        from kneeguide.batch.worker import serve
        from kneeguide.interrupts import block_in_this_thread, unblock

        forking = hasattr(os, "fork")
        context = multiprocessing.get_context("fork") if forking else multiprocessing.get_context("spawn")
        self.workers: list[_Worker] = []
        if not _LIVE:
            import multiprocessing.util

            # after multiprocessing's own exit hook (which would wait for the workers for ever,
            # as they ignore SIGTERM), so that it runs first: at exit, kill what is left
            atexit.unregister(_end_all)
            atexit.register(_end_all)
        _LIVE.append(self)
        # held while the workers start: one forked just then would still have the
        # parent's handlers, and a Ctrl-C to the group would print its traceback
        held = block_in_this_thread()
        try:
            try:
                for _ in range(count):
                    mine, theirs = context.Pipe(duplex=True)
                    # forked, a worker has copies of this process's ends of the pipes made so far,
                    # its own included: it closes them, so that the parent's death closes its pipe
                    inherited = [*(w.conn for w in self.workers), mine] if forking else []
                    process = context.Process(
                        target=serve,
                        args=(theirs, setup, given, pooled, os.getpid(), inherited),
                        name="kneeguide-batch-worker",
                        daemon=True,
                    )
                    process.start()
                    theirs.close()
                    self.workers.append(_Worker(process, mine))
            finally:
                unblock(held)  # an interruption held meanwhile arrives here, and ends them
        except BaseException:
            self.end(kill=True)
            raise

    def ordered(self, groups: Iterable[list[Any]], ahead: int) -> Iterator[Any]:
        """The results of ``pooled`` on every piece of ``groups``, in the pieces' order.

        ``ahead``: how many groups are read beyond the one whose results are being
        taken (0 for input that arrives: reading more could wait for it while finished
        records are held back; nothing is busy then). Waiting is on the pipes, where
        an interruption reaches this process at once. A worker's exception is raised
        here in its turn; a worker that dies is :class:`WorkerDied`.
        """
        from collections import deque
        from multiprocessing.connection import Connection, wait

        source = iter(groups)
        todo: deque[Any] = deque()  # pieces read, not handed out yet
        ends: deque[int] = deque()  # the number of the last piece of each group not yet all taken
        done: dict[int, tuple[bool, Any]] = {}  # results that came before their turn
        busy: dict[Connection, int] = {}  # a worker's pipe → the number of the piece it has
        free = [w.conn for w in reversed(self.workers)]
        given = taken = 0  # pieces handed out; results yielded
        exhausted = False
        while True:
            while ends and ends[0] < taken:
                ends.popleft()
            if not todo and not exhausted and len(ends) <= ahead:
                group = next(source, None)  # from a pipe, this may wait for input: nothing is busy then
                if group is None:
                    exhausted = True
                elif group:
                    todo.extend(group)
                    ends.append(given + len(todo) - 1)
            while free and todo:
                conn = free.pop()
                conn.send(todo.popleft())
                busy[conn] = given
                given += 1
            if taken in done:
                ok, value = done.pop(taken)
                taken += 1
                if not ok:
                    raise value
                yield value
                continue
            if not busy:
                if exhausted and not todo:
                    return
                continue
            for conn in wait(list(busy)):
                assert isinstance(conn, Connection)
                try:
                    done[busy.pop(conn)] = conn.recv()
                except (EOFError, OSError):  # killed from outside, out of memory
                    raise WorkerDied("a batch worker process ended unexpectedly") from None
                free.append(conn)

    def end(self, *, kill: bool) -> None:
        """End the workers, with interruptions held (milliseconds): told to stop (their pipes
        closed) when all went well, killed otherwise; then reaped."""
        from kneeguide.interrupts import block_in_this_thread, unblock

        held = block_in_this_thread()
        try:
            for worker in self.workers:
                if kill:
                    _kill(worker.process)
                worker.conn.close()
            for worker in self.workers:
                worker.process.join(None if kill else 5)
                if worker.process.exitcode is None:  # pragma: no cover - a worker that did not stop
                    _kill(worker.process)
                    worker.process.join()
            self.workers = []
            if self in _LIVE:
                _LIVE.remove(self)
        finally:
            unblock(held)


class WorkerDied(RuntimeError):
    """A worker process ended before giving back its piece."""


def _kill(process: BaseProcess) -> None:
    with contextlib.suppress(OSError, ValueError, AttributeError):  # gone already
        process.kill()


#: Workers started and not ended yet: an interpreter that exits with a pool still
#: open (a library caller that dropped the iterator) ends them first.
_LIVE: list[Workers] = []


def _end_all() -> None:
    for crew in list(_LIVE):
        crew.end(kill=True)
