"""The exported Questionnaire in a real forms client: LHC-Forms, filled by clicking.

``kneeguide export --fhir`` gives the Questionnaire of the interview; LHC-Forms (npm
``lforms``) renders it in the system Chromium, driven by puppeteer-core
(tests/lforms/drive.js, served from 127.0.0.1, no other network). A story is filled as
a person would (radio buttons clicked, numbers typed), the QuestionnaireResponse is
read back with ``LForms.Util.getFormFHIRData`` and given to ``kneeguide assess``: the
same answers and the same level as the story's. The items shown at each moment are
those kneeguide itself would ask (``Flow.applies``).

Skipped, with the reason, only when Chromium, node or the installed node_modules are
missing (``npm ci --legacy-peer-deps`` is run once here when only node_modules is).
Screenshots go to ``KNEEGUIDE_LFORMS_SHOTS`` when that is set (named
``lforms-<audience>-<lang>.png``, or with ``KNEEGUIDE_LFORMS_PREFIX`` instead of ``lforms``).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kneeguide.api import assess, load_rules
from kneeguide.ids import Audience
from kneeguide.interview.flow import Flow
from kneeguide.render import fhir

HERE = Path(__file__).parent / "lforms"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="module")
def node() -> str:
    """The node executable, with LHC-Forms and puppeteer-core installed beside the driver."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (CI installs the Debian package)")
    exe = shutil.which("node")
    if exe is None:
        pytest.skip("node is not installed (CI installs the Debian nodejs package)")
    if not (HERE / "node_modules" / "lforms").is_dir():
        npm = shutil.which("npm")
        if npm is None:
            pytest.skip("tests/lforms/node_modules is missing and npm is not installed")
        done = subprocess.run(
            [npm, "ci", "--legacy-peer-deps", "--ignore-scripts", "--no-audit", "--no-fund"],
            cwd=HERE,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, done.stderr[-2000:]
    return exe


def kneeguide(*args: str, audience: str = "lay", tmp: Path) -> subprocess.CompletedProcess[str]:
    config = tmp / f"config-{audience}.yaml"
    config.write_text(f"audience: {audience}\nregion: JP\n")
    exe = shutil.which("kneeguide", path=os.path.dirname(sys.executable))  # this interpreter's
    command = [exe] if exe else [sys.executable, "-m", "kneeguide"]
    env = {**os.environ, "KNEEGUIDE_CONFIG": str(config)}
    return subprocess.run([*command, *args], capture_output=True, text=True, timeout=120, env=env)


def exported(tmp: Path, audience: str, lang: str = "en") -> dict[str, Any]:
    """The Questionnaire of the Bundle that ``kneeguide export --fhir`` writes."""
    answers = tmp / "none.json"
    answers.write_text("{}")
    done = kneeguide(
        "export", "--fhir", "--answers", str(answers), "--lang", lang, audience=audience, tmp=tmp
    )
    assert done.returncode == 0, done.stderr
    (questionnaire,) = [
        e["resource"]
        for e in json.loads(done.stdout)["entry"]
        if e["resource"]["resourceType"] == "Questionnaire"
    ]
    return questionnaire  # type: ignore[no-any-return]


def fill(
    node: str,
    tmp: Path,
    questionnaire: dict[str, Any],
    steps: list[dict[str, Any]],
    response: dict[str, Any] | None = None,
) -> dict[str, Any]:
    job = tmp / "job.json"
    job.write_text(json.dumps({"questionnaire": questionnaire, "steps": steps, "response": response}))
    done = subprocess.run(
        [node, str(HERE / "drive.js"), str(job)],
        capture_output=True,
        text=True,
        timeout=300,
        env=dict(os.environ),
    )
    assert done.returncode == 0, done.stderr[-3000:]
    out: dict[str, Any] = json.loads(done.stdout)
    assert "failed" not in out, out["failed"]
    assert out["errors"] == [], out["errors"]  # no console or page errors, no request failed
    assert out["missing"] == [], out["missing"]  # every field the story needs was on the page
    return out


def form_order(items: list[dict[str, Any]]) -> list[str]:
    return [
        i["linkId"]
        for item in items
        for i in [item] + [{"linkId": x} for x in form_order(item.get("item", []))]
    ]


def steps_for(story: dict[str, Any], questionnaire: dict[str, Any]) -> list[dict[str, Any]]:
    """Clicks and typing that give ``story``, top to bottom as a person fills the form."""
    rules = load_rules()
    order = form_order(questionnaire["item"])
    steps: list[dict[str, Any]] = []
    for qid in sorted(story, key=order.index):
        value = story[qid]
        if rules.questions[qid].type in ("yn", "choice"):
            steps.append({"choose": qid, "code": value})
        else:
            steps.append({"type": qid, "text": str(value)})
    return steps


def asked(audience: Audience, answers: dict[str, Any]) -> set[str]:
    """The questions kneeguide would ask given ``answers`` (before relevance cuts any), and
    the sections ("section.<id>") holding one of them in the form."""
    rules = load_rules()
    flow = Flow(rules, audience)
    questions = {q.id for q in rules.questions.values() if flow.applies(q, answers)}
    form = fhir.questionnaire(rules, "en", audience)
    return questions | {g["linkId"] for g in form["item"] if questions & {i["linkId"] for i in g["item"]}}


def round_trip(node: str, tmp: Path, audience: str, story: dict[str, Any]) -> None:
    """Fill ``story`` by clicking, then: shown items = kneeguide's, answers and level the same."""
    questionnaire = exported(tmp, audience)
    out = fill(
        node, tmp, questionnaire, [{"visible": True}, *steps_for(story, questionnaire), {"visible": True}]
    )
    before, after = (set(v) for v in out["visible"])
    who = Audience[audience.upper()]
    assert before == asked(who, {})
    assert after == asked(who, story)
    response = tmp / "response.json"
    response.write_text(json.dumps(out["response"]))
    done = kneeguide("assess", "--answers", str(response), "--format", "json", audience=audience, tmp=tmp)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["answers"] == story
    expected = assess(story, rules=load_rules(), audience=who)
    assert result["triage"]["level"] == expected.triage.level.id


def test_a_lay_story_filled_by_clicking_comes_back_with_every_answer_and_the_same_level(
    node: str, tmp_path: Path
) -> None:
    story = {
        "calf_tense": "no",
        "age": 44,  # a number with a range, typed
        "sex": "female",  # a choice
        "pregnant": "no",  # shown by sex and age (an enableWhenExpression)
        "duration_days": 3.5,
        "pain_score": 7,
        "injury": "yes",  # a group's question that opens follow-ups
        "injury_mechanism": "twisting",  # its follow-up
        "pop_felt": "unsure",
        "calf_pain": "yes",
        "pain_moving_toes": "no",
        "calf_swelling": "yes",
        "lump_behind_knee": "unsure",  # "not sure" keeps its follow-ups shown
        "lump_pulsating": "no",
        "recent_surgery": "yes",
    }
    round_trip(node, tmp_path, "lay", story)


def test_a_practitioner_story_filled_by_clicking_comes_back_the_same(node: str, tmp_path: Path) -> None:
    story = {
        "age": 45,
        "sex": "male",  # pregnant is not shown
        "injury": "no",  # its follow-ups are not shown, examination ones included
        "calf_pain": "yes",
        "calf_swelling": "yes",
        "deep_vein_tenderness": "yes",
        "calf_difference_cm": 3.2,  # a decimal with a range
        "alternative_diagnosis_likely": "no",
        "immobilised": "no",
    }
    round_trip(node, tmp_path, "practitioner", story)


@pytest.mark.parametrize(
    "story",
    [
        # answered "no": each follow-up hides, as kneeguide skips it
        {
            "calf_tense": "no",
            "pain_out_of_proportion": "no",
            "age": 30,
            "sex": "male",
            "injury": "no",
            "calf_pain": "no",
            "redness": "no",
            "lump_behind_knee": "no",
            "immobilised": "no",
        },
        # "not sure" hides nothing; age over 60 hides "pregnant" for a woman
        {
            "age": 70,
            "sex": "female",
            "injury": "unsure",
            "immobilised": "unsure",
            "lump_behind_knee": "unsure",
        },
        # the knee that went out: opened from another section (an enableWhenExpression)
        {"injury": "yes", "knee_giving_way": "no", "knee_deformity": "no", "high_energy_trauma": "no"},
    ],
)
def test_the_form_shows_exactly_the_questions_kneeguide_would_ask(
    node: str, tmp_path: Path, story: dict[str, Any]
) -> None:
    questionnaire = exported(tmp_path, "lay")
    out = fill(node, tmp_path, questionnaire, [*steps_for(story, questionnaire), {"visible": True}])
    assert set(out["visible"][0]) == asked(Audience.LAY, story)


def test_the_form_refuses_an_age_out_of_range(node: str, tmp_path: Path) -> None:
    questionnaire = exported(tmp_path, "lay")
    steps = [
        {"type": "age", "text": "150"},
        {"messages": True},
        {"type": "age", "text": "64"},
        {"messages": True},
    ]
    out = fill(node, tmp_path, questionnaire, steps)
    assert out["messages"] == [["How old are you?: must be a value less than or equal to 120."], []]


@pytest.mark.parametrize(
    ("audience", "lang"), [("lay", "en"), ("practitioner", "en"), ("lay", "ja"), ("practitioner", "ja")]
)
def test_the_form_renders_without_errors_in_each_audience_and_language(
    node: str, tmp_path: Path, audience: str, lang: str
) -> None:
    questionnaire = exported(tmp_path, audience, lang)
    shots = os.environ.get("KNEEGUIDE_LFORMS_SHOTS")
    story = {"injury": "no", "sex": "female", "age": 40, "lump_behind_knee": "yes"}
    steps = [*steps_for(story, questionnaire), {"visible": True}]
    if shots:
        name = f"{os.environ.get('KNEEGUIDE_LFORMS_PREFIX', 'lforms')}-{audience}-{lang}.png"
        steps.append({"screenshot": str(Path(shots) / name)})
    out = fill(node, tmp_path, questionnaire, steps)
    assert set(out["visible"][0]) == asked(Audience[audience.upper()], story)


@pytest.mark.parametrize("audience", ["lay", "practitioner"])
def test_the_exported_response_opens_in_the_form_with_every_answer(
    node: str, tmp_path: Path, audience: str
) -> None:
    """The QuestionnaireResponse of ``export --fhir`` conforms to its Questionnaire as a
    forms client reads it: loaded into LHC-Forms, every answer lands in its item and
    comes back (was: a flat response to a form of section groups, its answers lost)."""
    story = {
        "lay": {
            "fever": "yes",
            "feels_very_unwell": "no",
            "age": 64,
            "sex": "female",
            "injury": "yes",
            "injury_mechanism": "twisting",
            "calf_swelling": "yes",
            "duration_days": 3.5,
        },
        "practitioner": {
            "age": 45,
            "sex": "male",
            "calf_swelling": "yes",
            "calf_difference_cm": 3.2,
            "alternative_diagnosis_likely": "no",
        },
    }[audience]
    answers = tmp_path / "story.json"
    answers.write_text(json.dumps(story))
    done = kneeguide("export", "--fhir", "--answers", str(answers), audience=audience, tmp=tmp_path)
    assert done.returncode == 0, done.stderr
    entries = {e["resource"]["resourceType"]: e["resource"] for e in json.loads(done.stdout)["entry"]}
    out = fill(
        node, tmp_path, entries["Questionnaire"], [{"visible": True}], entries["QuestionnaireResponse"]
    )
    assert set(out["visible"][0]) == asked(Audience[audience.upper()], story)
    response = tmp_path / "response.json"
    response.write_text(json.dumps(out["response"]))
    done = kneeguide(
        "assess", "--answers", str(response), "--format", "json", audience=audience, tmp=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["answers"] == story
