"""The referral letter's appendix: point anatomy, evidence and references.

A clinician reading the letter needs the findings on one page; the needling anatomy,
the trial evidence and the sources are for whoever wants to check them, so they
follow the letter (on a page of their own when printed) and may be left out
(``kneeguide note --no-appendix``). The acupuncture evidence is given only where
acupuncture is still a question (points discussed): an urgent or emergency letter
sends the patient to medical care, and trial figures there would be noise.
"""

from __future__ import annotations

from kneeguide.engine import Assessment
from kneeguide.render.common import point_label
from kneeguide.render.note_blocks import Block, Words
from kneeguide.render.note_scores import applies
from kneeguide.ruleset.model import RuleSet, pick


def appendix(a: Assessment, rules: RuleSet, m: Words) -> list[Block]:
    """The appendix's blocks, or none when it would hold nothing."""
    acu = a.acupuncture
    blocks: list[Block] = []
    if acu.points:
        caution = m("label_caution")
        blocks.append(Block("h2", m("heading_figure")))
        blocks.append(Block("figure", acu.points))
        blocks.append(
            Block(
                "ul",
                [
                    m.ty.sentences(
                        m.ty.label(point_label(p, rules, m.lang), p.location), m.ty.label(caution, p.caution)
                    )
                    for p in acu.points
                ],
            )
        )
        if acu.evidence:
            blocks.append(Block("h2", m("label_evidence")))
            blocks.append(
                Block(
                    "ul",
                    [_evidence(rules, e.position, m.ty.paren(e.claim, e.source), m) for e in acu.evidence],
                )
            )
    cited = [pick(rules.references[r].citation, a.lang) for r in _cited(a, rules) if r in rules.references]
    if cited:
        blocks.append(Block("h2", m("note_heading_references")))
        blocks.append(Block("cols", cited))
    if not blocks:
        return []
    # a letter with no points discussed (a red flag stops needling) has only its references
    title = m("note_heading_appendix") if acu.points else m("note_heading_appendix_references")
    return [Block("appendix", title), *blocks]


def _cited(a: Assessment, rules: RuleSet) -> list[str]:
    """The sources of what the letter states: the red flags raised, the scores given, the
    causes ranked and the points discussed, each once, in that order."""
    ids: list[str] = []
    for h in a.red_flags:
        ids += h.references
    shown = {s.id for s in a.scores if applies(s, rules)}
    for score in rules.scores:
        if score.id in shown:
            ids += score.references
    ranked = {c.id for c in a.likely_causes[:3]}
    for cause in rules.causes:
        if cause.id in ranked:
            ids += cause.references
    codes = {p.code for p in a.acupuncture.points}
    for point in rules.acupuncture.points:
        if point.code in codes:
            ids += point.references
    return list(dict.fromkeys(ids))


def _evidence(rules: RuleSet, position: str, claim: str, m: Words) -> str:
    """The claim after its position in words ("[for] …", 「【支持】…」), or alone where the
    messages do not name the position: a position id in English would be no word in a
    Japanese letter."""
    key = f"position_{position}"
    if key not in rules.messages:
        return claim
    return m.ty.sentences(m.ty.bracket(m(key)), claim)
