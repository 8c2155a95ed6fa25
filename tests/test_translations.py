"""Translations are gettext catalogues keyed by a text's stable id, with a review state.

A rule's English can be reworded without losing its Japanese, two texts that happen
to share English keep their own translations, only reviewed translations reach a
reader, and a language can be added part by part: what is not yet translated is
shown in English, and every output in that language says so.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kneeguide.api import as_dict, assess
from kneeguide.authoring.strings import orphans, string_rows, updated_catalogues
from kneeguide.errors import RulesError
from kneeguide.ruleset.files import builtin_rules
from kneeguide.ruleset.load import load_rules
from kneeguide.ruleset.model import pick

#: a Baker's cyst with knee arthritis: causes to name, no red flag
BAKERS_CYST = Path(__file__).parent / "vignettes" / "36_bakers_cyst_with_oa.yaml"


def bakers_cyst() -> dict[str, object]:
    import yaml

    answers: dict[str, object] = yaml.safe_load(BAKERS_CYST.read_text(encoding="utf-8"))["answers"]
    return answers


def kneeguide(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kneeguide", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        env={"KNEEGUIDE_NO_CACHE": "1", "PATH": "/usr/bin:/bin", "HOME": str(cwd or Path.cwd())},
    )


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def problems(directory: Path) -> list[str]:
    with pytest.raises(RulesError) as info:
        load_rules(directory, use_cache=False)
    return info.value.lines()


def line_of(path: Path, needle: str) -> int:
    return path.read_text(encoding="utf-8")[: path.read_text(encoding="utf-8").index(needle)].count("\n") + 1


# -- the built-in catalogues ------------------------------------------------------------------


def test_every_builtin_text_has_a_reviewed_japanese_translation() -> None:
    rows = string_rows(None, "ja")
    assert len(rows) > 900
    assert {row.state for row in rows} == {"reviewed"}


def test_the_builtin_catalogues_are_exactly_what_rules_strings_update_writes() -> None:
    """No entry that no text has, none missing, and the files in the order and shape the
    update writes: a translator's tool and a reviewer see the same catalogue."""
    assert orphans(None, "ja") == []
    locale = Path(str(builtin_rules())) / "locale" / "ja"
    written = updated_catalogues(None, "ja")
    assert sorted(written) == sorted(f"locale/ja/{p.name}" for p in locale.glob("*.po"))
    for name, data in written.items():
        assert (locale.parent.parent / name).read_bytes() == data, name


def test_text_ids_name_the_file_the_rule_and_the_field() -> None:
    ids = {row.id for row in string_rows(None, "ja")}
    assert {
        "red_flags.dvt.title",
        "questions.calf_swelling.lay",
        "messages.disclaimer",
        "dispositions.levels.urgent.headline",
        "ruleset.title",
    } <= ids
    assert all(re.fullmatch(r"[a-z_]+(\.[A-Za-z0-9_-]+)+", i) for i in ids), sorted(ids)[:5]


# -- rewording -----------------------------------------------------------------------------------


def test_a_reworded_english_text_keeps_its_translation_attached_and_held_for_review(rules_copy: Path) -> None:
    catalogue = rules_copy / "locale" / "ja" / "messages.po"
    japanese = load_rules().messages["heading_causes"]["ja"]
    # (the disclaimer and the words that announce a changed rule set are not a custom set's to
    # change at all: tests/test_protected_wording.py)
    edit(rules_copy / "messages.yaml", '"Possible causes"', '"Likely causes"')

    # the rules do not load with a translation of other English: it is named, with its line
    found = problems(rules_copy)
    where = line_of(catalogue, 'msgctxt "messages.heading_causes"')
    assert found == [
        f"{catalogue}:{where}: the English of messages.heading_causes changed since its 'ja' translation was "
        "made: review the translation against the new English (kneeguide rules strings --lang ja --update "
        f"{rules_copy} keeps it as a draft beside the old English)"
    ]

    # rules strings shows it beside the new and the old English, as changed
    [row] = [r for r in string_rows(rules_copy, "ja") if r.state != "reviewed"]
    assert (row.id, row.state, row.translation) == ("messages.heading_causes", "changed", japanese)
    assert row.english == "Likely causes" and row.previous == "Possible causes"

    # --update keeps the Japanese, as a draft beside the old English (gettext's previous msgid)
    done = kneeguide("rules", "strings", "--lang", "ja", "--update", str(rules_copy))
    assert done.returncode == 0, done.stderr
    text = catalogue.read_text(encoding="utf-8")
    [entry] = [block for block in text.split("\n\n") if 'msgctxt "messages.heading_causes"' in block]
    assert "#, fuzzy" in entry and '#| msgid "Possible causes"' in entry, entry
    assert f'msgstr "{japanese}"' in entry

    # a draft is not shown: the rules still refuse to load in a complete language
    found = problems(rules_copy)
    assert len(found) == 1 and "'ja' translation of messages.heading_causes is a draft" in found[0], found

    # the reviewer clears the flag: the same Japanese is now attached to the new English
    catalogue.write_text(re.sub(r"#, fuzzy\n#\| msgid \"[^\n]*\n", "", text, count=1), encoding="utf-8")
    rules = load_rules(rules_copy, use_cache=False)
    assert rules.messages["heading_causes"]["en"] == "Likely causes"
    assert rules.messages["heading_causes"]["ja"] == japanese


