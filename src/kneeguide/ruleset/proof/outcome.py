"""Everything the properties compare, of one rule set's whole decision, as solver terms."""

from __future__ import annotations

import z3

from kneeguide.ruleset.model import RuleSet
from kneeguide.ruleset.numbers import cause_units
from kneeguide.ruleset.proof.answers import Raw
from kneeguide.ruleset.proof.scores import ScoreTerms
from kneeguide.ruleset.proof.view import View, view


class Outcome:
    """Everything the properties compare, of one rule set on one :class:`Raw`.

    ``without`` names red flags left out (the built-in ones a custom set switches
    off with ``disable:``, so that the two are compared on what the custom set claims).
    """

    def __init__(self, rules: RuleSet, raw: Raw, without: frozenset[str] = frozenset()) -> None:
        seen = view(rules, raw)
        self.view = seen
        self.scores = {s.id: ScoreTerms(s, seen) for s in rules.scores}
        self.fired: dict[str, z3.BoolRef] = {}
        self.unknown: dict[str, z3.BoolRef] = {}
        self.flag_level: dict[str, z3.ArithRef] = {}
        candidates: list[tuple[z3.BoolRef, z3.ArithRef]] = []
        for flag in rules.red_flags:
            if flag.id in without:
                continue
            when = seen.condition(flag.when, self.scores)
            level: z3.ArithRef = z3.IntVal(int(flag.level))
            for escalation in flag.escalations:
                raised = seen.condition(escalation.when, self.scores).t
                level = z3.If(z3.And(raised, int(escalation.level) > level), int(escalation.level), level)
            self.fired[flag.id], self.unknown[flag.id], self.flag_level[flag.id] = when.t, when.unknown, level
            candidates += [(when.t, level), (when.unknown, z3.IntVal(int(rules.not_excluded_level)))]
        self.floors: dict[str, z3.BoolRef] = {}
        for floor in rules.floors:
            self.floors[floor.id] = seen.condition(floor.when, self.scores).t
            candidates.append((self.floors[floor.id], z3.IntVal(int(floor.level))))
        candidates += self._leading(rules, seen)
        top: z3.ArithRef = z3.IntVal(-1)
        for holds, level in candidates:
            top = z3.If(z3.And(holds, level > top), level, top)
        self.level = z3.If(z3.Or([h for h, _ in candidates]), top, int(rules.no_cause_level))

    def _leading(self, rules: RuleSet, seen: View) -> list[tuple[z3.BoolRef, z3.ArithRef]]:
        """Each cause that leads (shown, among the top ``ranking.top``, at least possible)
        with its level, on the exact totals the engine sums (:mod:`ruleset.numbers`)."""
        units = cause_units(rules)
        totals: list[z3.ArithRef] = []
        shown: list[z3.BoolRef] = []
        for cause, prior, weights in zip(rules.causes, units.priors, units.weights, strict=True):
            held = [seen.condition(x.when, self.scores).t for x in cause.features]
            total = z3.Sum([z3.IntVal(prior), *(z3.If(h, w, 0) for h, w in zip(held, weights, strict=True))])
            pro = z3.Or([h for h, w in zip(held, weights, strict=True) if w > 0] or [z3.BoolVal(False)])
            totals.append(total)
            shown.append(z3.And(pro, total >= units.show))
        out: list[tuple[z3.BoolRef, z3.ArithRef]] = []
        for c, cause in enumerate(rules.causes):
            # ranked ahead of c: a higher total, or an equal one earlier in the file
            ahead = [
                z3.If(z3.And(shown[d], totals[d] >= totals[c] if d < c else totals[d] > totals[c]), 1, 0)
                for d in range(len(rules.causes))
                if d != c
            ]
            in_top = z3.Sum(ahead) < rules.ranking.top if ahead else z3.BoolVal(True)
            out.append((z3.And(shown[c], in_top, totals[c] >= units.possible), z3.IntVal(int(cause.level))))
        return out
