"""An inline SVG of the back (and, where needed, the front) of the knee and calf.

Points are drawn where ``rules/acupuncture.yaml`` puts them (120 x 200 per view, knee
crease at y=70); zones to avoid are hatched and named in a legend under the drawing, so
the caption never runs over the outline. No image files, no external assets.

Four points crowd the popliteal crease within 33 units, so labels cannot all sit beside
their points. Each label gets candidate places (beside its point; a little away, or in
the margin beside the outline, with a leader line), each with a cost, and a small
branch-and-bound search takes the cheapest set in which nothing collides: the same
points always give the same drawing. Text is measured by estimate (the renderer has no
fonts), generously, since Chromium, Hiragino, Noto and Arial must all fit.
"""

from __future__ import annotations

import html
import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from itertools import accumulate, pairwise
from typing import NamedTuple

from kneeguide.engine import PointResult
from kneeguide.render.wrap import wrap as wrap_columns
from kneeguide.ruleset.model import RuleSet

Pt = tuple[float, float]
Box = tuple[float, float, float, float]  # x0, y0, x1, y1
Zone = tuple[float, float, float, float]  # an ellipse: cx, cy, rx, ry

FONT = "'Hiragino Sans', 'Noto Sans CJK JP', 'Yu Gothic', Arial, sans-serif"  # the note's own stack
#: Text extent in em: wide characters 1, others 0.6, times a safety factor (bold codes measure up to
#: 0.66 em a character in Arial, 0.62 in Noto Sans CJK; lay text 0.43 to 0.51); from ASCENT above the
#: baseline to DESCENT below (Noto Sans CJK's line box: 1.16 and 0.29; Arial's: 0.91 and 0.21).
SAFETY, SAFETY_BOLD, ASCENT, DESCENT, PAD = 1.05, 1.15, 1.25, 0.35, 0.8
TITLE, SIDE, LABEL, CAPTION = 8.0, 6.5, 7.0, 6.5  # font sizes, in viewBox units
LINE = ASCENT + DESCENT  # line pitch in em: lines of one caption never overlap
PANEL, LEG_X, LEG_H = 150.0, 15.0, 196.0  # a view's width, the drawing's offset in it, its height
DOT, SWATCH = 2.6, 9.0  # a point's radius; the legend's hatched sample
MM = 0.3  # printed size of one viewBox unit, in millimetres: labels print at 6 pt
BUDGET = 60_000  # search nodes per view; the built-in points need a few hundred


class Stroke(NamedTuple):
    d: str  # path data (M, L, Q, C, Z; absolute) in the view's own coordinates
    attrs: str
    outline: bool  # the leg's outline, which labels keep clear of, or an inner line


SKIN = 'fill="#f6efe6" stroke="#555" stroke-width="1"'
BACK = (  # thigh, knee and calf seen from behind; the popliteal crease at y=70
    Stroke("M38 0 L82 0 L86 60 Q88 72 86 84 Q92 110 84 150 L76 196 L46 196 L36 150 "
           "Q28 110 34 84 Q32 72 34 60 Z", SKIN, True),
    Stroke("M36 70 Q60 76 84 70", 'fill="none" stroke="#777" stroke-dasharray="3 2"', False),
    Stroke("M46 84 Q60 120 58 150 M74 84 Q60 120 62 150", 'fill="none" stroke="#bbb"', False),
)  # fmt: skip
FRONT = (  # the kneecap is an ellipse (60, 60, 12 x 14) drawn as four cubic quarters
    Stroke("M38 0 L82 0 L86 50 Q90 72 84 90 L80 150 L74 196 L46 196 L40 150 L36 90 "
           "Q30 72 34 50 Z", SKIN, True),
    Stroke("M60 46 C66.63 46 72 52.27 72 60 C72 67.73 66.63 74 60 74 C53.37 74 48 67.73 48 60 "
           "C48 52.27 53.37 46 60 46 Z", 'fill="#eee3d3" stroke="#777"', False),
    Stroke("M55 74 L56 88 M65 74 L64 88", 'fill="none" stroke="#999"', False),
    Stroke("M60 90 L59 190", 'fill="none" stroke="#ccc" stroke-dasharray="2 3"', False),
)  # fmt: skip
OUTLINE = {True: ' class="outline"', False: ""}
HEAD = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="{}mm" height="{}mm" role="img" '
    f'aria-label="{{}}" font-family="{FONT}"><defs><pattern id="hatch" width="4" height="4" '
    'patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="4" '
    'stroke="#c00" stroke-width="1.5"/></pattern></defs>'
)