def test_two_texts_with_the_same_english_keep_their_own_translations(rules_copy: Path) -> None:
    rows = string_rows(None, "ja")
    by_english: dict[str, list[str]] = {}
    for row in rows:
        by_english.setdefault(row.english, []).append(row.id)
    first, second = next(ids for ids in by_english.values() if len(ids) > 1)[:2]
    stem = first.split(".")[0]
    catalogue = rules_copy / "locale" / "ja" / f"{stem}.po"
    text = catalogue.read_text(encoding="utf-8")
    at = text.index(f'msgctxt "{first}"')
    start = text.index('msgstr "', at)
    end = text.index("\n", start)
    catalogue.write_text(text[:start] + 'msgstr "別の訳"' + text[end:], encoding="utf-8")
    found = string_rows(rules_copy, "ja")
    translations = {row.id: row.translation for row in found}
    assert translations[first] == "別の訳"
    assert translations[second] != "別の訳"


# -- a language added part by part ---------------------------------------------------------------


def partial_japanese(rules_copy: Path) -> int:
    """Japanese marked incomplete, with the causes untranslated and one message a draft;
    the number of texts that are then shown in English."""
    edit(rules_copy / "ruleset.yaml", "languages: [en, ja]", "languages: [en]\nincomplete_languages: [ja]")
    causes = {row.id for row in string_rows(None, "ja") if row.id.startswith("causes.")}
    (rules_copy / "locale" / "ja" / "causes.po").unlink()
    edit(
        rules_copy / "locale" / "ja" / "messages.po",
        'msgctxt "messages.heading_causes"',
        '#, fuzzy\nmsgctxt "messages.heading_causes"',
    )
    return len(causes) + 1


def test_an_incomplete_language_shows_english_where_untranslated_and_says_so(rules_copy: Path) -> None:
    untranslated = partial_japanese(rules_copy)
    rules = load_rules(rules_copy, use_cache=False)
    assert rules.languages == ("en",) and rules.incomplete == {"ja": untranslated}
    assert rules.message("heading_causes", "ja") == "Possible causes"  # a draft is never shown
    assert rules.message("heading_red_flags", "ja") == load_rules().message("heading_red_flags", "ja")
    result = as_dict(assess(bakers_cyst(), rules=rules, lang="ja"))
    notice = rules.message("warn_untranslated", "ja").format(count=untranslated)
    assert result["warnings"][0] == notice
    lay_names = {pick(c.lay_name, "en") for c in rules.causes}
    named = [c["name"] for c in result["likely_causes"]]
    assert named and set(named) <= lay_names, named


