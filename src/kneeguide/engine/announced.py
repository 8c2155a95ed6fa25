"""What every output says about the rule set that decided: which one it is, and its texts in words.

A custom rule set (``--rules``) may switch built-in red flags off and reword built-in
safety texts, each with a reason (``ruleset.yaml``'s ``disable:`` and ``reworded:``);
every output then says so (the warnings: :func:`kneeguide.engine.advice.standing_of`)
and labels the rules as custom, with the built-in version they were checked against.
:func:`rules_used` is that label's facts, in no language; :func:`text_in_words` names a
reworded text for a reader.
"""

from __future__ import annotations

from typing import NamedTuple

from kneeguide.ids import Level
from kneeguide.ruleset.files import BUILTIN
from kneeguide.ruleset.model import RedFlag, RuleSet, pick


class RulesUsed(NamedTuple):
    """The rule set an assessment was made by, as every output names it (in no language).

    ``custom`` for any rule set but the built-in one (``--rules``); ``checked_against``
    is the built-in rule set's (version, digest) a custom set was proved not weaker
    than when it was loaded (None for the built-in set, and for a custom set whose
    loader did not record it). ``disabled`` are the (red flag id, reason) it switches
    off and ``reworded`` the (protected text id, reason) of each built-in safety text
    it words differently, both as ``ruleset.yaml`` lists them.
    """

    version: str
    digest: str
    custom: bool = False
    checked_against: tuple[str, str] | None = None
    disabled: tuple[tuple[str, str], ...] = ()
    reworded: tuple[tuple[str, str], ...] = ()


def rules_used(rules: RuleSet) -> RulesUsed:
    """Which rule set decided, for every output to name: a set loaded from a directory is
    custom even where its loader recorded no check (``checked_against`` None), so it is
    never shown as the built-in one."""
    return RulesUsed(
        rules.version,
        rules.digest,
        rules.custom or rules.source != BUILTIN,
        rules.checked_against,
        rules.disabled,
        rules.reworded,
    )


def flag_named(rules: RuleSet, flag: RedFlag, lang: str) -> str:
    """A red flag as a warning about the rule set names it: its title, then its id for the
    practitioner who looks it up (``flag_named``: "Possible blood clot … [dvt]")."""
    return rules.message("flag_named", lang).format(title=pick(flag.title, lang), id=flag.id)


def text_in_words(rules: RuleSet, text_id: str, lang: str) -> str:
    """A protected text's id (``red_flags.dvt.title``, ``dispositions.urgent.regions.JP.action``,
    ``regions.JP.emergency``; see :mod:`kneeguide.ruleset.protected`) as a reader is told
    it in ``lang``: "the title of the warning sign 'Possible blood clot … [dvt]'", "what to
    do at the level 'urgent' in region JP". A red flag is named by its title in this rule
    set and its id (a reworded title is the one the reader sees); an id of another shape
    is given as it is (``text_other``)."""

    def m(key: str) -> str:
        return rules.message(key, lang)

    parts = text_id.split(".")
    head, rest = parts[0], parts[1:]
    if head == "red_flags" and len(rest) >= 2:
        flag_id, path = rest[0], rest[1:]
        flag = next((f for f in rules.red_flags if f.id == flag_id), None)
        named = flag_named(rules, flag, lang) if flag else flag_id
        if len(path) == 1 and path[0] in ("title", "action", "explain"):
            return m(f"text_flag_{path[0]}").format(flag=named)
        if len(path) == 3 and path[0] == "escalations" and path[1].isdigit() and path[2] == "action":
            return m("text_flag_escalation").format(flag=named, n=int(path[1]) + 1)
    elif head == "dispositions" and len(rest) in (2, 4) and rest[0] in _LEVEL_IDS:
        level = m(f"note_urgency_{rest[0]}")
        field = rest[-1]
        if field in _LEVEL_FIELDS and (len(rest) == 2 or rest[1] == "regions"):
            said = m(f"text_level_{field}").format(level=level)
            return said if len(rest) == 2 else m("text_in_region").format(text=said, region=rest[2])
    elif head == "regions" and len(rest) == 2 and rest[1] in ("emergency", "advice", "advice_name"):
        return m(f"text_region_{rest[1]}").format(region=rest[0])
    return m("text_other").format(id=text_id)


#: The levels a disposition's protected texts belong to, and their fields that have words.
_LEVEL_IDS = {level.id for level in Level}
_LEVEL_FIELDS = ("headline", "action", "action_no_advice", "safety_net", "timeframe", "referral_to")
