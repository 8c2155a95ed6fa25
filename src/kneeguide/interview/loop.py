"""The interactive intake interview: the loop over one session.

:meth:`Interview.run` drives the interview through an :class:`~kneeguide.interview.prompts.Asker`,
so the loop is tested with a scripted asker and no terminal. The session is
saved after every answer; an interruption (Ctrl-C, a closed terminal, SIGTERM)
surfaces as ``KeyboardInterrupt`` in one place, the caller, which reports how
to resume.
"""

from __future__ import annotations

from typing import Any

from kneeguide.engine import Assessment, assessment_of
from kneeguide.ids import Audience
from kneeguide.interview.flow import Flow, Step
from kneeguide.interview.prompts import BACK, HELP, NOT_SURE, Asker, Checklist, Single
from kneeguide.interview.session import Session
from kneeguide.ruleset.model import Question, RuleSet, pick


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
            progress = self.progress(step)
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

    def progress(self, step: Step) -> str:
        """"Part n of N: title", by sections: N is fixed for the audience, and n only
        moves forward (or back with Back), so the line never overstates what is left."""
        parts = [s for s in self.rules.sections if self.flow.by_section[s.id]]
        n = next(i for i, s in enumerate(parts, 1) if s.id == step.section)
        return self.m("progress", n=n, total=len(parts), section=pick(parts[n - 1].title, self.lang))

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


__all__ = ["Interview"]
