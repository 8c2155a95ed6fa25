"""Translations: gettext catalogues (``locale/<lang>/<rule file>.po``) keyed by stable text ids.

Why gettext: PO files are what translators' tools read and write (Poedit,
Weblate, OmegaT, Lokalize), with the states a translation workflow needs. Each
entry's ``msgctxt`` is the text's stable id (``questions.calf_swelling.lay``:
the rule file, the rule's id, the field), so rewording an English text never
re-keys its translation and two texts with the same English never share one.
The ``msgid`` is the English the translation was made from: when the rule's
English changes, the translation stays attached to its id but no longer
matches, and it is held back for review. The ``fuzzy`` flag is the standard
mark of a draft: a draft is never shown to a reader.

The files are read with Babel, the Python ecosystem's gettext library; Babel's
reader is lenient about a few malformed shapes (an unterminated string, an
entry given twice), so :func:`read_catalogue` checks those itself before
reading, and every problem is reported with its ``file:line``.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from typing import Any, NamedTuple

from kneeguide.errors import Location, Problem
from kneeguide.ruleset.files import LOCALE_DIR

#: States of a text in one language, as ``kneeguide rules strings`` shows them.
REVIEWED, DRAFT, CHANGED, MISSING = "reviewed", "draft", "changed", "missing"

_LINE = re.compile(r'^(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+)?"(?:[^"\\]|\\.)*"\s*$')


class Entry(NamedTuple):
    """One translated text: the English it was made from, the translation, whether it is
    a draft (``#, fuzzy``), and where it is."""

    english: str
    text: str
    draft: bool
    location: Location


def catalogue_name(lang: str, rule_file: str) -> str:
    """The name, within a rule set, of ``rule_file``'s catalogue for ``lang``
    (``locale/ja/questions.po`` for ``questions.yaml``)."""
    return f"{LOCALE_DIR}/{lang}/{rule_file.removesuffix('.yaml')}.po"


def read_catalogue(data: bytes, shown: str) -> tuple[dict[str, Entry], list[Problem]]:
    """The entries of one PO file (text id → :class:`Entry`), and its problems.

    ``shown`` names the file in problems. An entry without ``msgctxt`` (no text
    id), an id given twice, a line that is not PO, and bytes that are not UTF-8
    are problems; obsolete entries (``#~``) are ignored, as gettext does.
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        at = data[: exc.start].count(b"\n") + 1
        return {}, [
            Problem(f"not UTF-8 (byte 0x{data[exc.start]:02x}); PO files are UTF-8", Location(shown, at))
        ]
    problems: list[Problem] = []
    contexts: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if not _LINE.match(stripped):
            problems.append(Problem(f"not a PO line: {_short(stripped)!r}", Location(shown, number)))
            continue
        if stripped.startswith("msgctxt"):
            key = _unquote(stripped[len("msgctxt") :].strip())
            if key in contexts:
                problems.append(
                    Problem(
                        f"text id '{key}' is translated twice (first at line {contexts[key]})",
                        Location(shown, number),
                    )
                )
            else:
                contexts[key] = number
    if problems:
        return {}, problems
    from babel.messages.pofile import PoFileError, read_po

    try:
        catalog = read_po(io.BytesIO(data), abort_invalid=True, charset="utf-8")
    except PoFileError as exc:
        return {}, [Problem(f"not a valid PO file: {exc}", Location(shown))]
    entries: dict[str, Entry] = {}
    for message in catalog:
        if not message.id:
            continue  # the header
        where = Location(shown, contexts.get(message.context or "", message.lineno or 0))
        if not isinstance(message.id, str) or not isinstance(message.string, str):
            problems.append(Problem("plural forms are not used in rule texts", where))
            continue
        if not message.context:
            problems.append(Problem(f"entry without msgctxt (the text id) for {_short(message.id)!r}", where))
            continue
        entries[message.context] = Entry(message.id, message.string, message.fuzzy, where)
    return entries, problems


def write_catalogue(lang: str, rows: Iterable[tuple[str, str, str, str, bool, str]]) -> bytes:
    """A PO file for ``lang`` of ``rows``: (text id, English, translation, the English the
    translation was made from or '' when the same, draft, comment for translators).

    A translation made from other English is written as a draft with the old English
    as its ``#| msgid`` (gettext's "previous" line), so the reviewer sees what changed.
    """
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    catalog = Catalog(locale=lang, project="kneeguide rules", fuzzy=False, charset="utf-8")
    for key, english, translation, previous, draft, comment in rows:
        catalog.add(
            english,
            translation,
            context=key,
            auto_comments=[comment] if comment else [],
            flags=("fuzzy",) if draft or previous else (),
            previous_id=previous or (),
        )
    out = io.BytesIO()
    write_po(out, catalog, width=0, omit_header=False, include_previous=True, no_location=True)
    return _stable_header(out.getvalue())


def _stable_header(data: bytes) -> bytes:
    """The file without the header lines that change on every write (dates, Babel's
    version) or that Babel fills with placeholders (a translator's name and address are
    kept in the history, not in the file), so that writing the same catalogue twice gives
    the same bytes."""
    drop = (
        b'"POT-Creation-Date:',
        b'"PO-Revision-Date:',
        b'"Generated-By:',
        b'"Report-Msgid-Bugs-To:',
        b'"Last-Translator:',
        b'"Language-Team:',
        b'"Project-Id-Version:',
        b"# Copyright",
        b"# FIRST AUTHOR",
        b"# This file is distributed",
    )
    return b"\n".join(line for line in data.split(b"\n") if not line.startswith(drop))


def _unquote(quoted: str) -> str:
    from babel.messages.pofile import unescape

    return unescape(quoted)


def _short(text: str) -> str:
    return text if len(text) <= 50 else text[:47] + "..."


def read_catalogues(
    *file_sets: dict[str, tuple[str, bytes]],
) -> tuple[dict[str, dict[str, Entry]], list[Problem]]:
    """language → text id → :class:`Entry`, from the catalogues among ``file_sets`` (name →
    (display path, bytes)), later sets overriding earlier ones entry by entry (an overlay
    translates only what it adds or changes); and every problem found.

    An entry must sit in the catalogue of its own rule file: ``questions.calf_swelling.lay``
    in ``questions.po``.
    """
    catalog: dict[str, dict[str, Entry]] = {}
    problems: list[Problem] = []
    for files in file_sets:
        for name, (shown, data) in files.items():
            if not name.startswith(LOCALE_DIR + "/"):
                continue
            _, lang, file_name = name.split("/")
            stem = file_name.removesuffix(".po")
            entries, found = read_catalogue(data, shown)
            problems += found
            for key, entry in entries.items():
                if key.split(".", 1)[0] != stem:
                    problems.append(
                        Problem(
                            f"text id '{key}' belongs in {key.split('.', 1)[0]}.po, not {file_name}",
                            entry.location,
                        )
                    )
                    continue
                catalog.setdefault(lang, {})[key] = entry
    return catalog, problems


def translation_state(entry: Entry | None, english: str) -> str:
    """Whether a translation may be shown for ``english``: :data:`REVIEWED` only when it is
    not a draft and was made from this very English."""
    if entry is None or not entry.text:
        return MISSING
    if entry.english != english:
        return CHANGED
    return DRAFT if entry.draft else REVIEWED


#: keys whose values hold conditions or answer sets, never a text
_NO_TEXTS = frozenset({"when", "examples", "tests", "ask_if", "answers"})


def text_ids(docs: dict[str, Any]) -> dict[int, str]:
    """The stable id of every mapping of the parsed rule files that can hold texts, by the
    mapping's ``id()``: the file's stem, then the path of keys, with list entries named by
    their ``id`` (or ``code``) and by position only when they have none.

    ``questions.calf_swelling`` is the question ``calf_swelling``;
    ``causes.bakers_cyst.for.0`` the first reason for a Baker's cyst; a text's id adds
    its field (``questions.calf_swelling.lay``). The file's own top-level list is not
    repeated (``red_flags.dvt``, not ``red_flags.red_flags.dvt``).
    """
    ids: dict[int, str] = {}

    def walk(node: Any, path: tuple[str, ...]) -> None:
        if isinstance(node, dict):
            ids[id(node)] = ".".join(path)
            for key, value in node.items():
                if key in _NO_TEXTS or not isinstance(value, (dict, list)):
                    continue
                child = path if len(path) == 1 and key == path[0] else (*path, str(key))
                walk(value, child)
        elif isinstance(node, list):
            for index, item in enumerate(node):
                if isinstance(item, dict):
                    name = item.get("id", item.get("code", index))
                    walk(item, (*path, str(name)))

    for name, doc in docs.items():
        walk(doc, (name.removesuffix(".yaml"),))
    return ids
