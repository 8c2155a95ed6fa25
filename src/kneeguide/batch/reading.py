"""Reading batch input: JSON Lines or CSV text into numbered records.

Rows are numbered as a person counts the lines of the file (blank ones keep
their numbers), so an error record or a ``--resume-from`` row points at the
right line. A row that cannot be read becomes a :class:`Record` carrying its
problems, never an exception: one bad row must not end the whole run.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple, TextIO

from kneeguide.batch import jsonlines


class Record(NamedTuple):
    """One input record: its row, its ``id`` (None when absent) and its raw answers.

    ``answers`` is None when the row is unreadable; ``problems`` then says why,
    as (field or None, message) pairs.
    """

    row: int
    id: Any
    answers: dict[str, Any] | None
    problems: tuple[tuple[str | None, str], ...]


class Line(NamedTuple):
    """A JSON Lines record not parsed yet: with ``--workers`` each worker parses its share."""

    row: int
    text: str


def text_stream(raw: Any) -> TextIO:
    """A binary input as text: UTF-8 with an optional byte order mark, bytes that are not UTF-8
    read as U+FFFD rather than raising, line ends kept as they are (CSV needs them)."""
    return io.TextIOWrapper(raw, encoding="utf-8-sig", errors="replace", newline="")


def arriving_lines(fd: int, chunk: int = 65536) -> Iterator[str]:
    """The lines of a pipe or a terminal, as :func:`text_stream` would give them, read with
    ``os.read`` alone.

    A pipe is read by a thread that waits for what arrives (:func:`~kneeguide.batch.split.arriving_blocks`).
    Reading through ``sys.stdin``'s buffered reader would leave that thread holding the
    buffer's lock while it waits, and an interrupted run then dies at exit with "Fatal
    Python error: _enter_buffered_busy" instead of exiting 130. ``os.read`` holds no
    lock. Lines end at ``\n``, ``\r`` or ``\r\n`` and keep their ends, as with
    ``newline=""``; a ``\r`` at the end of a chunk waits for the next one, which may
    begin with its ``\n``.
    """
    import codecs
    import os

    decoder = codecs.getincrementaldecoder("utf-8-sig")(errors="replace")
    pending = ""
    while True:
        data = os.read(fd, chunk)
        text = pending + decoder.decode(data, final=not data)
        if data and text.endswith("\r"):
            pending, text = "\r", text[:-1]
        else:
            pending = ""
        lines = io.StringIO(text, newline="").readlines()
        if data and lines and not lines[-1].endswith(("\n", "\r")):
            pending = lines.pop() + pending
        yield from lines
        if not data:
            return


def jsonl_lines(stream: Iterable[str], first: int = 1, start: int = 1) -> Iterator[Line]:
    """The non-blank lines, numbered from ``first`` (blank ones keep their numbers), from row ``start``."""
    for number, line in enumerate(stream, first):
        if number >= start and line.strip():
            yield Line(number, line)


def parse_line(line: Line) -> Record:
    """A JSON Lines record read as the standard library reads it; an ``id`` key is taken out."""
    number = line.row
    try:
        data = jsonlines.loads(line.text)
    except json.JSONDecodeError as exc:
        return Record(number, None, None, ((None, f"invalid JSON: {exc.msg} (column {exc.colno})"),))
    except (ValueError, RecursionError) as exc:  # e.g. an integer of thousands of digits
        return Record(number, None, None, ((None, f"invalid JSON: {str(exc)[:80]}"),))
    if not isinstance(data, dict):
        return Record(number, None, None, ((None, "a record must be a JSON object"),))
    ident = data.pop("id", None)
    return Record(number, ident, data, ())


def read_csv(stream: Iterable[str]) -> Iterator[Record]:
    """The records of a CSV file: the header names the questions (and ``id``); an empty cell is
    unknown, a blank row is skipped, a row of the wrong width is an error record."""
    reader = csv.reader(stream)
    try:
        header = next(reader)
    except StopIteration:
        return
    except csv.Error as exc:
        yield Record(1, None, None, ((None, f"unreadable CSV header: {exc}"),))
        return
    names = [h.strip() for h in header]
    number = 1
    while True:
        number += 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield Record(number, None, None, ((None, f"unreadable CSV row: {exc}"),))
            continue
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(names):
            yield Record(number, None, None, ((None, f"expected {len(names)} columns, found {len(cells)}"),))
            continue
        row = {k: v.strip() for k, v in zip(names, cells, strict=True) if v.strip() != ""}
        ident = row.pop("id", None)
        yield Record(number, ident, row, ())
