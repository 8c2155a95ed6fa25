"""The interview as a FHIR R4 Questionnaire: one per audience, in sections, with its skipping.

What a forms client (LHC-Forms, tested in ``tests/test_lforms.py``) shows of it is
what kneeguide itself would ask:

* one group per section, in interview order, holding the questions of one audience
  (``audience`` in questions.yaml) worded for it, each with its help text as a
  ``display`` child marked with the itemControl ``help`` (a help button) and the
  range of a number as ``minValue``/``maxValue``;
* each question in its own section, where the interview asks it; a follow-up right
  after the last question of that section that opens it (:func:`form_order`);
* a question is enabled exactly when kneeguide would ask it (``Flow.applies``): unless
  its ``ask_if`` is definitely false. An unanswered parent and "not sure" leave it
  unknown, so the follow-up shows; a skipped yes/no question counts as "no"
  (:func:`kneeguide.evaluate.walk.with_implied`). That condition, "not definitely
  false", is built as :class:`Test`/:class:`Either`/:class:`Both` (:func:`not_false`),
  then written as ``enableWhen`` (behaviour ``any``) when it is one "any of" list of
  answers of questions in the form, else as the SDC ``enableWhenExpression``
  (FHIRPath), which LHC-Forms evaluates. Nothing is widened. A section none of whose
  questions is asked is disabled too, so no empty heading is shown.

A form cannot skip what kneeguide skips because no answer could change the outcome
(:mod:`kneeguide.interview.relevance`): such questions stay in the form, answerable.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from kneeguide.evaluate import conditions
from kneeguide.ids import Audience
from kneeguide.ruleset.model import pick

if TYPE_CHECKING:
    from kneeguide.evaluate.conditions import Condition
    from kneeguide.ruleset.model import Question, RuleSet, Section

ANSWER_SYSTEM = "urn:kneeguide:answer"
EXT = "http://hl7.org/fhir/StructureDefinition/"
ITEM_CONTROL = EXT + "questionnaire-itemControl"
ENABLE_WHEN_EXPRESSION = (
    "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-enableWhenExpression"
)
UNSURE = "unsure"
_FHIR_OP = {"ge": ">=", "gt": ">", "le": "<=", "lt": "<"}
_NEGATED = {"ge": "lt", "gt": "le", "le": "gt", "lt": "ge"}


# -- the condition of being asked ---------------------------------------------------------------


class Test(NamedTuple):
    """One test of one item of the form: ``absent`` (no answer), ``coded`` (its code is one
    of ``codes``) or a comparison ``op`` (ge, gt, le, lt) of its number with ``threshold``."""

    question: str
    kind: str
    codes: tuple[str, ...] = ()
    threshold: float = 0.0


class Either(NamedTuple):
    parts: tuple[Formula, ...]


class Both(NamedTuple):
    parts: tuple[Formula, ...]


Formula = Test | Either | Both | bool


def _either(parts: list[Formula]) -> Formula:
    if any(p is True for p in parts):
        return True
    flat = (q for p in parts if p is not False for q in (p.parts if isinstance(p, Either) else (p,)))
    kept = tuple(dict.fromkeys(flat))  # each once, in order
    return kept[0] if len(kept) == 1 else Either(kept) if kept else False


def _both(parts: list[Formula]) -> Formula:
    if any(p is False for p in parts):
        return False
    kept = tuple(
        dict.fromkeys(q for p in parts if p is not True for q in (p.parts if isinstance(p, Both) else (p,)))
    )
    return kept[0] if len(kept) == 1 else Both(kept) if kept else True


def not_false(rules: RuleSet, cond: Condition, in_form: frozenset[str], truth: bool = True) -> Formula:
    """When ``cond`` is not definitely false (``truth``), or not definitely true (not
    ``truth``), read from the answers of the enabled items of a form of ``in_form``."""
    if isinstance(cond, conditions.All if truth else conditions.Any):
        return _both([not_false(rules, c, in_form, truth) for c in cond.children])
    if isinstance(cond, conditions.Any if truth else conditions.All):
        return _either([not_false(rules, c, in_form, truth) for c in cond.children])
    if isinstance(cond, conditions.Not):
        return not_false(rules, cond.child, in_form, not truth)
    if isinstance(cond, conditions.AnswerIs):
        q = rules.questions[cond.question]
        wanted = set(cond.values) if truth else set(_codes(q)) - set(cond.values)
        codes = tuple(c for c in [*_codes(q), UNSURE] if c in wanted or c == UNSURE)
        unanswered = _unanswered(rules, q, "no" in wanted, in_form, truth)
        if q.id not in in_form:
            return unanswered
        return _either([Test(q.id, "coded", codes), _both([Test(q.id, "absent"), unanswered])])
    if isinstance(cond, conditions.AnswerCompare):
        if cond.question not in in_form:
            return True
        op = cond.op if truth else _NEGATED[cond.op]
        return _either([Test(cond.question, op, threshold=cond.threshold), Test(cond.question, "absent")])
    return True  # a score: ask_if never reads one (validation), and unknown would show it


def _codes(q: Question) -> list[str]:
    return ["yes", "no"] if q.type == "yn" else [c.id for c in q.choices]


def _unanswered(
    rules: RuleSet, q: Question, no_counts: bool, in_form: frozenset[str], truth: bool
) -> Formula:
    """Whether an unanswered ``q`` leaves the leaf not definitely false (not true): a skipped
    yes/no question is "no" (so ``no_counts`` decides), any other unanswered one is unknown."""
    if q.type != "yn" or q.ask_if is None:
        return True
    return _either([not_false(rules, q.ask_if, in_form), no_counts])


def holds(formula: Formula, answers: dict[str, Any]) -> bool:
    """``formula`` on the answers of a form's enabled items (for the tests, as FHIR reads it)."""
    if isinstance(formula, bool):
        return formula
    if isinstance(formula, Either):
        return any(holds(p, answers) for p in formula.parts)
    if isinstance(formula, Both):
        return all(holds(p, answers) for p in formula.parts)
    value = answers.get(formula.question)
    if formula.kind == "absent":
        return value is None
    if formula.kind == "coded":
        return isinstance(value, str) and value in formula.codes
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return False
    return (
        conditions.AnswerCompare(formula.question, formula.kind, formula.threshold).evaluate(
            {formula.question: value}, {}
        )
        is True
    )


