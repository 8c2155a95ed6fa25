"""Markdown report: the report's sections (:mod:`kneeguide.render.report`) as Markdown,
for files and notes."""

from __future__ import annotations

from kneeguide.engine import Assessment
from kneeguide.render.common import typography
from kneeguide.render.report import build
from kneeguide.render.sections import Line
from kneeguide.render.wrap import width_of
from kneeguide.ruleset.model import RuleSet


def render(a: Assessment, rules: RuleSet, *, details: bool = False) -> str:
    """The report as Markdown, in the assessment's language: it opens with the level as its
    heading and the action, and ends with the disclaimer and the action in one line."""
    report = build(a, rules, details=details)
    out: list[str] = []
    first, *rest = report.sections
    out += [f"# {rules.message(f'level_{a.triage.level.id}', a.lang)}", ""]  # the level, as before
    for line in first.lines:
        out += [_paragraph(line, rules, a.lang), ""]
    for section in rest:
        if section.title:
            out += [f"## {section.title}", ""]
        bulleted = any(line.depth or line.mark not in ("", "»") for line in section.lines)
        for line in section.lines:
            out.append(_bullet(line, rules, a.lang) if bulleted else _paragraph(line, rules, a.lang))
            if not bulleted:
                out.append("")
        if bulleted:
            out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def _emphasis(line: Line) -> str:
    text = line.text
    if line.style in ("strong", "rule", "flag"):
        return f"**{text}**"
    if line.style == "dim":
        return f"*{text}*"
    return text


def _paragraph(line: Line, rules: RuleSet, lang: str) -> str:
    return f"{_mark(line.mark, rules, lang)}{_emphasis(line)}"


def _bullet(line: Line, rules: RuleSet, lang: str) -> str:
    """A list item. A cause's rank ("1.") becomes an ordered item, and the signs of reasons
    ("+", "-") their words: written as they are, Markdown reads them as list markers."""
    indent = "   " * line.depth  # three: the content indent of "1. " as well as of "- "
    if line.mark.endswith(".") and line.mark[:-1].isdigit():
        return f"{indent}{line.mark} {_emphasis(line)}"
    return f"{indent}- {_mark(line.mark, rules, lang)}{_emphasis(line)}"


def _mark(mark: str, rules: RuleSet, lang: str) -> str:
    """The mark in front of an item's text: a reason's sign as its label ("For: ",
    「支持する所見：」), another mark followed by a space, except after a full-width bracket
    (【支持】), which Japanese text follows directly."""
    if mark in ("", "•", "»"):
        return ""
    if mark in _SIGNS:
        label = typography(rules, lang).label(rules.message(_SIGNS[mark], lang))
        return label if width_of(label[-1]) == 2 else label + " "
    return mark if width_of(mark[-1]) == 2 else f"{mark} "


#: The reasons' signs in the terminal, and the words Markdown shows instead.
_SIGNS = {"+": "label_for", "-": "label_against"}
