"""Assessing a block of records: the unit of work, in this process or in a worker.

A block is checked record by record, then its valid answer sets are decided
together, on bit columns (:mod:`kneeguide.evaluate.columns`): the same decisions
as one by one, a few times faster. The output keeps the input order, error
records in their places.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from kneeguide.batch import jsonlines
from kneeguide.batch.output import render
from kneeguide.batch.reading import Line, Record, parse_line
from kneeguide.batch.records import decision_record, error_record, field_of
from kneeguide.batch.tally import Tally
from kneeguide.engine import decide, decide_on
from kneeguide.errors import Location, Problem
from kneeguide.evaluate.columns import columns
from kneeguide.ids import Audience, RecordFormat
from kneeguide.ruleset.answers import FastChecker
from kneeguide.ruleset.model import Answers, RuleSet

#: Records assessed together: large enough for the columns to pay, small enough
#: that memory stays flat and a slow input's records are not held back long.
BLOCK = 1000


@dataclass
class Job:
    """Everything a worker needs, sent once: the rules travel with the job.

    ``region`` is a region code of ``rules``; ``full`` adds the whole JSON
    assessment (in English) to each record; ``output`` is the form
    :func:`render_block` writes (``"jsonl"`` or ``"csv"``); ``resume_from`` is
    the first row a worker reading lines itself keeps.
    """

    rules: RuleSet
    region: str
    audience: Audience
    full: bool
    output: RecordFormat = RecordFormat.JSONL
    resume_from: int = 1
    checker: FastChecker | None = field(default=None, compare=False)

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "checker": None}  # rebuilt in each worker


class Rendered(NamedTuple):
    """A block's output records as text, with their tally: all that the writing process needs."""

    text: str
    tally: Tally


def render_block(job: Job, records: Sequence[Record | Line]) -> Rendered:
    """:func:`process_block`, its records written out as text (``job.output``) and tallied."""
    outs = process_block(job, records)
    tally = Tally()
    for out in outs:
        tally.add(out)
    return Rendered(render(outs, job.output), tally)


def process_block(job: Job, records: Sequence[Record | Line]) -> list[dict[str, Any]]:
    """The batch records (:mod:`records`) of a block of input records, in order."""
    if job.checker is None:
        job.checker = FastChecker(job.rules.questions)
    check = job.checker
    accepts = check.accepts
    out: list[dict[str, Any]] = []
    valid: list[tuple[int, int, Any, Answers]] = []  # (position in out, row, id, answers)
    for item in records:
        if item.__class__ is Line:
            # Most lines are an object of canonical answers: orjson's reading of those is
            # the standard library's, so they go straight through. Any other line is read
            # again by parse_line, whose results and messages are the standard library's.
            data = jsonlines.quick_object(item.text)
            if data is not None:
                ident = data.pop("id", None)
                if ident.__class__ in jsonlines.PLAIN and accepts(data):
                    valid.append((len(out), item.row, ident, data))
                    out.append(_PENDING)
                    continue
            record = parse_line(item)
        else:
            record = item  # type: ignore[assignment]
        if record.answers is None:
            out.append(error_record(record.row, record.id, record.problems, job.rules))
            continue
        if "resourceType" in record.answers:  # a FHIR resource (e.g. NDJSON of responses)
            clean, problems = _fhir(job, record)
        else:
            clean, problems = check(record.answers)
        if problems:
            out.append(
                error_record(
                    record.row, record.id, [(field_of(p.message), p.message) for p in problems], job.rules
                )
            )
            continue
        valid.append((len(out), record.row, record.id, clean))
        out.append(_PENDING)
    rules = job.rules
    if not job.full:
        truths = columns(rules).truths([clean for _, _, _, clean in valid])
        for (at, row, ident, _), truth in zip(valid, truths, strict=True):
            out[at] = decision_record(row, ident, rules, decide_on(rules, truth))
        return out
    from kneeguide.engine import in_words
    from kneeguide.render.json import to_dict

    for at, row, ident, clean in valid:
        decision = decide(rules, clean)
        out[at] = decision_record(row, ident, rules, decision)
        out[at]["assessment"] = to_dict(
            in_words(rules, decision, clean, job.region, job.audience, "en", True)
        )
    return out


def _fhir(job: Job, record: Record) -> tuple[Answers, list[Problem]]:
    """The answers of a record that is a FHIR resource, read as ``assess`` reads one: a
    QuestionnaireResponse (or a Bundle holding one) completely, anything else refused; a
    problem's field is the linkId it names."""
    from kneeguide.inputs.fhir import checked_answers

    resource = dict(record.answers or {})
    if record.id is not None:
        resource["id"] = record.id  # the resource's own id, taken out as the record's
    clean, problems = checked_answers(resource, job.rules.questions, Location(f"row {record.row}"))
    return clean, [p._replace(message=_linked(p.message)) for p in problems]


def _linked(message: str) -> str:
    """``QuestionnaireResponse item[0] (linkId 'age'): …`` as ``age: …`` is read by
    :func:`field_of`; the item's path stays in the message."""
    import re

    found = re.match(r"^(.*?\(linkId '([A-Za-z_][A-Za-z0-9_]*)'\)): (.*)$", message)
    return f"{found.group(2)}: {found.group(3)} ({found.group(1)})" if found else message


_PENDING: dict[str, Any] = {}  # a valid record's place in the output, filled once decided
