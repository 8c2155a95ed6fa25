"""A rule set's conditions compiled to bit-mask tests.

Walking ~300 condition leaves per record in Python costs about 0.3 ms; batch
scoring needs a few microseconds. So each distinct leaf gets a bit, an answer
set becomes two integers — ``T``, the leaves definitely true, and ``F``, the
leaves definitely false (a leaf in neither is unknown) — and every condition
becomes a short generated expression over them: ``all`` of leaves is true when
``T & mask == mask`` and false when ``F & mask``, in Kleene logic exactly as
:mod:`conditions` defines it.

The generated source is built only from bit numbers and the fixed shapes
below, never from text in the rule files, and is compiled once per rule set.
:func:`truth.interpret` is the reference this must always agree with; the
tests compare the two on every rule test, every vignette and random answer
sets.
"""

from __future__ import annotations

import builtins
import marshal
import operator
import types
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from .conditions import All, AnswerCompare, AnswerIs, Condition, Not, ScoreBand, ScoreCompare, Tri
from .conditions import Any as AnyOf
from .model import Answers, RuleSet
from .truth import ScoreFacts, Truth, bit_layout, score_facts

_OPS: dict[str, Callable[[float, float], bool]] = {
    "ge": operator.ge,
    "gt": operator.gt,
    "le": operator.le,
    "lt": operator.lt,
}

_Compare = tuple[int, Callable[[float, float], bool], float]  # (bit, operator, threshold)


class _Bits:
    """One bit per distinct leaf."""

    def __init__(self) -> None:
        self.of: dict[Condition, int] = {}

    def bit(self, leaf: Condition) -> int:
        if leaf not in self.of:
            self.of[leaf] = 1 << len(self.of)
        return self.of[leaf]


def _is_leaf(c: Condition) -> bool:
    return isinstance(c, (AnswerIs, AnswerCompare, ScoreCompare, ScoreBand))


def _tf(c: Condition, bits: _Bits) -> tuple[str, str]:
    """Two Python expressions over T and F: truthy iff ``c`` is definitely true / false."""
    if _is_leaf(c):
        b = bits.bit(c)
        return f"T & {b}", f"F & {b}"
    if isinstance(c, Not):
        t, f = _tf(c.child, bits)
        return f, t
    assert isinstance(c, (All, AnyOf))
    pos = neg = 0
    nested: list[tuple[str, str]] = []
    for child in c.children:
        if _is_leaf(child):
            pos |= bits.bit(child)
        elif isinstance(child, Not) and _is_leaf(child.child):
            neg |= bits.bit(child.child)
        else:
            nested.append(_tf(child, bits))
    # "every listed leaf true" and "some listed leaf true", for T and F alike
    every_t = [f"T & {pos} == {pos}"] * bool(pos) + [f"F & {neg} == {neg}"] * bool(neg)
    some_f = [f"F & {pos}"] * bool(pos) + [f"T & {neg}"] * bool(neg)
    some_t = [f"T & {pos}"] * bool(pos) + [f"F & {neg}"] * bool(neg)
    every_f = [f"F & {pos} == {pos}"] * bool(pos) + [f"T & {neg} == {neg}"] * bool(neg)
    if isinstance(c, All):
        t_parts = every_t + [f"({t})" for t, _ in nested]
        f_parts = some_f + [f"({f})" for _, f in nested]
        return " and ".join(t_parts) or "True", " or ".join(f_parts) or "False"
    t_parts = some_t + [f"({t})" for t, _ in nested]
    f_parts = every_f + [f"({f})" for _, f in nested]
    return " or ".join(t_parts) or "False", " and ".join(f_parts) or "True"


Need = tuple[int, int] | None  # (T bits, F bits) one of which must be set; None: no such test


def _need(c: Condition, bits: _Bits, positive: bool = True) -> Need:
    """Literals of which at least one must be definite for ``c`` to be definitely ``positive``.

    Used only to skip work: when none is set, ``c`` cannot be definitely true
    (or false), so its full test need not run. ``None`` means no cheap test exists.
    """
    if _is_leaf(c):
        b = bits.bit(c)
        return (b, 0) if positive else (0, b)
    if isinstance(c, Not):
        return _need(c.child, bits, not positive)
    assert isinstance(c, (All, AnyOf))
    needs = [_need(child, bits, positive) for child in c.children]
    if isinstance(c, All) == positive:  # every child must hold: any one child's need will do
        known = [n for n in needs if n is not None]
        return min(known, key=lambda n: bin(n[0] | n[1]).count("1")) if known else None
    if not needs or None in needs:  # some child must hold: the union of their needs
        return None
    return (sum_or(n[0] for n in needs if n), sum_or(n[1] for n in needs if n))


def sum_or(masks: Iterable[int]) -> int:
    out = 0
    for m in masks:
        out |= m
    return out


