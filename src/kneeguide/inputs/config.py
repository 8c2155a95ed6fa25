"""The user's defaults: language, region, audience, clinic profile.

One YAML file under the user config directory (``KNEEGUIDE_CONFIG`` points
elsewhere). Command-line options always win. Without a configured language,
the locale decides (Japanese locale → ``ja``), and Japanese implies region JP.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kneeguide.errors import InputError, KneeguideError, Location, Problem
from kneeguide.ids import AUDIENCES, LANGUAGES, REGIONS

if TYPE_CHECKING:
    from kneeguide.ruleset.schema.shapes import Record


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


def config_path() -> Path:
    """``KNEEGUIDE_CONFIG`` if set, else ``config.yaml`` in the user config directory."""
    override = os.environ.get("KNEEGUIDE_CONFIG")
    if override:
        return Path(override)
    from kneeguide.files import user_dir

    return user_dir("config") / "config.yaml"


def load_config() -> dict[str, Any]:
    """The config file's settings ({} without a file); raises :class:`InputError`
    listing every problem of a file larger than 64 KiB, unparsable or off the schema."""
    path = config_path()
    if not path.is_file():
        return {}
    from kneeguide.ruleset.yamlio import decode, location_of, parse

    shown = str(path)
    data = path.read_bytes()
    if len(data) > 64 * 1024:
        raise InputError([Problem("config file larger than 64 KiB", Location(shown))])
    try:
        doc = parse(decode(data, shown), shown)
    except KneeguideError as exc:
        raise InputError(exc.problems) from None
    if doc is None:
        return {}
    problems: list[Problem] = []
    config_schema().check(doc, location_of(doc, Location(shown, 1, 1)), problems)
    if problems:
        raise InputError(problems)
    return dict(doc)


def locale_lang() -> str:
    """``ja`` when the first set of LC_ALL, LC_MESSAGES and LANG is Japanese, else ``en``."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            return "ja" if value.lower().startswith("ja") else "en"
    return "en"


def effective(lang: str | None, region: str | None, audience: str | None) -> dict[str, Any]:
    """Options, then the config file, then the locale: the settings a command uses."""
    config = load_config()
    chosen_lang = lang or config.get("lang") or locale_lang()
    chosen_region = region or config.get("region") or "JP"  # JP by default, as for Japanese
    return {
        "lang": chosen_lang,
        "region": chosen_region,
        "audience": audience or config.get("audience") or "lay",
        "clinic": config.get("clinic"),
        "rules": config.get("rules"),
        "config": str(config_path()),
    }
