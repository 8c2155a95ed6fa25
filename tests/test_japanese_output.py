"""Every Japanese output reads as Japanese software (issue 15).

The scan (tests/japanese.py) looks for English words outside the codes Japanese clinical
writing keeps (DVT, BL40, Wells, cm), Western punctuation doing a Japanese job (「理由: A,
B」, half-width parentheses, 2–6 for 2〜6), lines that start with 、。」） and words or
numbers cut across lines. Each output family is one test: the report (text at 40 and 80
columns, Markdown, the texts of the JSON), the referral letter (text, Markdown, HTML), and
the interview on a real pseudo-terminal (every screen, at 50 and 80 columns, lay and
practitioner, with --plain, and stopped with Ctrl-C). A failure lists every hit: what,
on which line, in which output. ``python tests/japanese_scan.py --show`` prints the same.

The first tests pin down the scanner itself, so that "no hits" means something.
"""

from __future__ import annotations

import sys
from functools import cache

import pytest
from japanese import scan, summary
from japanese_scan import FAMILIES, Output, flat

from kneeguide.api import load_rules

# --- the scanner ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("? 当てはまるものを選んでください (Use arrow keys)", "english"),
        ("  done (3 selections)", "english"),
        ("朝のこわばり：unsure", "english"),
        ("推奨の文言（recommendation wording to verify）", "english"),
        ("委中（Ichū）", "english"),
        ("理由: ふくらはぎの腫脹", "punctuation"),
        ("血栓の可能性; 肺塞栓症", "punctuation"),
        ("膝の痛み, 腫れ", "punctuation"),
        ("点数 2–6。", "punctuation"),
        ("血栓 (可能性が高い)", "punctuation"),
        ("痛みがあります\n。次の質問", "kinsoku"),
        ("救急車を呼ぶべきかは\n」と答えて", "kinsoku"),
        ("カ\nッピング", "kinsoku"),
        ("膝の関節症 （\n可能性あり）", "kinsoku"),
        ("  •\n    ふくらはぎの腫れ", "split"),
        ("20,827例のうち10\n,000件あたり", "split"),
        ("約9\n5%", "split"),
    ],
)
def test_the_scan_finds(text: str, category: str) -> None:
    hits = scan(text, vocabulary={"Wells"})
    assert summary(hits)[category] > 0, f"{text!r}: {hits}"


def test_the_scan_finds_a_word_cut_at_the_line_end_but_not_two_words_broken_at_their_space() -> None:
    assert summary(scan("深部静脈血栓症のWell\nsスコア", vocabulary={"Wells", "Arch"}))["split"] == 1
    assert (
        summary(scan("(Vickers et al. 2012, Arch\nIntern Med)", vocabulary={"Arch", "Intern"}))["split"] == 0
    )


@pytest.mark.parametrize(
    "text",
    [
        "BL40 委中（いちゅう）、DVT、D-dimer、MRI、CT、Wellsスコア 4点、10 cm、60 kg",
        "ルール：2026.11.0（sha256:5b2f31392488ed1f6280de4822259bdd2a20dfabe8b2525b2a54e255ccd46817）",
        "再開するには：\n  kneeguide interview --resume /home/a/.local/share/kneeguide/sessions/x.json",
        "詳細は --details を付けてください。https://example.org/a?b=c を参照。",
        "鍼は疼痛を減少させた（Vickers et al. 2012, Arch Intern Med; J Pain 19:455-74）。",
        "# 参考文献\n\n- Wells PS et al. Evaluation of D-dimer in suspected deep-vein thrombosis. 2003",
        "〒132-0031 東京都江戸川区松島1-21-14　電話 03-0000-0000　info@clinic.example",
        "当てはまるものをスペースキーで選び、Enterキーを押してください。",
    ],
)
def test_the_scan_keeps_what_japanese_writing_keeps(text: str) -> None:
    assert scan(text) == []


def test_the_projects_own_sources_are_ours_to_translate() -> None:
    entry = "## 参考文献\n\n- kneeguide authors: design principles (red flags first)"
    assert summary(scan(entry))["english"] == 1


# --- the outputs -------------------------------------------------------------------------------


@cache
def gathered(group: str) -> list[Output]:
    """The outputs of one group (assess, note, interview), gathered once for the session:
    the commands in-process, the interviews side by side."""
    return list(FAMILIES[group]())


def outputs(family: str) -> list[Output]:
    return [o for o in gathered(family.split("-")[0]) if o.family == family]


def listed(outputs: list[Output], limit: int = 400) -> str:
    """The hits of ``outputs``, each under the output it is in (at most ``limit`` lines)."""
    lines: list[str] = []
    total = 0
    for output in outputs:
        hits = output.hits
        total += len(hits)
        if hits:
            lines.append(f"{output.name}: {len(hits)} hits")
            lines += [f"  {hit}" for hit in hits]
    shown = lines[:limit]
    if len(lines) > limit:
        shown.append(f"... {len(lines) - limit} more lines: python tests/japanese_scan.py --show")
    return f"{total} hits\n" + "\n".join(shown)


REPORTS = ("assess-text", "assess-markdown", "assess-json")
NOTES = ("note-text", "note-markdown", "note-html")
INTERVIEWS = ("interview-50", "interview-80", "interview-plain", "interview-stopped")


@pytest.mark.parametrize("family", [*REPORTS, *NOTES])
def test_every_report_and_letter_is_japanese_throughout(family: str) -> None:
    found = outputs(family)
    assert found and all(o.text.strip() for o in found), f"nothing gathered for {family}"
    hits = [hit for output in found for hit in output.hits]
    assert not hits, listed(found)


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
@pytest.mark.parametrize("family", INTERVIEWS)
def test_every_interview_screen_is_japanese_throughout(family: str) -> None:
    rules = load_rules()
    found = outputs(family)
    assert found, f"no interview for {family}"
    for output in found:  # the driver went all the way: an empty screen has no hits
        if family == "interview-stopped":
            assert "interview--resume" in flat(output.text).replace("\\", ""), output.text[-2000:]
        else:
            assert flat(rules.message("offer_note", "ja")) in flat(output.text), output.text[-2000:]
    hits = [hit for output in found for hit in output.hits]
    assert not hits, listed(found)


def test_a_path_wider_than_the_terminal_is_cut_where_it_must_be_not_split() -> None:
    """The resume hint's session path is longer than an 80-column row: the terminal cuts it
    at the edge, which is no broken word; a word cut at a line end still is."""
    path_rows = "再開するには：\n    /tmp/a/data/sessions/2\n0261201-114329.json"
    assert [h for h in scan(path_rows) if h.category == "split"] == []
    word_rows = "深部静脈血栓症のWell\nsスコアは4点です。"
    assert [h.found for h in scan(word_rows, vocabulary={"Wells"}) if h.category == "split"] == ["Well⏎s"]
