"""Answers read from a FHIR R4 QuestionnaireResponse, completely or not at all.

``kneeguide assess``, ``note`` and ``export`` accept, wherever they accept an
answers file, a QuestionnaireResponse: the one ``kneeguide export --fhir`` writes
(:mod:`kneeguide.render.fhir`), so answers → FHIR → answers is exact, and the one
a forms client such as LHC-Forms returns for the exported Questionnaire. Reading
is an input like any other: the values come back raw (``linkId`` → value) and are
checked afterwards exactly as a JSON or YAML answers file is
(:func:`kneeguide.ruleset.answers.check_answers`). Plain dicts, no FHIR library.

What is read:

* items at any depth: group items (``item`` inside ``item``, the shape forms tools
  send) and items nested under an answer (``answer[0].item``); an item with neither
  an answer nor children (a display item, an unanswered question) gives nothing;
* one answer per item, by its ``value[x]``: ``valueBoolean``, ``valueInteger``,
  ``valueDecimal``, ``valueString`` as they are; ``valueCoding`` of kneeguide's own
  system (``urn:kneeguide:answer``, its code as the answer) or a yes/no/unknown code
  of LOINC answer lists or SNOMED CT (:data:`CODINGS`); ``valueQuantity`` in a UCUM
  length unit, converted to centimetres for a question asked in cm
  (:data:`LENGTH_TO_CM`), or in the question's own UCUM unit as it is.

Everything else is refused, never dropped: a value type that cannot carry one of our
answers (``valueDate``, ``valueAttachment``, ...), a coding of another system or an
unknown code, a Quantity in a unit the question is not asked in, a linkId given
twice anywhere, two answers to one item, and any malformed part (an ``answer`` or
``item`` that is not a list, an item that is not an object or has no linkId). Every
problem is collected and raised together as one :class:`InputError`, each naming
the linkId and the JSON path (``item[2].item[0]``), located in the file when the
response was parsed by :mod:`kneeguide.ruleset.yamlio`.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from kneeguide.errors import InputError, Location, Problem
from kneeguide.ruleset.yamlio import Mapping as Located

if TYPE_CHECKING:
    from kneeguide.ruleset.model import Question

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

#: UCUM length units → centimetres per unit (exact decimals, so 25 mm is 2.5 cm, not 2.5000000000000004).
LENGTH_TO_CM: dict[str, Decimal] = {
    "cm": Decimal(1),
    "mm": Decimal("0.1"),
    "m": Decimal(100),
    "[in_i]": Decimal("2.54"),
}

#: A question's unit (its English wording in questions.yaml) → the UCUM code of that unit.
UCUM_OF_UNIT: dict[str, str] = {"cm": "cm", "years": "a", "days": "d", "minutes": "min"}

#: The value[x] types read as they are, with the Python types each may hold.
PLAIN: dict[str, tuple[type, ...]] = {
    "valueBoolean": (bool,),
    "valueInteger": (int,),
    "valueDecimal": (int, float),
    "valueString": (str,),
}
READ = ("valueBoolean", "valueCoding", "valueInteger", "valueDecimal", "valueString", "valueQuantity")


def answers_from_response(resource: Any, questions: Mapping[str, Question] | None = None) -> dict[str, Any]:
    """Raw answers (``linkId`` → value) of a parsed QuestionnaireResponse.

    ``questions`` (the rule set's, by id) lets a ``valueQuantity`` be checked against
    the unit its question is asked in; without it a Quantity is read only in a length
    unit, as centimetres. The result remembers where each linkId's item is in the file
    (``key_locations``) when ``resource`` came from :mod:`kneeguide.ruleset.yamlio`.
    Raises :class:`InputError` listing every problem (see the module docstring).
    """
    if not isinstance(resource, dict) or resource.get("resourceType") != "QuestionnaireResponse":
        raise InputError([Problem("not a FHIR QuestionnaireResponse", _where(resource))])
    reader = _Reader(questions)
    reader.items(resource, "", resource)
    if reader.problems:
        raise InputError(reader.problems)
    return reader.out


def _where(node: Any) -> Location | None:
    return getattr(node, "location", None)


def _item_where(items: Any, index: int, fallback: Location | None) -> Location | None:
    locations = getattr(items, "item_locations", None)
    if locations and index < len(locations):
        return locations[index]  # type: ignore[no-any-return]
    return fallback


class _Reader:
    """One walk over a response: the answers found, where each was, and every problem."""

    def __init__(self, questions: Mapping[str, Question] | None) -> None:
        self.questions = questions
        self.out = Located()
        self.out.key_locations = {}
        self.first: dict[str, str] = {}  # linkId → the path where it was first seen
        self.problems: list[Problem] = []

    def problem(self, path: str, link_id: str | None, what: str, where: Location | None) -> None:
        named = f"{path} (linkId '{link_id}')" if link_id is not None else path
        self.problems.append(Problem(f"QuestionnaireResponse {named}: {what}", where))

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
        for index, answer in enumerate(answers):
            at = f"{path}.answer[{index}]"
            spot = _item_where(answers, index, where)
            if not isinstance(answer, dict):
                self.problem(at, link_id, "an answer must be an object with one value[x]", spot)
                continue
            found = self.value(answer, at, link_id, spot)
            if keep and found is not None and link_id is not None:
                self.out[link_id] = found
                if where is not None:
                    self.out.key_locations[link_id] = where
            self.items(answer, at, answer)

    def value(self, answer: dict[str, Any], path: str, link_id: str | None, where: Location | None) -> Any:
        """The raw answer of one ``answer`` object, or None after reporting why not."""
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
            return raw
        if key == "valueCoding":
            return self.coding(raw, path, link_id, where)
        return self.quantity(raw, path, link_id, where)

    def coding(self, raw: Any, path: str, link_id: str | None, where: Location | None) -> str | None:
        if not isinstance(raw, dict) or not isinstance(raw.get("code"), str):
            self.problem(path, link_id, "valueCoding must be an object with a code", where)
            return None
        system, code = raw.get("system"), raw["code"]
        if system == ANSWER_SYSTEM:
            return code  # type: ignore[no-any-return]
        word = CODINGS.get((system, code)) if isinstance(system, str) else None
        if word is not None:
            return word
        shown = f"{system}|{code}" if system else f"'{code}' without a system"
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
    ) -> float | int | None:
        value = raw.get("value") if isinstance(raw, dict) else None
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            self.problem(path, link_id, "valueQuantity must be an object with a numeric value", where)
            return None
        system = raw.get("system")
        unit = raw.get("code") if raw.get("code") is not None else raw.get("unit")
        question = self.questions.get(link_id) if self.questions is not None and link_id else None
        own = UCUM_OF_UNIT.get(question.unit.get("en", "")) if question and question.unit else None
        if system not in (None, UCUM) or not isinstance(unit, str):
            self.problem(path, link_id, f"valueQuantity {value} {_show(unit)} has no UCUM unit", where)
            return None
        if self.questions is not None and question is not None and own is None:
            self.problem(
                path, link_id, f"valueQuantity {value} {unit}: this question takes a number, no unit", where
            )
            return None
        if unit in LENGTH_TO_CM and own in ("cm", None):
            try:
                cm = Decimal(repr(value)) * LENGTH_TO_CM[unit]
            except InvalidOperation:  # pragma: no cover - repr of a finite float always parses
                cm = Decimal("NaN")
            return int(cm) if cm == cm.to_integral_value() else float(cm)
        if own is not None and unit == own:
            return value
        expected = "a length (cm, mm, m or [in_i])" if own in ("cm", None) else f"'{own}'"
        self.problem(path, link_id, f"valueQuantity {value} {unit} is not in {expected}", where)
        return None


def _show(raw: Any) -> str:
    return (
        repr(raw)
        if isinstance(raw, str)
        else str(raw)
        if isinstance(raw, (int, float))
        else type(raw).__name__
    )
