"""``kneeguide rules strings``: every user-facing text, for translators.

Lists each English text of a rule set once, in file order, with its translation
into one language from ``translations.yaml`` (empty where there is none), in the
shape ``translations.yaml`` takes, so a translator fills in the blanks and pastes
the result back. The texts are collected even when the rule set has other
problems, since an unfinished translation is itself one of them.
"""

from __future__ import annotations

from pathlib import Path

from kneeguide.ruleset.build import english_texts
from kneeguide.ruleset.files import builtin_rules, read_files


def translation_entries(directory: Path | None, lang: str, *, missing: bool = False) -> dict[str, str]:
    """English text → its ``lang`` translation ('' when untranslated), for the rules in
    ``directory`` (the built-in rules when ``None``); only the untranslated texts when
    ``missing``. Raises :class:`kneeguide.errors.RulesError` when the files cannot be read.
    """
    files = read_files(directory if directory is not None else builtin_rules())
    texts, catalog = english_texts(files)
    known = catalog.get(lang, {})
    entries: dict[str, str] = {}
    for text, _ in texts:
        if text and text not in entries and (not missing or text not in known):
            entries[text] = known.get(text, "")
    return entries
