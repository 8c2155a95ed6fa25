"""Which question comes next: the interview's logic, pure and testable.

Order comes from the rules (sections, then questions, in file order; the
emergency screen first). A question is asked only when it applies (audience,
``ask_if``) and when its answer could still change what matters to the person:
the triage level, the red flags raised or not excluded, or the three leading
causes. Yes/no questions of a checklist section are asked together as one
tick-list. Nothing here prompts or prints.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kneeguide.engine import assessment_of, compute_score
from kneeguide.evaluate import conditions
from kneeguide.evaluate.walk import with_implied
from kneeguide.ids import Audience, Level
from kneeguide.ruleset.model import Answers, AnswerValue, Question, RuleSet, pick

Outcome = tuple[Level, frozenset[str], frozenset[str], frozenset[str]]


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
        self.thresholds = self._thresholds()
        self.readers = self._readers()
        self.safety = self._safety_conditions()

    # -- outcome and relevance -------------------------------------------------------

    def outcome(self, answers: Answers) -> Outcome:
        """What an answer could change: level, red flags, what is not excluded, top causes."""
        a = assessment_of(self.rules, answers, audience=self.audience, detail=False)
        return (
            a.triage.level,
            frozenset(h.id for h in a.red_flags),
            frozenset(n.id for n in a.not_excluded),
            frozenset(c.id for c in a.likely_causes[:3] if c.strength != "less_likely"),
        )

    def candidates(self, question: Question) -> list[AnswerValue]:
        if question.type == "yn":
            return ["yes", "no"]
        if question.type == "choice":
            return [c.id for c in question.choices]
        values: set[float] = set()
        for t in self.thresholds.get(question.id, ()):
            values.update({t - 1, t - 0.5, t, t + 0.5, t + 1})
        if question.minimum is not None:
            values.add(question.minimum)
        if question.maximum is not None:
            values.add(question.maximum)
        lo = question.minimum if question.minimum is not None else float("-inf")
        hi = question.maximum if question.maximum is not None else float("inf")
        kept = sorted(v for v in values if lo <= v <= hi)
        if question.type == "int":
            return sorted({int(v) for v in kept if v == int(v)})
        return list(kept)

    def matters(self, qid: str, answers: Answers, base: Outcome | None = None) -> bool:
        """Could answering ``qid`` still change anything that matters?

        Two tests. A safety rule (red flag, escalation, floor) that reads the
        question and is not yet decided either way keeps it relevant, even when
        other unknown answers hide its effect for now: that is what lets a
        complete screen exclude every red flag. Otherwise, the question matters
        if some answer changes the outcome (level, red flags, what is not
        excluded, the leading causes) from what it is now.
        """
        if self._safety_relevant(qid, answers):
            return True
        if any(reader not in answers for reader in self.readers.get(qid, ())):
            return True  # its answer decides whether other questions are asked
        question = self.rules.questions[qid]
        now = base if base is not None else self.outcome(answers)
        return any(self.outcome({**answers, qid: value}) != now for value in self.candidates(question))

    def _safety_relevant(self, qid: str, answers: Answers) -> bool:
        question = self.rules.questions[qid]
        values: list[AnswerValue | None] = [None, *self.candidates(question)]
        for cond, uses_scores in self.safety.get(qid, ()):
            seen: set[conditions.Tri] = set()
            for value in values:
                trial = dict(answers)
                if value is None:
                    trial.pop(qid, None)
                else:
                    trial[qid] = value
                effective = with_implied(self.rules, trial)
                scores = {s.id: compute_score(s, effective) for s in self.rules.scores} if uses_scores else {}
                seen.add(cond.evaluate(effective, scores))
                if len(seen) > 1 or None in seen:
                    return True
        return False

    def applies(self, question: Question, answers: Answers) -> bool:
        if self.audience not in question.audiences:
            return False
        if question.ask_if is None:
            return True
        effective = with_implied(self.rules, answers)
        return question.ask_if.evaluate(effective, {}) is not False

    # -- the next prompt ----------------------------------------------------------------

    def next_step(self, answers: Answers, individually: Iterable[str] = ()) -> Step | None:
        """The first prompt still worth asking, or None when the interview is done.

        ``individually`` lists checklist questions to ask one at a time (after
        the person said they were not sure about some items of a tick-list).
        """
        alone = set(individually)
        base = self.outcome(answers)
        for section in self.rules.sections:
            pending = [
                q for q in self.by_section[section.id] if q.id not in answers and self.applies(q, answers)
            ]
            if not pending:
                continue
            ticked = section.checklist
            if ticked:
                ticks = tuple(
                    q.id
                    for q in pending
                    if q.type == "yn" and q.id not in alone and self.matters(q.id, answers, base)
                )
                if ticks:
                    return Step(section.id, ticks, True)
            for q in pending:
                if ticked and q.type == "yn" and q.id not in alone:
                    continue
                if self.matters(q.id, answers, base):
                    return Step(section.id, (q.id,), False)
        return None

    def remaining_estimate(self, answers: Answers) -> int:
        """Roughly how many prompts are left (checklists count once); for progress only."""
        count = 0
        for section in self.rules.sections:
            pending = [
                q for q in self.by_section[section.id] if q.id not in answers and self.applies(q, answers)
            ]
            if section.checklist:
                count += int(any(q.type == "yn" for q in pending))
                count += sum(1 for q in pending if q.type != "yn")
            else:
                count += len(pending)
        return count

    def emergencies(self, answers: Answers) -> list[str]:
        """Red flags at emergency level that the answers make certain."""
        a = assessment_of(self.rules, answers, audience=self.audience, detail=False)
        return [h.id for h in a.red_flags if h.level is Level.EMERGENCY]

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

    def _thresholds(self) -> dict[str, set[float]]:
        found: dict[str, set[float]] = {}
        every = [f.when for f in self.rules.red_flags]
        every += [e.when for f in self.rules.red_flags for e in f.escalations]
        every += [i.when for s in self.rules.scores for i in s.items]
        every += [s.applies_if for s in self.rules.scores if s.applies_if is not None]
        every += [f.when for c in self.rules.causes for f in c.features]
        every += [f.when for f in self.rules.floors]
        for cond in every:
            for leaf in cond.leaves():
                if isinstance(leaf, conditions.AnswerCompare):
                    found.setdefault(leaf.question, set()).add(leaf.threshold)
        return found

    def _safety_conditions(self) -> dict[str, list[tuple[conditions.Condition, bool]]]:
        """Question id → the safety conditions that read it (directly or via a score)."""
        score_reads: dict[str, set[str]] = {}
        for s in self.rules.scores:
            reads: set[str] = set()
            for item in s.items:
                reads |= conditions.questions_in(item.when)
                if item.proxy is not None:
                    reads |= conditions.questions_in(item.proxy)
            if s.applies_if is not None:
                reads |= conditions.questions_in(s.applies_if)
            score_reads[s.id] = reads
        out: dict[str, list[tuple[conditions.Condition, bool]]] = {}
        every = [f.when for f in self.rules.red_flags]
        every += [e.when for f in self.rules.red_flags for e in f.escalations]
        every += [f.when for f in self.rules.floors]
        for cond in every:
            used = conditions.scores_in(cond)
            reads = set(conditions.questions_in(cond))
            for sid in used:
                reads |= score_reads[sid]
            for qid in reads:
                out.setdefault(qid, []).append((cond, bool(used)))
        return out

    def _readers(self) -> dict[str, set[str]]:
        readers: dict[str, set[str]] = {}
        for q in self.rules.questions.values():
            if q.ask_if is not None:
                for parent in conditions.questions_in(q.ask_if):
                    readers.setdefault(parent, set()).add(q.id)
        return readers
