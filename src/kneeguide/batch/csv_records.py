"""CSV batch input into numbered records: the header names the questions.

Apart from JSON Lines (:mod:`kneeguide.batch.reading`) because a CSV file has what
JSON Lines has not: a header read once and checked before any record (a column twice,
or a semicolon CSV from European Excel read with ``,``: :class:`InputError`, exit 2),
a delimiter to choose (:data:`DELIMITERS`), and rows of a width to check. The rows
come from :mod:`kneeguide.batch.lines`, whose too-long lines become error records here.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import Any

from kneeguide.batch.lines import Overlong, overlong_problem
from kneeguide.batch.reading import Record
from kneeguide.errors import InputError, Location, Problem

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
