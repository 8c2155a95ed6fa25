"""The user's defaults: language, region, audience, clinic profile.

One YAML file under the user config directory (``KNEEGUIDE_CONFIG`` points
elsewhere). Command-line options always win, then the file, then the locale
(``ja_JP`` → ``ja`` and region JP, ``en_GB`` → region UK, ...); a region nothing
names is the rule set's ``default_region``, which only the rules know, so it is
left to the caller (``region`` None, ``region_source`` ``"default"``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from kneeguide.errors import InputError, KneeguideError, Location, Problem
from kneeguide.ids import AUDIENCES, LANGUAGES, REGIONS
from kneeguide.inputs import locale

if TYPE_CHECKING:
    from kneeguide.ruleset.schema.shapes import Record

#: Where the region in effect came from: chosen (``option``, ``config``) or guessed.
RegionSource = Literal["option", "config", "locale", "default"]


class RegionChoice(NamedTuple):
    """The region in effect (None: the rule set's default), where it came from, and
    the locale as set ("" when none is), which the note about a guess names."""

    region: str | None
    source: RegionSource
    locale: str


def config_schema() -> Record:
    """The config file's shape (built on demand: most runs have no config file,
    and the schema module costs more to import than a whole assessment)."""
    from kneeguide.ruleset.schema.shapes import F, Record
    from kneeguide.ruleset.schema.spec import Enum, Str

    return Record(
        (
            F("lang", Enum(LANGUAGES)),
            F("region", Enum(REGIONS)),
            F("audience", Enum(AUDIENCES)),
            F("clinic", Str(), doc="path of a clinic profile"),
            F("rules", Str(), doc="path of a custom rules directory"),
        )
    )


#: The most a config file may hold, in bytes (five settings need under 200).
MAX_BYTES = 64 * 1024


def config_path() -> Path:
    """``KNEEGUIDE_CONFIG`` if set, else ``config.yaml`` in the user config directory."""
    override = os.environ.get("KNEEGUIDE_CONFIG")
    if override:
        return Path(override)
    from kneeguide.files import user_dir

    return user_dir("config") / "config.yaml"


def load_config() -> dict[str, Any]:
    """The config file's settings.

    ``{}`` when the file does not exist (yet: the interview creates it when it
    remembers a region, at ``KNEEGUIDE_CONFIG`` too) or is ``os.devnull`` (the usual
    way to say "no config file"). Raises :class:`InputError` with one line naming the
    file for anything else that is not a readable regular file of at most 64 KiB (a
    directory, a FIFO, ``/dev/zero``: refused before a byte is read), and listing every
    problem of a file that does not parse or is off :func:`config_schema`.
    """
    path = config_path()
    if str(path) == os.devnull:
        return {}
    from kneeguide.inputs.bounded import read_regular

    try:
        data = read_regular(path, MAX_BYTES, "config file")
    except InputError as exc:
        if not os.path.lexists(path):
            return {}
        raise _named(exc) from None
    return _settings_in(data, str(path))


def _named(exc: InputError) -> InputError:
    """``exc`` with each line naming ``KNEEGUIDE_CONFIG`` when the file's name came from
    it: a person who set it long ago may not think of it."""
    override = os.environ.get("KNEEGUIDE_CONFIG")
    if not override:
        return exc
    return InputError([p._replace(location=Location(f"KNEEGUIDE_CONFIG={override}")) for p in exc.problems])


def _settings_in(data: bytes, shown: str) -> dict[str, Any]:
    """The settings of a config file's bytes; raises :class:`InputError` naming ``shown``."""
    if len(data) > MAX_BYTES:
        raise InputError([Problem("config file larger than 64 KiB", Location(shown))])
    simple = _simple_settings(data)
    return simple if simple is not None else _yaml_settings(data, shown)


def _yaml_settings(data: bytes, shown: str) -> dict[str, Any]:
    """The settings of any config file, read as YAML (1.2 core schema; JSON for a
    ``.json`` file) as strictly as the rules and checked against :func:`config_schema`;
    raises :class:`InputError` naming ``shown`` with every problem found. The bytes are
    UTF-8, with or without a BOM."""
    from kneeguide.ruleset.yamlio import decode, location_of, parse

    problems: list[Problem] = []
    try:
        doc = parse(decode(data, shown), shown, problems=problems)
    except KneeguideError as exc:
        raise InputError(exc.problems) from None
    if doc is None and not problems:
        return {}
    config_schema().check(doc, location_of(doc, Location(shown, 1, 1)), problems)
    if problems:
        raise InputError(problems)
    return dict(doc)


#: The lines of the simplest config file, the one :func:`remember_region` writes: a
#: top-level key with one of its ids (and perhaps a comment), comments, blank lines.
_SIMPLE_LINE = re.compile(r"(?P<key>lang|region|audience): +(?P<value>[A-Za-z]+)(?: +#.*)?| *(?:#.*)?")
_IDS = {"lang": LANGUAGES, "region": REGIONS, "audience": AUDIENCES}
#: An ASCII character YAML refuses anywhere in a file, comments included (YAML 1.1, 5.1).
#: (The whole set as one negated class took 3 ms to compile on every start.)
_ASCII_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _unprintable(text: str) -> bool:
    """Whether ``text`` holds a character YAML refuses anywhere in a file: a control
    character but tab, line feed and carriage return (C1 too, but NEL), a surrogate,
    U+FFFE or U+FFFF."""
    if text.isascii():
        return _ASCII_UNPRINTABLE.search(text) is not None
    for ch in text:
        code = ord(ch)
        if code < 0x20 and ch not in "\t\n\r":
            return True
        if 0x7F <= code <= 0x9F and code != 0x85:
            return True
        if 0xD800 <= code <= 0xDFFF or code in (0xFFFE, 0xFFFF):
            return True
    return False


