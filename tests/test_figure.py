"""The note's knee drawing: labels never collide, and the caption stays inside the figure.

Every set of points a note can show is drawn, in both languages: each vignette's, each
set three leading causes can bring (the engine lists the points of the top three), and
all points at once. The SVG is parsed and each text given a box from an estimate of its
extent, independent of the renderer's own: 1 em per East Asian wide character, 0.6 em per
other character (10 % more in bold), from 1.2 em above the baseline to 0.3 em below (the
line box of Noto Sans CJK, the note's font on Linux). Then:

- no two texts overlap (point labels, view titles, medial and lateral, the red caption),
  and no text crosses the leg's outline;
- every text, point and leader lies inside the viewBox;
- every label names a drawn point and covers no point; a label that moved away has a
  leader from its box to its point's centre that crosses no other label or leader and
  passes no other point; a label without a leader is clearly nearest its own point.

The same checks run on the boxes real Chromium measures (``getBBox``) where Chromium is
installed (skipped otherwise, like tests/test_note_pdf.py).
"""

from __future__ import annotations

import hashlib
import html
import itertools
import json
import math
import os
import pickle
import re
import subprocess
import sys
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from chromium import CHROMIUM, headless
from vignette_report import load_vignettes

from kneeguide.api import assess, load_rules
from kneeguide.engine.advice import point_result
from kneeguide.engine.assessment import PointResult
from kneeguide.render.figure import svg
from kneeguide.ruleset.model import RuleSet

SVG = "{http://www.w3.org/2000/svg}"
Pt = tuple[float, float]
Box = tuple[float, float, float, float]  # x0, y0, x1, y1


def as_results(rules: RuleSet, codes: tuple[str, ...], lang: str) -> list[PointResult]:
    """The points as the engine hands them to the note (rule-set order, texts in ``lang``)."""
    return [point_result(p, lang) for p in rules.acupuncture.points if p.code in codes]


def point_sets() -> list[tuple[str, tuple[str, ...]]]:
    """Every (language, point codes) a note can draw, each once."""
    rules = load_rules()
    points = rules.acupuncture.points
    causes = sorted({c for p in points for c in p.causes})
    found: dict[tuple[str, tuple[str, ...]], None] = {}
    for lang in ("en", "ja"):
        for n in (1, 2, 3):
            for top in itertools.combinations(causes, n):
                found[(lang, tuple(p.code for p in points if set(top) & set(p.causes)))] = None
        found[(lang, tuple(p.code for p in points))] = None
        for _, vignette in load_vignettes():
            result = assess(
                vignette["answers"], rules=rules, lang=lang, audience=vignette.get("audience", "lay")
            )
            if result.acupuncture.points:
                found[(lang, tuple(p.code for p in result.acupuncture.points))] = None
    return list(found)


SETS = point_sets()
IDS = [f"{lang}-{'+'.join(codes)}" for lang, codes in SETS]


def drawing_of(lang: str, codes: tuple[str, ...]) -> str:
    rules = load_rules()
    return svg(as_results(rules, codes, lang), rules, lang)


# -- reading the SVG ----------------------------------------------------------------------


def estimate(text: str, x: float, y: float, size: float, anchor: str, bold: bool) -> Box:
    em = sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.6 for ch in text)
    width = em * size * (1.1 if bold else 1.0)
    x0 = x - {"start": 0.0, "middle": width / 2, "end": width}[anchor]
    return (x0, y - 1.2 * size, x0 + width, y + 0.3 * size)


def sample_path(d: str, dx: float, dy: float) -> list[list[Pt]]:
    """Absolute M, L, Q, C, Z path data as polylines (curves in 16 steps)."""
    tokens = re.findall(r"[A-Za-z]|-?[\d.]+", d)
    lines: list[list[Pt]] = []
    i, cmd = 0, "M"
    while i < len(tokens):
        if tokens[i].isalpha():
            cmd, i = tokens[i], i + 1
            assert cmd in "MLQCZ", f"path command {cmd} not read by this test"
            if cmd == "Z":
                lines[-1].append(lines[-1][0])
            continue
        n = {"M": 1, "L": 1, "Q": 2, "C": 3}[cmd]
        pts = [(float(tokens[i + 2 * k]) + dx, float(tokens[i + 2 * k + 1]) + dy) for k in range(n)]
        i += 2 * n
        if cmd == "M":
            lines.append(pts)
        elif cmd == "L":
            lines[-1] += pts
        else:
            ctrl = [lines[-1][-1], *pts]
            for s in range(1, 17):
                t, c = s / 16, ctrl
                while len(c) > 1:
                    c = [
                        (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t) for a, b in itertools.pairwise(c)
                    ]
                lines[-1].append(c[0])
    return lines


class Text(NamedTuple):
    kind: str  # the class: title, side, label, caption
    content: str
    point: str | None
    box: Box


class Drawing(NamedTuple):
    view: Box
    texts: list[Text]
    dots: dict[str, tuple[Pt, float]]  # centre, radius
    leaders: dict[str, tuple[Pt, Pt]]  # from the label to the point
    outline: list[list[Pt]]


