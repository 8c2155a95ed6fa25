"""The stable ids of warnings, read back off their texts: what batch records must carry.

The assessment gives each warning in words; a batch record names it by id. This
reads the id of each text from the ``warn_*`` message it was written from, with
no help from the engine, so a test can check the records against ``assess``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from kneeguide.ruleset.model import RuleSet, pick

#: The id of a warning written from each ``warn_*`` message, from the values filled in
#: (and the rules, to find a score by its title). A new kind of warning fails until its
#: id is added here.
IDS: dict[str, Callable[[RuleSet, dict[str, str], str], str]] = {
    # a switched-off red flag is named by its title and, after it, its id (flag_named)
    "warn_disabled": lambda rules, filled, lang: "disabled:" + _named_flag(rules, filled["id"], lang),
    "warn_disabled_applies": lambda rules, filled, lang: "disabled:" + _named_flag(rules, filled["id"], lang),
    # a reworded text is named in words: the rule set's entry is found by its reason
    "warn_reworded": lambda rules, filled, lang: "reworded:" + _reworded(rules, filled["reason"]),
    "warn_proxy": lambda rules, filled, lang: (
        "proxy:" + next(s.id for s in rules.scores if pick(s.title, lang) == filled["score"])
    ),
    "warn_proxy_lay": lambda rules, filled, lang: (  # the same warning, worded for a lay reader
        "proxy:" + next(s.id for s in rules.scores if pick(s.title, lang) == filled["score"])
    ),
    "warn_child": lambda rules, filled, lang: "child",
    "warn_pregnancy": lambda rules, filled, lang: "pregnancy",
    "warn_ottawa_window": lambda rules, filled, lang: "ottawa_window",
    "warn_untranslated": lambda rules, filled, lang: f"untranslated:{lang}",
}


def _named_flag(rules: RuleSet, named: str, lang: str) -> str:
    """The red flag id in ``named`` (``flag_named``: "Title [id]"), or ``named`` itself
    (a flag switched off that the rule files do not define is named by its id alone)."""
    found = pattern(rules.message("flag_named", lang)).fullmatch(named)
    return found["id"] if found else named


def _reworded(rules: RuleSet, reason: str) -> str:
    """The id of the text ``rules`` rewords for ``reason`` (the tests give each its own)."""
    [text] = [text for text, why in rules.reworded if why == reason]
    return text


def pattern(template: str) -> re.Pattern[str]:
    """A message template as a pattern, each ``{name}`` a named group."""
    parts = re.split(r"\{(\w+)\}", template)  # text, name, text, name, ..., text
    return re.compile(
        "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.*)" for i, p in enumerate(parts)), re.DOTALL
    )


def ids_of(rules: RuleSet, texts: Iterable[str], lang: str = "en") -> list[str]:
    """The id of each warning text (of an assessment by ``rules`` in ``lang``), in order."""
    keys = sorted(k for k in rules.messages if k.startswith("warn_"))
    assert set(keys) == set(IDS), "a warning message without an id (or an id without a message)"
    patterns = {key: pattern(rules.message(key, lang)) for key in keys}
    ids = []
    for text in texts:
        [(key, filled)] = [(k, m.groupdict()) for k, p in patterns.items() if (m := p.fullmatch(text))]
        ids.append(IDS[key](rules, filled, lang))
    return ids
