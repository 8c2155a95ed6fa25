"""Reading batch input: the numbered :class:`Record` both formats give, and JSON Lines.

Rows are numbered as a person counts the lines of the file (blank ones keep
their numbers), so an error record or a ``--resume-from`` row points at the
right line. A row that cannot be read becomes a :class:`Record` carrying its
problems, never an exception: one bad row must not end the whole run.

JSON Lines are read in two steps, so that with ``--workers`` each worker parses
its own share: :func:`jsonl_lines` numbers the lines (:class:`Line`), and
:func:`parse_line` reads one. CSV is read by :mod:`kneeguide.batch.csv_records`;
an input is opened, as either, by :mod:`kneeguide.batch.opening`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple

from kneeguide.batch import jsonlines
from kneeguide.batch.lines import Overlong, overlong_problem


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
        # the column within the record's line: an error at its line end (a record cut short)
        # is at the end of the text, not at "column 1" of the line after it
        column = min(exc.pos, len(line.text.rstrip("\r\n"))) + 1
        return Record(number, None, None, ((None, f"invalid JSON: {exc.msg} (column {column})"),))
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
