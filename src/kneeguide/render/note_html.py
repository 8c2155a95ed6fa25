"""The referral letter's blocks (:mod:`kneeguide.render.note_blocks`) as one self-contained HTML page.

Printed on A4: the letter on one page for the common stories (two at most), the
appendix from a new page. Every printed page carries a running footer (title,
patient, date, page n / m) and, for an interview that was not finished, the mark
"incomplete" at its head, through CSS page-margin boxes. The treatment points are
drawn inline as SVG (:mod:`kneeguide.render.figure`): no image files, no external
assets, no scripts. Every text is escaped, for HTML and, in the page boxes, for CSS.

Japanese is set as Japanese print sets it (``:lang(ja)``): lines break between phrases
(``word-break: auto-phrase``, Chromium's own phrase segmenter) and never before 、。」）
or after （「 (``line-break: strict``, kinsoku). The appendix's three narrow columns of
small print are the exception: there, as in a Japanese journal's columns, lines break
between any two characters (phrase breaks in a column 20 characters wide leave ragged
lines and cost the appendix a page; justified, the Latin citations spread out); kinsoku
still holds. A letter in
the form of a letter (the Japanese 紹介状) is headed by its title, centred, and its date on
the same line at the right, with the addressee and the sender side by side below; its
closing formula is never left alone on a page.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from kneeguide.render.note_blocks import Block
from kneeguide.ruleset.model import RuleSet

CSS = """
@page { size: A4; margin: 8mm 11mm 11mm;
  @bottom-left { content: RUNNING; font: 6.5pt FONTS; color: #555; }
  @bottom-right { content: counter(page) " / " counter(pages); font: 6.5pt FONTS; color: #555; } }
body { font-family: FONTS; font-size: 8.3pt; line-height: 1.24; color: #111; margin: 0 auto;
  max-width: 188mm; }
h1 { font-size: 12.5pt; margin: 0 0 1.2mm; padding-bottom: 0.4mm; border-bottom: 2px solid #111; }
h2 { font-size: 9.3pt; margin: 2mm 0 0.6mm; border-bottom: 1px solid #999; break-after: avoid; }
p { margin: 0.5mm 0; }
ul { margin: 0.3mm 0 0.6mm 4mm; padding: 0; }
li { margin: 0.1mm 0; break-inside: avoid; }
ul.cols { column-count: 2; column-gap: 6mm; font-size: 7.8pt; }
table.fields { border-collapse: collapse; width: 100%; margin: 0 0 1mm; }
table.fields th { text-align: left; vertical-align: top; white-space: nowrap; padding: 0.2mm 2mm 0.2mm 0;
  font-weight: bold; width: 1%; }
table.fields td { vertical-align: top; padding: 0.2mm 4mm 0.2mm 0; width: 49%; }
.reason { font-size: 9.6pt; font-weight: bold; padding: 1.2mm 2.5mm; border: 1.5px solid #111;
  margin: 1.2mm 0; }
.banner { color: #b00; font-weight: bold; border: 1.5px solid #b00; padding: 0.8mm 2.5mm; margin: 0 0 1.2mm; }
.record { font-size: 7.8pt; margin: 0.3mm 0; }
.note { border-left: 3px solid #b00; padding: 0.6mm 2.5mm; background: #fafafa; margin-top: 1.5mm; }
.appendix { break-before: page; font-size: 7.3pt; line-height: 1.2; }
.appendix.short { break-before: auto; margin-top: 4mm; border-top: 1px solid #999; }
.appendix h1 { font-size: 11pt; }
.appendix ul { column-count: 3; column-gap: 5mm; }
.appendix li { break-inside: auto; }
.appendix:lang(ja) ul:not(.cols) li { word-break: normal; }
.appendix ul.cols li { break-inside: avoid; }
h1.letter { text-align: center; letter-spacing: 0.3em; border-bottom: none; margin: 0; }
.letterhead { display: grid; grid-template-columns: 1fr auto 1fr; align-items: baseline; margin-bottom: 1mm; }
.letterhead h1 { grid-column: 2; }
.letterhead .dateline { grid-column: 3; }
h3 { font-size: 8.6pt; margin: 1.2mm 0 0.3mm; break-after: avoid; }
.dateline { text-align: right; margin: 0; }
.addresses { display: flex; justify-content: space-between; align-items: flex-start; gap: 6mm;
  margin: 0.5mm 0 1.5mm; }
.address { margin: 0; display: flex; gap: 2.5mm; align-items: baseline; }
.address.to { font-size: 10.5pt; }
.address .label { font-size: 7.5pt; font-weight: bold; color: #444; white-space: nowrap; }
.blank { display: inline-block; min-width: 38mm; border-bottom: 0.8px solid #333; height: 1em;
  vertical-align: -0.15em; }
.note:has(+ .closing) { break-after: avoid; }
.closing { margin-top: 1.5mm; break-before: avoid; }
figure { margin: 0.5mm 0; break-inside: avoid; text-align: center; }
figure svg { max-width: 100%; height: auto; }
@media print { a { color: inherit; text-decoration: none; } }
:lang(ja) { word-break: auto-phrase; line-break: strict; overflow-wrap: break-word;
  text-spacing-trim: trim-start; }
"""
FONTS = '"Hiragino Sans", "Noto Sans CJK JP", "Yu Gothic", Arial, sans-serif'
#: A space to write in by hand, as the builders mark it (:data:`~kneeguide.render.note_blocks.BLANK`).
BLANKS = re.compile("＿{4,}")
BANNER = "@page { @top-center { content: MARK; font: bold 8pt FONTS; color: #b00; } }"
#: The box of a rule set that changes the safety rules (only in a letter that has one).
ALERT = """
.alert { border: 2px solid #b00; padding: 0.8mm 2.5mm; margin: 1.2mm 0; break-inside: avoid; }
.alert .head { color: #b00; font-weight: bold; font-size: 9.3pt; }
.alert li { font-weight: bold; }
"""


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string: every character but letters, digits and spaces as a
    hex escape, so no quote, backslash or ``</style>`` in a patient's name can end it."""
    body = "".join(ch if ch.isalnum() or ch == " " else f"\\{ord(ch):x} " for ch in text)
    return f'"{body}"'


def page_css(running: str, mark: str, *, alert: bool = False) -> str:
    """The style sheet, with the running footer ``running`` and, if any, the ``mark`` at the
    head of every page; with ``alert``, the style of a rule set's changes (:data:`ALERT`)."""
    css = CSS.replace("FONTS", FONTS).replace("RUNNING", css_string(running), 1)
    if alert:
        css += ALERT
    if mark:
        css += BANNER.replace("FONTS", FONTS).replace("MARK", css_string(mark))
    return css


def to_html(blocks: Sequence[Block], rules: RuleSet, lang: str) -> str:
    """The letter as an HTML document in ``lang``; its figure labels come from ``rules``."""
    from kneeguide.render.figure import svg
    from kneeguide.render.note_text import label_parts

    def esc(text: str) -> str:
        """Escaped, each space to write in by hand (a run of ＿) drawn as a rule."""
        return BLANKS.sub('<span class="blank"></span>', html.escape(text))

    def strong(label: str) -> str:
        bare, gap = label_parts(rules, lang, label)
        return f"<strong>{esc(bare)}</strong>{gap}"

    letter = any(b.kind == "address" for b in blocks)  # a letter in the form of a letter, not a memo
    body: list[str] = []
    running, marks = "", []
    for n, b in enumerate(blocks):
        if b.kind == "running":
            running = b.content
        elif b.kind == "banner":
            marks.append(b.content)
            body.append(f'<p class="banner">{esc(b.content)}</p>')
        elif b.kind == "alert":  # its heading marks every page too, as an unfinished interview's
            heading, said, warnings = b.content
            marks.append(heading)
            items = "".join(f"<li>{esc(w)}</li>" for w in warnings)
            body.append(
                f'<section class="alert" role="note"><p class="head">{esc(heading)}</p>'
                f"<p>{esc(said)}</p><ul>{items}</ul></section>"
            )
        elif b.kind == "h1":
            body.append(
                f'<h1 class="letter">{esc(b.content)}</h1>' if letter else f"<h1>{esc(b.content)}</h1>"
            )
        elif b.kind in ("h2", "h3"):
            body.append(f"<{b.kind}>{esc(b.content)}</{b.kind}>")
        elif b.kind == "fields":  # two to a row, as a letterhead: to | from, date | patient
            cells = [f"<th>{esc(k)}</th><td>{esc(v)}</td>" for k, v in b.content]
            rows = "".join(f"<tr>{''.join(cells[i : i + 2])}</tr>" for i in range(0, len(cells), 2))
            body.append(f'<table class="fields">{rows}</table>')
        elif b.kind == "dateline":  # at the right of the title, as a letter is dated
            date = f'<p class="dateline">{esc(b.content)}</p>'
            if body and body[-1].startswith('<h1 class="letter">'):
                body[-1] = f'<header class="letterhead">{body[-1]}{date}</header>'
            else:
                body.append(date)
        elif b.kind == "address":  # addressee and sender side by side, as a letter's head
            label, lines = b.content
            first = n == 0 or blocks[n - 1].kind != "address"
            side = "to" if first else "from"
            text = "<br>".join(esc(line) for line in lines)
            cell = f'<p class="address {side}"><span class="label">{esc(label)}</span><span>{text}</span></p>'
            body.append(('<div class="addresses">' if first else "") + cell)
            if n + 1 == len(blocks) or blocks[n + 1].kind != "address":
                body[-1] += "</div>"
        elif b.kind == "reason":
            body.append(f'<p class="reason">{esc(b.content)}</p>')
        elif b.kind in ("note", "closing"):
            body.append(f'<p class="{b.kind}">{esc(b.content)}</p>')
        elif b.kind == "p":
            body.append(f"<p>{esc(b.content)}</p>")
        elif b.kind in ("line", "record"):
            label, text = b.content
            cls = ' class="record"' if b.kind == "record" else ""
            body.append(f"<p{cls}>{strong(label)}{esc(text)}</p>")
        elif b.kind in ("ul", "cols"):
            cls = ' class="cols"' if b.kind == "cols" else ""
            body.append(f"<ul{cls}>" + "".join(f"<li>{esc(item)}</li>" for item in b.content) + "</ul>")
        elif b.kind == "figure":
            body.append(f"<figure>{svg(b.content, rules, lang)}</figure>")
        elif b.kind == "appendix":
            # references alone follow the letter on its page; points and evidence start a new one
            kind = "appendix" if any(x.kind == "figure" for x in blocks) else "appendix short"
            body.append(f'</main>\n<section class="{kind}">\n<h1>{esc(b.content)}</h1>')
    closing = "</section>" if any(b.kind == "appendix" for b in blocks) else "</main>"
    alert = any(b.kind == "alert" for b in blocks)
    css = page_css(running, rules.message("inline_separator", lang).join(marks), alert=alert)
    title = html.escape(next((b.content for b in blocks if b.kind == "h1"), ""))
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n<title>{title}</title>\n'
        f"<style>{css}</style>\n</head>\n<body>\n<main>\n"
        + "\n".join(body)
        + f"\n{closing}\n</body>\n</html>\n"
    )
