"""The first pass: each rule file parsed strictly and checked against its schema.

Every file is parsed and checked even when an earlier one failed, so one run
reports every problem of every file; a file with problems yields no document.
Each document's strings are checked here, once, for characters no rule text may hold
(:func:`~kneeguide.ruleset.build.checks.text_problems`).
"""

from __future__ import annotations

from typing import Any

from kneeguide.errors import Location, Problem, RulesError
from kneeguide.ruleset.build.checks import text_problems
from kneeguide.ruleset.build.merge import MERGED
from kneeguide.ruleset.schema import FILES
from kneeguide.ruleset.schema.shapes import F, ListOf, Record
from kneeguide.ruleset.schema.spec import Spec
from kneeguide.ruleset.yamlio import decode, location_of, parse


def parse_files(files: dict[str, tuple[str, bytes]], *, partial: bool = False) -> dict[str, Any]:
    """File name → its parsed document, for ``files`` (name → (display path, bytes)).

    With ``partial`` (an overlay) a file's top-level keys are all optional, and a
    list merged by id may hold fewer entries than a whole file needs (one
    disposition level, not all five): it holds only what it adds or changes, and
    the merged file is held to the rest when it is built. Raises
    :class:`RulesError` listing every problem of every file.
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
            by_id = {key for key, _ in MERGED.get(name, ())}
            record = Record(
                tuple(
                    F(f.name, _any_length(f.spec) if f.name in by_id else f.spec, False, f.doc)
                    for f in record.fields
                ),
                record.doc,
            )
        record.check(doc, location_of(doc, Location(shown, 1, 1)), found)
        found += text_problems(doc, name)  # every string is data, never terminal control
        problems.extend(found)
        if not found:
            docs[name] = doc
    if problems:
        raise RulesError(problems)
    return docs


def _any_length(spec: Spec) -> Spec:
    """``spec`` without its least number of items, for a list an overlay merges by id."""
    return ListOf(spec.item) if isinstance(spec, ListOf) else spec
