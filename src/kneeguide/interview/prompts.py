"""The interactive intake interview.

:meth:`Interview.run` drives the interview through a small :class:`Asker` protocol, so
the loop is tested with a scripted asker and no terminal. :class:`TerminalAsker`
is the only code that imports questionary; its prompts go to stderr (or the
terminal), never stdout, so ``kneeguide interview > report.txt`` stays clean.
The session is saved after every answer; an interruption (Ctrl-C, a closed
terminal, SIGTERM) surfaces as ``KeyboardInterrupt`` in one place, the caller,
which reports how to resume.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any, Protocol

from kneeguide.engine import Assessment, assessment_of
from kneeguide.ids import Audience
from kneeguide.interview.flow import Flow, Step
from kneeguide.interview.session import Session
from kneeguide.ruleset.model import AnswerValue, Question, RuleSet, pick

BACK = "\x00back"
HELP = "\x00help"
NOT_SURE = "\x00not-sure"


@dataclass(frozen=True)
class Single:
    """One question: yes/no, a choice, or a number."""

    qid: str
    kind: str
    text: str
    help: str | None
    choices: tuple[tuple[str, str], ...]  # (value, label); for yes/no and choice questions
    expected: str
    minimum: float | None
    maximum: float | None
    integer: bool
    default: AnswerValue | None
    progress: str


@dataclass(frozen=True)
class Checklist:
    """The yes/no questions of a section as one tick-list."""

    section: str
    text: str
    items: tuple[tuple[str, str], ...]  # (question id, wording)
    ticked: tuple[str, ...]
    progress: str


class Asker(Protocol):
    def single(self, prompt: Single) -> AnswerValue | None:
        """The answer, None for "not sure", or BACK / HELP."""

    def checklist(self, prompt: Checklist) -> list[str]:
        """The ticked question ids, possibly with BACK, HELP or NOT_SURE."""

    def confirm(self, message: str, default: bool) -> bool: ...

    def path(self, message: str, default: str) -> str: ...

    def show(self, text: str) -> None: ...


class Interview:
    """The interview loop over one session."""

    def __init__(self, rules: RuleSet, session: Session, asker: Asker, *, color: bool = False) -> None:
        self.rules = rules
        self.session = session
        self.asker = asker
        self.color = color
        self.audience = Audience[session.audience.upper()]
        self.flow = Flow(rules, self.audience)
        self.lang = session.lang

    def m(self, key: str, **fill: Any) -> str:
        text = self.rules.message(key, self.lang)
        return text.format(**fill) if fill else text

    def wording(self, q: Question) -> str:
        return pick(q.wording(self.audience), self.lang)

    def run(self) -> Assessment:
        answers = self.session.answers
        if not self.session.steps:
            region = self.rules.regions[self.session.region]
            self.asker.show(self.m("interview_intro", emergency=region.emergency))
        while True:
            step = self.flow.next_step(answers, self.session.individually)
            if step is None:
                break
            done = len(self.session.steps)
            total = done + max(1, self.flow.remaining_estimate(answers))
            progress = self.m("progress", n=done + 1, total=total)
            if not self.ask(step, progress):
                continue
            self.session.save()
            if not self.session.emergency_shown and self.flow.emergencies(answers):
                self.session.emergency_shown = True
                self.session.save()
                self.asker.show(self.emergency_panel())
                if not self.asker.confirm(self.m("ask_finish"), True):
                    break
        self.session.status = "completed"
        self.session.save()
        return self.assess()

    def assess(self) -> Assessment:
        return assessment_of(
            self.rules,
            self.session.answers,
            region=self.session.region,
            audience=self.audience,
            lang=self.lang,
        )

    def emergency_panel(self) -> str:
        from kneeguide.render.text import emergency_panel

        return emergency_panel(self.assess(), self.rules, color=self.color)

    def ask(self, step: Step, progress: str) -> bool:
        """Ask one step; True when answers changed and should be saved."""
        answers = self.session.answers
        if step.checklist:
            section = next(s for s in self.rules.sections if s.id == step.section)
            prompt = Checklist(
                section=step.section,
                text=pick(section.prompt or section.title, self.lang),
                items=tuple((q, self.wording(self.rules.questions[q])) for q in step.questions),
                ticked=tuple(q for q in step.questions if answers.get(q) == "yes"),
                progress=progress,
            )
            reply = self.asker.checklist(prompt)
            if BACK in reply:
                return self.back()
            if HELP in reply:
                self.asker.show(self.help_for(step.questions))
                return False
            ticked = set(reply)
            if NOT_SURE in reply:
                for qid in step.questions:
                    if qid in ticked:
                        answers[qid] = "yes"
                    elif qid not in self.session.individually:
                        self.session.individually.append(qid)
                # The whole list is one step, so "back" restores it as a tick-list.
                self.session.steps.append(list(step.questions))
                return True
            for qid in step.questions:
                answers[qid] = "yes" if qid in ticked else "no"
            self.session.steps.append(list(step.questions))
            return True
        question = self.rules.questions[step.first]
        reply_one = self.asker.single(self.single(question, progress))
        if reply_one == BACK:
            return self.back()
        if reply_one == HELP:
            self.asker.show(self.help_for((question.id,)))
            return False
        answers[question.id] = "unsure" if reply_one is None else reply_one
        self.session.steps.append([question.id])
        return True

    def single(self, q: Question, progress: str) -> Single:
        choices: tuple[tuple[str, str], ...]
        if q.type == "yn":
            choices = (("yes", self.m("answer_yes")), ("no", self.m("answer_no")))
        else:
            choices = tuple((c.id, pick(c.text, self.lang)) for c in q.choices)
        return Single(
            qid=q.id,
            kind=q.type,
            text=self.wording(q),
            help=pick(q.help, self.lang) if q.help else None,
            choices=choices,
            expected=q.expected(),
            minimum=q.minimum,
            maximum=q.maximum,
            integer=q.type == "int",
            default=self.session.answers.get(q.id),
            progress=progress,
        )

    def back(self) -> bool:
        """Undo the last prompt: its answers, and everything that depended on them."""
        if not self.session.steps:
            return False
        last = self.session.steps.pop()
        asked = set(last)
        self.session.individually = [q for q in self.session.individually if q not in asked]
        earlier = {q for step in self.session.steps for q in step}
        kept = self.flow.forget(self.session.answers, last, keep=earlier)
        self.session.answers.clear()
        self.session.answers.update(kept)
        return True

    def help_for(self, qids: tuple[str, ...]) -> str:
        lines = []
        for qid in qids:
            q = self.rules.questions[qid]
            text = pick(q.help, self.lang) if q.help else self.m("no_help")
            rules = self.flow.why(qid, self.lang)
            lines.append(f"{self.wording(q)}\n  {text}")
            if rules:
                lines.append("  " + self.m("why_asked", rules="; ".join(rules)))
        return "\n".join(lines)


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


class _Invalid:
    pass


INVALID: Any = _Invalid()


def parse_number(prompt: Single, text: str) -> Any:
    """Parse typed input for a number question: a value, None (unknown), BACK, HELP or INVALID."""
    word = text.strip().lower()
    if word in ("", "?", "b", "back"):
        return {"": None, "?": HELP, "b": BACK, "back": BACK}[word]
    try:
        value = float(word)
    except ValueError:
        return INVALID
    if value != value or value in (float("inf"), float("-inf")):
        return INVALID
    if prompt.integer:
        if value != int(value):
            return INVALID
        value = int(value)
    if prompt.minimum is not None and value < prompt.minimum:
        return INVALID
    if prompt.maximum is not None and value > prompt.maximum:
        return INVALID
    return int(value) if value == int(value) else value


__all__ = ["BACK", "HELP", "NOT_SURE", "Asker", "Checklist", "Interview", "Single", "TerminalAsker"]
