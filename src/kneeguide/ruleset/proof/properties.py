"""What "never weaker" means, one property at a time, and a counter-example for each that fails.

For every answer set (each question yes, no, unsure or unanswered, each number
anywhere in its range; taken by each rule set's own interview, for either
audience, or given whole by a script), the custom rule set must:

* raise every built-in red flag the built-in set raises, at its level or higher,
  escalations included (``fires:<flag>``);
* leave not excluded every red flag the built-in set leaves not excluded, unless
  it raises it (``open:<flag>``);
* reach every score band at least as high, applicable wherever the built-in
  score is (``band:<score>``);
* apply every triage floor the built-in set applies (``floor:<floor>``);
* reach a triage level at least as high (``level``).

Red flags the custom set switches off with ``disable:`` are left out of the
built-in side: that is declared, and every output announces it.
"""

from __future__ import annotations

from typing import NamedTuple

import z3

from kneeguide.ids import Level
from kneeguide.ruleset.model import RuleSet
from kneeguide.ruleset.proof.outcome import Outcome

_LEVELS = tuple(sorted(Level))


class Property(NamedTuple):
    id: str  # fires:<flag> | open:<flag> | band:<score> | floor:<floor> | level
    holds: z3.BoolRef
    what: str  # what the custom set fails to do, in words, for the message


def properties(builtin: Outcome, custom: Outcome, builtin_rules: RuleSet) -> list[Property]:
    """Every property, in the order the problems are reported: red flags (file order),
    what is not excluded, score bands, floors, then the level."""
    found: list[Property] = []
    no = z3.BoolVal(False)
    for flag in builtin_rules.red_flags:
        if flag.id not in builtin.fired:
            continue  # switched off by the custom set (disable:)
        fired, level = custom.fired.get(flag.id, no), custom.flag_level.get(flag.id, z3.IntVal(-1))
        found.append(
            Property(
                f"fires:{flag.id}",
                z3.Implies(builtin.fired[flag.id], z3.And(fired, level >= builtin.flag_level[flag.id])),
                f"does not raise red flag '{flag.id}' at its built-in level",
            )
        )
    for flag in builtin_rules.red_flags:
        if flag.id not in builtin.unknown:
            continue
        still = z3.Or(custom.fired.get(flag.id, no), custom.unknown.get(flag.id, no))
        found.append(
            Property(
                f"open:{flag.id}",
                z3.Implies(builtin.unknown[flag.id], still),
                f"excludes red flag '{flag.id}' where the built-in set leaves it not excluded",
            )
        )
    for score_id, ours in builtin.scores.items():
        theirs = custom.scores.get(score_id)
        if theirs is None:
            continue  # a structural problem (structure.py)
        app, their_app = ours.applicable, theirs.applicable
        found.append(
            Property(
                f"band:{score_id}",
                z3.Implies(
                    z3.Not(app.f),
                    z3.And(
                        z3.Not(their_app.f),
                        z3.Implies(app.t, their_app.t),
                        theirs.low <= ours.low,
                        theirs.high <= ours.high,
                    ),
                ),
                f"can put score '{score_id}' in a lower band than the built-in set can (or say it does not "
                "apply where the built-in set says it may)",
            )
        )
    for floor_id, holds in builtin.floors.items():
        found.append(
            Property(
                f"floor:{floor_id}",
                z3.Implies(holds, custom.floors.get(floor_id, no)),
                f"does not apply triage floor '{floor_id}' where the built-in set does",
            )
        )
    found.append(Property("level", custom.level >= builtin.level, "reaches a lower triage level"))
    return found