def _simple_settings(data: bytes) -> dict[str, Any] | None:
    """The settings of the simplest config file, read without YAML; None for any other
    file, which the full reader reads and checks.

    Importing YAML and the schema adds about a fifth to the start-up of ``assess``
    (README, Performance), and a remembered region is such a file. It accepts only
    what the full reader reads the same way (a test holds the two equal).
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    if _unprintable(text):
        return None
    found: dict[str, Any] = {}
    for line in text.split("\n"):
        match = _SIMPLE_LINE.fullmatch(line)
        if match is None:
            return None
        key, value = match["key"], match["value"]
        if key is None:
            continue
        if key in found or value not in _IDS[key]:
            return None
        found[key] = value
    return found


def locale_lang() -> str:
    """The locale's language when it is one of ``kneeguide.ids.LANGUAGES`` (``ja`` for
    ``ja_JP.UTF-8``), else ``en``; the locale is the first set of LC_ALL, LC_MESSAGES, LANG."""
    return locale.language_of(locale.current())


def choose_region(option: str | None, config: Mapping[str, Any]) -> RegionChoice:
    """The option, then the config file's region, then the locale's; else None (the
    rule set's default)."""
    where = locale.current()
    if option:
        return RegionChoice(option, "option", where.name)
    if config.get("region"):
        return RegionChoice(str(config["region"]), "config", where.name)
    guessed = locale.region_of(where)
    if guessed is not None:
        return RegionChoice(guessed, "locale", where.name)
    return RegionChoice(None, "default", where.name)


def effective(lang: str | None, region: str | None, audience: str | None) -> dict[str, Any]:
    """Options, then the config file, then the locale: the settings a command uses.
    ``region`` is None when nothing names one (the rule set's default applies)."""
    config = load_config()
    where = choose_region(region, config)
    return {
        "lang": lang or config.get("lang") or locale_lang(),
        "region": where.region,
        "region_source": where.source,
        "locale": where.locale,
        "audience": audience or config.get("audience") or "lay",
        "clinic": config.get("clinic"),
        "rules": config.get("rules"),
        "config": str(config_path()),
    }


#: A top-level ``region:`` line of a block-style config file, its comment kept apart.
_REGION_LINE = re.compile(r"^region[ \t]*:[^#\n]*(?P<comment>#.*)?$", re.MULTILINE)


def remember_region(region: str) -> Path:
    """Write ``region`` (any case) into the user's config file and return its path.

    The interview calls it when the locale named no country and the person chose
    one. Every other setting stays, and so do comments when the file is block-style
    YAML (a ``region:`` line is replaced, else one is added); otherwise the settings
    are written afresh. The file is replaced atomically, owner-only, and its folder
    made if missing; a symbolic link is followed, so a linked file stays linked.

    Raises :class:`InputError` for a region id not in ``kneeguide.ids.REGIONS`` (those
    every rule set defines, the only ones the file may hold) and for a config file
    that does not load or is not a file (``/dev/null``), which is then left as it
    was; ``WriteError`` when it cannot be written.
    """
    from kneeguide.files import private_dir, write_atomic
    from kneeguide.inputs.bounded import read_regular

    code = region.strip().upper()
    if code not in REGIONS:
        raise InputError([Problem(f"unknown region '{region}' (expected one of: {', '.join(REGIONS)})")])
    path = config_path()
    target = path.resolve() if path.is_symlink() else path
    if target.exists() and not target.is_file():
        raise InputError([Problem("not a regular file; cannot save the region here", Location(str(path)))])
    old = read_regular(target, MAX_BYTES, "config file") if target.exists() else b""
    wanted = {**_settings_in(old, str(path)), "region": code}
    text = _with_region(old.decode("utf-8-sig"), code)
    try:
        kept = _settings_in(text.encode("utf-8"), str(path)) == wanted
    except InputError:
        kept = False
    if not kept:  # not block-style YAML: the settings alone, written afresh
        import yaml

        text = yaml.safe_dump(wanted, sort_keys=False, allow_unicode=True)
    if not target.parent.is_dir():
        private_dir(target.parent)
    write_atomic(target, text, private=True, force=True)
    return path


def _with_region(text: str, code: str) -> str:
    """``text`` with its ``region:`` line set to ``code`` (its comment kept), or one added."""
    found = list(_REGION_LINE.finditer(text))
    if len(found) == 1:
        comment = found[0]["comment"]
        line = f"region: {code}" + (f"  {comment}" if comment else "")
        return text[: found[0].start()] + line + text[found[0].end() :]
    return text + ("" if not text or text.endswith("\n") else "\n") + f"region: {code}\n"
