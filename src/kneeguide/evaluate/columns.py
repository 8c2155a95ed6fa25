"""Many answer sets at once: the compiled conditions evaluated on bit columns.

For a block of ``n`` answer sets, leaf ``i`` (:mod:`nodes`) becomes two
``n``-bit integers (``T[i]``: the records where it is definitely true;
``F[i]``: definitely false), and each condition is evaluated once for the whole
block with ``&`` and ``|`` on its :class:`~nodes.Node` (:func:`~nodes.holding`,
:func:`~nodes.failing`). Python then spends its time per block, not per
record per condition: some 12 µs a record in blocks of 1,000 and 20 in blocks
of 32, against some 60 walked (:mod:`walk`, which has the figures). A block
costs some 140 µs however small, so blocks under :data:`SMALL` records are
walked instead.

The tests compare the columns with the conditions walked as written, on every
vignette and on random blocks.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from kneeguide.evaluate.compiled import Compiled, Leaves, compiled
from kneeguide.evaluate.inferred import Said, imply_no, item_columns
from kneeguide.evaluate.memo import PerRules, remembered
from kneeguide.evaluate.nodes import Node, failing, holding, positions
from kneeguide.evaluate.truth import ScoreFacts, Truth, facts_of
from kneeguide.evaluate.walk import walk

if TYPE_CHECKING:
    from kneeguide.ruleset.model import Answers

SMALL = 4  # below this many records a block is walked record by record (measured: see walk)
EMPTY: Answers = {}  # score leaves read the score's facts only


def _mask(rows: list[int], blank: bytes, n: int) -> int:
    """The ``n``-bit int with bit ``j`` set for each ``j`` in ``rows``."""
    column = bytearray(blank)
    for j in rows:
        column[n - 1 - j] = 49  # "1"
    return int(column, 2)


def _rows(columns: Sequence[int], n: int) -> list[int]:
    """Turn ``columns`` (bit j: record j) into one int per record (bit i: column i)."""
    if not columns:
        return [0] * n
    width = f"0{n}b"
    text = "".join([format(c, width) for c in columns])  # column 0 first, record n-1 first within each
    # record j is character n-1-j of every column; reading them column 0 first gives bit order reversed
    return [int(text[n - 1 - j :: n][::-1], 2) for j in range(n)]


class _Block:
    """A block's leaf columns and answers, as :mod:`inferred` sees them."""

    def __init__(self, compiled: Compiled, T: list[int], F: list[int], ones: int, block: Sequence[Answers]):
        self.compiled = compiled
        self.T = T
        self.F = F
        self.everyone = ones
        self.given = block
        self.answers: list[Answers] = list(block)

    def said(self, condition: Node) -> Said:
        T, F, ones = self.T, self.F, self.everyone
        return holding(condition, T, F, ones), failing(condition, T, F, ones)

    def answer_no(self, at: int, records: int) -> None:
        made_true, made_false = self.compiled.no_leaves[at]
        for i in made_true:
            self.T[i] |= records
        for i in made_false:
            self.F[i] |= records
        question = self.compiled.skippable[at]
        for j in positions(records):
            if self.answers[j] is self.given[j]:
                self.answers[j] = dict(self.given[j])
            self.answers[j][question] = "no"


