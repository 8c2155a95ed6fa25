"""Many answer sets at once: the compiled conditions evaluated on bit columns.

:mod:`compiled` gives each condition leaf a bit and evaluates one answer set as
two integers. A batch turns that sideways: for a block of ``n`` answer sets,
leaf ``i`` becomes two ``n``-bit integers (``T[i]``: the records where it is
definitely true; ``F[i]``: definitely false), and each condition is evaluated
once for the whole block with ``&`` and ``|`` on the same :class:`~compiled.Node`
trees, in the same Kleene logic
(``all`` is true where every child is true and false where any child is
false). Python then spends its time per block, not per record per condition.

The per-record :meth:`Compiled.truth` stays the definition this must match; the
tests compare the two on every vignette and on random blocks.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kneeguide.evaluate.bits import Compiled, Node, PerRules, compiled, positions, remembered
from kneeguide.evaluate.conditions import ScoreBand, ScoreCompare, Tri
from kneeguide.evaluate.truth import ScoreFacts, Truth, score_facts
from kneeguide.ruleset.model import Answers

SMALL = 32  # below this many records a block is assessed record by record
EMPTY: Answers = {}  # score leaves read the score's facts only


def holding(n: Node, T: list[int], F: list[int], ones: int) -> int:
    """The records (bits) where ``n`` is definitely true."""
    if n.all:
        out = ones
        for i in n.pos_at:
            out &= T[i]
        for i in n.neg_at:
            out &= F[i]
        for child in n.children:
            out &= holding(child, T, F, ones)
        return out
    out = 0
    for i in n.pos_at:
        out |= T[i]
    for i in n.neg_at:
        out |= F[i]
    for child in n.children:
        out |= holding(child, T, F, ones)
    return out


def failing(n: Node, T: list[int], F: list[int], ones: int) -> int:
    """The records (bits) where ``n`` is definitely false."""
    if n.all:  # one part false is enough
        out = 0
        for i in n.pos_at:
            out |= F[i]
        for i in n.neg_at:
            out |= T[i]
        for child in n.children:
            out |= failing(child, T, F, ones)
        return out
    out = ones  # every part must be false
    for i in n.pos_at:
        out &= F[i]
    for i in n.neg_at:
        out &= T[i]
    for child in n.children:
        out &= failing(child, T, F, ones)
    return out


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


def _transpose(masks: Sequence[int], width: int) -> list[int]:
    """Turn one mask per record into ``width`` columns (bit j of column i: bit i of record j)."""
    if not width:
        return []
    fmt = f"0{width}b"
    text = "".join([format(m, fmt) for m in masks])  # record 0 first, bit width-1 first within each
    return [int(text[width - 1 - i :: width][::-1], 2) for i in range(width)]


class Columns:
    """The compiled conditions of one rule set, evaluated a block at a time."""

    def __init__(self, compiled: Compiled) -> None:
        self.compiled = compiled
        rules = compiled.rules
        self.width = len(compiled.leaves)
        self.skippable = compiled._skippable
        flags = len(rules.red_flags)
        escalations = sum(len(f.escalations) for f in rules.red_flags)
        features = sum(len(c.features) for c in rules.causes)
        split = (
            flags,
            flags,
            escalations,
            features,
            len(rules.floors),
            len(rules.acupuncture.suitability),
        )
        # each Truth mask as (shift, mask) within a record's row of _late's columns
        at = [sum(split[:i]) for i in range(len(split))]
        self._cuts: tuple[int, list[tuple[int, int]]] = (
            (1 << split[0]) - 1,
            [(at[i], (1 << split[i]) - 1) for i in range(1, len(split))],
        )
        self._no_leaves: dict[
            str, tuple[tuple[int, ...], tuple[int, ...]]
        ] = {}  # question → leaves "no" makes true / false
        for question in self.skippable:
            is_bits, table, _ = compiled._answer_leaves.get(question, (0, {}, ()))
            yes = table.get("no", 0)
            self._no_leaves[question] = (positions(is_bits & yes), positions(is_bits & ~yes))
        self._score_leaves = [(bit.bit_length() - 1, leaf) for bit, leaf in compiled._score_leaves]
        self._facts_seen: tuple[dict[int, ScoreFacts], ...] = tuple({} for _ in rules.scores)
        self._pairs: dict[tuple[str, object], tuple[tuple[int, ...], tuple[int, ...]]] = {}
        self._skip_at = {q: i for i, q in enumerate(self.skippable)}
        self._leaves_by_score: list[list[tuple[int, ScoreCompare | ScoreBand]]] = [
            [(at, leaf) for at, leaf in self._score_leaves if leaf.score == score.id]
            for score in rules.scores
        ]

    def _skipped(self, T: list[int], F: list[int], ones: int) -> list[int]:
        """Per skippable question: the records where its ask_if is definitely false."""
        return [failing(n, T, F, ones) for n in self.compiled.ask_if]

    def _items(self, T: list[int], F: list[int], ones: int) -> list[int]:
        """Per score: [applies, not applies, then per item: said yes, said no, by a stand-in]."""
        out: list[int] = []
        for applies, items in self.compiled.scores:
            if applies is None:
                out += [ones, 0]
            else:
                out += [holding(applies, T, F, ones), failing(applies, T, F, ones)]
            for when, stand_in in items:
                wt, wf = holding(when, T, F, ones), failing(when, T, F, ones)
                if stand_in is None:
                    out += [wt, wf, 0]
                    continue
                known = wt | wf
                pt = holding(stand_in, T, F, ones) & ~known
                pf = failing(stand_in, T, F, ones) & ~known
                out += [wt | pt, wf | pf, pt | pf]
        return out

    def _late(self, T: list[int], F: list[int], ones: int) -> list[int]:
        """Columns in the order of a Truth's masks (see truth.bit_layout)."""
        c = self.compiled
        fired = [holding(n, T, F, ones) for n in c.flags]
        out = [ones & ~(t | failing(n, T, F, ones)) for n, t in zip(c.flags, fired, strict=True)]
        for t, group in zip(fired, c.escalations, strict=True):
            out += [t & holding(n, T, F, ones) for n in group.nodes]
        for group in c.features:
            out += [holding(n, T, F, ones) for n in group.nodes]
        out += [holding(n, T, F, ones) for n in c.floors.nodes]
        out += [holding(n, T, F, ones) for n in c.suitability.nodes]
        return fired + out

    def _leaves_of(self, pair: tuple[str, object]) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """The leaves an answer makes definitely true, and those it makes definitely false."""
        found: tuple[tuple[int, ...], tuple[int, ...]] = remembered(self._pairs, pair, self._fold, pair)
        return found

    def _fold(self, pair: tuple[str, object]) -> tuple[tuple[int, ...], tuple[int, ...]]:
        t, k = self.compiled._set(0, 0, *pair)
        return positions(t), positions(k & ~t)

    def truths(self, block: Sequence[Answers]) -> list[Truth]:
        n = len(block)
        compiled = self.compiled
        if n < SMALL:
            return [compiled.truth(a) for a in block]
        ones = (1 << n) - 1
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
        T = [0] * self.width
        F = [0] * self.width
        skip_at = self._skip_at
        asked = [0] * len(self.skippable)
        for pair, column in given_by.items():
            mask = int(column, 2)
            true_leaves, false_leaves = self._leaves_of(pair)
            for column_index in true_leaves:
                T[column_index] |= mask
            for column_index in false_leaves:
                F[column_index] |= mask
            at = skip_at.get(pair[0])
            if at is not None:
                asked[at] |= mask
        answers: list[Answers] = list(block)
        if self.skippable:
            while True:  # the "no" of questions skipped because their ask_if is false
                added = False
                for i, false in enumerate(self._skipped(T, F, ones)):
                    new = false & ~asked[i]
                    if not new:
                        continue
                    added = True
                    asked[i] |= new
                    question = self.skippable[i]
                    made_true, made_false = self._no_leaves[question]
                    for column_index in made_true:
                        T[column_index] |= new
                    for column_index in made_false:
                        F[column_index] |= new
                    for j in positions(new):
                        if answers[j] is block[j]:
                            answers[j] = dict(block[j])
                        answers[j][question] = "no"
                if not added:
                    break
        # scores: what each item says, as one pattern per record; the facts and the
        # score leaves (comparisons with a score's interval) are worked out once per
        # distinct pattern, and each leaf's columns are unions of pattern columns
        columns = self._items(T, F, ones)
        at = 0
        facts_by_score: list[list[ScoreFacts]] = []
        for index, (score, seen) in enumerate(zip(compiled.rules.scores, self._facts_seen, strict=True)):
            width = 2 + 3 * len(score.items)
            keys = _rows(columns[at : at + width], n)
            at += width
            by_pattern: dict[int, list[int]] = {}
            for j, pattern in enumerate(keys):
                members = by_pattern.get(pattern)
                if members is None:
                    by_pattern[pattern] = [j]
                else:
                    members.append(j)
            facts_of: dict[int, ScoreFacts] = {}
            for pattern in by_pattern:
                facts_of[pattern] = remembered(seen, pattern, _facts, score, pattern)
            facts_by_score.append([facts_of[pattern] for pattern in keys])
            leaves = self._leaves_by_score[index]
            if not leaves:
                continue
            for pattern, members in by_pattern.items():
                facts = {score.id: facts_of[pattern]}
                mask = _mask(members, blank, n)
                for leaf_index, leaf in leaves:
                    value = leaf.evaluate(EMPTY, facts)
                    if value is True:
                        T[leaf_index] |= mask
                    elif value is False:
                        F[leaf_index] |= mask
        facts_rows = list(zip(*facts_by_score, strict=True)) if facts_by_score else [()] * n
        rows = _rows(self._late(T, F, ones), n)
        out = []
        m0, ((s1, m1), (s2, m2), (s3, m3), (s4, m4), (s5, m5)) = self._cuts
        for j in range(n):
            m = rows[j]
            out.append(
                Truth(
                    answers[j],
                    facts_rows[j],
                    m & m0,
                    m >> s1 & m1,
                    m >> s2 & m2,
                    m >> s3 & m3,
                    m >> s4 & m4,
                    m >> s5 & m5,
                )
            )
        return out


def _facts(score: Any, key: int) -> ScoreFacts:
    """Decode one record's row of item columns: [applies t, f, then t, f, stand-in per item]."""
    applicable: Tri = True if key & 1 else False if key & 2 else None
    present: list[Tri] = []
    proxy: list[bool] = []
    for i in range(len(score.items)):
        bits = key >> (2 + 3 * i)
        present.append(True if bits & 1 else False if bits & 2 else None)
        proxy.append(bool(bits & 4))
    return score_facts(score, tuple(present), tuple(proxy), applicable)


#: The column form of a rule set, built once per rule set object.
columns: PerRules[Columns] = PerRules(lambda rules: Columns(compiled(rules)))
