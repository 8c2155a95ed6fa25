"""Every output format carries the disclaimer and every warning.

A warning that one format drops is a warning some reader never sees: a disabled
red flag, lay answers standing in for examination items, a child, a pregnancy, an
injury older than a rule's validation window. The formats are not listed here:
they come from the enumerations in :mod:`kneeguide.ids`, so a format added there is
checked by this test the moment it exists, through the command a person runs.

Each output is held to what its reader needs (:data:`CARRIES`, by output, never by
format): a report, a note or an export is read by a person and carries the
disclaimer and every warning in words; batch records are read by scripts and name
every warning by its stable id; the summary a batch writes on stderr is read by
the person who ran it and carries the disclaimer and, in words, every warning that
holds for all of its records (a red flag the rule set switches off, a safety text it
rewords). A batch run thus carries them all, and no format is excused.
"""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from enum import Enum
from pathlib import Path
from typing import Any

import pytest
from stories import DISABLING_OVERLAY, EVERY_WARNING
from warning_ids import ids_of

from kneeguide.api import assess, load_rules
from kneeguide.cli.notes import for_clinician
from kneeguide.engine import Assessment, standing_of
from kneeguide.engine.advice import warning_text
from kneeguide.ids import LANGUAGES, Audience, ExportFormat, NoteFormat, RecordFormat, ReportFormat
from kneeguide.ruleset.model import RuleSet

FORMATS: list[Enum] = [*ReportFormat, *NoteFormat, *ExportFormat, *RecordFormat]


#: What each output must carry: "disclaimer" (its text), "warnings" (every warning's
#: text), "warning ids" (every warning's id, as batch records name them) and
#: "rule set warnings" (the text of every warning that holds for every answer set).
CARRIES: dict[str, frozenset[str]] = {
    "stdout": frozenset({"disclaimer", "warnings"}),
    "records": frozenset({"warning ids"}),
    "records --full": frozenset({"warning ids"}),
    "summary": frozenset({"disclaimer", "rule set warnings"}),
}


