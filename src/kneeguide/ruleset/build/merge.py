"""An overlay merged into the built-in rule set, document by document.

A rules directory holding only some files changes the built-in set: an entry
with the id of a built-in one replaces it, a new id is added, messages and
translations are merged key by key, tests are added to the built-in ones, and
any other key replaces the built-in value.
"""

from __future__ import annotations

from typing import Any

#: file name → (list key, id key) of each list whose entries an overlay merges by id
MERGED: dict[str, tuple[tuple[str, str], ...]] = {
    "references.yaml": (("references", "id"),),
    "questions.yaml": (("sections", "id"), ("questions", "id")),
    "red_flags.yaml": (("red_flags", "id"),),
    "scores.yaml": (("scores", "id"),),
    "causes.yaml": (("causes", "id"),),
    "triage.yaml": (("floors", "id"),),
    "dispositions.yaml": (("regions", "id"), ("levels", "id")),
    "acupuncture.yaml": (("points", "code"), ("evidence", "id"), ("suitability", "id")),
}


def merge(name: str, base: Any, over: Any) -> Any:
    """The document of file ``name`` with ``over`` laid onto ``base`` (neither is changed).

    The result keeps ``base``'s locations, but a key ``over`` sets is where ``over`` sets
    it (a problem with an overlay's ``not_excluded_level`` names the overlay's line);
    entries taken from ``over`` keep theirs.
    """
    merged = type(base)(base)
    if hasattr(base, "location"):
        merged.location = base.location
    if hasattr(base, "key_locations"):
        merged.key_locations = {**base.key_locations, **getattr(over, "key_locations", {})}
    keyed = dict(MERGED.get(name, ()))
    for key, value in over.items():
        if key in keyed and key in base:
            id_key = keyed[key]
            entries = {entry[id_key]: entry for entry in base[key]}
            for entry in value:
                entries[entry[id_key]] = entry
            merged[key] = list(entries.values())
        elif key == "messages" and key in base:
            merged[key] = {**base[key], **value}
        elif key == "translations" and key in base:
            merged[key] = {lang: {**base[key].get(lang, {}), **entries} for lang, entries in value.items()}
            for lang, entries in base[key].items():
                merged[key].setdefault(lang, entries)
        elif key == "tests" and key in base:
            merged[key] = list(base[key]) + list(value)
        else:
            merged[key] = value
    return merged
