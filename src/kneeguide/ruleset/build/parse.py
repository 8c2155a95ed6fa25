"""The first pass: each rule file parsed strictly and checked against its schema.

Every file is parsed and checked even when an earlier one failed, so one run
reports every problem of every file; a file with problems yields no document.
"""

from __future__ import annotations

from typing import Any

from kneeguide.errors import Location, Problem, RulesError
from kneeguide.ruleset.schema import FILES
from kneeguide.ruleset.schema.shapes import F, Record
from kneeguide.ruleset.yamlio import decode, location_of, parse


def parse_files(files: dict[str, tuple[str, bytes]], *, partial: bool = False) -> dict[str, Any]:
    """File name → its parsed document, for ``files`` (name → (display path, bytes)).

    With ``partial`` (an overlay) a file's top-level keys are all optional: it
    holds only what it adds or changes. Raises :class:`RulesError` listing
    every problem of every file.
    """
    problems: list[Problem] = []
    docs: dict[str, Any] = {}
    for name, (shown, data) in files.items():
        if name not in FILES:
            continue  # a translation catalogue: read by the builder's context (catalogue.py)
        try:
            doc = parse(decode(data, shown), shown)
        except RulesError as exc:
            problems.extend(exc.problems)
            continue
        found: list[Problem] = []
        record = FILES[name]
        if partial:
            record = Record(tuple(F(f.name, f.spec, False, f.doc) for f in record.fields), record.doc)
        record.check(doc, location_of(doc, Location(shown, 1, 1)), found)
        problems.extend(found)
        if not found:
            docs[name] = doc
    if problems:
        raise RulesError(problems)
    return docs
