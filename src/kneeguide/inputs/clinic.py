"""Clinic profiles: who is named on a routine or self-care referral note.

A profile is a small YAML file read with the same strict loader as the rules
(no tags, no duplicate or unknown keys, every problem with ``file:line``). No
clinic is built in; ``examples/clinic-tokyo.yaml`` shows the shape.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from kneeguide.errors import InputError, KneeguideError, Location, Problem
from kneeguide.ruleset.schema.shapes import F, ListOf, Record
from kneeguide.ruleset.schema.spec import Str
from kneeguide.ruleset.yamlio import decode, location_of, parse


class Clinic(NamedTuple):
    """A clinic profile: the sender of a referral letter (name, address, phone, email)."""

    name: str
    address: str
    phone: str
    email: str
    languages: tuple[str, ...]
    hours: str
    accepts: tuple[str, ...]


PROFILE = Record(
    (
        F("name", Str(), required=True),
        F("address", Str(), required=True),
        F("phone", Str()),
        F("email", Str()),
        F("languages", ListOf(Str())),
        F("hours", Str()),
        F("accepts", ListOf(Str()), doc="which referrals the clinic accepts"),
    )
)
MAX_BYTES = 64 * 1024


def load_clinic(path: str | Path) -> Clinic:
    """The clinic profile at ``path``; raises :class:`InputError` listing every problem
    of a file that is unreadable, larger than 64 KiB, unparsable or off :data:`PROFILE`."""
    shown = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError([Problem(f"cannot read clinic profile: {exc.strerror}", Location(shown))]) from None
    if len(data) > MAX_BYTES:
        raise InputError([Problem("clinic profile larger than 64 KiB", Location(shown))])
    try:
        doc = parse(decode(data, shown), shown)
    except KneeguideError as exc:
        raise InputError(exc.problems) from None
    problems: list[Problem] = []
    PROFILE.check(doc, location_of(doc, Location(shown, 1, 1)), problems)
    if problems:
        raise InputError(problems)
    return Clinic(
        name=doc["name"],
        address=doc["address"],
        phone=doc.get("phone", ""),
        email=doc.get("email", ""),
        languages=tuple(doc.get("languages", [])),
        hours=doc.get("hours", ""),
        accepts=tuple(doc.get("accepts", [])),
    )
