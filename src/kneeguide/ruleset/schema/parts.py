"""Parts several rule files share: reference lists, examples, and the rule tests.

Every rule that decides something cites its references and carries answer
sets on which it must and must not fire; any file may carry ``tests:``, which
``kneeguide rules test`` runs (:mod:`kneeguide.authoring.testing`).
"""

from __future__ import annotations

from kneeguide.ids import AUDIENCES, LEVELS
from kneeguide.ruleset.schema.shapes import F, ListOf, MapOf, Record
from kneeguide.ruleset.schema.spec import Enum, Scalar, Str

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
