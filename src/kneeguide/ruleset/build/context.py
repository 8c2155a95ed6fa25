"""What the builders of every rule file share while a rule set is built.

One :class:`Context` is made per build. It holds the parsed files, the
problems found so far (every builder appends and carries on, so one run
reports them all), the questions and score bands that later files' conditions
resolve against, and the helpers every builder uses: a node's ``file:line:col``,
a text in every declared language, cited references, unique ids, conditions,
answers and examples.
"""

from __future__ import annotations

import string
from collections.abc import Iterable
from typing import Any

from kneeguide.errors import Location, Problem
from kneeguide.evaluate.conditions import Condition
from kneeguide.ruleset.answers import check_answers
from kneeguide.ruleset.build.catalogue import (
    DRAFT,
    MISSING,
    REVIEWED,
    Entry,
    read_catalogues,
    text_ids,
    translation_state,
)
from kneeguide.ruleset.build.checks import catalogue_text_problems
from kneeguide.ruleset.build.conditions import resolve
from kneeguide.ruleset.files import BUILTIN
from kneeguide.ruleset.model import Answers, Examples, Question, Text
from kneeguide.ruleset.yamlio import item_location, key_location, location_of


class Context:
    """One build's shared state.

    ``docs`` maps each file name to its parsed, schema-checked document;
    ``files`` each file name to (display path, bytes); ``source`` names the
    rule set in locations that have no file. ``languages`` overrides the
    languages ``ruleset.yaml`` declares (collecting the English texts alone
    asks for no translation). ``catalogues`` are the file sets whose translation
    catalogues are read, later ones overriding (an overlay's over the built-in
    set's); ``files`` alone when not given.
    """

    def __init__(
        self,
        docs: dict[str, Any],
        files: dict[str, tuple[str, bytes]],
        source: str,
        languages: tuple[str, ...] | None = None,
        catalogues: tuple[dict[str, tuple[str, bytes]], ...] | None = None,
    ) -> None:
        self.docs = docs
        self.files = files
        self.source = source
        self.problems: list[Problem] = []
        meta = docs["ruleset.yaml"]
        self.languages = tuple(meta["languages"]) if languages is None else languages
        #: built-in red flags switched off: (id, reason)
        self.disabled: tuple[tuple[str, str], ...] = tuple(
            (d["id"], d["reason"]) for d in meta.get("disable", [])
        )
        #: built-in safety texts reworded: (protected text id, reason); whether each names a
        #: protected text this set really changes is decided against the built-in rule set
        #: (:func:`kneeguide.ruleset.protected.reworded_problems`)
        self.reworded: tuple[tuple[str, str], ...] = tuple(
            (r["text"], r["reason"]) for r in meta.get("reworded", [])
        )
        #: languages still being translated: what is not translated and reviewed falls back to English
        self.incomplete: tuple[str, ...] = (
            tuple(meta.get("incomplete_languages", ())) if languages is None else ()
        )
        #: every text read: (text id, English, where), for ``kneeguide rules strings``
        self.english: list[tuple[str, str, Location]] = []
        #: text id → the text, for texts given in several languages in place
        self.inline: dict[str, Text] = {}
        #: language → text id → its state there (reviewed, draft, changed, missing)
        self.states: dict[str, dict[str, str]] = {}
        #: language → how many texts an incomplete language shows in English
        self.fallbacks: dict[str, int] = {}
        self.catalog, catalogue_problems = read_catalogues(*(catalogues or (files,)))
        self.problems.extend(catalogue_problems)
        self.problems.extend(catalogue_text_problems(self.catalog))
        self.unique("reworded text", meta.get("reworded", []), key="text")
        self._ids = text_ids(docs)
        self.questions: dict[str, Question] = {}
        self.score_bands: dict[str, set[str]] = {}
        #: every reference cited, with where, checked against references.yaml at the end
        self.cited: list[tuple[str, Location]] = []

    def where(self, node: Any, key: str | None = None) -> Location:
        """Where ``node`` (or its ``key``) is; the rule set's source when unknown."""
        base = location_of(node, Location(self.source))
        return key_location(node, key, base) if key else base

    def text(self, node: Any, key: str) -> Text:
        """A user-facing text in every declared language.

        English is written in place; other languages come either in place
        (``{en: ..., ja: ...}``, a reviewer's side-by-side view) or from the
        language's catalogue, by the text's stable id (:func:`text_ids`). Only a
        reviewed translation of the English as it now stands is used: a missing
        one, a draft, or one made from English since reworded is a load error in
        a declared language, and is shown in English in an incomplete one.
        """
        value = node[key]
        loc = self.where(node, key)
        text = {"en": value} if isinstance(value, str) else {k: str(v) for k, v in value.items()}
        english = text.get("en", "")
        text_id = f"{self._ids.get(id(node), self.source)}.{key}"
        self.english.append((text_id, english, loc))
        if len(text) > 1:
            self.inline[text_id] = text
        for lang in (*self.languages, *self.incomplete):
            states = self.states.setdefault(lang, {})
            if lang in text:
                states[text_id] = REVIEWED
                continue
            entry = self.catalog.get(lang, {}).get(text_id)
            state = translation_state(entry, english)
            states[text_id] = state
            if entry is not None and state == REVIEWED:
                if _placeholders(entry.text) != _placeholders(english):
                    self.problems.append(
                        Problem(
                            f"the '{lang}' translation of {text_id} must keep the placeholders of the "
                            "English "
                            f"text ({', '.join(sorted(_placeholders(english))) or 'none'})",
                            entry.location,
                        )
                    )
                text[lang] = entry.text
            elif lang in self.incomplete:
                self.fallbacks[lang] = self.fallbacks.get(lang, 0) + 1
            else:
                self.problems.append(_unusable(lang, text_id, english, state, entry, loc, self.source))
        return text

    def check_catalogues(self) -> None:
        """A problem for each catalogue of a language the rule set does not offer. (An entry
        no text has the id of is harmless to a reader, a custom set may drop a rule, and
        ``kneeguide rules strings --update`` names and drops it.)"""
        offered = {*self.languages, *self.incomplete}
        for lang, entries in self.catalog.items():
            if lang not in offered and self.languages != ("en",):
                first = next(iter(entries.values()))
                self.problems.append(
                    Problem(
                        f"a '{lang}' catalogue, but ruleset.yaml offers {', '.join(sorted(offered))}: "
                        f"add '{lang}' to languages (complete) or incomplete_languages (being translated)",
                        Location(first.location.path),
                    )
                )

    def bibliographic(self, node: Any, key: str) -> Text:
        """A citation or evidence source: shown as written in every language (an English
        paper's title stays English in a Japanese note), unless it is translated, in place
        or in a catalogue, as the texts the rule authors wrote themselves are. A translated
        one is then held to the rules of :meth:`text` (reviewed, of this English)."""
        value = node[key]
        text_id = f"{self._ids.get(id(node), self.source)}.{key}"
        if not isinstance(value, str) or any(text_id in entries for entries in self.catalog.values()):
            return self.text(node, key)
        return {lang: value for lang in ("en", *self.languages, *self.incomplete)}

    def opt_text(self, node: Any, key: str) -> Text | None:
        """:meth:`text` when ``node`` has ``key``, else None."""
        return self.text(node, key) if key in node else None

    def refs(self, node: Any) -> tuple[str, ...]:
        """``node``'s references, each noted to be checked once references.yaml is known."""
        refs = tuple(node["references"])
        for index, ref in enumerate(refs):
            self.cited.append((ref, item_location(node["references"], index, self.where(node))))
        return refs

    def unique(self, kind: str, nodes: Iterable[Any], key: str = "id") -> None:
        """A problem for each of ``nodes`` whose ``key`` repeats an earlier one's."""
        seen: dict[str, Location] = {}
        for node in nodes:
            value = node[key]
            loc = self.where(node, key)
            if value in seen:
                self.problems.append(
                    Problem(f"duplicate {kind} id '{value}' (first at line {seen[value].line})", loc)
                )
            else:
                seen[value] = loc

    def condition(self, node: Any, key: str, *, allow_scores: bool = True) -> Condition:
        """``node[key]`` as a condition over the questions (and scores) declared so far."""
        value = node[key]
        loc = location_of(value, self.where(node, key))
        return resolve(value, loc, self.questions, self.score_bands, self.problems, allow_scores=allow_scores)

    def answers(self, raw: Any, loc: Location) -> Answers:
        """An answer set written in a rule file, checked like one given on the command line."""
        locations = {k: key_location(raw, k, loc) for k in raw}
        clean, problems = check_answers(raw, self.questions, where=loc, locations=locations)
        self.problems.extend(problems)
        return clean

    def examples(self, node: Any) -> Examples:
        """``node``'s answer sets on which it must fire, and those on which it must not."""
        ex = node["examples"]
        loc = self.where(node, "examples")
        return Examples(
            fires=tuple(self.answers(a, location_of(a, loc)) for a in ex["fires"]),
            quiet=tuple(self.answers(a, location_of(a, loc)) for a in ex["quiet"]),
        )


