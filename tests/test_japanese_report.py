"""The Japanese report reads as Japanese software wrote it: its punctuation, its line breaks,
its answers and its point names (issue 15, items 1, 2 and 4, for ``kneeguide assess``).

Code joins texts only through :class:`kneeguide.render.common.Typography`, whose pieces are
messages: English "Why: a; b", "Points 2–6.", "Sprain (possible)"; Japanese 「判断の理由：
a／b」「2〜6点。」「捻挫（可能性あり）」. The terminal report is broken into lines at
phrase boundaries (BudouX), never before closing punctuation (kinsoku), never inside an
ASCII word or number, and every wrapped paragraph keeps its hanging indent. A point is
written as Japanese clinicians write it, 委中（いちゅう）BL40.

These tests render real answer sets (tests/vignettes) for both audiences, with and without
``--details``, at 40, 50 and 80 columns.
"""

from __future__ import annotations

import itertools
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from kneeguide.api import assess, load_rules
from kneeguide.engine import Assessment
from kneeguide.errors import RulesError
from kneeguide.ids import Audience, ReportFormat
from kneeguide.render import render
from kneeguide.render.common import answer_text, point_label, typography
from kneeguide.render.wrap import wrap
from kneeguide.ruleset.model import RuleSet

HERE = Path(__file__).parent
#: A blood clot, a Baker's cyst (burst, and known), knee osteoarthritis, an emergency, and a
#: practitioner's Wells and Ottawa findings.
STORIES = (
    "01_dvt_after_hip_replacement",
    "10_ruptured_bakers_cyst",
    "111_burst_bakers_cyst_crescent_bruise",
    "35_knee_oa_older_woman",
    "26_cauda_equina",
    "79_practitioner_wells_full_likely",
    "25_practitioner_ottawa_fibular_head",
)
WIDTHS = (40, 50, 80)

#: What never starts a line in Japanese (JIS X 4051): closing brackets and stops, the middle
#: dot, the prolonged sound mark, iteration marks, small kana; and the Western closing marks.
NO_LINE_START = tuple(
    "、。，．・：；？！）」』】〕〉》］｝〜ーゝゞヽヾ々ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ,.;:)]}%"
)
#: The frame of a terminal report's panels.
FRAME = "│╭╮╰╯─"
#: Japanese characters: kana, ideographs, CJK punctuation and full-width forms.
JA = "\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
#: An ASCII word or number as it is written whole.
TOKEN = re.compile(r"[A-Za-z0-9]+(?:[.,:/-][A-Za-z0-9]+)*%?")
#: Lowercase words Japanese clinical writing keeps: the program's name, an eponym, units.
KEPT_WORDS = {"kneeguide", "Wells", "cm", "mm", "kg", "details", "Cochrane"}


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return load_rules()


