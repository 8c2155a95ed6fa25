"""The interview loop with a scripted person, and the real prompts on a pipe."""

from __future__ import annotations

import json
import re
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from stories import CALF_CLOT, HAMSTRING

from kneeguide.ids import Level
from kneeguide.interview.loop import Interview
from kneeguide.interview.prompts import BACK, HELP, NONE, NOT_SURE, Checklist, Single
from kneeguide.interview.session import Session
from kneeguide.interview.terminal import TerminalAsker
from kneeguide.ruleset.model import RuleSet, pick


class Person:
    """Answers from a story; scripted replies (BACK, HELP, values) go first."""

    def __init__(
        self,
        story: dict[str, Any],
        script: list[tuple[str, Any]] | None = None,
        finish_after_emergency: bool = True,
    ) -> None:
        self.story = story
        self.script = list(script or [])
        self.asked: list[str] = []
        self.shown: list[str] = []
        self.confirms: list[str] = []
        self.paused: list[str] = []
        self.columns = 80  # the terminal's width
        self.finish = finish_after_emergency
        self.interrupt_at: int | None = None

    def _scripted(self, key: str) -> Any:
        if self.script and self.script[0][0] == key:
            return self.script.pop(0)[1]
        return None

    def _tick(self) -> None:
        if self.interrupt_at is not None and len(self.asked) >= self.interrupt_at:
            raise KeyboardInterrupt

    def single(self, prompt: Single) -> Any:
        self._tick()
        self.asked.append(prompt.qid)
        scripted = self._scripted(prompt.qid)
        if scripted is not None:
            return scripted
        default = "no" if prompt.kind == "yn" else None
        return self.story.get(prompt.qid, default)

    def checklist(self, prompt: Checklist) -> list[str]:
        self._tick()
        self.asked.append(prompt.section)
        scripted = self._scripted(prompt.section)
        if scripted is not None:
            return list(scripted)
        ticked = [qid for qid, _ in prompt.items if self.story.get(qid) == "yes"]
        return ticked or [NONE]  # the person looked and chose "None of these"

    def pause(self, message: str) -> None:
        self.paused.append(message)

    def width(self) -> int:
        return self.columns

    def confirm(self, message: str, default: bool) -> bool:
        self.confirms.append(message)
        return self.finish

    def path(self, message: str, default: str) -> str:
        return default

    def show(self, text: str) -> None:
        self.shown.append(text)


@pytest.fixture()
def new_session(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rules: RuleSet) -> Callable[..., Session]:
    monkeypatch.setenv("KNEEGUIDE_DATA_DIR", str(tmp_path))

    def make(audience: str = "lay") -> Session:
        return Session.new(audience, "JP", "en", rules.digest)

    return make


def test_a_dvt_story_ends_urgent_with_the_clot_warning(
    rules: RuleSet, new_session: Callable[..., Session]
) -> None:
    person = Person(CALF_CLOT)
    result = Interview(rules, new_session(), person).run()
    assert result.triage.level == Level.URGENT
    assert "dvt" in [h.id for h in result.red_flags]
    assert not result.not_excluded


def test_the_session_is_saved_after_every_answer(rules: RuleSet, new_session: Callable[..., Session]) -> None:
    session = new_session()
    person = Person(HAMSTRING)
    seen: list[int] = []
    original = person.single

    def spy(prompt: Single) -> Any:
        on_disk = json.loads(session.path.read_text()) if session.path.exists() else {"answers": {}}
        seen.append(len(on_disk["answers"]))
        return original(prompt)

    person.single = spy  # type: ignore[method-assign]
    Interview(rules, session, person).run()
    assert seen == sorted(seen) and seen[-1] > seen[0]
    assert stat.S_IMODE(session.path.stat().st_mode) == 0o600
    assert json.loads(session.path.read_text())["status"] == "completed"


def test_an_emergency_shows_the_panel_at_once_and_offers_to_finish(
    rules: RuleSet, new_session: Callable[..., Session]
) -> None:
    person = Person({"saddle_numbness": "yes"}, finish_after_emergency=False)
    result = Interview(rules, new_session(), person).run()
    assert person.asked == ["emergency"]
    assert any("Emergency: 119" in text for text in person.shown)
    assert person.confirms and "Finish the interview" in person.confirms[0]
    assert result.triage.level == Level.EMERGENCY


def test_going_back_changes_the_answer(rules: RuleSet, new_session: Callable[..., Session]) -> None:
    person = Person(HAMSTRING, script=[("age", 80), ("sex", BACK)])
    session = new_session()
    Interview(rules, session, person).run()
    assert person.asked[:4] == ["emergency", "age", "sex", "age"]
    assert session.answers["age"] == 28


