"""Reading batch input: JSON Lines or CSV bytes into numbered records.

Rows are numbered as a person counts the lines of the file (blank ones keep
their numbers), so an error record or a ``--resume-from`` row points at the
right line. A row that cannot be read becomes a :class:`Record` carrying its
problems, never an exception: one bad row must not end the whole run.

What would make every row wrong ends the run before any record is written,
with one clear line and exit status 2 (:class:`InputError`): bytes that are not
text in the input's encoding (:mod:`kneeguide.inputs.encoding`), a CSV header
with a column twice or separated by another delimiter than the one chosen. A
regular file is checked whole before its first record; a pipe cannot be read
twice, so there the records before the bad line are written and the run stops
at it.

A line is at most :data:`MAX_LINE` characters: a longer one becomes one error
record (its text is skipped, not held), so memory stays bounded whatever the
input.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any, BinaryIO, NamedTuple

from kneeguide.batch import jsonlines
from kneeguide.errors import InputError, Location, Problem
from kneeguide.inputs.encoding import Decoder, NotText

#: The longest line read, in characters (1 MiB, as an answers file): a longer line is
#: an error record, and no more of it than this is ever held in memory.
MAX_LINE = 1024 * 1024
#: Bytes read at a time.
CHUNK = 65536


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


def jsonl_lines(stream: Iterable[str], first: int = 1, start: int = 1) -> Iterator[Line | Record]:
    """The non-blank lines, numbered from ``first`` (blank ones keep their numbers), from row
    ``start``; an :class:`Overlong` line is its error record."""
    for number, line in enumerate(stream, first):
        if number >= start:
            if line.__class__ is Overlong:
                yield Record(number, None, None, (overlong_problem(line),))
            elif line.strip():
                yield Line(number, line)


def parse_line(line: Line) -> Record:
    """A JSON Lines record read as the standard library reads it; an ``id`` key is taken out.

    A key twice in the object is an error naming it, as in every answers file."""
    number = line.row
    try:
        data = jsonlines.loads(line.text)
    except json.JSONDecodeError as exc:
        return Record(number, None, None, ((None, f"invalid JSON: {exc.msg} (column {exc.colno})"),))
    except jsonlines.DuplicateKey as exc:
        from kneeguide.ruleset.answers import duplicate

        ident = None  # still named, so the error can be matched to its patient
        if exc.key != "id":
            whole = json.loads(line.text)  # read once more, keeping the last of each key
            ident = whole.get("id") if isinstance(whole, dict) else None
        return Record(number, ident, None, ((exc.key, duplicate(exc.key, None).message),))
    except (ValueError, RecursionError) as exc:  # e.g. an integer of thousands of digits
        return Record(number, None, None, ((None, f"invalid JSON: {str(exc)[:80]}"),))
    if not isinstance(data, dict):
        return Record(number, None, None, ((None, "a record must be a JSON object"),))
    ident = data.pop("id", None)
    return Record(number, ident, data, ())


#: ``--delimiter`` words → the character.
DELIMITERS = {",": ",", ";": ";", "tab": "\t", "\t": "\t", "\\t": "\t"}
_NAMED = {",": "commas (,)", ";": "semicolons (;)", "\t": "tabs", "|": "vertical bars (|)"}
_OPTION = {",": "','", ";": "';'", "\t": "tab", "|": "'|'"}


def read_csv(stream: Iterable[str], delimiter: str = ",", shown: str = "<input>") -> Iterator[Record]:
    """The records of a CSV file: the header names the questions (and ``id``); an empty cell is
    unknown, a blank row is skipped, a row of the wrong width or too long a line is an error
    record. The header is read at once: a header with a column twice, or one column whose
    name holds another delimiter (a semicolon CSV from European Excel read with ``,``),
    raises :class:`InputError` before any record."""
    overlong: list[Overlong] = []

    def feed() -> Iterator[str]:
        for line in stream:
            if line.__class__ is Overlong:
                overlong.append(line)
                yield "\n"  # the row is an error record; csv reads a blank line meanwhile
            else:
                yield line

    reader = csv.reader(feed(), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        return iter(())
    except csv.Error as exc:
        raise InputError([Problem(f"unreadable CSV header: {exc}", Location(shown, 1))]) from None
    if overlong:
        raise InputError([Problem(overlong_problem(overlong[0])[1], Location(shown, 1), "")])
    names = [h.strip() for h in header]
    _check_header(names, delimiter, shown)
    return _rows(reader, names, overlong)


def _check_header(names: list[str], delimiter: str, shown: str) -> None:
    """Refuse a header that cannot name the answers: another delimiter, a column twice."""
    if len(names) == 1 and names[0]:
        try:
            found = csv.Sniffer().sniff(names[0], delimiters=";\t|,").delimiter
        except csv.Error:
            found = None
        if found is not None and found != delimiter and found in names[0]:
            raise InputError(
                [
                    Problem(
                        f"the header is separated by {_NAMED[found]}, not {_NAMED[delimiter]}: "
                        f"read it with --delimiter {_OPTION[found]}",
                        Location(shown, 1),
                        "err_csv_delimiter",
                        (("found", _NAMED[found]), ("given", _NAMED[delimiter]), ("option", _OPTION[found])),
                    )
                ]
            )
    from kneeguide.ruleset.answers import duplicate

    seen: dict[str, int] = {}
    problems = []
    for column, name in enumerate(names, 1):
        if name and name in seen:
            problems.append(duplicate(name, Location(shown, 1, column)))
        seen.setdefault(name, column)
    if problems:
        raise InputError(problems)


def _rows(reader: Any, names: list[str], overlong: list[Overlong]) -> Iterator[Record]:
    number = 1
    while True:
        number += 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            overlong.clear()
            yield Record(number, None, None, ((None, f"unreadable CSV row: {exc}"),))
            continue
        if overlong:
            yield Record(number, None, None, (overlong_problem(overlong.pop()),))
            overlong.clear()
            continue
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(names):
            yield Record(number, None, None, ((None, f"expected {len(names)} columns, found {len(cells)}"),))
            continue
        row = {k: v.strip() for k, v in zip(names, cells, strict=True) if v.strip() != ""}
        ident = row.pop("id", None)
        yield Record(number, ident, row, ())


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
) -> Input:
    """Get ``raw`` ready to be read as records, checking now what would fail every record:
    a regular file's encoding, whole; a CSV header (which waits for a pipe's first line).
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
        return Input(read_csv(stream, delimiter, shown), None, arriving, decoder)
    return Input(jsonl_lines(stream), None if arriving else stream, arriving, decoder)
