"""A rule set compiled for the columns: its conditions as nodes, and what each answer does to their leaves.

Built once per rule set object, and pickled with the rule set by the rules
cache (:mod:`kneeguide.ruleset.cache`), so a process seldom builds it at all.
The columns (:mod:`columns`) evaluate it; the tests compare what they find with
the conditions walked as written.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import TYPE_CHECKING

from kneeguide.evaluate.conditions import AnswerCompare, AnswerIs, ScoreBand, ScoreCompare
from kneeguide.evaluate.inferred import ScoreConditions
from kneeguide.evaluate.memo import PerRules
from kneeguide.evaluate.nodes import Node, Numbering, node

if TYPE_CHECKING:
    from kneeguide.ruleset.model import RuleSet

_OPS: dict[str, Callable[[float, float], bool]] = {
    "ge": operator.ge,
    "gt": operator.gt,
    "le": operator.le,
    "lt": operator.lt,
}

Leaves = tuple[tuple[int, ...], tuple[int, ...]]  # (leaves made definitely true, made definitely false)
_Compare = tuple[int, Callable[[float, float], bool], float]  # (leaf, operator, threshold)
_Reads = tuple[tuple[int, ...], dict[str, tuple[int, ...]], tuple[_Compare, ...]]


class Compiled:
    """Every condition of one rule set as a :class:`Node`, in the order of a ``Truth``'s bits.

    ``width`` leaves are numbered; an answer's effect on them is :meth:`leaves_of`.
    """

    def __init__(self, rules: RuleSet) -> None:
        self.rules = rules
        numbering = Numbering()
        skippable = [q for q in rules.skippable if q.ask_if is not None]
        self.skippable = tuple(q.id for q in skippable)
        self.ask_if = tuple(node(q.ask_if, numbering) for q in skippable if q.ask_if is not None)
        self.scores: tuple[ScoreConditions[Node], ...] = tuple(
            (
                None if score.applies_if is None else node(score.applies_if, numbering),
                tuple(
                    (node(i.when, numbering), None if i.proxy is None else node(i.proxy, numbering))
                    for i in score.items
                ),
            )
            for score in rules.scores
        )
        self.populations = tuple(
            (
                None if s.validated_population is None else node(s.validated_population, numbering),
                None if s.awaited_population is None else node(s.awaited_population, numbering),
            )
            for s in rules.scores
        )
        self.flags = tuple(node(f.when, numbering) for f in rules.red_flags)
        self.escalations = tuple(
            tuple(node(e.when, numbering) for e in f.escalations) for f in rules.red_flags
        )
        self.features = tuple(node(x.when, numbering) for c in rules.causes for x in c.features)
        self.floors = tuple(node(f.when, numbering) for f in rules.floors)
        self.suitability = tuple(node(s.when, numbering) for s in rules.acupuncture.suitability)
        # after every condition has numbered its leaves: which answers decide each one
        self.width = len(numbering.of)
        reads: dict[str, tuple[list[int], dict[str, list[int]], list[_Compare]]] = {}
        by_score: dict[str, list[tuple[int, ScoreCompare | ScoreBand]]] = {s.id: [] for s in rules.scores}
        for leaf, at in numbering.of.items():
            if isinstance(leaf, (AnswerIs, AnswerCompare)):
                words, table, compares = reads.setdefault(leaf.question, ([], {}, []))
                if isinstance(leaf, AnswerIs):
                    words.append(at)
                    for value in leaf.values:
                        table.setdefault(value, []).append(at)
                else:
                    compares.append((at, _OPS[leaf.op], leaf.threshold))
            else:
                by_score[leaf.score].append((at, leaf))
        self._reads: dict[str, _Reads] = {
            q: (tuple(w), {v: tuple(ats) for v, ats in t.items()}, tuple(c)) for q, (w, t, c) in reads.items()
        }
        #: per score: its score leaves (comparisons with its interval, its band), numbered
        self.score_leaves = tuple(tuple(by_score[s.id]) for s in rules.scores)
        #: per skippable question: what its implied "no" does to the leaves
        self.no_leaves = tuple(self.leaves_of(q, "no") for q in self.skippable)

    def leaves_of(self, question: str, value: object) -> Leaves:
        """The leaves one answer makes definitely true, and those it makes definitely false.

        A word leaves every numeric comparison of its question unknown; a number
        makes every ``is``/``in`` leaf of its question false. "unsure" decides nothing.
        """
        entry = self._reads.get(question)
        if entry is None or value is None or value == "unsure":
            return (), ()
        words, table, compares = entry
        if isinstance(value, str):
            true = table.get(value, ())
            return true, tuple(at for at in words if at not in true)
        number: float = value  # type: ignore[assignment]  # a validated answer: a word or a number
        held = tuple(at for at, op, threshold in compares if op(number, threshold))
        return held, words + tuple(at for at, _, _ in compares if at not in held)


#: The compiled form of a rule set, built once per rule set object.
compiled: PerRules[Compiled] = PerRules(Compiled)


def adopt(entry: Compiled, rules: RuleSet) -> None:
    """Use ``entry`` (read back from the rules cache) as the compiled form of ``rules``."""
    entry.rules = rules
    compiled.keep(rules, entry)