def _guard(needs: Iterable[Need]) -> str | None:
    t = f = 0
    for n in needs:
        if n is None:
            return None
        t |= n[0]
        f |= n[1]
    parts = [f"T & {t}"] * bool(t) + [f"F & {f}"] * bool(f)
    return " or ".join(parts) or "False"


def _mask(name: str, first: int, conditions: Sequence[Condition], bits: _Bits) -> list[str]:
    """Statements setting bit ``first + i`` of ``name`` when condition ``i`` is definitely true."""
    tests = [f"if {_tf(c, bits)[0]}: {name} |= {1 << (first + i)}" for i, c in enumerate(conditions)]
    guard = _guard(_need(c, bits) for c in conditions) if conditions else None
    if guard is None:
        return tests
    return [f"if {guard}:", *("    " + line for line in tests)]


def _function(name: str, body: list[str], args: str = "T, F") -> Callable[..., Any]:
    namespace: dict[str, Any] = {}
    source = "\n".join([f"def {name}({args}):", *("    " + line for line in body)])
    exec(compile(source, f"<kneeguide rules: {name}>", "exec"), namespace)  # built above from ints only
    function: Callable[..., Any] = namespace[name]
    return function


def _tri(c: Condition, bits: _Bits) -> str:
    t, f = _tf(c, bits)
    return f"True if {t} else False if {f} else None"


