"""Answers read from a FHIR R4 QuestionnaireResponse.

``kneeguide assess``, ``note`` and ``export`` accept, wherever they accept an
answers file, the QuestionnaireResponse that ``kneeguide export --fhir`` writes
(:mod:`kneeguide.render.fhir`), so answers → FHIR → answers is exact. Reading is
an input like any other: the values come back raw and are checked afterwards
exactly as a JSON or YAML answers file is. Plain dicts, no FHIR library.
"""

from __future__ import annotations

from typing import Any

from kneeguide.errors import InputError, Problem

#: The answer value types read, in the order they are looked for in one answer.
VALUE_KEYS = ("valueInteger", "valueDecimal", "valueString", "valueBoolean")


def answers_from_response(resource: Any) -> dict[str, Any]:
    """Raw answers (``linkId`` → value) from a parsed QuestionnaireResponse.

    A ``valueCoding`` gives its ``code``; ``valueInteger``, ``valueDecimal``,
    ``valueString`` and ``valueBoolean`` give their value. Only an item's first
    answer is read; an item without one is skipped. Raises :class:`InputError`
    when ``resource`` is not a QuestionnaireResponse or an item has no ``linkId``.
    """
    if not isinstance(resource, dict) or resource.get("resourceType") != "QuestionnaireResponse":
        raise InputError([Problem("not a FHIR QuestionnaireResponse")])
    out: dict[str, Any] = {}
    for item in resource.get("item", []) or []:
        if not isinstance(item, dict) or not isinstance(item.get("linkId"), str):
            raise InputError([Problem("a QuestionnaireResponse item has no linkId")])
        answer = (item.get("answer") or [None])[0]
        if not isinstance(answer, dict):
            continue
        if "valueCoding" in answer and isinstance(answer["valueCoding"], dict):
            out[item["linkId"]] = answer["valueCoding"].get("code")
            continue
        key = next((k for k in VALUE_KEYS if k in answer), None)
        if key is not None:
            out[item["linkId"]] = answer[key]
    return out