def read(source: str) -> Drawing:
    root = ET.fromstring(source)
    x, y, w, h = map(float, root.get("viewBox", "").split())
    texts: list[Text] = []
    dots: dict[str, tuple[Pt, float]] = {}
    leaders: dict[str, tuple[Pt, Pt]] = {}
    outline: list[list[Pt]] = []

    def walk(node: ET.Element, dx: float, dy: float) -> None:
        move = re.fullmatch(r"translate\(([-\d.]+)[ ,]+([-\d.]+)\)", node.get("transform", "translate(0,0)"))
        assert move, f"transform {node.get('transform')} not read by this test"
        dx, dy = dx + float(move[1]), dy + float(move[2])
        tag, cls, point = node.tag.removeprefix(SVG), node.get("class", ""), node.get("data-point")

        def num(name: str) -> float:
            return float(node.get(name, "0"))

        if tag == "text":
            content = "".join(node.itertext())
            anchor = node.get("text-anchor", "start")
            bold = node.get("font-weight") == "bold"
            box = estimate(content, num("x") + dx, num("y") + dy, num("font-size"), anchor, bold)
            texts.append(Text(cls, content, point, box))
        elif tag == "circle" and point:
            dots[point] = ((num("cx") + dx, num("cy") + dy), num("r"))
        elif tag == "line" and cls == "leader" and point:
            leaders[point] = ((num("x1") + dx, num("y1") + dy), (num("x2") + dx, num("y2") + dy))
        elif tag == "path" and cls == "outline":
            outline.extend(sample_path(node.get("d", ""), dx, dy))
        for child in node:
            walk(child, dx, dy)

    walk(root, 0.0, 0.0)
    return Drawing((x, y, x + w, y + h), texts, dots, leaders, outline)


# -- geometry -------------------------------------------------------------------------


def overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def within(a: Box, b: Box) -> bool:
    return b[0] <= a[0] and b[1] <= a[1] and a[2] <= b[2] and a[3] <= b[3]


def gap(b: Box, p: Pt) -> float:
    """Distance from a point to the nearest point of a box (0 inside)."""
    return math.hypot(max(b[0] - p[0], 0.0, p[0] - b[2]), max(b[1] - p[1], 0.0, p[1] - b[3]))


def along(p: Pt, q: Pt, step: float = 0.2) -> list[Pt]:
    n = max(1, math.ceil(math.dist(p, q) / step))
    return [(p[0] + (q[0] - p[0]) * i / n, p[1] + (q[1] - p[1]) * i / n) for i in range(n + 1)]


def segment_meets_box(p: Pt, q: Pt, b: Box) -> bool:
    return any(b[0] < x < b[2] and b[1] < y < b[3] for x, y in along(p, q))


def crossing(a: tuple[Pt, Pt], b: tuple[Pt, Pt]) -> bool:
    def side(p: Pt, q: Pt, r: Pt) -> float:
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])

    return side(*a, b[0]) * side(*a, b[1]) < 0 and side(*b, a[0]) * side(*b, a[1]) < 0


def problems(d: Drawing) -> list[str]:
    """Everything wrong with a drawing's layout, in words."""
    out: list[str] = []
    for a, b in itertools.combinations(d.texts, 2):
        if overlap(a.box, b.box):
            out.append(f"{a.kind} {a.content!r} overlaps {b.kind} {b.content!r}")
    for t in d.texts:
        if not within(t.box, d.view):
            out.append(f"{t.kind} {t.content!r} {t.box} is outside the viewBox {d.view}")
        if any(segment_meets_box(p, q, t.box) for line in d.outline for p, q in itertools.pairwise(line)):
            out.append(f"{t.kind} {t.content!r} crosses the outline of the leg")
    for code, ((cx, cy), r) in d.dots.items():
        if not within((cx - r, cy - r, cx + r, cy + r), d.view):
            out.append(f"point {code} is outside the viewBox")
    labels = {t.point: t for t in d.texts if t.kind == "label"}
    assert set(labels) == set(d.dots), f"labels {sorted(map(str, labels))} for points {sorted(d.dots)}"
    for code, label in labels.items():
        assert code is not None and label.content == code
        own = d.dots[code][0]
        for other, (centre, r) in d.dots.items():
            if gap(label.box, centre) < r:
                out.append(f"label {code} covers point {other}")
            elif other != code and code not in d.leaders and gap(label.box, centre) < gap(label.box, own) + 2:
                out.append(f"label {code} has no leader and is as near point {other} as its own")
        leader = d.leaders.get(code)
        if leader is None:
            continue
        start, end = leader
        if math.dist(end, own) > 0.05:
            out.append(f"the leader of {code} ends at {end}, not at its point {own}")
        if gap(label.box, start) > 1.5:
            out.append(f"the leader of {code} starts {gap(label.box, start):.1f} units away from its label")
        if not within((*start, *start), d.view):
            out.append(f"the leader of {code} leaves the viewBox")
        for other, (centre, r) in d.dots.items():
            if other != code and any(math.dist(p, centre) < r for p in along(start, end)):
                out.append(f"the leader of {code} runs over point {other}")
        for t in d.texts:
            if t is not label and segment_meets_box(start, end, t.box):
                out.append(f"the leader of {code} crosses {t.kind} {t.content!r}")
        for other, line in d.leaders.items():
            if other < code and crossing(leader, line):
                out.append(f"the leaders of {code} and {other} cross")
    return out


