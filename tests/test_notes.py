"""Referral notes: golden files for every format, in both languages, for three stories.

Regenerate after an intended change with: KNEEGUIDE_UPDATE_GOLDEN=1 pytest tests/test_notes.py
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from stories import NEGATIVE_SCREEN

from kneeguide.api import assess, load_rules
from kneeguide.ids import NoteFormat
from kneeguide.inputs.clinic import Clinic
from kneeguide.render import render_note
from kneeguide.ruleset.contract import MESSAGE_IDS

GOLDEN = Path(__file__).parent / "golden"
WHEN = datetime(2026, 11, 28, 9, 30)
CLINIC = Clinic(
    "Fuji Wellness (acupuncture clinic)",
    "132-0031 Matsushima 1-chome 21-14, Tokyo, Japan",
    "+81 3-0000-0000",
    "info@fuji-wellness.example",
    ("ja", "en"),
    "Mon-Sat 9:00-19:00",
    ("routine", "self_care"),
)
NEGATIVE = {
    **NEGATIVE_SCREEN,
    **{
        q: "no"
        for q in (
            "visible_new_veins",
            "pain_getting_worse",
            "unexplained_limp",
            "anticoagulants",
            "bleeding_disorder",
            "pacemaker",
            "diabetes",
            "skin_problem_at_site",
            "needle_fear",
            "immunosuppressed",
        )
    },
}
STORIES: dict[str, dict[str, Any]] = {
    "emergency": {"age": 45, "sex": "male", "back_pain": "yes", "saddle_numbness": "yes"},
    "urgent": {
        "age": 64,
        "sex": "female",
        "calf_swelling": "yes",
        "calf_pain": "yes",
        "recent_surgery": "yes",
    },
    "routine": {
        **NEGATIVE,
        "age": 68,
        "sex": "female",
        "onset": "gradual",
        "duration_days": 200,
        "morning_stiffness_minutes": 15,
        "pain_bending": "yes",
        "able_to_bear_weight": "yes",
        "can_flex_90": "yes",
        "sex_": None,
    },
}
STORIES["routine"].pop("sex_")
#: The golden files' extension for each note format.
EXTENSIONS = {NoteFormat.MARKDOWN: "md", NoteFormat.TEXT: "txt", NoteFormat.HTML: "html"}
FORMATS = {ext: fmt for fmt, ext in EXTENSIONS.items()}
CASES = [(story, lang, ext) for story in STORIES for lang in ("en", "ja") for ext in FORMATS]


def note_text(story: str, lang: str, ext: str) -> str:
    rules = load_rules()
    result = assess(STORIES[story], rules=rules, lang=lang)
    return render_note(FORMATS[ext], result, rules, when=WHEN, patient="Test Patient", clinic=CLINIC)


@pytest.mark.parametrize(("story", "lang", "ext"), CASES, ids=[f"{s}-{lg}-{e}" for s, lg, e in CASES])
def test_note_matches_its_golden_file(story: str, lang: str, ext: str) -> None:
    # the rules' digest changes with any rule edit; the golden files check the note, not the digest
    text = re.sub(r"sha256:[0-9a-f]{64}", "sha256:DIGEST", note_text(story, lang, ext))
    path = GOLDEN / f"note-{story}-{lang}.{ext}"
    if os.environ.get("KNEEGUIDE_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), (
        f"{path.name} differs; if intended: KNEEGUIDE_UPDATE_GOLDEN=1 pytest tests/test_notes.py"
    )


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_level_action_and_time_frame_come_first(lang: str) -> None:
    text = note_text("urgent", lang, "md")
    rules = load_rules()
    level = rules.message("level_urgent", lang)
    assert text.index(level) < text.index(rules.message("heading_red_flags", lang))


def test_urgent_and_emergency_notes_never_name_the_clinic_but_routine_ones_may() -> None:
    for story in ("emergency", "urgent"):
        for lang in ("en", "ja"):
            assert "Fuji Wellness" not in note_text(story, lang, "md")
    assert "Fuji Wellness" in note_text("routine", "en", "md")


def test_the_html_note_is_self_contained_with_a_figure_of_the_points() -> None:
    html = note_text("routine", "en", "html")
    assert "<svg" in html and "@page { size: A4" in html
    assert not re.search(r"""(src|href)=["']https?:""", html), "no external assets"
    assert ">ST35<" in html or ">SP9<" in html
    urgent = note_text("urgent", "en", "html")
    assert "<svg" not in urgent  # no treatment points on a not-now note


def test_the_figure_marks_the_popliteal_vessels_to_avoid() -> None:
    from kneeguide.render.figure import svg

    rules = load_rules()
    result = assess({**STORIES["routine"], "lump_behind_knee": "yes"}, rules=rules)
    bl40 = [p for p in result.acupuncture.points if p.code == "BL40"]
    assert bl40, "a Baker's cyst story discusses BL40"
    drawing = svg(bl40, rules, "en")
    assert 'fill="url(#hatch)"' in drawing and "Popliteal artery" in drawing


