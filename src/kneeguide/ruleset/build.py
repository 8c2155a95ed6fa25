"""The one loader every command uses: files → checked, compiled :class:`RuleSet`.

Reading goes in three passes, each collecting every problem before stopping:

1. parse each file strictly (:mod:`yamlio`) and check it against its schema;
2. build the model, resolving conditions against the known question ids and
   checking every text is given in every declared language;
3. cross-file checks: unique ids, references that exist, contract ids present.

Any problem raises :class:`RulesError` listing them all; no partial rule set
is ever returned, so a broken file can never turn into an all-clear.
"""

from __future__ import annotations

import contextlib
import math
import string
from collections.abc import Iterable
from typing import Any

from kneeguide.errors import Location, Problem, RulesError
from kneeguide.evaluate import conditions
from kneeguide.evaluate.conditions import Condition
from kneeguide.ids import Audience, Level
from kneeguide.ruleset import contract
from kneeguide.ruleset.answers import check_answers
from kneeguide.ruleset.files import BUILTIN, builtin_rules, digest_of, load_rules, read_files
from kneeguide.ruleset.model import (
    Acupuncture,
    Answers,
    Band,
    Cause,
    Choice,
    Disposition,
    Escalation,
    Evidence,
    Examples,
    Feature,
    Figure,
    Floor,
    Point,
    Question,
    Ranking,
    RedFlag,
    Reference,
    Region,
    RuleSet,
    RuleTest,
    Score,
    ScoreExample,
    ScoreItem,
    Section,
    Suitability,
    Text,
)
from kneeguide.ruleset.schema import FILES, F, Record
from kneeguide.ruleset.yamlio import decode, item_location, key_location, location_of, parse
from kneeguide.suggest import did_you_mean

__all__ = ["BUILTIN", "build", "builtin_rules", "digest_of", "load_rules", "read_files"]

PLACEHOLDERS = frozenset({"emergency", "advice", "advice_name"})


#: Where each file keeps its id-keyed entries, merged entry by entry in an overlay.
MERGED = {
    "references.yaml": [("references", "id")],
    "questions.yaml": [("sections", "id"), ("questions", "id")],
    "red_flags.yaml": [("red_flags", "id")],
    "scores.yaml": [("scores", "id")],
    "causes.yaml": [("causes", "id")],
    "triage.yaml": [("floors", "id")],
    "dispositions.yaml": [("regions", "id"), ("levels", "id")],
    "acupuncture.yaml": [("points", "code"), ("evidence", "id"), ("suitability", "id")],
    "ruleset.yaml": [],
    "messages.yaml": [],
    "translations.yaml": [],
}


def parse_files(files: dict[str, tuple[str, bytes]], *, partial: bool = False) -> dict[str, Any]:
    """Parse and schema-check every file, collecting all problems.

    With ``partial`` (an overlay) a file's top-level keys are all optional: it
    holds only what it adds or changes.
    """
    problems: list[Problem] = []
    docs: dict[str, Any] = {}
    for name, (shown, data) in files.items():
        try:
            doc = parse(decode(data, shown), shown)
        except RulesError as exc:
            problems.extend(exc.problems)
            continue
        found: list[Problem] = []
        record = FILES[name]
        if partial:
            record = Record(tuple(F(f.name, f.spec, False, f.doc) for f in record.fields), record.doc)
        record.check(doc, location_of(doc, Location(shown, 1, 1)), found)
        problems.extend(found)
        if not found:
            docs[name] = doc
    if problems:
        raise RulesError(problems)
    return docs


def build(
    files: dict[str, tuple[str, bytes]],
    source: str,
    base: dict[str, tuple[str, bytes]] | None = None,
) -> RuleSet:
    """Build a rule set; with ``base``, ``files`` is an overlay merged into it by id."""
    docs = parse_files(files, partial=base is not None)
    all_files = dict(files)
    if base is not None:
        base_docs = parse_files(base)
        for name, doc in docs.items():
            base_docs[name] = _merge(name, base_docs[name], doc)
        docs = base_docs
        all_files = {**base, **files}
    return _Builder(docs, all_files, source).build()


