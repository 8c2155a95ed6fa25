"""The question catalogue ``kneeguide questions`` prints: every question of the rule
set in use with what a script needs to send it well.

A script that sends only the ids of the scripting contract leaves every other
question unknown, and an unknown answer keeps a red flag "not excluded": a benign
story then never reaches self-care. So each question says whether it is in the
contract, when it matters (its ``ask_if``: asked only when that holds, and a "no"
when it definitely does not), the label of each choice, and which rules read it.
All of it is computed from the loaded rule set, so an edited ``questions.yaml`` or
a custom rule set lists itself correctly.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from kneeguide.authoring.wording import as_json, condition_text
from kneeguide.evaluate import conditions
from kneeguide.evaluate.conditions import Condition
from kneeguide.ids import Audience
from kneeguide.ruleset.contract import QUESTION_IDS
from kneeguide.ruleset.model import RuleSet, Score, pick

#: The kinds of rule that read answers, as the keys of ``read_by``, in the safety order.
READER_KINDS = ("red_flags", "scores", "causes", "floors", "acupuncture")


def question_rows(rules: RuleSet, audience: Audience | None, lang: str) -> list[dict[str, Any]]:
    """One row per question (of ``audience``, or all), in the rule set's order.

    Each row has ``id``, ``type``, ``section``, ``audience``, ``expected`` (a valid
    answer in words), the ``lay`` and ``practitioner`` wording in ``lang``;
    ``contract`` (the id is one scripts can rely on); ``asked_if`` (the condition as
    written in the rule files, as JSON, or None when always asked) and
    ``asked_if_text`` (it in words in ``lang``, or None); ``read_by`` (kind → ids of the
    rules that read the answer, see :func:`readers`); ``opens`` (the questions whose
    ``asked_if`` reads it); ``acupuncture_screening`` (acupuncture is unscreened
    while it is unanswered). A choice adds ``choices`` (ids) and ``choice_labels``
    (id → label in ``lang``), a number ``min`` and ``max``, a question with help ``help``.
    """
    read = readers(rules)
    opened = opens(rules)
    contract = set(QUESTION_IDS)
    rows = []
    for q in rules.questions.values():
        if audience is not None and audience not in q.audiences:
            continue
        row: dict[str, Any] = {
            "id": q.id,
            "type": q.type,
            "section": q.section,
            "audience": sorted(a.id for a in q.audiences),
            "expected": q.expected(),
            "lay": pick(q.lay, lang),
            "practitioner": pick(q.practitioner, lang),
            "contract": q.id in contract,
            "asked_if": None if q.ask_if is None else as_json(q.ask_if),
            "asked_if_text": None if q.ask_if is None else condition_text(q.ask_if, rules, lang),
            "read_by": read[q.id],
            "opens": opened.get(q.id, []),
            "acupuncture_screening": q.id in rules.acupuncture.screening,
        }
        if q.type == "choice":
            row["choices"] = [c.id for c in q.choices]
            row["choice_labels"] = {c.id: pick(c.text, lang) for c in q.choices}
        if q.type in ("int", "number"):
            row["min"] = q.minimum
            row["max"] = q.maximum
        if q.help:
            row["help"] = pick(q.help, lang)
        rows.append(row)
    return rows


def readers(rules: RuleSet) -> dict[str, dict[str, list[str]]]:
    """Question id → kind (:data:`READER_KINDS`) → the ids of the rules whose conditions
    read its answer, in rule-set order.

    A red flag's escalations count as the flag; a score reads its items, their lay
    stand-ins, ``applies_if`` and the bounds of its validated population. A rule that
    compares a score (``{score: wells_dvt, ge: 2}``) reads the answers the score's
    points and ``applies_if`` read, as the engine does: an unknown Wells item keeps
    the DVT flag open. Acupuncture rules are the suitability rules.
    """
    score_reads = {s.id: _reads(_score_points(s)) for s in rules.scores}

    def through_scores(conds: Iterable[Condition]) -> set[str]:
        conds = list(conds)
        found = _reads(conds)
        for cond in conds:
            for sid in conditions.scores_in(cond):
                found |= score_reads.get(sid, set())
        return found

    found: dict[str, dict[str, list[str]]] = {q: {kind: [] for kind in READER_KINDS} for q in rules.questions}

    def note(kind: str, rule_id: str, qids: set[str]) -> None:
        for qid in sorted(qids & found.keys()):
            found[qid][kind].append(rule_id)

    for flag in rules.red_flags:
        note("red_flags", flag.id, through_scores([flag.when, *(e.when for e in flag.escalations)]))
    for score in rules.scores:
        bounds = [v.when for v in score.validated_for]
        note("scores", score.id, _reads(_score_points(score)) | through_scores(bounds))
    for cause in rules.causes:
        # the advice that fits the story reads answers too
        reading = [*(f.when for f in cause.features), *(v.when for v in cause.advice_if)]
        note("causes", cause.id, through_scores(reading))
    for floor in rules.floors:
        note("floors", floor.id, through_scores([floor.when]))
    for rule in rules.acupuncture.suitability:
        note("acupuncture", rule.id, through_scores([rule.when]))
    return found


def opens(rules: RuleSet) -> dict[str, list[str]]:
    """Question id → the questions whose ``ask_if`` reads it (the follow-ups it opens)."""
    found: dict[str, list[str]] = {}
    for q in rules.questions.values():
        if q.ask_if is not None:
            for parent in sorted(conditions.questions_in(q.ask_if)):
                found.setdefault(parent, []).append(q.id)
    return found


def _score_points(score: Score) -> list[Condition]:
    """The conditions a score's points and applicability read (not its population bounds,
    which only decide whether its band is reported)."""
    out: list[Condition] = [i.when for i in score.items]
    out += [i.proxy for i in score.items if i.proxy is not None]
    if score.applies_if is not None:
        out.append(score.applies_if)
    return out


def _reads(conds: Iterable[Condition]) -> set[str]:
    found: set[str] = set()
    for cond in conds:
        found |= conditions.questions_in(cond)
    return found