def test_every_message_is_in_both_languages() -> None:
    rules = load_rules()
    assert rules.languages == ("en", "ja")
    for key in MESSAGE_IDS:
        assert rules.messages[key].get("ja"), key
    for q in rules.questions.values():
        assert q.lay.get("ja") and q.clinical.get("ja"), q.id
    for f in rules.red_flags:
        assert f.title.get("ja") and f.action.get("ja"), f.id


def test_point_names_are_bilingual() -> None:
    rules = load_rules()
    bl40 = next(p for p in rules.acupuncture.points if p.code == "BL40")
    assert (bl40.hanzi, bl40.ja_reading, bl40.name) == ("委中", "Ichū", "Weizhong")


def test_japanese_dispositions_use_tokyo_wording() -> None:
    rules = load_rules()
    emergency = assess({"saddle_numbness": "yes"}, rules=rules, lang="ja").triage
    assert "119" in emergency.action
    urgent = assess({"calf_swelling": "yes"}, rules=rules, lang="ja").triage
    assert "#7119" in urgent.action


def test_assess_writes_a_japanese_html_note(tmp_path: Path) -> None:
    story = tmp_path / "story.json"
    story.write_text('{"age": 64, "calf_swelling": "yes", "recent_surgery": "yes"}')
    target = tmp_path / "note.html"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "kneeguide",
            "assess",
            "--answers",
            str(story),
            "--lang",
            "ja",
            "--note",
            str(target),
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    html = target.read_text(encoding="utf-8")
    assert '<html lang="ja">' in html and "深部静脈血栓症" in html
    assert oct(target.stat().st_mode & 0o777) == "0o600"
    again = subprocess.run(
        [sys.executable, "-m", "kneeguide", "assess", "--answers", str(story), "--note", str(target)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert again.returncode == 2 and "--force" in again.stderr


def test_note_command_from_a_saved_session(tmp_path: Path) -> None:
    import json

    session = tmp_path / "s.json"
    session.write_text(
        json.dumps(
            {
                "format": "kneeguide-session",
                "version": 1,
                "status": "completed",
                "audience": "lay",
                "region": "UK",
                "lang": "en",
                "rules_digest": "x",
                "answers": {"calf_swelling": "yes"},
                "steps": [],
            }
        )
    )
    done = subprocess.run(
        [sys.executable, "-m", "kneeguide", "note", "--session", str(session), "--format", "text"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "Referral note" in done.stdout and "999" in done.stdout


def test_answer_errors_are_reported_in_the_chosen_language() -> None:
    command = [
        sys.executable,
        "-m",
        "kneeguide",
        "assess",
        "--lang",
        "ja",
        "-a",
        "calf_swelng=yes",
        "-a",
        "age=200",
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and done.stdout == ""
    assert "'calf_swelling' のことですか" in done.stderr
    assert "0から120までの整数" in done.stderr


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("ext", sorted(FORMATS))
def test_questions_that_do_not_apply_are_left_out_not_listed_as_unanswered(lang: str, ext: str) -> None:
    """A 58-year-old man with no injury: no "not answered: Pregnant", no "After the injury"
    heading; a 30-year-old woman's unanswered pregnancy question is still named."""
    rules = load_rules()
    pregnant = rules.questions["pregnant"].clinical[lang]
    after_injury = next(s for s in rules.sections if s.id == "injury_details").title[lang]
    unanswered = rules.message("answer_unanswered", lang)
    screen = {q: v for q, v in NEGATIVE_SCREEN.items() if q != "pregnant"}

    def lines(answers: dict[str, Any]) -> list[str]:
        result = assess({**screen, **answers}, rules=rules, lang=lang)
        text = render_note(FORMATS[ext], result, rules, when=WHEN)
        return [re.sub(r"<[^>]+>|[*#]", "", line).strip() for line in text.splitlines()]

    man = lines({"sex": "male", "age": 58, "injury": "no", "calf_pain": "yes"})
    assert after_injury not in man
    assert not [line for line in man if unanswered in line and pregnant in line]
    woman = lines({"sex": "female", "age": 30, "injury": "no", "calf_pain": "yes"})
    assert [line for line in woman if unanswered in line and pregnant in line]


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("ext", sorted(FORMATS))
def test_the_marks_of_the_score_items_are_explained(lang: str, ext: str) -> None:
    """A reader of "[?] Active cancer (+1)" is told what [?] means, in the note's language."""
    text = note_text("urgent", lang, ext)
    assert "[?]" in text
    assert load_rules().message("label_item_marks", lang) in text
