"""Referral notes: golden files for every format, in both languages, for three stories.

Regenerate after an intended change with: KNEEGUIDE_UPDATE_GOLDEN=1 pytest tests/test_notes.py
"""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from stories import NEGATIVE_SCREEN

from kneeguide.api import assess, load_rules
from kneeguide.cli.notes import for_clinician
from kneeguide.ids import NoteFormat
from kneeguide.inputs.clinic import Clinic
from kneeguide.render import render_note
from kneeguide.render.note import build, draw
from kneeguide.render.note_blocks import Letterhead
from kneeguide.render.wrap import width_of
from kneeguide.ruleset.contract import MESSAGE_IDS

GOLDEN = Path(__file__).parent / "golden"
WHEN = datetime(2026, 11, 28, 9, 30)
#: A clinic that writes in both languages: its name and address in each.
CLINIC = Clinic(
    "Fuji Wellness (acupuncture clinic)",
    "132-0031 Matsushima 1-chome 21-14, Tokyo, Japan",
    "+81 3-0000-0000",
    "info@fuji-wellness.example",
    ("ja", "en"),
    "Mon-Sat 9:00-19:00",
    ("routine", "self_care"),
    {"name": {"ja": "富士ウェルネス鍼灸院"}, "address": {"ja": "〒132-0031 東京都江戸川区松島1-21-14"}},
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


def note_text(story: str, lang: str, ext: str, *, appendix: bool = True) -> str:
    """The letter of ``story`` as the commands write it (the clinic profile as its sender)."""
    rules = load_rules()
    result = for_clinician(assess(STORIES[story], rules=rules, lang=lang), rules)
    blocks = build(result, rules, when=WHEN, patient="Test Patient", clinic=CLINIC, appendix=appendix)
    return draw(FORMATS[ext], blocks, rules, lang)


def paragraphs(text: str) -> list[str]:
    """The lines of a note with the plain-text letter's wrapping undone: a line indented
    under the one before it is the same paragraph (a Japanese one joined without a space)."""
    out: list[str] = []
    for line in text.splitlines():
        if out and out[-1].strip() and line.startswith("  ") and not line.lstrip().startswith("* "):
            gap = "" if re.search(r"[\u3000-\u9fff\uff00-\uffef]$", out[-1]) else " "
            out[-1] += gap + line.strip()
        else:
            out.append(line)
    return out


def flat(text: str, lang: str) -> str:
    """The note's text as one string, line breaks undone: English lines joined with a space,
    Japanese lines without one (a wrapped Japanese line breaks between two characters)."""
    return re.sub(r" *\n *", " " if lang == "en" else "", text)


def golden(name: str, text: str) -> None:
    # the rules' digest changes with any rule edit; the golden files check the note, not the digest
    text = re.sub(r"sha256:[0-9a-f]{64}", "sha256:DIGEST", text)
    path = GOLDEN / name
    if os.environ.get("KNEEGUIDE_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), (
        f"{path.name} differs; if intended: KNEEGUIDE_UPDATE_GOLDEN=1 pytest tests/test_notes.py"
    )


@pytest.mark.parametrize(("story", "lang", "ext"), CASES, ids=[f"{s}-{lg}-{e}" for s, lg, e in CASES])
def test_note_matches_its_golden_file(story: str, lang: str, ext: str) -> None:
    golden(f"note-{story}-{lang}.{ext}", note_text(story, lang, ext))


@pytest.mark.parametrize(("story", "lang"), [(s, lg) for s in STORIES for lg in ("en", "ja")])
def test_the_letter_without_its_appendix_matches_its_golden_file(story: str, lang: str) -> None:
    golden(f"note-{story}-{lang}-no-appendix.html", note_text(story, lang, "html", appendix=False))


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_without_the_appendix_the_letter_is_the_same_up_to_where_the_appendix_began(lang: str) -> None:
    rules = load_rules()
    result = for_clinician(assess(STORIES["routine"], rules=rules, lang=lang), rules)
    whole = build(result, rules, when=WHEN, patient="Test Patient", clinic=CLINIC)
    letter_only = build(result, rules, when=WHEN, patient="Test Patient", clinic=CLINIC, appendix=False)
    start = next(n for n, b in enumerate(whole) if b.kind == "appendix")
    title = rules.message("note_heading_appendix", lang)
    assert whole[start].content == title and "appendix" not in [b.kind for b in letter_only]
    # the points' anatomy is appended; the line naming the points says where, only with it
    pointer = rules.message("note_see_appendix", lang)
    differ = [n for n, (a, b) in enumerate(zip(whole[:start], letter_only, strict=True)) if a != b]
    assert (
        len(differ) == 1
        and pointer in whole[differ[0]].content
        and pointer not in letter_only[differ[0]].content
    )
    for ext in FORMATS:
        drawn = note_text("routine", lang, ext, appendix=False)
        assert title not in drawn and "<svg" not in drawn and "Weizhong" not in drawn


def test_render_note_gives_the_letter_the_commands_write() -> None:
    rules = load_rules()
    result = assess(STORIES["urgent"], rules=rules, lang="ja")
    for fmt in NoteFormat:
        given = render_note(fmt, result, rules, when=WHEN, patient="Test Patient", clinic=CLINIC)
        assert given == draw(
            fmt, build(result, rules, when=WHEN, patient="Test Patient", clinic=CLINIC), rules, "ja"
        )


def test_the_letter_is_addressed_to_the_service_and_says_why_and_how_soon_in_one_line() -> None:
    """To the level's referral destination, from the clinic, then ONE line: the red flag
    raised, the urgency and the time frame; before any finding."""
    rules = load_rules()
    result = assess(STORIES["urgent"], rules=rules)
    lines = note_text("urgent", "en", "md").splitlines()
    m = partial(rules.message, lang="en")
    assert f"- **{m('note_to')}:** {result.referral.to}" in lines
    assert any(line.startswith(f"- **{m('note_from')}:** Fuji Wellness") for line in lines)
    assert f"- **{m('label_date')}:** 2026-11-28 09:30" in lines
    dvt = next(h.title for h in result.red_flags if h.id == "dvt")
    reason = [line for line in lines if dvt in line and m("note_urgency_urgent") in line]
    assert reason and result.triage.timeframe.lower() in reason[0].lower()
    assert lines.index(reason[0]) < lines.index(f"## {m('heading_red_flags_clinical')}")


def test_the_patient_line_gives_name_age_sex_and_side() -> None:
    rules = load_rules()
    lines = note_text("urgent", "en", "txt").splitlines()
    patient = next(line for line in lines if line.startswith(rules.message("label_patient", "en") + ": "))
    assert "Test Patient" in patient and "64" in patient
    assert rules.message("answer_unanswered", "en") in patient  # the side was not given, and it says so


def test_the_japanese_patient_line_gives_name_age_and_sex_and_the_course_the_side() -> None:
    """「患者：Test Patient　様（64歳、女性）」; the side, not answered, is said so in the course."""
    rules = load_rules()
    text = flat(note_text("urgent", "ja", "txt"), "ja")
    assert "患者：Test Patient　様（64歳、女性）" in text
    assert f"患側：{rules.message('answer_unanswered', 'ja')}" in text


def test_without_a_clinic_profile_the_letter_is_a_self_referral() -> None:
    rules = load_rules()
    result = assess(STORIES["routine"], rules=rules)
    text = draw(NoteFormat.TEXT, build(result, rules, when=WHEN), rules, "en")
    assert f"From: {rules.message('note_self_referral', 'en')}" in text.splitlines()


def test_the_clinic_is_the_sender_never_the_destination() -> None:
    """Urgent and emergency letters go to medical care: the clinic may send them, but is
    never where the patient is sent."""
    rules = load_rules()
    for story in STORIES:
        lines = note_text(story, "en", "txt").splitlines()
        to = next(line for line in lines if line.startswith("To: "))
        sender = next(line for line in lines if line.startswith("From: "))
        assert "Fuji Wellness" in sender and "Fuji Wellness" not in to
    emergency = assess(STORIES["emergency"], rules=rules)
    assert f"To: {emergency.referral.to}" in note_text("emergency", "en", "txt").splitlines()


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_letter_speaks_to_the_clinician_not_to_the_patient(lang: str) -> None:
    """Its own words are clinical third person, and the patient's instructions ("See a doctor
    today ... have no massage on this leg") stay in the patient's report."""
    rules = load_rules()
    own = [text for key, text in rules.messages.items() if key.startswith("note_")]
    assert not [t for t in own if re.search(r"\byou(r)?\b", t["en"], re.IGNORECASE)]
    for story in STORIES:
        action = assess(STORIES[story], rules=rules, lang=lang).triage.action
        letter = note_text(story, lang, "md")
        assert action not in letter
        assert rules.acupuncture.not_now_text[lang] not in letter
        if lang == "en":  # "you" only in the disclaimer every output carries
            body = letter.replace(rules.message("disclaimer", lang), "")
            assert not re.search(r"\byou(r)?\b", body, re.IGNORECASE), story


def test_a_letter_without_a_red_flag_says_what_set_the_level_and_never_a_settled_diagnosis() -> None:
    """A 68-year-old with a lump behind the knee: the lump to be examined is the reason for
    the referral, and the leading cause is given with its strength, not as a diagnosis."""
    rules = load_rules()
    story = {**STORIES["routine"], "lump_behind_knee": "yes", "swelling_behind_knee": "yes"}
    result = for_clinician(assess(story, rules=rules), rules)
    assert not result.red_flags and result.likely_causes
    text = draw(NoteFormat.MARKDOWN, build(result, rules, when=WHEN), rules, "en")
    reason = next(line for line in text.splitlines() if line.startswith("**Reason for referral:"))
    lead = result.likely_causes[0]
    assert f"{lead.name} ({rules.message(f'strength_{lead.strength}', 'en')})" in reason
    floors = [r for r in result.triage.reasons if r not in {c.name for c in result.likely_causes}]
    assert floors and all(f.rstrip(".") in reason for f in floors)


def test_the_html_note_is_self_contained_with_a_figure_of_the_points() -> None:
    html = note_text("routine", "en", "html")
    assert "<svg" in html and "@page { size: A4" in html
    assert not re.search(r"""(src|href)=["']https?:""", html), "no external assets"
    assert ">ST35<" in html or ">SP9<" in html
    assert html.index("<svg") > html.index('class="appendix"'), "the drawing belongs to the appendix"
    urgent = note_text("urgent", "en", "html")
    assert "<svg" not in urgent  # no treatment points on a not-now note


def test_a_patient_name_cannot_break_out_of_the_page_footer() -> None:
    """The name is printed in the running footer, a CSS string inside <style>."""
    rules = load_rules()
    result = assess(STORIES["urgent"], rules=rules)
    name = 'A" } body { display: none } </style><script>alert(1)</script> \\ "'
    html = draw(NoteFormat.HTML, build(result, rules, when=WHEN, patient=name), rules, "en")
    style = html[html.index("<style>") : html.index("</style>") + len("</style>")]
    assert style.count("</style>") == 1 and "<script>" not in style and "display: none" not in style
    assert "<script>" not in html


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


def session_file(folder: Path, answers: dict[str, Any], **fields: Any) -> Path:
    """A session file as the interview saves it: begun 00:30 UTC, last answered 00:42 UTC."""
    import json

    body = {
        "format": "kneeguide-session",
        "version": 1,
        "status": "completed",
        "created": "2026-11-28T00:30:00+00:00",
        "updated": "2026-11-28T00:42:00+00:00",
        "audience": "lay",
        "region": "UK",
        "lang": "en",
        "rules_digest": "x",
        "answers": answers,
        "steps": [],
        **fields,
    }
    path = folder / "session.json"
    path.write_text(json.dumps(body), encoding="utf-8")
    return path


def kneeguide(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kneeguide", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
    )


TOKYO = {"TZ": "Asia/Tokyo"}


@pytest.fixture()
def tokyo() -> Iterator[None]:
    """This process's local time is Tokyo's, as in the commands run with ``TOKYO``."""
    import time

    before = os.environ.get("TZ")
    os.environ["TZ"] = TOKYO["TZ"]
    time.tzset()
    yield
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


def test_a_sessions_letter_carries_the_interviews_date_and_time_not_the_printing_time(tmp_path: Path) -> None:
    session = session_file(tmp_path, {"calf_swelling": "yes"})
    done = kneeguide("note", "--session", str(session), "--format", "text", env=TOKYO)
    assert done.returncode == 0, done.stderr
    assert "Referral letter" in done.stdout
    assert "In an emergency call 999." in done.stdout, "the session's region, for the patient who carries it"
    assert "Date: 2026-11-28 09:30–09:42" in done.stdout.splitlines()  # 00:30-00:42 UTC, in Tokyo


def test_a_session_with_no_answers_is_refused_with_one_line(tmp_path: Path) -> None:
    session = session_file(tmp_path, {}, status="in_progress")
    done = kneeguide("note", "--session", str(session))
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "no answers" in done.stderr and str(session) in done.stderr


def finished(start: dict[str, Any]) -> dict[str, Any]:
    """``start`` completed as an interview would go on from it, each further question
    answered no (a choice: its first; a number: within its range) until none is left."""
    from kneeguide.ids import Audience
    from kneeguide.interview.flow import Flow

    rules = load_rules()
    flow, answers = Flow(rules, Audience.LAY), dict(start)
    while (step := flow.next_step(answers)) is not None:
        for qid in step.questions:
            q = rules.questions[qid]
            if q.type == "yn":
                answers[qid] = "no"
            elif q.type == "choice":
                answers[qid] = q.choices[0].id
            else:
                answers[qid] = int(min(max(30, q.minimum or 0), q.maximum or 30))
    return answers


@pytest.mark.parametrize("ext", sorted(FORMATS))
def test_an_unfinished_interviews_letter_says_incomplete_at_its_head_and_end(
    tmp_path: Path, ext: str
) -> None:
    """(Every printed page of the HTML letter carries it too: tests/test_note_pdf.py.)"""
    mark = load_rules().message("note_incomplete", "en")
    session = session_file(tmp_path, {"calf_swelling": "yes"}, status="in_progress")
    done = kneeguide("note", "--session", str(session), "--format", FORMATS[ext].value)
    assert done.returncode == 0, done.stderr
    body = [line for line in done.stdout.splitlines() if line.strip()]
    if ext == "html":
        assert "@top-center" in done.stdout and 'class="banner"' in done.stdout
    else:
        assert any(mark in line for line in body[:3]) and mark in body[-1]  # under the title, and last
    whole = session_file(tmp_path, finished({"calf_swelling": "yes"}))
    done = kneeguide("note", "--session", str(whole), "--format", FORMATS[ext].value)
    assert done.returncode == 0 and mark not in done.stdout


def test_a_session_stopped_after_the_emergency_panel_is_incomplete(tmp_path: Path) -> None:
    """Declining to finish after the emergency panel completes the session, not the interview."""
    mark = load_rules().message("note_incomplete", "en")
    stopped = session_file(tmp_path, {"saddle_numbness": "yes"}, emergency_shown=True)
    assert mark in kneeguide("note", "--session", str(stopped), "--format", "text").stdout


def test_assess_note_and_the_note_command_write_the_same_letter(tmp_path: Path) -> None:
    story = tmp_path / "story.json"
    story.write_text('{"age": 64, "calf_swelling": "yes", "recent_surgery": "yes"}')
    common = ["--lang", "ja", "--region", "JP", "--patient", "T. Tanaka"]
    assessed = kneeguide("assess", "--answers", str(story), *common, "--note", str(tmp_path / "a.html"))
    noted = kneeguide("note", "--answers", str(story), *common, "-o", str(tmp_path / "n.html"))
    assert assessed.returncode == 0 and noted.returncode == 0, assessed.stderr + noted.stderr

    def undated(name: str) -> str:
        text = (tmp_path / name).read_text(encoding="utf-8")
        return re.sub(r"\d{4}年\d\d?月\d\d?日( \d\d?:\d\d)?", "DATE", text)  # 2026年11月28日 9:30

    assert undated("a.html") == undated("n.html")


def test_the_interviews_end_offers_the_same_letter_as_the_note_command_as_html(
    tmp_path: Path, tokyo: None
) -> None:
    from kneeguide.cli.interview import offer_saves
    from kneeguide.interview.session import Session

    path = session_file(tmp_path, {"age": 64, "calf_swelling": "yes", "recent_surgery": "yes"})
    session = Session.load(path)
    rules = load_rules()
    offered: list[str] = []

    class TakeTheLetter:
        def confirm(self, message: str, default: bool) -> bool:
            offered.append(message)
            return message == rules.message("offer_note", "en")

        def path(self, message: str, default: str) -> str:
            offered.append(default)
            return str(tmp_path / default)

        def show(self, text: str) -> None:
            pass

    offer_saves(rules, session, assess(session.answers, rules=rules, region="UK"), TakeTheLetter())
    name = next(x for x in offered if x.startswith("kneeguide-note-"))
    assert name.endswith(".html"), "a lay user prints the letter"
    written = (tmp_path / name).read_text(encoding="utf-8")
    same = kneeguide("note", "--session", str(path), "--format", "html", env=TOKYO)
    assert written == same.stdout


def test_the_interviews_end_offers_nothing_for_an_empty_session(tmp_path: Path) -> None:
    from kneeguide.cli.interview import offer_saves
    from kneeguide.interview.session import Session

    session = Session.load(session_file(tmp_path, {}, status="in_progress"))
    rules = load_rules()

    class NothingToOffer:
        def confirm(self, message: str, default: bool) -> bool:
            raise AssertionError(f"offered: {message}")

        def path(self, message: str, default: str) -> str:
            raise AssertionError(message)

        def show(self, text: str) -> None:
            pass

    offer_saves(rules, session, assess({}, rules=rules), NothingToOffer())


def test_applies_is_the_engines_rule_for_showing_a_score() -> None:
    """The letter lists a score item by item exactly where the engine would give its band
    (:func:`kneeguide.engine.scores.shows_band`), on every vignette."""
    from vignette_report import load_vignettes

    from kneeguide.engine.scores import reported, shows_band, withholds
    from kneeguide.evaluate.walk import walk_score, with_implied
    from kneeguide.render.note_scores import applies

    rules = load_rules()
    seen = set()
    for _, vignette in load_vignettes():
        result = assess(vignette["answers"], rules=rules, audience=vignette.get("audience", "lay"))
        answers = with_implied(rules, result.answers)
        for score, shown in zip(rules.scores, result.scores, strict=True):
            facts = walk_score(score, answers)
            given = reported(score, facts, answers)
            expected = shows_band(given.applicable, facts, withholds(score, given.limits))
            assert applies(shown, rules) == expected, (vignette["id"], score.id)
            seen.add((score.id, expected))
    assert len(seen) == 4, "each score shown and not shown somewhere"


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
    assert "「calf_swelling」のことですか" in done.stderr
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
        return [re.sub(r"<[^>]+>|[*#]", "", line).strip() for line in paragraphs(text)]

    man = lines({"sex": "male", "age": 58, "injury": "no", "calf_pain": "yes"})
    assert after_injury not in man
    assert not [line for line in man if unanswered in line and pregnant in line]
    woman = lines({"sex": "female", "age": 30, "injury": "no", "calf_pain": "yes"})
    assert [line for line in woman if unanswered in line and pregnant in line]


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("ext", sorted(FORMATS))
def test_the_marks_of_the_score_items_are_explained(lang: str, ext: str) -> None:
    """A reader of "[?] Active cancer (+1)" (「活動性のがん（不明）」) is told what the marks
    mean, in the note's language."""
    rules = load_rules()
    text = flat(note_text("urgent", lang, ext), lang)
    unknown = rules.message("note_mark_unknown", lang).format(item="")
    assert unknown in text
    assert html.escape(rules.message("note_item_marks", lang), quote=False) in text


def test_the_letter_gives_the_needling_cautions_a_clinician_must_heed() -> None:
    """On blood thinners, with the screening otherwise unanswered: the suitability rule's
    caution and what is not yet screened are in the letter, the reader's evidence sentence
    and the patient's instructions are not."""
    rules = load_rules()
    story = {**STORIES["routine"], "anticoagulants": "yes"}
    story.pop("pacemaker")
    result = for_clinician(assess(story, rules=rules), rules)
    cautions = result.acupuncture.cautions
    assert len(cautions) >= 2 and all(c in result.acupuncture.reasons for c in cautions)
    assert any("Pacemaker" in c for c in cautions)  # the unscreened item, named
    text = " ".join(draw(NoteFormat.TEXT, build(result, rules, when=WHEN), rules, "en").split())
    assert all(" ".join(c.split()) in text for c in cautions)
    for patient in (rules.acupuncture.suitable_text["en"], rules.acupuncture.not_now_text["en"]):
        assert " ".join(patient.split()) not in text


# --- the Japanese letter: a 紹介状 ---------------------------------------------------------


def ja_note(story: dict[str, Any], ext: str = "txt", **head: Any) -> str:
    """The Japanese letter of ``story`` with the letterhead ``head`` (none by default)."""
    rules = load_rules()
    result = for_clinician(assess(story, rules=rules, lang="ja"), rules)
    return draw(FORMATS[ext], build(result, rules, when=WHEN, **head), rules, "ja")


@pytest.mark.parametrize("ext", sorted(FORMATS))
@pytest.mark.parametrize("story", sorted(STORIES))
def test_the_japanese_letter_has_the_parts_of_a_referral_letter_in_their_order(story: str, ext: str) -> None:
    """紹介状 at the head, then the date, 宛先, 紹介元, 患者, 紹介目的 (with its urgency),
    症状・経過, 所見, 既往・服薬, the disclaimer and the closing formula; the appendix after."""
    rules = load_rules()
    m = partial(rules.message, lang="ja")
    text = html.unescape(flat(note_text(story, "ja", ext), "ja"))
    result = assess(STORIES[story], rules=rules, lang="ja")
    parts = [
        m("note_title"),
        "2026年11月28日",
        m("note_to"),
        m("note_from"),
        m("label_patient"),
        m("note_purpose"),
        m(f"note_urgency_{result.triage.level.id}"),
        m("note_course"),
        m("heading_findings"),
        m("note_history_medication"),
        re.sub(r"\s+", "", result.disclaimer)[:40],
        m("note_closing"),
        rules.message("note_heading_references", "ja"),  # in the appendix
    ]
    where = [text.replace(" ", "").find(re.sub(r"\s+", "", part)) for part in parts]
    assert -1 not in where, [p for p, w in zip(parts, where, strict=True) if w < 0]
    assert where == sorted(where), [p for p, _ in sorted(zip(parts, where, strict=True), key=lambda x: x[1])]


def test_the_japanese_letter_is_addressed_as_japanese_letters_are() -> None:
    """An institution 御中, a named doctor 先生 (under the institution, if given), and with
    no addressee a line to write the hospital on above 「担当医　先生」."""
    story = STORIES["urgent"]

    def addressee(**head: Any) -> list[str]:
        lines = ja_note(story, **head).splitlines()
        start = next(n for n, line in enumerate(lines) if line.startswith("宛先："))
        return [
            lines[start].removeprefix("宛先："),
            *(x.strip() for x in lines[start + 1 : lines.index("", start)]),
        ]

    assert addressee(to="東京総合病院 整形外科") == ["東京総合病院 整形外科　御中"]
    assert addressee(to="東京総合病院 整形外科", doctor="佐藤 一郎") == [
        "東京総合病院 整形外科",
        "佐藤 一郎　先生",
    ]
    assert addressee(doctor="佐藤 一郎") == ["佐藤 一郎　先生"]
    blank, unnamed = addressee()
    assert set(blank) == {"＿"} and unnamed == "担当医　先生"
    assert "Dr 佐藤" not in ja_note(story, doctor="佐藤") and "御中" not in ja_note(story)


def test_without_a_clinic_profile_the_japanese_sender_is_left_blank_to_fill_in() -> None:
    """Never invented: the name, address and phone are lines to write on, as is the signature."""
    rules = load_rules()
    lines = ja_note(STORIES["routine"]).splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith("紹介元："))
    sender = [x.strip() for x in lines[start : lines.index("", start)]]
    blank = "＿" * 12
    name, *labels = (
        rules.message(k, "ja") for k in ("note_clinic_name", "note_address", "note_phone", "note_signed")
    )
    assert sender == [f"紹介元：{blank}（{name}）", *(f"{x}：{blank}" for x in labels)]
    assert rules.message("note_self_referral", "ja") not in "\n".join(lines)