class Columns:
    """The compiled conditions of one rule set, evaluated a block at a time."""

    def __init__(self, compiled: Compiled) -> None:
        self.compiled = compiled
        rules = compiled.rules
        flags = len(rules.red_flags)
        split = (
            flags,  # fired
            flags,  # not excluded
            sum(len(group) for group in compiled.escalations),
            len(compiled.features),
            len(compiled.floors),
            len(compiled.suitability),
            2 * len(compiled.populations),
        )
        # each Truth mask as (shift, mask) within a record's row of _late's columns
        at = [sum(split[:i]) for i in range(len(split))]
        self._cuts = [(at[i], (1 << split[i]) - 1) for i in range(len(split))]
        self._facts_seen: tuple[dict[int, ScoreFacts], ...] = tuple({} for _ in rules.scores)
        self._pairs: dict[tuple[str, object], Leaves] = {}
        self._skip_at = {q: i for i, q in enumerate(compiled.skippable)}

    def _late(self, T: list[int], F: list[int], ones: int) -> list[int]:
        """Columns in the order of a Truth's masks (see truth.bit_layout)."""
        c = self.compiled
        fired = [holding(n, T, F, ones) for n in c.flags]
        out = [ones & ~(t | failing(n, T, F, ones)) for n, t in zip(c.flags, fired, strict=True)]
        for t, group in zip(fired, c.escalations, strict=True):
            out += [t & holding(n, T, F, ones) for n in group]
        for nodes in (c.features, c.floors, c.suitability):
            out += [holding(n, T, F, ones) for n in nodes]
        for population, awaited in c.populations:
            # bit 2i: decided (holds or fails); bit 2i+1: withholds the band (see Truth)
            if population is None:
                out += [ones, 0]
                continue
            fails = failing(population, T, F, ones)
            waits = 0 if awaited is None else ones & ~holding(awaited, T, F, ones)
            out += [holding(population, T, F, ones) | fails, fails | waits]
        return fired + out

    def truths(self, block: Sequence[Answers]) -> list[Truth]:
        """Each answer set's :class:`Truth`, in order; the answer sets must be validated."""
        n = len(block)
        c = self.compiled
        if n < SMALL:
            return [walk(c.rules, a) for a in block]
        ones = (1 << n) - 1
        T, F, asked = self._given(block)
        records = _Block(c, T, F, ones, block)
        imply_no(records, c.ask_if, asked)
        facts_rows = self._scores(records)
        (s0, m0), (s1, m1), (s2, m2), (s3, m3), (s4, m4), (s5, m5), (s6, m6) = self._cuts
        return [
            Truth(
                answers,
                facts,
                m >> s0 & m0,
                m >> s1 & m1,
                m >> s2 & m2,
                m >> s3 & m3,
                m >> s4 & m4,
                m >> s5 & m5,
                m >> s6 & m6,
            )
            for answers, facts, m in zip(
                records.answers, facts_rows, _rows(self._late(T, F, ones), n), strict=True
            )
        ]

    def _given(self, block: Sequence[Answers]) -> tuple[list[int], list[int], list[int]]:
        """The leaf columns (``T``, ``F``) the answers decide, and who answered each skippable question."""
        n = len(block)
        c = self.compiled
        # which records gave each answer: a column per (question, value) pair
        blank = b"0" * n
        given_by: dict[tuple[str, object], bytearray] = {}  # as text: record j is character n-1-j
        for j, given in enumerate(block):
            k = n - 1 - j
            for answer in given.items():
                column = given_by.get(answer)
                if column is None:
                    given_by[answer] = column = bytearray(blank)
                column[k] = 49  # "1"
        T = [0] * c.width
        F = [0] * c.width
        skip_at = self._skip_at
        asked = [0] * len(c.skippable)
        for pair, column in given_by.items():
            mask = int(column, 2)
            true_leaves, false_leaves = remembered(self._pairs, pair, c.leaves_of, *pair)
            for i in true_leaves:
                T[i] |= mask
            for i in false_leaves:
                F[i] |= mask
            at = skip_at.get(pair[0])
            if at is not None:
                asked[at] |= mask
        return T, F, asked

    def _scores(self, records: _Block) -> list[tuple[ScoreFacts, ...]]:
        """Each record's score facts; the score leaves' columns are filled in on the way.

        What each item says becomes one row per record; the facts and the score
        leaves (comparisons with a score's interval) are worked out once per
        distinct row, and each leaf's columns are unions of row columns.
        """
        c = self.compiled
        n = len(records.answers)
        blank = b"0" * n
        facts_by_score: list[list[ScoreFacts]] = []
        for score, conditions, leaves, seen in zip(
            c.rules.scores, c.scores, c.score_leaves, self._facts_seen, strict=True
        ):
            rows = _rows(item_columns(records, conditions), n)
            by_row: dict[int, list[int]] = {}
            for j, row in enumerate(rows):
                members = by_row.get(row)
                if members is None:
                    by_row[row] = [j]
                else:
                    members.append(j)
            facts_of_row = {row: remembered(seen, row, facts_of, score, row) for row in by_row}
            facts_by_score.append([facts_of_row[row] for row in rows])
            for row, members in by_row.items() if leaves else ():
                facts = {score.id: facts_of_row[row]}
                mask = _mask(members, blank, n)
                for leaf_at, leaf in leaves:
                    value = leaf.evaluate(EMPTY, facts)
                    if value is True:
                        records.T[leaf_at] |= mask
                    elif value is False:
                        records.F[leaf_at] |= mask
        return list(zip(*facts_by_score, strict=True)) if facts_by_score else [()] * n


#: The column form of a rule set, built once per rule set object.
columns: PerRules[Columns] = PerRules(lambda rules: Columns(compiled(rules)))
