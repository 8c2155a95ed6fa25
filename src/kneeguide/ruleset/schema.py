"""The shape of every rule file, declared once as data.

The same declarations check a loaded file (collecting every problem with its
``file:line:col``) and produce the JSON Schema that editors use, so the two can
never disagree. Unknown keys are errors: a misspelt ``red_flag:`` must not
silently drop a safety rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kneeguide.errors import Location, Problem
from kneeguide.ruleset.yamlio import item_location, key_location, location_of
from kneeguide.suggest import did_you_mean

JSON = dict[str, Any]


class Spec:
    """A value's expected shape."""

    def check(self, value: Any, loc: Location, out: list[Problem]) -> None:
        raise NotImplementedError

    def json_schema(self) -> JSON:
        raise NotImplementedError


def _type_name(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


@dataclass(frozen=True)
class Str(Spec):
    identifier: bool = False

    def check(self, value: Any, loc: Location, out: list[Problem]) -> None:
        if not isinstance(value, str) or not value.strip():
            out.append(Problem(f"expected non-empty text, found {_type_name(value)}", loc))
        elif self.identifier and not _is_identifier(value):
            out.append(Problem(f"'{value}' is not a valid id (lower-case letters, digits, '_')", loc))

    def json_schema(self) -> JSON:
        if self.identifier:
            return {"type": "string", "pattern": "^[a-z][a-z0-9_]*$"}
        return {"type": "string", "minLength": 1}


def _is_identifier(value: str) -> bool:
    return (
        bool(value)
        and value[0].isalpha()
        and all(c.islower() or c.isdigit() or c == "_" for c in value)
        and value.isascii()
    )


@dataclass(frozen=True)
class Code(Spec):
    """Upper-case codes such as region ids or point codes (BL40, EX-LE5)."""

    def check(self, value: Any, loc: Location, out: list[Problem]) -> None:
        if not isinstance(value, str) or not value or not value.isascii() or value != value.upper():
            out.append(Problem(f"expected an upper-case code, found {value!r}", loc))

    def json_schema(self) -> JSON:
        return {"type": "string", "pattern": "^[A-Z0-9#-]+$"}


@dataclass(frozen=True)
class Number(Spec):
    integer: bool = False
    minimum: float | None = None
    maximum: float | None = None

    def check(self, value: Any, loc: Location, out: list[Problem]) -> None:
        ok = isinstance(value, int) if self.integer else isinstance(value, (int, float))
        if isinstance(value, bool) or not ok:
            kind = "an integer" if self.integer else "a number"
            out.append(Problem(f"expected {kind}, found {_type_name(value)}", loc))
            return
        if self.minimum is not None and value < self.minimum:
            out.append(Problem(f"{value} is below the minimum {self.minimum:g}", loc))
        if self.maximum is not None and value > self.maximum:
            out.append(Problem(f"{value} is above the maximum {self.maximum:g}", loc))

    def json_schema(self) -> JSON:
        schema: JSON = {"type": "integer" if self.integer else "number"}
        if self.minimum is not None:
            schema["minimum"] = self.minimum
        if self.maximum is not None:
            schema["maximum"] = self.maximum
        return schema


@dataclass(frozen=True)
class Bool(Spec):
    def check(self, value: Any, loc: Location, out: list[Problem]) -> None:
        if not isinstance(value, bool):
            out.append(Problem(f"expected true or false, found {_type_name(value)}", loc))

    def json_schema(self) -> JSON:
        return {"type": "boolean"}


@dataclass(frozen=True)
class Enum(Spec):
    values: tuple[str, ...]

    def check(self, value: Any, loc: Location, out: list[Problem]) -> None:
        if value not in self.values:
            allowed = ", ".join(self.values)
            hint = did_you_mean(str(value), self.values)
            out.append(Problem(f"'{value}' is not one of: {allowed}{hint}", loc))

    def json_schema(self) -> JSON:
        return {"enum": list(self.values)}


@dataclass(frozen=True)
class Scalar(Spec):
    """An answer value in an example: a word or a number."""

    def check(self, value: Any, loc: Location, out: list[Problem]) -> None:
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            out.append(Problem(f"expected a word or a number, found {_type_name(value)}", loc))

    def json_schema(self) -> JSON:
        return {"type": ["string", "number"]}


@dataclass(frozen=True)
class Text(Spec):
    """User-facing text: a string (English) or a mapping of language to string."""

    def check(self, value: Any, loc: Location, out: list[Problem]) -> None:
        if isinstance(value, str):
            if not value.strip():
                out.append(Problem("text must not be empty", loc))
            return
        if isinstance(value, dict) and value:
            for lang, text in value.items():
                where = key_location(value, lang, loc)
                if lang not in LANGUAGES:
                    hint = did_you_mean(lang, LANGUAGES)
                    out.append(Problem(f"unknown language '{lang}'{hint}", where))
                elif not isinstance(text, str) or not text.strip():
                    out.append(Problem(f"'{lang}' text must be non-empty text", where))
            return
        out.append(Problem(f"expected text or a mapping of language to text, found {_type_name(value)}", loc))

    def json_schema(self) -> JSON:
        return {
            "oneOf": [
                {"type": "string", "minLength": 1},
                {
                    "type": "object",
                    "properties": {lang: {"type": "string", "minLength": 1} for lang in LANGUAGES},
                    "additionalProperties": False,
                    "minProperties": 1,
                },
            ]
        }


LANGUAGES = ("en", "ja")


@dataclass(frozen=True)
class ListOf(Spec):
    item: Spec
    min_items: int = 0

    def check(self, value: Any, loc: Location, out: list[Problem]) -> None:
        if not isinstance(value, list):
            out.append(Problem(f"expected a list, found {_type_name(value)}", loc))
            return
        if len(value) < self.min_items:
            out.append(Problem(f"expected at least {self.min_items} item(s)", loc))
        for index, item in enumerate(value):
            self.item.check(item, item_location(value, index, loc), out)

    def json_schema(self) -> JSON:
        schema: JSON = {"type": "array", "items": self.item.json_schema()}
        if self.min_items:
            schema["minItems"] = self.min_items
        return schema


@dataclass(frozen=True)
class MapOf(Spec):
    """A mapping with free keys (ids) and values of one shape."""

    value: Spec
    keys: Spec = field(default_factory=lambda: Str(identifier=True))

    def check(self, value: Any, loc: Location, out: list[Problem]) -> None:
        if not isinstance(value, dict):
            out.append(Problem(f"expected a mapping, found {_type_name(value)}", loc))
            return
        for key, item in value.items():
            where = key_location(value, key, loc)
            self.keys.check(key, where, out)
            self.value.check(item, location_of(item, where), out)

    def json_schema(self) -> JSON:
        return {"type": "object", "additionalProperties": self.value.json_schema()}


@dataclass(frozen=True)
class F:
    """One field of a :class:`Record`."""

    name: str
    spec: Spec
    required: bool = False
    doc: str = ""


@dataclass(frozen=True)
class Record(Spec):
    """A mapping with known keys; any other key is an error."""

    fields: tuple[F, ...]
    doc: str = ""
    one_of: tuple[tuple[str, ...], ...] = ()  # groups of which exactly one key is required

    def check(self, value: Any, loc: Location, out: list[Problem]) -> None:
        if not isinstance(value, dict):
            out.append(Problem(f"expected a mapping, found {_type_name(value)}", loc))
            return
        known = {f.name: f for f in self.fields}
        for key, item in value.items():
            where = key_location(value, key, loc)
            spec = known.get(key)
            if spec is None:
                hint = did_you_mean(key, list(known))
                out.append(Problem(f"unknown key '{key}'{hint}", where))
                continue
            spec.spec.check(item, location_of(item, where), out)
        for f in self.fields:
            if f.required and f.name not in value:
                out.append(Problem(f"missing required key '{f.name}'", loc))
        for group in self.one_of:
            present = [k for k in group if k in value]
            if len(present) != 1:
                names = "', '".join(group)
                out.append(Problem(f"exactly one of '{names}' is required", loc))

    def json_schema(self) -> JSON:
        schema: JSON = {
            "type": "object",
            "properties": {
                f.name: {**f.spec.json_schema(), **({"description": f.doc} if f.doc else {})}
                for f in self.fields
            },
            "additionalProperties": False,
        }
        required = [f.name for f in self.fields if f.required]
        if required:
            schema["required"] = required
        if self.doc:
            schema["description"] = self.doc
        return schema


class Cond(Spec):
    """A condition: ``all`` / ``any`` / ``not`` / an answer or score comparison."""

    LEAF_OPS = ("is", "in", "ge", "gt", "le", "lt", "band")

    def check(self, value: Any, loc: Location, out: list[Problem]) -> None:
        if not isinstance(value, dict) or not value:
            out.append(Problem(f"expected a condition mapping, found {_type_name(value)}", loc))
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


LEVELS = ("self_care", "routine", "soon", "urgent", "emergency")
AUDIENCES = ("lay", "practitioner")
REFS = ListOf(Str(identifier=True), min_items=1)
EXAMPLES = Record(
    (
        F(
            "fires",
            ListOf(MapOf(Scalar()), min_items=1),
            required=True,
            doc="answer sets on which the rule must fire",
        ),
        F(
            "quiet",
            ListOf(MapOf(Scalar()), min_items=1),
            required=True,
            doc="answer sets on which the rule must not fire",
        ),
    ),
    doc="example answers that must and must not trigger the rule",
)

# --- one record per file ---------------------------------------------------

RULESET = Record(
    (
        F("version", Str(), required=True, doc="version of the rule set, reported in every assessment"),
        F("title", Text(), required=True),
        F(
            "languages",
            ListOf(Enum(LANGUAGES), min_items=1),
            required=True,
            doc="languages every text must be given in",
        ),
        F("default_region", Code(), required=True),
    )
)

REFERENCES = Record(
    (
        F(
            "references",
            ListOf(
                Record(
                    (
                        F("id", Str(identifier=True), required=True),
                        F("citation", Str(), required=True, doc="author, year, journal or guideline"),
                        F("section", Str(), doc="section of the clinical reference it comes from"),
                        F("note", Str()),
                    )
                )
            ),
            required=True,
        ),
    )
)

QUESTION = Record(
    (
        F("id", Str(identifier=True), required=True),
        F("type", Enum(("yn", "int", "number", "choice")), required=True),
        F("section", Str(identifier=True), required=True),
        F("audience", ListOf(Enum(AUDIENCES), min_items=1), doc="who is asked; absent means both"),
        F("lay", Text(), doc="wording for a person asking about themselves"),
        F("practitioner", Text(), doc="wording for a practitioner at intake"),
        F("clinical", Text(), required=True, doc="short clinical wording used in notes"),
        F("help", Text()),
        F("min", Number()),
        F("max", Number()),
        F("unit", Text()),
        F(
            "choices",
            ListOf(
                Record(
                    (
                        F("id", Str(identifier=True), required=True),
                        F("text", Text(), required=True),
                    )
                ),
                min_items=2,
            ),
        ),
        F("ask_if", CondRef(), doc="skip logic: ask only when this holds (or is unknown)"),
        F("references", REFS, required=True),
    )
)

QUESTIONS = Record(
    (
        F(
            "sections",
            ListOf(
                Record(
                    (
                        F("id", Str(identifier=True), required=True),
                        F("title", Text(), required=True),
                        F("checklist", Bool(), doc="ask the section's yes/no questions as one tick-list"),
                        F("prompt", Text(), doc="the question above a checklist"),
                    )
                ),
                min_items=1,
            ),
            required=True,
        ),
        F("questions", ListOf(QUESTION, min_items=1), required=True),
    )
)

RED_FLAG = Record(
    (
        F("id", Str(identifier=True), required=True),
        F("title", Text(), required=True, doc="plain-words name of the danger"),
        F("level", Enum(LEVELS), required=True),
        F("when", CondRef(), required=True),
        F(
            "escalate",
            ListOf(
                Record(
                    (
                        F("level", Enum(LEVELS), required=True),
                        F("when", CondRef(), required=True),
                        F("reason", Text(), required=True),
                        F("references", REFS, required=True),
                    )
                )
            ),
        ),
        F("action", Text(), required=True, doc="what to do, in plain words"),
        F("explain", Text(), required=True, doc="why this matters"),
        F("references", REFS, required=True),
        F("examples", EXAMPLES, required=True),
    )
)

RED_FLAGS = Record((F("red_flags", ListOf(RED_FLAG, min_items=1), required=True),))

SCORE = Record(
    (
        F("id", Str(identifier=True), required=True),
        F("title", Text(), required=True),
        F("variant", Text(), required=True, doc="which published version is encoded"),
        F("applies_if", CondRef()),
        F("population", Text(), doc="where the rule is validated"),
        F(
            "items",
            ListOf(
                Record(
                    (
                        F("id", Str(identifier=True), required=True),
                        F("text", Text(), required=True),
                        F("points", Number(), required=True),
                        F("when", CondRef(), required=True),
                        F("proxy", CondRef(), doc="lay stand-in used when the examination item is unknown"),
                        F(
                            "judgement",
                            Bool(),
                            doc="clinician judgement: counted only when answered, never inferred",
                        ),
                    )
                ),
                min_items=1,
            ),
            required=True,
        ),
        F(
            "bands",
            ListOf(
                Record(
                    (
                        F("id", Str(identifier=True), required=True),
                        F("min", Number(), doc="lowest points of this band; the last band has none"),
                        F("text", Text(), required=True),
                    )
                ),
                min_items=2,
            ),
            required=True,
        ),
        F("references", REFS, required=True),
        F(
            "examples",
            Record(
                (
                    F(
                        "cases",
                        ListOf(
                            Record(
                                (
                                    F("answers", MapOf(Scalar()), required=True),
                                    F("points", Number(), required=True),
                                    F("band", Str(identifier=True), required=True),
                                )
                            ),
                            min_items=1,
                        ),
                        required=True,
                    ),
                )
            ),
            required=True,
        ),
    )
)

SCORES = Record((F("scores", ListOf(SCORE, min_items=1), required=True),))

CAUSE = Record(
    (
        F("id", Str(identifier=True), required=True),
        F("name", Text(), required=True),
        F("lay_name", Text()),
        F("level", Enum(LEVELS), required=True, doc="usual urgency when this cause leads"),
        F("prior", Number(), required=True, doc="starting weight before any feature"),
        F(
            "features",
            ListOf(
                Record(
                    (
                        F("id", Str(identifier=True), required=True),
                        F("when", CondRef(), required=True),
                        F("lr", Number(minimum=0.01), doc="published likelihood ratio; weight = ln(lr)"),
                        F("weight", Number(), doc="expert weight (labelled as expert opinion)"),
                        F("text", Text(), required=True),
                        F("references", REFS, required=True),
                    ),
                    one_of=(("lr", "weight"),),
                ),
                min_items=1,
            ),
            required=True,
        ),
        F("advice", Text(), required=True, doc="what usually helps, and when to seek care"),
        F("references", REFS, required=True),
    )
)

CAUSES = Record(
    (
        F(
            "ranking",
            Record(
                (
                    F("strong", Number(), required=True),
                    F("possible", Number(), required=True),
                    F("show", Number(), required=True, doc="causes below this score are not listed"),
                    F("top", Number(integer=True, minimum=1), required=True),
                )
            ),
            required=True,
        ),
        F("causes", ListOf(CAUSE, min_items=1), required=True),
    )
)

TRIAGE = Record(
    (
        F(
            "no_cause_level",
            Enum(LEVELS),
            required=True,
            doc="level when nothing is raised and no cause stands out",
        ),
        F(
            "not_excluded_level",
            Enum(LEVELS),
            required=True,
            doc="lowest level while a red flag is not excluded",
        ),
        F(
            "floors",
            ListOf(
                Record(
                    (
                        F("id", Str(identifier=True), required=True),
                        F("level", Enum(LEVELS), required=True),
                        F("when", CondRef(), required=True),
                        F("reason", Text(), required=True),
                        F("references", REFS, required=True),
                        F("examples", EXAMPLES, required=True),
                    )
                )
            ),
            required=True,
        ),
    )
)

DISPOSITIONS = Record(
    (
        F(
            "regions",
            ListOf(
                Record(
                    (
                        F("id", Code(), required=True),
                        F("name", Text(), required=True),
                        F("emergency", Str(), required=True),
                        F("advice", Str(), doc="non-emergency health advice line"),
                        F("advice_name", Text()),
                        F("references", REFS, required=True),
                    )
                ),
                min_items=1,
            ),
            required=True,
        ),
        F(
            "levels",
            ListOf(
                Record(
                    (
                        F("id", Enum(LEVELS), required=True),
                        F("headline", Text(), required=True),
                        F(
                            "action",
                            Text(),
                            required=True,
                            doc="may use {emergency}, {advice} and {advice_name}",
                        ),
                        F("action_no_advice", Text(), doc="used where the region has no advice line"),
                        F("timeframe", Text(), required=True),
                        F("referral_to", Text(), required=True),
                        F("safety_net", Text(), required=True),
                        F(
                            "by_region",
                            MapOf(
                                Record(
                                    (
                                        F("headline", Text()),
                                        F("action", Text()),
                                        F("timeframe", Text()),
                                    )
                                ),
                                keys=Code(),
                            ),
                        ),
                        F("references", REFS, required=True),
                    )
                ),
                min_items=5,
            ),
            required=True,
        ),
    )
)

FIGURE = Record(
    (
        F("view", Enum(("back", "front")), required=True, doc="drawing of the back or the front of the knee"),
        F("x", Number(minimum=0, maximum=120), required=True),
        F("y", Number(minimum=0, maximum=200), required=True),
        F(
            "avoid",
            Record(
                (
                    F("rx", Number(minimum=1, maximum=60), required=True),
                    F("ry", Number(minimum=1, maximum=100), required=True),
                    F("label", Text(), required=True),
                )
            ),
            doc="a zone to avoid drawn around the point (e.g. the popliteal vessels)",
        ),
    ),
    doc="where the point is drawn in the note's figure (viewBox 120 x 200, knee crease at y=70)",
)

ACUPUNCTURE = Record(
    (
        F(
            "points",
            ListOf(
                Record(
                    (
                        F("code", Code(), required=True),
                        F("name", Str(), required=True, doc="pinyin name"),
                        F("hanzi", Str(), required=True),
                        F("ja_reading", Str(), required=True),
                        F("location", Text(), required=True),
                        F("indications", Text(), required=True),
                        F("caution", Text(), required=True),
                        F(
                            "causes",
                            ListOf(Str(identifier=True)),
                            doc="causes for which the point is discussed",
                        ),
                        F("figure", FIGURE),
                        F("references", REFS, required=True),
                    )
                ),
                min_items=1,
            ),
            required=True,
        ),
        F(
            "evidence",
            ListOf(
                Record(
                    (
                        F("id", Str(identifier=True), required=True),
                        F(
                            "position",
                            Enum(("for", "against", "mixed", "insufficient", "none")),
                            required=True,
                        ),
                        F("claim", Text(), required=True),
                        F("source", Str(), required=True),
                        F(
                            "causes",
                            ListOf(Str(identifier=True)),
                            doc="causes this evidence speaks to; absent = general",
                        ),
                        F("references", REFS, required=True),
                    )
                ),
                min_items=1,
            ),
            required=True,
        ),
        F(
            "screening",
            ListOf(Str(identifier=True), min_items=1),
            required=True,
            doc="questions that must be answered before acupuncture is called suitable",
        ),
        F(
            "suitability",
            ListOf(
                Record(
                    (
                        F("id", Str(identifier=True), required=True),
                        F("level", Enum(("caution", "not_now")), required=True),
                        F("when", CondRef(), required=True),
                        F("reason", Text(), required=True),
                        F("references", REFS, required=True),
                    )
                ),
                min_items=1,
            ),
            required=True,
        ),
        F("not_now_text", Text(), required=True),
        F("unscreened_text", Text(), required=True),
        F("references", REFS, required=True),
    )
)

MESSAGES = Record((F("messages", MapOf(Text()), required=True),))

TRANSLATIONS = Record(
    (
        F(
            "translations",
            MapOf(MapOf(Str(), keys=Str()), keys=Enum(LANGUAGES)),
            required=True,
            doc="language → English text → translated text",
        ),
    )
)

TEST_CASE = Record(
    (
        F("name", Str(), required=True),
        F("answers", MapOf(Scalar()), required=True),
        F("audience", Enum(AUDIENCES)),
        F("fires", ListOf(Str(identifier=True)), doc="red flags that must be raised"),
        F("quiet", ListOf(Str(identifier=True)), doc="red flags that must be neither raised nor open"),
        F("level", ListOf(Enum(LEVELS), min_items=2), doc="accepted level range [lowest, highest]"),
        F("todo", Str(), doc="a known disagreement: reported, not failed"),
        F("references", REFS),
    ),
    doc="answers → red flags that must and must not fire, and the accepted level range",
)
TESTS = ListOf(TEST_CASE)

RULESET = Record(
    (
        *RULESET.fields,
        F(
            "disable",
            ListOf(Record((F("id", Str(identifier=True), required=True), F("reason", Str(), required=True)))),
            doc="built-in red flags switched off, each with a reason; every report then warns",
        ),
    )
)


def _with_tests(record: Record) -> Record:
    return Record(
        (*record.fields, F("tests", TESTS, doc="rule tests run by `kneeguide rules test`")),
        record.doc,
        record.one_of,
    )


#: file name → its record. Every file of a rule set is listed here.
FILES: dict[str, Record] = {
    "ruleset.yaml": RULESET,
    "references.yaml": REFERENCES,
    "questions.yaml": QUESTIONS,
    "red_flags.yaml": RED_FLAGS,
    "scores.yaml": SCORES,
    "causes.yaml": CAUSES,
    "triage.yaml": TRIAGE,
    "dispositions.yaml": DISPOSITIONS,
    "acupuncture.yaml": ACUPUNCTURE,
    "messages.yaml": MESSAGES,
    "translations.yaml": TRANSLATIONS,
}
FILES = {name: _with_tests(record) for name, record in FILES.items()}


def _check_names() -> None:
    from kneeguide.ruleset.files import NAMES

    assert tuple(FILES) == NAMES, "schema.FILES and rulefiles.NAMES must list the same files"


_check_names()


def json_schema(name: str) -> JSON:
    """JSON Schema (draft 2020-12) for one rule file."""
    schema = FILES[name].json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"kneeguide rules: {name}"
    schema["$defs"] = {"condition": Cond().json_schema()}
    return schema
