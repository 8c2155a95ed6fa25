"""The referral note's blocks (:mod:`kneeguide.render.note`) as Markdown or plain text."""

from __future__ import annotations

from collections.abc import Sequence

from kneeguide.render.note import Block
from kneeguide.ruleset.model import RuleSet


def to_markdown(blocks: Sequence[Block], rules: RuleSet, lang: str) -> str:
    """The note as Markdown (``rules`` and ``lang`` are unused: every word is in the blocks)."""
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
    """The note as plain text, headings underlined (``rules`` and ``lang`` are unused)."""
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
