"""The sections every form of the referral letter shares, in the language's own punctuation.

The English memo (:mod:`kneeguide.render.note`) and the Japanese 紹介状
(:mod:`kneeguide.render.note_ja`) order them differently and head them differently;
what each says is decided here once: the reason for referral, the red flags with the
answers that raised them, the scores item by item, the differential, acupuncture
suitability, the notes and the disclaimer (the record of answers is
:mod:`kneeguide.render.note_record`'s).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kneeguide.engine import Assessment, ScoreResult
from kneeguide.render.common import grounds_text, point_label, rules_label, score_line, score_notes
from kneeguide.render.note_blocks import Block, Words
from kneeguide.render.note_scores import applies, awaited
from kneeguide.ruleset.model import RuleSet, pick

if TYPE_CHECKING:
    from kneeguide.evaluate.conditions import Tri

#: The questions the patient line gives; the answers section leaves them out.
PATIENT_LINE = ("age", "sex", "side")
#: The message that marks a finding present, absent or not known ("[+] Calf swelling" /
#: 「ふくらはぎの腫脹（＋）」), by the finding's truth value and by a yes/no answer.
MARKS: dict[Tri, str] = {True: "note_mark_present", False: "note_mark_absent", None: "note_mark_unknown"}
ANSWER_MARKS = {"yes": MARKS[True], "no": MARKS[False], "unsure": MARKS[None]}


def reason_text(a: Assessment, m: Words) -> str:
    """Why the patient is referred: the red flags raised; else what set the level (a
    floor's reason, such as a lump behind the knee to be examined) and the leading cause
    with its strength, never as a settled diagnosis, and how many red flags are still
    open."""
    t = a.triage
    sep = m("cond_separator")
    if a.red_flags:
        return sep.join(h.title for h in a.red_flags)
    names = {c.name for c in a.likely_causes}
    parts = [r.rstrip(".。") for r in t.reasons if r not in names and r != m("no_causes")]
    if a.likely_causes:
        lead = a.likely_causes[0]
        parts.append(m("note_cause").format(name=lead.name, strength=m(f"strength_{lead.strength}")))
    elif not parts:
        parts.append(m("no_causes"))
    if a.not_excluded:
        parts.append(m("note_not_excluded").format(n=len(a.not_excluded)))
    return sep.join(parts).rstrip(".。")


def flag_items(a: Assessment, rules: RuleSet, m: Words) -> list[str]:
    """Each red flag raised, its urgency and the answers that raised it."""
    items = []
    for h in a.red_flags:
        because = grounds_text(a, rules, h.because)
        title = m.ty.paren(h.title, m(f"note_urgency_{h.level.id}"))
        grounds = m.ty.label(m("label_raised_by"), because)
        items.append(m("note_raised_by").format(flag=title, grounds=grounds) if because else title)
    return items


def findings(a: Assessment, rules: RuleSet, m: Words) -> list[Block]:
    """The red flags with the answers that raised them, then what is not yet excluded;
    first, what the rule set changes in them, if anything (:func:`rules_changed`)."""
    blocks = [*rules_changed(a, m), Block("h2", m("heading_red_flags_clinical"))]
    if a.red_flags:
        blocks.append(Block("ul", flag_items(a, rules, m)))
    else:
        blocks.append(Block("p", m("no_red_flags_clinical")))
    if a.not_excluded:
        blocks.append(Block("h2", m("heading_not_excluded_clinical")))
        blocks.append(Block("cols", [n.title for n in a.not_excluded]))
    return blocks


def marked(m: Words, present: Tri, item: str) -> str:
    """``item`` with its mark: present, absent or not known."""
    return m(MARKS[present]).format(item=item)


def scores(a: Assessment, rules: RuleSet, m: Words, *, heading: str | None = None) -> list[Block]:
    """Each score: item by item where it applies, else one line saying why not; under
    ``heading`` (the scores' own, unless given)."""
    blocks = [Block("h2", heading or m("heading_scores"))]
    itemised = [s for s in a.scores if applies(s, rules)]
    if itemised:
        # an item a lay answer decided is starred, the star explained once with the marks
        legend = m("note_item_marks")
        if any(i.proxy for s in itemised for i in s.items):
            legend += m("cond_separator") + m("note_proxy_legend").format(text=m("label_proxy"))
        blocks.append(Block("p", legend))
    for s in a.scores:
        if not applies(s, rules):
            blocks.append(Block("p", _outside(s, rules, m)))
            continue
        blocks.append(Block("p", score_line(s, rules, a.lang)))
        blocks += [Block("p", note) for note in _score_notes(s, rules, m)]
        items = []
        for i in s.items:
            points = m.ty.signed(i.points)
            item = m("note_item_points").format(item=marked(m, i.present, i.text), points=points)
            items.append(m("note_proxy_item").format(item=item) if i.proxy else item)
        blocks.append(Block("cols", items))
    return blocks


def _outside(s: ScoreResult, rules: RuleSet, m: Words) -> str:
    """Why a score is not given: not applicable (and why), or not known to apply yet."""
    if s.applicable is False:
        return score_line(s, rules, m.lang)
    reasons = m.ty.phrases(r for r in awaited(s, rules) if r)
    return m.ty.label(s.title, m("applicability_unknown").format(reasons=reasons))


def _score_notes(s: ScoreResult, rules: RuleSet, m: Words) -> list[str]:
    """The notes under a score, the estimate labelled for the clinician who reads the letter
    (never "your answers": the letter is not addressed to the patient)."""
    notes = score_notes(s, rules, m.lang)
    e = s.estimate
    score = next((x for x in rules.scores if x.id == s.id), None)
    if e is None or score is None or score.estimate_label is None or not notes:
        return notes
    band = m("estimate_band").format(band=e.band_text) if e.band else m("band_indeterminate")
    label = pick(score.estimate_label.practitioner, m.lang)
    return [*notes[:-1], m.ty.label(label, m.ty.phrases([m.ty.points(e.points, e.points_max), band]))]


def causes(a: Assessment, m: Words) -> list[Block]:
    """The first three causes, each on one line with the reasons for and against."""
    blocks = [Block("h2", m("heading_causes_clinical"))]
    if not a.likely_causes:
        return [*blocks, Block("p", m.ty.sentence(m("no_causes")))]
    sep = m("cond_separator")
    for c in a.likely_causes[:3]:
        parts = []
        if c.reasons_for:
            parts.append(m.ty.label(m("label_for"), sep.join(r.text for r in c.reasons_for)))
        if c.reasons_against:
            parts.append(m.ty.label(m("label_against"), sep.join(r.text for r in c.reasons_against)))
        blocks.append(Block("line", (m.ty.paren(c.name, m(f"strength_{c.strength}")), sep.join(parts))))
    return blocks


def acupuncture(a: Assessment, m: Words, in_appendix: bool, *, named: bool = False) -> list[Block]:
    """Suitability and the cautions a clinician must heed (``acupuncture.cautions``: not the
    patient's instructions, and not the red flags, which the letter gives above); the points
    by code, or ``named`` as their reader's clinicians name them (委中（いちゅう）BL40), their
    anatomy in the appendix."""
    acu = a.acupuncture
    suitability = m(f"suitability_{acu.suitability}")
    text = m("note_suitability").format(suitability=suitability, cautions=" ".join(acu.cautions))
    text = text if acu.cautions else suitability
    blocks = [Block("h2", m("heading_acupuncture")), Block("line", (m("label_suitability"), text))]
    if acu.points:
        names = m.ty.items([point_label(p, m.rules, m.lang, short=not named) for p in acu.points])
        line = m("note_points").format(codes=names)
        blocks.append(Block("p", m.ty.paren(line, m("note_see_appendix")) if in_appendix else line))
    return blocks


def emergency_line(a: Assessment, m: Words) -> str:
    """The region's emergency number and advice line (the patient carries the letter)."""
    t = a.triage
    call = m("summary_in_emergency").format(emergency=t.call)
    if t.advice_line:
        call = m.ty.sentences(call, m.ty.label(m("label_advice"), t.advice_line))
    return call


def foot(a: Assessment, m: Words, *, numbers: str | None = None) -> list[Block]:
    """Every warning, the region's emergency number (the patient carries the letter; or
    ``numbers``, a form's own line of them), the rule set's version and the disclaimer."""
    blocks = (
        [Block("h2", m("heading_warnings_clinical")), Block("ul", list(a.warnings))] if a.warnings else []
    )
    return [
        *blocks,
        Block("p", numbers or emergency_line(a, m)),
        Block("p", version_line(a, m)),
        Block("note", a.disclaimer),
    ]


def version_line(a: Assessment, m: Words) -> str:
    """The rule set's version and digest: which rules said all this (a custom set says so,
    with the built-in version it was checked against: :func:`rules_label`)."""
    return m.ty.label(m("label_rules"), rules_label(a.rule_set, m.rules, a.lang))


def rules_changed(a: Assessment, m: Words) -> list[Block]:
    """A rule set that switches red flags off or rewords safety texts, said at the head of
    the letter, before its findings (an ``alert``: its heading, the rule set, each
    warning); nothing for one that changes neither."""
    if not a.announced:
        return []
    return [Block("alert", (m("heading_rules_changed"), version_line(a, m), list(a.announced)))]
