"""Property-based fuzzing of everything that reads untrusted text, in process.

The contract under test: whatever the input, the readers either return a value
or raise kneeguide's own error type (:class:`KneeguideError`: ``InputError`` for
answers, ``RulesError`` for YAML and rules), which the CLI turns into one line
and exit status 2. Any other exception would be an "internal error" (exit 1)
and, in batch mode, the end of the whole run. And a rule file whose mutation
made it invalid YAML must never yield a rule set.

Examples are bounded (``max_examples`` at most 200, no deadline) to keep the
run short; the hypothesis database is off so no files are left behind. Inputs
random text almost never produces (integers of thousands of digits, JSON nested
100,000 deep) have their own tests at the end: they broke the contract when
this suite was written.
"""

from __future__ import annotations

import io
import json
import math
import random
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kneeguide.api import load_rules
from kneeguide.batch.blocks import Job, process_block
from kneeguide.batch.csv_records import read_csv
from kneeguide.batch.lines import text_stream
from kneeguide.batch.reading import Line, Record, jsonl_lines, parse_line
from kneeguide.errors import InputError, Problem, RulesError
from kneeguide.ids import RULE_FILES, Audience
from kneeguide.ruleset.answers import check_answers, parse_answers, parse_assignments
from kneeguide.ruleset.build import build
from kneeguide.ruleset.files import builtin_rules, read_files
from kneeguide.ruleset.yamlio import decode, parse

RULES = load_rules()
QUESTIONS = RULES.questions
QIDS = sorted(QUESTIONS)
CHOICE_IDS = sorted({c.id for q in QUESTIONS.values() for c in q.choices})
RULE_TEXTS = {name: builtin_rules().joinpath(name).read_text(encoding="utf-8") for name in RULE_FILES}
CATALOGUE_TEXTS = {
    f"locale/ja/{path.name}": path.read_text(encoding="utf-8")
    for path in sorted((Path(str(builtin_rules())) / "locale" / "ja").glob("*.po"))
}

FAST = settings(max_examples=200, deadline=None, database=None)
SLOW = settings(max_examples=30, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])

# --- strategies -----------------------------------------------------------------------------------


@st.composite
def near_miss(draw: st.DrawFn) -> str:
    """A real question id, slightly wrong: a typo, a case change, a stray space or suffix."""
    qid = draw(st.sampled_from(QIDS))
    i = draw(st.integers(0, len(qid) - 1))
    how = draw(st.sampled_from(["drop", "double", "swap", "replace", "upper", "space", "suffix"]))
    if how == "drop":
        return qid[:i] + qid[i + 1 :]
    if how == "double":
        return qid[:i] + qid[i] + qid[i:]
    if how == "swap" and i + 1 < len(qid):
        return qid[:i] + qid[i + 1] + qid[i] + qid[i + 2 :]
    if how == "replace":
        return qid[:i] + draw(st.characters()) + qid[i + 1 :]
    if how == "upper":
        return qid.upper()
    if how == "space":
        return f" {qid} "
    return qid + draw(st.sampled_from(["s", "_", "-", ".", "2", "\x00", "é"]))


KEYS = st.one_of(st.sampled_from(QIDS), near_miss(), st.text(max_size=20), st.sampled_from(["id", ""]))

WORDS = st.sampled_from(
    [
        "yes", "no", "unsure", "Yes", " NO ", "y", "n", "true", "false", "1", "0", "?", "not sure",
        "don't know", "maybe", "64", " 64 ", "-1", "1e3", "1e400", "nan", "NaN", "inf", "-inf", "0x10",
        "1_000", "", " ", "\x00", "٣", "６４", "64.5", "-0", "1e-400", *CHOICE_IDS,
        *(c.replace("_", " ").upper() for c in CHOICE_IDS[:10]),
    ]
)  # fmt: skip

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from([10**400, -(10**400), 2**1024]),  # beyond any float
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    WORDS,
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=4,
)
ANSWERS = st.dictionaries(KEYS, VALUES, max_size=8)

# --- answers --------------------------------------------------------------------------------------