def _unusable(
    lang: str, text_id: str, english: str, state: str, entry: Entry | None, loc: Location, source: str
) -> Problem:
    """The problem of a text whose ``lang`` translation cannot be shown (its ``state``).

    A custom set (``source``) that rewords a built-in text is told to give the translation
    in its own catalogue, never to edit the built-in one it was proved against."""
    if entry is None or state == MISSING:
        short = english if len(english) <= 50 else english[:47] + "..."
        return Problem(f"missing '{lang}' translation of {text_id} \"{short}\"", loc)
    if state == DRAFT:
        return Problem(
            f"the '{lang}' translation of {text_id} is a draft (fuzzy): review it, then remove the flag",
            entry.location,
        )
    if source != BUILTIN and not entry.location.path.startswith(source.rstrip("/") + "/"):
        catalogue = f"{source.rstrip('/')}/locale/{lang}/{text_id.split('.')[0]}.po"
        return Problem(
            f"this rule set changes the English of {text_id}, whose '{lang}' translation is the built-in "
            f"one: give its reviewed '{lang}' translation in {catalogue} (an entry with msgctxt "
            f'"{text_id}", as in the built-in catalogues)',
            loc,
        )
    return Problem(
        f"the English of {text_id} changed since its '{lang}' translation was made: review the translation "
        f"against the new English (kneeguide rules strings --lang {lang} --update "
        f"{_rules_dir(entry.location.path)} keeps it as a draft "
        "beside "
        "the old English)",
        entry.location,
    )


def _rules_dir(catalogue: str) -> str:
    """The rules folder of a catalogue's display path (``rules`` of ``rules/locale/ja/x.po``)."""
    folder, found, _ = catalogue.rpartition("/locale/")
    return folder if found and folder else "DIR"


def _placeholders(text: str) -> set[str]:
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}
    except ValueError:
        return {"<unbalanced braces>"}
