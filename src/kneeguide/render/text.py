"""Terminal report with rich: red flags first, in an unmistakable panel.

Colour is used only when writing to a terminal and ``NO_COLOR`` is unset; the
words carry the meaning on their own, so the plain output reads the same.
"""

from __future__ import annotations

import io
import re

from rich.cells import cell_len
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from kneeguide.engine import Assessment
from kneeguide.ids import Level
from kneeguide.render.common import typography
from kneeguide.render.report import build
from kneeguide.render.sections import Line
from kneeguide.render.wrap import wrap
from kneeguide.ruleset.model import RuleSet

#: Cell padding at the end of a line (before any closing colour codes): rich pads grid cells
#: to their width, which a pipe or a file should not carry.
_TRAILING = re.compile(r" +((?:\x1b\[[0-9;]*m)*)$", re.MULTILINE)

STYLE = {
    Level.EMERGENCY: "bold white on red",
    Level.URGENT: "bold red",
    Level.SOON: "bold yellow",
    Level.ROUTINE: "bold cyan",
    Level.SELF_CARE: "bold green",
}
BORDER = {
    Level.EMERGENCY: "red",
    Level.URGENT: "red",
    Level.SOON: "yellow",
    Level.ROUTINE: "cyan",
    Level.SELF_CARE: "green",
}


def _console(buffer: io.StringIO, color: bool, width: int) -> Console:
    return Console(
        file=buffer,
        width=width,
        force_terminal=color,
        color_system="standard" if color else None,
        no_color=not color,
        highlight=False,
        emoji=False,
        markup=False,
    )


def emergency_panel(a: Assessment, rules: RuleSet, *, color: bool = False, width: int = 80) -> str:
    """The panel shown the moment an emergency becomes certain during an interview; from a
    rule set that switches red flags off or rewords safety texts, it says so last (what the
    panel says may be that rule set's wording)."""
    buffer = io.StringIO()
    console = _console(buffer, color, width)
    inner = max(width, 40) - 4  # borders and padding

    def para(text: str) -> str:  # wrapped here, between phrases and with kinsoku, not by rich
        return "\n".join(wrap(text, inner))

    body = Text()
    body.append(para(a.triage.action) + "\n\n", style="bold")
    for h in a.red_flags:
        if h.level is Level.EMERGENCY:
            body.append(para(h.title) + "\n", style=STYLE[Level.EMERGENCY])
            body.append(para(h.action) + "\n")
    ty = typography(rules, a.lang)
    body.append("\n" + para(ty.label(rules.message("label_call", a.lang), a.triage.call)), style="bold")
    for warning in a.announced:
        body.append("\n\n" + para(warning), style="bold")
    title = ty.label(rules.message("emergency_title", a.lang), a.triage.call)
    console.print(Panel(body, title=title, border_style="red"))
    return buffer.getvalue()


def render(
    a: Assessment, rules: RuleSet, *, color: bool = False, width: int = 80, details: bool = False
) -> str:
    """The terminal report (:mod:`kneeguide.render.report`), ``width`` columns wide (at least
    40: nothing is drawn wider), with ANSI colour when ``color``; ``details`` adds the
    scores in full, the evidence and the anatomy."""
    buffer = io.StringIO()
    width = max(width, 40)
    console = _console(buffer, color, width)
    report = build(a, rules, details=details)
    for section in report.sections:
        if section.box:
            lines = section.lines
            title: str | None = section.title or None
            if title and cell_len(title) > width - 6:  # a title rich would cut short goes inside
                lines, title = (Line(title, style="rule"), *lines), None
            body = _lines(lines, report.level, color, 0, width - 4)  # borders and padding
            border = BORDER[report.level] if section.box == "level" else section.box
            console.print(Panel(body, title=title, border_style=border, expand=True))
            continue
        if section.title:
            console.print(Text(section.title, style="bold underline"))
        console.print(_lines(section.lines, report.level, color, 1 if section.title else 0, width))
        console.print()
    return _TRAILING.sub(r"\1", buffer.getvalue())


def _marked(mark: str) -> str:
    """A paragraph's mark and the space after it; none after a full-width bracket (【支持】),
    which Japanese text follows directly."""
    if not mark:
        return ""
    return mark if cell_len(mark[-1]) == 2 else mark + " "


def _lines(lines: tuple[Line, ...], level: Level, color: bool, base: int, width: int) -> Group:
    """Paragraphs with hanging indents, ``base`` levels in, ``width`` columns wide: a wrapped
    line starts under the text, not under the mark. Each paragraph is broken here (not by
    rich) with :func:`kneeguide.render.wrap.wrap`: at spaces in English, between phrases in
    Japanese, never before closing punctuation."""
    rows: list[RenderableType] = []
    for line in lines:
        style = {
            "strong": "bold",
            "rule": STYLE[level],
            "flag": "bold red",
            "dim": "dim" if color else "",
        }.get(line.style, "")
        prefix = "  " * (base + line.depth) + _marked(line.mark)
        text = Text("\n".join(wrap(line.text, width - cell_len(prefix))), style=style, overflow="fold")
        if not prefix:
            rows.append(text)
            continue
        grid = Table.grid()
        grid.add_column(no_wrap=True, width=cell_len(prefix))
        grid.add_column(overflow="fold")
        grid.add_row(prefix, text)
        rows.append(grid)
    return Group(*rows)