@FAST
@given(ANSWERS)
@example({"age": 1e308, "pain_score": float("nan"), "calf_swelling": [], "sex": {"a": 1}})
@example({"age": True, "calf_swelling": 1.0, "injury": 0, "onset": "Sudden"})
def test_check_answers_returns_clean_answers_and_problems_for_any_mapping(raw: dict[str, Any]) -> None:
    clean, problems = check_answers(raw, QUESTIONS)
    assert set(clean) <= set(QUESTIONS) & set(raw)
    assert all(isinstance(p, Problem) and p.message for p in problems)
    for key, value in raw.items():
        # every key is either accepted, explained by a problem, or null (not answered)
        assert key in clean or value is None or any(key in p.message for p in problems)
    # clean answers are a fixed point: checking them again changes nothing
    again, none = check_answers(clean, QUESTIONS)
    assert none == [] and again == clean
    for value in clean.values():
        assert isinstance(value, (str, int, float)) and not isinstance(value, bool)
        assert not isinstance(value, float) or math.isfinite(value)


@FAST
@given(ANSWERS)
def test_parse_answers_raises_only_input_error(raw: dict[str, Any]) -> None:
    try:
        clean = parse_answers(raw, QUESTIONS)
    except InputError as exc:
        assert exc.problems and exc.lines()
        return
    assert clean == check_answers(raw, QUESTIONS)[0]


@FAST
@given(st.lists(st.one_of(st.text(max_size=40), st.builds("{}={}".format, KEYS, st.text(max_size=10)))))
@example(["=", "a=b=c", " = x", "age==", "\x00=\x00", "calf_swelling"])
def test_parse_assignments_raises_only_input_error(items: list[str]) -> None:
    try:
        out = parse_assignments(items)
    except InputError as exc:
        assert exc.problems and all(p.message.startswith("-a ") for p in exc.problems)
        return
    assert all(isinstance(k, str) and k and k == k.strip() for k in out)
    assert all(isinstance(v, str) for v in out.values())
    _, problems = check_answers(out, QUESTIONS)  # what `assess -a` does next: reports, never raises
    assert all(isinstance(p, Problem) for p in problems)


# --- batch readers --------------------------------------------------------------------------------

JOB = Job(RULES, "JP", Audience.LAY, False)


def parsed_lines(stream: io.StringIO) -> list[Record]:
    """What the command reads from a JSON Lines file: its numbered lines, each parsed."""
    return [parse_line(line) for line in jsonl_lines(stream)]


def _check_outputs(lines: list[Line], outputs: list[dict[str, Any]]) -> None:
    """One batch record per input line, in order, each assessed or naming its problems."""
    assert [o["row"] for o in outputs] == [line.row for line in lines]
    for o in outputs:
        assert o["ok"] is True or (o["ok"] is False and o["errors"])


def _check_records(records: list[Record], lines: int) -> None:
    rows = [r.row for r in records]
    assert rows == sorted(set(rows)), "rows are increasing and unique"
    for r in records:
        assert isinstance(r, Record) and 1 <= r.row <= max(lines, 1)
        assert (r.answers is None) == bool(r.problems)
        assert r.answers is None or isinstance(r.answers, dict)
        assert all(isinstance(m, str) and m for _, m in r.problems)


JSONISH = st.one_of(
    st.text(max_size=300),
    st.lists(
        st.one_of(
            st.builds(json.dumps, ANSWERS),
            st.builds(lambda d, cut: json.dumps(d)[:cut], ANSWERS, st.integers(0, 40)),
            st.sampled_from(["[1, 2]", '"text"', "null", "{", "}", "{}", '{"id": [1]}', "\ufeff{}", ""]),
        ),
        max_size=5,
    ).map("\n".join),
)


@FAST
@given(JSONISH)
@example('{"age": 30}\r\n{"age": \n\n  \n[1]\n{"id": null}')
@example("\x00\n\u2028\n\x85{}\n")
def test_reading_and_assessing_jsonl_never_raise_and_give_one_record_per_line(text: str) -> None:
    records = parsed_lines(io.StringIO(text))
    _check_records(records, len(io.StringIO(text).readlines()))
    lines = list(jsonl_lines(io.StringIO(text)))
    _check_outputs(lines, process_block(JOB, lines))


CSVISH = st.one_of(
    st.text(alphabet=st.sampled_from('ab,"\n\r \x00id=é;'), max_size=200),
    st.text(max_size=200),
    st.lists(
        st.lists(st.one_of(st.sampled_from([*QIDS[:8], "id", ""]), st.text(max_size=6)), max_size=5).map(
            ",".join
        ),
        max_size=6,
    ).map("\n".join),
)