def _atoms(formula: Formula) -> list[Test] | None:
    """The tests of an "any of" list of single tests, else None."""
    if isinstance(formula, Test):
        return [formula]
    if isinstance(formula, Either) and all(isinstance(p, Test) for p in formula.parts):
        return [p for p in formula.parts if isinstance(p, Test)]
    return None


def _enable_when(test: Test, rules: RuleSet) -> list[dict[str, Any]]:
    if test.kind == "absent":
        return [{"question": test.question, "operator": "exists", "answerBoolean": False}]
    if test.kind == "coded":
        return [
            {"question": test.question, "operator": "=", "answerCoding": {"system": ANSWER_SYSTEM, "code": c}}
            for c in test.codes
        ]
    integer = rules.questions[test.question].type == "int"
    value: dict[str, Any] = (
        {"answerInteger": int(test.threshold)} if integer else {"answerDecimal": test.threshold}
    )
    return [{"question": test.question, "operator": _FHIR_OP[test.kind], **value}]


def fhirpath(formula: Formula) -> str:
    """``formula`` as FHIRPath on the response being filled in (``%resource``)."""
    if isinstance(formula, bool):
        return "true" if formula else "false"
    if isinstance(formula, (Either, Both)):
        joiner = " or " if isinstance(formula, Either) else " and "
        return "(" + joiner.join(fhirpath(p) for p in formula.parts) + ")"
    answer = f"%resource.repeat(item).where(linkId='{formula.question}').answer"
    if formula.kind == "absent":
        return f"{answer}.empty()"
    if formula.kind == "coded":
        codes = " | ".join(f"'{c}'" for c in formula.codes)
        return f"{answer}.value.where(code in ({codes})).exists()"
    return f"{answer}.value.where($this {_FHIR_OP[formula.kind]} {formula.threshold:g}).exists()"


def asked_when(rules: RuleSet, questions: list[Question], in_form: frozenset[str]) -> Formula:
    """When any of ``questions`` is asked: one of them has no ``ask_if`` or its is not false."""
    return _either([True if q.ask_if is None else not_false(rules, q.ask_if, in_form) for q in questions])


def enabling(rules: RuleSet, formula: Formula) -> dict[str, Any]:
    """The item keys that enable an item exactly when ``formula`` holds (none: always)."""
    if formula is True:
        return {}
    atoms = _atoms(formula)
    if atoms is not None:
        when = [w for t in atoms for w in _enable_when(t, rules)]
        return {"enableWhen": when, **({"enableBehavior": "any"} if len(when) > 1 else {})}
    expression = {"language": "text/fhirpath", "expression": fhirpath(formula)}
    return {"extension": [{"url": ENABLE_WHEN_EXPRESSION, "valueExpression": expression}]}


# -- order ----------------------------------------------------------------------------------------


def form_order(rules: RuleSet, audience: Audience) -> list[tuple[Section, list[Question]]]:
    """The sections with the questions asked of ``audience``, in interview order.

    Each question stays in its own section: the interview asks it there
    (:meth:`kneeguide.interview.flow.Flow.next_step` goes section by section), with any
    opener of a later section still unanswered, so not definitely false. Within a
    section a follow-up comes right after the last question of that section that opens
    it (after that one's earlier follow-ups): "very unwell?" right after "fever?" in the
    emergency screen, not after an opener far below in another section.
    """
    placed: list[tuple[Section, list[Question]]] = []
    for section in rules.sections:
        questions = [
            q for q in rules.questions.values() if q.section == section.id and audience in q.audiences
        ]
        if questions:
            placed.append((section, [rules.questions[qid] for qid in _after_openers(rules, questions)]))
    return placed