def test_the_japanese_sender_is_the_clinic_in_japanese_where_its_profile_gives_it() -> None:
    lines = [x.strip() for x in ja_note(STORIES["routine"], clinic=CLINIC).splitlines()]
    start = lines.index("紹介元：富士ウェルネス鍼灸院")
    assert lines[start + 1 : start + 4] == [
        "〒132-0031 東京都江戸川区松島1-21-14",
        "電話：+81 3-0000-0000／メール：info@fuji-wellness.example",
        f"記載者：{'＿' * 12}",
    ]
    english = note_text("routine", "en", "txt")
    assert "Fuji Wellness (acupuncture clinic)" in english and "富士" not in english


def test_a_clinic_profile_may_give_its_name_and_address_in_each_language(tmp_path: Path) -> None:
    from kneeguide.inputs.clinic import load_clinic

    profile = tmp_path / "clinic.yaml"
    profile.write_text(
        "name: {ja: 富士ウェルネス鍼灸院, en: Fuji Wellness}\n"
        "address: {ja: 東京都江戸川区, en: 'Edogawa, Tokyo'}\nphone: 03-0000-0000\n",
        encoding="utf-8",
    )
    clinic = load_clinic(profile)
    assert (clinic.name, clinic.address) == ("Fuji Wellness", "Edogawa, Tokyo")
    assert clinic.in_language("ja")[:3] == ("富士ウェルネス鍼灸院", "東京都江戸川区", "03-0000-0000")
    assert clinic.in_language("fr") == clinic
    profile.write_text("name: {ja: 富士, xx: Fuji}\naddress: x\n", encoding="utf-8")
    with pytest.raises(Exception, match="unknown language 'xx'"):
        load_clinic(profile)


