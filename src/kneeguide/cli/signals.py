"""Signals: a closed terminal or ``kill`` stops a command as Ctrl-C does, and a batch
block is written and counted without an interruption in between.

Both the interview (which saves the session to resume) and batch (which names the
row to resume from) turn an interruption into exit status 130, never a torn file.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator
from typing import Any

from kneeguide.interrupts import (
    block_in_this_thread,
    command_ended,
    command_starts,
    interrupt_on_signals,
    unblock,
)

__all__ = ["interrupt_on_signals", "interruptible", "signals_held"]


def interruptible(command: Callable[..., None]) -> Callable[..., None]:
    """``command`` as the program runs it: interruptions raise ``KeyboardInterrupt`` while
    it runs (its ``guarded`` wrapper or the command itself reports them, exit 130), and
    end the process at once before it starts and after it ends, when there is nothing
    left to save (:mod:`kneeguide.interrupts`). Outside the program, ``command`` as it is."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> None:
        command_starts()
        try:
            command(*args, **kwargs)
        finally:
            command_ended()

    return run


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
        unblock(before)
