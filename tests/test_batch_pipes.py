"""Input that arrives through a pipe is read exactly as a file is, without a lock held at exit.

Records from a pipe are read by a thread that waits for them. Read through
``sys.stdin``'s buffered reader, that thread holds the buffer's lock while it
waits, and a run interrupted then ends in "Fatal Python error:
_enter_buffered_busy" (exit 134) instead of exit 130 with its resume row. The
pipe is therefore read with ``os.read``; these tests hold its lines to the ones
the file path reads, whatever the chunks the bytes arrive in.
"""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable

from hypothesis import given, settings
from hypothesis import strategies as st

from kneeguide.batch.lines import arriving_lines, text_stream
from kneeguide.errors import InputError

# the bytes that make line splitting and decoding interesting
PIECES = st.sampled_from(
    [
        b"\n",
        b"\r",
        b"\r\n",
        b"\xef\xbb\xbf",
        b"\xe4\xbd\x90",
        b"\xe4",
        b"\xff",
        b'{"age": 1}',
        b"a",
        b" ",
        b"\x0b",
    ]
)


def through_a_pipe(data: bytes, chunk: int) -> list[str]:
    read, write = os.pipe()

    def feed() -> None:
        with os.fdopen(write, "wb") as sink:
            for at in range(0, len(data), 3):  # the writer's pieces differ from the reader's
                sink.write(data[at : at + 3])
                sink.flush()

    writer = threading.Thread(target=feed)
    writer.start()
    try:
        return list(arriving_lines(read, chunk, shown="<stdin>"))
    finally:
        writer.join()
        os.close(read)


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=40), st.integers(min_value=1, max_value=9))
def test_a_pipe_gives_the_lines_a_file_gives(pieces: list[bytes], chunk: int) -> None:
    """The same lines, or the same refusal of bytes that are not UTF-8 (its place and byte; the
    encoding the bytes look like may differ, as a pipe has shown fewer of them by then)."""
    data = b"".join(pieces)
    assert outcome(lambda: through_a_pipe(data, chunk)) == outcome(
        lambda: list(text_stream(io.BytesIO(data), "<stdin>"))
    )


def outcome(read: Callable[[], list[str]]) -> list[str] | str:
    try:
        return read()
    except InputError as exc:
        return str(exc).split(";")[0]


def test_a_carriage_return_at_a_chunk_end_waits_for_its_line_feed() -> None:
    assert through_a_pipe(b'{"a": 1}\r\n{"b": 2}\r\n', chunk=9) == ['{"a": 1}\r\n', '{"b": 2}\r\n']


def test_the_last_line_needs_no_line_end_and_a_byte_order_mark_is_dropped() -> None:
    assert through_a_pipe(b'\xef\xbb\xbf{"a": 1}\n{"b": 2}', chunk=4) == ['{"a": 1}\n', '{"b": 2}']


def test_sigterm_while_batch_waits_on_a_live_pipe_exits_130_with_the_resume_row() -> None:
    """The pipe stays open (a producer that has more to send): the run is stopped while it waits."""
    child = subprocess.Popen(
        [sys.executable, "-m", "kneeguide", "batch", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        # as a plain shell runs it: the record must come out without an unbuffered interpreter
        env={k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"},
    )
    assert child.stdin is not None and child.stdout is not None and child.stderr is not None
    try:
        child.stdin.write(b'{"age": 30}\n')
        child.stdin.flush()
        first = child.stdout.readline()  # ready: the record is out, and the reader waits for more
        assert json.loads(first)["row"] == 1
        child.send_signal(signal.SIGTERM)
        code = child.wait(timeout=20)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        child.stdin.close()
    stderr = child.stderr.read().decode()
    assert code == 130, stderr[-2000:]
    assert "Fatal Python error" not in stderr and "Traceback" not in stderr
    assert "--resume-from 2" in stderr
