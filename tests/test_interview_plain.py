"""Line prompts (``--plain``, TERM=dumb): numbered choices, one reply per line.

What a screen reader reads is exactly what is written, top to bottom, so these
tests read the written text: every choice on its own numbered line, nothing
wider than the terminal, no escape sequence, and an empty reply to a tick-list
asked again rather than taken as "no". The pseudo-terminal stories are in
test_interview_terminal.py.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from wcwidth import wcswidth

from kneeguide.ids import Audience
from kneeguide.interview.askers import asker_for
from kneeguide.interview.plain import PlainAsker
from kneeguide.interview.prompts import BACK, HELP, NONE, NOT_SURE, Checklist, Single
from kneeguide.interview.terminal import TerminalAsker
from kneeguide.ruleset.model import RuleSet, pick

ITEMS = (
    ("calf_swelling", "Is your calf swollen, or does that leg look bigger than the other one?"),
    ("calf_pain", "Does your calf hurt when you walk or when you press on it?"),
    ("warmth", "Does the back of the knee or the calf feel warm?"),
)
CHECKLIST = Checklist("leg", "Do you have any of these in the painful leg?", ITEMS, (), "Part 3 of 9: Leg")


class Plain:
    """A PlainAsker reading ``replies`` (one per line) and writing to a string."""

    def __init__(self, rules: RuleSet, *replies: str, lang: str = "en", width: int = 40) -> None:
        self.out = io.StringIO()
        self.asker = PlainAsker(
            rules, lang, stdin=io.StringIO("".join(r + "\n" for r in replies)), stderr=self.out, width=width
        )

    @property
    def text(self) -> str:
        return self.out.getvalue()

    def said(self, key: str, **fill: Any) -> int:
        """How often the message ``key`` was written (wrapped anywhere)."""
        message = self.asker.rules.message(key, self.asker.lang).format(**fill)
        return " ".join(self.text.split()).count(" ".join(message.split()))


def yes_no(**kwargs: Any) -> Single:
    fields: dict[str, Any] = {
        "qid": "calf_swelling",
        "kind": "yn",
        "text": "Is your calf swollen?",
        "help": None,
        "choices": (("yes", "Yes"), ("no", "No")),
        "expected": "yes/no",
        "minimum": None,
        "maximum": None,
        "integer": False,
        "default": None,
        "progress": "Part 3 of 9: Leg",
    }
    return Single(**{**fields, **kwargs})


def test_a_single_question_lists_its_answers_one_per_line_and_reads_a_number(rules: RuleSet) -> None:
    plain = Plain(rules, "2")
    assert plain.asker.single(yes_no()) == "no"
    lines = plain.text.splitlines()
    assert ["  1. Yes", "  2. No", "  3. " + rules.message("choice_unsure", "en")] == [
        line for line in lines if line.startswith("  ")
    ]
    assert lines[1:3] == ["Part 3 of 9: Leg", "Is your calf swollen?"]


def test_not_sure_is_unknown_and_back_and_help_are_letters(rules: RuleSet) -> None:
    assert Plain(rules, "3").asker.single(yes_no()) is None
    assert Plain(rules, "b").asker.single(yes_no()) == BACK
    assert Plain(rules, "?").asker.single(yes_no()) == HELP


def test_without_not_sure_only_the_answers_are_numbered(rules: RuleSet) -> None:
    plain = Plain(rules, "3", "2")
    assert plain.asker.single(yes_no(offer_unsure=False)) == "no"
    assert rules.message("choice_unsure", "en") not in plain.text
    expected = rules.message("plain_a_number", "en").format(n=2)
    assert plain.said("plain_invalid", reply="3", expected=expected) == 1


def test_a_reply_that_is_not_understood_is_said_and_asked_again(rules: RuleSet) -> None:
    plain = Plain(rules, "yes please", "", "1")
    assert plain.asker.single(yes_no()) == "yes"
    expected = rules.message("plain_a_number", "en").format(n=3)
    assert plain.said("plain_invalid", reply="yes please", expected=expected) == 1
    assert plain.said("plain_single") == 3  # asked again after each, the empty line included


def test_a_number_question_reads_a_number_and_empty_is_unknown(rules: RuleSet) -> None:
    age = yes_no(qid="age", kind="int", choices=(), expected="a whole number from 0 to 120", minimum=0,
                 maximum=120, integer=True)  # fmt: skip
    assert Plain(rules, "200", "64").asker.single(age) == 64
    assert Plain(rules, "").asker.single(age) is None
    assert Plain(rules, "b").asker.single(age) == BACK


def test_a_tick_list_reads_the_numbers_that_apply(rules: RuleSet) -> None:
    assert Plain(rules, "1 3").asker.checklist(CHECKLIST) == ["calf_swelling", "warmth"]
    assert Plain(rules, "3, 1").asker.checklist(CHECKLIST) == ["calf_swelling", "warmth"]
    assert Plain(rules, "0").asker.checklist(CHECKLIST) == [NONE]


def test_an_empty_reply_to_a_tick_list_is_never_no(rules: RuleSet) -> None:
    plain = Plain(rules, "", "", "2")
    assert plain.asker.checklist(CHECKLIST) == ["calf_pain"]
    assert plain.said("plain_checklist") == 3  # asked again, twice
    with pytest.raises(EOFError):  # nothing but empty lines, then the end: nothing is chosen
        Plain(rules, "", "").asker.checklist(CHECKLIST)


def test_none_of_these_cannot_be_typed_with_an_item(rules: RuleSet) -> None:
    plain = Plain(rules, "0 2", "9", "2")
    assert plain.asker.checklist(CHECKLIST) == ["calf_pain"]
    expected = rules.message("plain_numbers", "en").format(n=4)
    assert plain.said("plain_invalid", reply="0 2", expected=expected) == 1
    assert plain.said("plain_invalid", reply="9", expected=expected) == 1


def test_not_sure_is_a_number_and_keeps_the_ticks(rules: RuleSet) -> None:
    plain = Plain(rules, "4")
    assert plain.asker.checklist(CHECKLIST) == [NOT_SURE]
    assert f"  4. {rules.message('checklist_not_sure', 'en')}"[:30] in plain.text
    assert f"  0. {rules.message('checklist_none', 'en')}" in plain.text
    assert Plain(rules, "2 4").asker.checklist(CHECKLIST) == [NOT_SURE, "calf_pain"]
    assert Plain(rules, "b").asker.checklist(CHECKLIST) == [BACK]
    assert Plain(rules, "?").asker.checklist(CHECKLIST) == [HELP]


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_every_line_fits_the_width_and_carries_no_escape_sequence(rules: RuleSet, lang: str) -> None:
    plain = Plain(rules, "0", lang=lang, width=40)
    items = tuple((q, pick(rules.questions[q].wording(Audience.LAY), lang)) for q, _ in ITEMS)
    plain.asker.checklist(Checklist("leg", "?", items, (), "Part 3 of 9"))
    plain.asker.show("\x1b[31m" + "A warning in red that is rather longer than forty columns." + "\x1b[0m")
    assert "\x1b" not in plain.text
    assert all(wcswidth(line) <= 40 for line in plain.text.splitlines())
    # Continuation lines hang under the text, not under the number.
    lines = plain.text.splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("  1."))
    assert lines[first + 1].startswith("     ")


def test_confirm_takes_y_or_n_and_enter_keeps_the_default(rules: RuleSet) -> None:
    assert Plain(rules, "").asker.confirm("Finish?", True) is True
    assert Plain(rules, "").asker.confirm("Save?", False) is False
    plain = Plain(rules, "maybe", "y")
    assert plain.asker.confirm("Save?", False) is True
    assert plain.said("plain_invalid", reply="maybe", expected=rules.message("plain_yes_no", "en")) == 1
    assert Plain(rules, "/tmp/x.json").asker.path("Where?", "a.json") == "/tmp/x.json"
    assert Plain(rules, "").asker.path("Where?", "a.json") == "a.json"


def test_the_end_of_input_ends_the_interview(rules: RuleSet) -> None:
    with pytest.raises(EOFError):
        Plain(rules).asker.single(yes_no())


# --- which asker ----------------------------------------------------------------------------------


def test_plain_when_asked_or_when_the_terminal_cannot_move_the_cursor(
    rules: RuleSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TERM", "xterm")
    assert isinstance(asker_for(rules, "en", plain=True), PlainAsker)
    monkeypatch.setenv("TERM", "dumb")
    assert isinstance(asker_for(rules, "en", plain=False), PlainAsker)
    monkeypatch.delenv("TERM")
    assert isinstance(asker_for(rules, "en", plain=False), PlainAsker)


def test_plain_when_the_prompts_cannot_be_drawn(rules: RuleSet, monkeypatch: pytest.MonkeyPatch) -> None:
    import prompt_toolkit.output

    def no_console(**kwargs: Any) -> Any:
        raise OSError("no console")

    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.setattr(prompt_toolkit.output, "create_output", no_console)
    assert isinstance(asker_for(rules, "en", plain=False), PlainAsker)


def test_full_screen_prompts_on_a_terminal_that_can_draw_them(
    rules: RuleSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    import prompt_toolkit.input
    import prompt_toolkit.output
    from prompt_toolkit.output import DummyOutput

    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setattr(prompt_toolkit.output, "create_output", lambda **kwargs: DummyOutput())
    monkeypatch.setattr(prompt_toolkit.input, "create_input", lambda: object())
    assert isinstance(asker_for(rules, "en", plain=False), TerminalAsker)
