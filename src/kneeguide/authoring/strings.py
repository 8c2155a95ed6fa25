"""``kneeguide rules strings``: every user-facing text beside its translation, for review.

Each text has a stable id (``red_flags.dvt.title``: the rule file, the rule, the
field) and, in each language, a state: ``reviewed`` (shown to readers),
``draft`` (marked fuzzy in its catalogue, never shown), ``changed`` (made from
English that has since been reworded: kept, held back until reviewed) or
``missing``. :func:`string_rows` lists them side by side for a clinical
reviewer; :func:`updated_catalogues` writes the gettext catalogues a
translator's tool opens, with every text present, a reworded text's translation
kept as a draft beside its old English, and nothing that no text has.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from kneeguide.ruleset.build import Texts, english_texts
from kneeguide.ruleset.build.catalogue import REVIEWED, catalogue_name, translation_state, write_catalogue
from kneeguide.ruleset.files import builtin_rules, read_files


class StringRow(NamedTuple):
    """One text in one language: its id, English, translation ('' when none), state, and
    the English the translation was made from when that has changed since."""

    id: str
    english: str
    translation: str
    state: str
    previous: str
    where: str


def string_rows(directory: Path | None, lang: str) -> list[StringRow]:
    """Every text of the rules in ``directory`` (the built-in rules when None), in file
    order, with its ``lang`` translation and state. Raises
    :class:`kneeguide.errors.RulesError` when the files cannot be read or parsed."""
    return _rows(_texts(directory), lang)


def _texts(directory: Path | None) -> Texts:
    return english_texts(read_files(directory if directory is not None else builtin_rules()))


def _rows(found: Texts, lang: str) -> list[StringRow]:
    entries = found.catalog.get(lang, {})
    rows: list[StringRow] = []
    seen: set[str] = set()
    for text_id, english, where in found.english:
        if text_id in seen or not english:
            continue
        seen.add(text_id)
        if text_id in found.inline:
            translation = found.inline[text_id].get(lang, "")
            rows.append(
                StringRow(
                    text_id, english, translation, REVIEWED if translation else "missing", "", str(where)
                )
            )
            continue
        entry = entries.get(text_id)
        state = translation_state(entry, english)
        previous = entry.english if entry is not None and entry.english != english else ""
        rows.append(StringRow(text_id, english, entry.text if entry else "", state, previous, str(where)))
    return rows


def orphans(directory: Path | None, lang: str) -> list[str]:
    """The ids in the ``lang`` catalogues that no text of the rules has (renamed or removed)."""
    return _orphans(_texts(directory), lang)


def _orphans(found: Texts, lang: str) -> list[str]:
    known = {text_id for text_id, _, _ in found.english}
    return sorted(set(found.catalog.get(lang, {})) - known)


def catalogue_update(directory: Path | None, lang: str) -> tuple[dict[str, bytes], list[str]]:
    """:func:`updated_catalogues` and :func:`orphans` of one reading of the rules: what
    ``kneeguide rules strings --update`` writes, and the entries it drops."""
    found = _texts(directory)
    return _updated(found, lang), _orphans(found, lang)


def updated_catalogues(directory: Path | None, lang: str) -> dict[str, bytes]:
    """The ``lang`` catalogues of the rules in ``directory``, brought up to date: catalogue
    name (``locale/ja/questions.po``) → PO bytes. Every text not given in place has an
    entry; a translation of since-reworded English is kept as a draft, with the old
    English as gettext's previous ``msgid``; reviewed and draft states are kept; entries no
    text has are left out (:func:`orphans` names them)."""
    return _updated(_texts(directory), lang)


def _updated(found: Texts, lang: str) -> dict[str, bytes]:
    rows = _rows(found, lang)
    by_file: dict[str, list[tuple[str, str, str, str, bool, str]]] = {}
    for row in rows:
        if row.id in found.inline:
            continue
        stem = row.id.split(".", 1)[0]
        draft = row.state != REVIEWED and bool(row.translation)
        by_file.setdefault(catalogue_name(lang, stem + ".yaml"), []).append(
            (row.id, row.english, row.translation, row.previous, draft, "")
        )
    return {name: write_catalogue(lang, entries) for name, entries in by_file.items()}
