"""Batch records as text: JSON Lines (one compact object a line) or CSV.

A block of records is written as one string, so a worker can do the writing
and the main process only passes text on. CSV flattens a record into
:data:`CSV_FIELDS`: lists joined with ``;``, Wells as its points and band,
the errors as ``field: message`` joined with ``; ``, the warning ids with ``;``.
"""

from __future__ import annotations

import csv
import io
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
)


def render(records: Iterable[dict[str, Any]], output: str = "jsonl") -> str:
    """Records as JSON Lines (``"jsonl"``), or as CSV rows without the header (``"csv"``,
    see :func:`csv_header`); each line ends in ``\\n``."""
    if output == "csv":
        text = io.StringIO()
        writer = csv.writer(text, lineterminator="\n")
        writer.writerows([csv_row(r) for r in records])
        return text.getvalue()
    dumps = jsonlines.dumps
    return "".join([dumps(r) + "\n" for r in records])


def csv_header() -> str:
    """The CSV header line, written once before the first block."""
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerow(CSV_FIELDS)
    return text.getvalue()


def csv_row(r: dict[str, Any]) -> list[Any]:
    """One record's cells, in :data:`CSV_FIELDS` order (empty where the record has no value)."""
    wells = r.get("wells_dvt") or {}
    ottawa = r.get("ottawa_knee") or {}
    errors = "; ".join(
        (f"{e['field']}: " if e["field"] and not e["message"].startswith(e["field"]) else "") + e["message"]
        for e in r.get("errors", [])
    )
    return [
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
    ]
