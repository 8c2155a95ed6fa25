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

from .compiled import MEMO_LIMIT, Compiled, Node, compiled, positions
from .conditions import Tri
from .model import Answers, RuleSet
from .truth import ScoreFacts, Truth, score_facts

SMALL = 32  # below this many records a block is assessed record by record


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
        self._split = (
            flags,
            flags,
            escalations,
            features,
            len(rules.floors),
            len(rules.acupuncture.suitability),
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
        self._leaf_seen: list[dict[int, Tri]] = [{} for _ in self._score_leaves]
        self._score_at = {score.id: i for i, score in enumerate(rules.scores)}

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
        found = self._pairs.get(pair)
        if found is None:
            t, k = self.compiled._set(0, 0, *pair)
            found = (positions(t), positions(k & ~t))
            if len(self._pairs) < MEMO_LIMIT:
                self._pairs[pair] = found
        return found

    def truths(self, block: Sequence[Answers]) -> list[Truth]:
        n = len(block)
        compiled = self.compiled
        if n < SMALL:
            return [compiled.truth(a) for a in block]
        ones = (1 << n) - 1
        # which records gave each answer: a column per (question, value) pair
        rows_of: dict[tuple[str, object], list[int]] = {}
        for j, given in enumerate(block):
            for answer in given.items():
                given_by = rows_of.get(answer)
                if given_by is None:
                    rows_of[answer] = [j]
                else:
                    given_by.append(j)
        T = [0] * self.width
        F = [0] * self.width
        skip_at = self._skip_at
        asked = [0] * len(self.skippable)
        blank = b"0" * n
        for pair, rows in rows_of.items():
            column = bytearray(blank)
            for j in rows:
                column[n - 1 - j] = 49  # "1"
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
        # scores: what each item says, per record, then the facts (remembered by pattern)
        columns = self._items(T, F, ones)
        facts_rows: list[list[ScoreFacts]] = [[] for _ in range(n)]
        at = 0
        keys_by_score = []
        for score, seen in zip(compiled.rules.scores, self._facts_seen, strict=True):
            width = 2 + 3 * len(score.items)
            keys = _rows(columns[at : at + width], n)
            at += width
            keys_by_score.append(keys)
            for j, pattern in enumerate(keys):
                found = seen.get(pattern)
                if found is None:
                    found = _facts(score, pattern)
                    if len(seen) < MEMO_LIMIT:
                        seen[pattern] = found
                facts_rows[j].append(found)
        # score leaves (a comparison with a score's interval) become columns too:
        # each depends on its own score's pattern only, so few values are ever worked out
        for (leaf_index, leaf), seen_leaf in zip(self._score_leaves, self._leaf_seen, strict=True):
            true_bits = ["0"] * n
            false_bits = ["0"] * n
            which = self._score_at[leaf.score]
            for j, key in enumerate(keys_by_score[which]):
                if key in seen_leaf:
                    value = seen_leaf[key]
                else:
                    value = leaf.evaluate(answers[j], {leaf.score: facts_rows[j][which]})
                    if len(seen_leaf) < MEMO_LIMIT:
                        seen_leaf[key] = value
                if value is True:
                    true_bits[n - 1 - j] = "1"
                elif value is False:
                    false_bits[n - 1 - j] = "1"
            T[leaf_index] = int("".join(true_bits), 2)
            F[leaf_index] = int("".join(false_bits), 2)
        rows = _rows(self._late(T, F, ones), n)
        out = []
        sizes = self._split
        for j in range(n):
            m = rows[j]
            parts = []
            for size in sizes:
                parts.append(m & ((1 << size) - 1))
                m >>= size
            out.append(Truth(answers[j], tuple(facts_rows[j]), *parts))
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


_CACHE: list[Columns] = []


def columns(rules: RuleSet) -> Columns:
    """The column form of ``rules``, built once per rule set object."""
    for entry in _CACHE:
        if entry.compiled.rules is rules:
            return entry
    entry = Columns(compiled(rules))
    _CACHE.insert(0, entry)
    del _CACHE[8:]
    return entry
