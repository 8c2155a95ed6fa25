"""Could an answer still change what the person is told? The interview's look-ahead, pure.

What the person is told is the :class:`Outcome`: the level, the red flags raised (at
their levels) and those not excluded, every score's band ("not yet decided" is a band
of its own, and so is "not applicable", by ``applies_if`` or the validated population;
the published band, without lay stand-ins, is kept decided by ``BAND``), the three
leading causes in their order with their strengths, and the acupuncture suitability.
A question is worth asking when one of its answers changes the outcome (``CHANGES``).

A one-answer look-ahead is blind to answers that change the outcome only together, so
each such group is asked as a kind, with a reason of its own (:meth:`Relevance.reason`):

* ``SAFETY``: a red flag, escalation or floor not yet decided keeps every question it
  reads, so that a complete screen can exclude every red flag;
* ``OPENS``: the answer decides whether other questions are asked (their ``ask_if``);
* ``BAND``: a score whose band could still change keeps the questions that could
  change it, which may do so only together (:func:`joint.score_groups`);
* ``RANKING``: so does the cause ranking while several answers together could still
  change the leading causes, their order or their strengths (:func:`joint.ranking_group`);
* ``SCREENING``: acupuncture is "caution" while any screening item is unscreened, so
  no single item changes it, though the whole screen can. The items are asked whenever
  suitability could still be other than "not now"; of a lay person, only while the
  level is below urgent (the advice is then to see a doctor first);
* ``ALWAYS``: the question sets ``always_ask`` (which leg: the note needs it).

Answers only ever add information, and conditions are three-valued (Kleene), so a
condition decided now stays decided whatever comes later. Scores are the exception: a
practitioner's examination replaces the lay stand-in that decided an item, and a
clinician's judgement item counts nothing until answered (Wells' -2), so either can
move a score that looked decided. A safety rule reading a score is therefore tried
answer by answer, and :func:`joint.score_groups` allows for both.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import NamedTuple

from kneeguide.engine import Decision, decide_on
from kneeguide.engine.scores import applicability
from kneeguide.evaluate import conditions
from kneeguide.evaluate.conditions import Condition, Scores
from kneeguide.evaluate.walk import walk
from kneeguide.ids import Audience, Level
from kneeguide.interview.joint import ranking_group, score_groups
from kneeguide.ruleset.model import Answers, AnswerValue, Question, RuleSet

NOT_APPLICABLE = "not_applicable"

ALWAYS = "always"
OPENS = "opens"
SAFETY = "safety"
SCREENING = "screening"
BAND = "band"
RANKING = "ranking"
CHANGES = "changes"


class Outcome(NamedTuple):
    """Everything an answer could change that the person is told."""

    level: Level
    raised: tuple[tuple[str, Level], ...]  # red flags raised at their levels, most urgent first
    not_excluded: frozenset[str]
    bands: tuple[tuple[str, str | None], ...]  # (score, band); None undecided, or NOT_APPLICABLE
    causes: tuple[tuple[str, str], ...]  # the three leading causes, best first, with their strength
    suitability: str


def outcome_of(rules: RuleSet, decision: Decision) -> Outcome:
    flags = rules.red_flags
    answers = decision.truth.answers
    bands = tuple(
        (score.id, NOT_APPLICABLE if applicability(score, facts, answers)[0] is False else facts.band)
        for score, facts in zip(rules.scores, decision.truth.scores, strict=True)
    )
    return Outcome(
        decision.level,
        tuple((flags[i].id, level) for i, level in decision.hits),
        frozenset(flags[i].id for i in decision.open),
        bands,
        tuple((rules.causes[c.cause].id, c.strength) for c in decision.causes[:3]),
        decision.suitability,
    )


class Moment(NamedTuple):
    """The answers so far, walked and decided once; every look-ahead compares with it."""

    answers: Answers
    effective: Answers  # with the "no" implied by skipped questions
    scores: Scores
    decision: Decision
    outcome: Outcome
    screening_open: bool
    band_group: frozenset[str]  # questions that could move a score's band, together
    ranking_group: frozenset[str]  # questions that could move the leading causes, together


class Relevance:
    """What each answer could change, worked out once per rule set and audience."""

    def __init__(self, rules: RuleSet, audience: Audience) -> None:
        self.rules = rules
        self.audience = audience
        self.thresholds = _thresholds(rules)
        self.readers = _readers(rules, audience)
        self.safety = _safety_conditions(rules)
        self.screening = frozenset(rules.acupuncture.screening)
        self.audience_questions = frozenset(q.id for q in rules.questions.values() if audience in q.audiences)
        self.compared = _score_comparisons(rules)

    def now(self, answers: Answers) -> Moment:
        decision = self._decide(answers)
        truth = decision.truth
        scores: Scores = {s.id: f for s, f in zip(self.rules.scores, truth.scores, strict=True)}
        askable = self.audience_questions.difference(truth.answers)
        moving = score_groups(self.rules, truth.scores, askable, self.compared)
        return Moment(
            answers,
            truth.answers,
            scores,
            decision,
            outcome_of(self.rules, decision),
            self._screening_open(decision, moving.keys()),
            frozenset().union(*moving.values()),
            ranking_group(self.rules, decision, truth.answers, scores, askable, moving),
        )

    def reason(self, qid: str, at: Moment) -> str | None:
        """Why ``qid`` (unanswered) is still worth asking, or None when no answer to it can
        change the outcome, alone or with the others of its group."""
        question = self.rules.questions[qid]
        if question.always_ask:
            return ALWAYS
        if any(reader not in at.answers for reader in self.readers.get(qid, ())):
            return OPENS
        if self._safety_relevant(question, at):
            return SAFETY
        if qid in self.screening and at.screening_open and at.effective.get(qid, "unsure") == "unsure":
            return SCREENING
        if qid in at.band_group:
            return BAND
        if qid in at.ranking_group:
            return RANKING
        if any(self._outcome(at, qid, value) != at.outcome for value in self.candidates(question)):
            return CHANGES
        return None

    def candidates(self, question: Question) -> list[AnswerValue]:
        """One answer of each kind the rules tell apart: a number on, and on either side
        of, every threshold any rule compares it with."""
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

    # -- the kinds ---------------------------------------------------------------------------

    def _decide(self, answers: Answers) -> Decision:
        return decide_on(self.rules, walk(self.rules, answers))

    def _outcome(self, at: Moment, qid: str, value: AnswerValue) -> Outcome:
        return outcome_of(self.rules, self._decide({**at.answers, qid: value}))

    def _safety_relevant(self, question: Question, at: Moment) -> bool:
        for cond, uses_scores in self.safety.get(question.id, ()):
            if cond.evaluate(at.effective, at.scores) is None:
                return True
            if uses_scores:  # a decided score may still move (see above): try each answer
                now = cond.evaluate(at.effective, at.scores)
                for value in self.candidates(question):
                    truth = walk(self.rules, {**at.answers, question.id: value})
                    scores = {s.id: f for s, f in zip(self.rules.scores, truth.scores, strict=True)}
                    if cond.evaluate(truth.answers, scores) != now:
                        return True
        return False

    def _screening_open(self, decision: Decision, moving: Collection[str]) -> bool:
        """Could suitability still be other than "not now", and is the screen worth it?

        A red flag raised, a "not now" rule or an urgent floor that holds stays so as
        answers are added, unless it reads a score that could still move.
        """
        rules, truth = self.rules, decision.truth

        def lasts(cond: Condition) -> bool:
            return not conditions.scores_in(cond).intersection(moving)

        if any(lasts(rules.red_flags[i].when) for i, _ in decision.hits):
            return False
        for i, rule in enumerate(rules.acupuncture.suitability):
            if truth.suitability >> i & 1 and rule.level == "not_now" and lasts(rule.when):
                return False
        for i, floor in enumerate(rules.floors):
            if truth.floors >> i & 1 and floor.level >= Level.URGENT and lasts(floor.when):
                return False
        return self.audience is Audience.PRACTITIONER or decision.level < Level.URGENT


# -- precomputation ----------------------------------------------------------------------------


def _every_condition(rules: RuleSet) -> list[Condition]:
    every = [f.when for f in rules.red_flags]
    every += [e.when for f in rules.red_flags for e in f.escalations]
    every += [i.when for s in rules.scores for i in s.items]
    every += [i.proxy for s in rules.scores for i in s.items if i.proxy is not None]
    every += [s.applies_if for s in rules.scores if s.applies_if is not None]
    every += [f.when for c in rules.causes for f in c.features]
    every += [f.when for f in rules.floors]
    every += [r.when for r in rules.acupuncture.suitability]
    every += [q.ask_if for q in rules.questions.values() if q.ask_if is not None]
    return every


def _thresholds(rules: RuleSet) -> dict[str, set[float]]:
    found: dict[str, set[float]] = {}
    for cond in _every_condition(rules):
        for leaf in cond.leaves():
            if isinstance(leaf, conditions.AnswerCompare):
                found.setdefault(leaf.question, set()).add(leaf.threshold)
    return found


def _score_comparisons(rules: RuleSet) -> dict[str, list[conditions.ScoreCompare]]:
    """Score id → every comparison of its points in a rule (``{score: wells_dvt, ge: 2}``)."""
    found: dict[str, list[conditions.ScoreCompare]] = {}
    for cond in _every_condition(rules):
        for leaf in cond.leaves():
            if isinstance(leaf, conditions.ScoreCompare):
                found.setdefault(leaf.score, []).append(leaf)
    return found


def _readers(rules: RuleSet, audience: Audience) -> dict[str, set[str]]:
    """Question id → the questions of this audience whose ``ask_if`` reads it."""
    readers: dict[str, set[str]] = {}
    for q in rules.questions.values():
        if q.ask_if is not None and audience in q.audiences:
            for parent in conditions.questions_in(q.ask_if):
                readers.setdefault(parent, set()).add(q.id)
    return readers


def _safety_conditions(rules: RuleSet) -> dict[str, list[tuple[Condition, bool]]]:
    """Question id → the safety conditions that read it (directly or via a score)."""
    score_reads: dict[str, set[str]] = {}
    for s in rules.scores:
        reads: set[str] = set()
        for item in s.items:
            reads |= conditions.questions_in(item.when)
            if item.proxy is not None:
                reads |= conditions.questions_in(item.proxy)
        if s.applies_if is not None:
            reads |= conditions.questions_in(s.applies_if)
        score_reads[s.id] = reads
    out: dict[str, list[tuple[Condition, bool]]] = {}
    every = [f.when for f in rules.red_flags]
    every += [e.when for f in rules.red_flags for e in f.escalations]
    every += [f.when for f in rules.floors]
    for cond in every:
        used = conditions.scores_in(cond)
        reads = set(conditions.questions_in(cond))
        for sid in used:
            reads |= score_reads[sid]
        for qid in reads:
            out.setdefault(qid, []).append((cond, bool(used)))
    return out
