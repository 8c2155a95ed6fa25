"""Full-screen prompts on the terminal (prompt_toolkit and questionary's list control).

The prompts are built from parts rather than from ``questionary.checkbox``,
because its Enter submits whatever is ticked, even nothing, wherever the pointer
is: on the first frame, Enter on "Not sure", Help or Back recorded sixteen
emergency symptoms as "no". Here Enter does what the line under the pointer
says, and a list with nothing ticked is never submitted. Every line is wrapped
(:mod:`kneeguide.render.wrap`) at the width the window has when it is drawn,
so a resized terminal re-wraps and no choice is cut at the edge.

No questionary prompt function is used at all, the yes/no question, the file
name and the pause included: their hints and echoed answers ("(Use arrow keys)",
"(Y/n)", "Yes", "done (3 selections)") are English constants. Every word drawn
here is a message of the rules, in the reader's language.

Prompts go to stderr (or the terminal), never stdout, so
``kneeguide interview > report.txt`` stays clean.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import Any

from prompt_toolkit.application import Application, get_app
from prompt_toolkit.buffer import Buffer
from prompt_toolkit.filters import Condition, is_done
from prompt_toolkit.formatted_text import StyleAndTextTuples
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent
from prompt_toolkit.layout import ConditionalContainer, HSplit, Layout, ScrollOffsets, Window
from prompt_toolkit.layout.controls import BufferControl, FormattedTextControl, UIContent
from prompt_toolkit.layout.processors import BeforeInput
from questionary.prompts.common import Choice, InquirerControl, Separator
from questionary.styles import merge_styles_default

from kneeguide.interview.prompts import BACK, HELP, INVALID, NONE, NOT_SURE, Checklist, Single, parse_number
from kneeguide.render.wrap import fit, hang, wrap
from kneeguide.ruleset.model import AnswerValue, RuleSet

POINTER = " » "
NO_POINTER = "   "
TICKED, UNTICKED = "● ", "○ "
#: Lines that act when Enter is pressed on them; they are never ticked.
ACTIONS = (NOT_SURE, BACK, HELP)

Fragments = StyleAndTextTuples


class AtWidth(FormattedTextControl):
    """A text control that knows the width its window gives it before its text is
    asked for, so the text is wrapped for the terminal as it is now: prompt_toolkit
    measures (preferred_height) and draws (create_content) on every redraw, resizes
    included."""

    width = 80

    def preferred_height(self, width: int, *args: Any) -> int | None:
        self.width = width
        return super().preferred_height(width, *args)

    def create_content(self, width: int, height: int | None) -> UIContent:
        self.width = width
        return super().create_content(width, height)


class Wrapped(AtWidth):
    """Text drawn by a function of the width."""

    def __init__(self, draw: Callable[[int], Fragments], *, focusable: bool = False) -> None:
        self.draw = draw
        super().__init__(lambda: self.draw(self.width), focusable=focusable)


class Choices(AtWidth, InquirerControl):
    """questionary's list control, each choice wrapped with a hanging indent.

    ``tickable`` holds the values drawn with a tick box; every other line is an
    action (or, in a single question, an answer) chosen with Enter.
    """

    def __init__(self, choices: Sequence[Choice], tickable: set[Any], initial: Any) -> None:
        self.tallest = 1
        self.tickable = tickable
        super().__init__(list(choices), pointer=POINTER.strip(), initial_choice=initial)

    def _get_choice_tokens(self) -> Fragments:
        tokens: Fragments = []
        self.tallest = 1
        for index, choice in enumerate(self.choices):
            pointed = index == self.pointed_at
            if isinstance(choice, Separator):
                tokens.append(("class:separator", NO_POINTER + "-" * min(15, self.width - 4) + "\n"))
                continue
            ticked = choice.value in self.selected_options
            box = (TICKED if ticked else UNTICKED) if choice.value in self.tickable else ""
            lines = hang(str(choice.title), self.width, NO_POINTER + box)
            self.tallest = max(self.tallest, len(lines))
            style = "class:highlighted" if pointed else "class:selected" if ticked else "class:text"
            lead = len(NO_POINTER) + len(box)
            if pointed:
                tokens += [("class:pointer", POINTER), ("[SetCursorPosition]", "")]
            else:
                tokens.append(("class:text", NO_POINTER))
            tokens.append(("class:selected" if ticked else "class:text", box))
            tokens.append((style, lines[0][lead:] + "\n"))
            tokens += [(style, line + "\n") for line in lines[1:]]
        if tokens:
            style, text = tokens[-1][:2]
            tokens[-1] = (style, text[:-1])  # no empty line under the list
        return tokens

    def title_of(self, value: Any) -> str:
        return next(str(c.title) for c in self.choices if c.value == value)


class Frame:
    """One prompt's text around its choices or input line: the progress, the question
    and its instruction while it is open, the question and the answer once done."""

    def __init__(self, progress: str, text: str, hint: str | None) -> None:
        self.progress = progress
        self.text = text
        self.hint = hint
        self.answer = ""
        self.error = ""

    def header(self, width: int) -> Fragments:
        done = get_app().is_done
        out: Fragments = []
        if self.progress and not done:
            out += [("class:instruction", line + "\n") for line in wrap(self.progress, width)]
        question = hang(self.text, width, "? ")
        out += [("class:qmark", "?"), ("class:question", question[0][1:] + "\n")]
        out += [("class:question", line + "\n") for line in question[1:]]
        tail = self.answer if done else self.hint
        if tail:
            style = "class:answer" if done else "class:instruction"
            out += [(style, line + "\n") for line in hang(tail, width, "  ")]
        style, last = out[-1][:2]
        out[-1] = (style, last[:-1])
        return out

    def warning(self, width: int) -> Fragments:
        return [("class:instruction", "\n".join(hang(self.error, width, "  ")))]

    def layout(self, body: Window) -> Layout:
        has_error = Condition(lambda: bool(self.error))
        return Layout(
            HSplit(
                [
                    Window(Wrapped(self.header), dont_extend_height=True),
                    ConditionalContainer(body, filter=~is_done),
                    ConditionalContainer(
                        Window(Wrapped(self.warning), dont_extend_height=True), filter=has_error & ~is_done
                    ),
                ]
            ),
            focused_element=body,
        )


def list_window(control: Choices) -> Window:
    # Keep the whole of the pointed choice in view when the list scrolls: the
    # cursor sits on its first line, so leave room for its longest continuation.
    return Window(
        control,
        always_hide_cursor=True,
        dont_extend_height=True,
        scroll_offsets=ScrollOffsets(top=1, bottom=lambda: control.tallest),
    )


def typed_line(buffer: Buffer) -> Window:
    """The line a number or a file name is typed on, under the question, after "  > "."""
    return Window(
        BufferControl(buffer, input_processors=[BeforeInput("  > ", style="class:qmark")]),
        wrap_lines=True,
        dont_extend_height=True,
    )


def moving(control: Choices, keys: KeyBindings) -> None:
    """Arrow keys (and j/k, Ctrl-N/Ctrl-P) move the pointer, skipping separators."""

    def step(forward: bool) -> Callable[[KeyPressEvent], None]:
        def move(event: KeyPressEvent) -> None:
            while True:
                control.pointed_at = (control.pointed_at + (1 if forward else -1)) % len(control.choices)
                if not isinstance(control.get_pointed_at(), Separator):
                    return

        return move

    for key in ("down", "j", "c-n"):
        keys.add(key, eager=True)(step(True))
    for key in ("up", "k", "c-p"):
        keys.add(key, eager=True)(step(False))

    @keys.add("c-c", eager=True)
    @keys.add("c-q", eager=True)
    def interrupt(event: KeyPressEvent) -> None:
        event.app.exit(exception=KeyboardInterrupt, style="class:aborting")

    @keys.add("<any>")
    def ignore(event: KeyPressEvent) -> None:
        """Typing does nothing: no stray text in a list."""


class TerminalAsker:
    """Prompts on the terminal, written to stderr."""

    def __init__(self, rules: RuleSet, lang: str, *, input: Any = None, output: Any = None) -> None:
        from prompt_toolkit.output import create_output

        self.rules = rules
        self.lang = lang
        self.io: dict[str, Any] = {"output": output or create_output(stdout=sys.stderr)}
        if input is not None:
            self.io["input"] = input
        self.style = merge_styles_default([])
        #: Ticks kept while the person reads the help of a tick-list, restored when it comes back.
        self.kept: dict[tuple[str, ...], list[str]] = {}

    def m(self, key: str) -> str:
        return self.rules.message(key, self.lang)

    def width(self) -> int:
        return int(self.io["output"].get_size().columns)

    def run(self, frame: Frame, body: Window, keys: KeyBindings) -> Any:
        app: Application[Any] = Application(
            layout=frame.layout(body), key_bindings=keys, style=self.style, **self.io
        )
        return app.run()

    def single(self, prompt: Single) -> AnswerValue | None:
        if prompt.kind not in ("yn", "choice"):
            return self.number(prompt)
        choices = [Choice(label, value=value) for value, label in prompt.choices]
        if prompt.offer_unsure:
            choices.append(Choice(self.m("choice_unsure"), value=NOT_SURE))
        choices += [
            Separator(),
            Choice(self.m("choice_back"), value=BACK),
            Choice(self.m("choice_help"), value=HELP),
        ]
        known = [c.value for c in choices]
        earlier = NOT_SURE if prompt.default == "unsure" else prompt.default
        control = Choices(choices, set(), earlier if earlier in known else None)
        frame = Frame(prompt.progress, prompt.text, None)
        keys = KeyBindings()
        moving(control, keys)

        @keys.add("enter", eager=True)
        def choose(event: KeyPressEvent) -> None:
            value = control.get_pointed_at().value
            frame.answer = control.title_of(value)
            event.app.exit(result=value)

        reply = self.run(frame, list_window(control), keys)
        return None if reply == NOT_SURE else reply

    def number(self, prompt: Single) -> AnswerValue | None:
        default = None if prompt.default == "unsure" else prompt.default  # unknown: left empty
        text = (
            "" if default is None else f"{default:g}" if isinstance(default, (int, float)) else str(default)
        )
        frame = Frame(prompt.progress, prompt.text, self.m("number_hint"))
        buffer = Buffer(multiline=False)
        buffer.text = text
        buffer.cursor_position = len(text)
        buffer.on_text_changed += lambda _: setattr(frame, "error", "")
        keys = KeyBindings()

        @keys.add("enter", eager=True)
        def enter(event: KeyPressEvent) -> None:
            value = parse_number(prompt, buffer.text)
            if value is INVALID:
                frame.error = self.m("number_invalid").format(expected=prompt.expected)
                return
            typed = buffer.text.strip()
            frame.answer = typed if value not in (BACK, HELP, None) else self.word(value)
            event.app.exit(result=value)

        @keys.add("c-c", eager=True)
        def interrupt(event: KeyPressEvent) -> None:
            event.app.exit(exception=KeyboardInterrupt, style="class:aborting")

        reply: AnswerValue | None = self.run(frame, typed_line(buffer), keys)
        return reply

    def word(self, value: Any) -> str:
        """How a typed action or an empty answer reads once the prompt is done."""
        key = {BACK: "choice_back", HELP: "choice_help"}.get(value, "choice_unsure")
        return self.m(key)

    def checklist(self, prompt: Checklist) -> list[str]:
        items = [qid for qid, _ in prompt.items]
        ticked = set(self.kept.pop(tuple(items), prompt.ticked))
        choices = [Choice(label, value=qid, checked=qid in ticked) for qid, label in prompt.items]
        choices += [
            Choice(self.m("checklist_none"), value=NONE, checked=prompt.none and not ticked),
            Separator(),
            Choice(self.m("checklist_not_sure"), value=NOT_SURE),
            Choice(self.m("choice_back"), value=BACK),
            Choice(self.m("choice_help"), value=HELP),
        ]
        control = Choices(choices, {*items, NONE}, None)
        frame = Frame(prompt.progress, prompt.text, self.m("checklist_hint"))
        keys = KeyBindings()
        moving(control, keys)

        def chosen() -> list[str]:
            return [qid for qid in items if qid in control.selected_options]

        @keys.add(" ", eager=True)
        def tick(event: KeyPressEvent) -> None:
            value = control.get_pointed_at().value
            if value in ACTIONS:
                return  # acts with Enter; a tick on it would mean nothing
            frame.error = ""
            selected = control.selected_options
            if value in selected:
                selected.remove(value)
            elif value == NONE:  # "None of these" and an item cannot both be true
                selected[:] = [NONE]
            else:
                selected[:] = [*(v for v in selected if v != NONE), value]

        def done(event: KeyPressEvent, reply: list[str], answer: str) -> None:
            frame.answer = answer
            event.app.exit(result=reply)

        @keys.add("enter", eager=True)
        def enter(event: KeyPressEvent) -> None:
            value = control.get_pointed_at().value
            titles = self.m("cond_separator").join(control.title_of(q) for q in chosen())
            if value in ACTIONS:
                if value == HELP:
                    self.kept[tuple(items)] = chosen()
                reply = [NOT_SURE, *chosen()] if value == NOT_SURE else [value]
                done(event, reply, control.title_of(value))
            elif value == NONE and chosen():
                frame.error = self.m("checklist_none_and_item")
            elif value == NONE or NONE in control.selected_options:
                done(event, [NONE], control.title_of(NONE))
            elif chosen():
                done(event, chosen(), titles)
            else:  # Enter on an item with nothing ticked: silence is not "no"
                frame.error = self.m("checklist_empty")

        chosen_reply: list[str] = self.run(frame, list_window(control), keys)
        return chosen_reply

    def confirm(self, message: str, default: bool) -> bool:
        """A yes/no question: y or n answers at once, Enter gives the default.

        Drawn here rather than by ``questionary.confirm``, whose key hint "(Y/n)" and
        answer "Yes"/"No" are module constants in English: the hint and the answer are
        messages, so a Japanese reader sees 「（y：はい／n：いいえ／Enterキー：はい）」
        and 「はい」, wrapped at the width like every other prompt. Full-width ｙ/ｎ
        count too: a Japanese input method left on types them.
        """
        hint = self.m("confirm_default_yes" if default else "confirm_default_no")
        frame = Frame("", message, hint)
        keys = KeyBindings()

        def answer(value: bool) -> Callable[[KeyPressEvent], None]:
            def give(event: KeyPressEvent) -> None:
                frame.answer = self.m("confirm_yes" if value else "confirm_no")
                event.app.exit(result=value)

            return give

        for key in ("y", "Y", "ｙ", "Ｙ"):
            keys.add(key, eager=True)(answer(True))
        for key in ("n", "N", "ｎ", "Ｎ"):
            keys.add(key, eager=True)(answer(False))
        keys.add("enter", eager=True)(answer(default))

        @keys.add("c-c", eager=True)
        @keys.add("c-q", eager=True)
        def interrupt(event: KeyPressEvent) -> None:
            event.app.exit(exception=KeyboardInterrupt, style="class:aborting")

        @keys.add("<any>")
        def ignore(event: KeyPressEvent) -> None:
            """Any other key does nothing."""

        # Nothing to draw under the question; a window of no height holds the focus.
        still = Window(FormattedTextControl("", focusable=True), height=0, always_hide_cursor=True)
        return bool(self.run(frame, still, keys))

    def pause(self, message: str) -> None:
        """Wait for any key under ``message``, wrapped at the width like the prompts
        (between phrases in Japanese) and flush left like the help it follows."""
        keys = KeyBindings()

        @keys.add("c-c", eager=True)
        @keys.add("c-q", eager=True)
        def interrupt(event: KeyPressEvent) -> None:
            event.app.exit(exception=KeyboardInterrupt, style="class:aborting")

        @keys.add("<any>")
        def go_on(event: KeyPressEvent) -> None:
            event.app.exit()

        text = Wrapped(lambda width: [("class:instruction", "\n".join(wrap(message, width)))], focusable=True)
        window = Window(text, dont_extend_height=True, always_hide_cursor=True)
        app: Application[None] = Application(
            layout=Layout(window, focused_element=window), key_bindings=keys, style=self.style, **self.io
        )
        app.run()

    def path(self, message: str, default: str) -> str:
        """A file name, the default ready to keep or edit, typed on its own line under the
        question: after 「? ファイル名：」 a default name such as
        kneeguide-assessment-20261130-0930.json would reach past 50 columns and be cut
        by the edge. Left empty, the default."""
        frame = Frame("", message, None)
        buffer = Buffer(multiline=False)
        buffer.text = default
        buffer.cursor_position = len(default)
        keys = KeyBindings()

        @keys.add("enter", eager=True)
        def enter(event: KeyPressEvent) -> None:
            frame.answer = buffer.text.strip() or default
            event.app.exit(result=frame.answer)

        @keys.add("c-c", eager=True)
        def interrupt(event: KeyPressEvent) -> None:
            event.app.exit(exception=KeyboardInterrupt, style="class:aborting")

        return str(self.run(frame, typed_line(buffer), keys))

    def show(self, text: str) -> None:
        sys.stderr.write(fit(text if text.endswith("\n") else text + "\n", self.width()))
        sys.stderr.flush()


__all__ = ["TerminalAsker"]
