"""Questions beyond the scripting contract, as a script finds and uses them.

A script that sends only the contract's question ids leaves every other question
unknown, and an unknown answer keeps a red flag "not excluded". ``kneeguide
questions --format json`` therefore says of every question whether it is in the
contract, when it is asked (``asked_if``, in the rule syntax and in words), the
label of each choice, and which rules read it; the README lists the questions
beyond the contract with the same facts, held here to the rule set.
"""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path
from typing import Any

import pytest
from test_cli import kneeguide

from kneeguide.authoring.catalogue import question_rows
from kneeguide.authoring.wording import condition_text
from kneeguide.evaluate import conditions as c
from kneeguide.ruleset.contract import QUESTION_IDS
from kneeguide.ruleset.model import RuleSet, pick

ROOT = Path(__file__).resolve().parent.parent
README_HEADING = "#### Questions beyond the contract"


def catalogue(*args: str) -> dict[str, dict[str, Any]]:
    """``kneeguide questions --format json`` as a script reads it: rows by id."""
    done = kneeguide("questions", "--format", "json", *args)
    assert done.returncode == 0, done.stderr
    return {row["id"]: row for row in json.loads(done.stdout)}


def test_a_follow_up_says_when_it_is_asked_and_which_rules_read_it(rules: RuleSet) -> None:
    rows = catalogue()
    bedridden = rows["bedridden"]
    assert bedridden["contract"] is False
    assert bedridden["asked_if"] == {"q": "immobilised", "is": "yes"}
    assert bedridden["asked_if_text"] == f"{pick(rules.questions['immobilised'].clinical, 'en')}: yes"
    assert "dvt" in bedridden["read_by"]["red_flags"]
    assert "wells_dvt" in bedridden["read_by"]["scores"]
    assert "bedridden" in rows["immobilised"]["opens"]


def test_every_question_says_whether_scripts_can_rely_on_it(rules: RuleSet) -> None:
    rows = catalogue()
    assert list(rows) == list(rules.questions)
    for qid, row in rows.items():
        assert row["contract"] is (qid in QUESTION_IDS), qid
        assert (row["asked_if"] is None) is (rules.questions[qid].ask_if is None), qid
        assert (row["asked_if_text"] is None) is (row["asked_if"] is None), qid
        assert set(row["read_by"]) == {"red_flags", "scores", "causes", "floors", "acupuncture"}
    calf = rows["calf_pain"]
    assert (calf["contract"], calf["asked_if"], calf["asked_if_text"]) == (True, None, None)
    assert rows["injury_mechanism"]["contract"] is True
    assert rows["injury_mechanism"]["asked_if"] == {"q": "injury", "is": "yes"}


def test_read_by_names_every_rule_whose_condition_reads_the_answer(rules: RuleSet) -> None:
    rows = catalogue()
    for flag in rules.red_flags:
        for qid in c.questions_in(flag.when):
            assert flag.id in rows[qid]["read_by"]["red_flags"], (qid, flag.id)
    for cause in rules.causes:
        for qid in set().union(*(c.questions_in(f.when) for f in cause.features)):
            assert cause.id in rows[qid]["read_by"]["causes"], (qid, cause.id)
    for rule in rules.acupuncture.suitability:
        for qid in c.questions_in(rule.when):
            assert rule.id in rows[qid]["read_by"]["acupuncture"], (qid, rule.id)
    for qid in rules.acupuncture.screening:
        assert rows[qid]["acupuncture_screening"] is True
    # a flag comparing the Wells score reads every Wells item, those it does not name too
    wells = next(s for s in rules.scores if s.id == "wells_dvt")
    items = set().union(*(c.questions_in(i.when) for i in wells.items))
    items |= set().union(*(c.questions_in(i.proxy) for i in wells.items if i.proxy is not None))
    dvt = next(f for f in rules.red_flags if f.id == "dvt")
    assert "wells_dvt" in c.scores_in(dvt.when)
    assert items - c.questions_in(dvt.when), "some Wells items are read only through the score"
    for qid in items:
        assert "dvt" in rows[qid]["read_by"]["red_flags"], qid
        assert "wells_dvt" in rows[qid]["read_by"]["scores"], qid
    assert rows["needle_fear"]["read_by"]["red_flags"] == []


