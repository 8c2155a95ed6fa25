"""Memos: what is worked out once and looked up again.

A batch repeats the same answers, item patterns and decisions over and over,
so the evaluators and the engine remember what they have worked out: per rule
set (:class:`PerRules`), and within that per key (:func:`remembered`), up to a
fixed size so that a long batch's memory stays flat.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from kneeguide.ruleset.model import RuleSet

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
    """A value built once per rule set object; a process holds a few rule sets at most.

    ``PerRules(build)(rules)`` is ``build(rules)`` the first time and the same
    object after that, for as long as ``rules`` is among the last eight asked for.
    """

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
        """Use ``value`` for ``rules`` from now on (the rules cache hands in what it read back)."""
        self.entries.insert(0, (rules, value))
        del self.entries[8:]
