"""Where the person is, before any number is shown: the interview in a real terminal.

The locale names the country (en_US, en_GB, ja_JP ...) and the interview's first
words carry that country's number; when the locale says nothing (C.UTF-8), the
first question is the country, and the choice can be remembered in the
configuration file.
"""

from __future__ import annotations

import stat
import sys
from pathlib import Path

import pytest
import yaml
from screen import DOWN, TERMINAL_ENV, Screen

from kneeguide.api import load_rules
from kneeguide.ruleset.model import pick

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")

RULES = load_rules()
INTRO = RULES.message("interview_intro", "en").split(".")[0]  # "kneeguide asks about ..."


def interview(tmp_path: Path, locale: str, *args: str) -> Screen:
    env = {
        **TERMINAL_ENV,
        "LANG": locale,
        "LC_ALL": "",
        "LC_MESSAGES": "",
        "KNEEGUIDE_CONFIG": str(tmp_path / "config" / "config.yaml"),  # none yet
        "KNEEGUIDE_DATA_DIR": str(tmp_path / "data"),
    }
    return Screen([sys.executable, "-m", "kneeguide", "interview", *args], env=env, columns=80)


@pytest.mark.parametrize(
    ("locale", "number"),
    [("en_US.UTF-8", "911"), ("en_GB.UTF-8", "999"), ("en_AU.UTF-8", "000"), ("de_DE.UTF-8", "112")],
)
def test_the_locale_names_the_number_and_no_country_is_asked(
    tmp_path: Path, locale: str, number: str
) -> None:
    term = interview(tmp_path, locale)
    try:
        rows = term.wait(RULES.message("choice_help", "en"), "the first tick-list")
        shown = "\n".join(rows)
        assert RULES.message("region_ask", "en") not in shown
        assert f"call {number}" in " ".join(shown.split())
        assert "119" not in shown
    finally:
        term.stop()


def test_a_locale_that_says_nothing_asks_the_country_first_and_remembers_it(tmp_path: Path) -> None:
    term = interview(tmp_path, "C.UTF-8")
    try:
        rows = term.wait(RULES.message("region_ask", "en"), "the country question")
        assert INTRO not in "\n".join(rows)  # no number before the country is known
        choices = [pick(r.name, "en") for r in RULES.regions.values()]
        assert all(any(name in row for row in rows) for name in choices)
        uk = list(RULES.regions).index("UK")
        term.send(DOWN * uk + "\r")
        term.wait(RULES.message("region_remember", "en"), "the offer to remember")
        term.send("\r")  # yes (the default)
        rows = term.wait(RULES.message("choice_help", "en"), "the first tick-list")
        assert "call 999" in " ".join("\n".join(rows).split())
    finally:
        term.stop()
    config = tmp_path / "config" / "config.yaml"
    assert yaml.safe_load(config.read_text(encoding="utf-8"))["region"] == "UK"
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    # next time: no question
    again = interview(tmp_path, "C.UTF-8")
    try:
        rows = again.wait(RULES.message("choice_help", "en"), "the first tick-list")
        assert RULES.message("region_ask", "en") not in "\n".join(rows)
    finally:
        again.stop()


def test_an_explicit_region_is_never_asked(tmp_path: Path) -> None:
    term = interview(tmp_path, "C.UTF-8", "--region", "AU")
    try:
        rows = term.wait(RULES.message("choice_help", "en"), "the first tick-list")
        assert RULES.message("region_ask", "en") not in "\n".join(rows)
        assert "call 000" in " ".join("\n".join(rows).split())
    finally:
        term.stop()
