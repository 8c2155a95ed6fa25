"""Rule files → a checked :class:`RuleSet`: what :func:`kneeguide.ruleset.load.load_rules` runs
when the rules cache has no entry.

Building goes in three passes, each collecting every problem before stopping:

1. parse each file strictly and check it against its schema (:mod:`parse`);
   an overlay is first merged into the built-in files (:mod:`merge`);
2. build the model file by file (:mod:`assemble`, sharing a :class:`Context`),
   resolving conditions against the known question ids (:mod:`conditions`)
   and checking every text is given in every declared language;
3. whole-set checks: unique ids, references that exist, contract ids present
   (:mod:`checks`).

Any problem raises :class:`RulesError` listing them all; no partial rule set
is ever returned, so a broken file can never turn into an all-clear.
"""

from __future__ import annotations

import contextlib
from typing import NamedTuple

from kneeguide.errors import Location, RulesError
from kneeguide.ruleset.build.assemble import rule_set
from kneeguide.ruleset.build.catalogue import Entry
from kneeguide.ruleset.build.context import Context
from kneeguide.ruleset.build.merge import merge
from kneeguide.ruleset.build.parse import parse_files
from kneeguide.ruleset.model import RuleSet, Text


def build(
    files: dict[str, tuple[str, bytes]],
    source: str,
    base: dict[str, tuple[str, bytes]] | None = None,
) -> RuleSet:
    """The rule set of ``files`` (name → (display path, bytes)), named ``source`` where no file is.

    With ``base``, ``files`` is an overlay merged into it by id. Raises
    :class:`RulesError` listing every problem. The rule set's ``digest`` covers
    the files built; :func:`~kneeguide.ruleset.load.load_rules` sets the one
    that also covers an overlay's base.
    """
    docs = parse_files(files, partial=base is not None)
    all_files = dict(files)
    catalogues: tuple[dict[str, tuple[str, bytes]], ...] = (files,)
    if base is not None:
        base_docs = parse_files(base)
        for name, doc in docs.items():
            base_docs[name] = merge(name, base_docs[name], doc)
        docs = base_docs
        all_files = {**base, **files}
        catalogues = (base, files)
    return rule_set(Context(docs, all_files, source, catalogues=catalogues))


class Texts(NamedTuple):
    """Every text of a rule set, for translators: ``english`` lists (text id, English,
    where) in file order; ``catalog`` is language → text id →
    :class:`~kneeguide.ruleset.build.catalogue.Entry`; ``inline`` the texts given in
    several languages in place, by id."""

    english: list[tuple[str, str, Location]]
    catalog: dict[str, dict[str, Entry]]
    inline: dict[str, Text]


def english_texts(files: dict[str, tuple[str, bytes]]) -> Texts:
    """Every text of the complete rule set ``files``, with its translations.

    Raises :class:`RulesError` only when a file does not parse or fit its schema.
    """
    ctx = Context(parse_files(files), files, "texts", languages=("en",))
    with contextlib.suppress(RulesError):  # the texts are collected even when other problems remain
        rule_set(ctx)
    return Texts(ctx.english, ctx.catalog, ctx.inline)
