"""The records of the files that decide: red flags, scores, causes and triage floors.

Each deciding rule carries a condition (:mod:`condition`), a level or a
weight, its references, and examples that must hold.
"""

from __future__ import annotations

from kneeguide.ids import LEVELS
from kneeguide.ruleset.schema.condition import CondRef
from kneeguide.ruleset.schema.parts import EXAMPLES, REFS
from kneeguide.ruleset.schema.shapes import F, ListOf, MapOf, Record
from kneeguide.ruleset.schema.spec import Bool, Enum, Number, Scalar, Str, Text

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
                        F("action", Text(), doc="what to do at this level: replaces the flag's action here"),
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
        F("applies_if", CondRef(), doc="when the score applies at all (conditions reading it read this)"),
        F("applies_reason", Text(), doc="'applies_if' in words, shown when it does not hold or is unknown"),
        F("population", Text(), doc="where the rule is validated"),
        F(
            "validated_for",
            ListOf(
                Record(
                    (
                        F("id", Str(identifier=True), required=True),
                        F("when", CondRef(), required=True, doc="answers only"),
                        F("reason", Text(), required=True, doc="the validated population, in words"),
                        F("references", REFS, required=True),
                        F(
                            "withhold_until_known",
                            Bool(),
                            doc="no band until this bound is known to hold (others: until known not to)",
                        ),
                    )
                )
            ),
            doc="the validated population: outside it the band is not reported; conditions never read it",
        ),
        F(
            "estimate_label",
            Record(
                (
                    F("lay", Text(), required=True),
                    F("practitioner", Text(), required=True),
                )
            ),
            doc="how the estimate counting lay stand-ins is labelled; needed with any 'proxy'",
        ),
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
        F("advice", Text(), required=True, doc="what usually helps: true in any story listing the cause"),
        F(
            "advice_if",
            ListOf(
                Record(
                    (
                        F("when", CondRef(), required=True),
                        F("advice", Text(), required=True),
                        F("references", REFS, required=True),
                    )
                ),
                min_items=1,
            ),
            doc="advice for the stories it fits: the first whose condition holds replaces 'advice'",
        ),
        F(
            "seek_care",
            Text(),
            doc="when to see whom for this cause: given only where the triage level is the cause's own",
        ),
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
