"""Frozen data: the loaded rule set, as the rule files describe it.

Nothing here does I/O or knows about a terminal. Texts are kept in every
language the rule set provides (:class:`Text`); the engine picks one language
when it builds an assessment (:mod:`kneeguide.engine.assessment`), so renderers
only format.
"""

from typing import NamedTuple

from kneeguide.errors import Location
from kneeguide.evaluate.conditions import All, Condition
from kneeguide.ids import Audience, Level

#: A user-facing text in each language it is given in ({"en": ..., "ja": ...}).
Text = dict[str, str]
AnswerValue = str | int | float
Answers = dict[str, AnswerValue]


def pick(text: Text, lang: str) -> str:
    """The text in ``lang``, else English (validation makes the fallback rare)."""
    return text.get(lang) or text.get("en") or next(iter(text.values()))


# --- rule set ---------------------------------------------------------------


class Choice(NamedTuple):
    id: str
    text: Text


class Question(NamedTuple):
    id: str
    type: str  # yn | int | number | choice
    section: str
    audiences: frozenset[Audience]
    lay: Text
    practitioner: Text
    clinical: Text
    help: Text | None
    minimum: float | None
    maximum: float | None
    unit: Text | None
    choices: tuple[Choice, ...]
    ask_if: Condition | None
    references: tuple[str, ...]
    location: Location
    offer_unsure: bool = True  # the interview offers "Not sure" (False when a choice declines)
    always_ask: bool = False  # asked even when no answer changes the assessment (the note needs it)

    def wording(self, audience: Audience) -> Text:
        return self.practitioner if audience is Audience.PRACTITIONER else self.lay

    def expected(self) -> str:
        """What a valid answer looks like, for error messages."""
        if self.type == "yn":
            return "yes, no or unsure"
        if self.type == "choice":
            return "one of: " + ", ".join(c.id for c in self.choices) + " (or unsure)"
        kind = "a whole number" if self.type == "int" else "a number"
        if self.minimum is not None and self.maximum is not None:
            return f"{kind} from {self.minimum:g} to {self.maximum:g}"
        if self.minimum is not None:
            return f"{kind} of at least {self.minimum:g}"
        return kind


def expected_text(question: Question, rules: "RuleSet", lang: str) -> str:
    """What a valid answer looks like, in the user's language (messages.yaml)."""
    if question.type == "yn":
        return rules.message("expected_yn", lang)
    if question.type == "choice":
        return rules.message("expected_choice", lang).format(
            choices=rules.message("list_separator", lang).join(c.id for c in question.choices)
        )
    kind = "int" if question.type == "int" else "number"
    if question.minimum is not None and question.maximum is not None:
        return rules.message(f"expected_{kind}_range", lang).format(
            min=f"{question.minimum:g}", max=f"{question.maximum:g}"
        )
    if question.minimum is not None:
        return rules.message(f"expected_{kind}_min", lang).format(min=f"{question.minimum:g}")
    return rules.message(f"expected_{kind}", lang)


class Section(NamedTuple):
    id: str
    title: Text
    checklist: bool
    prompt: Text | None


class Examples(NamedTuple):
    fires: tuple[Answers, ...]
    quiet: tuple[Answers, ...]


class Escalation(NamedTuple):
    """A red flag raised to ``level`` where ``when`` holds; ``action`` (what to do at that
    level) replaces the flag's own where the escalation raised it."""

    level: Level
    when: Condition
    reason: Text
    references: tuple[str, ...]
    action: Text | None = None


class RedFlag(NamedTuple):
    id: str
    title: Text
    level: Level
    when: Condition
    escalations: tuple[Escalation, ...]
    action: Text
    explain: Text
    references: tuple[str, ...]
    examples: Examples
    location: Location


class ScoreItem(NamedTuple):
    id: str
    text: Text
    points: float
    when: Condition
    proxy: Condition | None
    judgement: bool


class Band(NamedTuple):
    id: str
    minimum: float | None
    text: Text


class ScoreExample(NamedTuple):
    answers: Answers
    points: float
    band: str


class Validity(NamedTuple):
    """One bound of the population a score was validated in (``validated_for``).

    It bounds what is *reported*: outside it the score's band is not given as a
    result. Conditions that read the score (``{score: ...}``) never read it.
    ``withhold_until_known``: the band waits until this bound is known to hold (a
    score for a suspected disease says nothing before anyone suspects it); other
    bounds withhold it only once known not to hold (an age not given keeps it).
    """

    id: str
    when: Condition
    reason: Text
    references: tuple[str, ...]
    withhold_until_known: bool = False


class EstimateLabel(NamedTuple):
    """How a score's estimate from lay stand-ins is labelled, per audience: never as the score."""

    lay: Text
    practitioner: Text


class Score(NamedTuple):
    id: str
    title: Text
    variant: Text
    applies_if: Condition | None
    applies_reason: Text | None  # ``applies_if`` in words, shown when it fails or is unknown
    population: Text | None
    validated_for: tuple[Validity, ...]
    estimate_label: EstimateLabel | None  # required when an item has a lay stand-in
    items: tuple[ScoreItem, ...]
    bands: tuple[Band, ...]  # highest first
    references: tuple[str, ...]
    examples: tuple[ScoreExample, ...]
    location: Location
    stand_ins: tuple[int, ...] = ()  # positions of the items that have a lay stand-in

    @property
    def validated_population(self) -> Condition | None:
        """Every bound of ``validated_for`` as one condition (None: no bounds): the
        evaluators work it out with the rest (``Truth.populations``), for reports only."""
        if not self.validated_for:
            return None
        return All(tuple(bound.when for bound in self.validated_for))

    @property
    def awaited_population(self) -> Condition | None:
        """The bounds whose band waits until they are known to hold (``withhold_until_known``)
        as one condition (None: no such bound)."""
        awaited = tuple(bound.when for bound in self.validated_for if bound.withhold_until_known)
        return All(awaited) if awaited else None

    def band_for(self, points: float) -> Band:
        for band in self.bands:
            if band.minimum is None or points >= band.minimum:
                return band
        return self.bands[-1]


