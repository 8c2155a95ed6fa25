"""The shape of a condition, the one recursive spec.

A condition is ``all``/``any`` of conditions, ``not`` a condition, or one
comparison of a question's answer or a score. This checks the shape only;
whether the question or score exists, and whether the value is one it can
take, is checked when the rule set is built (:mod:`kneeguide.ruleset.build.conditions`).
"""

from __future__ import annotations

from typing import Any

from kneeguide.errors import Location, Problem
from kneeguide.ruleset.schema.shapes import ListOf
from kneeguide.ruleset.schema.spec import JSON, Number, Scalar, Spec, Str, type_name
from kneeguide.ruleset.yamlio import key_location, location_of
from kneeguide.suggest import did_you_mean


class Cond(Spec):
    """A condition: ``all`` / ``any`` / ``not`` / an answer or score comparison."""

    LEAF_OPS = ("is", "in", "ge", "gt", "le", "lt", "band")

    def check(self, value: Any, loc: Location, out: list[Problem]) -> None:
        if not isinstance(value, dict) or not value:
            out.append(Problem(f"expected a condition mapping, found {type_name(value)}", loc))
            return
        keys = set(value)
        for combinator in ("all", "any"):
            if combinator in keys:
                if keys != {combinator}:
                    out.append(Problem(f"'{combinator}' must stand alone in its mapping", loc))
                    return
                ListOf(self, min_items=1).check(value[combinator], key_location(value, combinator, loc), out)
                return
        if "not" in keys:
            if keys != {"not"}:
                out.append(Problem("'not' must stand alone in its mapping", loc))
                return
            inner = value["not"]
            self.check(inner, location_of(inner, key_location(value, "not", loc)), out)
            return
        subjects = keys & {"q", "score"}
        if len(subjects) != 1:
            hint = did_you_mean(next(iter(keys)), ["all", "any", "not", "q", "score"])
            out.append(Problem(f"a condition needs 'all', 'any', 'not', 'q' or 'score'{hint}", loc))
            return
        subject = subjects.pop()
        ops = keys - {subject}
        for op in ops:
            if op not in self.LEAF_OPS:
                hint = did_you_mean(op, self.LEAF_OPS)
                out.append(Problem(f"unknown comparison '{op}'{hint}", key_location(value, op, loc)))
                return
        if len(ops) != 1:
            out.append(Problem(f"'{subject}' needs exactly one comparison ({', '.join(self.LEAF_OPS)})", loc))
            return
        Str(identifier=True).check(value[subject], key_location(value, subject, loc), out)
        op = ops.pop()
        operand = value[op]
        where = key_location(value, op, loc)
        if op in ("ge", "gt", "le", "lt"):
            Number().check(operand, where, out)
        elif op == "in":
            ListOf(Scalar(), min_items=1).check(operand, where, out)
        elif op == "band":
            if subject != "score":
                out.append(Problem("'band' compares a score, not a question", where))
            Str(identifier=True).check(operand, where, out)
        else:
            if subject == "score":
                out.append(Problem("a score is compared with ge/gt/le/lt or band", where))
            Scalar().check(operand, where, out)

    def json_schema(self) -> JSON:
        ref = {"$ref": "#/$defs/condition"}
        number = {"type": "number"}
        return {
            "oneOf": [
                {
                    "type": "object",
                    "properties": {"all": {"type": "array", "items": ref, "minItems": 1}},
                    "required": ["all"],
                    "additionalProperties": False,
                },
                {
                    "type": "object",
                    "properties": {"any": {"type": "array", "items": ref, "minItems": 1}},
                    "required": ["any"],
                    "additionalProperties": False,
                },
                {
                    "type": "object",
                    "properties": {"not": ref},
                    "required": ["not"],
                    "additionalProperties": False,
                },
                {
                    "type": "object",
                    "required": ["q"],
                    "additionalProperties": False,
                    "minProperties": 2,
                    "maxProperties": 2,
                    "properties": {
                        "q": {"type": "string"},
                        "is": {"type": ["string", "number"]},
                        "in": {"type": "array", "items": {"type": ["string", "number"]}},
                        "ge": number,
                        "gt": number,
                        "le": number,
                        "lt": number,
                    },
                },
                {
                    "type": "object",
                    "required": ["score"],
                    "additionalProperties": False,
                    "minProperties": 2,
                    "maxProperties": 2,
                    "properties": {
                        "score": {"type": "string"},
                        "band": {"type": "string"},
                        "ge": number,
                        "gt": number,
                        "le": number,
                        "lt": number,
                    },
                },
            ]
        }


class CondRef(Spec):
    """Where a condition is used inside a record: points to the shared definition."""

    def check(self, value: Any, loc: Location, out: list[Problem]) -> None:
        Cond().check(value, loc, out)

    def json_schema(self) -> JSON:
        return {"$ref": "#/$defs/condition"}
