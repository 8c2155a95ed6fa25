"""The signals that interrupt a run: Ctrl-C, ``kill`` and a closed terminal.

One list for the places that treat them alike: the CLI turns them into exit status 130
and holds them while a batch block is written and counted; a batch's reader thread
blocks them so that they wait for the main thread.
"""

from __future__ import annotations

import signal

#: SIGINT, SIGTERM and SIGHUP, those the platform has (Windows lacks SIGHUP).
INTERRUPTIONS: frozenset[signal.Signals] = frozenset(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


def block_in_this_thread() -> set[int | signal.Signals] | None:
    """Block :data:`INTERRUPTIONS` in the calling thread; the mask before, or None where
    threads cannot block signals (Windows)."""
    if not hasattr(signal, "pthread_sigmask"):
        return None
    return signal.pthread_sigmask(signal.SIG_BLOCK, INTERRUPTIONS)