class Text(NamedTuple):
    x: float
    y: float  # baseline
    size: float
    text: str
    cls: str
    anchor: str = "start"  # start | middle | end
    attrs: str = ""
    bold: bool = False


class Place(NamedTuple):
    box: Box
    leader: tuple[Pt, Pt] | None  # from the label to its point's centre
    cost: float


class Scene(NamedTuple):  # what a view's labels keep clear of, within its bounds
    bounds: Box
    fixed: list[Box]
    dots: list[Pt]
    zones: list[Zone]
    outline: list[list[Pt]]
    inner: list[list[Pt]]
    edge: list[Pt]  # the outline, densely sampled


def _em(ch: str) -> float:
    return 1.0 if unicodedata.east_asian_width(ch) in "WFA" else 0.6


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The estimated advance width of ``text`` at ``size``, safety margin included."""
    return size * (SAFETY_BOLD if bold else SAFETY) * sum(_em(ch) for ch in text)


def text_box(t: Text) -> Box:
    w = text_width(t.text, t.size, t.bold)
    x0 = t.x - {"start": 0.0, "middle": w / 2, "end": w}[t.anchor]
    return (x0, t.y - ASCENT * t.size, x0 + w, t.y + DESCENT * t.size)


def wrap(text: str, size: float, width: float) -> list[str]:
    """Lines no wider than ``width`` (by :func:`text_width`), broken as the terminal report
    breaks them (:func:`kneeguide.render.wrap.wrap`: at spaces, between Japanese phrases,
    never before closing punctuation): the column budget starts from a Latin letter's
    width and narrows until every line fits the estimate."""
    columns = max(1, int(width / (size * SAFETY * 0.6)))
    while True:
        lines = wrap_columns(text, columns)
        if columns == 1 or all(text_width(line, size) <= width for line in lines):
            return lines or [""]
        columns -= 1


# -- geometry -----------------------------------------------------------------------------


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _seg_hits_box(p: Pt, q: Pt, b: Box) -> bool:
    """Liang-Barsky: does the segment p-q touch the box?"""
    t0, t1 = 0.0, 1.0
    dx, dy = q[0] - p[0], q[1] - p[1]
    for pe, qe in ((-dx, p[0] - b[0]), (dx, b[2] - p[0]), (-dy, p[1] - b[1]), (dy, b[3] - p[1])):
        if pe < 0:
            t0 = max(t0, qe / pe)
        elif pe > 0:
            t1 = min(t1, qe / pe)
        if (pe == 0 and qe < 0) or t0 > t1:
            return False
    return True


def _crosses(a: tuple[Pt, Pt], b: tuple[Pt, Pt]) -> bool:
    def side(p: Pt, q: Pt, r: Pt) -> float:
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])

    return side(*a, b[0]) * side(*a, b[1]) < 0 and side(*b, a[0]) * side(*b, a[1]) < 0


def _near(c: Pt, seg: tuple[Pt, Pt], rx: float, ry: float) -> bool:
    """Does the segment come within the ellipse of radii rx, ry around c?"""
    (ax, ay), (bx, by) = (((p[0] - c[0]) / rx, (p[1] - c[1]) / ry) for p in seg)
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, -(ax * dx + ay * dy) / (dx * dx + dy * dy or 1.0)))
    return math.hypot(ax + t * dx, ay + t * dy) < 1.0


def _gap(b: Box, p: Pt) -> float:
    return math.hypot(max(b[0] - p[0], 0.0, p[0] - b[2]), max(b[1] - p[1], 0.0, p[1] - b[3]))


def _box_in_ellipse(b: Box, cx: float, cy: float, rx: float, ry: float) -> bool:
    nx, ny = min(max(cx, b[0]), b[2]), min(max(cy, b[1]), b[3])
    return ((nx - cx) / rx) ** 2 + ((ny - cy) / ry) ** 2 < 1.0


def _hits_lines(b: Box, lines: list[list[Pt]]) -> int:
    return sum(any(_seg_hits_box(p, q, b) for p, q in pairwise(line)) for line in lines)


def _polylines(d: str, dx: float, dy: float) -> list[list[Pt]]:
    """The path sampled into polylines (curves in 8 steps), moved by dx, dy."""
    tokens = re.findall(r"[MLQCZ]|-?[\d.]+", d)
    lines: list[list[Pt]] = []
    cmd, i = "M", 0
    while i < len(tokens):
        if tokens[i].isalpha():
            cmd, i = tokens[i], i + 1
            if cmd == "Z":
                lines[-1].append(lines[-1][0])
            continue
        n = {"M": 1, "L": 1, "Q": 2, "C": 3}[cmd]
        pts = [(float(tokens[i + 2 * k]) + dx, float(tokens[i + 2 * k + 1]) + dy) for k in range(n)]
        i += 2 * n
        if cmd == "M":
            lines.append(pts)
        elif cmd == "L":
            lines[-1].extend(pts)
        else:
            for t in (s / 8 for s in range(1, 9)):  # de Casteljau
                ctrl = [lines[-1][-1], *pts]
                while len(ctrl) > 1:
                    ctrl = [(a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t) for a, b in pairwise(ctrl)]
                lines[-1].append(ctrl[0])
    return lines


def _dense(outline: list[list[Pt]]) -> list[Pt]:
    """The outline's points, at most one unit apart: where the margins begin, row by row."""
    return [
        (a[0] + (b[0] - a[0]) * s / n, a[1] + (b[1] - a[1]) * s / n)
        for line in outline
        for a, b in pairwise(line)
        for n in [max(1, math.ceil(math.dist(a, b)))]
        for s in range(n + 1)
    ]