@pytest.mark.parametrize("ext", sorted(FORMATS))
def test_the_japanese_letter_is_dated_as_japanese_letters_are(ext: str) -> None:
    text = note_text("urgent", "ja", ext)
    assert "2026年11月28日" in text and "2026年11月28日 9:30" in text  # the date, and the interview's time
    assert "2026-11-28" not in text
    head = Letterhead(WHEN, WHEN.replace(minute=42))
    assert head.stamp("ja") == "2026年11月28日 9:30〜9:42" and head.stamp("en") == "2026-11-28 09:30–09:42"


def test_history_and_medication_give_what_was_answered_and_unsure_as_unknown() -> None:
    """On blood thinners, a bleeding disorder not known, cancer never asked: the first two
    in 既往・服薬, the third nowhere there; with nothing answered the history is 未聴取."""
    rules = load_rules()
    story = {"age": 70, "calf_pain": "yes", "anticoagulants": "yes", "bleeding_disorder": "unsure"}
    lines = paragraphs(ja_note(story))
    section = lines[lines.index("既往・服薬") : lines.index("既往・服薬") + 6]
    given = "\n".join(section)
    assert f"{rules.questions['anticoagulants'].clinical['ja']}（＋）" in given
    assert f"{rules.questions['bleeding_disorder'].clinical['ja']}（不明）" in given
    assert rules.questions["active_cancer"].clinical["ja"] not in given
    none = paragraphs(ja_note({"age": 70, "calf_pain": "yes"}))
    assert none[none.index("既往・服薬") + 3] == rules.message("note_not_taken", "ja")