# -- the tests ------------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "codes"), SETS, ids=IDS)
def test_no_label_collides_and_everything_stays_inside_the_figure(lang: str, codes: tuple[str, ...]) -> None:
    drawing = read(drawing_of(lang, codes))
    assert drawing.dots, "every set here has points with a place in the drawing"
    assert not problems(drawing), "\n".join(problems(drawing))


def test_the_sets_cover_every_point_and_both_views_in_both_languages() -> None:
    for lang in ("en", "ja"):
        drawn = {c for lg, codes in SETS if lg == lang for c in codes}
        assert drawn == {p.code for p in load_rules().acupuncture.points}
    crowded = read(drawing_of("en", tuple(p.code for p in load_rules().acupuncture.points)))
    assert crowded.leaders, "with every point at once, some labels have to move away and get a leader"


def test_the_caption_of_the_vessels_is_inside_the_figure_and_clear_of_the_drawing() -> None:
    for lang in ("en", "ja"):
        for codes in (("BL40",), ("BL40", "ST35")):  # one view, then two: the caption wraps to fit
            drawing = read(drawing_of(lang, codes))
            captions = [t for t in drawing.texts if t.kind == "caption"]
            text = "".join(t.content for t in captions).replace(" ", "")
            expected = "Poplitealarteryandvein" if lang == "en" else "膝窩動脈"
            assert expected in text
            lowest = max(y for line in drawing.outline for _, y in line)
            assert all(within(t.box, drawing.view) and t.box[1] >= lowest for t in captions)


def test_the_same_points_give_the_same_drawing_in_any_process() -> None:
    rules = load_rules()
    jobs = [(lang, as_results(rules, codes, lang)) for lang, codes in SETS]
    here = hashlib.sha256("".join(svg(points, rules, lang) for lang, points in jobs).encode()).hexdigest()
    code = (
        "import hashlib, pickle, sys; from kneeguide.api import load_rules; "
        "from kneeguide.render.figure import svg; rules = load_rules(); "
        "jobs = pickle.load(sys.stdin.buffer); "
        "print(hashlib.sha256(''.join(svg(p, rules, lang) for lang, p in jobs).encode()).hexdigest())"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}  # another order for every set and dict of strings
    there = (
        subprocess.run(
            [sys.executable, "-c", code], input=pickle.dumps(jobs), env=env, capture_output=True, check=True
        )
        .stdout.decode()
        .strip()
    )
    assert here == there
    assert here == hashlib.sha256("".join(svg(p, rules, lang) for lang, p in jobs).encode()).hexdigest()


PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>{svgs}
<pre id="boxes"></pre>
<script>
const out = [];
for (const svg of document.querySelectorAll('body > svg')) {{
  const root = svg.getScreenCTM().inverse();
  out.push([...svg.querySelectorAll('text')].map(t => {{
    const b = t.getBBox(), m = root.multiply(t.getScreenCTM());
    const p = new DOMPoint(b.x, b.y).matrixTransform(m);
    const q = new DOMPoint(b.x + b.width, b.y + b.height).matrixTransform(m);
    return [p.x, p.y, q.x, q.y];
  }}));
}}
document.getElementById('boxes').textContent = JSON.stringify(out);
</script></body></html>
"""


@pytest.mark.skipif(not CHROMIUM, reason="needs chromium")
def test_no_label_collides_as_chromium_measures_the_text(tmp_path: Path) -> None:
    sources = [drawing_of(lang, codes) for lang, codes in SETS]
    page = tmp_path / "figures.html"
    page.write_text(PAGE.format(svgs="\n".join(sources)), encoding="utf-8")
    dom = subprocess.run(
        headless(tmp_path / "profile", "--dump-dom", page.as_uri()),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    ).stdout
    found = re.search(r'<pre id="boxes">(.*?)</pre>', dom, re.S)
    assert found and found[1], "chromium wrote no boxes"
    measured: list[list[list[float]]] = json.loads(html.unescape(found[1]))
    assert len(measured) == len(sources)
    wrong: dict[str, Any] = {}
    for name, source, boxes in zip(IDS, sources, measured, strict=True):
        drawing = read(source)
        assert len(boxes) == len(drawing.texts)
        assert all(b[2] - b[0] > 0 and b[3] - b[1] > 0 for b in boxes), "every text was laid out"
        real = [t._replace(box=(b[0], b[1], b[2], b[3])) for t, b in zip(drawing.texts, boxes, strict=True)]
        if found_wrong := problems(drawing._replace(texts=real)):
            wrong[name] = found_wrong
    assert not wrong, json.dumps(wrong, ensure_ascii=False, indent=1)