# -- placing the labels -----------------------------------------------------------------


def _candidates(p: Pt, code: str, scene: Scene, mine: Zone | None) -> list[Place]:
    """Every acceptable place for one label, cheapest first; its leader may cross ``mine``,
    the point's own zone to avoid, but not another."""
    w = text_width(code, LABEL, bold=True) + 2 * PAD
    up, down = (ASCENT - 0.36) * LABEL, (DESCENT + 0.36) * LABEL  # around the capitals' middle
    px, py = p
    raw: list[tuple[float, float, float, bool]] = []  # box x0, capitals' middle y, cost, leader
    g = DOT + 0.9
    raw += [(px + g, py, 0.0, False), (px - g - w, py, 0.5, False)]
    raw += [(px - w / 2, py - g - down, 2.0, False), (px - w / 2, py + g + up, 2.5, False)]
    c = DOT * 0.72 + 0.9
    raw += [(px + c, py - c - down, 4.0, False), (px - c - w, py - c - down, 4.5, False)]
    raw += [(px + c, py + c + up, 4.5, False), (px - c - w, py + c + up, 5.0, False)]
    for d in (10.0, 16.0, 24.0):
        e = d * 0.71
        for x0, yc in (
            (px + d, py), (px - d - w, py), (px - w / 2, py - d - down), (px - w / 2, py + d + up),
            (px + e, py - e - down), (px - e - w, py - e - down),
            (px + e, py + e + up), (px - e - w, py + e + up),
        ):  # fmt: skip
            raw.append((x0, yc, 6.0 + d * 0.25, True))
    middle = (scene.bounds[0] + scene.bounds[2]) / 2
    for k in range(-9, 10):
        yc = py + k * 5.5
        xs = [x for x, y in scene.edge if yc - up - 1 <= y <= yc + down + 1]
        lo, hi = min(xs, default=middle), max(xs, default=middle)
        for x0, own in ((lo - 2.0 - w, px < middle), (hi + 2.0, px >= middle)):
            raw.append((x0, yc, 12.0 + abs(k) * 0.6 + (0.0 if own else 6.0), True))
    places: dict[Box, Place] = {}
    for x0, yc, cost, led in raw:
        box = (x0, yc - up, x0 + w, yc + down)
        if box in places or not _fits(box, scene):
            continue
        leader = None
        if not led and any(_gap(box, q) < _gap(box, p) + 6.0 for q in scene.dots if q != p):
            continue  # a label without a leader must sit clearly nearer its own point than any other
        if led:
            ink = (x0 + PAD, yc - 0.38 * LABEL, x0 + w - PAD, yc + 0.38 * LABEL)
            leader = ((min(max(px, ink[0]), ink[2]), min(max(py, ink[1]), ink[3])), p)
            if any(_seg_hits_box(*leader, f) for f in scene.fixed) or any(
                q != p and _near(q, leader, DOT + 1.5, DOT + 1.5) for q in scene.dots
            ):
                continue
            crossed = sum(z != mine and _near(z[:2], leader, z[2], z[3]) for z in scene.zones)
            cost += math.dist(*leader) * 0.15 + 20.0 * crossed
        cost += 40.0 * _hits_lines(box, scene.outline) + 1.5 * _hits_lines(box, scene.inner)
        places[box] = Place(box, leader, cost)
    fallback = Place((px + g, py - up, px + g + w, py + down), None, math.inf)  # beside it, come what may
    return sorted(places.values(), key=lambda pl: (pl.cost, pl.box)) or [fallback]


