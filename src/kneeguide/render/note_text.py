"""The referral letter's blocks (:mod:`kneeguide.render.note_blocks`) as Markdown or plain text.

Text has no pages: the mark of an unfinished interview opens and closes the letter
instead of heading every page, and the appendix follows a ruled line. Plain text is
wrapped to :data:`WIDTH` columns by :func:`kneeguide.render.wrap.wrap`: at spaces in
English, between phrases in Japanese, never with a line that starts with 、。」）
and never inside a word or a number. Markdown is not wrapped: its readers reflow
paragraphs, and a line break inside Japanese would come out as a space.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from kneeguide.render.common import typography
from kneeguide.render.note_blocks import Block
from kneeguide.render.wrap import hang, width_of, wrap
from kneeguide.ruleset.model import RuleSet

#: The plain-text letter's width in display columns (a Japanese character takes two).
WIDTH = 80
#: Continuation lines of a labelled paragraph ("Calf: ...") hang this far in.
HANG = 2


def label_parts(rules: RuleSet, lang: str, label: str) -> tuple[str, str]:
    """``label`` with its language's colon, and the space that follows it, if any:
    ("Patient:", " ") in English, (「患者：」, "") in Japanese."""
    lead = rules.message("labelled", lang).format(label=label, text="")
    bare = lead.rstrip()
    return bare, lead[len(bare) :]


def to_markdown(blocks: Sequence[Block], rules: RuleSet, lang: str) -> str:
    """The letter as Markdown, its labels and colons in ``lang``'s punctuation."""

    def strong(label: str) -> str:
        # CommonMark closes ** only after a letter or before a space: 「**患者：**田中」 stays
        # unclosed, so a full-width colon goes after the emphasis (**患者**：田中)
        bare, gap = label_parts(rules, lang, label)
        return f"**{bare}**{gap}" if gap else f"**{label}**{bare[len(label) :]}"

    out: list[str] = []
    for b in blocks:
        if b.kind in ("h1", "appendix"):
            out += (["---", ""] if b.kind == "appendix" else []) + [f"# {b.content}", ""]
        elif b.kind == "h2":
            out += [f"## {b.content}", ""]
        elif b.kind == "h3":
            out += [f"### {b.content}", ""]
        elif b.kind == "banner":
            out += [f"**{b.content}**", ""]
        elif b.kind == "fields":
            out += [f"- {strong(label)}{value}" for label, value in b.content] + [""]
        elif b.kind == "address":
            label, lines = b.content
            out += [strong(label) + "\\\n".join(lines), ""]  # a backslash ends a line within the paragraph
        elif b.kind == "reason":
            out += [f"**{b.content}**", ""]
        elif b.kind == "alert":  # a quotation, so that it stands apart from the letter
            heading, said, warnings = b.content
            out += [f"> **{heading}**", ">", f"> {said}", ">", *(f"> - **{w}**" for w in warnings), ""]
        elif b.kind in ("line", "record"):
            label, text = b.content
            out += [f"{strong(label)}{text}", ""]
        elif b.kind == "note":
            out += [f"> {b.content}", ""]
        elif b.kind in ("ul", "cols"):
            out += [f"- {item}" for item in b.content] + [""]
        elif b.kind in ("p", "dateline", "closing"):
            out += [b.content, ""]
    out += _closing_mark(blocks, lambda text: f"**{text}**")
    return "\n".join(out)


def to_text(blocks: Sequence[Block], rules: RuleSet, lang: str) -> str:
    """The letter as plain text, headings underlined, wrapped to :data:`WIDTH` columns."""
    ty = typography(rules, lang)
    out: list[str] = []
    for b in blocks:
        if b.kind in ("h1", "h2", "appendix"):
            line = "-" if b.kind == "h2" else "="
            ruler = ["=" * 40, ""] if b.kind == "appendix" else []
            out += [*ruler, *wrap(b.content, WIDTH), line * max(8, min(WIDTH, width_of(b.content))), ""]
        elif b.kind == "h3":
            out += [*wrap(ty.bracket(b.content), WIDTH), ""]
        elif b.kind == "banner":
            out += [*wrap(f"*** {b.content} ***", WIDTH), ""]
        elif b.kind == "alert":
            heading, said, warnings = b.content
            out += [*wrap(f"*** {heading} ***", WIDTH), *wrap(said, WIDTH)]
            out += [ln for w in warnings for ln in hang(w, WIDTH, "  ! ")] + [""]
        elif b.kind == "fields":
            out += [ln for label, value in b.content for ln in _labelled(rules, lang, label, value)] + [""]
        elif b.kind == "address":  # the lines one under the other, under the first after the label
            label, lines = b.content
            lead = "".join(label_parts(rules, lang, label))
            out += [
                ln
                for i, x in enumerate(lines)
                for ln in hang(x, WIDTH, lead if not i else " " * width_of(lead))
            ]
            out += [""]
        elif b.kind == "dateline":
            out += [" " * max(0, WIDTH - width_of(b.content)) + b.content, ""]
        elif b.kind in ("reason", "p", "note", "closing"):
            out += [*wrap(b.content, WIDTH), ""]
        elif b.kind in ("line", "record"):
            label, text = b.content
            out += [*_labelled(rules, lang, label, text), ""]
        elif b.kind in ("ul", "cols"):
            out += [ln for item in b.content for ln in hang(item, WIDTH, "  * ")] + [""]
    out += _closing_mark(blocks, lambda text: f"*** {text} ***")
    return "\n".join(out)


def _labelled(rules: RuleSet, lang: str, label: str, text: str) -> list[str]:
    """``label: text`` wrapped, the lines after the first indented a little (not under the
    text: a long label would leave them a narrow column)."""
    first, *rest = wrap("".join(label_parts(rules, lang, label)) + text, WIDTH - HANG)
    return [first, *(" " * HANG + line for line in rest)]


def _closing_mark(blocks: Sequence[Block], draw: Callable[[str], str]) -> list[str]:
    """The mark of an unfinished interview again at the end, where a reader of the last
    page would otherwise miss it."""
    return [line for b in blocks if b.kind == "banner" for line in (draw(b.content), "")]
