"""Batch assessment: one output record per input record, streamed, in order.

Input is JSON Lines (one answer set per line, an optional ``id`` field) or CSV
(header = question ids, an optional ``id`` column, an empty cell = unknown).
A record that cannot be assessed yields an error record naming the row, the
field and the problem, and the run goes on. Memory stays flat whatever the file
size: records are read, assessed and written in blocks. With several workers
the blocks are shared out and the output order is still the input order. Every
worker uses the rule set loaded once at the start, so every record carries the
digest of the rules that actually assessed it.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, NamedTuple, TextIO, TypeVar

from kneeguide.batch import jsonlines
from kneeguide.engine.assessment import Assessment
from kneeguide.engine.decide import Decision, assess, decide_on
from kneeguide.evaluate.bits import PerRules
from kneeguide.evaluate.columns import columns
from kneeguide.ids import Audience, Level
from kneeguide.ruleset.answers import FastChecker
from kneeguide.ruleset.model import Answers, RuleSet

BLOCK = 1000
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
)


class Record(NamedTuple):
    row: int
    id: Any
    answers: dict[str, Any] | None
    problems: tuple[tuple[str | None, str], ...]  # (field, message) when the row is unreadable


class Line(NamedTuple):
    """A JSON Lines record not parsed yet: with ``--workers`` each worker parses its share."""

    row: int
    text: str


def jsonl_lines(stream: Iterable[str], first: int = 1, start: int = 1) -> Iterator[Line]:
    """The non-blank lines, numbered from ``first`` (blank ones keep their numbers), from row ``start``."""
    for number, line in enumerate(stream, first):
        if number >= start and line.strip():
            yield Line(number, line)


def parse_line(line: Line) -> Record:
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


def read_jsonl(stream: TextIO) -> Iterator[Record]:
    for line in jsonl_lines(stream):
        yield parse_line(line)


def read_csv(stream: TextIO) -> Iterator[Record]:
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


def summary_record(row: int, ident: Any, a: Assessment) -> dict[str, Any]:
    """The compact batch record: the decisions, by id, exactly as ``assess`` made them."""
    scores = {s.id: s for s in a.scores}
    wells = scores.get("wells_dvt")
    ottawa = scores.get("ottawa_knee")
    return {
        "row": row,
        "id": ident,
        "ok": True,
        "level": a.triage.level.id,
        "red_flags": [h.id for h in a.red_flags],
        "not_excluded": [n.id for n in a.not_excluded],
        "likely_causes": [c.id for c in a.likely_causes[:3]],
        "wells_dvt": None
        if wells is None
        else {"points": _num(wells.points), "points_max": _num(wells.points_max), "band": wells.band},
        "ottawa_knee": None if ottawa is None else {"applicable": ottawa.applicable, "band": ottawa.band},
        "acupuncture": a.acupuncture.suitability,
        "rules_digest": a.rules_digest,
    }


def decision_record(row: int, ident: Any, rules: RuleSet, d: Decision) -> dict[str, Any]:
    """The compact batch record read straight off the decisions (no words are chosen)."""
    wells_at, ottawa_at = _score_positions(rules)
    wells = ottawa = None
    if wells_at is not None:
        facts = d.truth.scores[wells_at]
        wells = {"points": _num(facts.points), "points_max": _num(facts.points_max), "band": facts.band}
    if ottawa_at is not None:
        facts = d.truth.scores[ottawa_at]
        ottawa = {"applicable": facts.applicable, "band": facts.band}
    flags = rules.red_flags
    causes = rules.causes
    return {
        "row": row,
        "id": ident,
        "ok": True,
        "level": _LEVEL_IDS[d.level],
        "red_flags": [flags[i].id for i, _ in d.hits],
        "not_excluded": [flags[i].id for i in d.open],
        "likely_causes": [causes[c.cause].id for c in d.causes[:3]],
        "wells_dvt": wells,
        "ottawa_knee": ottawa,
        "acupuncture": d.suitability,
        "rules_digest": rules.digest,
    }


def _find_scores(rules: RuleSet) -> tuple[int | None, int | None]:
    """Where Wells and Ottawa sit among ``rules.scores``."""
    at = {score.id: i for i, score in enumerate(rules.scores)}
    return at.get("wells_dvt"), at.get("ottawa_knee")


_score_positions: PerRules[tuple[int | None, int | None]] = PerRules(_find_scores)


_LEVEL_IDS = {level: level.id for level in Level}


def _num(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def error_record(row: int, ident: Any, problems: Iterable[tuple[str | None, str]]) -> dict[str, Any]:
    return {"row": row, "id": ident, "ok": False, "errors": [{"field": f, "message": m} for f, m in problems]}


@dataclass
class Job:
    """Everything a worker needs, sent once: the rules travel with the job."""

    rules: RuleSet
    region: str
    audience: Audience
    full: bool
    output: str = "jsonl"  # or "csv": the form render_block writes records in
    resume_from: int = 1  # run_text's workers skip the rows before this one
    checker: FastChecker | None = field(default=None, compare=False)

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "checker": None}  # rebuilt in each worker


def process(job: Job, record: Record) -> dict[str, Any]:
    """One record's output record (see :func:`process_block`, which batches use)."""
    return process_block(job, [record])[0]


