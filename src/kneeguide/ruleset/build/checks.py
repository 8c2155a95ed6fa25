"""The checks that need the whole rule set: the contract's ids, cited references, the default region;
and the check that every rule text is data (:func:`text_problems`, :func:`catalogue_text_problems`).

The whole-set checks run after every file is built, and :func:`sorted_problems` then
puts every problem of the build in file order, each once. The text check runs once per
loaded document instead, not per field: :mod:`parse` on each rule file as it is read,
the build's :class:`~kneeguide.ruleset.build.context.Context` on the translation
catalogues, so no builder can forget a field and no field is checked twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from kneeguide.errors import Location, Problem
from kneeguide.ids import REGIONS
from kneeguide.ruleset import contract
from kneeguide.ruleset.characters import character_name, disguising, escaped
from kneeguide.ruleset.model import Cause, RedFlag, Reference, Region, Score
from kneeguide.ruleset.yamlio import item_location, key_location, location_of
from kneeguide.suggest import did_you_mean

if TYPE_CHECKING:  # the context imports this module (catalogue_text_problems)
    from kneeguide.ruleset.build.catalogue import Entry
    from kneeguide.ruleset.build.context import Context


def check_contract(
    ctx: Context,
    red_flags: Iterable[RedFlag],
    causes: Iterable[Cause],
    scores: Iterable[Score],
    regions: dict[str, Region],
) -> None:
    """A problem for each id of the scripting contract (:mod:`contract`) the rule set lacks.

    A contract red flag switched off under ``disable:`` is not required.
    """

    def need(kind: str, required: Iterable[str], have: set[str], file: str) -> None:
        shown = ctx.files[file][0]
        extra = (
            " (to switch it off, list it under 'disable:' in ruleset.yaml with a reason)"
            if kind == "red flag"
            else ""
        )
        for rid in required:
            if rid not in have:
                ctx.problems.append(
                    Problem(f"contract {kind} '{rid}' is missing; scripts rely on it{extra}", Location(shown))
                )

    need("question", contract.QUESTION_IDS, set(ctx.questions), "questions.yaml")
    disabled = {d for d, _ in ctx.disabled}
    need(
        "red flag",
        [r for r in contract.RED_FLAG_IDS if r not in disabled],
        {f.id for f in red_flags},
        "red_flags.yaml",
    )
    need("cause", contract.CAUSE_IDS, {c.id for c in causes}, "causes.yaml")
    need("score", contract.SCORE_IDS, {s.id for s in scores}, "scores.yaml")
    need("region", REGIONS, set(regions), "dispositions.yaml")


def check_cited(ctx: Context, references: dict[str, Reference]) -> None:
    """A problem for each reference cited anywhere that ``references.yaml`` does not define."""
    for ref, loc in ctx.cited:
        if ref not in references:
            hint = did_you_mean(ref, list(references))
            ctx.problems.append(Problem(f"unknown reference '{ref}'{hint}", loc))


def check_default_region(ctx: Context, regions: dict[str, Region]) -> None:
    """A problem when ``ruleset.yaml``'s ``default_region`` is not a region of ``dispositions.yaml``."""
    meta = ctx.docs["ruleset.yaml"]
    if meta["default_region"] not in regions:
        ctx.problems.append(
            Problem(f"unknown default region '{meta['default_region']}'", ctx.where(meta, "default_region"))
        )


def text_problems(doc: Any, name: str) -> list[Problem]:
    """A problem for each string of the parsed rule file ``name`` (a document of located
    containers), keys included, that holds a character no rule text may hold
    (:func:`~kneeguide.ruleset.characters.disguising`: control characters but the newline,
    invisible format characters such as the bidirectional overrides).

    Every string, not only the texts a reader sees: an id, a reference or a number written
    as text is echoed by messages, ``rules explain`` and the reports alike. Each problem
    names the place (``file:line:col`` of the key or list item), the value's path in the
    style of the text ids (``red_flags.dvt.title``; a condition's
    ``red_flags.dvt.when.any.0.q``), each character (``U+001B ESCAPE``) and the text,
    escaped. One problem per string.
    """
    problems: list[Problem] = []
    if _plain(doc):
        return problems  # the common case: one quick pass, no paths or places worked out
    top = name.removesuffix(".yaml")

    def walk(node: Any, path: tuple[str, ...], loc: Location) -> None:
        if isinstance(node, str):
            _check_text(node, ".".join(path), loc, problems)
        elif isinstance(node, dict):
            for key, value in node.items():
                where = key_location(node, key, loc)
                if disguising(key):
                    _check_text(
                        key, f"the key '{escaped(key)}' of {'.'.join(path)}", where, problems, key=True
                    )
                child = path if len(path) == 1 and key == path[0] else (*path, str(key))
                walk(value, child, location_of(value, where))
        elif isinstance(node, list):
            for index, item in enumerate(node):
                named = item.get("id", item.get("code", index)) if isinstance(item, dict) else index
                where = item_location(node, index, loc)
                walk(item, (*path, str(named)), location_of(item, where))

    walk(doc, (top,), location_of(doc, Location(name)))
    return problems


def _plain(node: Any) -> bool:
    """Whether every string in ``node`` (keys included) is printable as it stands (the
    newline aside): then none can hold a refused character."""
    if isinstance(node, str):
        return node.isprintable() or not disguising(node)
    if isinstance(node, dict):
        return all(_plain(key) and _plain(value) for key, value in node.items())
    if isinstance(node, list):
        return all(_plain(item) for item in node)
    return True


def catalogue_text_problems(catalog: dict[str, dict[str, Entry]]) -> list[Problem]:
    """:func:`text_problems` for the translation catalogues (language → text id → entry): the
    translation, the English it was made from, and the text id, at the entry's line."""
    problems: list[Problem] = []
    for lang, entries in catalog.items():
        for text_id, entry in entries.items():
            shown = escaped(text_id)
            _check_text(text_id, f"the text id '{shown}'", entry.location, problems, key=True)
            _check_text(entry.text, f"the '{lang}' translation of {shown}", entry.location, problems)
            _check_text(
                entry.english,
                f"the English (msgid) of the '{lang}' translation of {shown}",
                entry.location,
                problems,
            )
    return problems


def _check_text(text: str, what: str, loc: Location, out: list[Problem], *, key: bool = False) -> None:
    """A problem in ``out`` when ``text`` (``what`` it is, found at ``loc``) holds a refused character."""
    found = disguising(text)
    if not found:
        return
    names = ", ".join(character_name(ch) for ch in found)
    shown = escaped(text)
    if len(shown) > 60:
        shown = shown[:59] + "…"
    quoted = "" if key else f' "{shown}"'
    out.append(
        Problem(
            f"{escaped(what)} holds {names}: rule text is shown as written and must hold no control or "
            f"invisible formatting character (it would act on the terminal or disguise the text); "
            f"remove {'it' if len(found) == 1 else 'them'}{':' if quoted else ''}{quoted}",
            loc,
        )
    )


def sorted_problems(problems: list[Problem]) -> list[Problem]:
    """``problems`` each once, by file, line and column (found order among equals)."""
    seen: set[str] = set()
    out = []
    for p in problems:
        key = str(p)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return sorted(out, key=_sort_key)


def _sort_key(p: Problem) -> tuple[str, int, int]:
    loc = p.location
    return (loc.path, loc.line, loc.col) if loc else ("", 0, 0)
