"""Safety wording is protected (issue 18, item 2).

The title, action and explanation of a built-in red flag and its escalations' actions,
the headlines, actions and safety-netting of the urgent and emergency levels (also per
region), and the emergency and advice numbers of the built-in regions, in every
language, are what a custom rule set may not change unseen. Changing, adding in place
of, or removing one needs an entry under ``reworded:`` in ``ruleset.yaml`` with a
reason (every output then says so); without it the set is refused, one line per text,
naming the text, the built-in and the new wording, and the fix. A ``reworded:`` entry
that hides nothing is refused too. New regions, red flags and texts are free.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from command import run

from kneeguide.errors import RulesError
from kneeguide.ids import Level
from kneeguide.ruleset.load import load_rules
from kneeguide.ruleset.model import Region, RuleSet
from kneeguide.ruleset.protected import ID_PATTERN, protected_texts, reworded_problems

ROOT = Path(__file__).resolve().parents[1]
OVERLAYS = ROOT / "tests" / "inputs" / "overlays"

FIX = "list it under 'reworded:' in ruleset.yaml with a reason"

#: overlay → (each line ``rules validate`` prints, from the repository; the ids to list under reworded:)
REWORDINGS: dict[str, tuple[list[str], list[str]]] = {
    "dvt_title_reworded": (
        [
            "tests/inputs/overlays/dvt_title_reworded/red_flags.yaml:4:5: red_flags.dvt.title is protected "
            "safety wording: this rule set rewords it: built-in "
            '"Possible blood clot in a deep vein of the leg (deep vein th…", '
            f'here "Harmless calf muscle strain"; {FIX}',
            "tests/inputs/overlays/dvt_title_reworded/red_flags.yaml:4:5: red_flags.dvt.action is protected "
            "safety wording: this rule set rewords it: built-in "
            '"See a doctor today, within a few hours, for a D-dimer blood…", '
            f'here "No action needed… massage the calf"; {FIX}',
        ],
        ["red_flags.dvt.title", "red_flags.dvt.action"],
    ),
    "dvt_action_japanese_reworded": (
        [
            "tests/inputs/overlays/dvt_action_japanese_reworded: red_flags.dvt.action is protected safety "
            "wording: this rule set rewords it in 'ja': built-in "
            '"今日中（数時間以内）に医師の診察を受け、Dダイマーの血液検査または'
            '脚の超音波検査を受けてください。それまでは、脚をマッ…", '
            f'here "何もする必要はありません"; {FIX}'
        ],
        ["red_flags.dvt.action"],
    ),
    "urgent_headline_safe_at_home": (
        [
            "tests/inputs/overlays/urgent_headline_safe_at_home: dispositions.urgent.headline is protected "
            "safety wording: this rule set rewords it: "
            f'built-in "See a doctor today, within a few hours", here "Safe at home"; {FIX}'
        ],
        ["dispositions.urgent.headline"],
    ),
    "jp_emergency_number_changed": (
        [
            "tests/inputs/overlays/jp_emergency_number_changed: regions.JP.emergency is protected safety "
            f'wording: this rule set rewords it: built-in "119", here "110"; {FIX}'
        ],
        ["regions.JP.emergency"],
    ),
}


@pytest.mark.parametrize("overlay", sorted(REWORDINGS))
def test_rewording_a_protected_text_is_refused_naming_text_wordings_and_fix(overlay: str) -> None:
    lines, _ = REWORDINGS[overlay]
    done = run("rules", "validate", f"tests/inputs/overlays/{overlay}", cwd=ROOT)
    assert done.returncode == 2, done.stderr
    assert done.stderr.splitlines() == ["kneeguide: " + line for line in lines]
    refused = run(
        "assess", "--rules", f"tests/inputs/overlays/{overlay}", "-a", "calf_swelling=yes", cwd=ROOT
    )
    assert (refused.returncode, refused.stdout) == (2, "")
    assert refused.stderr == done.stderr, "assess loads the rules as validate does"


def listing(
    directory: Path, ids: list[str], reason: str = "the clinic's own protocol, reviewed 2026-11"
) -> None:
    """Add ``ids`` under ``reworded:`` to ``directory``'s ``ruleset.yaml`` (made when missing)."""
    entries = "".join(f'  - text: {text_id}\n    reason: "{reason}"\n' for text_id in ids)
    meta = directory / "ruleset.yaml"
    meta.write_text((meta.read_text() if meta.exists() else "") + "reworded:\n" + entries, encoding="utf-8")