@FAST
@given(CSVISH)
@example('id,age\n"unterminated\n')
@example("age,age\n30,40\n")
@example("age\n" + "x" * 200_000 + "\n30\n")
def test_reading_and_assessing_csv_never_raise(text: str) -> None:
    """Only a header that cannot name the answers (a column twice, another delimiter) refuses the
    whole file, with located problems; any other fault is a record's."""
    try:
        records = list(read_csv(io.StringIO(text, newline="")))
    except InputError as exc:
        assert exc.problems and all(p.location is not None and p.location.line == 1 for p in exc.problems)
        return
    _check_records(records, text.count("\n") + text.count("\r") + 1)
    outputs = process_block(JOB, records)
    assert [o["row"] for o in outputs] == [r.row for r in records]


@FAST
@given(st.binary(max_size=300))
@example(b"\xff\xfe{\x00}\n")
@example(b'\xef\xbb\xbf{"age": 30}\n')
def test_batch_streams_of_random_bytes_never_raise(data: bytes) -> None:
    """Records, or one located refusal of the whole input (bytes that are not text, a header
    that cannot name the answers): never another exception."""
    try:
        lines = list(jsonl_lines(text_stream(io.BytesIO(data))))
        _check_outputs(lines, process_block(JOB, lines))
        records = list(read_csv(text_stream(io.BytesIO(data))))
    except InputError as exc:
        assert exc.problems and all(p.location is not None for p in exc.problems)
        return
    assert all(isinstance(r, Record) for r in records)


# --- YAML -----------------------------------------------------------------------------------------


def _parse_or_rules_error(text: str, path: str = "fuzz.yaml") -> Any:
    try:
        return parse(text, path)
    except RulesError as exc:
        assert exc.problems and all(str(p).startswith(path) for p in exc.problems)
        return exc


YAMLISH = st.text(alphabet=st.sampled_from([*":-[]{}&*!|>'\"#%@`,?\n\t ab1.\\<=~", "\x00"]), max_size=200)


@FAST
@given(st.one_of(st.text(max_size=300), YAMLISH))
@example("a: &a [*a]")
@example("%YAML 1.1\n---\na: 1\n...\n---\nb: 2\n")
@example("!!binary AAAA")
@example("? [a]\n: b")
def test_yaml_parse_raises_only_rules_error_on_random_text(text: str) -> None:
    _parse_or_rules_error(text)


@FAST
@given(st.binary(max_size=300))
def test_yaml_decode_and_parse_raise_only_rules_error_on_random_bytes(data: bytes) -> None:
    try:
        text = decode(data, "fuzz.yaml")
    except RulesError as exc:
        assert "invalid UTF-8" in exc.problems[0].message and exc.problems[0].location is not None
        return
    _parse_or_rules_error(text)


MUTATION_CHARS = [*":-[]{}&*!|>'\"#%@`,? \t\n\x00", "é", "\u2028", "\ufeff"]


@st.composite
def mutated_rule_file(draw: st.DrawFn, texts: dict[str, str] = RULE_TEXTS) -> tuple[str, str]:
    """A built-in rule file (or one of ``texts``) with lines deleted, duplicated or swapped, or
    characters flipped."""
    name = draw(st.sampled_from(sorted(texts)))
    lines = texts[name].splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 3))):
        if not lines:
            break
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "flip", "indent", "dedent"]))
        i = draw(st.integers(0, len(lines) - 1))
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "flip":
            line = lines[i]
            k = draw(st.integers(0, max(0, len(line) - 1)))
            lines[i] = line[:k] + draw(st.sampled_from(MUTATION_CHARS)) + line[k + 1 :]
        elif op == "indent":
            lines[i] = "  " + lines[i]
        else:
            lines[i] = lines[i][2:] if lines[i].startswith("  ") else lines[i].lstrip()
    return name, "".join(lines)


@FAST
@given(mutated_rule_file())
def test_yaml_parse_raises_only_rules_error_on_mutated_rule_files(mutated: tuple[str, str]) -> None:
    name, text = mutated
    _parse_or_rules_error(text, f"rules/{name}")


# --- the whole loader -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def rules_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("fuzz-rules") / "rules"
    target.mkdir()
    for name in RULE_FILES:
        (target / name).write_text(RULE_TEXTS[name], encoding="utf-8")
    shutil.copytree(Path(str(builtin_rules())) / "locale", target / "locale")
    return target


