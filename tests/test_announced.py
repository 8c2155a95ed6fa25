"""Every output announces a custom rule set that switches a red flag off or rewords a safety text.

Issue 18, item 3. A clinic's overlay may switch a built-in red flag off (``disable:``) or
word a built-in safety text its own way (``reworded:``); either is allowed only with a
reason, and then whoever reads any output must be told, prominently: the report in every
format and for both audiences at its top, in a box before the red flags (not only in the
notes at its end); the referral letter in text, Markdown and HTML (as Chromium prints it)
at its head, the HTML on every printed page; the FHIR RiskAssessment in its first note;
every batch record by id and the batch summary in words; ``rules validate``; and the
interview before its first question, in its emergency panel and in its report. Each
output also labels the rules as custom, with the set's own version, the built-in version
it was checked against and its digest. The built-in rule set shows none of it.

The two overlays are files under ``tests/inputs/announced/`` (one switches cellulitis off,
one rewords the cauda equina title in English and Japanese), run through the commands a
person types, in English and Japanese. What each output must say is worked out here from
the overlay's own entries and the messages, not by the code under test.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from chromium import CHROMIUM, print_pdf
from command import flat, output, run

from kneeguide.api import assess, load_rules
from kneeguide.engine import decide, warnings_of
from kneeguide.engine.announced import text_in_words
from kneeguide.ids import LANGUAGES
from kneeguide.ruleset.model import RuleSet, pick
from kneeguide.ruleset.protected import protected_texts

OVERLAYS = Path(__file__).parent / "inputs" / "announced"
DISABLED = "cellulitis_disabled"
REWORDED = "cauda_equina_title_reworded"
CASES = [(name, lang) for name in (DISABLED, REWORDED) for lang in LANGUAGES]
CASE_IDS = [f"{name}-{lang}" for name, lang in CASES]
VERSION = "2026.12-clinic"
#: A man with numbness around the back passage: an emergency, the cauda equina red flag raised.
STORY = {"age": 50, "sex": "male", "saddle_numbness": "yes"}
#: What a terminal draws around the report's boxes.
BOX = re.compile(r"[│╭╮╰╯─]")


@dataclass(frozen=True)
class Expected:
    """What every output of an overlay must say, in one language."""

    rules: RuleSet
    warning: str  # the announcement, in words
    warning_id: str  # as batch records name it
    label: str  # the rule set's label, with its whole digest
    short_label: str  # with the digest shortened, as the report shows it
    heading: str  # the box's heading


def expected(name: str, lang: str) -> Expected:
    rules = load_rules(OVERLAYS / name)

    def m(key: str) -> str:
        return rules.message(key, lang)

    if rules.disabled:
        [(flag, reason)] = rules.disabled
        [off] = rules.switched_off  # named by its title, then its id
        named = m("flag_named").format(title=pick(off.title, lang), id=flag)
        warning, warning_id = m("warn_disabled").format(id=named, reason=reason), f"disabled:{flag}"
    else:
        [(text, reason)] = rules.reworded
        assert text == "red_flags.cauda_equina.title"
        title = pick(next(f.title for f in rules.red_flags if f.id == "cauda_equina"), lang)
        named = m("flag_named").format(title=title, id="cauda_equina")
        warning = m("warn_reworded").format(text=m("text_flag_title").format(flag=named), reason=reason)
        warning_id = f"reworded:{text}"
    builtin = load_rules().version
    label = m("rules_custom").format(version=VERSION, builtin=builtin, digest=rules.digest)
    short = m("rules_custom").format(
        version=VERSION, builtin=builtin, digest=rules.digest[: len("sha256:") + 12]
    )
    return Expected(rules, warning, warning_id, label, short, m("heading_rules_changed"))


def seen(text: str) -> str:
    """``text`` as a reader finds a sentence in it: no box drawing, no white space."""
    return flat(BOX.sub("", text))


def answers_file(tmp_path: Path, answers: dict[str, Any] = STORY) -> str:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers), encoding="utf-8")
    return str(path)


# --- the overlays -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [DISABLED, REWORDED])
def test_each_overlay_is_a_custom_set_checked_against_the_built_in_one(name: str) -> None:
    custom, builtin = load_rules(OVERLAYS / name), load_rules()
    assert custom.custom and custom.version == VERSION
    assert custom.checked_against == (builtin.version, builtin.digest)
    assert (custom.disabled, custom.reworded) == (
        ((("cellulitis", "assessed by the clinic's own skin protocol"),), ())
        if name == DISABLED
        else ((), (("red_flags.cauda_equina.title", "the clinic's own wording"),))
    )


# --- the engine: the warnings, by id and in words -------------------------------------------------


def test_a_reworded_text_is_a_warning_of_every_assessment_after_the_disabled_flags() -> None:
    """Built as the brief of issue 18 says a rule set is reworded (``RuleSet.reworded``):
    the warnings about the rule set come first, the switched-off flags before the reworded
    texts, whatever the answers; and the assessment names them apart (``announced``)."""
    builtin = load_rules()
    rules = builtin._replace(
        disabled=(("cellulitis", "protocol"),),
        reworded=(("red_flags.dvt.title", "house style"), ("regions.JP.emergency", "own line")),
        checked_against=(builtin.version, builtin.digest),
    )
    standing = ["disabled:cellulitis", "reworded:red_flags.dvt.title", "reworded:regions.JP.emergency"]
    for answers in ({}, {"age": 12, "calf_swelling": "yes"}):
        a = assess(answers, rules=rules)
        truth = decide(rules, a.answers).truth
        ids = [w.id for w in warnings_of(rules, truth.answers, truth.scores)]
        assert ids[:3] == standing and len(ids) == (3 if not answers else 5)  # and: child, proxy
        assert list(a.announced) == list(a.warnings[:3])
    assert a.announced[1] == rules.message("warn_reworded", "en").format(
        text="the title of the warning sign 'Possible blood clot in a deep vein of the leg"
        " (deep vein thrombosis) [dvt]'",
        reason="house style",
    )
    assert a.announced[2] == rules.message("warn_reworded", "en").format(
        text="the emergency number of region JP", reason="own line"
    )
    assert a.rule_set.custom and a.rule_set.reworded == rules.reworded


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_protected_text_is_named_in_words(lang: str) -> None:
    """Each protected text id of the built-in set (and the shapes of the by-region texts)
    is put in words of its own: none falls back to its bare id."""
    rules = load_rules()
    ids = [*protected_texts(rules), "dispositions.urgent.regions.JP.timeframe"]
    said = {text_id: text_in_words(rules, text_id, lang) for text_id in ids}
    bare = rules.message("text_other", lang).split("{")[0]
    assert not [i for i, words in said.items() if words.startswith(bare) or "{" in words]
    assert len(set(said.values())) == len(said)  # no two texts are told alike
    assert text_in_words(rules, "red_flags.dvt.escalations.0.action", "en") == (
        "what to do when the warning sign 'Possible blood clot in a deep vein of the leg (deep vein "
        "thrombosis) [dvt]' is more serious (case 1)"
    )
    assert text_in_words(rules, "dispositions.emergency.regions.UK.action", "en") == (
        "what to do at the level 'emergency' in region UK"
    )
    assert text_in_words(rules, "somewhere.else", "en") == "the text 'somewhere.else'"


# --- the report, in every format and for both audiences -----------------------------------------------


REPORTS = [(fmt, audience) for fmt in ("text", "markdown") for audience in ("lay", "practitioner")]


@pytest.mark.parametrize(("fmt", "audience"), REPORTS, ids=[f"{f}-{a}" for f, a in REPORTS])
@pytest.mark.parametrize(("name", "lang"), CASES, ids=CASE_IDS)
def test_the_report_announces_it_at_its_top_before_the_red_flags(
    name: str, lang: str, fmt: str, audience: str, tmp_path: Path
) -> None:
    want = expected(name, lang)
    rules = want.rules
    overlay, answers = str(OVERLAYS / name), answers_file(tmp_path)
    shown = output("assess", "--rules", overlay, "--answers", answers, "--lang", lang, "--format", fmt,
                   "--audience", audience)  # fmt: skip
    text = seen(shown)
    flags = rules.message("heading_red_flags" if audience == "lay" else "heading_red_flags_clinical", lang)
    order = [text.find(seen(x)) for x in (want.heading, want.short_label, want.warning, flags)]
    assert -1 not in order and order == sorted(order), order
    assert text.count(seen(want.short_label)) == 2  # in the box, and as the rules at the end
    assert seen(want.warning) in text[order[-1] :]  # and with the other notes at the end


@pytest.mark.parametrize(("name", "lang"), CASES, ids=CASE_IDS)
def test_the_json_assessment_names_the_custom_set_and_what_it_changes(
    name: str, lang: str, tmp_path: Path
) -> None:
    want = expected(name, lang)
    rules, builtin = want.rules, load_rules()
    overlay, answers = str(OVERLAYS / name), answers_file(tmp_path)
    doc = json.loads(
        output("assess", "--rules", overlay, "--answers", answers, "--lang", lang, "--format", "json")
    )
    assert doc["rules"] == {
        "version": VERSION,
        "digest": rules.digest,
        "custom": True,
        "checked_against": {"version": builtin.version, "digest": builtin.digest},
        "disabled": [{"id": flag, "reason": reason} for flag, reason in rules.disabled],
        "reworded": [{"text": text, "reason": reason} for text, reason in rules.reworded],
    }
    assert doc["warnings"][0] == want.warning


# --- the referral letter -----------------------------------------------------------------------------


NOTES = [("note", "text"), ("note", "markdown"), ("note", "html"), ("assess", "txt"), ("assess", "md")]


def letter(command: str, fmt: str, overlay: Path, lang: str, tmp_path: Path) -> str:
    """The letter as ``kneeguide note --format FMT`` prints it, or as ``assess --note FILE.FMT`` writes it."""
    common = ("--rules", str(overlay), "--answers", answers_file(tmp_path), "--lang", lang)
    if command == "note":
        return output("note", *common, "--format", fmt)
    target = tmp_path / f"note.{fmt}"
    output("assess", *common, "--note", str(target))
    return target.read_text(encoding="utf-8")


def visible(text: str) -> str:
    """What a reader of a letter sees of it: HTML without its tags, style and entities."""
    text = re.sub(r"<style>.*?</style>", "", text, flags=re.DOTALL)
    return html.unescape(re.sub(r"<[^>]+>", " ", text))


@pytest.mark.parametrize(("command", "fmt"), NOTES, ids=[f"{c}-{f}" for c, f in NOTES])
@pytest.mark.parametrize(("name", "lang"), CASES, ids=CASE_IDS)
def test_the_letter_announces_it_at_its_head_before_the_findings(
    name: str, lang: str, command: str, fmt: str, tmp_path: Path
) -> None:
    want = expected(name, lang)
    text = seen(visible(letter(command, fmt, OVERLAYS / name, lang, tmp_path)))
    findings = want.rules.message("heading_red_flags_clinical", lang)
    order = [text.find(seen(x)) for x in (want.heading, want.label, want.warning, findings)]
    assert -1 not in order and order == sorted(order), order
    assert text.count(seen(want.label)) == 2  # at the head, and as the rules at the foot


@pytest.mark.skipif(not (CHROMIUM and shutil.which("pdftotext")), reason="needs chromium and poppler-utils")
@pytest.mark.parametrize(("name", "lang"), CASES, ids=CASE_IDS)
def test_the_printed_html_letter_says_it_on_its_first_page_and_marks_every_page(
    name: str, lang: str, tmp_path: Path
) -> None:
    """As a person prints the letter: ``chromium --print-to-pdf``, read back with pdftotext."""
    want = expected(name, lang)
    source = tmp_path / "note.html"
    source.write_text(letter("note", "html", OVERLAYS / name, lang, tmp_path), encoding="utf-8")
    pdf = print_pdf(source, tmp_path)
    pages = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages_text = [seen(page) for page in pages.split("\f") if page.strip()]
    first = pages_text[0]
    findings = seen(want.rules.message("heading_red_flags_clinical", lang))
    assert seen(want.warning) in first and first.find(seen(want.warning)) < first.find(findings)
    assert seen(want.label) in first
    assert all(seen(want.heading) in page for page in pages_text), "a page without the mark"


# --- FHIR ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "lang"), CASES, ids=CASE_IDS)
def test_the_fhir_risk_assessment_says_it_in_its_first_note_and_names_the_set(
    name: str, lang: str, tmp_path: Path
) -> None:
    want = expected(name, lang)
    overlay, answers = str(OVERLAYS / name), answers_file(tmp_path)
    bundle = json.loads(output("export", "--fhir", "--rules", overlay, "--answers", answers, "--lang", lang))
    [risk] = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "RiskAssessment"]
    a = assess(STORY, rules=want.rules, lang=lang)
    assert [n["text"] for n in risk["note"]] == [want.warning, a.disclaimer, *a.warnings[1:]]
    assert risk["method"] == {"text": f"kneeguide {want.label}"}


# --- batch -----------------------------------------------------------------------------------------------


BATCHES = [("jsonl", ()), ("jsonl", ("--workers", "2")), ("jsonl", ("--full",)), ("csv", ())]


@pytest.mark.parametrize(("fmt", "options"), BATCHES, ids=["jsonl", "workers", "full", "csv"])
@pytest.mark.parametrize("name", [DISABLED, REWORDED])
def test_every_batch_record_and_the_summary_say_it(
    name: str, fmt: str, options: tuple[str, ...], tmp_path: Path
) -> None:
    want = expected(name, "en")
    builtin = load_rules()
    stories = [{"id": "calm", "age": 40}, {"id": "back", **STORY}, {"id": "bad", "age": "old"}] * 700
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(s) + "\n" for s in stories), encoding="utf-8")
    done = run("batch", str(source), "--rules", str(OVERLAYS / name), "--output-format", fmt, *options)
    assert done.returncode == 2, done.stderr  # the bad records
    summary = [line.removeprefix("kneeguide batch: ") for line in done.stderr.splitlines()]
    disclaimer = want.rules.message("disclaimer", "en")
    assert summary[-3:] == [f"rules: {want.label}", want.warning, disclaimer]
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(done.stdout)))
        assert len(rows) == len(stories)
        assert all(want.warning_id in r["warnings"].split(";") for r in rows if r["ok"] == "true")
        return
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(records) == len(stories)
    for record in (r for r in records if r["ok"]):
        assert record["warnings"][0] == want.warning_id
        assert (record["rules_version"], record["rules_custom"], record["rules_checked_against"]) == (
            VERSION,
            True,
            {"version": builtin.version, "digest": builtin.digest},
        )
        if "--full" in options:
            assert record["assessment"]["rules"]["custom"] is True
            assert record["assessment"]["warnings"][0] == want.warning


# --- rules validate ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [DISABLED, REWORDED])
def test_rules_validate_says_the_set_is_custom_and_what_it_changes(name: str) -> None:
    want = expected(name, "en")
    where = str(OVERLAYS / name)
    done = run("rules", "validate", where)
    assert done.returncode == 0, done.stderr
    rules = want.rules
    size = f"{len(rules.questions)} questions, {len(rules.red_flags)} red flags, {len(rules.causes)} causes"
    changed = [f"{where}: switches off the red flag '{flag}' ({reason})" for flag, reason in rules.disabled]
    changed += [f"{where}: rewords {text} ({reason})" for text, reason in rules.reworded]
    assert done.stderr.splitlines() == [f"{where}: {want.label} is valid ({size})", *changed]


# --- the interview -------------------------------------------------------------------------------------


pty = pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")


@pty
@pytest.mark.parametrize("name", [DISABLED, REWORDED])
def test_the_interview_says_it_before_the_first_question_in_the_emergency_panel_and_in_the_report(
    name: str, tmp_path: Path
) -> None:
    from test_interview_e2e import CAUDA_EQUINA_STORY, Terminal

    want = expected(name, "en")
    term = Terminal(tmp_path, "--rules", str(OVERLAYS / name))
    try:
        end = term.run(CAUDA_EQUINA_STORY)
        assert end.kind == "finish", end.screen[-2000:]  # the emergency panel, then "finish?"
        panel = seen(end.screen)
        term.confirm(False)
        assert term.next_prompt().kind == "offer"
        term.offers()
        assert term.finish() == 0
    finally:
        if term.child.isalive():
            term.child.terminate(force=True)
    first = seen(term.screens[0])
    assert seen(want.heading) in first and seen(want.warning) in first and seen(want.short_label) in first
    assert seen(want.warning) in panel
    report = seen(term.stdout)
    flags = seen(want.rules.message("heading_red_flags", "en"))
    assert report.find(seen(want.warning)) < report.find(flags)


@pty
@pytest.mark.parametrize("columns", [80, 50])
@pytest.mark.parametrize("name", [DISABLED, REWORDED])
def test_the_japanese_interview_says_it_before_the_first_question_and_in_the_report(
    name: str, columns: int, tmp_path: Path
) -> None:
    """The announcement waits on the screen for a key before the interview's opening words
    (which would scroll it away on a small terminal), whole: heading, label and warning."""
    from japanese_scan import FullScreen, Recorder, lay_story
    from screen import TERMINAL_ENV

    want = expected(name, "ja")
    argv = [sys.executable, "-m", "kneeguide", "interview", "--rules", str(OVERLAYS / name)]
    command = " ".join([*argv, "--region", "JP", "--lang", "ja", "> report.txt"])
    env = {
        **TERMINAL_ENV,
        "KNEEGUIDE_DATA_DIR": str(tmp_path / "data"),
        "KNEEGUIDE_CONFIG": str(tmp_path / "config.yaml"),
    }
    term = Recorder(["/bin/sh", "-c", "exec " + command], env=env, columns=columns, cwd=str(tmp_path))
    try:
        FullScreen(want.rules, "lay", lay_story(), tmp_path).run(term)
    finally:
        term.stop()
    screens = [text for _, text in term.screens()]
    waiting = seen(screens[0])  # the screen as it waits for the key
    label = seen(want.short_label)
    wait = seen(want.rules.message("rules_changed_continue", "ja"))
    assert -1 < waiting.find(seen(want.heading)) < waiting.find(label) < waiting.find(seen(want.warning))
    assert waiting.find(seen(want.warning)) < waiting.find(wait)
    intro = seen(want.rules.message("interview_intro", "ja").split("{")[0])
    assert intro not in waiting and intro in seen(screens[1])  # then the interview begins
    assert any(seen(want.warning) in seen(s) and "╭" in s for s in screens)  # the emergency panel's
    report = seen((tmp_path / "report.txt").read_text(encoding="utf-8"))
    flags = seen(want.rules.message("heading_red_flags", "ja"))
    assert -1 < report.find(seen(want.warning)) < report.find(flags)


# --- the built-in rule set shows none of it --------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_built_in_rule_set_announces_nothing_and_is_not_called_custom(lang: str, tmp_path: Path) -> None:
    rules = load_rules()
    assert not rules.custom and rules.checked_against is None
    answers = answers_file(tmp_path)
    heading = seen(rules.message("heading_rules_changed", lang))
    custom = seen(rules.message("rules_custom", lang).split("{")[0])
    label = seen(rules.message("parenthetical", lang).format(text=rules.version, note=rules.digest[:19]))
    texts = [
        output("assess", "--answers", answers, "--lang", lang, "--format", f) for f in ("text", "markdown")
    ]
    texts += [output("note", "--answers", answers, "--lang", lang, "--format", f) for f in ("text", "html")]
    for text in texts:
        shown = seen(visible(text))
        assert heading not in shown and custom not in shown
        assert label[:-1] in shown  # "2026.11.0 (sha256:…" as before
    doc = json.loads(output("assess", "--answers", answers, "--lang", lang, "--format", "json"))
    assert doc["rules"] == {
        "version": rules.version,
        "digest": rules.digest,
        "custom": False,
        "checked_against": None,
        "disabled": [],
        "reworded": [],
    }
    risk = json.loads(output("export", "--fhir", "--answers", answers, "--lang", lang))["entry"][3][
        "resource"
    ]
    assert risk["method"] == {"text": f"kneeguide rules {rules.version} ({rules.digest})"}
    assert risk["note"][0]["text"] == rules.message("disclaimer", lang)
    done = run("batch", "-", stdin=json.dumps(STORY) + "\n")
    [record] = [json.loads(line) for line in done.stdout.splitlines()]
    assert (record["rules_version"], record["rules_custom"], record["rules_checked_against"]) == (
        rules.version,
        False,
        None,
    )
    assert not [line for line in done.stderr.splitlines() if "rules:" in line or "WARNING" in line]


# --- a switched-off red flag these answers would raise --------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_switched_off_red_flag_that_these_answers_would_raise_says_so_at_the_top(
    lang: str, tmp_path: Path
) -> None:
    """ "Switched off" beside "no warning signs found" reads as nothing found: where the
    switched-off flag's own condition holds on the answers, the warning says these answers
    would raise it, at the top and among the warnings (the same id for scripts)."""
    rules = load_rules(OVERLAYS / DISABLED)
    applies = rules.message("warn_disabled_applies", lang).split("{")[0]
    plain = rules.message("warn_disabled", lang).split("{")[0]
    red = {"redness": "yes", "warmth": "yes", "age": 45}
    raised = assess(red, rules=rules, lang=lang, region="JP")
    assert raised.warning_ids[0] == "disabled:cellulitis"
    [top] = raised.announced
    assert top.startswith(applies) and top in raised.warnings
    builtin = assess(red, rules=load_rules(), lang=lang, region="JP")
    assert "cellulitis" in {f.id for f in builtin.red_flags}  # what the built-in set raises here
    quiet = assess({"redness": "no", "age": 45}, rules=rules, lang=lang, region="JP")
    [said] = quiet.announced
    assert said.startswith(plain) and said != top and quiet.warning_ids[0] == "disabled:cellulitis"
    answers = tmp_path / "red.json"
    answers.write_text(json.dumps(red), encoding="utf-8")
    shown = seen(
        output("assess", "--rules", str(OVERLAYS / DISABLED), "--answers", str(answers), "--lang", lang)
    )
    heading = seen(rules.message("heading_rules_changed", lang))
    assert -1 < shown.find(heading) < shown.find(seen(top))