def test_choice_labels_come_in_the_language_asked(rules: RuleSet) -> None:
    english = catalogue()["injury_mechanism"]
    japanese = catalogue("--lang", "ja")["injury_mechanism"]
    offered = rules.questions["injury_mechanism"].choices
    assert list(english["choice_labels"]) == english["choices"] == [ch.id for ch in offered]
    assert english["choice_labels"]["twisting"] == "Twisting or turning on the leg"
    assert list(japanese["choice_labels"]) == japanese["choices"]
    for ch in offered:
        assert japanese["choice_labels"][ch.id] == ch.text["ja"] != ch.text["en"]
    assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", japanese["asked_if_text"])
    assert (
        "yes" not in japanese["asked_if_text"]
        and rules.message("answer_yes", "ja") in japanese["asked_if_text"]
    )


def test_a_condition_is_said_in_words_that_read_back_exactly(rules: RuleSet) -> None:
    def name(qid: str) -> str:
        return pick(rules.questions[qid].clinical, "en")

    cond = c.All(
        (
            c.AnswerIs("injury", frozenset({"yes"})),
            c.Any(
                (
                    c.AnswerIs("knee_giving_way", frozenset({"yes"})),
                    c.AnswerIs("able_to_bear_weight", frozenset({"no"})),
                    c.AnswerIs("knee_deformity", frozenset({"yes"})),
                )
            ),
            c.AnswerCompare("age", "ge", 10.0),
            c.Not(c.AnswerIs("sex", frozenset({"other", "female"}))),
        )
    )
    assert condition_text(cond, rules, "en") == (
        f"{name('injury')}: yes and ({name('able_to_bear_weight')}: no or yes to any of: "
        f"{name('knee_giving_way')}; {name('knee_deformity')}) and {name('age')} ≥ 10 "
        f"and not ({name('sex')}: Female or Other)"
    )


def test_the_text_listing_shows_what_is_beyond_the_contract_and_when_it_is_asked() -> None:
    done = kneeguide("questions")
    assert done.returncode == 0, done.stderr
    entries = {block.split()[0]: block for block in re.split(r"\n(?=\S)", done.stdout)}
    assert "[Beyond the scripting contract]" in entries["bedridden"]
    assert "Asked only if: Recent immobilisation: yes" in entries["bedridden"]
    assert "[Beyond" not in entries["calf_pain"] and "Asked only if" not in entries["calf_pain"]
    assert "twisting: Twisting or turning on the leg" in entries["injury_mechanism"]
    japanese = kneeguide("questions", "--lang", "ja")
    for english in ("Beyond", "Asked only", "yes, no or unsure", "Recent immobilisation"):
        assert english not in japanese.stdout


# -- the README --------------------------------------------------------------------------


def readme_block(rules: RuleSet) -> str:
    """The README's list of the questions beyond the contract, as the rule set has them."""
    lines = []
    for row in question_rows(rules, None, "en"):
        if row["contract"]:
            continue
        kind = {"yn": "yes/no", "choice": "one of " + ", ".join(f"`{x}`" for x in row.get("choices", []))}
        people = {"lay": "lay people", "practitioner": "practitioners"}
        audience = "" if len(row["audience"]) > 1 else f", {people[row['audience'][0]]} only"
        when = f"send it when {row['asked_if_text']}" if row["asked_if_text"] else "send it always"
        read = [
            f"{label} " + ", ".join(f"`{rid}`" for rid in row["read_by"][key])
            for key, label in [
                ("red_flags", "red flags"),
                ("scores", "scores"),
                ("floors", "floors"),
                ("acupuncture", "acupuncture rules"),
                ("causes", "causes"),
            ]
            if row["read_by"][key]
        ]
        if row["acupuncture_screening"]:
            read.append("the acupuncture screening")
        text = f"- `{row['id']}` ({kind.get(row['type'], row['expected'])}{audience}): {when}. "
        text += f"Read by {'; '.join(read)}." if read else "Read by no rule."
        wrapped = textwrap.wrap(
            text, width=90, subsequent_indent="  ", break_long_words=False, break_on_hyphens=False
        )
        lines += wrapped
    return "\n".join(lines) + "\n"


