"""A rule set's conditions compiled to bit-mask tests.

Walking ~300 condition leaves per record costs about 0.3 ms, most of it in
looking answers up again and again. So each distinct leaf gets a bit, an
answer set becomes two integers — ``T``, the leaves definitely true, and ``F``,
the leaves definitely false (a leaf in neither is unknown) — once, and every
condition becomes a :class:`Node` of bit masks in negation normal form: ``all``
of leaves is true when ``T & mask == mask`` and false when ``F & mask``, in
Kleene logic exactly as :mod:`conditions` defines it. Nodes are data, like the
conditions they come from: nothing is generated or evaluated as Python.

:func:`truth.interpret` is the reference this must always agree with; the
tests compare the two on random condition trees, every rule test, every
vignette and random answer sets.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Generic, NamedTuple, TypeVar

from kneeguide.evaluate.conditions import (
    All,
    AnswerCompare,
    AnswerIs,
    Condition,
    Not,
    ScoreBand,
    ScoreCompare,
    Tri,
)
from kneeguide.evaluate.conditions import Any as AnyOf
from kneeguide.evaluate.truth import ScoreFacts, Truth, bit_layout, score_facts
from kneeguide.ruleset.model import Answers, RuleSet

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


class Node(NamedTuple):
    """A condition in negation normal form, its leaves as bit masks.

    ``all`` (else ``any``) of: the leaves in ``pos`` being true, the leaves in
    ``neg`` being false, and the ``children``. ``pos_at`` and ``neg_at`` name
    the same leaves by position, for the columns of :mod:`columns`.
    """

    all: bool
    pos: int
    neg: int
    pos_at: tuple[int, ...]
    neg_at: tuple[int, ...]
    children: tuple[Node, ...]


def _is_leaf(c: Condition) -> bool:
    return isinstance(c, (AnswerIs, AnswerCompare, ScoreCompare, ScoreBand))


def node(c: Condition, bits: _Bits, negate: bool = False) -> Node:
    """``c`` (or ``not c``) as a :class:`Node`, negations pushed down to the leaves."""
    if _is_leaf(c):
        b = bits.bit(c)
        at = (b.bit_length() - 1,)
        return Node(False, 0, b, (), at, ()) if negate else Node(False, b, 0, at, (), ())
    if isinstance(c, Not):
        return node(c.child, bits, not negate)
    assert isinstance(c, (All, AnyOf))
    is_all = isinstance(c, All) != negate  # not all = any not; not any = all not
    pos = neg = 0
    children: list[Node] = []
    for child in c.children:
        n = node(child, bits, negate)
        if not n.all and not n.children and len(n.pos_at) + len(n.neg_at) == 1:
            pos |= n.pos  # a single literal joins this node's masks
            neg |= n.neg
        else:
            children.append(n)
    return Node(is_all, pos, neg, positions(pos), positions(neg), tuple(children))


def positions(mask: int) -> tuple[int, ...]:
    """The positions of the set bits of ``mask``, lowest first."""
    out = []
    while mask:
        low = mask & -mask
        out.append(low.bit_length() - 1)
        mask ^= low
    return tuple(out)


def holds(n: Node, t: int, f: int) -> bool:
    """Definitely true, given the leaves definitely true (``t``) and definitely false (``f``)."""
    if n.all:
        if t & n.pos != n.pos or f & n.neg != n.neg:
            return False
        return all(holds(child, t, f) for child in n.children) if n.children else True
    if t & n.pos or f & n.neg:
        return True
    return any(holds(child, t, f) for child in n.children) if n.children else False


def fails(n: Node, t: int, f: int) -> bool:
    """Definitely false (Kleene: ``all`` fails if one part fails, ``any`` if every part does)."""
    if n.all:
        if f & n.pos or t & n.neg:
            return True
        return any(fails(child, t, f) for child in n.children) if n.children else False
    if f & n.pos != n.pos or t & n.neg != n.neg:
        return False
    return all(fails(child, t, f) for child in n.children) if n.children else True


def value(n: Node, t: int, f: int) -> Tri:
    return True if holds(n, t, f) else False if fails(n, t, f) else None


Need = tuple[int, int] | None  # (T bits, F bits) one of which must be set; None: no such test


def need(n: Node) -> Need:
    """Literals of which at least one must be definite for ``n`` to hold.

    Used only to skip work: when none is set, ``n`` cannot be definitely true,
    so its full test need not run. ``None`` means no cheap test exists.
    """
    if n.all:  # every part must hold: any one part's need will do
        if n.pos:
            return n.pos & -n.pos, 0
        if n.neg:
            return 0, n.neg & -n.neg
        known = [k for k in (need(child) for child in n.children) if k is not None]
        return min(known, key=lambda k: bin(k[0] | k[1]).count("1")) if known else None
    t, f = n.pos, n.neg  # some part must hold: the union of every part's need
    for child in n.children:
        k = need(child)
        if k is None:
            return None
        t |= k[0]
        f |= k[1]
    return t, f


def guard(nodes: Iterable[Node]) -> Need:
    """One cheap test for a group: if it fails, none of ``nodes`` holds."""
    t = f = 0
    for n in nodes:
        k = need(n)
        if k is None:
            return None
        t |= k[0]
        f |= k[1]
    return t, f


class _Group(NamedTuple):
    """Conditions tested together: bit ``first + i`` is set when ``nodes[i]`` holds."""

    first: int
    nodes: tuple[Node, ...]
    guard: Need

    def mask(self, t: int, f: int) -> int:
        if self.guard is not None and not (t & self.guard[0] or f & self.guard[1]):
            return 0
        out = 0
        for i, n in enumerate(self.nodes):
            if holds(n, t, f):
                out |= 1 << (self.first + i)
        return out


def _group(first: int, conditions: Sequence[Condition], bits: _Bits) -> _Group:
    nodes = tuple(node(c, bits) for c in conditions)
    return _Group(first, nodes, guard(nodes))


class Compiled:
    """The decisions of one rule set, evaluated as bit-mask tests."""

    def __init__(self, rules: RuleSet) -> None:
        self.rules = rules
        bits = _Bits()
        skippable = [q for q in rules.skippable if q.ask_if is not None]
        self._skippable = tuple(q.id for q in skippable)
        self.ask_if = tuple(node(q.ask_if, bits) for q in skippable if q.ask_if is not None)
        # per score: where it applies, and each item with its lay stand-in
        self.scores = tuple(
            (
                None if score.applies_if is None else node(score.applies_if, bits),
                tuple(
                    (node(i.when, bits), None if i.proxy is None else node(i.proxy, bits))
                    for i in score.items
                ),
            )
            for score in rules.scores
        )
        self.flags = tuple(node(f.when, bits) for f in rules.red_flags)
        escalation_at, feature_at = bit_layout(rules)
        self.escalations = tuple(
            _group(at, [e.when for e in f.escalations], bits)
            for f, at in zip(rules.red_flags, escalation_at, strict=True)
        )
        self.features = tuple(
            _group(at, [x.when for x in c.features], bits)
            for c, at in zip(rules.causes, feature_at, strict=True)
        )
        self.floors = _group(0, [f.when for f in rules.floors], bits)
        self.suitability = _group(0, [x.when for x in rules.acupuncture.suitability], bits)
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
        self._numbers: dict[tuple[str, object], tuple[int, int]] = {}  # numeric answers met so far
        self._score_ids = tuple(s.id for s in rules.scores)
        self.leaves: dict[Condition, int] = dict(bits.of)  # every leaf and its bit (see columns.py)
        # a score's facts follow from what its items say, and few combinations ever occur
        self._facts_seen: tuple[dict[tuple[Tri, tuple[Tri, ...], tuple[bool, ...]], ScoreFacts], ...]
        self._facts_seen = tuple({} for _ in rules.scores)

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
            if hit is None:  # a number (or a word no table knows): folded the long way
                if pair[1].__class__ in (int, float):
                    hit = remembered(self._numbers, pair, self._set, 0, 0, *pair)
                else:
                    hit = self._set(0, 0, *pair)
            t |= hit[0]
            k |= hit[1]
        answers = given
        while True:  # the "no" of questions skipped because their ask_if is false
            added = False
            f = k & ~t
            skipped = [q for q, ask in zip(self._skippable, self.ask_if, strict=True) if fails(ask, t, f)]
            for question in skipped:
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
            applicable, present, proxy = key
            facts.append(remembered(seen, key, score_facts, score, present, proxy, applicable))
        if self._score_leaves:
            by_id: dict[str, ScoreFacts] = dict(zip(self._score_ids, facts, strict=True))
            for bit, leaf in self._score_leaves:
                value = leaf.evaluate(answers, by_id)
                if value is not None:
                    k |= bit
                    if value:
                        t |= bit
        return Truth(answers, tuple(facts), *self._late(t, k & ~t))

    def _items(self, t: int, f: int) -> list[tuple[Tri, tuple[Tri, ...], tuple[bool, ...]]]:
        """Per score: whether it applies, what each item says, which a lay stand-in decided."""
        out = []
        for applies, items in self.scores:
            present: list[Tri] = []
            proxy: list[bool] = []
            for when, stand_in in items:
                said = value(when, t, f)
                if said is None and stand_in is not None:
                    said = value(stand_in, t, f)
                    proxy.append(said is not None)
                else:
                    proxy.append(False)
                present.append(said)
            out.append((True if applies is None else value(applies, t, f), tuple(present), tuple(proxy)))
        return out

    def _late(self, t: int, f: int) -> tuple[int, int, int, int, int, int]:
        """The masks of a :class:`Truth`: red flags, escalations, features, floors, suitability."""
        fired = unknown = escalations = features = 0
        for i, flag in enumerate(self.flags):
            if holds(flag, t, f):
                fired |= 1 << i
                escalations |= self.escalations[i].mask(t, f)  # they matter only once it fired
            elif not fails(flag, t, f):
                unknown |= 1 << i
        for group in self.features:
            features |= group.mask(t, f)
        return fired, unknown, escalations, features, self.floors.mask(t, f), self.suitability.mask(t, f)


#: How many answers, combinations or patterns each memo of a rule set keeps. Real
#: batches repeat a few hundred; generated ones thousands. Every memo is full after
#: some tens of thousands of records at most, so a batch's memory then stays the same
#: however many follow (a few MiB in all).
MEMO_LIMIT = 1024
MISSING: Any = object()  # what a memo holds no entry for (None may be an entry)


def remembered(seen: dict[Any, Any], key: Any, make: Callable[..., Any], *args: Any) -> Any:
    """``seen[key]``, else ``make(*args)``, kept in ``seen`` while it holds fewer than MEMO_LIMIT."""
    found = seen.get(key, MISSING)
    if found is MISSING:
        found = make(*args)
        if len(seen) < MEMO_LIMIT:
            seen[key] = found
    return found


Built = TypeVar("Built")


class PerRules(Generic[Built]):
    """A value built once per rule set object; a process holds a few rule sets at most."""

    def __init__(self, build: Callable[[RuleSet], Built]) -> None:
        self.build = build
        self.entries: list[tuple[RuleSet, Built]] = []

    def __call__(self, rules: RuleSet) -> Built:
        for known, value in self.entries:
            if known is rules:
                return value
        value = self.build(rules)
        self.keep(rules, value)
        return value

    def keep(self, rules: RuleSet, value: Built) -> None:
        self.entries.insert(0, (rules, value))
        del self.entries[8:]


#: The compiled form of a rule set, built once per rule set object.
compiled: PerRules[Compiled] = PerRules(Compiled)


def adopt(entry: Compiled, rules: RuleSet) -> None:
    """Use ``entry`` (from the rules cache) as the compiled form of ``rules``."""
    entry.rules = rules
    compiled.keep(rules, entry)
