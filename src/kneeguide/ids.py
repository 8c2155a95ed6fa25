"""Every closed list of ids, in one place.

The rule-file schema, the command line's choices and help, the configuration
check and the renderers' selection derive their lists from here, and tests hold
the README's lists to them, so no second copy of a list can drift. Adding an id
here is the code half of a change; the rule files, the translations and a
renderer are the other half (docs/architecture.md, "Where to make the common
changes"). The ids that scripts rely on are part of the scripting contract
(README, "Ids scripts can rely on"); renaming one needs a ``schema_version`` bump.

This module imports nothing of kneeguide: it is the bottom of the pipeline.
"""

from __future__ import annotations

import enum


class Level(enum.IntEnum):
    """Triage levels, ordered so that ``max()`` gives the most urgent."""

    SELF_CARE = 0
    ROUTINE = 1
    SOON = 2
    URGENT = 3
    EMERGENCY = 4

    @property
    def id(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, value: str) -> Level:
        """The level named ``value`` (one of :data:`LEVELS`); ``KeyError`` otherwise."""
        return cls[value.upper()]


class Audience(enum.IntEnum):
    """Who reads the output: lay wording, or clinical wording with examination items."""

    LAY = 0
    PRACTITIONER = 1

    @property
    def id(self) -> str:
        return self.name.lower()


#: Triage level ids, lowest first.
LEVELS: tuple[str, ...] = tuple(level.id for level in Level)
#: Audience ids.
AUDIENCES: tuple[str, ...] = tuple(audience.id for audience in Audience)
#: Languages a rule set may carry texts in; ``en`` is required of every text.
LANGUAGES: tuple[str, ...] = ("en", "ja")
#: Regions whose emergency and advice numbers the built-in rule set must define.
REGIONS: tuple[str, ...] = ("JP", "US", "UK", "EU", "AU")
#: Every file of a rule set, in the order the digest covers them.
RULE_FILES: tuple[str, ...] = (
    "ruleset.yaml",
    "references.yaml",
    "questions.yaml",
    "red_flags.yaml",
    "scores.yaml",
    "causes.yaml",
    "triage.yaml",
    "dispositions.yaml",
    "acupuncture.yaml",
    "messages.yaml",
)


class ReportFormat(str, enum.Enum):
    """Formats of ``kneeguide assess`` (and of the interview's report)."""

    TEXT = "text"
    JSON = "json"
    MARKDOWN = "markdown"


class NoteFormat(str, enum.Enum):
    """Formats of the referral note, also chosen by an output file's suffix."""

    MARKDOWN = "markdown"
    TEXT = "text"
    HTML = "html"


class RecordFormat(str, enum.Enum):
    """Formats of batch records, in and out."""

    JSONL = "jsonl"
    CSV = "csv"


class ListFormat(str, enum.Enum):
    """Formats of listings (``kneeguide questions``)."""

    TEXT = "text"
    JSON = "json"


class ExportFormat(str, enum.Enum):
    """Formats of ``kneeguide export``."""

    FHIR = "fhir"
