"""Every output format carries the disclaimer and every warning.

A warning that one format drops is a warning some reader never sees: a disabled
red flag, lay answers standing in for examination items, a child, a pregnancy, an
injury older than a rule's validation window. The formats are not listed here:
they come from the enumerations in :mod:`kneeguide.ids`, so a format added there is
checked by this test the moment it exists, through the command a person runs.

A format that cannot carry something today says so in :data:`LEAVES_OUT`, by
name and on purpose; an entry that stops being true fails too, so the table
stays the record of what each format carries.
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

from kneeguide.api import assess, load_rules
from kneeguide.engine import Assessment
from kneeguide.ids import LANGUAGES, ExportFormat, NoteFormat, RecordFormat, ReportFormat
from kneeguide.ruleset.model import RuleSet

FORMATS: list[Enum] = [*ReportFormat, *NoteFormat, *ExportFormat, *RecordFormat]

#: One answer set that raises every kind of warning: a child (age under 16), a
#: pregnancy, lay stand-ins counted in the Wells score (calf pain and swelling for
#: deep-vein tenderness and measured swelling) and in the Ottawa knee rule (a tender
#: kneecap), and a twisting injury ten days old. The rule set adds a disabled red flag.
ANSWERS: dict[str, Any] = {
    "age": 12,
    "sex": "female",
    "pregnant": "yes",
    "calf_pain": "yes",
    "calf_swelling": "yes",
    "injury": "yes",
    "injury_mechanism": "twisting",
    "kneecap_tender": "yes",
    "duration_days": 10,
}
RULESET = """\
version: "clinic-1"
title: {en: "Clinic rules", ja: "クリニックの規則"}
languages: [en, ja]
default_region: JP
disable:
  - id: cellulitis
    reason: "assessed by the clinic's own skin protocol"
"""

#: What a format's output leaves out today: (format, output) → "disclaimer" and/or
#: "warnings". Each entry is a decision on record (issue 12); a format or an output
#: missing here must carry the disclaimer and every warning.
LEAVES_OUT: dict[tuple[Enum, str], frozenset[str]] = {
    # The RiskAssessment's note holds the disclaimer; the warnings have no place yet.
    (ExportFormat.FHIR, "stdout"): frozenset({"warnings"}),
    # Batch records are decisions by id for scripts; `--full` JSON lines add the whole
    # assessment, CSV has no column for it; the summary on stderr counts levels and flags.
    (RecordFormat.JSONL, "records"): frozenset({"disclaimer", "warnings"}),
    (RecordFormat.JSONL, "summary"): frozenset({"disclaimer", "warnings"}),
    (RecordFormat.CSV, "records"): frozenset({"disclaimer", "warnings"}),
    (RecordFormat.CSV, "records --full"): frozenset({"disclaimer", "warnings"}),
    (RecordFormat.CSV, "summary"): frozenset({"disclaimer", "warnings"}),
}


@pytest.fixture(scope="module")
def custom(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An overlay on the built-in rules that switches one red flag off, and the answers."""
    folder = tmp_path_factory.mktemp("every-format")
    (folder / "rules").mkdir()
    (folder / "rules" / "ruleset.yaml").write_text(RULESET, encoding="utf-8")
    (folder / "answers.json").write_text(json.dumps(ANSWERS), encoding="utf-8")
    (folder / "answers.jsonl").write_text(json.dumps({"id": "one", **ANSWERS}) + "\n", encoding="utf-8")
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
    try:
        documents = [json.loads(text)]
    except ValueError:
        try:
            documents = [json.loads(line) for line in text.splitlines() if line.strip()]
        except ValueError:
            documents = [text]
    return re.sub(r"\s+", "", html.unescape("\n".join(s for d in documents for s in _strings(d))))


def _strings(data: Any) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for value in data.values() for s in _strings(value)]
    if isinstance(data, list):
        return [s for value in data for s in _strings(value)]
    return []


def assessed(rules: RuleSet, lang: str) -> Assessment:
    """The assessment of :data:`ANSWERS`, checked to raise every kind of warning
    (every ``warn_*`` message) that the rules have."""
    result = assess(ANSWERS, rules=rules, lang=lang)
    for key in (k for k in rules.messages if k.startswith("warn_")):
        template = rules.message(key, lang)
        pattern = ".*".join(re.escape(part) for part in re.split(r"\{\w+\}", template))
        assert any(re.fullmatch(pattern, w, re.DOTALL) for w in result.warnings), f"no {key} warning"
    return result


@pytest.mark.parametrize(("fmt", "lang"), CASES, ids=[f"{type(f).__name__}.{f.name}-{lg}" for f, lg in CASES])
def test_every_format_carries_the_disclaimer_and_every_warning(fmt: Enum, lang: str, custom: Path) -> None:
    a = assessed(load_rules(custom / "rules"), lang)
    wanted = {"disclaimer": [a.disclaimer], "warnings": list(a.warnings)}
    for name, text in outputs(fmt, custom, lang):
        seen = readable(text)
        left_out = LEAVES_OUT.get((fmt, name), frozenset())
        for part, texts in wanted.items():
            for want in texts:
                present = re.sub(r"\s+", "", want) in seen
                if part in left_out:
                    assert not present, f"{fmt!r} ({name}) now carries the {part}: update LEAVES_OUT"
                else:
                    assert present, f"{fmt!r} ({name}) drops {want!r}"
