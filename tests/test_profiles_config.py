"""Clinic profiles and the configuration file: read as strictly as the rules."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kneeguide.ids import AUDIENCES, LANGUAGES, REGIONS

BOMB = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{c}: &{c} [" + ", ".join([f"*{chr(ord(c) - 1)}"] * 10) + "]\n" for c in "bcdefghij"
)
HOSTILE = {
    "python_tag": "name: !!python/object/apply:os.system ['touch /tmp/kneeguide-pwned']\n",
    "alias_bomb": BOMB,
    "too_large": 'name: "' + "x" * (70 * 1024) + '"\n',
    "duplicate_key": "name: A\nname: B\naddress: C\n",
    "unknown_key": "name: A\naddress: B\nfax: 1\n",
    "not_a_mapping": "- just\n- a list\n",
    "invalid_utf8": None,
}


def kneeguide(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kneeguide", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
    )


def write(path: Path, text: str | None) -> Path:
    if text is None:
        path.write_bytes(b'name: "\xff\xfe"\naddress: x\n')
    else:
        path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_hostile_clinic_profile_is_one_clear_error(case: str, tmp_path: Path) -> None:
    profile = write(tmp_path / "clinic.yaml", HOSTILE[case])
    done = (
        kneeguide("note", "--answers", "-", "--clinic", str(profile))
        if False
        else kneeguide("assess", "-a", "age=30", "--note", str(tmp_path / "n.md"), "--clinic", str(profile))
    )
    assert done.returncode == 2, done.stderr
    assert done.stdout == "" and "Traceback" not in done.stderr
    assert str(profile) in done.stderr
    assert not (tmp_path / "n.md").exists()
    assert not Path("/tmp/kneeguide-pwned").exists()


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_hostile_config_file_is_one_clear_error(case: str, tmp_path: Path) -> None:
    text = HOSTILE[case]
    if text is not None:
        text = text.replace("name:", "lang:").replace("address:", "region:").replace("fax:", "colour:")
    config = write(tmp_path / "config.yaml", text)
    done = kneeguide("assess", "-a", "age=30", env={"KNEEGUIDE_CONFIG": str(config)})
    assert done.returncode == 2, done.stderr
    assert done.stdout == "" and "Traceback" not in done.stderr
    assert str(config) in done.stderr


def test_the_config_file_sets_defaults_and_options_win(tmp_path: Path) -> None:
    config = write(tmp_path / "config.yaml", "lang: ja\nregion: UK\n")
    env = {"KNEEGUIDE_CONFIG": str(config)}
    shown = kneeguide("config", "show", env=env)
    assert "lang: ja" in shown.stdout and "region: UK" in shown.stdout and str(config) in shown.stdout
    done = kneeguide("assess", "-a", "saddle_numbness=yes", "--format", "json", env=env)
    assert '"lang": "ja"' in done.stdout and '"call": "999"' in done.stdout
    override = kneeguide(
        "assess", "-a", "saddle_numbness=yes", "--format", "json", "--lang", "en", "--region", "AU", env=env
    )
    assert '"lang": "en"' in override.stdout and '"call": "000"' in override.stdout


def test_a_japanese_locale_means_japanese_and_region_jp(tmp_path: Path) -> None:
    env = {
        "KNEEGUIDE_CONFIG": str(tmp_path / "none.yaml"),
        "LANG": "ja_JP.UTF-8",
        "LC_ALL": "",
        "LC_MESSAGES": "",
    }
    done = kneeguide("assess", "-a", "saddle_numbness=yes", "--format", "json", env=env)
    assert '"lang": "ja"' in done.stdout and '"call": "119"' in done.stdout
    said = "kneeguide: お知らせ：ロケール ja_JP.UTF-8 から地域 JP（日本、救急番号 119）"
    assert done.stderr.startswith(said)


@pytest.mark.parametrize(
    ("where", "region", "source"), [("en_GB.UTF-8", "UK", "locale"), ("C.UTF-8", "JP", "default")]
)
def test_config_show_says_where_the_region_came_from(
    where: str, region: str, source: str, tmp_path: Path
) -> None:
    env = {"KNEEGUIDE_CONFIG": str(tmp_path / "none.yaml"), "LANG": where, "LC_ALL": "", "LC_MESSAGES": ""}
    shown = kneeguide("config", "show", env=env)
    assert shown.returncode == 0, shown.stderr
    assert f"region: {region}\nregion_source: {source}\nlocale: {where}\n" in shown.stdout
    config = write(tmp_path / "config.yaml", "region: AU\n")
    shown = kneeguide("config", "show", env={**env, "KNEEGUIDE_CONFIG": str(config)})
    assert "region: AU\nregion_source: config\n" in shown.stdout


def test_the_example_tokyo_profile_loads() -> None:
    from kneeguide.inputs.clinic import load_clinic

    root = Path(__file__).resolve().parents[1]
    clinic = load_clinic(root / "examples" / "clinic-tokyo.yaml")
    assert clinic.name.startswith("Fuji Wellness") and "132-0031" in clinic.address


@pytest.mark.skipif(sys.platform != "linux", reason="the fast path is the XDG rule, used on Linux only")
@pytest.mark.parametrize("kind", ["cache", "config", "data"])
@pytest.mark.parametrize("xdg", [None, "", "   ", "/srv/xdg"])
def test_kneeguides_folders_are_where_platformdirs_puts_them(
    kind: str, xdg: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    import platformdirs

    from kneeguide.files import user_dir

    variable = {"cache": "XDG_CACHE_HOME", "config": "XDG_CONFIG_HOME", "data": "XDG_DATA_HOME"}[kind]
    if xdg is None:
        monkeypatch.delenv(variable, raising=False)
    else:
        monkeypatch.setenv(variable, xdg)
    expected = getattr(platformdirs, f"user_{kind}_dir")("kneeguide", appauthor=False)
    assert user_dir(kind) == Path(expected)


#: Pieces of config lines, near the simplest file and just off it.
KEYS = ("lang", "region", "audience", "clinic", "regio", "Region", " region", "region ")
SEPARATORS = (": ", ":  ", ":", ":\t", " : ")
VALUES = (
    "JP",
    "UK",
    "uk",
    "en",
    "ja",
    "fr",
    "lay",
    "practitioner",
    "yes",
    "null",
    "~",
    "JP#x",
    '"JP"',
    "J P",
)
TAILS = ("", " ", "\t", "  # at home", " #", "# x", "\t# x", " # \x07", "\r")
OTHER_LINES = ("", "   ", "# mine", "  # indented", "---", "...", "\t# tab", "- JP", "\ufeff", "%YAML 1.1")
GOOD_LINES = tuple(
    f"{key}: {value}"
    for key, ids in (("lang", LANGUAGES), ("region", REGIONS), ("audience", AUDIENCES))
    for value in ids
)
LINES = st.one_of(
    st.tuples(st.sampled_from(GOOD_LINES), st.sampled_from(TAILS)).map("".join),
    st.tuples(
        st.sampled_from(KEYS), st.sampled_from(SEPARATORS), st.sampled_from(VALUES), st.sampled_from(TAILS)
    ).map("".join),
    st.sampled_from(OTHER_LINES),
)


@settings(max_examples=500, deadline=None)
@given(st.lists(LINES, max_size=6), st.booleans())
def test_the_quick_reading_of_a_simple_config_agrees_with_the_full_reader(
    lines: list[str], bom: bool
) -> None:
    """A remembered region is read without YAML; whatever that accepts, YAML reads alike."""
    from kneeguide.errors import InputError
    from kneeguide.inputs.config import _simple_settings, _yaml_settings

    data = ("\ufeff" if bom else "") + "\n".join(lines)
    quick = _simple_settings(data.encode("utf-8"))
    try:
        full: dict[str, object] | None = _yaml_settings(data.encode("utf-8"), "config.yaml")
    except InputError:
        full = None
    if quick is not None:
        assert quick == full
    if all(line.strip(" ") == "" for line in lines):
        assert quick == {}


def test_the_file_remember_region_writes_is_read_without_yaml(tmp_path: Path) -> None:
    config = write(tmp_path / "config.yaml", "# mine\nlang: ja\n\nregion: UK  # at home\naudience: lay\n")
    code = (
        "import sys\n"
        "from kneeguide.inputs.config import load_config\n"
        "print(load_config(), any(m == 'yaml' or m.startswith('kneeguide.ruleset') for m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "KNEEGUIDE_CONFIG": str(config)},
    )
    assert done.stdout == "{'lang': 'ja', 'region': 'UK', 'audience': 'lay'} False\n", done.stderr


def test_the_quick_config_reader_refuses_exactly_the_characters_yaml_refuses() -> None:
    """The simple-settings path (no YAML import) must hand every file YAML would refuse to
    the full reader: its check agrees with PyYAML's own on every code point of the BMP and
    on the planes' edges, alone and after ASCII or other text."""
    import yaml.reader

    from kneeguide.inputs.config import _unprintable

    points = [*range(0x10000), 0x10000, 0x1F600, 0x10FFFF]
    for code in points:
        ch = chr(code)
        for text in (ch, "region: JP # " + ch, "é" + ch):
            assert _unprintable(text) == bool(yaml.reader.Reader.NON_PRINTABLE.search(text)), hex(code)
