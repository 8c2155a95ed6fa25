"""The terminal and Markdown report, read as the people it is for read it.

A lay reader gets the action first and last, on about one screen; the evidence,
the anatomy and the scores in full are behind ``--details``. A practitioner gets
the same decisions in clinical third person. Nothing is drawn wider than the
terminal, down to 40 columns, in either language.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from command import flat
from command import output as kneeguide
from rich.cells import cell_len
from screen import TERMINAL_ENV, Screen
from stories import CALF_CLOT, HAMSTRING
from test_notes import NEGATIVE, STORIES

from kneeguide.api import assess, load_rules
from kneeguide.engine import Assessment
from kneeguide.ids import Audience, Level, ReportFormat
from kneeguide.render import render
from kneeguide.render.common import point_label, typography
from kneeguide.ruleset.model import RuleSet

VIGNETTES = sorted((Path(__file__).parent / "vignettes").glob("*.yaml"))

#: The common stories of the issue, answered in full as the interview would have them.
COMMON: dict[str, dict[str, Any]] = {
    "calf clot": {**NEGATIVE, **CALF_CLOT},
    "hamstring strain": {**NEGATIVE, **HAMSTRING},
    "baker's cyst": {
        **NEGATIVE,
        "age": 50,
        "sex": "female",
        "duration_days": 30,
        "onset": "gradual",
        "pain_score": 3,
        "lump_behind_knee": "yes",
        "swelling_behind_knee": "yes",
        "pain_bending": "yes",
    },
    "osteoarthritis": STORIES["routine"],
}


def vignette(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def one_per_level(rules: RuleSet) -> dict[Level, dict[str, Any]]:
    """The first vignette (in file order) that comes out at each triage level."""
    found: dict[Level, dict[str, Any]] = {}
    for path in VIGNETTES:
        answers = vignette(path)["answers"]
        found.setdefault(assess(answers, rules=rules).triage.level, answers)
    return found


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return load_rules()


def report(
    rules: RuleSet,
    answers: dict[str, Any],
    *,
    lang: str = "en",
    width: int = 80,
    audience: Audience = Audience.LAY,
    details: bool = False,
    fmt: ReportFormat = ReportFormat.TEXT,
) -> tuple[Assessment, str]:
    a = assess(answers, rules=rules, lang=lang, region="JP", audience=audience)
    return a, render(fmt, a, rules, width=width, details=details)


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("level", list(Level), ids=lambda level: level.id)
def test_the_lay_report_leads_and_ends_with_the_action(rules: RuleSet, lang: str, level: Level) -> None:
    answers = one_per_level(rules)[level]
    a, text = report(rules, answers, lang=lang)
    assert a.triage.level is level
    lines = [line for line in text.splitlines() if line.strip()]
    top = flat(unboxed("\n".join(lines[:14])))
    assert flat(rules.message(f"level_{level.id}", lang)) in top
    assert flat(a.triage.action)[:40] in top  # what to do, in the first panel
    assert flat(a.triage.timeframe) in top  # by when
    assert a.triage.call in top
    last = text.rstrip().rsplit("\n\n", 1)[-1]  # the last paragraph, however it wrapped
    assert last.startswith("»") and a.triage.call in last
    assert flat(a.triage.headline.rstrip(".。")) in flat(last)
    if level is Level.URGENT:  # the region has an advice line: it is the number to call first
        assert flat(last).index("#7119") < flat(last).index("119", flat(last).index("#7119") + 5)


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("story", list(COMMON))
def test_a_common_story_fits_about_one_screen(rules: RuleSet, story: str, lang: str) -> None:
    a, text = report(rules, COMMON[story], lang=lang)
    assert text.count("\n") <= 50, text
    assert a.red_flags or rules.message("no_red_flags", lang) in text
    for cause in a.likely_causes[:1]:
        assert flat(cause.name) in flat(text) and all(flat(r.text) in flat(text) for r in cause.reasons_for)
    assert flat(rules.message(f"suitability_{a.acupuncture.suitability}", lang)) in flat(text)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_evidence_anatomy_and_the_scores_in_full_are_details(rules: RuleSet, lang: str) -> None:
    a, short = report(rules, COMMON["osteoarthritis"], lang=lang)
    _, full = report(rules, COMMON["osteoarthritis"], lang=lang, details=True)
    assert a.acupuncture.evidence and a.acupuncture.points
    for e in a.acupuncture.evidence:
        assert flat(e.source) in flat(full) and flat(e.source) not in flat(short)
    for p in a.acupuncture.points:
        assert flat(p.location) in flat(full) and flat(p.location) not in flat(short)
    assert flat(a.referral.text) in flat(full)
    assert flat(rules.message("details_hint", lang)) in flat(short)
    assert flat(rules.message("details_hint", lang)) not in flat(full)
    # the details keep the action first and last
    assert full.rstrip().rsplit("\n\n", 1)[-1].startswith("»")


def test_details_from_the_command_line(rules: RuleSet) -> None:
    story = json.dumps(COMMON["osteoarthritis"])
    short = kneeguide("assess", "--region", "JP", "--answers", "-", stdin=story)
    full = kneeguide("assess", "--region", "JP", "--details", "--answers", "-", stdin=story)
    md = kneeguide(
        "assess", "--region", "JP", "--details", "--format", "markdown", "--answers", "-", stdin=story
    )
    assert "Vickers" in full and "Vickers" not in short and "Vickers" in md


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_practitioner_report_is_clinical_and_compact(rules: RuleSet, lang: str) -> None:
    answers = {**COMMON["calf clot"], "deep_vein_tenderness": "yes", "calf_difference_cm": 3.5}
    a, text = report(rules, answers, lang=lang, audience=Audience.PRACTITIONER)
    m = rules.message
    for heading in ("heading_triage", "heading_findings", "heading_red_flags_clinical", "heading_needling"):
        assert flat(m(heading, lang)) in flat(text)
    assert flat(m("heading_red_flags", lang)) not in flat(text)  # the lay heading
    assert flat(a.triage.action) not in flat(text)  # the patient-facing action is not the report's
    assert flat(a.referral.to) in flat(text) and flat(m("label_raised_by", lang)) in flat(text)
    wells = a.scores[0]
    assert wells.id == "wells_dvt" and wells.applicable is not False
    for item in wells.items:  # Wells item by item, where it applies
        assert flat(item.text) in flat(text)
    ottawa = a.scores[1]
    assert ottawa.applicable is False and not any(flat(i.text) in flat(text) for i in ottawa.items)
    assert text.count("\n") <= 100  # the cautions of every point discussed are never cut
    if lang == "en":  # third person: "you" only in what the practitioner is to tell the patient
        told = (m("label_safety_net_patient", lang), "Educational information only")
        for line in text.split("\n\n"):
            if not any(flat(t) in flat(line) for t in told):
                assert " you " not in f" {line.lower()} ", line


def test_the_reasons_markdown_keeps_their_signs_as_words(rules: RuleSet) -> None:
    _, md = report(rules, COMMON["baker's cyst"], fmt=ReportFormat.MARKDOWN)
    assert "\n- + " not in md and "   - For: " in md
    assert md.startswith("# ") and md.rstrip().splitlines()[-1].startswith("**")


def unboxed(text: str) -> str:
    """The text without the panels' borders, which stand between the words of a wrapped line."""
    return re.sub("[│╭╮╰╯─]", "", text)