class Compiled:
    """The decisions of one rule set, evaluated as bit-mask tests."""

    def __init__(self, rules: RuleSet) -> None:
        self.rules = rules
        bits = _Bits()
        skippable = [q for q in rules.skippable if q.ask_if is not None]
        self._skippable = tuple(q.id for q in skippable)
        self._skipped: Callable[[int, int], list[int]] = _function(
            "skipped",
            [
                "out = []",
                *(
                    f"if {_tf(q.ask_if, bits)[1]}: out.append({i})"
                    for i, q in enumerate(skippable)
                    if q.ask_if
                ),
                "return out",
            ],
        )
        # per score: (applicable, what each item says, which items a lay stand-in decided)
        body = []
        for n, score in enumerate(rules.scores):
            body.append(f"a{n} = {_tri(score.applies_if, bits) if score.applies_if is not None else 'True'}")
            for i, item in enumerate(score.items):
                body += [f"w{i} = {_tri(item.when, bits)}", f"x{i} = False"]
                if item.proxy is not None:
                    body += [
                        f"if w{i} is None:",
                        f"    w{i} = {_tri(item.proxy, bits)}",
                        f"    x{i} = w{i} is not None",
                    ]
            present = "".join(f"w{i}, " for i in range(len(score.items)))
            proxy = "".join(f"x{i}, " for i in range(len(score.items)))
            body.append(f"s{n} = (a{n}, ({present}), ({proxy}))")
        body.append(f"return ({''.join(f's{n}, ' for n in range(len(rules.scores)))})")
        self._items: Callable[[int, int], tuple[tuple[Tri, tuple[Tri, ...], tuple[bool, ...]], ...]]
        self._items = _function("items", body)
        # red flags: fired, not excluded, or (in neither mask) excluded
        body = ["fired = unknown = escalations = features = floors = suitability = 0"]
        for i, flag in enumerate(rules.red_flags):
            t, f = _tf(flag.when, bits)
            body += [f"if {t}:", f"    fired |= {1 << i}", f"elif not ({f}):", f"    unknown |= {1 << i}"]
        escalation_at, feature_at = bit_layout(rules)
        for i, flag in enumerate(rules.red_flags):  # escalations matter only once their flag fired
            if flag.escalations:
                body.append(f"if fired & {1 << i}:")
                body += [
                    "    " + line
                    for line in _mask(
                        "escalations", escalation_at[i], [e.when for e in flag.escalations], bits
                    )
                ]
        for i, cause in enumerate(rules.causes):
            body += _mask("features", feature_at[i], [x.when for x in cause.features], bits)
        body += _mask("floors", 0, [f.when for f in rules.floors], bits)
        body += _mask("suitability", 0, [x.when for x in rules.acupuncture.suitability], bits)
        body.append("return fired, unknown, escalations, features, floors, suitability")
        self._late: Callable[[int, int], tuple[int, int, int, int, int, int]] = _function("late", body)
        # after every condition has claimed its bits: how each answer sets them
        answer_leaves: dict[str, tuple[int, dict[str, int], list[_Compare]]] = {}
        self._score_leaves: list[tuple[int, ScoreCompare | ScoreBand]] = []
        for leaf, bit in bits.of.items():
            if isinstance(leaf, AnswerIs):
                is_bits, table, compares = answer_leaves.setdefault(leaf.question, (0, {}, []))
                for value in leaf.values:
                    table[value] = table.get(value, 0) | bit
                answer_leaves[leaf.question] = (is_bits | bit, table, compares)
            elif isinstance(leaf, AnswerCompare):
                is_bits, table, compares = answer_leaves.setdefault(leaf.question, (0, {}, []))
                compares.append((bit, _OPS[leaf.op], leaf.threshold))
            else:
                assert isinstance(leaf, (ScoreCompare, ScoreBand))
                self._score_leaves.append((bit, leaf))
        self._answer_leaves = {q: (b, t, tuple(c)) for q, (b, t, c) in answer_leaves.items()}
        # every word answer a valid answer set can hold → (true bits, known bits), one lookup each
        self._words: dict[tuple[str, object], tuple[int, int]] = {}
        for question in rules.questions.values():
            is_bits, table, _ = self._answer_leaves.get(question.id, (0, {}, ()))
            words = {"yes", "no"} if question.type == "yn" else {c.id for c in question.choices}
            for word in words | set(table):
                self._words[(question.id, word)] = (table.get(word, 0), is_bits)
            self._words[(question.id, "unsure")] = (0, 0)
        self._score_ids = tuple(s.id for s in rules.scores)
        self.leaves: dict[Condition, int] = dict(bits.of)  # every leaf and its bit (see columns.py)
        # a score's facts follow from what its items say, and few combinations ever occur
        self._facts_seen: tuple[dict[tuple[Tri, tuple[Tri, ...], tuple[bool, ...]], ScoreFacts], ...]
        self._facts_seen = tuple({} for _ in rules.scores)

    def __getstate__(self) -> dict[str, Any]:
        """Picklable for the rules cache: generated functions travel as their code."""
        state = dict(self.__dict__)
        for name in _GENERATED:
            state[name] = marshal.dumps(state[name].__code__)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        for name in _GENERATED:
            code = marshal.loads(state[name])  # our own cache entry: owner-only, digest-checked
            state[name] = types.FunctionType(code, {"__builtins__": builtins})
        self.__dict__.update(state)

    def _set(self, t: int, k: int, question: str, value: object) -> tuple[int, int]:
        """Fold one answer into the true and known masks."""
        entry = self._answer_leaves.get(question)
        if entry is None or value is None or value == "unsure":
            return t, k
        is_bits, table, compares = entry
        k |= is_bits
        if isinstance(value, str):
            t |= table.get(value, 0)  # numeric comparisons of a word stay unknown
            return t, k
        for bit, op, threshold in compares:
            k |= bit
            if op(value, threshold):  # type: ignore[arg-type]
                t |= bit
        return t, k

    def truth(self, given: Answers) -> Truth:
        t = k = 0
        words = self._words
        for pair in given.items():
            hit = words.get(pair)
            if hit is None:  # a number (or a word no table knows): folded the long way, then remembered
                hit = self._set(0, 0, *pair)
                if len(words) < MEMO_LIMIT and pair[1].__class__ in (int, float):
                    words[pair] = hit
            t |= hit[0]
            k |= hit[1]
        answers = given
        while True:  # the "no" of questions skipped because their ask_if is false
            added = False
            for index in self._skipped(t, k & ~t):
                question = self._skippable[index]
                if question not in answers:
                    if answers is given:
                        answers = dict(given)
                    answers[question] = "no"
                    t, k = self._set(t, k, question, "no")
                    added = True
            if not added:
                break
        facts = []
        for score, seen, key in zip(self.rules.scores, self._facts_seen, self._items(t, k & ~t), strict=True):
            found = seen.get(key)
            if found is None:
                applicable, present, proxy = key
                found = score_facts(score, present, proxy, applicable)
                if len(seen) < MEMO_LIMIT:
                    seen[key] = found
            facts.append(found)
        if self._score_leaves:
            by_id: dict[str, ScoreFacts] = dict(zip(self._score_ids, facts, strict=True))
            for bit, leaf in self._score_leaves:
                value = leaf.evaluate(answers, by_id)
                if value is not None:
                    k |= bit
                    if value:
                        t |= bit
        return Truth(answers, tuple(facts), *self._late(t, k & ~t))


_GENERATED = ("_skipped", "_items", "_late")
#: How many answers, combinations or patterns each memo of a rule set keeps. Small
#: enough that every memo is full after a few thousand records, so a batch's memory
#: is the same for ten thousand records as for a million.
MEMO_LIMIT = 256
_CACHE: list[Compiled] = []


def adopt(entry: Compiled, rules: RuleSet) -> None:
    """Use ``entry`` (from the rules cache) as the compiled form of ``rules``."""
    entry.rules = rules
    _CACHE.insert(0, entry)
    del _CACHE[8:]


def compiled(rules: RuleSet) -> Compiled:
    """The compiled form of ``rules``, built once per rule set object."""
    for entry in _CACHE:
        if entry.rules is rules:
            return entry
    entry = Compiled(rules)
    _CACHE.insert(0, entry)
    del _CACHE[8:]  # a few rule sets at most live in one process
    return entry
