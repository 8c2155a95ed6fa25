"""What a command runs with: the rule set, language, region, audience and clinic profile,
and how its terminal wants text (colour, width).

Command-line options win, then the user's config file, then the locale; a region
none of them names is the rule set's ``default_region``. The rule set is loaded
here once per command, and later error messages speak its language.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from kneeguide.cli.guard import speak_as

if TYPE_CHECKING:
    from kneeguide.inputs.config import RegionSource
    from kneeguide.ruleset.model import Answers, RuleSet


class Settings(NamedTuple):
    """The settings in effect: ``region`` (e.g. ``JP``), ``audience`` (an id of
    ``kneeguide.ids.AUDIENCES``) and ``clinic`` (a profile's path, or None) as given
    or configured; ``lang`` one that ``rules`` provides. ``region_source`` says where
    the region came from (``locale`` and ``default`` are guesses the person should
    hear about, see :func:`announce_region`); ``locale`` is the locale as set."""

    rules: RuleSet
    lang: str
    region: str
    audience: str
    clinic: str | None
    region_source: RegionSource
    locale: str


def load(rules_dir: Path | None) -> RuleSet:
    """The rule set in ``rules_dir``, or the built-in one; raises ``RulesError``."""
    from kneeguide.api import load_rules

    return load_rules(rules_dir)


def resolve(lang: str | None, region: str | None, audience: str | None, rules_dir: Path | None) -> Settings:
    """The settings for these options (None where not given); raises ``InputError``
    for a bad config file and ``RulesError`` for bad rules."""
    from kneeguide.inputs.config import effective

    chosen = effective(lang, region, audience)
    rules = load(rules_dir or (Path(chosen["rules"]) if chosen["rules"] else None))
    spoken = chosen["lang"]
    if lang is None and spoken not in rules.offered:
        spoken = "en"  # a locale or config default the rules cannot speak: fall back
    speak_as(rules, spoken)
    return Settings(
        rules,
        spoken,
        chosen["region"] or rules.default_region,
        chosen["audience"],
        chosen["clinic"],
        chosen["region_source"],
        chosen["locale"],
    )


def batch_settings(rules: RuleSet, region: str | None, audience: str) -> Settings:
    """What ``batch`` runs with: ``rules`` as it loaded them, ``audience`` as given, its
    summary in English, and the region in the same order as :func:`resolve`."""
    from kneeguide.inputs.config import choose_region, load_config

    where = choose_region(region, load_config())
    return Settings(
        rules, "en", where.region or rules.default_region, audience, None, where.source, where.locale
    )


def say_if_nothing_answered(answers: Answers, rules: RuleSet, lang: str) -> None:
    """One line on stderr when no question was answered (the set is still assessed): every
    red flag is then "not excluded", which must not pass for a finding."""
    from kneeguide.inputs.sources import nothing_answered

    line = nothing_answered(rules, answers, lang)
    if line is not None:
        sys.stderr.write(f"kneeguide: {line}\n")


def refuse_unread_stdin(rules: RuleSet, lang: str) -> None:
    """Raise :class:`InputError` when no answers were given but standard input is a pipe or
    a file (``echo '{…}' | kneeguide assess``): those answers would be ignored and nothing
    assessed in their place, a wrong "soon" that ``--fail-on`` lets through. Nothing is read
    from it, so a parent that keeps the pipe open cannot make the command wait."""
    if _stdin_waits():
        from kneeguide.errors import InputError, Problem

        raise InputError([Problem(rules.message("stdin_not_read", lang), key="stdin_not_read")])


def _stdin_waits() -> bool:
    """Whether standard input is a pipe or a file that may hold answers ``assess`` does not
    read without ``--answers -`` (``echo '{…}' | kneeguide assess``): not a terminal and not
    ``/dev/null``. Nothing is read from it: a parent that keeps the pipe open must not
    make ``assess`` wait."""
    import os
    import stat

    try:
        mode = os.fstat(sys.stdin.fileno()).st_mode
    except (OSError, ValueError, AttributeError):  # no stdin at all
        return False
    return stat.S_ISFIFO(mode) or (stat.S_ISREG(mode) and os.fstat(sys.stdin.fileno()).st_size > 0)


def announce_region(settings: Settings) -> None:
    """Say on stderr which region's emergency number the output uses when nobody chose
    it: taken from the locale, or the rule set's default because the locale names no
    country. Silent for a region given as an option or in the config file."""
    if settings.region_source not in ("locale", "default"):
        return
    from kneeguide.ruleset.model import pick

    rules, lang = settings.rules, settings.lang
    region = rules.regions[settings.region]  # a guess is always one the rules define
    key = "region_assumed" if settings.region_source == "locale" else "region_guessed"
    shown = "".join(c if c.isprintable() else "?" for c in settings.locale)  # no escapes from LANG
    text = rules.message(key, lang).format(
        region=region.id, name=pick(region.name, lang), emergency=region.emergency, locale=shown
    )
    said = rules.message("labelled", lang).format(label=rules.message("label_note", lang), text=text)
    sys.stderr.write(f"kneeguide: {said}\n")


def color() -> bool:
    """Colour on stdout: only on a terminal that draws it (not ``TERM=dumb``), and never
    with ``NO_COLOR`` set."""
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM", "") != "dumb"


def width() -> int:
    """Text width in columns: the terminal's, or ``COLUMNS`` when set (a pipe into a pager or
    a file meant for a given width), else 80; never wider than 120 nor narrower than 40.
    ``shutil.get_terminal_size`` reads ``COLUMNS`` first, then the terminal, then 80."""
    import shutil

    if sys.stdout.isatty() or os.environ.get("COLUMNS", "").strip().isdigit():
        columns = shutil.get_terminal_size((80, 24)).columns
    else:
        columns = 80
    return max(40, min(columns, 120))