@pytest.mark.parametrize("overlay", sorted(REWORDINGS))
def test_the_same_rewording_listed_under_reworded_is_accepted(overlay: str, tmp_path: Path) -> None:
    _, ids = REWORDINGS[overlay]
    directory = tmp_path / overlay
    shutil.copytree(OVERLAYS / overlay, directory)
    listing(directory, ids)
    rules = load_rules(directory, use_cache=False)
    assert rules.reworded == tuple(
        (text_id, "the clinic's own protocol, reviewed 2026-11") for text_id in ids
    )
    done = run("assess", "--rules", str(directory), "-a", "calf_swelling=yes", "--format", "json")
    assert done.returncode == 0, done.stderr


def test_listing_only_one_of_two_rewordings_still_refuses_the_other(tmp_path: Path) -> None:
    directory = tmp_path / "custom"
    shutil.copytree(OVERLAYS / "dvt_title_reworded", directory)
    listing(directory, ["red_flags.dvt.title"])
    with pytest.raises(RulesError) as info:
        load_rules(directory, use_cache=False)
    assert [line.split(": ")[1].split(" is ")[0] for line in info.value.lines()] == ["red_flags.dvt.action"]


def test_a_new_region_and_a_new_red_flag_are_worded_freely() -> None:
    rules = load_rules(OVERLAYS / "new_region_and_red_flag", use_cache=False)
    assert rules.regions["NZ"].emergency == "111"
    assert {f.id: f.title["en"] for f in rules.red_flags}["clinic_night_sweats"] == "Night sweats"
    assert rules.reworded == ()
    done = run("rules", "validate", "tests/inputs/overlays/new_region_and_red_flag", cwd=ROOT)
    assert done.returncode == 0, done.stderr


# -- reworded: entries that hide nothing, and their shape ----------------------------------


def test_a_reworded_entry_that_changes_nothing_is_refused(tmp_path: Path) -> None:
    directory = tmp_path / "custom"
    shutil.copytree(OVERLAYS / "dvt_title_reworded", directory)
    listing(directory, ["red_flags.dvt.title", "red_flags.dvt.action", "red_flags.dvt.explain"])
    with pytest.raises(RulesError) as info:
        load_rules(directory, use_cache=False)
    assert info.value.lines() == [
        f"{directory}/ruleset.yaml: reworded: red_flags.dvt.explain is the built-in wording in this rule "
        "set; remove the entry (an entry that changes nothing would announce a change that is not there)"
    ]


def test_a_reworded_entry_naming_no_built_in_text_is_refused(tmp_path: Path) -> None:
    directory = tmp_path / "custom"
    shutil.copytree(OVERLAYS / "new_region_and_red_flag", directory)
    listing(
        directory, ["red_flags.clinic_night_sweats.title", "regions.NZ.emergency", "red_flags.dvtt.title"]
    )
    with pytest.raises(RulesError) as info:
        load_rules(directory, use_cache=False)
    assert info.value.lines() == [
        f"{directory}/ruleset.yaml: reworded: '{text_id}' names {what}, which is not built in{hint}: "
        "its wording is free; remove the entry"
        for text_id, what, hint in (
            ("red_flags.clinic_night_sweats.title", "red flag 'clinic_night_sweats'", ""),
            ("regions.NZ.emergency", "region 'NZ'", ""),
            ("red_flags.dvtt.title", "red flag 'dvtt'", " (did you mean 'dvt'?)"),
        )
    ]


