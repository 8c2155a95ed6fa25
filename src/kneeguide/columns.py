"""Many answer sets at once: the compiled conditions evaluated on bit columns.

:mod:`compiled` gives each condition leaf a bit and evaluates one answer set as
two integers. A batch turns that sideways: for a block of ``n`` answer sets,
leaf ``i`` becomes two ``n``-bit integers (``T[i]``: the records where it is
definitely true; ``F[i]``: definitely false), and each condition is evaluated
once for the whole block with ``&`` and ``|`` in the same Kleene logic
(``all`` is true where every child is true and false where any child is
false). Python then spends its time per block, not per record per condition.

The per-record :meth:`Compiled.truth` stays the definition this must match; the
tests compare the two on every vignette and on random blocks.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from .compiled import MEMO_LIMIT, Compiled, _function, compiled
from .conditions import All, AnswerCompare, AnswerIs, Condition, Not, ScoreBand, ScoreCompare, Tri
from .conditions import Any as AnyOf
from .model import Answers, RuleSet
from .truth import ScoreFacts, Truth, score_facts

SMALL = 32  # below this many records a block is assessed record by record
ARGS = "T, F, ONES"  # the generated functions' parameters: the columns, and a column of ones


def _vtf(c: Condition, index: dict[Condition, int]) -> tuple[str, str]:
    """Expressions over the columns T and F: where ``c`` is definitely true / false."""
    if isinstance(c, (AnswerIs, AnswerCompare, ScoreCompare, ScoreBand)):
        return f"T[{index[c]}]", f"F[{index[c]}]"
    if isinstance(c, Not):
        t, f = _vtf(c.child, index)
        return f, t
    assert isinstance(c, (All, AnyOf))
    parts = [_vtf(child, index) for child in c.children]
    ts = [f"({t})" for t, _ in parts]
    fs = [f"({f})" for _, f in parts]
    if isinstance(c, All):  # true where every child is true, false where any child is false
        return " & ".join(ts) or "ONES", " | ".join(fs) or "0"
    return " | ".join(ts) or "0", " & ".join(fs) or "ONES"


def _bits_of(mask: int) -> list[int]:
    out = []
    while mask:
        low = mask & -mask
        out.append(low.bit_length() - 1)
        mask ^= low
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
        index = {leaf: bit.bit_length() - 1 for leaf, bit in compiled.leaves.items()}
        self.width = len(index)
        # questions skipped because their ask_if is false: one column each
        skippable = [q for q in rules.skippable if q.ask_if is not None]
        self.skippable = tuple(q.id for q in skippable)
        self._skipped: Callable[[list[int], list[int], int], list[int]] = _function(
            "skipped",
            ["return [", *(f"    {_vtf(q.ask_if, index)[1]}," for q in skippable if q.ask_if), "]"],
            ARGS,
        )
        # score items, their lay stand-ins, and where the score applies
        body: list[str] = ["out = []"]
        for score in rules.scores:
            if score.applies_if is not None:
                t, f = _vtf(score.applies_if, index)
                body.append(f"out += [{t}, {f}]")
            else:
                body.append("out += [ONES, 0]")
            for item in score.items:
                wt, wf = _vtf(item.when, index)
                body.append(f"wt = {wt}; wf = {wf}")
                if item.proxy is not None:
                    pt, pf = _vtf(item.proxy, index)
                    body += [
                        "known = wt | wf",
                        f"pt = ({pt}) & ~known; pf = ({pf}) & ~known",
                        "out += [wt | pt, wf | pf, pt | pf]",
                    ]
                else:
                    body.append("out += [wt, wf, 0]")
        body.append("return out")
        self._items: Callable[[list[int], list[int], int], list[int]] = _function("items", body, ARGS)
        # everything else, in the order of the masks of a Truth (see truth.bit_layout)
        body = ["fired = []", "out = []"]
        for flag in rules.red_flags:
            t, f = _vtf(flag.when, index)
            body += [f"t = {t}; f = {f}", "fired.append(t)", "out.append(ONES & ~(t | f))"]
        for i, flag in enumerate(rules.red_flags):
            for e in flag.escalations:
                body.append(f"out.append(fired[{i}] & ({_vtf(e.when, index)[0]}))")
        for cause in rules.causes:
            body += [f"out.append({_vtf(x.when, index)[0]})" for x in cause.features]
        body += [f"out.append({_vtf(f.when, index)[0]})" for f in rules.floors]
        body += [f"out.append({_vtf(x.when, index)[0]})" for x in rules.acupuncture.suitability]
        body.append("return fired + out")
        self._late: Callable[[list[int], list[int], int], list[int]] = _function("late", body, ARGS)
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
            str, tuple[list[int], list[int]]
        ] = {}  # question → leaves "no" makes true / false
        for question in self.skippable:
            is_bits, table, _ = compiled._answer_leaves.get(question, (0, {}, ()))
            yes = table.get("no", 0)
            self._no_leaves[question] = (_bits_of(is_bits & yes), _bits_of(is_bits & ~yes))
        self._score_leaves = [(bit.bit_length() - 1, leaf) for bit, leaf in compiled._score_leaves]
        self._facts_seen: tuple[dict[int, ScoreFacts], ...] = tuple({} for _ in rules.scores)
        self._pairs: dict[tuple[str, object], tuple[list[int], list[int]]] = {}
        self._skip_at = {q: i for i, q in enumerate(self.skippable)}
        self._leaf_seen: list[dict[int, Tri]] = [{} for _ in self._score_leaves]
        self._score_at = {score.id: i for i, score in enumerate(rules.scores)}

    def _leaves_of(self, pair: tuple[str, object]) -> tuple[list[int], list[int]]:
        """The leaves an answer makes definitely true, and those it makes definitely false."""
        found = self._pairs.get(pair)
        if found is None:
            t, k = self.compiled._set(0, 0, *pair)
            found = (_bits_of(t), _bits_of(k & ~t))
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
                    for j in _bits_of(new):
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
