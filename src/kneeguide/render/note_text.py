"""The referral letter's blocks (:mod:`kneeguide.render.note_blocks`) as Markdown or plain text.

Text has no pages: the mark of an unfinished interview opens and closes the letter
instead of heading every page, and the appendix follows a ruled line.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from kneeguide.render.note_blocks import Block
from kneeguide.ruleset.model import RuleSet


def to_markdown(blocks: Sequence[Block], rules: RuleSet, lang: str) -> str:
    """The letter as Markdown (``rules`` and ``lang`` are unused: every word is in the blocks)."""
    out: list[str] = []
    for b in blocks:
        if b.kind in ("h1", "appendix"):
            out += (["---", ""] if b.kind == "appendix" else []) + [f"# {b.content}", ""]
        elif b.kind == "h2":
            out += [f"## {b.content}", ""]
        elif b.kind == "banner":
            out += [f"**{b.content}**", ""]
        elif b.kind == "fields":
            out += [f"- **{label}:** {value}" for label, value in b.content] + [""]
        elif b.kind == "reason":
            out += [f"**{b.content}**", ""]
        elif b.kind in ("line", "record"):
            label, text = b.content
            out += [f"**{label}:** {text}", ""]
        elif b.kind == "note":
            out += [f"> {b.content}", ""]
        elif b.kind in ("ul", "cols"):
            out += [f"- {item}" for item in b.content] + [""]
        elif b.kind == "p":
            out += [b.content, ""]
    out += _closing_mark(blocks, lambda text: f"**{text}**")
    return "\n".join(out)


def to_text(blocks: Sequence[Block], rules: RuleSet, lang: str) -> str:
    """The letter as plain text, headings underlined (``rules`` and ``lang`` are unused)."""
    out: list[str] = []
    for b in blocks:
        if b.kind in ("h1", "h2", "appendix"):
            line = "-" if b.kind == "h2" else "="
            ruler = ["=" * 40, ""] if b.kind == "appendix" else []
            out += [*ruler, b.content, line * max(8, len(b.content)), ""]
        elif b.kind == "banner":
            out += [f"*** {b.content} ***", ""]
        elif b.kind == "fields":
            out += [f"{label}: {value}" for label, value in b.content] + [""]
        elif b.kind in ("reason", "p", "note"):
            out += [b.content, ""]
        elif b.kind in ("line", "record"):
            label, text = b.content
            out += [f"{label}: {text}", ""]
        elif b.kind in ("ul", "cols"):
            out += [f"  * {item}" for item in b.content] + [""]
    out += _closing_mark(blocks, lambda text: f"*** {text} ***")
    return "\n".join(out)


def _closing_mark(blocks: Sequence[Block], draw: Callable[[str], str]) -> list[str]:
    """The mark of an unfinished interview again at the end, where a reader of the last
    page would otherwise miss it."""
    return [line for b in blocks if b.kind == "banner" for line in (draw(b.content), "")]