def _fits(box: Box, scene: Scene) -> bool:
    return (
        scene.bounds[0] <= box[0]
        and scene.bounds[1] <= box[1]
        and box[2] <= scene.bounds[2]
        and box[3] <= scene.bounds[3]
        and not any(_overlap(box, f) for f in scene.fixed)
        and not any(_box_in_ellipse(box, *q, DOT + 0.6, DOT + 0.6) for q in scene.dots)
        and not any(_box_in_ellipse(box, *z) for z in scene.zones)
    )


def _compatible(a: Place, b: Place) -> bool:
    if _overlap(a.box, b.box):
        return False
    if (a.leader and _seg_hits_box(*a.leader, b.box)) or (b.leader and _seg_hits_box(*b.leader, a.box)):
        return False
    return not (a.leader and b.leader and _crosses(a.leader, b.leader))


def place(options: list[list[Place]]) -> list[Place] | None:
    """The cheapest choice of one place per label with no two in conflict, by depth-first
    branch and bound (most constrained label first); None when there is none."""
    order = sorted(range(len(options)), key=lambda i: (len(options[i]), i))
    floor = [*accumulate(reversed([options[i][0].cost for i in order]), initial=0.0)][::-1]  # still to pay
    best: list[Place] | None = None
    best_cost, nodes = math.inf, 0
    chosen: list[Place] = []

    def go(k: int, cost: float) -> None:
        nonlocal best, best_cost, nodes
        nodes += 1
        if k == len(order):
            best, best_cost = list(chosen), cost
            return
        for option in options[order[k]]:
            if cost + option.cost + floor[k + 1] >= best_cost or nodes > BUDGET:
                return
            if all(_compatible(option, other) for other in chosen):
                chosen.append(option)
                go(k + 1, cost + option.cost)
                chosen.pop()

    go(0, 0.0)
    return None if best is None else [best[order.index(i)] for i in range(len(options))]


# -- drawing -----------------------------------------------------------------------------


def _n(v: float) -> str:
    return f"{round(v, 1):g}"


def _text(t: Text) -> str:
    anchor = "" if t.anchor == "start" else f' text-anchor="{t.anchor}"'
    style = anchor + (' font-weight="bold"' if t.bold else "") + t.attrs
    return (
        f'<text class="{t.cls}" x="{_n(t.x)}" y="{_n(t.y)}" font-size="{_n(t.size)}"{style}>'
        f"{html.escape(t.text)}</text>"
    )


def svg(points: Sequence[PointResult], rules: RuleSet, lang: str) -> str:
    """One ``<svg>`` element: the back of the leg, and the front too when a point is there;
    labels in ``lang``, zones to avoid hatched and named in a legend below."""

    def m(key: str) -> str:
        return rules.message(key, lang)

    drawn = [(p, p.figure) for p in points if p.figure is not None]
    views = ["back"] + (["front"] if any(f.view == "front" for _, f in drawn) else [])
    width = PANEL * len(views)
    titles = [wrap(m(f"label_{v}"), TITLE, PANEL - 6) for v in views]
    top = 3 + max(map(len, titles)) * TITLE * LINE + 4  # where each drawing's y=0 lies
    captions = dict.fromkeys(p.avoid_label for p, f in drawn if f.avoid and p.avoid_label)
    legend = [wrap(c, CAPTION, width - 10 - SWATCH) for c in captions]
    bottom = top + LEG_H + 6  # the legend's top
    height = bottom + sum(map(len, legend)) * CAPTION * LINE + 2
    body: list[str] = []
    texts: list[Text] = []
    y = bottom
    for lines in legend:
        body.append(
            f'<rect class="swatch" x="4" y="{_n(y + 1)}" width="{_n(SWATCH)}" height="{_n(CAPTION)}" '
            'fill="url(#hatch)" stroke="#c00" stroke-width="0.6"/>'
        )
        for line in lines:
            texts.append(
                Text(7 + SWATCH, y + ASCENT * CAPTION, CAPTION, line, "caption", attrs=' fill="#c00"')
            )
            y += CAPTION * LINE
    scenes = [_frame(view, PANEL * i, top, bottom, titles[i], m, body, texts) for i, view in enumerate(views)]
    fixed = [text_box(t) for t in texts]
    marks: list[list[str]] = [[], [], []]  # hatched zones, leaders, dots: drawn in that order
    for scene, view in zip(scenes, views, strict=True):
        here = [
            (p, (scene.bounds[0] - 1 + LEG_X + f.x, top + f.y), f.avoid) for p, f in drawn if f.view == view
        ]
        zones = [(*xy, a[0], a[1]) for _, xy, a in here if a is not None]
        scene = scene._replace(fixed=fixed, dots=[xy for _, xy, _ in here], zones=zones)
        options = [_candidates(xy, p.code, scene, (*xy, a[0], a[1]) if a else None) for p, xy, a in here]
        chosen = place(options) or [o[0] for o in options]  # the cheapest each, should none fit together
        for (p, xy, avoid), spot in zip(here, chosen, strict=True):
            _mark(p.code, xy, avoid, spot, marks, texts)
    head = HEAD.format(
        _n(width), _n(height), _n(width * MM), _n(height * MM), html.escape(m("heading_figure"))
    )
    layers = [s for layer in marks for s in layer]  # leaders under the dots: none is drawn over a point
    return "".join([head, *body, *layers, *(_text(t) for t in texts), "</svg>"])