def test_going_back_from_a_checklist_re_asks_it(rules: RuleSet, new_session: Callable[..., Session]) -> None:
    person = Person(HAMSTRING, script=[("emergency", ["saddle_numbness"])])
    person.finish = True
    person.script.append(("age", BACK))
    session = new_session()
    Interview(rules, session, person).run()
    # the first tick-list raised an emergency; "back" at age undid it and it was answered again
    assert session.answers["saddle_numbness"] == "no"
    assert person.asked.count("emergency") == 2


def test_help_explains_in_plain_words_then_asks_again(
    rules: RuleSet, new_session: Callable[..., Session]
) -> None:
    person = Person(HAMSTRING, script=[("age", HELP)])
    Interview(rules, new_session(), person).run()
    assert person.asked.count("age") == 2
    assert person.paused == [rules.message("help_continue", "en")]  # read before the question returns
    help_text = next(text for text in person.shown if "How old are you" in text)
    assert "used by" not in help_text  # a lay reader is never shown rule names
    assert not any(pick(flag.title, "en") in help_text for flag in rules.red_flags)


def test_a_practitioner_also_sees_which_rules_read_the_answer(
    rules: RuleSet, new_session: Callable[..., Session]
) -> None:
    person = Person(HAMSTRING, script=[("age", HELP)])
    Interview(rules, new_session("practitioner"), person).run()
    assert any("Your answer is used by" in text for text in person.shown)


# -- tick-lists: silence is never "no" ------------------------------------------------------------


def test_a_tick_list_submitted_with_nothing_chosen_records_nothing_and_asks_again(
    rules: RuleSet, new_session: Callable[..., Session]
) -> None:
    person = Person(HAMSTRING, script=[("emergency", []), ("emergency", [])])
    session = new_session()
    original = person.checklist
    on_disk: list[bool] = []

    def spy(prompt: Checklist) -> list[str]:
        on_disk.append(session.path.exists())
        return original(prompt)

    person.checklist = spy  # type: ignore[method-assign]
    Interview(rules, session, person).run()
    assert person.asked[:3] == ["emergency", "emergency", "emergency"]
    assert on_disk[:3] == [False, False, False]  # no answer, no session file
    assert session.answers["saddle_numbness"] == "no"  # from the third reply, "None of these"


def test_none_of_these_records_every_item_as_no(rules: RuleSet, new_session: Callable[..., Session]) -> None:
    person = Person(HAMSTRING, script=[("emergency", [NONE])])
    session = new_session()
    Interview(rules, session, person).run()
    first = session.steps[0]
    assert first and all(session.answers[q] == "no" for q in first)


def test_unticked_items_count_as_no_only_beside_a_ticked_one(
    rules: RuleSet, new_session: Callable[..., Session]
) -> None:
    person = Person({}, script=[("emergency", ["fever"])], finish_after_emergency=True)
    session = new_session()
    Interview(rules, session, person).run()
    first = session.steps[0]
    assert session.answers["fever"] == "yes"
    assert all(session.answers[q] == "no" for q in first if q != "fever")


# -- going back -----------------------------------------------------------------------------------


def test_back_on_the_first_question_says_there_is_nothing_to_go_back_to(
    rules: RuleSet, new_session: Callable[..., Session]
) -> None:
    person = Person(HAMSTRING, script=[("emergency", [BACK])])
    Interview(rules, new_session(), person).run()
    assert person.asked[:2] == ["emergency", "emergency"]
    assert rules.message("back_at_start", "en") in person.shown


def test_back_preselects_the_earlier_answer(rules: RuleSet, new_session: Callable[..., Session]) -> None:
    defaults: dict[str, list[Any]] = {}
    person = Person(HAMSTRING, script=[("sex", BACK)])
    original = person.single

    def spy(prompt: Single) -> Any:
        defaults.setdefault(prompt.qid, []).append(prompt.default)
        return original(prompt)

    person.single = spy  # type: ignore[method-assign]
    Interview(rules, new_session(), person).run()
    assert defaults["age"][:2] == [None, 28]  # asked again after Back, with 28 preselected


def test_back_preselects_an_earlier_not_sure_too(rules: RuleSet, new_session: Callable[..., Session]) -> None:
    defaults: list[Any] = []
    person = Person(HAMSTRING, script=[("side", "unsure"), ("duration_days", BACK)])
    original = person.single

    def spy(prompt: Single) -> Any:
        if prompt.qid == "side":
            defaults.append(prompt.default)
        return original(prompt)

    person.single = spy  # type: ignore[method-assign]
    Interview(rules, new_session(), person).run()
    assert defaults[:2] == [None, "unsure"]


