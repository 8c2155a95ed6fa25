"""The signals that interrupt a run: Ctrl-C, ``kill`` and a closed terminal.

One list for the places that treat them alike. In the program, every one of them ends
the process with exit status 130, whenever it comes: before and after the command, at
once with one line (:func:`quiet_until_the_command`, :func:`command_ended`); while the
command runs, as ``KeyboardInterrupt``, which the command reports (a batch names the
row to resume from, an interview is saved); and once the interpreter exits, they are
held (it would otherwise put back the default actions: death by the signal, unsaid).
A batch holds them while a block is written and counted, and its workers ignore them
(the parent ends its workers). A signal ignored when kneeguide started (``nohup``
ignores SIGHUP, a shell ignores SIGINT for a background job) stays ignored: whoever
started kneeguide chose that.

Imported first of all kneeguide by the command, so it imports only small standard
modules that the command loads anyway (``atexit``, ``os``, ``signal``, ``types``).
"""

from __future__ import annotations

import atexit
import os
import signal
from types import FrameType

#: SIGINT, SIGTERM and SIGHUP, those the platform has (Windows lacks SIGHUP).
INTERRUPTIONS: frozenset[signal.Signals] = frozenset(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)

#: The exit status of an interrupted command (128 + SIGINT, as a shell reports Ctrl-C).
EXIT_INTERRUPTED = 130

#: True from :func:`quiet_until_the_command` until :func:`interrupt_on_signals`.
_starting = False
#: True once :func:`quiet_until_the_command` ran: this process is the program.
_program = False


def quiet_until_the_command(program: str | None = None) -> None:
    """From now until the command runs, an interruption ends the process at once: one
    line on stderr, ``kneeguide: interrupted``, and exit status 130.

    For the program only, as early as it can be done (``kneeguide.__main__``, the top
    of ``kneeguide.cli.app``): while modules load and options are read there is
    nothing to save, and a ``KeyboardInterrupt`` raised in an import would print a
    traceback no ``except`` can catch, while an early SIGTERM or SIGHUP would end
    the process without a word. Signals ignored now stay ignored. ``program``: the
    path the process was started as (``sys.argv[0]``); nothing is done unless it names
    ``kneeguide`` (a test or a script that imports the CLI keeps its own handlers).
    """
    global _starting, _program
    if program is not None and os.path.basename(program).split(".")[0] != "kneeguide":
        return
    _starting = _program = True
    _quiet()
    # Registered first, so run last of the exit hooks: from then on the interpreter puts
    # the default actions back, and a signal would end the process silently, by the signal.
    atexit.register(block_in_this_thread)


def _quiet() -> None:
    for signum in INTERRUPTIONS:
        if signal.getsignal(signum) is not signal.SIG_IGN:
            signal.signal(signum, _exit_now)


def command_starts() -> None:
    """The command starts: in the program, interruptions become ``KeyboardInterrupt``
    from now on (:func:`interrupt_on_signals`), which the command reports."""
    if _starting:
        interrupt_on_signals()


def command_ended() -> None:
    """The command is over (whatever its outcome, said by now): in the program, an
    interruption ends the process at once again, exit 130, rather than raising
    ``KeyboardInterrupt`` while it exits (a traceback "ignored" in an exit hook)."""
    if _program:
        _quiet()


def starting() -> bool:
    """True while :func:`quiet_until_the_command` is in force (only in the program)."""
    return _starting


def _exit_now(signum: int, frame: FrameType | None) -> None:
    os.write(2, b"kneeguide: interrupted\n")
    os._exit(EXIT_INTERRUPTED)


def interrupt_on_signals() -> None:
    """From now on SIGINT, SIGTERM and SIGHUP raise ``KeyboardInterrupt`` in the main
    thread, as Ctrl-C does in Python, so a command stops where it can clean up and
    say what it kept; one ignored (``nohup``) stays ignored."""
    global _starting
    _starting = False
    for signum in INTERRUPTIONS:
        if signal.getsignal(signum) is signal.SIG_IGN:
            continue
        signal.signal(signum, signal.default_int_handler)  # Python's own: raises KeyboardInterrupt


def block_in_this_thread() -> set[int | signal.Signals] | None:
    """Block :data:`INTERRUPTIONS` in the calling thread; the mask before, or None where
    threads cannot block signals (Windows)."""
    if not hasattr(signal, "pthread_sigmask"):
        return None
    return signal.pthread_sigmask(signal.SIG_BLOCK, INTERRUPTIONS)


def unblock(before: set[int | signal.Signals] | None) -> None:
    """Put back the signal mask :func:`block_in_this_thread` returned (held signals arrive now)."""
    if before is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def take_held() -> bool:
    """Take the interruptions that arrived while they were blocked, so they never arrive;
    True if there was one. For a run whose work is all done by then."""
    if not hasattr(signal, "sigtimedwait"):
        return False
    taken = False
    while signal.sigtimedwait(INTERRUPTIONS, 0) is not None:
        taken = True
    return taken


def in_the_program() -> bool:
    """True in the ``kneeguide`` program (:func:`quiet_until_the_command` ran), not in a
    library caller or a test that runs a command in its own process."""
    return _program