@pytest.mark.parametrize("ext", sorted(FORMATS))
@pytest.mark.parametrize("story", sorted(STORIES))
def test_the_japanese_letter_has_no_english_marks_or_western_separators(story: str, ext: str) -> None:
    """Marks as a Japanese chart writes them (（＋）（－）（不明）, ※), labels with a full-width
    colon, no "[+]", "[yes]", " — " or "; " anywhere in the letter (its appendix cites
    English sources as they are)."""
    text = note_text(story, "ja", ext, appendix=False)
    if ext == "html":
        text = re.sub(r"<style>.*?</style>|<[^>]+>", "", text, flags=re.DOTALL)
    for western in ("[+]", "[-]", "[?]", "[yes]", "[no]", " — ", "; ", " (", "Referral", "Dr "):
        assert western not in text, western
    assert not re.search(r"[\u3040-\u9fff]: ", text), "a label with a Western colon"


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("story", sorted(STORIES))
def test_the_plain_text_letter_is_wrapped_to_80_columns_with_japanese_line_breaking(
    story: str, lang: str
) -> None:
    """No line wider than 80 columns; none starting with closing punctuation (kinsoku)."""
    lines = note_text(story, lang, "txt").splitlines()
    assert max(map(width_of, lines)) <= 80
    assert [line for line in lines if line.lstrip()[:1] in set("、。」）：，．")] == []