def english_texts(
    files: dict[str, tuple[str, bytes]],
) -> tuple[list[tuple[str, Location]], dict[str, dict[str, str]]]:
    """Every English text of a rule set with where it is, and the translation catalog."""
    docs = parse_files(files)
    builder = _Builder(docs, files, "texts")
    builder.languages = ("en",)
    with contextlib.suppress(RulesError):  # the texts are collected even when other problems remain
        builder.build()
    return builder.english, builder.catalog


def _merge(name: str, base: Any, over: Any) -> Any:
    """Overlay ``over`` onto ``base``: same id replaces, new ids are added, other keys win."""
    merged = type(base)(base)
    for attr in ("location", "key_locations"):
        if hasattr(base, attr):
            setattr(merged, attr, getattr(base, attr))
    keyed = dict(MERGED[name])
    for key, value in over.items():
        if key in keyed and key in base:
            id_key = keyed[key]
            entries = {entry[id_key]: entry for entry in base[key]}
            for entry in value:
                entries[entry[id_key]] = entry
            merged[key] = list(entries.values())
        elif key == "messages" and key in base:
            merged[key] = {**base[key], **value}
        elif key == "translations" and key in base:
            merged[key] = {lang: {**base[key].get(lang, {}), **entries} for lang, entries in value.items()}
            for lang, entries in base[key].items():
                merged[key].setdefault(lang, entries)
        elif key == "tests" and key in base:
            merged[key] = list(base[key]) + list(value)
        else:
            merged[key] = value
    return merged