def widest(text: str) -> int:
    return max((cell_len(line) for line in text.splitlines()), default=0)


@pytest.mark.parametrize("width", [40, 50, 80])
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_nothing_is_drawn_wider_than_the_terminal(rules: RuleSet, width: int, lang: str) -> None:
    stories = [vignette(path)["answers"] for path in VIGNETTES[:: 4 if width != 40 else 1]]
    for answers in stories + list(COMMON.values()):
        for audience in Audience:
            _, text = report(rules, answers, lang=lang, width=width, audience=audience, details=width == 50)
            assert widest(text) <= width, text


def test_the_report_takes_columns_from_the_environment_when_piped() -> None:
    story = json.dumps(COMMON["calf clot"])
    narrow = kneeguide("assess", "--region", "JP", "--answers", "-", stdin=story, env={"COLUMNS": "50"})
    plain = kneeguide("assess", "--region", "JP", "--answers", "-", stdin=story, env={"COLUMNS": ""})
    assert widest(narrow) == 50 and widest(plain) == 80
    assert "\x1b" not in narrow + plain


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_on_a_50_column_terminal_every_panel_closes(tmp_path: Path, lang: str) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(COMMON["calf clot"]), encoding="utf-8")
    argv = [sys.executable, "-m", "kneeguide", "assess", "--region", "JP", "--lang", lang, "-f", str(answers)]
    screen = Screen(argv, env={**TERMINAL_ENV, "COLUMNS": ""}, columns=50, lines=120)
    try:
        assert screen.finish() == 0
        rows = [row for row in screen.lines() if row]
        assert max(cell_len(row) for row in rows) <= 50
        boxed = [row for row in rows if row[:1] in "│╭╰"]
        assert boxed and all(row[-1] in "│╮╯" for row in boxed), "\n".join(rows)
        last = max(i for i, row in enumerate(rows) if row.startswith("»"))
        assert all(row.startswith("  ") for row in rows[last + 1 :]), rows[last:]  # its wrapped lines
        assert "\x1b[3" not in screen.output  # NO_COLOR: no colour codes
    finally:
        screen.stop()


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_practitioner_sees_every_point_caution_when_needling_may_go_ahead(
    rules: RuleSet, lang: str
) -> None:
    a, text = report(rules, COMMON["baker's cyst"], lang=lang, audience=Audience.PRACTITIONER)
    assert a.acupuncture.suitability != "not_now" and a.acupuncture.points
    for p in a.acupuncture.points:  # "BL40: caution", 「委中（いちゅう）BL40：caution」
        named = typography(rules, lang).label(point_label(p, rules, lang, short=True), p.caution)
        assert flat(named) in flat(unboxed(text))
    assert rules.acupuncture.not_now_text[lang] not in text


#: Japanese closing punctuation, which never starts a line (kinsoku).
CLOSING = tuple("、。，．・：；？！）」』】〕〉》］｝")


@pytest.mark.parametrize("width", [40, 50, 80])
def test_no_japanese_line_starts_with_closing_punctuation(rules: RuleSet, width: int) -> None:
    for answers in [vignette(path)["answers"] for path in VIGNETTES[::3]] + list(COMMON.values()):
        for audience in Audience:
            _, text = report(rules, answers, lang="ja", width=width, audience=audience, details=True)
            for row in unboxed(text).splitlines():
                assert not row.strip().startswith(CLOSING), (width, row)