def _frame(
    view: str, x0: float, top: float, bottom: float, title: list[str], m: Callable[[str], str],
    body: list[str], texts: list[Text],
) -> Scene:  # fmt: skip
    """One view's drawing, title and medial/lateral words; its scene, without the points yet."""
    strokes = BACK if view == "back" else FRONT
    body.append(f'<g transform="translate({_n(x0 + LEG_X)},{_n(top)})">')
    body.extend(f'<path{OUTLINE[s.outline]} d="{s.d}" {s.attrs}/>' for s in strokes)
    body.append("</g>")
    paths = [(s.outline, _polylines(s.d, x0 + LEG_X, top)) for s in strokes]
    outline = [pl for o, ls in paths if o for pl in ls]
    scene = Scene(
        (x0 + 1, 1.0, x0 + PANEL - 1, bottom - 2), [], [], [], outline,
        [pl for o, ls in paths if not o for pl in ls], _dense(outline),
    )  # fmt: skip
    for i, line in enumerate(title):
        texts.append(Text(x0 + PANEL / 2, 3 + (ASCENT + i * LINE) * TITLE, TITLE, line, "title", "middle"))
    # medial and lateral beside the top of the thigh, each on its side of this view
    xs = [x for x, y in scene.edge if top <= y <= top + 10]
    lo, hi = min(xs), max(xs)
    for key, right in (("label_lateral", view == "back"), ("label_medial", view != "back")):
        word = m(key)
        w = text_width(word, SIDE)
        x, anchor = (min(hi + 3, x0 + PANEL - 2 - w), "start") if right else (max(lo - 3, x0 + 2 + w), "end")
        texts.append(Text(x, top + 8, SIDE, word, "side", anchor, ' fill="#555"'))
    return scene


def _mark(code: str, xy: Pt, avoid: tuple[float, float, object] | None, spot: Place,
          marks: list[list[str]], texts: list[Text]) -> None:  # fmt: skip
    """One point's hatched zone, leader, dot and label, into their layers."""
    (cx, cy), name = xy, html.escape(code)
    if avoid is not None:
        marks[0].append(
            f'<ellipse class="avoid" data-point="{name}" cx="{_n(cx)}" cy="{_n(cy)}" rx="{_n(avoid[0])}" '
            f'ry="{_n(avoid[1])}" fill="url(#hatch)" stroke="#c00" stroke-width="0.8" opacity="0.8"/>'
        )
    if spot.leader is not None:
        (ax, ay), _ = spot.leader
        marks[1].append(
            f'<line class="leader" data-point="{name}" x1="{_n(ax)}" y1="{_n(ay)}" x2="{_n(cx)}" '
            f'y2="{_n(cy)}" stroke="#333" stroke-width="0.5"/>'
        )
    marks[2].append(
        f'<circle class="point" data-point="{name}" cx="{_n(cx)}" cy="{_n(cy)}" r="{_n(DOT)}" '
        'fill="#0b5" stroke="#063" stroke-width="0.6"/>'
    )
    halo = ' stroke="#fff" stroke-width="1.4" stroke-linejoin="round" paint-order="stroke"'
    x0, top, x1, _ = spot.box  # anchored on the side facing the point: a narrower text still meets its leader
    x, anchor = (
        (x1 - PAD, "end") if x1 <= cx else (x0 + PAD, "start") if x0 >= cx else ((x0 + x1) / 2, "middle")
    )
    texts.append(
        Text(x, top + ASCENT * LABEL, LABEL, code, "label", anchor, f' data-point="{name}"{halo}', True)
    )
