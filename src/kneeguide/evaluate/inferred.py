"""What the rules infer beyond the answers given, written once for both evaluators.

Two inferences turn the answers given into the facts the conditions read:

* **The implied "no".** A yes/no question skipped because its ``ask_if`` is
  definitely false (no lump behind the knee, so no pulsating lump) is not
  unanswered but inapplicable, and the rules are written so that it then means
  "no". A question whose ``ask_if`` is merely unknown stays unknown. One "no"
  can settle another question's ``ask_if``, so this repeats until nothing changes.
* **Lay stand-ins.** A score item that needs an examination (``when``) and is
  unknown from it is decided by its lay stand-in (``proxy``) where that is
  known, and is then marked as decided by the stand-in.

Both run on *sets of records*, one bit per record: the columns
(:mod:`columns`) on a block, the walk (:mod:`walk`) on a block of one. Each
evaluator says, through :class:`Records`, where a condition is definitely true
and where definitely false, in its own form of condition (a ``Condition``
walked, a ``Node`` on columns), and how to record an implied "no".
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TypeVar

C = TypeVar("C")  # a condition in an evaluator's own form
C_contra = TypeVar("C_contra", contravariant=True)

#: (the records where a condition is definitely true, those where it is definitely false)
Said = tuple[int, int]

#: A score's conditions: where it applies (None: always), and per item its ``when`` and ``proxy``.
ScoreConditions = tuple[C | None, tuple[tuple[C, C | None], ...]]


class Records(Protocol[C_contra]):
    """The answer sets being evaluated, as the set of bits ``everyone``."""

    @property
    def everyone(self) -> int: ...

    def said(self, condition: C_contra) -> Said:
        """Where ``condition`` is definitely true and where definitely false."""
        ...

    def answer_no(self, at: int, records: int) -> None:
        """Record "no" for skippable question number ``at`` in ``records``."""
        ...


def imply_no(records: Records[C], ask_if: Sequence[C], asked: list[int]) -> None:
    """Answer "no" wherever a skippable question is skipped and was not answered.

    ``ask_if[i]`` is skippable question ``i``'s condition and ``asked[i]`` the
    records that answered it (in any way, "unsure" included); ``asked`` grows
    by the records given the implied "no".
    """
    everyone = records.everyone
    settled = False
    while not settled:
        settled = True
        for at, condition in enumerate(ask_if):
            if asked[at] == everyone:
                continue
            new = records.said(condition)[1] & ~asked[at]
            if new:
                asked[at] |= new
                records.answer_no(at, new)
                settled = False


def item_columns(records: Records[C], score: ScoreConditions[C]) -> list[int]:
    """A score's item bits, as sets of records (one record's row is read by ``truth.facts_of``).

    In order: the score applies, it does not apply; then per item: present,
    absent, decided by its lay stand-in.
    """
    applies, items = score
    everyone = records.everyone
    out = [everyone, 0] if applies is None else list(records.said(applies))
    for when, stand_in in items:
        yes, no = records.said(when)
        known = yes | no
        if stand_in is None or known == everyone:
            out += (yes, no, 0)
            continue
        proxy_yes, proxy_no = records.said(stand_in)
        proxy_yes &= ~known
        proxy_no &= ~known
        out += (yes | proxy_yes, no | proxy_no, proxy_yes | proxy_no)
    return out
