"""An inline SVG of the back (and, where needed, the front) of the knee and calf.

Points are drawn from the coordinates stored with each point in
``rules/acupuncture.yaml`` (viewBox 120 x 200 per view, knee crease at y=70);
zones to avoid (the popliteal vessels under BL40) are drawn as hatched areas
with their label. No image files, no external assets: the note prints anywhere.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from kneeguide.engine import PointResult
from kneeguide.ruleset.model import RuleSet

BACK = (
    # thigh, knee and calf outline seen from behind; the popliteal crease at y=70
    '<path d="M38 0 L82 0 L86 60 Q88 72 86 84 Q92 110 84 150 L76 196 L46 196 L36 150 '
    'Q28 110 34 84 Q32 72 34 60 Z" fill="#f6efe6" stroke="#555" stroke-width="1"/>'
    '<path d="M36 70 Q60 76 84 70" fill="none" stroke="#777" stroke-dasharray="3 2"/>'
    '<path d="M46 84 Q60 120 58 150 M74 84 Q60 120 62 150" fill="none" stroke="#bbb"/>'
)
FRONT = (
    '<path d="M38 0 L82 0 L86 50 Q90 72 84 90 L80 150 L74 196 L46 196 L40 150 L36 90 '
    'Q30 72 34 50 Z" fill="#f6efe6" stroke="#555" stroke-width="1"/>'
    '<ellipse cx="60" cy="60" rx="12" ry="14" fill="#eee3d3" stroke="#777"/>'
    '<path d="M55 74 L56 88 M65 74 L64 88" stroke="#999"/>'
    '<path d="M60 90 L59 190" stroke="#ccc" stroke-dasharray="2 3"/>'
)


def svg(points: Sequence[PointResult], rules: RuleSet, lang: str) -> str:
    """One ``<svg>`` element: the back of the leg, and the front too when a point is there;
    labels in ``lang``, zones to avoid hatched."""

    def m(key: str) -> str:
        return html.escape(rules.message(key, lang))

    views = ["back"] + (["front"] if any(p.figure and p.figure.view == "front" for p in points) else [])
    width = 150 * len(views)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} 230" role="img" '
        f'aria-label="{m("heading_figure")}">',
        '<defs><pattern id="hatch" width="4" height="4" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="4" stroke="#c00" stroke-width="1.5"/>'
        "</pattern></defs>",
    ]
    for index, view in enumerate(views):
        dx = 15 + 150 * index
        parts.append(f'<g transform="translate({dx},20)">')
        parts.append(BACK if view == "back" else FRONT)
        label = m("label_back") if view == "back" else m("label_front")
        parts.append(f'<text x="60" y="-6" text-anchor="middle" font-size="9">{label}</text>')
        lateral_right = view == "back"
        parts.append(
            f'<text x="{108 if lateral_right else 2}" y="8" font-size="6" fill="#555">'
            f"{m('label_lateral')}</text>"
        )
        parts.append(
            f'<text x="{2 if lateral_right else 104}" y="8" font-size="6" fill="#555">'
            f"{m('label_medial')}</text>"
        )
        for p in points:
            fig = p.figure
            if fig is None or fig.view != view:
                continue
            if fig.avoid is not None:
                rx, ry, _ = fig.avoid
                parts.append(
                    f'<ellipse cx="{fig.x:g}" cy="{fig.y:g}" rx="{rx:g}" ry="{ry:g}" '
                    f'fill="url(#hatch)" stroke="#c00" stroke-width="0.8" opacity="0.8"/>'
                )
                parts.append(
                    f'<text x="{fig.x:g}" y="{fig.y + ry + 9:g}" text-anchor="middle" font-size="5.5" '
                    f'fill="#c00">{html.escape(p.avoid_label)}</text>'
                )
            parts.append(
                f'<circle cx="{fig.x:g}" cy="{fig.y:g}" r="2.6" fill="#0b5" stroke="#063" '
                f'stroke-width="0.6"/>'
            )
            parts.append(
                f'<text x="{fig.x + 4:g}" y="{fig.y - 3:g}" font-size="7" font-weight="bold">'
                f"{html.escape(p.code)}</text>"
            )
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)
