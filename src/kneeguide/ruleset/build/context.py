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
from kneeguide.ruleset.build.conditions import resolve
from kneeguide.ruleset.model import Answers, Examples, Question, Text
from kneeguide.ruleset.yamlio import item_location, key_location, location_of


class Context:
    """One build's shared state.

    ``docs`` maps each file name to its parsed, schema-checked document;
    ``files`` each file name to (display path, bytes); ``source`` names the
    rule set in locations that have no file. ``languages`` overrides the
    languages ``ruleset.yaml`` declares (collecting the English texts alone
    asks for no translation).
    """

    def __init__(
        self,
        docs: dict[str, Any],
        files: dict[str, tuple[str, bytes]],
        source: str,
        languages: tuple[str, ...] | None = None,
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
        #: every English text read, with where it is (for ``kneeguide rules strings``)
        self.english: list[tuple[str, Location]] = []
        #: language → English text → translation, from ``translations.yaml``
        self.catalog: dict[str, dict[str, str]] = {
            lang: dict(entries) for lang, entries in docs["translations.yaml"].get("translations", {}).items()
        }
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
        (``{en: ..., ja: ...}``) or from ``translations.yaml``, keyed by the
        English text. A missing translation is a load error pointing at the text.
        """
        value = node[key]
        loc = self.where(node, key)
        text = {"en": value} if isinstance(value, str) else {k: str(v) for k, v in value.items()}
        english = text.get("en", "")
        self.english.append((english, loc))
        for lang in self.languages:
            if lang in text:
                continue
            found = self.catalog.get(lang, {}).get(english)
            if found is None:
                short = english if len(english) <= 50 else english[:47] + "..."
                self.problems.append(Problem(f"missing '{lang}' translation of {key} \"{short}\"", loc))
                continue
            if _placeholders(found) != _placeholders(english):
                self.problems.append(
                    Problem(
                        f"the '{lang}' translation of {key} must keep the placeholders of the English text "
                        f"({', '.join(sorted(_placeholders(english))) or 'none'})",
                        loc,
                    )
                )
            text[lang] = found
        return text

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


def _placeholders(text: str) -> set[str]:
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}
    except ValueError:
        return {"<unbalanced braces>"}