def test_the_japanese_markdown_letter_keeps_its_bold_labels() -> None:
    """CommonMark closes ** only after a letter or before a space: 「**患者：**田中」 would
    print its asterisks, so the full-width colon follows the emphasis."""
    markdown_it = pytest.importorskip("markdown_it")
    rendered = markdown_it.MarkdownIt().render(note_text("urgent", "ja", "md"))
    assert "**" not in rendered and "<strong>患者</strong>：" in rendered


def test_the_japanese_html_letter_breaks_lines_at_phrases_with_kinsoku() -> None:
    html_note = note_text("urgent", "ja", "html")
    assert '<html lang="ja">' in html_note
    assert re.search(r":lang\(ja\) \{[^}]*word-break: auto-phrase;[^}]*line-break: strict", html_note)
    assert '<span class="blank"></span>' in html_note  # the addressee's line to write on


def test_the_note_command_addresses_the_letter_to_a_hospital_and_a_doctor(tmp_path: Path) -> None:
    story = tmp_path / "story.json"
    story.write_text('{"age": 64, "calf_swelling": "yes"}', encoding="utf-8")
    common = ["note", "--answers", str(story), "--format", "text", "--to", "東京総合病院 整形外科"]
    ja = kneeguide(*common, "--doctor", "佐藤 一郎", "--lang", "ja", "--region", "JP")
    assert ja.returncode == 0, ja.stderr
    lines = ja.stdout.splitlines()
    assert lines[lines.index("宛先：東京総合病院 整形外科") + 1].strip() == "佐藤 一郎　先生"
    en = kneeguide(*common, "--doctor", "Sato", "--lang", "en", "--region", "JP")
    assert en.returncode == 0, en.stderr
    assert "To: Dr Sato, 東京総合病院 整形外科 (Same-day" in en.stdout


