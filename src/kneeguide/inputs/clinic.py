"""Clinic profiles: who is named on a routine or self-care referral note.

A profile is a small YAML file read with the same strict loader as the rules
(no tags, no duplicate or unknown keys, every problem with ``file:line``). No
clinic is built in; ``examples/clinic-tokyo.yaml`` shows the shape.

A clinic that writes letters in more than one language gives its name, address and
hours in each (``name: {ja: 富士ウェルネス鍼灸院, en: Fuji Wellness}``): a Japanese
letter then names the clinic as its Japanese readers know it, an English one in English.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from kneeguide.errors import InputError, KneeguideError, Location, Problem
from kneeguide.inputs.bounded import read_regular
from kneeguide.ruleset.model import pick
from kneeguide.ruleset.schema.shapes import F, ListOf, Record
from kneeguide.ruleset.schema.spec import Str, Text
from kneeguide.ruleset.yamlio import decode, location_of, parse

#: The fields a profile may give in several languages.
LOCALIZED = ("name", "address", "hours")


class Clinic(NamedTuple):
    """A clinic profile: the sender of a referral letter (name, address, phone, email).

    ``texts`` holds the fields given in several languages (field → language → text); the
    plain fields hold the English, or the only language given."""

    name: str
    address: str
    phone: str
    email: str
    languages: tuple[str, ...]
    hours: str
    accepts: tuple[str, ...]
    texts: Mapping[str, Mapping[str, str]] = MappingProxyType({})

    def in_language(self, lang: str) -> Clinic:
        """The profile with its name, address and hours in ``lang`` where it gives them."""

        def text(field: str, default: str) -> str:
            return self.texts.get(field, {}).get(lang, default)

        return self._replace(
            name=text("name", self.name),
            address=text("address", self.address),
            hours=text("hours", self.hours),
        )


PROFILE = Record(
    (
        F("name", Text(), required=True, doc="the clinic's name: text, or a mapping of language to text"),
        F("address", Text(), required=True, doc="text, or a mapping of language to text"),
        F("phone", Str()),
        F("email", Str()),
        F("languages", ListOf(Str())),
        F("hours", Text(), doc="text, or a mapping of language to text"),
        F("accepts", ListOf(Str()), doc="which referrals the clinic accepts"),
    )
)
#: The most a clinic profile may hold, in bytes: a real one is under 2 KiB.
MAX_BYTES = 64 * 1024


def load_clinic(path: str | Path) -> Clinic:
    """The clinic profile at ``path``; raises :class:`InputError` listing every problem
    of a file that is missing, not a regular file (a FIFO or ``/dev/zero`` is refused
    before a byte is read), unreadable, larger than 64 KiB, unparsable or off
    :data:`PROFILE` (all the duplicate keys and wrong values of a file that parses).

    A ``.json`` profile is read as JSON; any other as YAML by its 1.2 core schema, so
    ``hours: 10:00-18:00`` or ``hours: 10:00`` is the text the clinic wrote.
    The bytes are UTF-8, with or without a BOM (:func:`~kneeguide.ruleset.yamlio.decode`).
    """
    shown = str(path)
    data = read_regular(path, MAX_BYTES, "clinic profile")
    problems: list[Problem] = []
    try:
        doc = parse(decode(data, shown), shown, problems=problems)
    except KneeguideError as exc:
        raise InputError(exc.problems) from None
    PROFILE.check(doc, location_of(doc, Location(shown, 1, 1)), problems)
    if problems:
        raise InputError(problems)
    texts = {f: dict(doc[f]) for f in LOCALIZED if isinstance(doc.get(f), dict)}
    return Clinic(
        name=_text(doc["name"]),
        address=_text(doc["address"]),
        phone=doc.get("phone", ""),
        email=doc.get("email", ""),
        languages=tuple(doc.get("languages", [])),
        hours=_text(doc.get("hours", "")),
        accepts=tuple(doc.get("accepts", [])),
        texts=MappingProxyType({f: MappingProxyType(t) for f, t in texts.items()}),
    )


def _text(value: Any) -> str:
    """A field's text: itself, or from a language map its English (else its first)."""
    return pick(value, "en") if isinstance(value, dict) else str(value)
