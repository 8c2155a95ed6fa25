"""Which question comes next: the interview's logic, pure and testable.

Order comes from the rules (sections, then questions, in file order; the
emergency screen first). A question is asked only when it applies (audience,
``ask_if``) and while it could still matter (:mod:`relevance`): one of its
answers changes what the person is told, or it belongs to a group of questions
that change it together. Yes/no questions of a checklist section are asked
together as one tick-list; a tick-list of one is a plain yes/no question.
Nothing here prompts or prints.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kneeguide.engine import decide
from kneeguide.evaluate import conditions
from kneeguide.evaluate.walk import with_implied
from kneeguide.ids import Audience, Level
from kneeguide.interview.relevance import Moment, Outcome, Relevance
from kneeguide.ruleset.model import Answers, AnswerValue, Question, RuleSet, pick


@dataclass(frozen=True)
class Step:
    """One prompt: a single question, or the yes/no questions of a checklist."""

    section: str
    questions: tuple[str, ...]
    checklist: bool

    @property
    def first(self) -> str:
        return self.questions[0]


class Flow:
    def __init__(self, rules: RuleSet, audience: Audience) -> None:
        self.rules = rules
        self.audience = audience
        self.sections = {s.id: s for s in rules.sections}
        self.by_section: dict[str, list[Question]] = {s.id: [] for s in rules.sections}
        for q in rules.questions.values():
            if audience in q.audiences:
                self.by_section[q.section].append(q)
        self.relevance = Relevance(rules, audience)
        self.readers = self._readers()

    # -- outcome and relevance -------------------------------------------------------

    def outcome(self, answers: Answers) -> Outcome:
        """What the person is told that an answer could change (see :class:`Outcome`)."""
        return self.relevance.now(answers).outcome

    def candidates(self, question: Question) -> list[AnswerValue]:
        return self.relevance.candidates(question)

    def matters(self, qid: str, answers: Answers, at: Moment | None = None) -> bool:
        """Could answering ``qid`` still change the outcome, alone or with its group?"""
        return self.why_ask(qid, answers, at) is not None

    def why_ask(self, qid: str, answers: Answers, at: Moment | None = None) -> str | None:
        """The kind of reason ``qid`` is still worth asking (:mod:`relevance`), or None."""
        return self.relevance.reason(qid, at if at is not None else self.relevance.now(answers))

    def applies(self, question: Question, answers: Answers) -> bool:
        if self.audience not in question.audiences:
            return False
        if question.ask_if is None:
            return True
        effective = with_implied(self.rules, answers)
        return question.ask_if.evaluate(effective, {}) is not False

    def pending(self, section: str, answers: Answers) -> list[Question]:
        """The questions of ``section`` that apply and are not answered yet, in file order."""
        return [q for q in self.by_section[section] if q.id not in answers and self.applies(q, answers)]

    # -- the next prompt ----------------------------------------------------------------

    def next_step(self, answers: Answers, individually: Iterable[str] = ()) -> Step | None:
        """The first prompt still worth asking, or None when the interview is done.

        ``individually`` lists checklist questions to ask one at a time (after
        the person said they were not sure about some items of a tick-list).
        """
        alone = set(individually)
        at = self.relevance.now(answers)
        for section in self.rules.sections:
            pending = self.pending(section.id, answers)
            if not pending:
                continue
            ticked = section.checklist
            if ticked:
                listed = [
                    q
                    for q in pending
                    if q.type == "yn" and q.id not in alone and self.matters(q.id, answers, at)
                ]
                on_list = {q.id for q in listed}
                ticks = tuple(q.id for q in listed if not self._follows(q, on_list, answers))
                if ticks:
                    return Step(section.id, ticks, len(ticks) > 1)
            for q in pending:
                if ticked and q.type == "yn" and q.id not in alone:
                    continue
                if self.matters(q.id, answers, at):
                    return Step(section.id, (q.id,), False)
        return None

    def _follows(self, question: Question, on_list: set[str], answers: Answers) -> bool:
        """Does ``question`` follow up items of the same tick-list ("does the lump throb?"
        beside "a lump behind the knee")? Then it waits for a list of its own: shown
        beside them, ticking it alone would record what it follows as "no", an answer
        set that contradicts itself."""
        if question.ask_if is None:
            return False
        parents = conditions.questions_in(question.ask_if) & on_list
        if not parents:
            return False
        unticked = with_implied(self.rules, {**answers, **{p: "no" for p in parents}})
        return question.ask_if.evaluate(unticked, {}) is False

    def skipped(self, answers: Answers) -> list[str]:
        """The questions the interview would pass over now: they apply and are unanswered,
        but no answer to one, alone or with the rest of its group, could change the outcome.

        For the skip property test, and for anyone asking why a question never came."""
        at = self.relevance.now(answers)
        return [
            q.id
            for section in self.rules.sections
            for q in self.pending(section.id, answers)
            if not self.matters(q.id, answers, at)
        ]

    def emergencies(self, answers: Answers) -> list[str]:
        """Red flags at emergency level that the answers make certain."""
        return [
            self.rules.red_flags[i].id
            for i, level in decide(self.rules, answers).hits
            if level is Level.EMERGENCY
        ]

    # -- going back ----------------------------------------------------------------------

    def dependents(self, qid: str) -> set[str]:
        """Questions whose skip logic reads ``qid``, directly or through others."""
        out: set[str] = set()
        todo = [qid]
        while todo:
            current = todo.pop()
            for reader in self.readers.get(current, ()):
                if reader not in out:
                    out.add(reader)
                    todo.append(reader)
        return out

    def forget(self, answers: Answers, qids: Iterable[str], keep: Iterable[str] = ()) -> Answers:
        """Drop answers and the answers that depend on them, so they are asked again.

        ``keep`` are questions answered before the ones being changed (earlier
        prompts): their answers did not follow from the changed ones and stay.
        """
        kept = set(keep)
        drop: set[str] = set()
        for qid in qids:
            drop.add(qid)
            drop |= self.dependents(qid) - kept
        return {k: v for k, v in answers.items() if k not in drop}

    def why(self, qid: str, lang: str = "en") -> list[str]:
        """Titles of the rules this answer feeds (for "why am I asked this?")."""
        titles: list[str] = []
        for flag in self.rules.red_flags:
            if qid in conditions.questions_in(flag.when):
                titles.append(pick(flag.title, lang))
        for score in self.rules.scores:
            if any(
                qid in conditions.questions_in(i.when)
                or (i.proxy is not None and qid in conditions.questions_in(i.proxy))
                for i in score.items
            ):
                titles.append(pick(score.title, lang))
        for cause in self.rules.causes:
            if any(qid in conditions.questions_in(f.when) for f in cause.features):
                titles.append(pick(cause.name, lang))
        return titles

    # -- precomputation --------------------------------------------------------------------

    def _readers(self) -> dict[str, set[str]]:
        readers: dict[str, set[str]] = {}
        for q in self.rules.questions.values():
            if q.ask_if is not None:
                for parent in conditions.questions_in(q.ask_if):
                    readers.setdefault(parent, set()).add(q.id)
        return readers
