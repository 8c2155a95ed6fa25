"""The referral note: what a person hands to a doctor or a clinic.

One document model (a list of blocks) rendered three ways, so the Markdown,
plain-text and HTML notes can never say different things. The level, the action
and the time frame come first; a clinic is named only on routine and self-care
notes, never on urgent or emergency ones, which send the person to medical care.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple

from kneeguide.engine.assessment import Assessment
from kneeguide.ids import Level
from kneeguide.render.common import answer_text, clinical, score_line
from kneeguide.ruleset.model import RuleSet, pick


class Block(NamedTuple):
    kind: str  # h1 | h2 | p | strong | ul | cols (a compact list) | note | figure
    content: Any


class Clinic(NamedTuple):
    name: str
    address: str
    phone: str
    email: str
    languages: tuple[str, ...]
    hours: str
    accepts: tuple[str, ...]


def build(
    a: Assessment, rules: RuleSet, *, when: datetime, patient: str | None = None, clinic: Clinic | None = None
) -> list[Block]:
    def m(key: str) -> str:
        return rules.message(key, a.lang)

    t = a.triage
    blocks = [Block("h1", m("referral_title"))]
    meta = [f"{m('label_date')}: {when.strftime('%Y-%m-%d %H:%M')}"]
    if patient:
        meta.append(f"{m('label_patient')}: {patient}")
    blocks.append(Block("ul", meta))
    blocks.append(Block("strong", f"{m(f'level_{t.level.id}')}: {t.headline}"))
    blocks.append(Block("p", f"{t.timeframe}: {t.action}" if t.timeframe not in t.action else t.action))
    blocks.append(
        Block(
            "p",
            f"{m('label_call')}: {t.call}"
            + (f" / {m('label_advice')}: {t.advice_line}" if t.advice_line else ""),
        )
    )
    if t.level >= Level.URGENT:
        blocks.append(Block("note", m("note_medical_first")))

    blocks.append(Block("h2", m("heading_red_flags")))
    if a.red_flags:
        items = []
        for h in a.red_flags:
            because = "; ".join(
                f"{clinical(rules, q, a.lang)}: {answer_text(a, rules, q)}"
                for q in h.because
                if q in a.answers
            )
            items.append(
                f"{h.title} ({m(f'level_{h.level.id}')}). {h.action}"
                + (f" [{m('label_because')}: {because}]" if because else "")
            )
        blocks.append(Block("ul", items))
    else:
        blocks.append(Block("p", m("no_red_flags")))
    if a.not_excluded:
        blocks.append(Block("h2", m("heading_not_excluded")))
        blocks.append(Block("ul", [n.title for n in a.not_excluded]))

    blocks.append(Block("h2", m("heading_scores")))
    for s in a.scores:
        blocks.append(Block("p", score_line(s, rules, a.lang)))
        if s.applicable is not False:
            marks = {True: "+", False: "-", None: "?"}
            blocks.append(
                Block(
                    "cols",
                    [
                        f"[{marks[i.present]}] {i.text} ({i.points:+g})"
                        + (f" ({m('label_proxy')})" if i.proxy else "")
                        for i in s.items
                    ],
                )
            )

    blocks.append(Block("h2", m("heading_causes")))
    if a.likely_causes:
        for c in a.likely_causes[:3]:
            lines = [f"{m('label_for')}: {r.text}" for r in c.reasons_for]
            lines += [f"{m('label_against')}: {r.text}" for r in c.reasons_against]
            blocks.append(Block("strong", f"{c.name} ({m(f'strength_{c.strength}')})"))
            blocks.append(Block("ul", lines))
    else:
        blocks.append(Block("p", m("no_causes") + "."))

    acu = a.acupuncture
    blocks.append(Block("h2", m("heading_acupuncture")))
    blocks.append(Block("p", f"{m('label_suitability')}: {m(f'suitability_{acu.suitability}')}"))
    if acu.reasons:
        # what is not yet excluded is listed above; here only the reasons themselves
        prefix = m("not_excluded_reason").split("{", 1)[0]
        reasons = [r for r in acu.reasons if not (prefix and r.startswith(prefix))]
        blocks.append(Block("ul", reasons))
    if acu.points:
        blocks.append(Block("figure", acu.points))
        blocks.append(
            Block(
                "ul",
                [
                    f"{p.code} {p.hanzi} {p.ja_reading} / {p.name}: {p.location} "
                    f"{m('label_caution')}: {p.caution}"
                    for p in acu.points
                ],
            )
        )

    if clinic is not None and t.level <= Level.ROUTINE:
        blocks.append(Block("h2", m("heading_clinic")))
        blocks.append(
            Block(
                "ul",
                [x for x in (clinic.name, clinic.address, clinic.phone, clinic.email, clinic.hours) if x],
            )
        )

    blocks.append(Block("h2", m("heading_answers")))
    for section in rules.sections:
        ids = [
            q.id for q in rules.questions.values() if q.section == section.id and a.audience in q.audiences
        ]
        rows = [f"{clinical(rules, q, a.lang)}: {answer_text(a, rules, q)}" for q in ids if q in a.answers]
        unanswered = [q for q in ids if q not in a.answers]
        if rows or unanswered:
            blocks.append(Block("strong", pick(section.title, a.lang)))
            if unanswered and len(unanswered) < len(ids):
                rows.append(
                    f"{m('answer_unanswered')}: " + ", ".join(clinical(rules, q, a.lang) for q in unanswered)
                )
            elif not rows:
                rows = [m("answer_unanswered")]
            blocks.append(Block("cols", rows))
    if a.warnings:
        blocks.append(Block("h2", m("heading_warnings")))
        blocks.append(Block("ul", list(a.warnings)))
    blocks.append(Block("p", f"{m('label_rules')}: {a.rules_version} ({a.rules_digest})"))
    blocks.append(Block("note", a.disclaimer))
    return blocks


def to_markdown(blocks: Sequence[Block], rules: RuleSet, lang: str) -> str:
    out: list[str] = []
    for b in blocks:
        if b.kind == "h1":
            out += [f"# {b.content}", ""]
        elif b.kind == "h2":
            out += [f"## {b.content}", ""]
        elif b.kind == "strong":
            out += [f"**{b.content}**", ""]
        elif b.kind == "note":
            out += [f"> {b.content}", ""]
        elif b.kind in ("ul", "cols"):
            out += [f"- {item}" for item in b.content] + [""]
        elif b.kind == "p":
            out += [b.content, ""]
    return "\n".join(out)


def to_text(blocks: Sequence[Block], rules: RuleSet, lang: str) -> str:
    out: list[str] = []
    for b in blocks:
        if b.kind in ("h1", "h2"):
            line = "=" if b.kind == "h1" else "-"
            out += [b.content, line * max(8, len(b.content)), ""]
        elif b.kind in ("strong", "p", "note"):
            out += [b.content, ""]
        elif b.kind in ("ul", "cols"):
            out += [f"  * {item}" for item in b.content] + [""]
    return "\n".join(out)


CSS = """
@page { size: A4; margin: 11mm 12mm; }
body { font-family: "Hiragino Sans", "Noto Sans CJK JP", "Yu Gothic", Arial, sans-serif;
       font-size: 9pt; line-height: 1.3; color: #111; max-width: 186mm; margin: 0 auto; }
h1 { font-size: 14pt; margin: 0 0 2mm; border-bottom: 2px solid #111; }
h2 { font-size: 10.5pt; margin: 3mm 0 1mm; border-bottom: 1px solid #999; page-break-after: avoid; }
p { margin: 1mm 0; }
ul { margin: 0.5mm 0 1mm 4mm; padding: 0; }
ul.compact { column-count: 2; column-gap: 6mm; font-size: 8pt; }
li { margin: 0.2mm 0; break-inside: avoid; }
.level { font-size: 13pt; font-weight: bold; padding: 2mm 3mm; border: 2px solid #111; }
.note { border-left: 3px solid #b00; padding: 1mm 3mm; background: #fafafa; }
figure { margin: 2mm 0; page-break-inside: avoid; }
figure svg { width: 120mm; height: auto; }
@media print { a { color: inherit; text-decoration: none; } }
"""


def to_html(blocks: Sequence[Block], rules: RuleSet, lang: str) -> str:
    from kneeguide.render.figure import svg

    esc = html.escape
    body: list[str] = []
    first_strong = True
    for b in blocks:
        if b.kind == "h1":
            body.append(f"<h1>{esc(b.content)}</h1>")
        elif b.kind == "h2":
            body.append(f"<h2>{esc(b.content)}</h2>")
        elif b.kind == "strong":
            cls = ' class="level"' if first_strong else ""
            first_strong = False
            body.append(f"<p{cls}><strong>{esc(b.content)}</strong></p>")
        elif b.kind == "note":
            body.append(f'<p class="note">{esc(b.content)}</p>')
        elif b.kind == "p":
            body.append(f"<p>{esc(b.content)}</p>")
        elif b.kind == "ul":
            body.append("<ul>" + "".join(f"<li>{esc(item)}</li>" for item in b.content) + "</ul>")
        elif b.kind == "cols":
            body.append(
                '<ul class="compact">' + "".join(f"<li>{esc(item)}</li>" for item in b.content) + "</ul>"
            )
        elif b.kind == "figure":
            body.append(f"<figure>{svg(b.content, rules, lang)}</figure>")
    title = esc(rules.message("referral_title", lang))
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n<title>{title}</title>\n'
        f"<style>{CSS}</style>\n</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n"
    )
