"""Safety wording a custom rule set may not change unseen (issue 18, item 2).

What a person is told to do when it matters most (a built-in red flag's title, action
and explanation and its escalations' actions; the headline, actions and safety-netting of
the urgent and emergency levels, also per region; the emergency and advice numbers of the
built-in regions), in every language. :func:`protected_texts` is the one list of them, by
dotted id (``red_flags.dvt.title``, ``dispositions.urgent.regions.JP.action``,
``regions.JP.emergency``; escalations numbered from 0). A custom set may add regions, red
flags and texts freely; to change or remove a protected text it lists the id under
``reworded:`` with a reason, and every output says so (:func:`reworded_problems` checks).
Pure and light to import: the announcing code may ask :func:`protected_texts` every run.
"""

from __future__ import annotations

import re

from kneeguide.errors import Location, Problem
from kneeguide.ids import Level
from kneeguide.ruleset.characters import escaped
from kneeguide.ruleset.model import RuleSet, Text

FLAG_FIELDS = ("title", "action", "explain")  # red_flags.<flag>.<field>
PROTECTED_LEVELS = (Level.URGENT, Level.EMERGENCY)  # dispositions.<level>...
#: dispositions.<level>.<field>: also how soon (timeframe) and whom to see (referral_to)
DISPOSITION_FIELDS = ("headline", "action", "action_no_advice", "safety_net", "timeframe", "referral_to")
REGION_FIELDS = ("emergency", "advice", "advice_name")  # regions.<region>.<field>

#: The shape of every protected text id (a regular expression in the dialect JSON Schema
#: shares with Python, anchored by its user), which ``reworded:`` entries must fit.
_LEVEL = f"(?:{'|'.join(level.id for level in PROTECTED_LEVELS)})"
ID_PATTERN = (
    rf"red_flags\.[a-z][a-z0-9_]*\.(?:{'|'.join(FLAG_FIELDS)})"
    r"|red_flags\.[a-z][a-z0-9_]*\.escalations\.(?:0|[1-9][0-9]*)\.action"
    rf"|dispositions\.{_LEVEL}\.(?:{'|'.join(DISPOSITION_FIELDS)})"
    rf"|dispositions\.{_LEVEL}\.regions\.[A-Z0-9#-]+\.[a-z][a-z_]*"
    rf"|regions\.[A-Z0-9#-]+\.(?:{'|'.join(REGION_FIELDS)})"
)
_ID = re.compile(f"(?:{ID_PATTERN})")

FIX = "list it under 'reworded:' in ruleset.yaml with a reason"

#: Messages that say a rule set is changed, and the disclaimer: no custom set may change
#: them, with or without ``reworded:`` (the announcement of a change is never itself changed).
ANNOUNCING = frozenset(
    {
        "disclaimer",
        "label_rules",
        "heading_rules_changed",
        "rules_changed_continue",
        "flag_named",
        "rules_custom",
        "rules_custom_unchecked",
        "warn_disabled",
        "warn_disabled_applies",
        "warn_reworded",
        "warn_untranslated",
        "validate_custom",
        "validate_disabled",
    }
)


def announcing(key: str) -> bool:
    """Whether message ``key`` announces a changed rule set (or is the disclaimer)."""
    return key in ANNOUNCING or key.startswith("text_")


_GONE = (
    "built-in region '{region}' (emergency number {number}) is missing: a custom rule set may add regions, "
    "not remove one; keep it, or list {text_id} under 'reworded:' in ruleset.yaml with a reason"
)
_UNCHANGED = (
    "reworded: {text_id} is the built-in wording in this rule set; remove the entry (an entry that "
    "changes nothing would announce a change that is not there)"
)