@pytest.mark.parametrize(
    "args",
    [
        ("assess", "--format", "text"),
        ("assess", "--format", "markdown"),
        ("assess", "--format", "json"),
        ("assess", "--format", "text", "--audience", "practitioner", "--details"),
        ("note", "-o", "-"),
        ("export", "--fhir"),
    ],
    ids=lambda a: "-".join(a).replace("--", ""),
)
def test_every_output_in_an_incomplete_language_says_it_is_partly_in_english(
    rules_copy: Path, tmp_path: Path, args: tuple[str, ...]
) -> None:
    untranslated = partial_japanese(rules_copy)
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(bakers_cyst()), encoding="utf-8")
    done = kneeguide(
        *args, "--answers", str(answers), "--lang", "ja", "--rules", str(rules_copy), cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    flat = re.sub(r"\s+", "", done.stdout)
    assert f"{untranslated}件の文を英語で表示しています" in flat.replace("\\n", ""), done.stdout[:2000]


def test_a_complete_language_refuses_what_is_not_reviewed_with_its_place(rules_copy: Path) -> None:
    (rules_copy / "locale" / "ja" / "triage.po").unlink()
    catalogue = rules_copy / "locale" / "ja" / "messages.po"
    edit(catalogue, 'msgctxt "messages.heading_causes"', '#, fuzzy\nmsgctxt "messages.heading_causes"')
    found = problems(rules_copy)
    assert any(
        p.startswith(f"{rules_copy}/triage.yaml:") and "missing 'ja' translation of triage." in p
        for p in found
    ), found
    draft = [p for p in found if "messages.heading_causes" in p]
    where = line_of(catalogue, 'msgctxt "messages.heading_causes"')
    assert draft == [
        f"{catalogue}:{where}: the 'ja' translation of "
        "messages.heading_causes is a draft (fuzzy): review it, then remove the flag"
    ]


# -- catalogue problems --------------------------------------------------------------------------


def test_catalogue_problems_are_each_named_with_file_and_line(rules_copy: Path) -> None:
    catalogue = rules_copy / "locale" / "ja" / "messages.po"
    text = catalogue.read_text(encoding="utf-8")
    text += '\nmsgctxt "messages.disclaimer"\nmsgid "again"\nmsgstr "二度目"\n'  # translated twice
    catalogue.write_text(text, encoding="utf-8")
    found = problems(rules_copy)
    assert any(
        re.fullmatch(
            rf"{catalogue}:\d+: text id 'messages.disclaimer' is translated twice \(first at line \d+\)", p
        )
        for p in found
    ), found

    catalogue.write_text(
        text.replace(
            '\nmsgctxt "messages.disclaimer"\nmsgid "again"',
            '\nmsgctxt "messages.disclaimerx"\nmsgid "again"',
        ),
        encoding="utf-8",
    )
    (rules_copy / "locale" / "ja" / "triage.po").write_text(
        'msgctxt "triage.x"\nmsgid "x"\nmsgstr "y\n', encoding="utf-8"
    )
    assert f"{rules_copy}/locale/ja/triage.po:3: not a PO line: 'msgstr \"y'" in problems(rules_copy)


def test_a_translation_in_the_wrong_catalogue_or_for_an_unoffered_language_is_refused(
    rules_copy: Path,
) -> None:
    stray = rules_copy / "locale" / "ja" / "notes.po"
    stray.write_text("", encoding="utf-8")
    [found] = problems(rules_copy)
    assert found.startswith(
        f"{stray}: not a catalogue of a rule file (expected one of acupuncture.po, causes.po"
    ), found
    stray.unlink()

    edit(
        rules_copy / "locale" / "ja" / "triage.po",
        'msgctxt "triage.',
        'msgctxt "causes.x"\nmsgid "x"\nmsgstr "y"\n\nmsgctxt "triage.',
    )
    (rules_copy / "locale" / "ko").mkdir()
    (rules_copy / "locale" / "ko" / "messages.po").write_text(
        'msgctxt "messages.disclaimer"\nmsgid "x"\nmsgstr "y"\n', encoding="utf-8"
    )
    found = problems(rules_copy)
    assert any("text id 'causes.x' belongs in causes.po, not triage.po" in p for p in found), found
    assert any(
        p.startswith(f"{rules_copy}/locale/ko/messages.po: a 'ko' catalogue, but ruleset.yaml offers en, ja")
        for p in found
    ), found


def test_the_old_translations_file_is_refused_not_ignored(rules_copy: Path) -> None:
    (rules_copy / "translations.yaml").write_text("translations:\n  ja: {}\n", encoding="utf-8")
    found = problems(rules_copy)
    assert len(found) == 1 and found[0].startswith(
        f"{rules_copy}/translations.yaml: translations are no longer read"
    ), found


def test_a_translation_must_keep_the_placeholders(rules_copy: Path) -> None:
    catalogue = rules_copy / "locale" / "ja" / "messages.po"
    text = catalogue.read_text(encoding="utf-8")
    at = text.index('msgctxt "messages.warn_untranslated"')
    start = text.index('msgstr "', at)
    end = text.index("\n", start)
    catalogue.write_text(text[:start] + 'msgstr "一部は英語です。"' + text[end:], encoding="utf-8")
    found = problems(rules_copy)
    assert any(
        "the 'ja' translation of messages.warn_untranslated must keep the placeholders of the English "
        "text (count)" in p
        for p in found
    ), found


# -- the reviewer's view -------------------------------------------------------------------------


def test_rules_strings_lists_each_text_with_its_id_state_english_and_translation() -> None:
    import yaml

    done = kneeguide("rules", "strings", "--lang", "ja")
    assert done.returncode == 0, done.stderr
    listed = yaml.safe_load(done.stdout)
    disclaimer = next(item for item in listed if item["id"] == "messages.disclaimer")
    rules = load_rules()
    assert disclaimer == {
        "id": "messages.disclaimer",
        "state": "reviewed",
        "en": rules.messages["disclaimer"]["en"],
        "ja": rules.messages["disclaimer"]["ja"],
    }
    assert kneeguide("rules", "strings", "--lang", "ja", "--missing").stdout == ""


def test_rules_strings_update_drops_and_names_a_translation_no_text_has(rules_copy: Path) -> None:
    catalogue = rules_copy / "locale" / "ja" / "messages.po"
    edit(catalogue, 'msgctxt "messages.heading_level"', 'msgctxt "messages.heading_levle"')
    assert orphans(rules_copy, "ja") == ["messages.heading_levle"]
    [state] = [row.state for row in string_rows(rules_copy, "ja") if row.id == "messages.heading_level"]
    assert state == "missing"
    done = kneeguide("rules", "strings", "--lang", "ja", "--update", str(rules_copy))
    assert done.returncode == 0, done.stderr
    assert "dropped ja translation of 'messages.heading_levle': no text has this id" in done.stderr
    assert "heading_levle" not in catalogue.read_text(encoding="utf-8")
    assert orphans(rules_copy, "ja") == []


def test_rules_strings_update_needs_a_directory_to_write_into() -> None:
    done = kneeguide("rules", "strings", "--update")
    assert done.returncode == 2
    assert done.stderr.strip().endswith(
        "--update writes into a rules directory: give it (kneeguide rules strings --update DIR)"
    )


# -- citations -----------------------------------------------------------------------------------


def test_a_papers_citation_reads_as_written_and_the_authors_own_ones_are_translated() -> None:
    """An English paper keeps its English title in a Japanese note; what the rule authors
    wrote themselves ("kneeguide authors: ...") is theirs to translate, and is."""
    rules = load_rules()
    own = [r for r in rules.references.values() if r.citation["en"].startswith("kneeguide")]
    papers = [
        r for r in rules.references.values() if r.citation["en"].startswith(("Wells", "Stiell", "Coakley"))
    ]
    assert own and all(r.citation["ja"] != r.citation["en"] for r in own)
    assert papers and all(r.citation["ja"] == r.citation["en"] for r in papers)
    sources = [e.source for e in rules.acupuncture.evidence if e.source["en"].startswith("kneeguide")]
    assert sources and all(s["ja"] != s["en"] for s in sources)


def test_a_translated_citation_is_held_to_its_english_like_any_text(rules_copy: Path) -> None:
    references = rules_copy / "references.yaml"
    edit(references, "kneeguide authors: design principles", "kneeguide authors: principles")
    found = problems(rules_copy)
    assert len(found) == 1 and "the English of references.design_safety.citation changed" in found[0], found


def test_the_json_names_the_partly_english_notice_by_id_too(tmp_path: Path) -> None:
    """A language still being translated: its notice is the first warning, ``untranslated:<lang>``."""
    from kneeguide.api import as_dict
    from kneeguide.api import assess as assess_api

    rules = load_rules()
    partial = rules._replace(languages=("en",), incomplete={"ja": 3})
    result = as_dict(assess_api({"calf_swelling": "yes"}, rules=partial, lang="ja"))
    assert result["warning_ids"][0] == "untranslated:ja"
    assert len(result["warning_ids"]) == len(result["warnings"])