def test_back_to_a_tick_list_starts_with_the_earlier_ticks(
    rules: RuleSet, new_session: Callable[..., Session]
) -> None:
    ticked: list[tuple[str, ...]] = []
    person = Person(HAMSTRING, script=[("emergency", ["fever"]), ("age", BACK)])
    original = person.checklist

    def spy(prompt: Checklist) -> list[str]:
        if prompt.section == "emergency":
            ticked.append(prompt.ticked)
        return original(prompt)

    person.checklist = spy  # type: ignore[method-assign]
    Interview(rules, new_session(), person).run()
    assert ticked[:2] == [(), ("fever",)]


def test_back_to_a_tick_list_answered_none_of_these_starts_with_it_chosen(
    rules: RuleSet, new_session: Callable[..., Session]
) -> None:
    shown: list[tuple[tuple[str, ...], bool]] = []
    person = Person(HAMSTRING, script=[("emergency", [NONE]), ("age", BACK)])
    original = person.checklist

    def spy(prompt: Checklist) -> list[str]:
        if prompt.section == "emergency":
            shown.append((prompt.ticked, prompt.none))
        return original(prompt)

    person.checklist = spy  # type: ignore[method-assign]
    Interview(rules, new_session(), person).run()
    assert shown[:2] == [((), False), ((), True)]


def test_sex_offers_prefer_not_to_say_instead_of_not_sure(
    rules: RuleSet, new_session: Callable[..., Session]
) -> None:
    prompts: list[Single] = []
    person = Person(HAMSTRING)
    original = person.single

    def spy(prompt: Single) -> Any:
        prompts.append(prompt)
        return original(prompt)

    person.single = spy  # type: ignore[method-assign]
    Interview(rules, new_session(), person).run()
    sex = next(p for p in prompts if p.qid == "sex")
    assert not sex.offer_unsure
    assert ("unspecified", "Prefer not to say") in sex.choices
    assert next(p for p in prompts if p.qid == "side").offer_unsure


# -- where the person is --------------------------------------------------------------------------


def test_the_country_is_asked_first_when_the_locale_says_nothing(
    rules: RuleSet, new_session: Callable[..., Session], tmp_path: Path
) -> None:
    kept: list[str] = []

    def remember(region: str) -> Path:
        kept.append(region)
        return tmp_path / "config.toml"

    person = Person(HAMSTRING, script=[("region", HELP), ("region", BACK), ("region", "UK")])
    session = new_session()
    Interview(rules, session, person, ask_region=True, remember=remember).run()
    assert person.asked[:3] == ["region", "region", "region"]
    assert person.shown[:2] == [rules.message("region_help", "en"), rules.message("back_at_start", "en")]
    assert session.region == "UK" and kept == ["UK"]
    intro = next(text for text in person.shown if "kneeguide asks" in text)
    assert "999" in intro and "119" not in intro


def test_the_progress_line_counts_parts_and_never_overstates(
    rules: RuleSet, new_session: Callable[..., Session]
) -> None:
    lines: list[str] = []
    person = Person(CALF_CLOT)
    original_single, original_checklist = person.single, person.checklist

    def single_spy(prompt: Single) -> Any:
        lines.append(prompt.progress)
        return original_single(prompt)

    def checklist_spy(prompt: Checklist) -> list[str]:
        lines.append(prompt.progress)
        return original_checklist(prompt)

    person.single = single_spy  # type: ignore[method-assign]
    person.checklist = checklist_spy  # type: ignore[method-assign]
    Interview(rules, new_session(), person).run()
    parts = [tuple(map(int, re.match(r"Part (\d+) of (\d+): ", line).groups())) for line in lines]  # type: ignore[union-attr]
    assert len({total for _, total in parts}) == 1  # the total never moves
    numbers = [n for n, _ in parts]
    assert numbers == sorted(numbers) and numbers[0] == 1
    assert lines[0].endswith("in an emergency call 119")  # in sight after the intro scrolls away
    assert not any("119" in line for line in lines if not line.startswith("Part 1 "))


def test_a_resumed_interview_that_showed_an_emergency_reminds_first(
    rules: RuleSet, new_session: Callable[..., Session]
) -> None:
    session = new_session()
    person = Person({"saddle_numbness": "yes"})
    person.interrupt_at = 2
    with pytest.raises(KeyboardInterrupt):
        Interview(rules, session, person).run()
    resumed = Session.load(session.path)
    assert resumed.emergency_shown
    again = Person({"saddle_numbness": "yes"})
    Interview(rules, resumed, again).run()
    reminder = rules.message("resume_emergency", "en").format(emergency="119")
    assert again.shown[0] == reminder
    assert "Emergency" in again.shown[1]


