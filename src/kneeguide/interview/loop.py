"""The interactive intake interview: the loop over one session.

:meth:`Interview.run` drives the interview through an :class:`~kneeguide.interview.prompts.Asker`,
so the loop is tested with a scripted asker and no terminal. The session is
saved after every answer; an interruption (Ctrl-C, a closed terminal, SIGTERM)
surfaces as ``KeyboardInterrupt`` in one place, the caller, which reports how
to resume.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from kneeguide.engine import Assessment, assessment_of
from kneeguide.ids import Audience
from kneeguide.interview.flow import Flow, Step
from kneeguide.interview.prompts import BACK, HELP, NONE, NOT_SURE, Asker, Checklist, Single
from kneeguide.interview.session import Session
from kneeguide.ruleset.model import AnswerValue, Question, RuleSet, expected_text, pick


class Interview:
    """The interview loop over one session.

    ``ask_region`` makes the country the first question (the locale did not say
    where the person is, and the emergency number depends on it); ``remember``
    is offered the chosen region to keep for next time and returns where it
    was kept.
    """

    def __init__(
        self,
        rules: RuleSet,
        session: Session,
        asker: Asker,
        *,
        color: bool = False,
        ask_region: bool = False,
        remember: Callable[[str], Path] | None = None,
    ) -> None:
        self.rules = rules
        self.session = session
        self.asker = asker
        self.color = color
        self.audience = Audience[session.audience.upper()]
        self.flow = Flow(rules, self.audience)
        self.lang = session.lang
        self.ask_region = ask_region
        self.remember = remember
        #: The parts the progress line counts: the sections with a question for this audience.
        self.parts = [s for s in rules.sections if self.flow.by_section[s.id]]
        #: Answers undone by Back, offered again as the preselected choice (never recorded).
        self.earlier: dict[str, AnswerValue] = {}

    def m(self, key: str, **fill: Any) -> str:
        text = self.rules.message(key, self.lang)
        return text.format(**fill) if fill else text

    def wording(self, q: Question) -> str:
        return pick(q.wording(self.audience), self.lang)

    def run(self) -> Assessment:
        answers = self.session.answers
        if not self.session.steps:
            if self.ask_region:
                self.choose_region()
            region = self.rules.regions[self.session.region]
            self.asker.show(self.m("interview_intro", emergency=region.emergency))
        elif self.session.emergency_shown:
            # Resumed after the emergency panel: the call comes before any further question.
            self.asker.show(
                self.m("resume_emergency", emergency=self.rules.regions[self.session.region].emergency)
            )
            self.asker.show(self.emergency_panel())
        while True:
            step = self.flow.next_step(answers, self.session.individually)
            if step is None:
                break
            if not self.ask(step, self.progress(step)):
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

    def choose_region(self) -> None:
        """Ask where the person is, once, before any number is shown; offer to remember it."""
        regions = list(self.rules.regions.values())
        prompt = Single(
            qid="region",
            kind="choice",
            text=self.m("region_ask"),
            help=self.m("region_help"),
            choices=tuple(
                (r.id, self.m("region_choice", name=pick(r.name, self.lang), emergency=r.emergency))
                for r in regions
            ),
            expected=", ".join(r.id for r in regions),
            minimum=None,
            maximum=None,
            integer=False,
            default=None,
            progress="",
            offer_unsure=False,
        )
        while True:
            reply = self.asker.single(prompt)
            if reply in self.rules.regions:
                break
            if reply == BACK:
                self.asker.show(self.m("back_at_start"))
            elif reply == HELP:
                self.asker.show(self.m("region_help"))
                self.asker.pause(self.m("help_continue"))
        self.session.region = str(reply)
        if self.remember is not None and self.asker.confirm(self.m("region_remember"), True):
            kept = self.remember(self.session.region)
            self.asker.show(self.m("region_remembered", path=kept))

    def progress(self, step: Step) -> str:
        """ "Part n of N: title", by sections: N is fixed for the audience, and n only
        moves forward (or back with Back), so the line never overstates what is left."""
        parts = self.parts
        n = next(i for i, s in enumerate(parts, 1) if s.id == step.section)
        line = self.m("progress", n=n, total=len(parts), section=pick(parts[n - 1].title, self.lang))
        if n == 1:  # the life threats: the number stays in sight after the intro scrolls away
            line = self.m(
                "progress_call", progress=line, emergency=self.rules.regions[self.session.region].emergency
            )
        return line

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

        return emergency_panel(self.assess(), self.rules, color=self.color, width=self.asker.width())

    def ask(self, step: Step, progress: str) -> bool:
        """Ask one step; True when answers changed and should be saved."""
        if step.checklist:
            return self.ask_checklist(step, progress)
        question = self.rules.questions[step.first]
        reply = self.asker.single(self.single(question, progress))
        if reply == BACK:
            return self.back()
        if reply == HELP:
            self.asker.show(self.help_for((question.id,)))
            self.asker.pause(self.m("help_continue"))
            return False
        self.session.answers[question.id] = "unsure" if reply is None else reply
        self.earlier.pop(question.id, None)
        self.session.steps.append([question.id])
        return True

    def ask_checklist(self, step: Step, progress: str) -> bool:
        """A tick-list: unticked items become "no" only when the person ticked something
        (an item, or "None of these"); an empty reply records nothing and asks again."""
        answers = self.session.answers
        section = next(s for s in self.rules.sections if s.id == step.section)
        prompt = Checklist(
            section=step.section,
            text=pick(section.prompt or section.title, self.lang),
            items=tuple((q, self.wording(self.rules.questions[q])) for q in step.questions),
            ticked=tuple(q for q in step.questions if self.earlier.get(q) == "yes"),
            progress=progress,
            none=all(self.earlier.get(q) == "no" for q in step.questions),
        )
        reply = self.asker.checklist(prompt)
        if BACK in reply:
            return self.back()
        if HELP in reply:
            self.asker.show(self.help_for(step.questions))
            self.asker.pause(self.m("help_continue"))
            return False
        ticked = {q for q in reply if q in step.questions}
        if NOT_SURE in reply:
            for qid in step.questions:
                if qid in ticked:
                    answers[qid] = "yes"
                elif qid not in self.session.individually:
                    self.session.individually.append(qid)
        elif ticked or reply == [NONE]:
            for qid in step.questions:
                answers[qid] = "yes" if qid in ticked else "no"
        else:
            return False  # nothing chosen: silence is not "no"
        for qid in step.questions:
            self.earlier.pop(qid, None)
        # The whole list is one step, so "back" restores it as a tick-list.
        self.session.steps.append(list(step.questions))
        return True

    def single(self, q: Question, progress: str) -> Single:
        choices: tuple[tuple[str, str], ...]
        if q.type == "yn":
            choices = (("yes", self.m("answer_yes")), ("no", self.m("answer_no")))
        else:
            choices = tuple((c.id, pick(c.text, self.lang)) for c in q.choices)
        earlier = self.session.answers.get(q.id, self.earlier.get(q.id))
        return Single(
            qid=q.id,
            kind=q.type,
            text=self.wording(q),
            help=pick(q.help, self.lang) if q.help else None,
            choices=choices,
            expected=expected_text(q, self.rules, self.lang),
            minimum=q.minimum,
            maximum=q.maximum,
            integer=q.type == "int",
            default=earlier,
            progress=progress,
            offer_unsure=q.offer_unsure,
        )

    def back(self) -> bool:
        """Undo the last prompt: its answers, and everything that depended on them.

        The undone answers are kept aside and preselected when their questions come
        again, so going back to correct one answer does not mean re-entering the rest.
        """
        if not self.session.steps:
            self.asker.show(self.m("back_at_start"))
            return False
        last = self.session.steps.pop()
        asked = set(last)
        self.session.individually = [q for q in self.session.individually if q not in asked]
        earlier = {q for step in self.session.steps for q in step}
        kept = self.flow.forget(self.session.answers, last, keep=earlier)
        for qid, value in self.session.answers.items():
            if qid not in kept:
                self.earlier[qid] = value
        self.session.answers.clear()
        self.session.answers.update(kept)
        return True

    def help_for(self, qids: tuple[str, ...]) -> str:
        """The help text of each question, in plain words; practitioners also see
        which rules read the answer (a lay reader is never shown rule names)."""
        lines = []
        for qid in qids:
            q = self.rules.questions[qid]
            text = pick(q.help, self.lang) if q.help else self.m("no_help")
            lines.append(f"{self.wording(q)}\n  {text}")
            if self.audience is Audience.PRACTITIONER:
                rules = self.flow.why(qid, self.lang)
                if rules:
                    joined = self.m("cond_separator").join(rules)
                    lines.append("  " + self.m("why_asked", rules=joined))
        return "\n".join(lines)


__all__ = ["Interview"]
