"""Every reason says exactly what held: a "because" text is true of every answer set that shows it.

Two checks. The table of every reason text beside the smallest answer sets that show it
(``tests/reasons/table.md``, read by hand) must be current, so no text or condition
changes without being read again. And the words that most often claim more than a
condition checks (an activity, an age, a sex, how the pain started, a list of
symptoms) are held to a small vocabulary: wherever one of them appears in an English
reason, it must sit in a declared phrase, and what that phrase claims must hold in
every minimal answer set of the condition. "Came on gradually with running" under a
condition "gradual onset and worse with running, sprinting or stairs" fails: a
70-year-old who is worse only on stairs would read it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from reasons_table import REGENERATE, TABLE, Literal, minimal_sets, shown_texts, table

from kneeguide.api import load_rules
from kneeguide.evaluate.conditions import AnswerCompare, AnswerIs
from kneeguide.ruleset.model import RuleSet

Leaf = AnswerIs | AnswerCompare
#: What a phrase claims: any one of the alternatives, each a conjunction of leaves.
Claim = list[list[Leaf]]


def yes(question: str) -> Leaf:
    return AnswerIs(question, frozenset({"yes"}))


def no(question: str) -> Leaf:
    return AnswerIs(question, frozenset({"no"}))


def choice(question: str, *values: str) -> Leaf:
    return AnswerIs(question, frozenset(values))


def age(op: str, years: float) -> Leaf:
    return AnswerCompare("age", op, years)


def each(*leaves: Leaf) -> Claim:
    """All of ``leaves`` (one alternative)."""
    return [list(leaves)]


def either(*leaves: Leaf) -> Claim:
    """Any one of ``leaves``."""
    return [[leaf] for leaf in leaves]


#: Words that tend to claim more than a condition checks. Each occurrence in an English
#: reason must lie inside a phrase of :data:`PHRASES`.
HAZARDS = re.compile(
    r"\b(run\w*|sprint\w*|stairs|jump\w*|sports?|walk\w*|downhill|sitting|kneel\w*|bend\w*|squat\w*"
    r"|weight-bearing|straighten\w*|age|under \d+|over \d+|\d+ or over|men|women|young|older|child\w*"
    r"|teenagers?|gradual\w*|sudden\w*|faint\w*|racing heart|exercise)\b",
    re.IGNORECASE,
)

_Make = Callable[[re.Match[str]], Claim | None]

#: Phrase (matched case-insensitively, first match wins) → what it claims, or None for a
#: phrase that explains and claims nothing of the person.
PHRASES: list[tuple[str, _Make]] = [
    # activities and positions
    (r"running, sprinting or (climbing )?stairs", lambda m: each(yes("pain_running"))),
    (r"walking or running downhill", lambda m: each(yes("pain_downhill"))),
    (r"while sprinting or kicking", lambda m: each(choice("injury_mechanism", "sprinting"))),
    (r"sudden push-off", lambda m: each(choice("injury_mechanism", "push_off"))),
    (r"sitting( for a long time)?", lambda m: each(yes("pain_sitting"))),
    (r"kneeling is painful", lambda m: each(yes("pain_kneeling"))),
    (
        r"bending or straightening the knee fully",
        lambda m: either(yes("pain_bending"), yes("pain_straightening")),
    ),
    (r"bending and straightening do not hurt", lambda m: each(no("pain_bending"), no("pain_straightening"))),
    (r"(deep bending|bending the knee fully) or squatting", lambda m: each(yes("pain_bending"))),
    (r"will not straighten", lambda m: each(yes("cannot_straighten"))),
    (
        r"bends to a right angle and takes weight",
        lambda m: each(yes("can_flex_90"), yes("able_to_bear_weight")),
    ),
    (r"walk on the leg and bend the knee", lambda m: each(yes("able_to_bear_weight"), yes("can_flex_90"))),
    (
        r"not being able to walk on the leg or bend the knee",
        lambda m: either(no("able_to_bear_weight"), no("can_flex_90")),
    ),
    (r"bent backwards \(over-straightened\)", lambda m: each(choice("injury_mechanism", "hyperextension"))),
    (
        r"a twist, knock, fall or over-straightening of the knee",
        lambda m: each(choice("injury_mechanism", "twisting", "direct_blow", "fall", "hyperextension")),
    ),
    (r"not cramps on walking", lambda m: each(no("calf_pain_walking_relieved_by_rest"))),
    (
        r"calf cramping (with|on) exercise that eases with rest",
        lambda m: each(yes("calf_pain_walking_relieved_by_rest")),
    ),
    (r"the toes catch when walking", lambda m: each(yes("foot_drop"))),
    # how it started
    (r"sudden calf pain (and swelling )?after a pop", lambda m: each(yes("sudden_calf_pain_after_pop"))),
    (r"came on gradually|gradual (start|pain)", lambda m: each(choice("onset", "gradual"))),
    (r"started suddenly|sudden start", lambda m: each(choice("onset", "sudden"))),
    # symptoms listed as alternatives
    (
        r"breathlessness, chest pain, coughing blood, fainting or a racing heart",
        lambda m: either(yes("short_of_breath"), yes("chest_pain"), yes("coughing_blood"), yes("fainting")),
    ),
    (
        r"immune-suppressing illness or medicines, diabetes, or age 80 or over",
        lambda m: either(yes("immunosuppressed"), yes("diabetes"), age("ge", 80)),
    ),
    # who: age and sex
    (r"lasting over 30 minutes", lambda m: each(AnswerCompare("morning_stiffness_minutes", "gt", 30))),
    (r"(at )?age (\d+) to (\d+)", lambda m: each(age("ge", float(m[2])), age("le", float(m[3])))),
    (r"(at )?(age )?(\d+) or over", lambda m: each(age("ge", float(m[3])))),
    (r"under (\d+)", lambda m: each(age("lt", float(m[1])))),
    (r"over (\d+)", lambda m: each(age("gt", float(m[1])))),
    (r"young children cannot say where it hurts", lambda m: None),  # why, for any child under 6
    (r"young children", lambda m: each(age("lt", 10))),
    (r"children and young teenagers", lambda m: each(age("lt", 16))),
    (r"a child", lambda m: each(age("lt", 16))),
    (r"women", lambda m: each(choice("sex", "female"))),
    (r"men", lambda m: each(choice("sex", "male"))),
    # explanations that claim nothing of the person
    (r"typical age around \d+", lambda m: None),
    (r"age 80\+ each raised the odds", lambda m: None),
    (r"which can bring on fainting", lambda m: None),
    (r"exercise brings this condition on", lambda m: None),
    (r"exercise calf pain", lambda m: None),
]


def claims(text: str) -> tuple[list[tuple[str, Claim]], list[str]]:
    """The phrases of ``text`` that claim something, and the hazard words left outside any phrase."""
    found: list[tuple[str, Claim]] = []
    covered: list[tuple[int, int]] = []
    for pattern, make in PHRASES:
        for m in re.finditer(rf"(?<!\w){pattern}(?!\w)", text, re.IGNORECASE):
            if any(a < m.end() and m.start() < b for a, b in covered):
                continue  # part of an earlier (more specific) phrase
            covered.append((m.start(), m.end()))
            claim = make(m)
            if claim is not None:
                found.append((m[0], claim))
    loose = [
        m[0] for m in HAZARDS.finditer(text) if not any(a <= m.start() and m.end() <= b for a, b in covered)
    ]
    return found, loose


def implies(literal: Literal, leaf: Leaf) -> bool:
    """Whether an answer that makes ``literal`` hold makes ``leaf`` hold too."""
    if isinstance(leaf, AnswerIs):
        return (
            isinstance(literal, AnswerIs)
            and literal.question == leaf.question
            and literal.values <= leaf.values
        )
    if not isinstance(literal, AnswerCompare) or literal.question != leaf.question:
        return False
    a, t = literal.threshold, leaf.threshold
    if leaf.op in ("ge", "gt"):
        if literal.op not in ("ge", "gt"):
            return False
        return a > t or (a == t and (leaf.op == "ge" or literal.op == "gt"))
    if literal.op not in ("le", "lt"):
        return False
    return a < t or (a == t and (leaf.op == "le" or literal.op == "lt"))


def untrue(rules: RuleSet) -> list[str]:
    """Every reason phrase some minimal answer set does not bear out, and every hazard word
    used outside the vocabulary, as readable problems."""
    problems = []
    for shown in shown_texts(rules):
        text = shown.text["en"]
        found, loose = claims(text)
        problems += [f"{shown.where}: '{word}' is not in a declared phrase: {text}" for word in loose]
        for term in minimal_sets(rules, shown.when):
            for phrase, claim in found:
                if not any(all(any(implies(x, leaf) for x in term) for leaf in alt) for alt in claim):
                    held = sorted(str(x) for x in term)
                    problems.append(f"{shown.where}: '{phrase}' is not true when only {held} holds: {text}")
    return problems


def test_every_reason_phrase_holds_in_every_answer_set_that_shows_it(rules: RuleSet) -> None:
    assert untrue(rules) == []


def test_the_check_catches_a_reason_that_claims_more_than_its_condition(rules: RuleSet) -> None:
    """The issue's example, and the ways it can hide: an activity the question does not ask
    about, a bound one year off, a sex with an age, one symptom of a list."""
    hamstring = next(c for c in rules.causes if c.id == "hamstring_injury")
    gradual = next(f for f in hamstring.features if f.id == "gradual_overuse")
    wrong = [
        "Came on gradually with running",
        "Symptoms come with running or sport",
        "Over 45, when tendons wear",
        "More common in young men",
        "Breathlessness or fainting",
    ]
    for text in wrong:
        swapped = gradual._replace(text={"en": text, "ja": text})
        features = tuple(swapped if f is gradual else f for f in hamstring.features)
        causes = tuple(c._replace(features=features) if c is hamstring else c for c in rules.causes)
        assert any(text in p for p in untrue(rules._replace(causes=causes))), text


def test_a_disjunction_is_true_when_any_one_part_holds_and_a_bound_must_be_as_strict() -> None:
    assert implies(age("ge", 50), age("ge", 45)) and not implies(age("ge", 45), age("ge", 50))
    assert implies(age("ge", 50), age("gt", 49)) and not implies(age("ge", 50), age("gt", 50))
    assert implies(age("lt", 6), age("lt", 10)) and not implies(age("le", 10), age("lt", 10))
    assert implies(choice("onset", "gradual"), choice("onset", "gradual", "sudden"))
    assert not implies(yes("pain_running"), choice("injury_mechanism", "sprinting"))


def test_the_reasons_table_is_current(rules: RuleSet) -> None:
    """Regenerate after a deliberate change with the command in the message, then read
    every changed entry: its texts against its smallest answer sets, in both languages."""
    assert table(rules) == TABLE.read_text(encoding="utf-8"), f"tests/reasons/table.md is stale: {REGENERATE}"


@pytest.mark.parametrize("path", [TABLE], ids=["table"])
def test_the_table_lists_every_reason_of_the_rule_set(path: Path) -> None:
    rules = load_rules()
    written = path.read_text(encoding="utf-8")
    for cause in rules.causes:
        for feature in cause.features:
            assert f"## causes.yaml · {cause.id} · {feature.id} " in written
    for floor in rules.floors:
        assert f"## triage.yaml · floors · {floor.id} " in written
