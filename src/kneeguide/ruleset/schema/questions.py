"""The records of ``ruleset.yaml``, ``references.yaml`` and ``questions.yaml``.

What a rule set is (its version, languages, default region, the built-in red
flags it switches off), what it cites, and what it asks.
"""

from __future__ import annotations

from kneeguide.ids import AUDIENCES, LANGUAGES
from kneeguide.ruleset.schema.condition import CondRef
from kneeguide.ruleset.schema.parts import REFS
from kneeguide.ruleset.schema.shapes import F, ListOf, Record
from kneeguide.ruleset.schema.spec import Bool, Code, Enum, Number, Str, Text

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