@cache
def answers(story: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((HERE / "vignettes" / f"{story}.yaml").read_text(encoding="utf-8"))
    return data["answers"]


def assessment(rules: RuleSet, story: str, audience: Audience, lang: str = "ja") -> Assessment:
    return assess(answers(story), rules=rules, lang=lang, region="JP", audience=audience)


def terminal(rules: RuleSet, story: str, audience: Audience, width: int, details: bool) -> str:
    a = assessment(rules, story, audience)
    return render(ReportFormat.TEXT, a, rules, width=width, details=details)


def markdown(rules: RuleSet, story: str, audience: Audience) -> str:
    a = assessment(rules, story, audience)
    return render(ReportFormat.MARKDOWN, a, rules, details=True)


def rows(text: str) -> list[str]:
    """The report's rows as read: without the panels' frames, the indent kept."""
    return [row.rstrip(FRAME + " ").lstrip("│╭╰") for row in text.splitlines()]


def every_report(rules: RuleSet) -> list[tuple[str, str, str]]:
    """(name, terminal text, the same report in Markdown, unwrapped) for every combination."""
    out = []
    for story in STORIES:
        for audience in Audience:
            whole = markdown(rules, story, audience)
            for width in WIDTHS:
                for details in (False, True):
                    name = f"{story} {audience.id} {width} cols{' details' if details else ''}"
                    out.append((name, terminal(rules, story, audience, width, details), whole))
    return out


@cache
def reports() -> list[tuple[str, str, str]]:
    return every_report(load_rules())


# --- line breaking -------------------------------------------------------------------------------


def test_no_line_starts_with_closing_punctuation() -> None:
    for name, text, _ in reports():
        for row in rows(text):
            assert not row.strip().startswith(NO_LINE_START), f"{name}: {row!r}"


def test_no_line_ends_with_an_opening_bracket() -> None:
    for name, text, _ in reports():
        for row in rows(text):
            assert not row.rstrip().endswith(("（", "「", "【", "(", "[")), f"{name}: {row!r}"


def test_no_ascii_word_or_number_is_cut_across_lines() -> None:
    """ "Well" / "sスコア", "10" / ",000件", "9" / "5%": a row ending in an ASCII word or
    number whose whole (in the unwrapped Markdown) goes on at the start of the next row."""
    for name, text, whole in reports():
        lines = [row.strip() for row in rows(text)]
        for before, after in itertools.pairwise(lines):
            tail = re.search(r"[A-Za-z0-9]+$", before)
            head = re.match(r"[A-Za-z0-9]+|[,.%][0-9%]*", after)
            if not (tail and head) or re.fullmatch(r"[0-9a-f]{8,}", tail.group() + head.group()):
                continue  # nothing cut, or a digest, which is longer than a line
            joined = tail.group() + head.group()
            cut = re.search(rf"(?<![A-Za-z0-9]){re.escape(joined)}", whole)
            spaced = re.search(rf"{re.escape(tail.group())}\s+{re.escape(head.group())}", whole)
            assert not cut or spaced, f"{name}: {before!r} / {after!r}"


def test_a_number_stays_with_its_unit_and_counter() -> None:
    """「20,827」 / 「例」, "10" / "cm": a row ending in a number whose unit or counter (in
    the unwrapped Markdown) opens the next row."""
    for name, text, whole in reports():
        lines = [row.strip() for row in rows(text)]
        for before, after in itertools.pairwise(lines):
            number = re.search(r"[0-9][0-9,.]*$", before)
            unit = re.match(rf"(?:cm|°C|SD|%|[{JA}])", after)
            if number and unit and unit.group() not in "（「【":
                joined = re.escape(number.group()) + r" ?" + re.escape(unit.group())
                assert not re.search(joined, whole), f"{name}: {before!r} / {after!r}"


def test_no_mark_stands_alone_on_its_line() -> None:
    for name, text, _ in reports():
        for row in rows(text):
            assert row.strip() not in ("•", "»", "+", "-", "・"), f"{name}: {row!r}"


@pytest.mark.parametrize("width", WIDTHS)
def test_a_wrapped_paragraph_keeps_its_hanging_indent(rules: RuleSet, width: int) -> None:
    """Every line after the first of a long paragraph starts under its text, never at the
    mark and never at column 0: a warning (•), the action at the end (»), a reason (+),
    and the evidence after its mark 【根拠不十分】."""
    long = "左右差のある腫れ、痛み、熱感があり、歩くと悪化します。" * 6  # its start is found nowhere else
    a = assessment(rules, "35_knee_oa_older_woman", Audience.LAY)
    cause = a.likely_causes[0]
    reason = cause.reasons_for[0]._replace(text=long)
    evidence = a.acupuncture.evidence[0]._replace(position="insufficient", claim=long, source="NICE NG226")
    a = a._replace(
        warnings=(long,),
        triage=a.triage._replace(headline=long),
        likely_causes=(cause._replace(reasons_for=(reason,)), *a.likely_causes[1:]),
        acupuncture=a.acupuncture._replace(evidence=(evidence,)),
    )
    text = render(ReportFormat.TEXT, a, rules, width=width, details=True)
    lines = text.splitlines()
    m = typography(rules, "ja")
    for mark, indent in (("  • ", 4), ("» ", 2), ("    + ", 6), ("    " + m.bracket("根拠不十分"), None)):
        start = next(i for i, line in enumerate(lines) if line.startswith(mark) and long[:6] in line)
        hang = indent if indent is not None else len(mark) + mark.count("根拠不十分") * 5 + 2
        body = []
        for line in lines[start + 1 :]:
            if not line.strip() or not line.startswith(" " * hang) or line[hang] == " ":
                break
            body.append(line)
        assert len(body) >= 2, f"{mark!r} at {width}: {lines[start : start + 4]}"
        assert long[-12:] in "".join(line.strip() for line in [lines[start], *body])


@pytest.mark.parametrize(
    ("text", "whole"),
    [
        ("深部静脈血栓症のWellsスコアは4点です。" * 3, "Wellsスコア"),
        ("英国の調査では約10,000件あたり約14件でした。" * 3, "10,000件"),
        ("信頼上限は95%信頼区間で示しました。" * 3, "95%信頼"),
        ("効果は2012年の解析と12か月時点で持続した。" * 3, "12か月"),
        ("約0.2 SDにとどまった（2012年解析の変形性関節症では、" * 3, "2012年"),
        ("膝の軟骨がすり減って起こる関節症 (可能性あり)" * 3, "(可能性あり)"),
        ("健側より3 cm以上大きい下腿腫脹（脛骨粗面の10 cm下で測定）" * 3, "10 cm下"),
        ("該当所見：サドル領域のしびれ：はい／新たな膀胱直腸障害：はい／両下肢の症状：はい", "はい"),
    ],
)
@pytest.mark.parametrize("width", range(12, 41))
def test_a_word_number_or_answer_is_never_broken_inside(text: str, whole: str, width: int) -> None:
    lines = wrap(text, width)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    for before, after in itertools.pairwise(lines):
        for cut in range(1, len(whole)):
            if before.endswith(whole[:cut]) and after.startswith(whole[cut:].lstrip()):
                raise AssertionError(f"{whole!r} cut at {width}: {before!r} / {after!r}")


# --- punctuation and words -------------------------------------------------------------------------

#: Kana and ideographs (not punctuation).
LETTERS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
#: A range of numbers; not a phone number (03-3212-2323) nor a page range after a colon.
RANGE = r"(?<![\d.,:\-–])\d+(?:\.\d+)? ?[–-] ?\d+(?:\.\d+)?(?![\d\-–])"
#: Western punctuation doing a Japanese job: ", " "; " ": " after a Japanese character, half-width
#: parentheses against Japanese text, a range written 2–6 next to Japanese.
WESTERN = [
    re.compile(rf"[{JA}][,;:] ?"),
    re.compile(rf"[{JA}] ?\(|\) ?[{JA}]|\([{JA}]|[{JA}]\)"),
    re.compile(rf"[{LETTERS}]{RANGE}|{RANGE}[{LETTERS}]"),
]


@pytest.mark.parametrize("story", STORIES)
@pytest.mark.parametrize("audience", list(Audience), ids=lambda a: a.id)
def test_code_joins_japanese_with_japanese_punctuation(
    rules: RuleSet, story: str, audience: Audience
) -> None:
    a = assessment(rules, story, audience)
    texts = {
        "markdown": render(ReportFormat.MARKDOWN, a, rules, details=True),
        "text": render(ReportFormat.TEXT, a, rules, width=200, details=True),
        "json": "\n".join(_json_texts(json.loads(render(ReportFormat.JSON, a, rules)))),
    }
    for fmt, text in texts.items():
        text = re.sub(r"sha256:[0-9a-f]+", "", text)
        for pattern in WESTERN:
            found = [text[max(m.start() - 12, 0) : m.end() + 8] for m in pattern.finditer(text)]
            assert not found, f"{fmt}: {found}"


def _json_texts(data: Any) -> list[str]:
    if isinstance(data, dict):
        return [
            t for k, v in data.items() if k not in ("source", "ja_reading", "name") for t in _json_texts(v)
        ]
    if isinstance(data, list):
        return [t for v in data for t in _json_texts(v)]
    return [data] if isinstance(data, str) else []


@pytest.mark.parametrize("story", STORIES)
@pytest.mark.parametrize("audience", list(Audience), ids=lambda a: a.id)
def test_no_english_word_in_the_japanese_report(rules: RuleSet, story: str, audience: Audience) -> None:
    """Not an answer value ("unsure"), a marker ("for"), a unit ("days") nor a point's
    romanised reading: lowercase ASCII words are the program's name, an eponym and units
    only. (The evidence's sources are citations of English papers: the details are left out.)"""
    for width in (40, 80):
        text = terminal(rules, story, audience, width, details=False)
        text = re.sub(r"sha256:[0-9a-f]+|--details", "", text)
        words = {w for w in re.findall(r"[A-Za-zāīūēō]+", text) if not w.isupper()}
        assert words <= KEPT_WORDS, words - KEPT_WORDS


# --- answers, units, point names ---------------------------------------------------------------------


def test_every_answer_is_shown_in_the_readers_language(rules: RuleSet) -> None:
    a = assess(
        {"morning_stiffness_minutes": "unsure", "onset": "unsure", "calf_pain": "unsure", "age": 50},
        rules=rules,
        lang="ja",
        region="JP",
    )
    for qid in ("morning_stiffness_minutes", "onset", "calf_pain"):
        assert answer_text(a, rules, qid) == rules.message("answer_unsure", "ja") == "わからない"
    assert answer_text(a, rules, "age") == "50歳"
    report = render(ReportFormat.TEXT, a, rules, details=True)
    assert "朝のこわばり：わからない" in report and "unsure" not in report


@pytest.mark.parametrize(
    ("days", "en", "ja"), [(1, "Duration: 1 day", "持続期間：1日"), (3, "Duration: 3 days", "持続期間：3日")]
)
def test_a_number_is_written_with_its_unit(rules: RuleSet, days: int, en: str, ja: str) -> None:
    for lang, expected in (("en", en), ("ja", ja)):
        a = assess({"duration_days": days}, rules=rules, lang=lang, region="JP")
        assert expected in render(ReportFormat.MARKDOWN, a, rules, details=True)


@pytest.mark.parametrize(
    ("method", "args", "en", "ja"),
    [
        ("label", ("Why", "x"), "Why: x", "Why：x"),
        ("label", ("Evidence",), "Evidence:", "Evidence："),
        ("paren", ("x", "y"), "x (y)", "x（y）"),
        ("tag", ("x", "y"), "x [y]", "x【y】"),
        ("bracket", ("y",), "[y]", "【y】"),
        ("because", ("x", "y"), "x: y", "x（y）"),
        ("span", (2, 6), "2–6", "2〜6"),
        ("span", (4, 4), "4", "4"),
        ("points", (2, 6.5), "Points 2–6.5", "2〜6.5点"),
        ("sentence", ("x",), "x.", "x。"),
        ("sentence", ("x。",), "x。", "x。"),
        ("sentences", ("A.", "B.", ""), "A. B.", "A.B."),
        ("quantity", (1, "days"), "1 day", "1day"),
        ("quantity", (1, "日"), "1 日", "1日"),
        ("quantity", (2.5, "cm"), "2.5 cm", "2.5cm"),
        ("items", (["a", "b"],), "a, b", "a、b"),
        ("phrases", (["a", "b"],), "a; b", "a／b"),
        ("inline", (["a", "b"],), "a · b", "a／b"),
    ],
)
def test_each_language_joins_texts_its_own_way(
    rules: RuleSet, method: str, args: tuple[Any, ...], en: str, ja: str
) -> None:
    """The punctuation code puts between texts, from the messages (English text is given
    to the Japanese joiners too, to show the punctuation alone)."""
    assert getattr(typography(rules, "en"), method)(*args) == en
    assert getattr(typography(rules, "ja"), method)(*args) == ja


def test_a_point_is_named_as_its_readers_write_it(rules: RuleSet) -> None:
    a = assessment(rules, "35_knee_oa_older_woman", Audience.LAY)
    bl40 = next(p for p in a.acupuncture.points if p.code == "BL40")
    assert point_label(bl40, rules, "ja") == "委中（いちゅう）BL40"
    assert point_label(bl40, rules, "ja", short=True) == "委中（いちゅう）BL40"
    assert point_label(bl40, rules, "en") == "BL40 Weizhong 委中 (Ichū)"
    assert point_label(bl40, rules, "en", short=True) == "BL40"
    for audience in Audience:
        report = render(
            ReportFormat.TEXT,
            assessment(rules, "35_knee_oa_older_woman", audience),
            rules,
            width=200,
            details=True,
        )
        assert "委中（いちゅう）BL40：" in report
        assert not {"Ichū", "Weizhong", "Ashi points"} & set(re.findall(r"[A-Za-zū]+(?: points)?", report))


def test_every_point_has_a_hiragana_reading_in_the_json(rules: RuleSet) -> None:
    a = assessment(rules, "35_knee_oa_older_woman", Audience.LAY)
    points = json.loads(render(ReportFormat.JSON, a, rules))["acupuncture"]["points"]
    assert points and all(re.fullmatch("[ぁ-ゟー]+", p["kana"]) and p["ja_reading"] for p in points)
    assert {p.code: p.kana for p in rules.acupuncture.points}["GB34"] == "ようりょうせん"


def test_a_reading_in_romaji_is_refused_where_kana_are_expected(rules_copy: Path) -> None:
    path = rules_copy / "acupuncture.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("kana: いちゅう", "kana: Ichū", 1), encoding="utf-8"
    )
    with pytest.raises(RulesError, match=r"acupuncture.yaml:\d+.*kana 'Ichū' is not hiragana"):
        load_rules(rules_copy)