def readme_list() -> str:
    """The bullet list under the README's heading for the questions beyond the contract
    (empty when there is none)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert README_HEADING in readme, f"the README has a '{README_HEADING}' subsection"
    section = readme.split(README_HEADING, 1)[1].split("\n#", 1)[0]
    found = re.search(r"(?m)^- `.*?(?=\n\n|\n?\Z)", section, flags=re.DOTALL)
    return found.group(0) + "\n" if found else ""


def test_the_readme_lists_the_questions_beyond_the_contract_as_the_rules_have_them(
    rules: RuleSet,
) -> None:
    expected = readme_block(rules)
    if readme_list() != expected:
        pytest.fail(
            f"README.md's list under '{README_HEADING}' differs from the rule set; "
            f"replace it with:\n\n{expected}",
            pytrace=False,
        )


def test_every_question_a_red_flag_reads_is_in_the_readme_or_the_contract() -> None:
    listed = set(re.findall(r"(?m)^- `(\w+)`", readme_list()))
    read_by_flags = {qid for qid, row in catalogue().items() if row["read_by"]["red_flags"]}
    assert read_by_flags - set(QUESTION_IDS) <= listed
    assert not listed & set(QUESTION_IDS), "contract questions are listed in the contract itself"


# -- a script that uses it -----------------------------------------------------------------


def contract_answers(rules: RuleSet) -> dict[str, Any]:
    """A complete set of contract answers (practitioner): a 16-year-old with two days of an
    ache behind the knee while running, no injury, nothing else found."""
    answers: dict[str, Any] = {q: "no" for q in QUESTION_IDS if rules.questions[q].type == "yn"}
    answers.update(age=16, sex="male", side="right", duration_days=2, onset="gradual", pain_score=3)
    answers.update(calf_difference_cm=0, morning_stiffness_minutes=0)
    answers.update(able_to_bear_weight="yes", can_flex_90="yes", pain_running="yes")
    answers.update(alternative_diagnosis_likely="yes")
    return answers


def holds(cond: Any, answers: dict[str, Any]) -> bool | None:
    """An ``asked_if`` as a script evaluates it from the JSON: three-valued, None while an
    answer it reads is missing (so the question may still matter)."""
    if "all" in cond or "any" in cond:
        parts = [holds(x, answers) for x in cond.get("all", cond.get("any"))]
        decisive = "any" in cond  # the value that settles the group
        if decisive in parts:
            return decisive
        return None if None in parts else not decisive
    if "not" in cond:
        inner = holds(cond["not"], answers)
        return None if inner is None else not inner
    value = answers.get(cond["q"])
    if value is None or value == "unsure":
        return None
    if "is" in cond or "in" in cond:
        return value in cond.get("in", [cond.get("is")])
    op, limit = next((k, v) for k, v in cond.items() if k != "q")
    return {"ge": value >= limit, "gt": value > limit, "le": value <= limit, "lt": value < limit}[op]


def assess(answers: dict[str, Any]) -> dict[str, Any]:
    done = kneeguide(
        "assess",
        "--format",
        "json",
        "--audience",
        "practitioner",
        "--answers",
        "-",
        stdin=json.dumps(answers),
    )
    assert done.returncode in (0, 3), done.stderr
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def test_a_script_closes_what_the_contract_leaves_open_with_the_catalogue(rules: RuleSet) -> None:
    rows = catalogue("--audience", "practitioner")
    answers = contract_answers(rules)
    first = assess(answers)
    assert not first["red_flags"]
    open_flags = {n["id"]: n["missing"] for n in first["not_excluded"]}
    beyond = {q for missing in open_flags.values() for q in missing if not rows[q]["contract"]}
    assert beyond, "contract answers alone leave a flag open on a question beyond the contract"
    for flag, missing in open_flags.items():
        for qid in missing:
            assert flag in rows[qid]["read_by"]["red_flags"], (flag, qid)
    # the script sends every yes/no question beyond the contract that its asked_if leaves open
    for qid, row in rows.items():
        still_open = row["asked_if"] is None or holds(row["asked_if"], answers) is not False
        if not row["contract"] and row["type"] == "yn" and still_open:
            answers[qid] = "no"
    assert beyond <= set(answers)
    second = assess(answers)
    assert second["not_excluded"] == [] and second["red_flags"] == []
    assert second["triage"]["level"] in ("self_care", "routine")
