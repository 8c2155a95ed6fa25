"""``kneeguide rules diff``: what a custom rule set changes against the built-in one.

Rules are compared without where they were written (their locations), so moving
a rule within a file is no change. A disabled red flag and a reworded safety text
are listed first and loudly.
"""

from __future__ import annotations

from typing import Any

from kneeguide.errors import Location
from kneeguide.ruleset.model import RuleSet


def diff(custom: RuleSet, builtin: RuleSet) -> list[str]:
    """What ``custom`` changes, one line each: ``! red flag ID: DISABLED (reason)``,
    ``+ KIND ID: added``, ``- KIND ID: removed``, ``~ KIND ID: changed`` (and a red
    flag's level or the languages as ``old -> new``); empty when nothing changes."""
    lines = [f"! red flag {flag_id}: DISABLED ({reason})" for flag_id, reason in custom.disabled]
    lines += [f"! text {text_id}: REWORDED ({reason})" for text_id, reason in custom.reworded]
    disabled = {flag_id for flag_id, _ in custom.disabled}
    lines += _compare("question", dict(custom.questions), dict(builtin.questions))
    lines += _compare(
        "red flag",
        {f.id: f for f in custom.red_flags},
        {f.id: f for f in builtin.red_flags if f.id not in disabled},
    )
    mine_flags = {f.id: f for f in custom.red_flags}
    for flag in builtin.red_flags:
        ours = mine_flags.get(flag.id)
        if ours is not None and ours.level != flag.level:
            lines.append(f"~ red flag {flag.id}: level {flag.level.id} -> {ours.level.id}")
    lines += _compare("score", {s.id: s for s in custom.scores}, {s.id: s for s in builtin.scores})
    lines += _compare("cause", {c.id: c for c in custom.causes}, {c.id: c for c in builtin.causes})
    lines += _compare("floor", {f.id: f for f in custom.floors}, {f.id: f for f in builtin.floors})
    lines += _compare(
        "point",
        {p.code: p for p in custom.acupuncture.points},
        {p.code: p for p in builtin.acupuncture.points},
    )
    lines += _compare("region", custom.regions, builtin.regions)
    lines += _compare("message", custom.messages, builtin.messages)
    if custom.languages != builtin.languages:
        lines.append(f"~ languages: {', '.join(builtin.languages)} -> {', '.join(custom.languages)}")
    return lines


def _compare(kind: str, mine: dict[str, Any], theirs: dict[str, Any]) -> list[str]:
    """Added, then removed, then changed keys, each sorted."""
    lines = [f"+ {kind} {key}: added" for key in sorted(set(mine) - set(theirs))]
    lines += [f"- {kind} {key}: removed" for key in sorted(set(theirs) - set(mine))]
    lines += [
        f"~ {kind} {key}: changed"
        for key in sorted(set(mine) & set(theirs))
        if _strip(mine[key]) != _strip(theirs[key])
    ]
    return lines


def _strip(value: Any) -> Any:
    """The value with every location dropped, for comparing rules."""
    if isinstance(value, Location):
        return None
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return tuple(_strip(v) for f, v in zip(value._fields, value, strict=True) if f != "location")
    if isinstance(value, (list, tuple)):
        return tuple(_strip(v) for v in value)
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items()}
    return value