@settings(max_examples=300, deadline=None, database=None)
@given(
    text=st.text(alphabet="（）「」、。ーッュャァィ文献レビアイウkneguid0123", min_size=1, max_size=60),
    width=st.integers(10, 40),
)
def test_no_wrapped_line_starts_with_a_mark_kinsoku_forbids_there(text: str, width: int) -> None:
    """Whatever the text and width (a phrase wider than the line included, whose cut must
    carry back past a run of small kana and long marks: 「レ|ビュー」, never 「ビ|ュー」), as long
    as kinsoku can be kept at all: written text has at most three such marks (or opening
    brackets) in a row, and
    a line is at least 10 columns (a report is never narrower than 40)."""
    from kneeguide.render.phrases import NO_END, NO_START

    for marks in (NO_START, NO_END):
        assume(not re.search(f"[{re.escape(''.join(marks))}]{{4,}}", text))

    lines = wrap(text, width)
    for before, line in itertools.pairwise(lines):
        if line and before and len(before.rstrip()) > 1:
            assert line[0] not in NO_START or all(ch in NO_START for ch in before.strip()), (lines, width)


@pytest.mark.parametrize("width", [40, 50, 80])
@pytest.mark.parametrize("story", ["20_compartment_after_blow", "26_cauda_equina", "09_pe_with_swollen_calf"])
def test_the_emergency_panel_breaks_between_phrases(rules: RuleSet, story: str, width: int) -> None:
    """The panel the interview shows the moment an emergency is certain: wrapped like the
    report (「カ|ッピング」 or a line starting 「ったり」 was rich cutting by cell)."""
    from kneeguide.render.text import emergency_panel

    a = assessment(rules, story, Audience.LAY)
    assert a.triage.level.id == "emergency"
    panel = emergency_panel(a, rules, width=width)
    assert max(len(row) for row in panel.splitlines()) <= width
    whole = re.sub(r"[\s│╭╮╰╯─]", "", panel)
    for row in rows(panel):
        assert not row.strip().startswith(NO_LINE_START), f"{width} cols: {row!r}\n{panel}"
    for token in TOKEN.findall(a.triage.action):
        assert token in whole
