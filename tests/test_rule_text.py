"""Rule text is data, never terminal control (issue 18, item 4).

Every string of every rule file (keys included) and every translation in a catalogue is
checked once, on the loaded documents: a control character other than the newline (the
tab included), an invisible format character (the bidirectional embeddings, overrides,
isolates and marks of "Trojan Source", zero-width characters, a BOM inside text, tag
characters) or a line or paragraph separator is a load error naming ``file:line(:col)``,
the text's id and the character, for the built-in and custom rule sets alike. The
command then exits 2 with one line per problem and writes nothing raw to the terminal.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from command import run

from kneeguide.errors import RulesError
from kneeguide.ruleset.build.checks import text_problems
from kneeguide.ruleset.build.parse import parse_files
from kneeguide.ruleset.characters import character_name, disguising, escaped
from kneeguide.ruleset.files import builtin_rules, read_files
from kneeguide.ruleset.load import load_rules
from kneeguide.ruleset.yamlio import parse

OVERLAYS = Path(__file__).parent / "inputs" / "overlays"
ROOT = Path(__file__).resolve().parents[1]

#: overlay → the one line ``kneeguide`` prints for it (after ``kneeguide: ``), run from the repository
REFUSED = {
    "title_clears_screen": "tests/inputs/overlays/title_clears_screen/red_flags.yaml:4:5: "
    "red_flags.clinic_night_sweats.title holds U+001B ESCAPE: rule text is shown as written and must hold "
    "no control or invisible formatting character (it would act on the terminal or disguise the text); "
    'remove it: "\\x1b[2JNight sweats"',
    "title_right_to_left_override": "tests/inputs/overlays/title_right_to_left_override/red_flags.yaml:5:5: "
    "red_flags.clinic_night_sweats.title holds U+202E RIGHT-TO-LEFT OVERRIDE, U+202C POP DIRECTIONAL "
    "FORMATTING: rule text is shown as written and must hold no control or invisible formatting character "
    '(it would act on the terminal or disguise the text); remove them: "Night sweats \\u202eeruces\\u202c"',
    "translation_clears_screen": "tests/inputs/overlays/translation_clears_screen/locale/ja/red_flags.po:6: "
    "the 'ja' translation of red_flags.dvt.title holds U+001B ESCAPE: rule text is shown as written and must "
    "hold no control or invisible formatting character (it would act on the terminal or disguise the text); "
    'remove it: "\\x1b[2J脚の深い静脈の血栓（深部静脈血栓症）の可能性"',
}

#: what a terminal would act on, or show reversed, if it were written raw
RAW = ("\x1b", "\x9b", "\u202e", "\u202c", "\r")


@pytest.mark.parametrize("overlay", sorted(REFUSED))
@pytest.mark.parametrize(
    "command",
    [
        ("assess", "--rules", "{dir}", "-a", "fever=yes", "-a", "calf_swelling=yes"),
        ("rules", "validate", "{dir}"),
    ],
    ids=["assess", "rules validate"],
)
def test_a_control_character_in_rule_text_is_a_load_error_of_one_line(
    overlay: str, command: tuple[str, ...]
) -> None:
    directory = f"tests/inputs/overlays/{overlay}"
    done = run(*(word.format(dir=directory) for word in command), cwd=ROOT)
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    assert done.stderr.splitlines() == ["kneeguide: " + REFUSED[overlay]]
    assert not any(ch in done.stderr + done.stdout for ch in RAW), "nothing raw reaches the terminal"
    assert "Traceback" not in done.stderr


def test_the_overlays_hold_what_their_names_say() -> None:
    """The faults are real: the YAML escape yields ESC, the file holds U+202E raw, the
    catalogue holds the ESC byte raw (a test that passed on a file without them proves nothing)."""
    title = parse((OVERLAYS / "title_clears_screen" / "red_flags.yaml").read_text(), "r.yaml")
    assert title["red_flags"][0]["title"].startswith("\x1b[2J")
    assert "\u202e" in (OVERLAYS / "title_right_to_left_override" / "red_flags.yaml").read_text("utf-8")
    assert (
        b"\x1b[2J" in (OVERLAYS / "translation_clears_screen" / "locale" / "ja" / "red_flags.po").read_bytes()
    )


def test_a_raw_escape_byte_is_refused_by_the_yaml_reader_already(tmp_path: Path) -> None:
    """YAML itself refuses a raw C0 or C1 character (not the tab); written raw, ESC never
    reaches the text check, and the line is escaped all the same."""
    (tmp_path / "red_flags.yaml").write_text(
        'red_flags:\n  - id: x\n    title: "\x1b[2Jx"\n', encoding="utf-8"
    )
    done = run("rules", "validate", str(tmp_path))
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        f"kneeguide: {tmp_path}/red_flags.yaml:3:13: "
        "character U+001B ESCAPE is not allowed here: text is data, never terminal control "
        "(a binary or damaged file?)"
    ]


def test_the_built_in_rule_set_holds_no_refused_character() -> None:
    """The same check holds the built-in rules to it: every file, every catalogue."""
    files = read_files(builtin_rules())
    docs = parse_files(files)  # raises on any problem, the text check included
    assert [p for name, doc in docs.items() for p in text_problems(doc, name)] == []
    load_rules(use_cache=False)  # and the catalogues (checked as the build reads them)


def test_a_complete_rule_set_is_held_to_it_as_an_overlay_is(rules_copy: Path) -> None:
    """A copy of every built-in file goes the way the built-in set goes (no overlay merge)."""
    questions = rules_copy / "questions.yaml"
    questions.write_text(
        questions.read_text().replace(
            'clinical: "Calf swelling"', 'clinical: "Calf \\u2066swelling\\u2069"', 1
        )
    )
    with pytest.raises(RulesError) as info:
        load_rules(rules_copy, use_cache=False)
    assert info.value.lines() == [
        f"{questions}:434:5: questions.calf_swelling.clinical holds U+2066 LEFT-TO-RIGHT ISOLATE, U+2069 POP "
        "DIRECTIONAL ISOLATE: rule text is shown as written and must hold no control or invisible formatting "
        "character (it would act on the terminal or disguise the text); remove them: "
        '"Calf \\u2066swelling\\u2069"'
    ]


# -- which characters, and why ---------------------------------------------------------------

REFUSED_CHARACTERS = {
    "\x1b": "U+001B ESCAPE",  # starts terminal sequences: clear, move, rewrite, clipboard
    "\x9b": "U+009B CONTROL SEQUENCE INTRODUCER",  # the one-byte C1 form of ESC [
    "\x9d": "U+009D OPERATING SYSTEM COMMAND",  # window titles, clipboard (OSC 52)
    "\x07": "U+0007 BELL",
    "\x08": "U+0008 BACKSPACE",  # overwrites what was shown
    "\r": "U+000D CARRIAGE RETURN",  # overwrites the line
    "\t": "U+0009 CHARACTER TABULATION",  # lines up differently in every output: the writer meant a space
    "\x0b": "U+000B LINE TABULATION",
    "\x0c": "U+000C FORM FEED",
    "\x85": "U+0085 NEXT LINE",
    "\x00": "U+0000 NULL",
    "\x7f": "U+007F DELETE",
    "\u202a": "U+202A LEFT-TO-RIGHT EMBEDDING",
    "\u202b": "U+202B RIGHT-TO-LEFT EMBEDDING",
    "\u202c": "U+202C POP DIRECTIONAL FORMATTING",
    "\u202d": "U+202D LEFT-TO-RIGHT OVERRIDE",
    "\u202e": "U+202E RIGHT-TO-LEFT OVERRIDE",
    "\u2066": "U+2066 LEFT-TO-RIGHT ISOLATE",
    "\u2067": "U+2067 RIGHT-TO-LEFT ISOLATE",
    "\u2068": "U+2068 FIRST STRONG ISOLATE",
    "\u2069": "U+2069 POP DIRECTIONAL ISOLATE",
    "\u200e": "U+200E LEFT-TO-RIGHT MARK",
    "\u200f": "U+200F RIGHT-TO-LEFT MARK",
    "\u061c": "U+061C ARABIC LETTER MARK",
    "\u200b": "U+200B ZERO WIDTH SPACE",  # hides between letters: "dvt" and "d\u200bvt" look alike
    "\u200d": "U+200D ZERO WIDTH JOINER",
    "\u2060": "U+2060 WORD JOINER",
    "\ufeff": "U+FEFF ZERO WIDTH NO-BREAK SPACE",  # a BOM inside text
    "\u00ad": "U+00AD SOFT HYPHEN",
    "\U000e0041": "U+E0041 TAG LATIN CAPITAL LETTER A",  # tag characters carry hidden text
    "\u2028": "U+2028 LINE SEPARATOR",  # a line break some readers honour and others ignore
    "\u2029": "U+2029 PARAGRAPH SEPARATOR",
}

ALLOWED = {
    "a newline": "Call 119.\nDo not drive.",
    "Japanese": "今すぐ救急車を呼んでください。",
    "the ideographic space": "脚の\u3000腫れ",
    "a no-break space": "NHS\u00a0111",
    "a variation selector (a kanji's form)": "葛\U000e0100城",
    "private use (a glyph or a box)": "\ue000",
}


@pytest.mark.parametrize("ch", list(REFUSED_CHARACTERS), ids=list(REFUSED_CHARACTERS.values()))
def test_each_refused_character_is_named(ch: str) -> None:
    text = f"Night{ch} sweats"
    assert disguising(text) == (ch,)
    assert character_name(ch) == REFUSED_CHARACTERS[ch]
    assert escaped(text).isprintable(), "the message shows it as an escape"


@pytest.mark.parametrize("text", list(ALLOWED.values()), ids=list(ALLOWED))
def test_text_that_disguises_nothing_is_allowed(text: str) -> None:
    assert disguising(text) == ()


def test_a_lone_surrogate_is_refused() -> None:
    """libyaml refuses the escape already; the check would refuse it from any other reader."""
    assert disguising("x\ud800") == ("\ud800",)
    assert character_name("\ud800") == "U+D800 a lone surrogate"


# -- every string, once, with where it is --------------------------------------------------


def problems_of(yaml_text: str, name: str = "messages.yaml") -> list[str]:
    return [str(p) for p in text_problems(parse(yaml_text, name), name)]


def test_every_string_is_checked_keys_ids_and_list_items_too() -> None:
    found = problems_of(
        "messages:\n"
        '  "heading\\u202e": "Warnings"\n'
        '  heading_causes: "Causes\\t(likely)"\n'
        "tests:\n"
        '  - name: "x"\n'
        '    answers: {side: "le\\u200bft"}\n'
        '    fires: [dvt, "d\\u200dvt"]\n'
    )
    assert [line.split(" holds ")[0] for line in found] == [
        "messages.yaml:2:3: the key 'heading\\u202e' of messages",
        "messages.yaml:3:3: messages.heading_causes",
        "messages.yaml:6:15: messages.tests.0.answers.side",
        "messages.yaml:7:18: messages.tests.0.fires.1",
    ]


def test_one_problem_per_string_naming_each_character_once() -> None:
    (line,) = problems_of('messages:\n  x: "\\e[2J\\e[H\\u202eboth"\n')
    assert " holds U+001B ESCAPE, U+202E RIGHT-TO-LEFT OVERRIDE: " in line
    assert line.endswith('remove them: "\\x1b[2J\\x1b[H\\u202eboth"')


def test_a_long_text_is_shown_short() -> None:
    (line,) = problems_of(f'messages:\n  x: "\\e{"x" * 200}"\n')
    assert line.endswith('"\\x1b' + "x" * 55 + '…"')


def test_problems_of_every_file_are_reported_together(tmp_path: Path) -> None:
    (tmp_path / "ruleset.yaml").write_text('languages: [en]\ntitle: "Clinic\\e]0;pwned\\a"\n')
    (tmp_path / "messages.yaml").write_text('messages:\n  heading_warnings: "\\u202eImportant"\n')
    with pytest.raises(RulesError) as info:
        load_rules(tmp_path, use_cache=False)
    lines = info.value.lines()
    assert len(lines) == 2
    assert lines[0].startswith(f"{tmp_path}/ruleset.yaml:2:1: ruleset.title holds U+001B ESCAPE, U+0007 BELL")
    assert lines[1].startswith(f"{tmp_path}/messages.yaml:2:3: messages.heading_warnings holds U+202E")
