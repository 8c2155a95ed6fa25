"""The referral note's blocks (:mod:`kneeguide.render.note`) as one self-contained HTML page.

Printable on A4 (one or two pages), with the treatment points drawn inline as SVG
(:mod:`kneeguide.render.figure`): no image files, no external assets, no scripts.
Every text is HTML-escaped.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from kneeguide.render.note import Block
from kneeguide.ruleset.model import RuleSet

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
    """The note as an HTML document in ``lang``; its figure labels come from ``rules``."""
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
