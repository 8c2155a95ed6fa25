"""Batch input bytes into text lines, decoded, checked and capped in length.

Kept apart from what the lines mean (JSON Lines in :mod:`kneeguide.batch.reading`, CSV
in :mod:`kneeguide.batch.csv_records`) because both formats, a regular file and a pipe
all need the same three things of their bytes: decoding with the encoding said out
loud (:class:`~kneeguide.inputs.encoding.Decoder`: bytes that are not text raise
:class:`~kneeguide.errors.InputError`), line ends kept as written (CSV needs them),
and a bound on memory.

A line is at most :data:`MAX_LINE` characters: a longer one comes as an
:class:`Overlong` and becomes one error record (its text is skipped, not held), so
memory stays bounded whatever the input.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO

from kneeguide.inputs.encoding import Decoder, NotText

#: The longest line read, in characters (1 MiB, as an answers file): a longer line is
#: an error record, and no more of it than this is ever held in memory.
MAX_LINE = 1024 * 1024
#: Bytes read at a time.
CHUNK = 65536


class Overlong(str):
    """In place of a line longer than the limit: its text is not kept (it is always ``"\\n"``).

    ``limit`` is the limit it passed, for the message."""

    limit: int

    def __new__(cls, limit: int) -> Overlong:
        line = super().__new__(cls, "\n")
        line.limit = limit
        return line

    def __reduce__(self) -> tuple[Any, ...]:  # sent to workers with the other lines
        return (Overlong, (self.limit,))


def overlong_problem(line: Overlong) -> tuple[str | None, str]:
    """The error of a row that was too long to read."""
    return (None, f"line longer than {line.limit:,} characters: not read")


def lines_of(
    read: Callable[[int], bytes],
    shown: str,
    encoding: str | None = None,
    limit: int = MAX_LINE,
    chunk: int = CHUNK,
    *,
    track: bool = True,
    decoder: Decoder | None = None,
) -> Iterator[str]:
    """The lines of the bytes ``read(chunk)`` returns until it returns ``b""``, decoded and
    checked (:class:`~kneeguide.inputs.encoding.Decoder`: :class:`InputError` at the first
    byte that is not text), each with its line end.

    Lines end at ``\\n``, ``\\r`` or ``\\r\\n`` and keep their ends (as ``newline=""``: CSV
    needs them); a ``\\r`` at the end of a chunk waits for the next one, which may begin
    with its ``\\n``. A line longer than ``limit`` characters comes as an :class:`Overlong`
    and is never held whole: at most ``limit`` + ``chunk`` characters are. ``track``: see
    :class:`~kneeguide.inputs.encoding.Decoder` (a file checked whole before needs none);
    ``decoder``, when given, is the one to use (its caller can then ask it about the input).
    """
    decoder = decoder or Decoder(shown, encoding, track=track)
    pending = ""  # the start of a line not ended yet
    skipping = False  # inside an overlong line, until its end
    cr = False  # the last chunk's text ended with "\r", held back: its "\n" may come next
    while True:
        data = read(chunk)
        final = not data
        try:
            text = decoder.decode(data, final)
        except NotText as exc:  # the lines it completes first, then the refusal
            done = [
                line for line in _split(pending + ("\r" if cr else "") + exc.before) if line[-1] in "\r\n"
            ]
            if skipping and done:
                done[0] = Overlong(limit)
            yield from (Overlong(limit) if len(line) > limit else line for line in done)
            raise
        if cr:
            text, cr = "\r" + text, False
        if not final and text.endswith("\r"):
            cr, text = True, text[:-1]
        lines = _split(pending + text) if pending else _split(text)
        pending = ""
        if not final and lines and not lines[-1].endswith(("\n", "\r")):
            pending = lines.pop()
        if skipping:  # the first line that ends here (or at the end) is the rest of the long one
            if lines:
                lines[0], skipping = Overlong(limit), False
            elif final:
                lines, skipping = [Overlong(limit)], False
            else:
                pending = ""
        if len(pending) > limit:
            pending, skipping = "", True
        if lines and len(lines[0]) > limit:  # it may have begun in the last chunk
            lines[0] = Overlong(limit)
        if len(text) > limit:  # a limit below the chunk size: every line checked
            lines = [Overlong(limit) if len(line) > limit else line for line in lines]
        yield from lines
        if final:
            return


def _split(text: str) -> list[str]:
    return io.StringIO(text, newline="").readlines()


def file_lines(
    raw: BinaryIO,
    shown: str,
    encoding: str | None = None,
    limit: int = MAX_LINE,
    decoder: Decoder | None = None,
) -> Iterator[str]:
    """:func:`lines_of` a regular file, after checking the whole file decodes (so nothing is
    written for a file that would fail halfway). Raises :class:`InputError` now, not later."""
    try:
        _decode_all(raw, decoder or Decoder(shown, encoding, track=False))
    except NotText:  # read again, counting lines, to say where
        raw.seek(0)
        _decode_all(raw, Decoder(shown, encoding))
        raise
    raw.seek(0)
    return lines_of(raw.read, shown, encoding, limit, track=False)


def _decode_all(raw: BinaryIO, decoder: Decoder) -> None:
    while data := raw.read(CHUNK):
        decoder.decode(data)
    decoder.decode(b"", final=True)


def arriving_lines(
    fd: int,
    chunk: int = CHUNK,
    shown: str = "<stdin>",
    encoding: str | None = None,
    limit: int = MAX_LINE,
    decoder: Decoder | None = None,
) -> Iterator[str]:
    """The lines of a pipe or a terminal (:func:`lines_of`), read with ``os.read`` alone.

    A pipe is read by a thread that waits for what arrives (:func:`~kneeguide.batch.split.arriving_blocks`).
    Reading through ``sys.stdin``'s buffered reader would leave that thread holding the
    buffer's lock while it waits, and an interrupted run then dies at exit with "Fatal
    Python error: _enter_buffered_busy" instead of exiting 130. ``os.read`` holds no
    lock. Bytes that are not text raise :class:`InputError` when their line is reached:
    the lines before it have been read.
    """
    import os

    return lines_of(lambda size: os.read(fd, size), shown, encoding, limit, chunk, decoder=decoder)


def text_stream(raw: BinaryIO, shown: str = "<input>", encoding: str | None = None) -> Iterator[str]:
    """The lines of a binary stream read to its end, as :func:`lines_of` gives them."""
    return lines_of(raw.read, shown, encoding)