def protected_texts(rules: RuleSet) -> dict[str, Text]:
    """Protected text id → its text, for every text of ``rules`` that is protected when
    ``rules`` is the built-in set (of a custom set: the same fields, its own red flags and
    regions included). In file order: red flags (title, action, explain, each escalation's
    action), the urgent and emergency levels (their fields, then each region's), the
    regions. An absent optional text (``action_no_advice``, an escalation without action, a
    region without advice line) has no entry; a number (``emergency``, ``advice``) is the
    same in every language and is given as ``{"en": number}``.
    """
    out: dict[str, Text] = {}
    for flag in rules.red_flags:
        for field in FLAG_FIELDS:
            out[f"red_flags.{flag.id}.{field}"] = getattr(flag, field)
        for n, escalation in enumerate(flag.escalations):
            if escalation.action is not None:
                out[f"red_flags.{flag.id}.escalations.{n}.action"] = escalation.action
    for level in PROTECTED_LEVELS:
        disposition = rules.dispositions.get(level)
        if disposition is None:
            continue
        for field in DISPOSITION_FIELDS:
            text = getattr(disposition, field)
            if text is not None:
                out[f"dispositions.{level.id}.{field}"] = text
        for region_id, texts in disposition.by_region.items():
            for field, text in texts.items():
                out[f"dispositions.{level.id}.regions.{region_id}.{field}"] = text
    for region in rules.regions.values():
        out[f"regions.{region.id}.emergency"] = {"en": region.emergency}
        if region.advice is not None:
            out[f"regions.{region.id}.advice"] = {"en": region.advice}
        if region.advice_name is not None:
            out[f"regions.{region.id}.advice_name"] = region.advice_name
    return out


def reworded_problems(custom: RuleSet, builtin: RuleSet) -> list[Problem]:
    """One problem for each protected text ``custom`` changes, adds or removes without
    listing it under ``reworded:``, and for each ``reworded:`` entry that hides nothing.

    Changed: different in a language both sets give it in (an English-only set changes no
    Japanese). Added: none built in, but shown in place of a built-in text (an escalation's
    action, ``action_no_advice``, a level's wording for a built-in region). Removed: built
    in, not in ``custom``. A red flag switched off (``disable:``, announced already) is not
    compared; a built-in region gone is one problem, answered by ``regions.<id>.emergency``.
    Each problem names the text id, the built-in and the new wording (short, escaped) and
    the fix, at the custom red flag for a red flag's text, else at the custom rule set.
    """
    base, mine = protected_texts(builtin), protected_texts(custom)
    listed = {text_id for text_id, _ in custom.reworded}
    switched_off = {flag_id for flag_id, _ in custom.disabled}
    gone = [region for region in builtin.regions if region not in custom.regions]
    changed: set[str] = set()
    problems: list[Problem] = []
    for text_id in (*base, *(t for t in mine if t not in base)):
        flag, region = _scope(text_id)
        if _outside(text_id, builtin) or flag in switched_off or region in gone:
            continue
        change = _change(base.get(text_id), mine.get(text_id))
        if change is not None and text_id not in listed:
            problems.append(
                Problem(f"{text_id} is protected safety wording: {change}; {FIX}", _where(flag, custom))
            )
        if change is not None:
            changed.add(text_id)
    for region in gone:
        text_id = f"regions.{region}.emergency"
        changed.add(text_id)
        if text_id not in listed:
            number = builtin.regions[region].emergency
            problems.append(
                Problem(_GONE.format(region=region, number=number, text_id=text_id), Location(custom.source))
            )
    for key, text in builtin.messages.items():
        if announcing(key) and _change(text, custom.messages.get(key)) is not None:
            change = _change(text, custom.messages.get(key))
            problems.append(
                Problem(
                    f"message '{key}' says what a custom rule set changes and cannot be changed by one "
                    f"({change}); remove it from messages.yaml",
                    Location(f"{custom.source}/messages.yaml"),
                )
            )
    problems += _numbers_named(custom, builtin, base, mine, listed & changed)
    where = Location(f"{custom.source}/ruleset.yaml")
    for text_id, _ in custom.reworded:
        if _outside(text_id, builtin):
            problems.append(
                Problem(f"reworded: {_outside(text_id, builtin, why=True)}; remove the entry", where)
            )
        elif _scope(text_id)[0] in switched_off:
            flag = _scope(text_id)[0]
            message = f"reworded: {text_id} belongs to red flag '{flag}', which this rule set switches off"
            problems.append(Problem(message + " (disable:); remove the entry", where))
        elif text_id not in changed:
            problems.append(Problem(_UNCHANGED.format(text_id=text_id), where))
    return problems


