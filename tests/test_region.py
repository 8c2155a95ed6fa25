"""The emergency number follows where the person is: --region, then the config file,
then the locale, then the rule set's default; and a guess is said out loud on stderr.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kneeguide.errors import InputError
from kneeguide.ids import REGIONS
from kneeguide.inputs import locale
from kneeguide.inputs.config import load_config, remember_region

#: A story that reaches "call the emergency number now" (cauda equina), so the
#: number the person is told to call is in ``triage.call``.
EMERGENCY = ("-a", "saddle_numbness=yes")
NUMBERS = {"JP": "119", "US": "911", "UK": "999", "EU": "112", "AU": "000"}
NAMES = {
    "JP": "Japan",
    "US": "United States",
    "UK": "United Kingdom",
    "EU": "European Union",
    "AU": "Australia",
}

#: The 27 EU member states, Iceland, Liechtenstein, Norway (the rest of the EEA) and
#: Switzerland, spelt here apart from the table under test: 112 reaches help in all.
# fmt: off
EUROPE_112 = (
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV",
    "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO", "CH",
)
# fmt: on

LOCALES = {
    "ja_JP.UTF-8": "JP",
    "en_US.UTF-8": "US",
    "en_GB.UTF-8": "UK",
    "en_AU.UTF-8": "AU",
    "de_DE.UTF-8": "EU",
    "fr_FR.UTF-8": "EU",
    "es_ES.UTF-8": "EU",
    "it_IT.UTF-8": "EU",
    "nl_NL.UTF-8": "EU",
    "pl_PL.UTF-8": "EU",
    "sv_SE.UTF-8": "EU",
    "fi_FI.UTF-8": "EU",
    "pt_PT.UTF-8": "EU",
    "el_GR.UTF-8": "EU",
    "ga_IE.UTF-8": "EU",
    "en_IE.UTF-8": "EU",
    "nb_NO.UTF-8": "EU",
    "is_IS.UTF-8": "EU",
    "de_LI.UTF-8": "EU",
    "de_CH.UTF-8": "EU",
    "de_AT@euro": "EU",
    "en_gb": "UK",
}

#: Locales that say nothing about where the person is.
SILENT_LOCALES = ("C", "POSIX", "C.UTF-8", "en.UTF-8", "en_CA.UTF-8", "pt_BR.UTF-8", "")


def kneeguide(*args: str, env: dict[str, str], stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """The command as a person runs it, with exactly the locale and config given in ``env``."""
    base = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANG")}
    return subprocess.run(
        [sys.executable, "-m", "kneeguide", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        env={**base, **env},
    )


def assess(env: dict[str, str], *args: str) -> tuple[dict[str, Any], list[str]]:
    done = kneeguide("assess", *EMERGENCY, "--format", "json", *args, env=env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout), done.stderr.splitlines()


def taken_from(region: str, where: str) -> str:
    number = NUMBERS[region]
    return (
        f"kneeguide: note: region {region} ({NAMES[region]}, emergency number {number}) "
        f"taken from the locale {where}; choose another with --region"
    )


def guessed(region: str) -> str:
    number = NUMBERS[region]
    return (
        f"kneeguide: note: region {region} ({NAMES[region]}, emergency number {number}) "
        "assumed: the locale does not say where you are; choose with --region"
    )


@pytest.fixture()
def no_config(tmp_path: Path) -> dict[str, str]:
    return {"KNEEGUIDE_CONFIG": str(tmp_path / "no-config.yaml")}


@pytest.mark.parametrize(("where", "region"), sorted(LOCALES.items()))
def test_the_locale_names_the_region_and_assess_says_it_took_it_from_there(
    where: str, region: str, no_config: dict[str, str]
) -> None:
    data, stderr = assess({**no_config, "LANG": where})
    assert data["region"] == region and data["triage"]["call"] == NUMBERS[region]
    if region == "JP":  # the language in effect is Japanese, and so is the note
        assert data["lang"] == "ja"
        assert stderr == [
            f"kneeguide: お知らせ：ロケール {where} から地域 JP（日本、救急番号 119）を使用しました。"
            "別の地域は --region で指定できます。"
        ]
    else:
        assert data["lang"] == "en"
        assert stderr == [taken_from(region, where)]


@pytest.mark.parametrize("where", SILENT_LOCALES)
def test_a_locale_without_a_known_country_gives_the_default_and_says_it_was_assumed(
    where: str, no_config: dict[str, str]
) -> None:
    data, stderr = assess({**no_config, "LANG": where})
    assert data["region"] == "JP" and data["triage"]["call"] == "119"
    assert stderr == [guessed("JP")]


def test_lc_all_then_lc_messages_then_lang_name_the_locale(no_config: dict[str, str]) -> None:
    every = {**no_config, "LC_ALL": "en_AU.UTF-8", "LC_MESSAGES": "en_GB.UTF-8", "LANG": "en_US.UTF-8"}
    assert assess(every)[0]["region"] == "AU"
    assert assess({**every, "LC_ALL": ""})[0]["region"] == "UK"
    assert assess({**every, "LC_ALL": "", "LC_MESSAGES": ""})[0]["region"] == "US"
    # LC_ALL=C says nothing about the place, and hides LANG as it hides it from every program
    assert assess({**every, "LC_ALL": "C"})[0]["region"] == "JP"


def test_option_beats_config_beats_locale_beats_default(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("region: UK\n", encoding="utf-8")
    us = {"KNEEGUIDE_CONFIG": str(config), "LANG": "en_US.UTF-8"}

    data, stderr = assess(us, "--region", "AU")
    assert data["triage"]["call"] == "000" and stderr == []
    data, stderr = assess(us)
    assert data["triage"]["call"] == "999" and stderr == []
    config.unlink()
    data, stderr = assess(us)
    assert data["triage"]["call"] == "911" and stderr == [taken_from("US", "en_US.UTF-8")]
    data, stderr = assess({**us, "LANG": "C.UTF-8"})
    assert data["triage"]["call"] == "119" and stderr == [guessed("JP")]


def test_a_custom_rule_set_default_region_is_the_default(tmp_path: Path, no_config: dict[str, str]) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "ruleset.yaml").write_text(
        'version: "clinic-1"\ntitle: {en: "Clinic rules", ja: "クリニックの規則"}\n'
        "languages: [en, ja]\ndefault_region: UK\n",
        encoding="utf-8",
    )
    data, stderr = assess({**no_config, "LANG": "C.UTF-8"}, "--rules", str(rules))
    assert data["triage"]["call"] == "999" and stderr == [guessed("UK")]
    data, stderr = assess({**no_config, "LANG": "de_DE.UTF-8"}, "--rules", str(rules))
    assert data["triage"]["call"] == "112" and stderr == [taken_from("EU", "de_DE.UTF-8")]


def test_note_says_which_region_it_assumed_and_not_when_one_was_chosen(no_config: dict[str, str]) -> None:
    env = {**no_config, "LANG": "en_GB.UTF-8"}
    story = json.dumps({"saddle_numbness": "yes"})
    done = kneeguide("note", "--answers", "-", "--format", "text", env=env, stdin=story)
    assert done.returncode == 0, done.stderr
    assert "999" in done.stdout and done.stderr.splitlines() == [taken_from("UK", "en_GB.UTF-8")]
    chosen = kneeguide("note", "--answers", "-", "--format", "text", "--region", "EU", env=env, stdin=story)
    assert "112" in chosen.stdout and chosen.stderr == ""


def test_batch_says_it_once_per_run_and_uses_the_region_in_every_record(no_config: dict[str, str]) -> None:
    records = "".join(json.dumps({"id": str(i), "saddle_numbness": "yes"}) + "\n" for i in range(3))
    env = {**no_config, "LANG": "en_AU.UTF-8"}
    done = kneeguide("batch", "-", "--full", env=env, stdin=records)
    assert done.returncode == 0, done.stderr
    calls = [json.loads(line)["assessment"]["triage"]["call"] for line in done.stdout.splitlines()]
    assert calls == ["000", "000", "000"]
    notes = [line for line in done.stderr.splitlines() if line.startswith("kneeguide: note:")]
    assert notes == [taken_from("AU", "en_AU.UTF-8")]
    chosen = kneeguide("batch", "-", "--region", "AU", env=env, stdin=records)
    assert "kneeguide: note:" not in chosen.stderr


def test_the_locale_is_read_case_insensitively_and_aliases_resolve() -> None:
    assert locale.parse("EN_gb.utf8") == locale.Locale("EN_gb.utf8", "en", "GB")
    assert locale.parse("english_uk").territory == "GB"
    assert locale.parse("sr_RS.UTF-8@latin") == locale.Locale("sr_RS.UTF-8@latin", "sr", "RS")
    # normalize() would invent a territory for these: none is written, so none is read
    assert locale.parse("de").territory == "" and locale.parse("C.UTF-8").territory == ""
    assert locale.parse("japanese").language == "ja"


def test_every_eu_and_eea_country_and_switzerland_is_eu_and_nothing_else_is() -> None:
    for territory in EUROPE_112:
        assert locale.region_of(locale.parse(f"xx_{territory}.UTF-8")) == "EU", territory
    others = {t for t, r in locale.TERRITORIES.items() if r == "EU"} - set(EUROPE_112)
    assert others == set()
    assert set(locale.TERRITORIES.values()) <= set(REGIONS)  # every rule set defines these


def remember(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str | None, region: str) -> Path:
    config = tmp_path / "kneeguide" / "config.yaml"
    if text is not None:
        config.parent.mkdir(parents=True)
        config.write_text(text, encoding="utf-8")
    monkeypatch.setenv("KNEEGUIDE_CONFIG", str(config))
    assert remember_region(region) == config
    return config


def test_remember_region_keeps_every_other_setting_and_comment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = "# my defaults\nlang: ja\nregion: JP  # at home\naudience: practitioner\n"
    config = remember(tmp_path, monkeypatch, text, "uk")
    assert config.read_text(encoding="utf-8") == text.replace("region: JP", "region: UK")
    assert load_config() == {"lang": "ja", "region": "UK", "audience": "practitioner"}
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    added = remember(tmp_path / "b", monkeypatch, "lang: ja", "AU")
    assert added.read_text(encoding="utf-8") == "lang: ja\nregion: AU\n"


def test_remember_region_creates_the_file_and_the_next_assess_uses_it_silently(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = remember(tmp_path, monkeypatch, None, "EU")
    assert config.read_text(encoding="utf-8") == "region: EU\n"
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    assert stat.S_IMODE(config.parent.stat().st_mode) == 0o700
    data, stderr = assess({"KNEEGUIDE_CONFIG": str(config), "LANG": "C.UTF-8"})
    assert data["triage"]["call"] == "112" and stderr == []


def test_remember_region_rewrites_a_flow_style_file_keeping_its_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    remember(tmp_path, monkeypatch, "{lang: ja, region: JP, clinic: /srv/clinic.yaml}\n", "US")
    assert load_config() == {"lang": "ja", "region": "US", "clinic": "/srv/clinic.yaml"}


def test_remember_region_follows_a_symlinked_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = tmp_path / "dotfiles" / "kneeguide.yaml"
    real.parent.mkdir()
    real.write_text("lang: en\n", encoding="utf-8")
    link = tmp_path / "config.yaml"
    link.symlink_to(real)
    monkeypatch.setenv("KNEEGUIDE_CONFIG", str(link))
    assert remember_region("AU") == link
    assert link.is_symlink() and real.read_text(encoding="utf-8") == "lang: en\nregion: AU\n"


@pytest.mark.parametrize("region", ["NZ", "", "jp_x"])
def test_remember_region_refuses_a_region_no_rule_set_knows(
    region: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("lang: ja\n", encoding="utf-8")
    monkeypatch.setenv("KNEEGUIDE_CONFIG", str(config))
    with pytest.raises(InputError, match="unknown region"):
        remember_region(region)
    assert config.read_text(encoding="utf-8") == "lang: ja\n"


def test_remember_region_leaves_a_broken_config_file_or_a_device_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("lang: ja\nlang: en\n", encoding="utf-8")
    monkeypatch.setenv("KNEEGUIDE_CONFIG", str(config))
    with pytest.raises(InputError):
        remember_region("UK")
    assert config.read_text(encoding="utf-8") == "lang: ja\nlang: en\n"
    monkeypatch.setenv("KNEEGUIDE_CONFIG", os.devnull)
    with pytest.raises(InputError, match="not a regular file"):
        remember_region("UK")
    assert Path(os.devnull).is_char_device()


def test_the_note_shows_no_control_character_from_the_locale(no_config: dict[str, str]) -> None:
    data, stderr = assess({**no_config, "LANG": "en_GB.UTF-8@\x1b[2J"})
    assert data["region"] == "UK" and stderr == [taken_from("UK", "en_GB.UTF-8@?[2J")]
