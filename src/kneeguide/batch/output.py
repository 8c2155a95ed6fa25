"""Batch records as text: JSON Lines (one compact object a line) or CSV.

A block of records is written as one string, so a worker can do the writing
and the main process only passes text on. CSV flattens a record into
:data:`CSV_FIELDS`: lists joined with ``;``, Wells as its points and band,
the errors as ``field: message`` joined with ``; ``, the warning ids with ``;``.

Every text cell is safe to open in a spreadsheet (the OWASP rule against CSV
injection): a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return, which Excel, LibreOffice and Google Sheets would run as a formula, starts
with a single quote instead (``'=HYPERLINK(…)``, ``'-3``), which they show as text.
The columns written from numbers (``row``, ``wells_points``, which can be negative)
are numbers in the file and stay so: a negative score is ``-1``, a number, not a
formula. Any other column is text, whatever it holds: an id ``-3`` is written
``'-3``, as the person who reads the sheet would see it. JSON Lines need none of
this: a reader of JSON takes a string as a string.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from typing import Any

from kneeguide.batch import jsonlines

CSV_FIELDS = (
    "row",
    "id",
    "ok",
    "level",
    "red_flags",
    "not_excluded",
    "likely_causes",
    "wells_points",
    "wells_band",
    "ottawa_band",
    "acupuncture",
    "rules_digest",
    "errors",
    "warnings",
    "rules_version",
    "rules_custom",
)


def render(records: Iterable[dict[str, Any]], output: str = "jsonl") -> str:
    """Records as JSON Lines (``"jsonl"``), or as CSV rows without the header (``"csv"``,
    see :func:`csv_header`); each line ends in ``\\n``."""
    if output == "csv":
        rows = [csv_row(r) for r in records]
        text = io.StringIO()
        csv.writer(text, lineterminator="\n").writerows(rows)
        out = text.getvalue()
        if "\r" in out:  # the csv module quotes a cell's CR only when CR is in the line end
            text = io.StringIO()
            csv.writer(text, lineterminator="\r\n").writerows(rows)
            out = _CRLF_END.sub(lambda m: m.group(1) or "\n", text.getvalue())
        return out
    dumps = jsonlines.dumps
    return "".join([dumps(r) + "\n" for r in records])


def csv_header() -> str:
    """The CSV header line, written once before the first block."""
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerow(CSV_FIELDS)
    return text.getvalue()


#: The first characters that make a spreadsheet read a cell as a formula (OWASP).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> Any:
    """A CSV cell that a spreadsheet shows as it is: a text that starts like a formula
    (:data:`FORMULA_START`) gets a single quote before it; a number stays a number."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


#: A quoted cell (kept as it is: a line break inside it is the cell's), or a line end.
_LINE_END = re.compile(r'("[^"]*")|\n')
#: The same, for lines written ending in CRLF.
_CRLF_END = re.compile(r'("[^"]*")|\r\n')


def crlf(text: str) -> str:
    """CSV ``text`` (lines ending in ``\\n``, as :func:`render` writes them) with each
    record's line ending in ``\\r\\n`` (Excel, RFC 4180); a line break inside a quoted
    cell is left as it is."""
    return _LINE_END.sub(lambda m: m.group(1) or "\r\n", text)


def _flag(value: bool | None) -> str:
    """A yes/no field as a CSV cell: ``true``, ``false``, or empty when the record has none."""
    return "" if value is None else "true" if value else "false"


def csv_row(r: dict[str, Any]) -> list[Any]:
    """One record's cells, in :data:`CSV_FIELDS` order (empty where the record has no value),
    each text cell safe from formula injection (:func:`cell`)."""
    wells = r.get("wells_dvt") or {}
    ottawa = r.get("ottawa_knee") or {}
    errors = "; ".join(
        (f"{e['field']}: " if e["field"] and not e["message"].startswith(e["field"]) else "") + e["message"]
        for e in r.get("errors", [])
    )
    return [
        cell(x)
        for x in (
            r["row"],
            "" if r["id"] is None else r["id"],
            "true" if r["ok"] else "false",
            r.get("level", ""),
            ";".join(r.get("red_flags", [])),
            ";".join(r.get("not_excluded", [])),
            ";".join(r.get("likely_causes", [])),
            wells.get("points", ""),
            wells.get("band") or "",
            ottawa.get("band") or "",
            r.get("acupuncture", ""),
            r.get("rules_digest", ""),
            errors,
            ";".join(r.get("warnings", [])),
            r.get("rules_version", ""),
            _flag(r.get("rules_custom")),
        )
    ]