def test_a_reworded_entry_of_no_protected_shape_or_twice_or_without_reason_is_refused_where_it_is(
    tmp_path: Path,
) -> None:
    (tmp_path / "ruleset.yaml").write_text(
        "reworded:\n"
        "  - text: questions.calf_pain.lay\n"
        "    reason: wording\n"
        "  - text: red_flags.dvt.title\n"
        "    reason: wording\n"
        "  - text: red_flags.dvt.title\n"
        "    reason: wording\n"
        "  - text: regions.JP.emergency\n"
    )
    with pytest.raises(RulesError) as info:
        load_rules(tmp_path, use_cache=False)
    lines = info.value.lines()
    assert lines[0].startswith(
        f"{tmp_path}/ruleset.yaml:2:5: expected a protected text id (red_flags.<flag>.title|action|explain, "
    )
    assert lines[0].endswith(", found 'questions.calf_pain.lay'")
    assert lines[1:] == [
        f"{tmp_path}/ruleset.yaml:8:5: missing required key 'reason'",
    ]
    (tmp_path / "ruleset.yaml").write_text(
        "reworded:\n"
        "  - text: red_flags.dvt.title\n    reason: a\n"
        "  - text: red_flags.dvt.title\n    reason: b\n"
    )
    with pytest.raises(RulesError) as info:
        load_rules(tmp_path, use_cache=False)
    assert info.value.lines() == [
        f"{tmp_path}/ruleset.yaml:4:5: duplicate reworded text id 'red_flags.dvt.title' (first at line 2)"
    ]


# -- the one list of protected texts ---------------------------------------------------------


def test_the_protected_texts_of_the_built_in_set(rules: RuleSet) -> None:
    texts = protected_texts(rules)
    assert all(re.fullmatch(ID_PATTERN, text_id) for text_id in texts)
    for flag in rules.red_flags:
        for field in ("title", "action", "explain"):
            assert texts[f"red_flags.{flag.id}.{field}"] == getattr(flag, field)
    assert texts["red_flags.dvt.escalations.0.action"]["en"].startswith("Call the emergency number now.")
    assert texts["red_flags.popliteal_aneurysm.escalations.1.action"] == (
        rules.red_flags[3].escalations[1].action
    )
    assert texts["dispositions.urgent.headline"]["ja"] == rules.dispositions[Level.URGENT].headline["ja"]
    assert "dispositions.emergency.action_no_advice" not in texts  # none built in
    assert texts["dispositions.urgent.regions.UK.action"]["en"].startswith("See a doctor today")
    assert not any(t.startswith(("dispositions.soon.", "dispositions.routine.")) for t in texts)
    assert texts["regions.JP.emergency"] == {"en": "119"}
    assert texts["regions.AU.advice"] == {"en": "1800 022 222"}
    assert "regions.US.advice" not in texts
    assert texts["regions.JP.advice_name"] == rules.regions["JP"].advice_name


# -- the check itself, on rule sets changed in memory (pure) --------------------------------


def custom(rules: RuleSet, **changes: object) -> RuleSet:
    return rules._replace(source="clinic", **changes)


def flag_changed(rules: RuleSet, flag_id: str, **changes: object) -> tuple:  # type: ignore[type-arg]
    return tuple(f._replace(**changes) if f.id == flag_id else f for f in rules.red_flags)


def lines(problems: list) -> list[str]:  # type: ignore[type-arg]
    return [str(p) for p in problems]


def test_the_built_in_set_against_itself_has_no_problem(rules: RuleSet) -> None:
    assert reworded_problems(custom(rules), rules) == []


def test_a_japanese_rewording_is_found_and_an_english_only_set_changes_no_japanese(rules: RuleSet) -> None:
    dvt = next(f for f in rules.red_flags if f.id == "dvt")
    japanese = custom(
        rules, red_flags=flag_changed(rules, "dvt", action={**dvt.action, "ja": "何もする必要はありません"})
    )
    (line,) = lines(reworded_problems(japanese, rules))
    assert line.startswith(
        "clinic: red_flags.dvt.action is protected safety wording: this rule set rewords it in 'ja'"
    )
    english_only = custom(rules, red_flags=flag_changed(rules, "dvt", action={"en": dvt.action["en"]}))
    assert reworded_problems(english_only, rules) == []


