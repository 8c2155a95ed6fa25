"""What the POSIX locale says about the person: the language they read and, when it
names a country, where they probably are.

A locale is set up once for a computer, often by someone else, so it is only a
guess: it names a region only when it carries a territory kneeguide has numbers
for, and a bare language (``en``, ``de``) or ``C``/``POSIX`` says nothing about
where anyone is. One variable is read for both language and region, so the two
never disagree about which locale is in effect.
"""

from __future__ import annotations

import locale
import os
from typing import NamedTuple

from kneeguide.ids import LANGUAGES

#: The variables that name the locale, the first one set winning: LC_ALL overrides
#: every category, LC_MESSAGES is the language of messages, LANG the fallback (POSIX).
VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")

# fmt: off
#: Locale territory (ISO 3166-1 alpha-2) → kneeguide region. Cited as `region_numbers`
#: in rules/references.yaml (clinical reference §3.6). 112 is the emergency number of
#: every EU member state (Directive (EU) 2018/1972, European Electronic Communications
#: Code, Art. 109; before it Directive 2002/22/EC, Universal Service Directive, Art. 26);
#: the EEA states Iceland, Liechtenstein and Norway and Switzerland answer it too (in
#: Norway it reaches the police, who connect the ambulance). Membership: the 27 member
#: states as of 2020 (europa.eu, "EU countries"). A territory missing here (en_CA,
#: pt_BR, en_NZ) names no region: the interview asks, `assess` says it assumed one.
TERRITORIES: dict[str, str] = {
    "JP": "JP",
    "US": "US",
    "GB": "UK",
    "AU": "AU",
    # the 27 EU member states
    "AT": "EU", "BE": "EU", "BG": "EU", "HR": "EU", "CY": "EU", "CZ": "EU", "DK": "EU",
    "EE": "EU", "FI": "EU", "FR": "EU", "DE": "EU", "GR": "EU", "HU": "EU", "IE": "EU",
    "IT": "EU", "LV": "EU", "LT": "EU", "LU": "EU", "MT": "EU", "NL": "EU", "PL": "EU",
    "PT": "EU", "RO": "EU", "SK": "EU", "SI": "EU", "ES": "EU", "SE": "EU",
    # the rest of the EEA, and Switzerland
    "IS": "EU", "LI": "EU", "NO": "EU", "CH": "EU",
}
# fmt: on


class Locale(NamedTuple):
    """A locale as set (``name``, "" when no variable is set), its ``language`` in lower
    case ("" for ``C``/``POSIX``) and its ``territory`` in upper case ("" when it names none)."""

    name: str
    language: str
    territory: str


def current() -> Locale:
    """The locale of the first of :data:`VARIABLES` that is set and not empty."""
    for variable in VARIABLES:
        value = os.environ.get(variable, "")
        if value:
            return parse(value)
    return parse("")


def parse(name: str) -> Locale:
    """Split ``language_TERRITORY.codeset@modifier``, any case, aliases resolved by
    :func:`locale.normalize` (``english_uk`` → ``en_GB``).

    ``normalize`` also invents a territory for a name that has none (``de`` →
    ``de_DE``, even ``C.UTF-8`` → ``en_US``), so a territory is kept only when the
    name as written carries one.
    """
    written = _language_part(name)
    if not written or written.upper() in ("C", "POSIX"):
        return Locale(name, "", "")
    language, _, territory = _language_part(locale.normalize(name)).partition("_")
    if "_" not in written:
        territory = ""
    return Locale(name, language.lower(), territory.upper())


def _language_part(name: str) -> str:
    """``en_GB`` of ``en_GB.UTF-8@euro``."""
    return name.partition("@")[0].partition(".")[0].strip()


def region_of(where: Locale) -> str | None:
    """The region the locale's territory lies in, or None when it names none kneeguide has."""
    return TERRITORIES.get(where.territory)


def language_of(where: Locale) -> str:
    """The locale's language when kneeguide speaks it (``ja`` for ``ja_JP``), else ``en``."""
    return where.language if where.language in LANGUAGES else "en"
