"""The advice that closes an assessment: acupuncture, the referral letter's text and the warnings.

Which warnings apply is decided once, by :func:`warnings_of`; the assessment puts
them in words (:func:`warning_texts`) and batch records name them by id. Those
about the rule set itself (:func:`standing_of`: a red flag switched off, a
built-in safety text reworded) hold for every answer set, and every output
announces them (:mod:`kneeguide.engine.announced` names the rule set and its texts).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

from kneeguide.engine.announced import flag_named, text_in_words
from kneeguide.engine.assessment import (
    AcupunctureResult,
    CauseResult,
    EvidenceResult,
    NotExcluded,
    PointResult,
    RedFlagHit,
    Referral,
    Triage,
)
from kneeguide.engine.decision import Decision
from kneeguide.evaluate.memo import PerRules
from kneeguide.evaluate.truth import ScoreFacts
from kneeguide.ids import Level
from kneeguide.ruleset.model import Answers, Point, RuleSet, pick


def acupuncture_for(
    rules: RuleSet,
    decision: Decision,
    causes: tuple[CauseResult, ...],
    hits: list[RedFlagHit],
    open_flags: list[NotExcluded],
    lang: str,
) -> AcupunctureResult:
    """The suitability the decision reached, with its reasons, points and evidence in words."""
    acu = rules.acupuncture
    top_ids = {c.id for c in causes[:3]}
    evidence = tuple(
        EvidenceResult(e.id, e.position, pick(e.claim, lang), pick(e.source, lang))
        for e in acu.evidence
        if not e.causes or top_ids.intersection(e.causes)
    )
    reasons: list[str] = []
    not_excluded = [rules.message("not_excluded_reason", lang).format(title=f.title) for f in open_flags]
    if decision.level >= Level.URGENT or hits or any(f.level >= Level.URGENT for f in open_flags):
        reasons.append(pick(acu.not_now_text, lang))
        reasons.extend(h.title for h in hits)
        reasons.extend(not_excluded)
    elif open_flags:
        reasons.extend(not_excluded)
    cautions = [
        pick(rule.reason, lang)
        for i, rule in enumerate(acu.suitability)
        if decision.truth.suitability >> i & 1
    ]
    if decision.unscreened:
        names = rules.message("list_separator", lang).join(
            pick(rules.questions[q].clinical, lang) for q in decision.unscreened
        )
        cautions.append(pick(acu.unscreened_text, lang).format(items=names))
    reasons += cautions
    if decision.suitability == "suitable":
        reasons.insert(0, pick(acu.suitable_text, lang))
    points: tuple[PointResult, ...] = ()
    if decision.suitability != "not_now":
        points = tuple(point_result(p, lang) for p in acu.points if top_ids.intersection(p.causes))
    return AcupunctureResult(
        decision.suitability,
        tuple(dict.fromkeys(reasons)),
        points,
        evidence,
        decision.unscreened,
        tuple(dict.fromkeys(cautions)),
    )


def point_result(p: Point, lang: str) -> PointResult:
    """A point of the rule set in ``lang``, as reports, the letter and its figure show it."""
    return PointResult(
        p.code,
        p.name,
        p.hanzi,
        p.ja_reading,
        p.kana,
        pick(p.location, lang),
        pick(p.indications, lang),
        pick(p.caution, lang),
        p.figure,
        pick(p.figure.avoid[2], lang) if p.figure is not None and p.figure.avoid else "",
    )


def referral_for(
    rules: RuleSet,
    triage: Triage,
    referral_to: dict[str, str],
    hits: list[RedFlagHit],
    open_flags: list[NotExcluded],
    causes: tuple[CauseResult, ...],
    lang: str,
) -> Referral:
    """Whom to see and how soon, and a short text naming the flags and leading causes: one
    sentence each, punctuated in ``lang`` (the messages ``labelled``, ``cond_separator``,
    ``full_stop`` and ``sentences``; see :class:`kneeguide.render.typography.Typography`)."""

    def m(key: str) -> str:
        return rules.message(key, lang)

    def sentence(heading: str, names: Iterable[str]) -> str:
        said = m("labelled").format(label=m(heading), text=m("cond_separator").join(names))
        return m("full_stop").format(text=said)

    text = m("referral_intro").format(level=m(f"level_{triage.level.id}"))
    parts = []
    if hits:
        parts.append(sentence("heading_red_flags", (h.title for h in hits)))
    if open_flags:
        parts.append(sentence("heading_not_excluded", (f.title for f in open_flags)))
    if causes:
        parts.append(sentence("heading_causes", (c.name for c in causes[:3])))
    for part in parts:
        text = m("sentences").format(first=text, second=part)
    return Referral(to=pick(referral_to, lang), urgency=triage.timeframe, text=text)


#: The kinds of warning about the rule set itself, which every output shows at its top.
STANDING_KINDS = frozenset({"disabled", "disabled_applies", "reworded"})


class Warned(NamedTuple):
    """A warning that applies, before it is put in words (:func:`warnings_of`)."""

    #: stable, for scripts: disabled:<red flag id>, reworded:<text id>, proxy:<score id>,
    #: child, pregnancy, ottawa_window
    id: str
    #: disabled | disabled_applies | reworded | proxy | child | pregnancy | ottawa_window;
    #: its message is "warn_" + kind
    kind: str
    #: disabled: position in rules.disabled; reworded: in rules.reworded; proxy: in rules.scores
    at: int = -1
    items: tuple[int, ...] = ()  # proxy: the items (positions in the score) a lay stand-in decided


def warnings_of(rules: RuleSet, answers: Answers, scores: Sequence[ScoreFacts]) -> list[Warned]:
    """Every warning that applies, in the order they are shown: the one place that decides them.

    Disabled red flags and reworded safety texts (:func:`standing_of`), scores with
    items decided by lay stand-ins, answers the rules were not made for (a child, a
    pregnancy) and an injury older than Ottawa's validation window. ``answers`` are
    the effective answers (``Truth.answers``) and ``scores`` the facts of
    ``rules.scores`` (``Truth.scores``). :func:`warning_texts` puts them in words;
    batch records carry their ids.
    """
    fixed = _fixed(rules)
    found = list(fixed.standing)
    if rules.switched_off:  # a switched-off red flag these answers would raise says so
        found = [_applies(rules, w, answers, scores) for w in found]
    for at in fixed.with_stand_ins:  # only scores that have lay stand-ins can warn of them
        facts = scores[at]
        if True in facts.proxy:  # (most records have none: the cheap test first)
            present = facts.present
            items = tuple([i for i, proxy in enumerate(facts.proxy) if proxy and present[i] is True])
            if items:
                found.append(Warned(fixed.proxy_ids[at], "proxy", at, items))
    age = answers.get("age")
    if isinstance(age, (int, float)) and age < 16:
        found.append(_CHILD)
    if answers.get("pregnant") == "yes":
        found.append(_PREGNANCY)
    if fixed.ottawa is not None and scores[fixed.ottawa].applicable is True:
        duration = answers.get("duration_days")
        if isinstance(duration, (int, float)) and duration > 7:
            found.append(_OTTAWA_WINDOW)
    return found


def standing_of(rules: RuleSet) -> tuple[Warned, ...]:
    """The warnings that hold for every answer set alike, about the rule set itself: each
    red flag ``rules`` switches off (``disabled:<id>``), then each built-in safety text it
    rewords (``reworded:<text id>``), in ``ruleset.yaml``'s order."""
    return _fixed(rules).standing