class _Builder:
    def __init__(self, docs: dict[str, Any], files: dict[str, tuple[str, bytes]], source: str):
        self.docs = docs
        self.files = files
        self.source = source
        self.problems: list[Problem] = []
        meta = docs["ruleset.yaml"]
        self.languages = tuple(meta["languages"])
        self.english: list[tuple[str, Location]] = []
        self.catalog: dict[str, dict[str, str]] = {
            lang: dict(entries) for lang, entries in docs["translations.yaml"].get("translations", {}).items()
        }
        self.questions: dict[str, Question] = {}
        self.score_bands: dict[str, set[str]] = {}
        self.cited: list[tuple[str, Location]] = []

    # -- helpers ---------------------------------------------------------------

    def where(self, node: Any, key: str | None = None) -> Location:
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
        return self.text(node, key) if key in node else None

    def refs(self, node: Any) -> tuple[str, ...]:
        refs = tuple(node["references"])
        for index, ref in enumerate(refs):
            self.cited.append((ref, item_location(node["references"], index, self.where(node))))
        return refs

    def unique(self, kind: str, nodes: Iterable[Any], key: str = "id") -> None:
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
        value = node[key]
        return self._cond(value, location_of(value, self.where(node, key)), allow_scores)

    def _cond(self, node: Any, loc: Location, allow_scores: bool) -> Condition:
        if "all" in node or "any" in node:
            key = "all" if "all" in node else "any"
            children = tuple(self._cond(child, location_of(child, loc), allow_scores) for child in node[key])
            return conditions.All(children) if key == "all" else conditions.Any(children)
        if "not" in node:
            return conditions.Not(self._cond(node["not"], location_of(node["not"], loc), allow_scores))
        op = next(k for k in node if k not in ("q", "score"))
        operand = node[op]
        if "score" in node:
            score_id = node["score"]
            if not allow_scores:
                self.problems.append(Problem("a score item cannot depend on a score", loc))
            elif score_id not in self.score_bands:
                hint = did_you_mean(score_id, list(self.score_bands))
                self.problems.append(Problem(f"unknown score '{score_id}'{hint}", loc))
            elif op == "band" and operand not in self.score_bands[score_id]:
                hint = did_you_mean(operand, sorted(self.score_bands[score_id]))
                self.problems.append(Problem(f"score '{score_id}' has no band '{operand}'{hint}", loc))
            if op == "band":
                return conditions.ScoreBand(score_id, str(operand))
            return conditions.ScoreCompare(score_id, op, float(operand))
        qid = node["q"]
        question = self.questions.get(qid)
        if question is None:
            hint = did_you_mean(qid, list(self.questions))
            self.problems.append(Problem(f"unknown question '{qid}'{hint}", loc))
            return conditions.AnswerIs(qid, frozenset())
        if op in conditions.COMPARATORS:
            if question.type not in ("int", "number"):
                self.problems.append(
                    Problem(f"'{op}' needs a numeric question; '{qid}' is {question.type}", loc)
                )
            return conditions.AnswerCompare(qid, op, float(operand))
        values = operand if op == "in" else [operand]
        allowed = _allowed_values(question)
        for value in values:
            if str(value) not in allowed:
                hint = did_you_mean(str(value), sorted(allowed))
                self.problems.append(
                    Problem(
                        f"'{value}' is not a value '{qid}' can take to match "
                        f"({', '.join(sorted(allowed))}){hint}",
                        loc,
                    )
                )
        return conditions.AnswerIs(qid, frozenset(str(v) for v in values))

    def answers(self, raw: Any, loc: Location) -> Answers:
        locations = {k: key_location(raw, k, loc) for k in raw}
        clean, problems = check_answers(raw, self.questions, where=loc, locations=locations)
        self.problems.extend(problems)
        return clean

    def examples(self, node: Any) -> Examples:
        ex = node["examples"]
        loc = self.where(node, "examples")
        return Examples(
            fires=tuple(self.answers(a, location_of(a, loc)) for a in ex["fires"]),
            quiet=tuple(self.answers(a, location_of(a, loc)) for a in ex["quiet"]),
        )

    # -- files -------------------------------------------------------------------

    def build(self) -> RuleSet:
        meta = self.docs["ruleset.yaml"]
        self.disabled = tuple((d["id"], d["reason"]) for d in meta.get("disable", []))
        references = self.build_references()
        sections = self.build_questions()
        scores = self.build_scores()
        red_flags = self.build_red_flags()
        known_flags = {f.id for f in red_flags}
        for d in meta.get("disable", []):
            if d["id"] not in known_flags and d["id"] not in contract.RED_FLAG_IDS:
                hint = did_you_mean(d["id"], sorted(known_flags))
                self.problems.append(
                    Problem(f"cannot disable unknown red flag '{d['id']}'{hint}", self.where(d, "id"))
                )
        red_flags = tuple(f for f in red_flags if f.id not in {d for d, _ in self.disabled})
        tests = self.build_tests(known_flags | {d for d, _ in self.disabled})
        causes, ranking = self.build_causes()
        floors, no_cause, not_excluded = self.build_triage()
        regions, dispositions = self.build_dispositions()
        acupuncture = self.build_acupuncture({c.id for c in causes})
        messages = self.build_messages()
        self.check_contract(meta, red_flags, causes, scores, regions)
        for ref, loc in self.cited:
            if ref not in references:
                hint = did_you_mean(ref, list(references))
                self.problems.append(Problem(f"unknown reference '{ref}'{hint}", loc))
        if meta["default_region"] not in regions:
            self.problems.append(
                Problem(
                    f"unknown default region '{meta['default_region']}'", self.where(meta, "default_region")
                )
            )
        if self.problems:
            raise RulesError(_dedupe(self.problems))
        return RuleSet(
            version=str(meta["version"]),
            digest=digest_of(self.files),
            title=self.text(meta, "title"),
            languages=self.languages,
            default_region=meta["default_region"],
            sections=sections,
            questions=self.questions,
            red_flags=red_flags,
            scores=scores,
            causes=causes,
            ranking=ranking,
            floors=floors,
            no_cause_level=no_cause,
            not_excluded_level=not_excluded,
            regions=regions,
            dispositions=dispositions,
            acupuncture=acupuncture,
            messages=messages,
            references=references,
            source=self.source,
            skippable=tuple(q for q in self.questions.values() if q.type == "yn" and q.ask_if is not None),
            disabled=self.disabled,
            tests=tests,
        )

    def build_tests(self, known_flags: set[str]) -> tuple[RuleTest, ...]:
        tests = []
        for name, doc in self.docs.items():
            for case in doc.get("tests", []):
                for key in ("fires", "quiet"):
                    for flag in case.get(key, []):
                        if flag not in known_flags:
                            hint = did_you_mean(flag, sorted(known_flags))
                            self.problems.append(
                                Problem(f"unknown red flag '{flag}'{hint}", self.where(case, key))
                            )
                level = case.get("level")
                if level is not None:
                    low, high = Level.parse(level[0]), Level.parse(level[-1])
                    if low > high:
                        self.problems.append(
                            Problem("level range must go lowest first", self.where(case, "level"))
                        )
                if "references" in case:
                    self.refs(case)
                tests.append(
                    RuleTest(
                        name=case["name"],
                        file=name,
                        answers=self.answers(case["answers"], self.where(case, "answers")),
                        audience=case.get("audience", "lay"),
                        fires=tuple(case.get("fires", [])),
                        quiet=tuple(case.get("quiet", [])),
                        level=(Level.parse(level[0]), Level.parse(level[-1])) if level else None,
                        todo=case.get("todo"),
                        location=self.where(case),
                    )
                )
        return tuple(tests)

    def build_references(self) -> dict[str, Reference]:
        nodes = self.docs["references.yaml"]["references"]
        self.unique("reference", nodes)
        return {n["id"]: Reference(n["id"], n["citation"], n.get("section")) for n in nodes}

    def build_questions(self) -> tuple[Section, ...]:
        doc = self.docs["questions.yaml"]
        sections = tuple(
            Section(
                s["id"], self.text(s, "title"), bool(s.get("checklist", False)), self.opt_text(s, "prompt")
            )
            for s in doc["sections"]
        )
        for s in doc["sections"]:
            if s.get("checklist") and "prompt" not in s:
                self.problems.append(Problem("a checklist section needs a 'prompt'", self.where(s)))
        self.unique("section", doc["sections"])
        section_ids = {s.id for s in sections}
        nodes = doc["questions"]
        self.unique("question", nodes)
        # First pass: declare every question so ask_if may refer forwards or backwards.
        pending: list[tuple[Any, Question]] = []
        for n in nodes:
            audiences = frozenset(Audience[a.upper()] for a in n.get("audience", ["lay", "practitioner"]))
            loc = self.where(n)
            if n["section"] not in section_ids:
                hint = did_you_mean(n["section"], sorted(section_ids))
                self.problems.append(
                    Problem(f"unknown section '{n['section']}'{hint}", self.where(n, "section"))
                )
            for audience in audiences:
                if audience.id not in n:
                    self.problems.append(
                        Problem(f"question asked of '{audience.id}' needs '{audience.id}' wording", loc)
                    )
            qtype = n["type"]
            if qtype == "choice" and "choices" not in n:
                self.problems.append(Problem("a choice question needs 'choices'", loc))
            if qtype != "choice" and "choices" in n:
                self.problems.append(
                    Problem("only choice questions take 'choices'", self.where(n, "choices"))
                )
            if qtype in ("yn", "choice") and ("min" in n or "max" in n):
                self.problems.append(Problem("'min'/'max' only apply to int and number questions", loc))
            fallback_key = "lay" if "lay" in n else "practitioner" if "practitioner" in n else "clinical"
            question = Question(
                id=n["id"],
                type=qtype,
                section=n["section"],
                audiences=audiences,
                lay=self.text(n, "lay" if "lay" in n else fallback_key),
                practitioner=self.text(n, "practitioner" if "practitioner" in n else fallback_key),
                clinical=self.text(n, "clinical"),
                help=self.opt_text(n, "help"),
                minimum=n.get("min"),
                maximum=n.get("max"),
                unit=self.opt_text(n, "unit"),
                choices=tuple(Choice(c["id"], self.text(c, "text")) for c in n.get("choices", [])),
                ask_if=None,
                references=self.refs(n),
                location=loc,
            )
            self.questions[question.id] = question
            pending.append((n, question))
        for n, question in pending:
            if "ask_if" in n:
                ask_if = self.condition(n, "ask_if", allow_scores=False)
                if question.id in conditions.questions_in(ask_if):
                    self.problems.append(
                        Problem("a question's ask_if cannot depend on itself", self.where(n, "ask_if"))
                    )
                self.questions[question.id] = _replace(question, ask_if=ask_if)
        return sections

    def build_scores(self) -> tuple[Score, ...]:
        nodes = self.docs["scores.yaml"]["scores"]
        self.unique("score", nodes)
        for n in nodes:
            self.score_bands[n["id"]] = {b["id"] for b in n["bands"]}
        scores = []
        for n in nodes:
            self.unique("score item", n["items"])
            items = []
            for item in n["items"]:
                proxy = self.condition(item, "proxy", allow_scores=False) if "proxy" in item else None
                items.append(
                    ScoreItem(
                        id=item["id"],
                        text=self.text(item, "text"),
                        points=float(item["points"]),
                        when=self.condition(item, "when", allow_scores=False),
                        proxy=proxy,
                        judgement=bool(item.get("judgement", False)),
                    )
                )
            self.unique("band", n["bands"])
            bands = tuple(Band(b["id"], b.get("min"), self.text(b, "text")) for b in n["bands"])
            mins = [b.minimum for b in bands]
            if None in mins[:-1] or mins[-1] is not None or mins[:-1] != sorted(mins[:-1], reverse=True):  # type: ignore[type-var]
                self.problems.append(
                    Problem(
                        "bands must go from the highest 'min' down, the last band without 'min'",
                        self.where(n, "bands"),
                    )
                )
            examples = []
            for case in n["examples"]["cases"]:
                answers = self.answers(case["answers"], self.where(case, "answers"))
                examples.append(ScoreExample(answers, float(case["points"]), case["band"]))
                if case["band"] not in self.score_bands[n["id"]]:
                    self.problems.append(Problem(f"unknown band '{case['band']}'", self.where(case, "band")))
            scores.append(
                Score(
                    id=n["id"],
                    title=self.text(n, "title"),
                    variant=self.text(n, "variant"),
                    applies_if=self.condition(n, "applies_if", allow_scores=False)
                    if "applies_if" in n
                    else None,
                    population=self.opt_text(n, "population"),
                    items=tuple(items),
                    bands=bands,
                    references=self.refs(n),
                    examples=tuple(examples),
                    location=self.where(n),
                )
            )
        return tuple(scores)

    def build_red_flags(self) -> tuple[RedFlag, ...]:
        nodes = self.docs["red_flags.yaml"]["red_flags"]
        self.unique("red flag", nodes)
        flags = []
        for n in nodes:
            level = Level.parse(n["level"])
            escalations = []
            for e in n.get("escalate", []):
                esc_level = Level.parse(e["level"])
                if esc_level <= level:
                    self.problems.append(
                        Problem(
                            f"an escalation must raise the level above '{level.id}'", self.where(e, "level")
                        )
                    )
                escalations.append(
                    Escalation(esc_level, self.condition(e, "when"), self.text(e, "reason"), self.refs(e))
                )
            flags.append(
                RedFlag(
                    id=n["id"],
                    title=self.text(n, "title"),
                    level=level,
                    when=self.condition(n, "when"),
                    escalations=tuple(escalations),
                    action=self.text(n, "action"),
                    explain=self.text(n, "explain"),
                    references=self.refs(n),
                    examples=self.examples(n),
                    location=self.where(n),
                )
            )
        return tuple(flags)

    def build_causes(self) -> tuple[tuple[Cause, ...], Ranking]:
        doc = self.docs["causes.yaml"]
        r = doc["ranking"]
        ranking = Ranking(float(r["strong"]), float(r["possible"]), float(r["show"]), int(r["top"]))
        if not ranking.strong > ranking.possible > ranking.show:
            self.problems.append(
                Problem(
                    "ranking thresholds must satisfy strong > possible > show", self.where(doc, "ranking")
                )
            )
        self.unique("cause", doc["causes"])
        causes = []
        for n in doc["causes"]:
            self.unique("feature", n["features"])
            features = []
            for f in n["features"]:
                lr = f.get("lr")
                weight = _ln(lr) if lr is not None else float(f["weight"])
                features.append(
                    Feature(
                        id=f["id"],
                        when=self.condition(f, "when"),
                        weight=weight,
                        lr=float(lr) if lr is not None else None,
                        text=self.text(f, "text"),
                        references=self.refs(f),
                    )
                )
            causes.append(
                Cause(
                    id=n["id"],
                    name=self.text(n, "name"),
                    lay_name=self.text(n, "lay_name") if "lay_name" in n else self.text(n, "name"),
                    level=Level.parse(n["level"]),
                    prior=float(n["prior"]),
                    features=tuple(features),
                    advice=self.text(n, "advice"),
                    references=self.refs(n),
                    location=self.where(n),
                )
            )
        return tuple(causes), ranking

    def build_triage(self) -> tuple[tuple[Floor, ...], Level, Level]:
        doc = self.docs["triage.yaml"]
        self.unique("floor", doc["floors"])
        floors = tuple(
            Floor(
                id=n["id"],
                level=Level.parse(n["level"]),
                when=self.condition(n, "when"),
                reason=self.text(n, "reason"),
                references=self.refs(n),
                examples=self.examples(n),
                location=self.where(n),
            )
            for n in doc["floors"]
        )
        not_excluded = Level.parse(doc["not_excluded_level"])
        if not_excluded < Level.SOON:
            self.problems.append(
                Problem(
                    "not_excluded_level must be 'soon' or higher (contract §4)",
                    self.where(doc, "not_excluded_level"),
                )
            )
        return floors, Level.parse(doc["no_cause_level"]), not_excluded

    def build_dispositions(self) -> tuple[dict[str, Region], dict[Level, Disposition]]:
        doc = self.docs["dispositions.yaml"]
        self.unique("region", doc["regions"])
        regions = {}
        for n in doc["regions"]:
            self.refs(n)
            regions[n["id"]] = Region(
                id=n["id"],
                name=self.text(n, "name"),
                emergency=str(n["emergency"]),
                advice=str(n["advice"]) if "advice" in n else None,
                advice_name=self.opt_text(n, "advice_name"),
            )
        self.unique("level", doc["levels"])
        dispositions: dict[Level, Disposition] = {}
        for n in doc["levels"]:
            level = Level.parse(n["id"])
            for key in ("headline", "action", "action_no_advice", "timeframe", "safety_net"):
                if key in n:
                    self.placeholders(n, key)
            by_region: dict[str, dict[str, Text]] = {}
            for region_id, override in n.get("by_region", {}).items():
                if region_id not in regions:
                    hint = did_you_mean(region_id, list(regions))
                    self.problems.append(
                        Problem(
                            f"unknown region '{region_id}'{hint}",
                            key_location(n["by_region"], region_id, self.where(n)),
                        )
                    )
                by_region[region_id] = {}
                for key in override:
                    self.placeholders(override, key)
                    by_region[region_id][key] = self.text(override, key)
            dispositions[level] = Disposition(
                level=level,
                headline=self.text(n, "headline"),
                action=self.text(n, "action"),
                action_no_advice=self.opt_text(n, "action_no_advice"),
                timeframe=self.text(n, "timeframe"),
                referral_to=self.text(n, "referral_to"),
                safety_net=self.text(n, "safety_net"),
                by_region=by_region,
                references=self.refs(n),
            )
        missing = [lvl.id for lvl in Level if lvl not in dispositions]
        if missing:
            self.problems.append(
                Problem(f"dispositions missing for: {', '.join(missing)}", self.where(doc, "levels"))
            )
        return regions, dispositions

    def placeholders(self, node: Any, key: str) -> None:
        value = node[key]
        texts = [value] if isinstance(value, str) else list(value.values())
        for text in texts:
            try:
                names = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
            except ValueError as exc:
                self.problems.append(Problem(f"bad placeholder in '{key}': {exc}", self.where(node, key)))
                continue
            for name in names - PLACEHOLDERS:
                self.problems.append(
                    Problem(
                        f"unknown placeholder '{{{name}}}' in '{key}' (allowed: "
                        + ", ".join("{" + p + "}" for p in sorted(PLACEHOLDERS))
                        + ")",
                        self.where(node, key),
                    )
                )

    def build_acupuncture(self, cause_ids: set[str]) -> Acupuncture:
        doc = self.docs["acupuncture.yaml"]
        self.unique("point", doc["points"], key="code")
        self.unique("evidence", doc["evidence"])
        self.unique("suitability", doc["suitability"])

        def check_causes(node: Any) -> tuple[str, ...]:
            ids = tuple(node.get("causes", []))
            for cid in ids:
                if cid not in cause_ids:
                    hint = did_you_mean(cid, sorted(cause_ids))
                    self.problems.append(Problem(f"unknown cause '{cid}'{hint}", self.where(node, "causes")))
            return ids

        points = tuple(
            Point(
                code=n["code"],
                name=n["name"],
                hanzi=n["hanzi"],
                ja_reading=n["ja_reading"],
                location=self.text(n, "location"),
                indications=self.text(n, "indications"),
                caution=self.text(n, "caution"),
                causes=check_causes(n),
                references=self.refs(n),
                figure=self.figure(n),
            )
            for n in doc["points"]
        )
        evidence = tuple(
            Evidence(
                id=n["id"],
                position=n["position"],
                claim=self.text(n, "claim"),
                source=n["source"],
                causes=check_causes(n),
                references=self.refs(n),
            )
            for n in doc["evidence"]
        )
        for qid in doc["screening"]:
            if qid not in self.questions:
                hint = did_you_mean(qid, list(self.questions))
                self.problems.append(Problem(f"unknown question '{qid}'{hint}", self.where(doc, "screening")))
        suitability = tuple(
            Suitability(
                id=n["id"],
                level=n["level"],
                when=self.condition(n, "when"),
                reason=self.text(n, "reason"),
                references=self.refs(n),
            )
            for n in doc["suitability"]
        )
        return Acupuncture(
            points=points,
            evidence=evidence,
            screening=tuple(doc["screening"]),
            suitability=suitability,
            not_now_text=self.text(doc, "not_now_text"),
            unscreened_text=self.text(doc, "unscreened_text"),
            references=self.refs(doc),
        )

    def figure(self, node: Any) -> Figure | None:
        fig = node.get("figure")
        if fig is None:
            return None
        avoid = fig.get("avoid")
        return Figure(
            view=fig["view"],
            x=float(fig["x"]),
            y=float(fig["y"]),
            avoid=(float(avoid["rx"]), float(avoid["ry"]), self.text(avoid, "label")) if avoid else None,
        )

    def build_messages(self) -> dict[str, Text]:
        doc = self.docs["messages.yaml"]
        node = doc["messages"]
        messages = {key: self.text(node, key) for key in node}
        for key in contract.MESSAGE_IDS:
            if key not in messages:
                self.problems.append(Problem(f"missing message '{key}'", self.where(doc, "messages")))
        return messages

    def check_contract(
        self,
        meta: Any,
        red_flags: Iterable[RedFlag],
        causes: Iterable[Cause],
        scores: Iterable[Score],
        regions: dict[str, Region],
    ) -> None:
        def need(kind: str, required: Iterable[str], have: set[str], file: str) -> None:
            shown = self.files[file][0]
            extra = (
                " (to switch it off, list it under 'disable:' in ruleset.yaml with a reason)"
                if kind == "red flag"
                else ""
            )
            for rid in required:
                if rid not in have:
                    self.problems.append(
                        Problem(
                            f"contract {kind} '{rid}' is missing; scripts rely on it{extra}", Location(shown)
                        )
                    )

        need("question", contract.QUESTION_IDS, set(self.questions), "questions.yaml")
        disabled = {d for d, _ in self.disabled}
        need(
            "red flag",
            [r for r in contract.RED_FLAG_IDS if r not in disabled],
            {f.id for f in red_flags},
            "red_flags.yaml",
        )
        need("cause", contract.CAUSE_IDS, {c.id for c in causes}, "causes.yaml")
        need("score", contract.SCORE_IDS, {s.id for s in scores}, "scores.yaml")
        need("region", contract.REGION_IDS, set(regions), "dispositions.yaml")


def _placeholders(text: str) -> set[str]:
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}
    except ValueError:
        return {"<unbalanced braces>"}


def _allowed_values(question: Question) -> set[str]:
    if question.type == "yn":
        return {"yes", "no"}
    if question.type == "choice":
        return {c.id for c in question.choices}
    return set()


def _ln(lr: float) -> float:
    return round(math.log(lr), 4)


def _replace(question: Question, **changes: Any) -> Question:
    return question._replace(**changes)


def _dedupe(problems: list[Problem]) -> list[Problem]:
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
