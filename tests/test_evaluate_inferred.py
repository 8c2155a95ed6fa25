"""What the rules infer beyond the answers given, on a block of records.

The implied "no" of a skipped question and the lay stand-ins for examination
items are written once (:mod:`kneeguide.evaluate.inferred`) over sets of
records, one bit per record, and serve both evaluators. Here they run on a
small block whose conditions are plain answers, so each rule can be read off.
"""

from __future__ import annotations

from collections.abc import Callable

from kneeguide.evaluate.inferred import Said, imply_no, item_columns

Condition = Callable[["Block"], Said]


class Block:
    """Records as bits; each question's "yes" and "no" records."""

    def __init__(self, size: int, skippable: tuple[str, ...] = ()) -> None:
        self.everyone = (1 << size) - 1
        self.yes: dict[str, int] = {}
        self.no: dict[str, int] = {}
        self.skippable = skippable

    def said(self, condition: Condition) -> Said:
        return condition(self)

    def answer_no(self, at: int, records: int) -> None:
        question = self.skippable[at]
        self.no[question] = self.no.get(question, 0) | records


def yes(question: str) -> Condition:
    return lambda block: (block.yes.get(question, 0), block.no.get(question, 0))


def test_a_skipped_question_is_no_only_where_its_ask_if_is_definitely_false():
    block = Block(3, skippable=("pulsating",))
    block.yes["lump"], block.no["lump"] = 0b001, 0b010  # record 2 did not say
    asked = [0]
    imply_no(block, [yes("lump")], asked)
    assert block.no["pulsating"] == 0b010
    assert asked == [0b010]


def test_one_implied_no_can_settle_another_questions_ask_if():
    block = Block(1, skippable=("pulse_fast", "pulsating"))  # the dependent question comes first
    block.no["lump"] = 0b1
    imply_no(block, [yes("pulsating"), yes("lump")], [0, 0])
    assert block.no == {"lump": 0b1, "pulsating": 0b1, "pulse_fast": 0b1}


def test_a_question_answered_in_any_way_is_never_given_an_implied_no():
    block = Block(2, skippable=("pulsating",))
    block.no["lump"] = 0b11
    asked = [0b01]  # record 0 answered it, perhaps "unsure"
    imply_no(block, [yes("lump")], asked)
    assert block.no["pulsating"] == 0b10


def test_an_item_unknown_from_its_examination_is_decided_by_its_stand_in():
    block = Block(5)
    block.yes["exam"], block.no["exam"] = 0b00001, 0b10000
    block.yes["lay"], block.no["lay"] = 0b10010, 0b00100
    applies, does_not, present, absent, stood_in = item_columns(block, (None, ((yes("exam"), yes("lay")),)))
    assert (applies, does_not) == (0b11111, 0)  # no applies_if: it always applies
    assert present == 0b00011  # by examination (record 0) or by the stand-in (record 1)
    assert absent == 0b10100  # the examination outranks the stand-in (record 4)
    assert stood_in == 0b00110  # records 1 and 2 were decided by the stand-in
    # record 3 stays unknown: neither said anything


def test_an_item_without_a_stand_in_stays_unknown():
    block = Block(2)
    block.yes["exam"] = 0b01
    assert item_columns(block, (yes("applies"), ((yes("exam"), None),))) == [0, 0, 0b01, 0, 0]