def test_not_sure_on_a_checklist_asks_the_items_one_by_one(
    rules: RuleSet, new_session: Callable[..., Session]
) -> None:
    person = Person(HAMSTRING, script=[("emergency", [NOT_SURE])])
    session = new_session()
    Interview(rules, session, person).run()
    assert "short_of_breath" in person.asked  # asked alone afterwards
    assert session.answers["short_of_breath"] == "no"


def test_an_unsure_answer_keeps_the_danger_not_excluded(
    rules: RuleSet, new_session: Callable[..., Session]
) -> None:
    person = Person(HAMSTRING, script=[("emergency", [NOT_SURE]), ("short_of_breath", "unsure")])
    result = Interview(rules, new_session(), person).run()
    assert "pulmonary_embolism" in [n.id for n in result.not_excluded]
    assert result.triage.level >= Level.SOON


def test_an_interrupted_interview_resumes_to_the_same_result(
    rules: RuleSet, new_session: Callable[..., Session]
) -> None:
    whole = Interview(rules, new_session(), Person(CALF_CLOT)).run()
    for stop_at in (1, 3, 6):
        session = new_session()
        person = Person(CALF_CLOT)
        person.interrupt_at = stop_at
        with pytest.raises(KeyboardInterrupt):
            Interview(rules, session, person).run()
        resumed = Session.load(session.path)
        assert resumed.status == "in_progress"
        result = Interview(rules, resumed, Person(CALF_CLOT)).run()
        assert result.triage == whole.triage
        assert result.red_flags == whole.red_flags
        assert result.likely_causes == whole.likely_causes


# -- the real questionary prompts, fed through a pipe ------------------------------------------


def asker_with(keys: str, rules: RuleSet) -> Iterator[TerminalAsker]:
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        yield TerminalAsker(rules, "en", input=pipe, output=DummyOutput())


def single(qid: str, rules: RuleSet, kind: str = "yn") -> Single:
    q = rules.questions[qid]
    choices = (("yes", "yes"), ("no", "no")) if kind == "yn" else tuple((c.id, c.id) for c in q.choices)
    return Single(
        qid,
        kind,
        "text",
        None,
        choices,
        q.expected(),
        q.minimum,
        q.maximum,
        q.type == "int",
        None,
        "Question 1 of about 9",
    )


def test_a_yes_no_prompt_answers_yes_with_enter(rules: RuleSet) -> None:
    for asker in asker_with("\r", rules):
        assert asker.single(single("calf_swelling", rules)) == "yes"


def test_a_yes_no_prompt_offers_not_sure(rules: RuleSet) -> None:
    for asker in asker_with("\x1b[B\x1b[B\r", rules):
        assert asker.single(single("calf_swelling", rules)) is None


def test_back_is_a_choice_on_every_prompt(rules: RuleSet) -> None:
    for asker in asker_with("\x1b[B\x1b[B\x1b[B\r", rules):
        assert asker.single(single("calf_swelling", rules)) == BACK


def test_a_number_prompt_validates_and_parses(rules: RuleSet) -> None:
    prompt = single("age", rules, "int")
    for asker in asker_with("200\r\x7f\x7f\x7f64\r", rules):
        assert asker.single(prompt) == 64


def test_a_number_prompt_b_goes_back_and_empty_is_unknown(rules: RuleSet) -> None:
    prompt = single("age", rules, "int")
    for asker in asker_with("b\r", rules):
        assert asker.single(prompt) == BACK
    for asker in asker_with("\r", rules):
        assert asker.single(prompt) is None


def test_a_checklist_ticks_with_space(rules: RuleSet) -> None:
    prompt = Checklist("leg", "Any of these?", (("calf_swelling", "a"), ("calf_pain", "b")), (), "Q")
    for asker in asker_with("\x1b[B \r", rules):
        assert asker.checklist(prompt) == ["calf_pain"]


def test_ctrl_c_raises_keyboard_interrupt_for_one_handler(rules: RuleSet) -> None:
    with pytest.raises(KeyboardInterrupt):
        for asker in asker_with("\x03", rules):
            asker.single(single("calf_swelling", rules))


@pytest.mark.parametrize("width", [40, 50, 80])
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_emergency_panel_is_never_wider_than_the_terminal(
    rules: RuleSet, new_session: Callable[..., Session], width: int, lang: str
) -> None:
    from wcwidth import wcswidth

    session = new_session()
    session.lang = lang
    person = Person({"saddle_numbness": "yes"}, finish_after_emergency=False)
    person.columns = width
    Interview(rules, session, person).run()
    panel = next(text for text in person.shown if "╭" in text)
    assert max(wcswidth(line) for line in panel.splitlines()) <= width
