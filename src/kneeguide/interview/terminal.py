"""Full-screen prompts on the terminal (questionary), written to stderr.

The only module that imports questionary; its prompts go to stderr (or the
terminal), never stdout, so ``kneeguide interview > report.txt`` stays clean.
"""

from __future__ import annotations

import sys
from typing import Any

from kneeguide.interview.prompts import BACK, HELP, INVALID, NOT_SURE, Checklist, Single, parse_number
from kneeguide.ruleset.model import AnswerValue, RuleSet


class TerminalAsker:
    """questionary prompts on the terminal, written to stderr."""

    def __init__(self, rules: RuleSet, lang: str, *, input: Any = None, output: Any = None) -> None:
        import questionary
        from prompt_toolkit.output import create_output

        self.q = questionary
        self.rules = rules
        self.lang = lang
        self.io: dict[str, Any] = {"output": output or create_output(stdout=sys.stderr)}
        if input is not None:
            self.io["input"] = input

    def m(self, key: str) -> str:
        return self.rules.message(key, self.lang)

    def single(self, prompt: Single) -> AnswerValue | None:
        q = self.q
        message = f"[{prompt.progress}] {prompt.text}"
        if prompt.kind in ("yn", "choice"):
            choices = [q.Choice(label, value=value) for value, label in prompt.choices]
            choices.append(q.Choice(self.m("choice_unsure"), value=NOT_SURE))
            choices += [
                q.Separator(),
                q.Choice(self.m("choice_back"), value=BACK),
                q.Choice(self.m("choice_help"), value=HELP),
            ]
            default = next((c for c in choices if getattr(c, "value", None) == prompt.default), None)
            reply = q.select(message, choices=choices, default=default, **self.io).unsafe_ask()
            return None if reply == NOT_SURE else reply

        def validate(text: str) -> bool | str:
            return parse_number(prompt, text) is not INVALID or self.m("number_invalid").format(
                expected=prompt.expected
            )

        default = (
            ""
            if prompt.default is None
            else f"{prompt.default:g}"
            if isinstance(prompt.default, (int, float))
            else str(prompt.default)
        )
        text = q.text(
            message, default=default, validate=validate, instruction=self.m("number_hint"), **self.io
        ).unsafe_ask()
        value = parse_number(prompt, text)
        return None if value is INVALID else value

    def checklist(self, prompt: Checklist) -> list[str]:
        q = self.q
        choices = [q.Choice(label, value=qid, checked=qid in prompt.ticked) for qid, label in prompt.items]
        choices += [
            q.Separator(),
            q.Choice(self.m("checklist_not_sure"), value=NOT_SURE),
            q.Choice(self.m("choice_back"), value=BACK),
            q.Choice(self.m("choice_help"), value=HELP),
        ]
        message = f"[{prompt.progress}] {prompt.text}"
        reply = q.checkbox(
            message, choices=choices, instruction=self.m("checklist_hint"), **self.io
        ).unsafe_ask()
        return list(reply)

    def confirm(self, message: str, default: bool) -> bool:
        return bool(self.q.confirm(message, default=default, **self.io).unsafe_ask())

    def path(self, message: str, default: str) -> str:
        return str(self.q.text(message, default=default, **self.io).unsafe_ask())

    def show(self, text: str) -> None:
        sys.stderr.write(text if text.endswith("\n") else text + "\n")
        sys.stderr.flush()


__all__ = ["TerminalAsker"]
