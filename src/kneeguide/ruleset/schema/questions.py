"""The records of ``ruleset.yaml``, ``references.yaml`` and ``questions.yaml``.

What a rule set is (its version, languages, default region, the built-in red
flags it switches off and the built-in safety texts it rewords), what it cites,
and what it asks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from kneeguide.errors import Location, Problem
from kneeguide.ids import AUDIENCES, LANGUAGES
from kneeguide.ruleset.protected import ID_PATTERN
from kneeguide.ruleset.schema.condition import CondRef
from kneeguide.ruleset.schema.parts import REFS
from kneeguide.ruleset.schema.shapes import F, ListOf, Record
from kneeguide.ruleset.schema.spec import JSON, Bool, Code, Enum, Number, Spec, Str, Text, type_name


@dataclass(frozen=True)
class Pattern(Spec):
    """Text the whole of which matches ``regex`` (in the dialect Python and JSON Schema
    share); ``what`` says what is expected, in a problem ("a protected text id"). Kept
    beside its one user, ``reworded:``; it joins :mod:`spec` when another file needs it."""

    regex: str
    what: str

    def check(self, value: Any, loc: Location, out: list[Problem]) -> None:
        if not isinstance(value, str) or re.fullmatch(f"(?:{self.regex})", value) is None:
            shown = repr(value) if isinstance(value, str) else type_name(value)
            out.append(Problem(f"expected {self.what}, found {shown}", loc))

    def json_schema(self) -> JSON:
        return {"type": "string", "pattern": f"^(?:{self.regex})$"}


RULESET = Record(
    (
        F("version", Str(), required=True, doc="version of the rule set, reported in every assessment"),
        F("title", Text(), required=True),
        F(
            "languages",
            ListOf(Enum(LANGUAGES), min_items=1),
            required=True,
            doc="languages every text must be given in, each translated and reviewed in full",
        ),
        F(
            "incomplete_languages",
            ListOf(Enum(LANGUAGES)),
            doc="languages still being translated: a text not yet translated and reviewed is shown in "
            "English, and every output in the language says so",
        ),
        F("default_region", Code(), required=True),
        F(
            "disable",
            ListOf(Record((F("id", Str(identifier=True), required=True), F("reason", Str(), required=True)))),
            doc="built-in red flags switched off, each with a reason; every report then warns",
        ),
        F(
            "reworded",
            ListOf(
                Record(
                    (
                        F(
                            "text",
                            Pattern(
                                ID_PATTERN,
                                "a protected text id (red_flags.<flag>.title|action|explain, "
                                "red_flags.<flag>.escalations.<n>.action, "
                                "dispositions.<urgent|emergency>.<field>, "
                                "dispositions.<urgent|emergency>.regions.<region>.<field>, "
                                "regions.<region>.emergency|advice|advice_name)",
                            ),
                            required=True,
                        ),
                        F("reason", Str(), required=True),
                    )
                )
            ),
            doc="built-in safety texts this rule set changes (titles, actions and explanations of red "
            "flags, the urgent and emergency wording, the regions' numbers), each with a reason; every "
            "output then says so",
        ),
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
                        F(
                            "citation",
                            Text(),
                            required=True,
                            doc="author, year, journal or guideline; shown as written in every language "
                            "unless translated (for texts the rule authors wrote themselves)",
                        ),
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
        F(
            "always_ask",
            Bool(),
            doc="asked even when no answer could change the assessment (the referral note needs it)",
        ),
        F(
            "offer_unsure",
            Bool(),
            doc="offer 'Not sure' in the interview (default true); false when a choice already declines",
        ),
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
