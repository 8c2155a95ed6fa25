"""Answers read from a FHIR R4 QuestionnaireResponse, completely or not at all.

``kneeguide assess``, ``note`` and ``export`` accept, wherever they accept an
answers file, a QuestionnaireResponse: the one ``kneeguide export --fhir`` writes
(:mod:`kneeguide.render.fhir`), so answers → FHIR → answers is exact, the one a
forms client such as LHC-Forms returns for the exported Questionnaire, and the
whole Bundle of ``export --fhir`` (read through its one QuestionnaireResponse).
Any mapping with a ``resourceType`` key is FHIR, never answers: another resource
(a Questionnaire, a Patient, a Bundle without exactly one QuestionnaireResponse)
is refused with one line saying what to give instead (:func:`checked_answers`).
Plain dicts, no FHIR library.

What is read:

* items at any depth: group items (``item`` inside ``item``, the shape forms tools
  send) and items nested under an answer (``answer[0].item``); an item with neither
  an answer nor children (a display item, an unanswered question) gives nothing;
* one answer per item, by its ``value[x]``: ``valueBoolean``, ``valueInteger``,
  ``valueDecimal``, ``valueString`` as they are; ``valueCoding`` of kneeguide's own
  system (``urn:kneeguide:answer``, its code as the answer) or a yes/no/unknown code
  of LOINC answer lists or SNOMED CT (:data:`CODINGS`); ``valueQuantity`` in UCUM,
  converted where UCUM makes the conversion exact: a length to centimetres
  (:mod:`kneeguide.inputs.ucum`), a time to the days or minutes its question is asked in
  (s, min, h, d, wk); an age only in years (``a``).

Everything else is refused, never dropped: a value type that cannot carry one of our
answers (``valueDate``, ``valueAttachment``, ...), a coding of another system or an
unknown code, a Quantity in a unit that cannot be converted exactly (a UCUM month or
year is an average length, not a calendar one), a linkId given twice anywhere, two
answers to one item, and any malformed part (an ``answer`` or ``item`` that is not a
list, an item that is not an object or has no linkId).

The values read are then checked by the one answer checker,
:func:`kneeguide.ruleset.answers.check_answers`, and its problems (an unknown
question id, a value out of range) are reported together with the structural ones,
in the order of the items, each in one form: the JSON path of the item and its
linkId (``QuestionnaireResponse item[1].item[0] (linkId 'side'): ...``), the value
as written in the response (``valueCoding http://snomed.info/sct|373066001``, not
the word it was read as), located in the file when the response was parsed by
:mod:`kneeguide.ruleset.yamlio`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from kneeguide.errors import InputError, Location, Problem
from kneeguide.inputs.ucum import LENGTH, UNITS, convert
from kneeguide.ruleset.yamlio import Mapping as Located

if TYPE_CHECKING:
    from kneeguide.ruleset.model import Answers, Question

ANSWER_SYSTEM = "urn:kneeguide:answer"
LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"

#: Codes of other systems that carry a yes/no/unsure answer: (system, code) → our word.
CODINGS: dict[tuple[str, str], str] = {
    (LOINC, "LA33-6"): "yes",
    (LOINC, "LA32-8"): "no",
    (LOINC, "LA4489-6"): "unsure",  # Unknown
    (LOINC, "LA12688-0"): "unsure",  # Don't know
    (SNOMED, "373066001"): "yes",
    (SNOMED, "373067005"): "no",
    (SNOMED, "261665006"): "unsure",  # Unknown
}

#: The value[x] types read as they are, with the Python types each may hold.
PLAIN: dict[str, tuple[type, ...]] = {
    "valueBoolean": (bool,),
    "valueInteger": (int,),
    "valueDecimal": (int, float),
    "valueString": (str,),
}
READ = ("valueBoolean", "valueCoding", "valueInteger", "valueDecimal", "valueString", "valueQuantity")


class Response(NamedTuple):
    """What one walk over a QuestionnaireResponse found.

    ``answers``: linkId → raw value (not yet checked), remembering each linkId's item in
    the file (``key_locations``); ``problems``: (item number in walk order, problem) of
    its structure; ``items``: linkId → (item number, the message's start naming the
    item's JSON path and linkId); ``written``: linkId → the value as the response wrote
    it (``valueCoding http://snomed.info/sct|373066001``), for messages.
    """

    answers: Located
    problems: list[tuple[int, Problem]]
    items: dict[str, tuple[int, str]]
    written: dict[str, str]


def checked_answers(
    doc: Mapping[str, Any], questions: Mapping[str, Question], where: Location
) -> tuple[Answers, list[Problem]]:
    """The checked answers of a FHIR resource given as answers, and every problem of it.

    ``doc`` is a parsed mapping with a ``resourceType`` key (``where``: the file, for a
    problem of the whole resource). A QuestionnaireResponse is read
    (:func:`read_response`); a Bundle through the one QuestionnaireResponse it holds;
    anything else is one problem saying what to give instead. The answers read are
    checked by :func:`kneeguide.ruleset.answers.check_answers`, and its problems
    restated for the item (see the module docstring), merged with the structural ones in
    item order. Never raises.
    """
    from kneeguide.ruleset.answers import check_answers

    found = _response_of(doc, where)
    if isinstance(found, Problem):
        return {}, [found]
    resource, label = found
    read = read_response(resource, questions, label)
    clean, value_problems = check_answers(
        read.answers, questions, where=where, locations=read.answers.key_locations
    )
    problems = list(read.problems)
    for p in value_problems:
        link_id = dict(p.params).get("id", "")
        number, named = read.items.get(link_id, (len(read.items), f"{label}: "))
        problems.append((number, _restated(p, named, read.written.get(link_id))))
    problems.sort(key=lambda pair: pair[0])  # stable: the item's own problems in the order found
    return clean, [p for _, p in problems]


def _restated(p: Problem, named: str, written: str | None) -> Problem:
    """The checker's problem ``p`` said of the item (``named``), with its value as written
    in the response instead of the word it was read as."""
    params = dict(p.params)
    message = p.message
    if written is not None and p.key == "err_invalid_value":
        said = f"{params.get('id', '')}: {params.get('value', '')} "
        if message.startswith(said):  # "side: 'yes' is not valid; ..." → "valueCoding ... is not valid; ..."
            message = f"{written} {message[len(said) :]}"
        params["value"] = written
    params["prefix"] = named
    return Problem(named + message, p.location, p.key, tuple(params.items()))


def _response_of(doc: Mapping[str, Any], where: Location) -> tuple[Any, str] | Problem:
    """The QuestionnaireResponse of ``doc`` and how messages name it, or the one problem
    that says why ``doc`` gives no answers."""
    kind = doc.get("resourceType")
    at = _where(doc) or where
    if kind == "QuestionnaireResponse":
        return doc, "QuestionnaireResponse"
    if kind == "Bundle":
        entries = doc.get("entry")
        found = [
            index
            for index, entry in enumerate(entries if isinstance(entries, list) else [])
            if isinstance(entry, dict)
            and isinstance(entry.get("resource"), dict)
            and entry["resource"].get("resourceType") == "QuestionnaireResponse"
        ]
        if len(found) == 1:
            assert isinstance(entries, list)
            return entries[found[0]]["resource"], f"Bundle entry[{found[0]}].resource"
        if not found:
            return Problem(
                "a FHIR Bundle without a QuestionnaireResponse holds no answers: "
                "give a QuestionnaireResponse (or a Bundle holding one)",
                at,
            )
        places = ", ".join(f"entry[{i}]" for i in found)
        return Problem(
            f"a FHIR Bundle with {len(found)} QuestionnaireResponses ({places}): "
            "give one QuestionnaireResponse at a time",
            at,
        )
    if kind == "Questionnaire":
        return Problem(
            "a FHIR Questionnaire holds questions, not answers: give the QuestionnaireResponse", at
        )
    shown = (
        f"a FHIR {kind}" if isinstance(kind, str) and kind.isidentifier() else f"resourceType {_show(kind)}"
    )
    return Problem(f"{shown} holds no answers: give a FHIR QuestionnaireResponse", at)


def read_response(
    resource: Any, questions: Mapping[str, Question] | None = None, label: str = "QuestionnaireResponse"
) -> Response:
    """Walk a parsed QuestionnaireResponse once: every raw answer it carries and every
    problem of its structure (see the module docstring); never raises.

    ``questions`` (the rule set's, by id) lets a ``valueQuantity`` be read in the unit
    its question is asked in; without it a Quantity is read only as a length, in
    centimetres. ``label`` starts each item's path in messages (``Bundle
    entry[2].resource`` for a response inside a Bundle).
    """
    reader = _Reader(questions, label)
    if not isinstance(resource, dict) or resource.get("resourceType") != "QuestionnaireResponse":
        reader.problems.append((0, Problem("not a FHIR QuestionnaireResponse", _where(resource))))
    else:
        reader.items(resource, "", resource)
    return Response(reader.out, reader.problems, reader.named, reader.written)


def answers_from_response(resource: Any, questions: Mapping[str, Question] | None = None) -> dict[str, Any]:
    """Raw answers (``linkId`` → value) of a parsed QuestionnaireResponse, not yet checked
    (:func:`read_response`); raises :class:`InputError` listing every problem of its
    structure. Commands use :func:`checked_answers`, which reports these together with
    the checker's."""
    read = read_response(resource, questions)
    if read.problems:
        raise InputError([p for _, p in read.problems])
    return read.answers


def _where(node: Any) -> Location | None:
    return getattr(node, "location", None)


def _item_where(items: Any, index: int, fallback: Location | None) -> Location | None:
    locations = getattr(items, "item_locations", None)
    if locations and index < len(locations):
        return locations[index]  # type: ignore[no-any-return]
    return fallback


class _Reader:
    """One walk over a response: the answers found, where each was, and every problem."""

    def __init__(self, questions: Mapping[str, Question] | None, label: str) -> None:
        self.questions = questions
        self.label = label
        self.out = Located()
        self.out.key_locations = {}
        self.first: dict[str, str] = {}  # linkId → the path where it was first seen
        self.problems: list[tuple[int, Problem]] = []
        self.named: dict[str, tuple[int, str]] = {}
        self.written: dict[str, str] = {}
        self.number = 0  # items seen so far: orders every problem by the item it is about

    def problem(self, path: str, link_id: str | None, what: str, where: Location | None) -> None:
        self.problems.append((self.number, Problem(self.name(path, link_id) + what, where)))

    def name(self, path: str, link_id: str | None) -> str:
        """The start of a message about the item at ``path``: ``Bundle entry[2].resource.item[0]
        (linkId 'age'): ``."""
        full = f"{self.label} {path}" if self.label == "QuestionnaireResponse" else f"{self.label}.{path}"
        return f"{full} (linkId '{link_id}'): " if link_id is not None else f"{full}: "

    def items(self, parent: Any, path: str, node: Any) -> None:
        """Read ``parent['item']`` (absent is fine: nothing answered there)."""
        items = parent.get("item")
        if items is None:
            return
        here = f"{path}.item" if path else "item"
        if not isinstance(items, list):
            self.problem(here, None, "'item' must be a list of items", _where(items) or _where(node))
            return
        for index, item in enumerate(items):
            self.number += 1
            self.item(item, f"{here}[{index}]", _item_where(items, index, _where(node)))

    def item(self, item: Any, path: str, where: Location | None) -> None:
        if not isinstance(item, dict):
            self.problem(path, None, "an item must be an object with a linkId", where)
            return
        link_id = item.get("linkId")
        keep = True  # whether this item's answer is recorded (its problems are reported either way)
        if not isinstance(link_id, str) or not link_id.strip():
            self.problem(path, None, "the item has no linkId", where)
            link_id, keep = None, False
        elif link_id in self.first:
            self.problem(path, link_id, f"linkId repeated (first at {self.first[link_id]})", where)
            keep = False
        else:
            self.first[link_id] = path
        self.answers(item, path, link_id, keep, where)
        self.items(item, path, item)

    def answers(
        self, item: dict[str, Any], path: str, link_id: str | None, keep: bool, where: Location | None
    ) -> None:
        answers = item.get("answer")
        if answers is None:
            return
        if not isinstance(answers, list):
            self.problem(path, link_id, "'answer' must be a list of answers", where)
            return
        if len(answers) > 1:
            self.problem(path, link_id, f"{len(answers)} answers to one question; expected one", where)
            keep = False
        number = self.number
        for index, answer in enumerate(answers):
            at = f"{path}.answer[{index}]"
            spot = _item_where(answers, index, where)
            if not isinstance(answer, dict):
                self.problem(at, link_id, "an answer must be an object with one value[x]", spot)
                continue
            found = self.value(answer, at, link_id, spot)
            if keep and found is not None and link_id is not None:
                value, written = found
                self.out[link_id] = value
                self.written[link_id] = written
                self.named[link_id] = (number, self.name(path, link_id))
                if where is not None:
                    self.out.key_locations[link_id] = where
            self.items(answer, at, answer)

    def value(
        self, answer: dict[str, Any], path: str, link_id: str | None, where: Location | None
    ) -> tuple[Any, str] | None:
        """The raw answer of one ``answer`` object and how it was written, or None after
        reporting why it cannot be read."""
        keys = [k for k in answer if k.startswith("value")]
        if len(keys) != 1:
            what = (
                "the answer has no value[x]"
                if not keys
                else f"the answer has several values ({', '.join(keys)})"
            )
            self.problem(path, link_id, what, where)
            return None
        key = keys[0]
        raw = answer[key]
        if key not in READ:
            expected = ", ".join(READ)
            self.problem(
                path, link_id, f"{key} cannot carry a kneeguide answer; expected one of {expected}", where
            )
            return None
        if key in PLAIN:
            kinds = PLAIN[key]
            if not isinstance(raw, kinds) or (bool not in kinds and isinstance(raw, bool)):
                self.problem(path, link_id, f"{key} {_show(raw)} is not a valid {key[5:].lower()}", where)
                return None
            question = self.questions.get(link_id) if self.questions is not None and link_id else None
            if question is not None and question.type == "yn" and key in ("valueInteger", "valueDecimal"):
                # 1 may mean yes, a count or a score: a yes/no item's answer is said as one
                what = f"{key} {_show(raw)} on a yes/no question; expected valueBoolean or a valueCoding"
                self.problem(path, link_id, what, where)
                return None
            return raw, f"{key} {_show(raw)}"
        if key == "valueCoding":
            return self.coding(raw, path, link_id, where)
        return self.quantity(raw, path, link_id, where)

    def coding(
        self, raw: Any, path: str, link_id: str | None, where: Location | None
    ) -> tuple[str, str] | None:
        if not isinstance(raw, dict) or not isinstance(raw.get("code"), str):
            self.problem(path, link_id, "valueCoding must be an object with a code", where)
            return None
        system, code = raw.get("system"), raw["code"]
        shown = f"{system}|{code}" if system else f"'{code}' without a system"
        if system == ANSWER_SYSTEM:
            return code, f"valueCoding {shown}"
        word = CODINGS.get((system, code)) if isinstance(system, str) else None
        if word is not None:
            return word, f"valueCoding {shown}"
        self.problem(
            path,
            link_id,
            f"valueCoding {shown} cannot be read; expected a code of {ANSWER_SYSTEM}, or yes, no "
            "or unknown as LOINC LA33-6, LA32-8, LA4489-6, LA12688-0 or SNOMED CT 373066001, 373067005, "
            "261665006",
            where,
        )
        return None

    def quantity(
        self, raw: Any, path: str, link_id: str | None, where: Location | None
    ) -> tuple[float | int, str] | None:
        value = raw.get("value") if isinstance(raw, dict) else None
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            self.problem(path, link_id, "valueQuantity must be an object with a numeric value", where)
            return None
        system = raw.get("system")
        unit = raw.get("code") if raw.get("code") is not None else raw.get("unit")
        question = self.questions.get(link_id) if self.questions is not None and link_id else None
        written = f"valueQuantity {_show(value)} {unit}"
        if system not in (None, UCUM) or not isinstance(unit, str):
            self.problem(path, link_id, f"valueQuantity {_show(value)} {_show(unit)} has no UCUM unit", where)
            return None
        if question is not None and question.unit is None:
            self.problem(path, link_id, f"{written}: this question takes a number, no unit", where)
            return None
        own = UNITS.get(question.unit.get("en", "")) if question is not None and question.unit else LENGTH
        if own is None:  # pragma: no cover - a unit of questions.yaml this reader does not know
            self.problem(path, link_id, f"{written}: this question's unit is not read from FHIR", where)
            return None
        read = convert(value, unit, own)
        if isinstance(read, str):
            self.problem(path, link_id, f"{written} cannot be read as {read}", where)
            return None
        return read, written


def _show(raw: Any) -> str:
    """A value as JSON writes it (``true``, ``7.5``), a string quoted (``'7.5'``)."""
    if isinstance(raw, str):
        return repr(raw)
    if isinstance(raw, (bool, int, float)) or raw is None:
        return json.dumps(raw)
    return type(raw).__name__
