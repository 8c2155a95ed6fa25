"""The shape of every rule file, declared once as data.

The same declarations check a loaded file (collecting every problem with its
``file:line:col``) and produce the JSON Schema that editors use, so the two can
never disagree. Unknown keys are errors: a misspelt ``red_flag:`` must not
silently drop a safety rule.

The declarations go from the general to the particular: the specs of single
values (:mod:`spec`), of lists, mappings and records (:mod:`shapes`), of a
condition (:mod:`condition`), the parts several files share (:mod:`parts`),
and one record per file (:mod:`questions`, :mod:`decisions`, :mod:`advice`),
gathered here in :data:`FILES`.
"""

from __future__ import annotations

from kneeguide.ids import RULE_FILES
from kneeguide.ruleset.schema.advice import ACUPUNCTURE, DISPOSITIONS, MESSAGES
from kneeguide.ruleset.schema.condition import Cond
from kneeguide.ruleset.schema.decisions import CAUSES, RED_FLAGS, SCORES, TRIAGE
from kneeguide.ruleset.schema.parts import TESTS
from kneeguide.ruleset.schema.questions import QUESTIONS, REFERENCES, RULESET
from kneeguide.ruleset.schema.shapes import F, Record
from kneeguide.ruleset.schema.spec import JSON


def _with_tests(record: Record) -> Record:
    return Record(
        (*record.fields, F("tests", TESTS, doc="rule tests run by `kneeguide rules test`")),
        record.doc,
        record.one_of,
    )


#: file name → its record (every file may also carry ``tests:``), in the order of ``ids.RULE_FILES``.
FILES: dict[str, Record] = {
    name: _with_tests(record)
    for name, record in {
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
    }.items()
}
assert tuple(FILES) == RULE_FILES, "schema.FILES must declare every file of ids.RULE_FILES, in order"


def json_schema(name: str) -> JSON:
    """JSON Schema (draft 2020-12) for the rule file ``name`` (one of ``ids.RULE_FILES``).

    ``KeyError`` for any other name.
    """
    schema = FILES[name].json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"kneeguide rules: {name}"
    schema["$defs"] = {"condition": Cond().json_schema()}
    return schema