def _applies(rules: RuleSet, w: Warned, answers: Answers, scores: Sequence[ScoreFacts]) -> Warned:
    """``w``, or where it is a red flag switched off (``disable:``) whose own condition
    holds on these answers, the same warning saying that these answers would raise it
    (kind ``disabled_applies``, the same id): "switched off" alone reads as nothing found."""
    if w.kind != "disabled":
        return w
    flag_id = rules.disabled[w.at][0]
    flag = next((f for f in rules.switched_off if f.id == flag_id), None)
    if flag is None:
        return w
    by_id = {score.id: facts for score, facts in zip(rules.scores, scores, strict=True)}
    return w._replace(kind="disabled_applies") if flag.when.evaluate(answers, by_id) is True else w


def warning_texts(rules: RuleSet, warned: Iterable[Warned], lang: str, *, lay: bool = False) -> list[str]:
    """Each warning as its ``warn_<kind>`` message in ``lang`` (:func:`warning_text`), after
    a word that some texts are shown in English when ``lang`` is still being translated."""
    texts: list[str] = []
    if lang in rules.incomplete:  # a language still being translated: some texts are in English
        texts.append(rules.message("warn_untranslated", lang).format(count=rules.incomplete[lang]))
    texts += [warning_text(rules, w, lang, lay=lay) for w in warned]
    return texts