def test_removing_a_built_in_region_is_one_problem_answered_by_its_emergency_number(rules: RuleSet) -> None:
    without_jp = custom(
        rules,
        regions={k: v for k, v in rules.regions.items() if k != "JP"},
        dispositions={
            level: d._replace(by_region={r: t for r, t in d.by_region.items() if r != "JP"})
            for level, d in rules.dispositions.items()
        },
    )
    assert lines(reworded_problems(without_jp, rules)) == [
        "clinic: built-in region 'JP' (emergency number 119) is missing: a custom rule set may add "
        "regions, not remove one; keep it, or list regions.JP.emergency under 'reworded:' in ruleset.yaml "
        "with a reason"
    ]
    listed = without_jp._replace(reworded=(("regions.JP.emergency", "no clinic in Japan"),))
    assert reworded_problems(listed, rules) == []


def test_removing_or_adding_a_text_in_place_of_a_built_in_one_is_a_change(rules: RuleSet) -> None:
    dvt = next(f for f in rules.red_flags if f.id == "dvt")
    no_escalation_action = custom(
        rules, red_flags=flag_changed(rules, "dvt", escalations=(dvt.escalations[0]._replace(action=None),))
    )
    assert lines(reworded_problems(no_escalation_action, rules)) == [
        "clinic: red_flags.dvt.escalations.0.action is protected safety wording: this rule set removes it "
        f'(built-in "Call the emergency number now. Do not drive yourself. Sit u…"); {FIX}'
    ]
    emergency = rules.dispositions[Level.EMERGENCY]
    urgent = rules.dispositions[Level.URGENT]
    added = custom(
        rules,
        dispositions={
            **rules.dispositions,
            Level.EMERGENCY: emergency._replace(action_no_advice={"en": "Stay at home."}),
            Level.URGENT: urgent._replace(
                by_region={**urgent.by_region, "US": {"action": {"en": "Wait and see."}}}
            ),
        },
    )
    assert lines(reworded_problems(added, rules)) == [
        "clinic: dispositions.urgent.regions.US.action is protected safety wording: this rule set adds "
        f'"Wait and see." where the built-in rule set has none; {FIX}',
        "clinic: dispositions.emergency.action_no_advice is protected safety wording: this rule set adds "
        f'"Stay at home." where the built-in rule set has none; {FIX}',
    ]


def test_a_switched_off_red_flag_and_new_regions_and_red_flags_are_not_compared(rules: RuleSet) -> None:
    dvt = next(f for f in rules.red_flags if f.id == "dvt")
    urgent = rules.dispositions[Level.URGENT]
    free = custom(
        rules,
        red_flags=(
            *(f for f in rules.red_flags if f.id != "dvt"),
            dvt._replace(id="clinic_clot", title={"en": "Anything at all"}),
        ),
        disabled=(("dvt", "the clinic's own clot pathway"),),
        regions={**rules.regions, "NZ": Region("NZ", {"en": "New Zealand"}, "111", None, None)},
        dispositions={
            **rules.dispositions,
            Level.URGENT: urgent._replace(
                by_region={**urgent.by_region, "NZ": {"action": {"en": "Call 111."}}}
            ),
        },
    )
    assert reworded_problems(free, rules) == []
    stale = free._replace(reworded=(("red_flags.dvt.title", "switched off anyway"),))
    assert lines(reworded_problems(stale, rules)) == [
        "clinic/ruleset.yaml: reworded: red_flags.dvt.title belongs to red flag 'dvt', which this rule set "
        "switches off (disable:); remove the entry"
    ]


def test_the_wordings_in_a_problem_are_short_and_escaped(rules: RuleSet) -> None:
    long = "Harmless \x1b[2J" + "x" * 100
    changed = custom(rules, red_flags=flag_changed(rules, "cellulitis", title={"en": long, "ja": "x"}))
    text = lines(reworded_problems(changed, rules))[0]
    assert '"Harmless \\x1b[2J' in text and "\x1b" not in text
    assert 'x…" (also ja); ' in text