# --- --note names a file -------------------------------------------------------------------------

NOT_A_NOTE_FILE = {
    "": "an empty file name: give the name of the file to write",
    "-": "'-': standard output carries the report; give the note a file name (.md, .txt or .html), "
    "or use 'kneeguide note' for the letter on standard output",
}


@pytest.mark.parametrize("command", [["assess", "-a", "age=64"], ["interview"]], ids=["assess", "interview"])
@pytest.mark.parametrize("name", sorted(NOT_A_NOTE_FILE), ids=["empty", "dash"])
def test_note_without_a_file_name_is_one_line_and_nothing_is_written(
    command: list[str], name: str, tmp_path: Path
) -> None:
    """Regression: `--note ''` became the folder '.' (refused only once the assessment was done:
    at the end of a whole interview) and `--note -` wrote a file named '-'. Refused before
    anything is asked or assessed, saying what is expected."""
    from command import run

    done = run(*command, "--note", name, cwd=tmp_path, env={"KNEEGUIDE_DATA_DIR": str(tmp_path / "data")})
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.splitlines() == [
        f"kneeguide: invalid value for '--note': {NOT_A_NOTE_FILE[name]}; see 'kneeguide {command[0]} --help'"
    ]
    assert list(tmp_path.iterdir()) == []


def test_a_note_file_named_dash_is_written_when_named_as_a_path(tmp_path: Path) -> None:
    """Only the bare word '-' is refused: ``./-`` is a file like any other."""
    from command import run

    done = run("assess", "-a", "age=64", "--region", "JP", "--note", "./-", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "-").read_text(encoding="utf-8").startswith("#")