def process_block(job: Job, records: Sequence[Record | Line]) -> list[dict[str, Any]]:
    """The output records for a block of input records, in order.

    Summaries of the valid records are decided together, on bit columns
    (:mod:`columns`): the same decisions as record by record, a few times faster.
    """
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
            out.append(error_record(record.row, record.id, record.problems))
            continue
        clean, problems = check(record.answers)
        if problems:
            out.append(
                error_record(record.row, record.id, [(_field(p.message), p.message) for p in problems])
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
    from kneeguide.render.json import to_dict

    for at, row, ident, clean in valid:
        a = assess(rules, clean, region=job.region, audience=job.audience)
        out[at] = summary_record(row, ident, a)
        out[at]["assessment"] = to_dict(a)
    return out


_PENDING: dict[str, Any] = {}  # a valid record's place in the output, filled once decided


def _field(message: str) -> str | None:
    if message.startswith("unknown question id '"):
        return message.split("'")[1]
    head = message.split(":", 1)[0]
    return head if head.isidentifier() else None


_JOB: Job | None = None


def settle() -> None:
    """Exempt everything alive now (the rule set, mostly) from garbage collection.

    A batch allocates a few short-lived objects per record, which sets off the
    cyclic collector every few hundred records; each full collection would walk
    the whole rule set again. Frozen, it is skipped: about a third of a
    record's cost. For a process that runs one batch, not for library callers.
    """
    import gc

    gc.collect()
    gc.freeze()


def _init_worker(job: Job) -> None:
    """Workers leave interruption to the parent, which stops cleanly and reports."""
    import signal

    global _JOB
    _JOB = job
    settle()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's "save and stop" handler


def _ready() -> bool:
    return True


def _process_block(records: list[Record | Line]) -> list[dict[str, Any]]:
    assert _JOB is not None
    return process_block(_JOB, records)


def blocks(records: Iterable[Item], size: int) -> Iterator[list[Item]]:
    block: list[Item] = []
    for record in records:
        block.append(record)
        if len(block) >= size:
            yield block
            block = []
    if block:
        yield block


Item = TypeVar("Item")


class _Failed(NamedTuple):
    error: BaseException


def arriving_blocks(records: Iterable[Item], size: int) -> Iterator[list[Item]]:
    """Blocks of the records that have arrived, for input that may come slowly.

    From a pipe or a terminal, waiting for a full block could hold a record
    back indefinitely. A reader thread takes the records as they come; a block
    is whatever is there (at most ``size``), so a slow producer's records are
    assessed at once and a fast one's still travel in large blocks. The queue
    is bounded, so memory stays flat however fast the input.
    """
    import queue
    import threading

    waiting: queue.Queue[Item | _Failed | None] = queue.Queue(maxsize=size)

    def read() -> None:
        try:
            for record in records:
                waiting.put(record)
        except BaseException as exc:  # handed to the main thread, which reports it
            waiting.put(_Failed(exc))
        waiting.put(None)  # the end of the input

    threading.Thread(target=read, name="kneeguide-batch-reader", daemon=True).start()
    while True:
        item = waiting.get()
        block: list[Item] = []
        while True:
            if isinstance(item, _Failed):
                if block:
                    yield block
                raise item.error
            if item is None:
                if block:
                    yield block
                return
            block.append(item)
            if len(block) >= size:
                break
            try:
                item = waiting.get_nowait()
            except queue.Empty:
                break
        yield block


def run(
    job: Job, records: Iterable[Record | Line], workers: int = 1, *, arriving: bool = False
) -> Iterator[dict[str, Any]]:
    """Assess records in order, with ``workers`` processes sharing the blocks.

    ``arriving``: the input is a pipe or a terminal, so records are assessed as
    they arrive rather than when a block is full (:func:`arriving_blocks`).
    """
    for outs in _shared(job, records, workers, arriving, process_block, _process_block):
        yield from outs


def run_rendered(
    job: Job, records: Iterable[Record | Line], workers: int = 1, *, arriving: bool = False
) -> Iterator[Rendered]:
    """:func:`run`, with each block's records already written out as text and tallied.

    This is what the command uses: with ``--workers`` the workers do the
    formatting too, and this process only writes text, so two workers come
    close to twice the records of one.
    """
    return _shared(job, records, workers, arriving, render_block, _render_block)


Result = TypeVar("Result")


def _shared(
    job: Job,
    records: Iterable[Record | Line],
    workers: int,
    arriving: bool,
    work: Callable[[Job, list[Record | Line]], Result],
    pooled: Callable[[list[Record | Line]], Result],
) -> Iterator[Result]:
    """``work`` (here) or ``pooled`` (in a worker) on each block of the records, in order."""
    if workers <= 1:
        chunks = arriving_blocks(records, BLOCK) if arriving else blocks(records, BLOCK)
        for block in chunks:
            yield work(job, block)
        return

    def groups() -> Iterator[list[list[Record | Line]]]:
        size = BLOCK * workers
        for block in arriving_blocks(records, size) if arriving else blocks(records, size):
            share = max(1, len(block) // (workers * 4))
            yield [block[i : i + share] for i in range(0, len(block), share)]

    # From a file, one block is handed out ahead, so the workers are busy while this
    # process writes the previous block's records; arriving records go out at once.
    yield from _pool(job, groups, workers, 0 if arriving else 1, pooled)


def run_text(job: Job, stream: TextIO, workers: int) -> Iterator[Rendered]:
    """:func:`run_rendered` for a JSON Lines file and several workers.

    The lines go to the workers as they are, a few hundred at a time, and each
    worker numbers, reads, assesses, formats and tallies its share: this
    process only reads text and writes text.
    """

    def groups() -> Iterator[list[tuple[int, list[str]]]]:
        row = 1
        while True:
            group = []
            for _ in range(workers * 4):
                lines = list(islice(stream, PIECE))
                if not lines:
                    break
                group.append((row, lines))
                row += len(lines)
            if not group:
                return
            yield group

    return _pool(job, groups, workers, 1, _render_text)


PIECE = BLOCK // 4  # lines sent to a worker at a time by run_text


def _render_text(piece: tuple[int, list[str]]) -> Rendered:
    assert _JOB is not None
    first, lines = piece
    return render_block(_JOB, list(jsonl_lines(lines, first, _JOB.resume_from)))


Piece = TypeVar("Piece")


def _pool(
    job: Job,
    groups: Callable[[], Iterable[list[Piece]]],
    workers: int,
    ahead: int,
    pooled: Callable[[Piece], Result],
) -> Iterator[Result]:
    """``pooled`` on every piece in ``workers`` processes; results in the pieces' order.

    ``ahead``: how many groups of pieces are handed out before the first one's
    results are taken.
    """
    import multiprocessing
    import os
    from collections import deque
    from concurrent.futures import Future, ProcessPoolExecutor

    # A process pool whose workers die (a SIGTERM to the whole process group, as a
    # service manager sends) reports a broken pool instead of deadlocking on a lock.
    context = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
    executor = ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker, initargs=(job,))
    try:
        executor.submit(_ready).result()  # start the workers now, not at the first full block
        pending: deque[list[Future[Result]]] = deque()
        for group in groups():
            pending.append([executor.submit(pooled, piece) for piece in group])
            while len(pending) > ahead:
                for future in pending.popleft():
                    yield future.result()
        while pending:
            for future in pending.popleft():
                yield future.result()
    except BaseException:
        executor.shutdown(wait=False, cancel_futures=True)
        for child in multiprocessing.active_children():
            child.kill()
        # Let the pool's manager thread see its workers gone and close its pipe before
        # the interpreter exits: Python 3.11's exit hook can otherwise write to that pipe
        # while it closes and print a traceback (the race is fixed in 3.12).
        manager = getattr(executor, "_executor_manager_thread", None)
        if manager is not None:
            manager.join(timeout=5)
        raise
    executor.shutdown(wait=True)


@dataclass
class Tally:
    records: int = 0
    errors: int = 0
    error_rows: list[int] = field(default_factory=list)
    levels: Counter[str] = field(default_factory=Counter)
    red_flags: Counter[str] = field(default_factory=Counter)
    last_row: int = 0

    def add(self, out: dict[str, Any]) -> None:
        self.records += 1
        self.last_row = out["row"]
        if not out["ok"]:
            self.errors += 1
            if len(self.error_rows) < 20:
                self.error_rows.append(out["row"])
            return
        self.levels[out["level"]] += 1
        self.red_flags.update(out["red_flags"])

    def merge(self, other: Tally) -> None:
        """Add a later block's tally to this one."""
        self.records += other.records
        self.errors += other.errors
        self.error_rows.extend(other.error_rows[: 20 - len(self.error_rows)])
        self.levels.update(other.levels)
        self.red_flags.update(other.red_flags)
        if other.records:
            self.last_row = other.last_row

    def lines(self) -> list[str]:
        order = [lvl.id for lvl in sorted(Level, reverse=True)]
        levels = ", ".join(f"{k} {self.levels[k]}" for k in order if self.levels[k])
        flags = ", ".join(f"{k} {v}" for k, v in self.red_flags.most_common())
        out = [f"{self.records} records: {levels or 'none assessed'}"]
        out.append(f"red flags: {flags or 'none'}")
        if self.errors:
            rows = ", ".join(map(str, self.error_rows)) + (
                " ..." if self.errors > len(self.error_rows) else ""
            )
            out.append(f"errors: {self.errors} (rows {rows})")
        else:
            out.append("errors: 0")
        return out


class Rendered(NamedTuple):
    """A block's output records as text, with their tally: all that the writing process needs."""

    text: str
    tally: Tally


def render_block(job: Job, records: Sequence[Record | Line]) -> Rendered:
    outs = process_block(job, records)
    tally = Tally()
    for out in outs:
        tally.add(out)
    return Rendered(render(outs, job.output), tally)


def _render_block(records: list[Record | Line]) -> Rendered:
    assert _JOB is not None
    return render_block(_JOB, records)


def render(records: Iterable[dict[str, Any]], output: str = "jsonl") -> str:
    """Output records as JSON Lines, or as CSV rows without the header (:func:`csv_header`)."""
    if output == "csv":
        text = io.StringIO()
        writer = csv.writer(text, lineterminator="\n")
        writer.writerows([csv_row(r) for r in records])
        return text.getvalue()
    dumps = jsonlines.dumps
    return "".join([dumps(r) + "\n" for r in records])


def csv_header() -> str:
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerow(CSV_FIELDS)
    return text.getvalue()


def csv_row(r: dict[str, Any]) -> list[Any]:
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
    ]


def text_stream(raw: Any) -> TextIO:
    return io.TextIOWrapper(raw, encoding="utf-8-sig", errors="replace", newline="")