def announced_of(rules: RuleSet, lang: str) -> list[str]:
    """The warnings about the rule set itself (:func:`standing_of`) in words: what every
    output of ``rules`` announces, at its top where it has one."""
    return [warning_text(rules, w, lang) for w in standing_of(rules)]


def warning_text(rules: RuleSet, w: Warned, lang: str, *, lay: bool = False) -> str:
    """One warning as its ``warn_<kind>`` message in ``lang``. A lay reader is told that
    examination items were estimated (``warn_proxy_lay``) without the items' clinical
    names, which the scores in full list; a reworded text is named in words
    (:func:`text_in_words`)."""
    kind = "proxy_lay" if lay and w.kind == "proxy" else w.kind
    message = rules.message("warn_" + kind, lang)
    if w.kind in ("disabled", "disabled_applies"):
        flag_id, reason = rules.disabled[w.at]
        flag = next((f for f in rules.switched_off if f.id == flag_id), None)
        named = flag_id if flag is None else flag_named(rules, flag, lang)
        return message.format(id=named, reason=reason)
    if w.kind == "reworded":
        text_id, reason = rules.reworded[w.at]
        return message.format(text=text_in_words(rules, text_id, lang), reason=reason)
    if kind == "proxy_lay":
        return message.format(score=pick(rules.scores[w.at].title, lang))
    if w.kind == "proxy":
        score = rules.scores[w.at]
        sep = rules.message("cond_separator", lang)
        items = sep.join(pick(score.items[i].text, lang) for i in w.items)
        return message.format(score=pick(score.title, lang), items=items)
    return message


class _Fixed(NamedTuple):
    """What the warnings read of a rule set, worked out once."""

    standing: tuple[Warned, ...]  # disabled red flags, then reworded texts
    proxy_ids: tuple[str, ...]  # per score
    ottawa: int | None  # the Ottawa knee rule's position in rules.scores
    with_stand_ins: tuple[int, ...]  # positions of the scores with any item a lay answer can stand in for


def _find_fixed(rules: RuleSet) -> _Fixed:
    disabled = (Warned(f"disabled:{flag}", "disabled", at) for at, (flag, _) in enumerate(rules.disabled))
    reworded = (Warned(f"reworded:{text}", "reworded", at) for at, (text, _) in enumerate(rules.reworded))
    return _Fixed(
        (*disabled, *reworded),
        tuple(f"proxy:{score.id}" for score in rules.scores),
        next((at for at, score in enumerate(rules.scores) if score.id == "ottawa_knee"), None),
        tuple(at for at, score in enumerate(rules.scores) if any(i.proxy is not None for i in score.items)),
    )


_fixed: PerRules[_Fixed] = PerRules(_find_fixed)
_CHILD = Warned("child", "child")
_PREGNANCY = Warned("pregnancy", "pregnancy")
_OTTAWA_WINDOW = Warned("ottawa_window", "ottawa_window")
