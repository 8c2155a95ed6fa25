"""Conditions as nodes over numbered leaves: the form the columns evaluate.

Each distinct leaf of a rule set gets a number (:class:`Numbering`), and every
condition becomes a :class:`Node` in negation normal form: ``not`` is pushed
down to the leaves (``not all`` is ``any not``), so a node is an ``all`` or an
``any`` of leaves that must be true, leaves that must be false, and child
nodes. In Kleene logic this is exactly the condition as :mod:`conditions`
defines it. Nodes are data, like the conditions they come from: nothing is
generated or evaluated as Python.

A node is evaluated on *columns*: for a block of records, ``T[i]`` has bit
``j`` set when leaf ``i`` is definitely true for record ``j``, ``F[i]`` when it
is definitely false (see :mod:`columns`). :func:`holding` and :func:`failing`
give the records where a node is definitely true and definitely false: ``all``
is true where every part is true and false where any part is false, ``any``
the other way round, so unknown stays unknown as the definition says.
"""

from __future__ import annotations

from typing import NamedTuple

from kneeguide.evaluate.conditions import (
    All,
    AnswerCompare,
    AnswerIs,
    Condition,
    Leaf,
    Not,
    ScoreBand,
    ScoreCompare,
)


class Numbering:
    """One number per distinct leaf, in the order the leaves are first met."""

    def __init__(self) -> None:
        self.of: dict[Leaf, int] = {}

    def number(self, leaf: Leaf) -> int:
        found = self.of.get(leaf)
        if found is None:
            self.of[leaf] = found = len(self.of)
        return found


class Node(NamedTuple):
    """A condition in negation normal form.

    ``all`` (else ``any``) of: the leaves numbered in ``pos`` being true, the
    leaves numbered in ``neg`` being false, and the ``children``.
    """

    all: bool
    pos: tuple[int, ...]
    neg: tuple[int, ...]
    children: tuple[Node, ...]


def node(c: Condition, numbering: Numbering, negate: bool = False) -> Node:
    """``c`` (or ``not c``) as a :class:`Node`, its leaves numbered by ``numbering``."""
    if isinstance(c, (AnswerIs, AnswerCompare, ScoreCompare, ScoreBand)):
        at = (numbering.number(c),)
        return Node(False, (), at, ()) if negate else Node(False, at, (), ())
    if isinstance(c, Not):
        return node(c.child, numbering, not negate)
    is_all = isinstance(c, All) != negate  # not all = any not; not any = all not
    pos: set[int] = set()
    neg: set[int] = set()
    children: list[Node] = []
    for child in c.children:
        n = node(child, numbering, negate)
        if not n.all and not n.children and len(n.pos) + len(n.neg) == 1:
            pos.update(n.pos)  # a single literal joins this node's own leaves
            neg.update(n.neg)
        else:
            children.append(n)
    return Node(is_all, tuple(sorted(pos)), tuple(sorted(neg)), tuple(children))


def holding(n: Node, T: list[int], F: list[int], ones: int) -> int:
    """The records (bits) where ``n`` is definitely true."""
    if n.all:
        out = ones
        for i in n.pos:
            out &= T[i]
        for i in n.neg:
            out &= F[i]
        for child in n.children:
            out &= holding(child, T, F, ones)
        return out
    out = 0
    for i in n.pos:
        out |= T[i]
    for i in n.neg:
        out |= F[i]
    for child in n.children:
        out |= holding(child, T, F, ones)
    return out


def failing(n: Node, T: list[int], F: list[int], ones: int) -> int:
    """The records (bits) where ``n`` is definitely false."""
    if n.all:  # one part false is enough
        out = 0
        for i in n.pos:
            out |= F[i]
        for i in n.neg:
            out |= T[i]
        for child in n.children:
            out |= failing(child, T, F, ones)
        return out
    out = ones  # every part must be false
    for i in n.pos:
        out &= F[i]
    for i in n.neg:
        out &= T[i]
    for child in n.children:
        out &= failing(child, T, F, ones)
    return out


def positions(mask: int) -> tuple[int, ...]:
    """The positions of the set bits of ``mask``, lowest first."""
    out = []
    while mask:
        low = mask & -mask
        out.append(low.bit_length() - 1)
        mask ^= low
    return tuple(out)
