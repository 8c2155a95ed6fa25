"""Signals: a closed terminal or ``kill`` stops a command as Ctrl-C does, and a batch
block is written and counted without an interruption in between.

Both the interview (which saves the session to resume) and batch (which names the
row to resume from) turn an interruption into exit status 130, never a torn file.
"""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator

from kneeguide.interrupts import INTERRUPTIONS, block_in_this_thread


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Hold Ctrl-C, SIGTERM and SIGHUP until the block ends (they arrive just after).

    An interruption between writing a block and counting it would name the
    wrong row to resume from. Where signals cannot be held (Windows), a block
    is still written whole.
    """
    before = block_in_this_thread()
    try:
        yield
    finally:
        if before is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, before)


def interrupt_on_signals() -> None:
    """From now on SIGTERM and SIGHUP (a closed terminal) raise ``KeyboardInterrupt``,
    as Ctrl-C does."""

    def handler(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    for signum in INTERRUPTIONS - {signal.SIGINT}:  # Python's own SIGINT handler raises it already
        signal.signal(signum, handler)