class Feature(NamedTuple):
    id: str
    when: Condition
    weight: float
    lr: float | None  # published likelihood ratio when the weight comes from one
    text: Text
    references: tuple[str, ...]


class AdviceIf(NamedTuple):
    """Advice for the stories it fits (``advice_if``): used where ``when`` holds."""

    when: Condition
    advice: Text
    references: tuple[str, ...]


class Cause(NamedTuple):
    """A likely cause. ``advice`` is true in every story that lists it; ``advice_if``
    replaces it where a variant's condition holds (the first that does); ``seek_care``
    (when to see whom) is added only where the triage level is the cause's own, since
    elsewhere the triage's action already says when, and says otherwise."""

    id: str
    name: Text
    lay_name: Text
    level: Level
    prior: float
    features: tuple[Feature, ...]
    advice: Text
    references: tuple[str, ...]
    location: Location
    advice_if: tuple[AdviceIf, ...] = ()
    seek_care: Text | None = None


class Ranking(NamedTuple):
    strong: float
    possible: float
    show: float
    top: int


class Floor(NamedTuple):
    id: str
    level: Level
    when: Condition
    reason: Text
    references: tuple[str, ...]
    examples: Examples
    location: Location


class Region(NamedTuple):
    id: str
    name: Text
    emergency: str
    advice: str | None
    advice_name: Text | None


class Disposition(NamedTuple):
    level: Level
    headline: Text
    action: Text
    action_no_advice: Text | None
    timeframe: Text
    referral_to: Text
    safety_net: Text
    by_region: dict[str, dict[str, Text]]
    references: tuple[str, ...]


class Figure(NamedTuple):
    view: str  # back | front
    x: float
    y: float
    avoid: tuple[float, float, Text] | None  # rx, ry, label


class Point(NamedTuple):
    code: str
    name: str
    hanzi: str
    ja_reading: str  # romanised (Ichū): kept for scripts
    kana: str  # the Japanese reading in hiragana (いちゅう): what Japanese output shows
    location: Text
    indications: Text
    caution: Text
    causes: tuple[str, ...]
    references: tuple[str, ...]
    figure: Figure | None = None


class Evidence(NamedTuple):
    id: str
    position: str
    claim: Text
    source: Text  # bibliographic: as written, unless translated
    causes: tuple[str, ...]
    references: tuple[str, ...]


class Suitability(NamedTuple):
    id: str
    level: str  # caution | not_now
    when: Condition
    reason: Text
    references: tuple[str, ...]


class Acupuncture(NamedTuple):
    points: tuple[Point, ...]
    evidence: tuple[Evidence, ...]
    screening: tuple[str, ...]
    suitability: tuple[Suitability, ...]
    suitable_text: Text  # what a reader is told when nothing stands in the way: the evidence in brief
    not_now_text: Text
    unscreened_text: Text
    references: tuple[str, ...]


class Reference(NamedTuple):
    id: str
    citation: Text  # bibliographic: as written in every language, unless translated
    section: str | None


class RuleTest(NamedTuple):
    """A rule test case from a rule file's ``tests:`` list."""

    name: str
    file: str
    answers: Answers
    audience: str
    fires: tuple[str, ...]
    quiet: tuple[str, ...]
    level: tuple[Level, Level] | None
    todo: str | None
    location: Location


class RuleSet(NamedTuple):
    version: str
    digest: str
    title: Text
    languages: tuple[str, ...]  # translated and reviewed in full
    incomplete: dict[str, int]  # languages being translated → how many texts they show in English
    default_region: str
    sections: tuple[Section, ...]
    questions: dict[str, Question]  # in asking order
    red_flags: tuple[RedFlag, ...]
    scores: tuple[Score, ...]
    causes: tuple[Cause, ...]
    ranking: Ranking
    floors: tuple[Floor, ...]
    no_cause_level: Level
    not_excluded_level: Level
    regions: dict[str, Region]
    dispositions: dict[Level, Disposition]
    acupuncture: Acupuncture
    messages: dict[str, Text]
    references: dict[str, Reference]
    source: str  # where the rules were loaded from
    skippable: tuple[Question, ...]  # yes/no questions with ask_if: skipped means "no"
    disabled: tuple[tuple[str, str], ...]  # (red flag id, reason) switched off by this rule set
    tests: tuple[RuleTest, ...]
    #: (protected text id, reason) of each built-in safety text this rule set rewords
    #: (``reworded:`` in ruleset.yaml): ``red_flags.<id>.title``, ``dispositions.urgent.action``,
    #: ``regions.JP.emergency`` ...; every output announces each one, as it does ``disabled``
    reworded: tuple[tuple[str, str], ...] = ()
    #: a custom rule set: the built-in rule set's (version, digest) it was proved not weaker
    #: than when it was loaded; None for the built-in rule set itself
    checked_against: tuple[str, str] | None = None
    #: the red flags ``disabled`` switches off, as the rule files define them (a warning
    #: names each by its title, not its id alone); one listed but not defined has none
    switched_off: tuple[RedFlag, ...] = ()

    @property
    def custom(self) -> bool:
        """Whether this is a rule set other than the built-in one (``--rules``)."""
        return self.checked_against is not None

    @property
    def offered(self) -> tuple[str, ...]:
        """Every language a reader may choose: the complete ones, then those being translated."""
        return (*self.languages, *self.incomplete)

    def message(self, key: str, lang: str) -> str:
        return pick(self.messages[key], lang)
