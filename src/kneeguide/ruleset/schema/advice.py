"""The records of the files that say what to do: dispositions, acupuncture, messages.

``dispositions.yaml`` gives each level's advice, per region where it differs;
``acupuncture.yaml`` the points, the evidence and when needling must wait;
``messages.yaml`` every fixed text of the reports. (Other languages of texts
written in English only are gettext catalogues, read by ``build/catalogue.py``.)
"""

from __future__ import annotations

from kneeguide.ids import LEVELS
from kneeguide.ruleset.schema.condition import CondRef
from kneeguide.ruleset.schema.parts import REFS
from kneeguide.ruleset.schema.shapes import F, ListOf, MapOf, Record
from kneeguide.ruleset.schema.spec import Code, Enum, Number, Str, Text

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
                        F(
                            "kana",
                            Str(),
                            required=True,
                            doc="the Japanese reading in hiragana (委中: いちゅう), shown in Japanese",
                        ),
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
                        F(
                            "source",
                            Text(),
                            required=True,
                            doc="shown as written in every language unless translated",
                        ),
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
        F("suitable_text", Text(), required=True),
        F("not_now_text", Text(), required=True),
        F("unscreened_text", Text(), required=True),
        F("references", REFS, required=True),
    )
)

MESSAGES = Record((F("messages", MapOf(Text()), required=True),))