@pytest.fixture(scope="module")
def custom(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An overlay on the built-in rules that switches two red flags off (one the answers
    would raise), changes one region's
    emergency number (a protected text, listed under ``reworded:``) and rewords one message
    (so Japanese, marked incomplete, shows it in English and says so), and the answers."""
    folder = tmp_path_factory.mktemp("every-format")
    (folder / "rules").mkdir()
    partly_japanese = DISABLING_OVERLAY.replace(
        "languages: [en, ja]", "languages: [en]\nincomplete_languages: [ja]"
    )
    # a second red flag switched off, one these answers raise: its warning says so
    raised_off = '  - id: dvt\n    reason: "the clinic\'s own clot pathway"\n'
    reworded = 'reworded:\n  - text: regions.AU.emergency\n    reason: "the clinic\'s test number"\n'
    (folder / "rules" / "ruleset.yaml").write_text(partly_japanese + raised_off + reworded, encoding="utf-8")
    (folder / "rules" / "dispositions.yaml").write_text(
        'regions:\n  - {id: AU, name: "Australia", emergency: "112", advice: "1800 022 222",'
        ' advice_name: "healthdirect", references: [region_numbers]}\n',
        encoding="utf-8",
    )
    (folder / "rules" / "messages.yaml").write_text(
        'messages:\n  heading_answers: "Your answers"\n', encoding="utf-8"
    )
    (folder / "answers.json").write_text(json.dumps(EVERY_WARNING), encoding="utf-8")
    (folder / "answers.jsonl").write_text(json.dumps({"id": "one", **EVERY_WARNING}) + "\n", encoding="utf-8")
    return folder


def kneeguide(*args: str) -> subprocess.CompletedProcess[str]:
    """The command as a person runs it, away from any user configuration."""
    env = {**os.environ, "KNEEGUIDE_CONFIG": os.devnull}
    done = subprocess.run(
        [sys.executable, "-m", "kneeguide", *args], capture_output=True, text=True, timeout=120, env=env
    )
    assert done.returncode == 0, (args, done.stderr)
    return done


def outputs(fmt: Enum, folder: Path, lang: str) -> Iterator[tuple[str, str]]:
    """(name, text) of every output that the command writing ``fmt`` gives."""
    rules, answers = str(folder / "rules"), str(folder / "answers.json")
    common = ("--rules", rules, "--answers", answers, "--lang", lang)
    if isinstance(fmt, ReportFormat):
        yield "stdout", kneeguide("assess", *common, "--format", fmt.value).stdout
    elif isinstance(fmt, NoteFormat):
        yield "stdout", kneeguide("note", *common, "--format", fmt.value).stdout
    elif isinstance(fmt, ExportFormat):
        yield "stdout", kneeguide("export", f"--{fmt.value}", *common).stdout
    elif isinstance(fmt, RecordFormat):
        batch = ("batch", str(folder / "answers.jsonl"), "--rules", rules, "--output-format", fmt.value)
        done = kneeguide(*batch)
        yield "records", done.stdout
        yield "summary", done.stderr
        yield "records --full", kneeguide(*batch, "--full").stdout
    else:
        raise AssertionError(f"no command is known to write {fmt!r}: add it to outputs()")


def languages(fmt: Enum) -> tuple[str, ...]:
    """Batch has no --lang: its records hold ids, and its full assessments are English."""
    return ("en",) if isinstance(fmt, RecordFormat) else LANGUAGES


CASES = [(fmt, lang) for fmt in FORMATS for lang in languages(fmt)]


def readable(text: str) -> str:
    """What a reader of ``text`` sees: JSON (or JSON Lines) strings decoded, HTML
    entities resolved, and no white space, since terminal text and CJK wrap anywhere."""
    return re.sub(r"\s+", "", html.unescape("\n".join(_strings(_documents(text)))))


def tokens(text: str) -> set[str]:
    """The words of ``text`` as a script splits them: JSON (or JSON Lines) strings, or
    the text itself (CSV), cut at white space, commas, semicolons and quotes."""
    return {t for s in _strings(_documents(text)) for t in re.split(r"[\s,;\"']+", s) if t}


def _documents(text: str) -> list[Any]:
    """``text`` as JSON, or as JSON Lines, or else as itself."""
    try:
        return [json.loads(text)]
    except ValueError:
        try:
            return [json.loads(line) for line in text.splitlines() if line.strip()]
        except ValueError:
            return [text]


def _strings(data: Any) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for value in data.values() for s in _strings(value)]
    if isinstance(data, list):
        return [s for value in data for s in _strings(value)]
    return []


def assessed(rules: RuleSet, lang: str) -> Assessment:
    """The (lay) assessment of :data:`EVERY_WARNING`, checked to raise every kind of warning
    (every ``warn_*`` message) that the rules have, for a lay reader or a practitioner (a
    warning about lay stand-ins is worded for each)."""
    result = assess(EVERY_WARNING, rules=rules, lang=lang)
    both = (
        result.warnings
        + assess(EVERY_WARNING, rules=rules, lang=lang, audience=Audience.PRACTITIONER).warnings
    )
    expected = [k for k in rules.messages if k.startswith("warn_")]
    if lang not in rules.incomplete:  # only a language still being translated says so
        expected.remove("warn_untranslated")
    else:
        assert rules.incomplete[lang] == 1  # the reworded heading
    for key in expected:
        template = rules.message(key, lang)
        pattern = ".*".join(re.escape(part) for part in re.split(r"\{\w+\}", template))
        assert any(re.fullmatch(pattern, w, re.DOTALL) for w in both), f"no {key} warning"
    return result


@pytest.mark.parametrize(("fmt", "lang"), CASES, ids=[f"{type(f).__name__}.{f.name}-{lg}" for f, lg in CASES])
def test_every_format_carries_the_disclaimer_and_every_warning(fmt: Enum, lang: str, custom: Path) -> None:
    rules = load_rules(custom / "rules")
    a = assessed(rules, lang)
    if isinstance(fmt, NoteFormat):  # the letter is worded for the clinician who receives it
        a = for_clinician(a, rules)
    ids = ids_of(rules, a.warnings, lang)
    assert len(set(ids)) == len(ids) and {i.split(":")[0] for i in ids} >= {"disabled", "reworded"}
    texts: dict[str, list[str]] = {
        "disclaimer": [a.disclaimer],
        "warnings": list(a.warnings),
        # what holds for every answer set (the batch summary's, of all records): each red
        # flag switched off and each text reworded, as said where no answer raises the flag
        "rule set warnings": [warning_text(rules, w, lang) for w in standing_of(rules)],
    }
    for name, text in outputs(fmt, custom, lang):
        assert name in CARRIES, f"{fmt!r} writes {name!r}: say in CARRIES what it must carry"
        seen, words = readable(text), tokens(text)
        for part in CARRIES[name]:
            if part == "warning ids":
                missing = [i for i in ids if i not in words]
                assert not missing, f"{fmt!r} ({name}) drops the warnings {missing}"
                continue
            for want in texts[part]:
                assert re.sub(r"\s+", "", want) in seen, f"{fmt!r} ({name}) drops {want!r}"