def _after_openers(rules: RuleSet, questions: list[Question]) -> list[str]:
    """The ids of one section's ``questions``, each follow-up moved right after the last
    of them that opens it (settles in a few rounds: a follow-up's openers move first)."""
    order = [q.id for q in questions]
    for _ in range(len(order)):
        before = list(order)
        for q in questions:
            openers = conditions.questions_in(q.ask_if) & set(order) - {q.id} if q.ask_if else set()
            if not openers:
                continue
            order.remove(q.id)
            last = max(order.index(p) for p in openers)
            at = last + 1
            while at < len(order) and order[at] in _followers(rules, order[last], q.id):
                at += 1
            order.insert(at, q.id)
        if order == before:
            break
    return order


def _followers(rules: RuleSet, parent: str, moving: str) -> set[str]:
    """Follow-ups of ``parent`` that come before ``moving`` in the file (kept in file order)."""
    ids = list(rules.questions)
    return {
        q.id
        for q in rules.questions.values()
        if q.ask_if is not None
        and parent in conditions.questions_in(q.ask_if)
        and ids.index(q.id) < ids.index(moving)
    }


# -- the resource ---------------------------------------------------------------------------------


def questionnaire_url(rules: RuleSet, audience: Audience = Audience.LAY) -> str:
    """The Questionnaire's canonical URL: one per rule-set version and audience."""
    return f"urn:kneeguide:questionnaire:{rules.version}:{audience.id}"


def _control(code: str, display: str) -> dict[str, Any]:
    coding = {"system": "http://hl7.org/fhir/questionnaire-item-control", "code": code, "display": display}
    return {"url": ITEM_CONTROL, "valueCodeableConcept": {"coding": [coding], "text": display}}


def _options(rules: RuleSet, q: Question, lang: str) -> list[dict[str, Any]]:
    if q.type == "yn":
        labelled = [("yes", rules.message("confirm_yes", lang)), ("no", rules.message("confirm_no", lang))]
    else:
        labelled = [(c.id, pick(c.text, lang)) for c in q.choices]
    if q.offer_unsure:
        labelled.append((UNSURE, rules.message("choice_unsure", lang)))
    return [{"valueCoding": {"system": ANSWER_SYSTEM, "code": c, "display": d}} for c, d in labelled]


def _item(
    rules: RuleSet, q: Question, lang: str, audience: Audience, in_form: frozenset[str]
) -> dict[str, Any]:
    kind = {"yn": "choice", "choice": "choice", "int": "integer", "number": "decimal"}[q.type]
    item: dict[str, Any] = {"linkId": q.id, "text": pick(q.wording(audience), lang), "type": kind}
    extensions: list[dict[str, Any]] = []
    if kind == "choice":
        item["answerOption"] = _options(rules, q, lang)
        extensions.append(_control("radio-button", "Radio Button"))
        if q.type == "yn":
            orientation = {"url": EXT + "questionnaire-choiceOrientation", "valueCode": "horizontal"}
            extensions.append(orientation)
    else:
        value = "valueInteger" if kind == "integer" else "valueDecimal"
        for bound, url in ((q.minimum, "minValue"), (q.maximum, "maxValue")):
            if bound is not None:
                number = int(bound) if kind == "integer" else float(bound)
                extensions.append({"url": EXT + url, value: number})
    enable = enabling(rules, asked_when(rules, [q], in_form))
    extensions += enable.pop("extension", [])
    if extensions:
        item["extension"] = extensions
    item.update(enable)
    if q.help:
        help_item = {"linkId": f"{q.id}.help", "text": pick(q.help, lang), "type": "display"}
        item["item"] = [{**help_item, "extension": [_control("help", "Help-Button")]}]
    return item


def questionnaire(rules: RuleSet, lang: str = "en", audience: Audience = Audience.LAY) -> dict[str, Any]:
    """The Questionnaire of the interview of ``audience``, worded in ``lang``."""
    placed = form_order(rules, audience)
    in_form = frozenset(q.id for _, questions in placed for q in questions)
    groups = []
    for section, questions in placed:
        group = {"linkId": f"section.{section.id}", "text": pick(section.title, lang), "type": "group"}
        # a section none of whose questions is asked is not shown either (no empty heading)
        group.update(enabling(rules, asked_when(rules, questions, in_form)))
        groups.append({**group, "item": [_item(rules, q, lang, audience, in_form) for q in questions]})
    return {
        "resourceType": "Questionnaire",
        "url": questionnaire_url(rules, audience),
        "version": rules.version,
        "name": "KneeguidePosteriorKneePain" + audience.id.capitalize(),
        "title": pick(rules.title, lang),
        "status": "active",
        "language": lang,
        "item": groups,
    }