@SLOW
@given(mutated=mutated_rule_file())
def test_build_raises_only_rules_error_and_never_builds_from_invalid_yaml(
    rules_copy: Path, mutated: tuple[str, str]
) -> None:
    name, text = mutated
    path = rules_copy / name
    path.write_text(text, encoding="utf-8")
    try:
        files = read_files(rules_copy)
        yaml_ok = not isinstance(_parse_or_rules_error(text, files[name][0]), RulesError)
        try:
            rules = build(files, "fuzz")
        except RulesError as exc:
            assert exc.problems
            return
        assert yaml_ok, f"a rule set was built although {name} is not valid YAML"
        assert rules.questions and rules.red_flags
    finally:
        path.write_text(RULE_TEXTS[name], encoding="utf-8")


@SLOW
@given(mutated=mutated_rule_file(CATALOGUE_TEXTS))
def test_a_damaged_translation_catalogue_is_refused_with_its_place_or_read_whole(
    rules_copy: Path, mutated: tuple[str, str]
) -> None:
    """A catalogue with lines lost, doubled, swapped or a character changed either loads
    (the change was itself a valid catalogue) or is refused as problems, never a crash."""
    name, text = mutated
    path = rules_copy / name
    path.write_text(text, encoding="utf-8")
    try:
        try:
            rules = build(read_files(rules_copy), "fuzz")
        except RulesError as exc:
            assert exc.problems and all(p.location is not None for p in exc.problems), exc.problems
            return
        assert all("ja" in text for text in rules.messages.values())
    finally:
        path.write_text(CATALOGUE_TEXTS[name], encoding="utf-8")


def test_the_mutation_fuzzer_reaches_the_builder() -> None:
    """The mutations are not all rejected by the YAML parser: some reach schema and model checks."""
    rng = random.Random(1)
    outcomes = set()
    files = {n: (f"rules/{n}", t.encode()) for n, t in RULE_TEXTS.items()}
    for _ in range(8):
        name = rng.choice(["red_flags.yaml", "questions.yaml", "causes.yaml"])
        lines = RULE_TEXTS[name].splitlines(keepends=True)
        del lines[rng.randrange(len(lines))]
        try:
            build({**files, name: (f"rules/{name}", "".join(lines).encode())}, "fuzz")
            outcomes.add("built")
        except RulesError as exc:
            outcomes.add("yaml" if "invalid YAML" in exc.problems[0].message else "checked")
    assert "checked" in outcomes


# --- known bugs, pinned ---------------------------------------------------------------------------


def test_a_huge_integer_answer_is_a_problem_not_a_crash() -> None:
    """Regression test (a bug this suite found): answers._number called math.isfinite on an int too
    large for a float and raised OverflowError."""
    clean, problems = check_answers({"age": 10**400}, QUESTIONS)
    assert clean == {} and len(problems) == 1


def test_reading_jsonl_turns_an_over_long_integer_into_an_error_record() -> None:
    """Regression test (a bug this suite found): the JSON Lines reader caught only JSONDecodeError; an integer
    of more than 4300 digits raised ValueError and ended the whole batch ('internal error', exit 1).
    """
    records = parsed_lines(io.StringIO('{"age": ' + "9" * 5000 + '}\n{"age": 30}\n'))
    assert [r.answers is None for r in records] == [True, False]


def test_reading_jsonl_turns_very_deep_json_into_an_error_record() -> None:
    """Regression test (a bug this suite found): json.loads raised RecursionError on very deep
    JSON and the JSON Lines reader let it end the whole batch instead of giving one error record."""
    records = parsed_lines(io.StringIO("[" * 100_000 + "\n" + '{"age": 30}\n'))
    assert [r.answers is None for r in records] == [True, False]


# --- optional: coverage-guided fuzzing with atheris -----------------------------------------------

ATHERIS_HARNESS = textwrap.dedent(
    """
    import sys
    import atheris

    with atheris.instrument_imports():
        from kneeguide.errors import RulesError
        from kneeguide.ruleset.yamlio import decode, parse

    def one(data: bytes) -> None:
        try:
            parse(decode(data, "f.yaml"), "f.yaml")
        except RulesError:
            pass

    atheris.Setup(sys.argv, one)
    atheris.Fuzz()
    """
)


def test_atheris_yaml_reader(tmp_path: Path) -> None:
    pytest.importorskip("atheris")
    harness = tmp_path / "harness.py"
    harness.write_text(ATHERIS_HARNESS)
    done = subprocess.run(
        [sys.executable, str(harness), "-runs=5000", "-max_len=512"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr[-3000:]