def _numbers_named(
    custom: RuleSet, builtin: RuleSet, base: dict[str, Text], mine: dict[str, Text], reworded: set[str]
) -> list[Problem]:
    """A reworded text shown in every region (a red flag's, a level's own) that names a
    built-in region's emergency number its built-in wording leaves to the region: a person
    elsewhere would be told to dial a dead line ("call 119" read in the US, where it is 911)."""
    found = []
    numbers = {r.emergency: r.id for r in builtin.regions.values()}
    for text_id in sorted(reworded):
        if ".regions." in text_id or text_id.startswith("regions.") or text_id not in mine:
            continue
        old = " ".join((base.get(text_id) or {}).values())
        for lang, text in mine[text_id].items():
            for number, region in numbers.items():
                if re.search(rf"(?<![0-9]){re.escape(number)}(?![0-9])", text) and number not in old:
                    found.append(
                        Problem(
                            f"{text_id} ({lang}) names the emergency number {number} of region {region}, but "
                            "it is shown in every region; write 'the emergency number' as the built-in "
                            "wording does (kneeguide shows the reader's own)",
                            _where(_scope(text_id)[0], custom),
                        )
                    )
    return found


def _outside(text_id: str, builtin: RuleSet, *, why: bool = False) -> str:
    """'' when ``text_id`` is, or would be if given, a protected text of ``builtin``; else
    (in words with ``why``, and a near miss) what it is: no protected text id, or one of a red
    flag or region that is not built in, whose wording is free."""
    flags = [f.id for f in builtin.red_flags]
    flag, region = _scope(text_id)
    if _ID.fullmatch(text_id) is None:
        kind, name, known = "", text_id, list(protected_texts(builtin)) if why else []
    elif flag and flag not in flags:
        kind, name, known = "red flag", flag, flags
    elif region and region not in builtin.regions:
        kind, name, known = "region", region, list(builtin.regions)
    else:
        return ""
    if not why:
        return kind or "no id"
    from kneeguide.suggest import did_you_mean  # only on a problem

    hint, shown = did_you_mean(name, known), escaped(text_id)
    if not kind:
        return f"'{shown}' is not a protected text id{hint}"
    return f"'{shown}' names {kind} '{escaped(name)}', which is not built in{hint}: its wording is free"


def _scope(text_id: str) -> tuple[str, str]:
    """The red flag and the region (each '' when none) a text id belongs to."""
    parts = (*text_id.split("."), "", "", "")
    if parts[0] == "red_flags":
        return parts[1], ""
    return "", parts[1] if parts[0] == "regions" else parts[3] if parts[2] == "regions" else ""


def _change(old: Text | None, new: Text | None) -> str | None:
    """How ``new`` differs from the built-in ``old`` (not both None), in words; None when it
    does not."""
    if new is None:
        return f"this rule set removes it (built-in {_quote(old or {})})"
    if old is None:
        return f"this rule set adds {_quote(new)} where the built-in rule set has none"
    differ = [lang for lang in new if lang in old and new[lang] != old[lang]]
    if not differ:
        return None
    lang = differ[0]
    label = "" if lang == "en" else f" in '{lang}'"
    also = f" (also {', '.join(differ[1:])})" if len(differ) > 1 else ""
    return f"this rule set rewords it{label}: built-in {_quote(old[lang])}, here {_quote(new[lang])}{also}"


def _where(flag: str, custom: RuleSet) -> Location:
    """The custom red flag ``flag`` when the custom set wrote it; else the custom set (the
    model has no place for a level's or region's text; a flag from the built-in files was
    changed by a translation catalogue)."""
    ours = next((f.location for f in custom.red_flags if f.id == flag), None)
    if ours is not None and ours.path.startswith(custom.source.rstrip("/") + "/"):
        return ours
    return Location(custom.source)


def _quote(text: str | Text, limit: int = 60) -> str:
    """``text`` (of a :data:`Text`, the English) quoted for a one-line message: escaped
    (:func:`~kneeguide.ruleset.characters.escaped`), on one line, cut to ``limit`` characters."""
    if not isinstance(text, str):
        text = text.get("en") or next(iter(text.values()), "")
    short = " ".join(escaped(text).split())
    return '"' + (short if len(short) <= limit else short[: limit - 1] + "…") + '"'
