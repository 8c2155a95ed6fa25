"""Opening a batch input: a regular file or a pipe, as JSON Lines or CSV records.

What would make every row wrong ends the run before any record is written,
with one clear line and exit status 2 (:class:`InputError`): bytes that are not
text in the input's encoding (:mod:`kneeguide.inputs.encoding`), a CSV header
with a column twice or separated by another delimiter than the one chosen. A
regular file is checked whole before its first record; a pipe cannot be read
twice, so there the records before the bad line are written and the run stops
at it. This module makes that choice and joins the readers
(:mod:`~kneeguide.batch.lines`, :mod:`~kneeguide.batch.reading`,
:mod:`~kneeguide.batch.csv_records`) into one :class:`Input`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from typing import BinaryIO, NamedTuple

from kneeguide.batch.csv_records import read_csv
from kneeguide.batch.lines import MAX_LINE, arriving_lines, file_lines
from kneeguide.batch.reading import Line, Record, jsonl_lines
from kneeguide.inputs.encoding import Decoder


class Input(NamedTuple):
    """A batch input opened for reading: ``records`` to assess (Lines, Records), ``lines``
    when they are JSON Lines of a regular file (the workers can read those themselves),
    and ``arriving``: a pipe or a terminal, read as records come. ``decoder.bom`` says
    whether the input began with a byte order mark (for a file at once; for a pipe once
    its first line has been read, which for CSV is done here)."""

    records: Iterable[Line | Record]
    lines: Iterator[str] | None
    arriving: bool
    decoder: Decoder


def open_input(
    raw: BinaryIO,
    shown: str,
    csv_input: bool,
    encoding: str | None = None,
    delimiter: str = ",",
    limit: int = MAX_LINE,
    columns: Collection[str] | None = None,
) -> Input:
    """Get ``raw`` ready to be read as records, checking now what would fail every record:
    a regular file's encoding, whole; a CSV header (which waits for a pipe's first line),
    whose names must be ``id`` or one of ``columns`` (the question ids) when given.
    Raises :class:`InputError`."""
    import os
    import stat

    arriving = not stat.S_ISREG(os.fstat(raw.fileno()).st_mode)  # a pipe or a terminal: as records come
    if arriving:  # read by a thread waiting on the pipe: with os.read, which holds no lock at exit
        decoder = Decoder(shown, encoding)
        stream = arriving_lines(raw.fileno(), shown=shown, encoding=encoding, limit=limit, decoder=decoder)
    else:
        decoder = Decoder(shown, encoding, track=False)  # the whole file's check
        stream = file_lines(raw, shown, encoding, limit, decoder)
    if csv_input:
        return Input(read_csv(stream, delimiter, shown, columns), None, arriving, decoder)
    return Input(jsonl_lines(stream), None if arriving else stream, arriving, decoder)
