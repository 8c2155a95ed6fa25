"""What a batch worker process runs (started by :class:`kneeguide.batch.workers.Workers`):
pieces from its pipe, answered in turn, until the parent closes the pipe or is gone.

A worker ignores SIGINT, SIGTERM and SIGHUP: a Ctrl-C or a ``kill`` reaches the whole
process group, and the parent alone decides what it means (it kills its workers).
It ends with its parent: ``PR_SET_PDEATHSIG`` on Linux; elsewhere its pipe closes
(it has closed its copies of the parent's ends of every pipe), or it notices that
its parent changed, so no orphan stays blocked on a pipe.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from multiprocessing.connection import Connection


def serve(
    conn: Connection,
    setup: Callable[[Any], None],
    given: Any,
    pooled: Callable[[Any], Any],
    parent: int,
    inherited: list[Connection],
) -> None:
    """A worker: piece after piece from ``conn``, each answered with ``(True, result)`` or
    ``(False, exception)``, until the pipe closes or the parent (pid ``parent``) is gone."""
    _as_a_worker(parent)
    for other in inherited:
        other.close()
    setup(given)
    while True:
        try:
            piece = conn.recv()
        except (EOFError, OSError):  # the parent closed the pipe, or died
            return
        try:
            answer: tuple[bool, Any] = (True, pooled(piece))
        except Exception as exc:  # given back to the parent, which raises it in its turn
            answer = (False, exc)
        try:
            conn.send(answer)
        except OSError:  # the parent is gone
            return
        if os.getppid() != parent:  # adopted: the parent died (where the OS does not kill us)
            return


def _as_a_worker(parent: int) -> None:
    """Ignore the interruptions (the parent ends its workers), then let signals in again
    (they were held while the worker started); die with the parent where Linux offers
    it (``PR_SET_PDEATHSIG``), and stop now if the parent is already gone."""
    import signal

    from kneeguide.interrupts import INTERRUPTIONS

    for signum in INTERRUPTIONS:
        signal.signal(signum, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, INTERRUPTIONS)
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(0)