def test_the_announcement_itself_can_never_be_softened_not_even_under_reworded(tmp_path: Path) -> None:
    """The words that say a rule set is changed (and the disclaimer) are not the custom set's
    to change: refused with one line per message, and a ``reworded:`` entry cannot cover them."""
    overlay = OVERLAYS / "announcement_softened"
    result = run("rules", "validate", str(overlay), env={"KNEEGUIDE_CACHE_DIR": str(tmp_path / "cache")})
    assert result.returncode == 2 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert [line.split("message '")[1].split("'")[0] for line in lines] == ["warn_disabled", "rules_custom"]
    assert all("cannot be changed by one" in line for line in lines)


def test_a_reworded_text_shown_in_every_region_may_not_name_one_regions_emergency_number() -> None:
    """ "Call 119 now" in a red flag's action reads as a dead line in the US (911): the
    built-in wording says "the emergency number" and each report fills in the reader's own."""
    builtin = load_rules()
    dvt = next(f for f in builtin.red_flags if f.id == "dvt")
    action = {**dvt.action, "ja": dvt.action["ja"] + "すぐに119番に電話してください。"}
    custom = builtin._replace(
        red_flags=tuple(f._replace(action=action) if f.id == "dvt" else f for f in builtin.red_flags),
        reworded=(("red_flags.dvt.action", "clinic wording"),),
    )
    [problem] = reworded_problems(custom, builtin)
    assert "red_flags.dvt.action (ja) names the emergency number 119 of region JP" in problem.message
    # a region's own wording may name its own number
    assert not [p for p in reworded_problems(builtin, builtin)]


def test_a_reworded_entry_for_a_switched_off_red_flag_says_so() -> None:
    builtin = load_rules()
    custom = builtin._replace(
        red_flags=tuple(f for f in builtin.red_flags if f.id != "dvt"),
        disabled=(("dvt", "clinic protocol"),),
        reworded=(("red_flags.dvt.action", "clinic wording"),),
    )
    messages = [p.message for p in reworded_problems(custom, builtin)]
    assert messages == [
        "reworded: red_flags.dvt.action belongs to red flag 'dvt', which this rule set switches off "
        "(disable:); remove the entry"
    ]


def test_an_overlay_that_rewords_english_is_told_to_give_the_translation_in_its_own_catalogue(
    tmp_path: Path,
) -> None:
    """Never to edit the built-in catalogue, which every custom set is proved against."""
    rules_text = (ROOT / "rules" / "red_flags.yaml").read_text(encoding="utf-8")
    start, end = rules_text.index("  - id: dvt\n"), rules_text.index("  - id: pulmonary_embolism\n")
    entry = rules_text[start:end].replace(
        "See a doctor today, within a few hours,", "See a doctor within two hours,"
    )
    (tmp_path / "red_flags.yaml").write_text("red_flags:\n" + entry, encoding="utf-8")
    (tmp_path / "ruleset.yaml").write_text(
        'version: "2026.12-t"\ntitle: "kneeguide rules for posterior knee and calf pain"\n'
        "languages: [en, ja]\ndefault_region: JP\n"
        'reworded:\n  - text: red_flags.dvt.action\n    reason: "clinic wording"\n',
        encoding="utf-8",
    )
    done = run("rules", "validate", str(tmp_path), env={"KNEEGUIDE_NO_CACHE": "1"})
    assert done.returncode == 2
    written = (tmp_path / "red_flags.yaml").read_text(encoding="utf-8").splitlines()
    line = next(
        n for n, text in enumerate(written, 1) if text.startswith('    action: "See a doctor within two')
    )
    assert done.stderr.splitlines() == [
        f"kneeguide: {tmp_path}/red_flags.yaml:{line}:5: "
        "this rule set changes the English of red_flags.dvt.action, whose 'ja' translation is the built-in "
        f"one: give its reviewed 'ja' translation in {tmp_path}/locale/ja/red_flags.po (an entry with "
        'msgctxt "red_flags.dvt.action", as in the built-in catalogues)'
    ]
