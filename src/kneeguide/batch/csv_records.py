"""CSV batch input into numbered records: the header names the questions.

Apart from JSON Lines (:mod:`kneeguide.batch.reading`) because a CSV file has what
JSON Lines has not: a header read once and checked before any record (a column twice,
or a semicolon CSV from European Excel read with ``,``: :class:`InputError`, exit 2),
a delimiter to choose (:data:`DELIMITERS`), and rows of a width to check. The rows
come from :mod:`kneeguide.batch.lines`, whose too-long lines become error records here.
"""

from __future__ import annotations

import csv
from collections.abc import Collection, Iterable, Iterator
from typing import Any

from kneeguide.batch.lines import Overlong, overlong_problem
from kneeguide.batch.reading import Record
from kneeguide.errors import InputError, Location, Problem

#: ``--delimiter`` words → the character.
DELIMITERS = {",": ",", ";": ";", "tab": "\t", "\t": "\t", "\\t": "\t"}
_NAMED = {",": "commas (,)", ";": "semicolons (;)", "\t": "tabs", "|": "vertical bars (|)"}
_OPTION = {",": "','", ";": "';'", "\t": "tab", "|": "'|'"}


def read_csv(
    stream: Iterable[str],
    delimiter: str = ",",
    shown: str = "<input>",
    columns: Collection[str] | None = None,
) -> Iterator[Record]:
    """The records of a CSV file: the header names the questions (and ``id``); an empty cell is
    unknown, a blank row is skipped, a row of the wrong width or too long a line is an error
    record (with its ``id`` when the row has that cell). The header is read at once: a header
    with a column twice, a column that is neither ``id`` nor one of ``columns`` (when given:
    the question ids), or one column whose name holds another delimiter (a semicolon CSV
    from European Excel read with ``,``), raises :class:`InputError` before any record."""
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
    if columns is not None:
        _check_names(header, columns, shown)
    return _rows(reader, names, overlong)


def _check_names(header: list[str], columns: Collection[str], shown: str) -> None:
    """Every column names a question or the ``id``: an unknown column would be an error in
    every row, so the header is refused once, each unknown name as written (``'Age '``)
    with its column and the nearest id."""
    from kneeguide.suggest import did_you_mean

    known = ["id", *columns]
    problems = []
    for column, written in enumerate(header, 1):
        name = written.strip()
        if not name or name in known:
            continue
        hint = did_you_mean(name, known) or did_you_mean(name.lower(), known)
        problems.append(
            Problem(
                f"unknown column {written!r}: not a question id{hint}",
                Location(shown, 1, column),
                "err_csv_unknown_column",
                (("column", repr(written)), ("hint", hint)),
            )
        )
    if problems:
        raise InputError(problems)


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
    """The records after the header, each numbered by the line it starts on (a quoted cell
    may span lines: the csv reader counts them, in ``line_num``)."""
    while True:
        number = reader.line_num + 1
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
            yield Record(number, _cell(names, cells, "id"), None, ((None, _width(names, cells)),))
            continue
        row = {k: v.strip() for k, v in zip(names, cells, strict=True) if v.strip() != ""}
        ident = row.pop("id", None)
        yield Record(number, ident, row, ())


def _cell(names: list[str], cells: list[str], name: str) -> str | None:
    """The row's cell of the column ``name``, when the row reaches it and it is not empty:
    a row of the wrong width still says whose it is."""
    if name not in names:
        return None
    at = names.index(name)
    return cells[at].strip() or None if at < len(cells) else None


def _width(names: list[str], cells: list[str]) -> str:
    """Why a row of the wrong width is refused, naming what is extra or missing."""
    found = f"expected {len(names)} columns, found {len(cells)}"
    if len(cells) > len(names):
        return f"{found}: extra {', '.join(repr(c) for c in cells[len(names) :])}"
    return f"{found}: no cell for {', '.join(n for n in names[len(cells) :] if n)}"
