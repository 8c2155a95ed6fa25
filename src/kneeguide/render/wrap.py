"""Prompt text broken into lines that fit the terminal, in English and Japanese.

A terminal cuts a line at its edge: "…lost control of your bla" is a question
nobody can answer honestly. Every prompt is therefore wrapped before it is
drawn, measured in display columns (a Japanese character takes two), and broken
where a reader expects it: at spaces in English, between BudouX phrases in
Japanese (which has no spaces, and where a break inside a word reads as a
different word). A word wider than the whole line is the only thing ever broken
inside, so nothing is drawn wider than the width and nothing is lost.

Pure functions, no terminal: the askers pass the width they draw at.
"""

from __future__ import annotations

import re

from wcwidth import wcswidth, wcwidth

from kneeguide.render.phrases import GLUE, NO_END, NO_START, phrases

#: A unit after a number and a space ("10 cm", "38 °C", "0.5 SD"), which stays on the
#: number's line.
_UNIT = re.compile(r"(?:°[CF]?|%|cm|mm|mmHg|kg|mg|mL|SD|SMD)(?![A-Za-z])")
#: Where English breaks; an ideographic space (U+3000) is part of the Japanese text.
_SPACES = re.compile(r"[ \t\r\f\v]+")
#: A list marker that continuation lines should hang under: "- ", "• ", "12. ".
_LEAD = re.compile(r"\s*(?:[-•*·]\s+|\d+\.\s+)?")


def width_of(text: str) -> int:
    """Display columns of ``text``; a control character counts as one, never as -1."""
    total = wcswidth(text)
    if total >= 0:
        return total
    return sum(max(wcwidth(ch), 0 if _combining(ch) else 1) for ch in text)


def _combining(ch: str) -> bool:
    return wcwidth(ch) == 0


def _clusters(word: str) -> list[str]:
    """Characters with their combining marks, the smallest pieces a word may be cut into."""
    out: list[str] = []
    for ch in word:
        if out and _combining(ch):
            out[-1] += ch
        else:
            out.append(ch)
    return out


def _cut(piece: str, width: int) -> list[str]:
    """A piece wider than ``width`` cut into lines of at most ``width`` columns; closing
    punctuation or a small kana that would start a line takes the characters before it
    along (oidashi), as many as are themselves forbidden there (「ビ|ュー」, never 「ュ|ー」)."""
    lines, line, used = [], "", 0
    for cluster in _clusters(piece):
        w = width_of(cluster)
        if line and used + w > width:
            keep = len(line)
            if cluster in NO_START:
                keep -= 1
                while keep > 1 and line[keep] in NO_START:
                    keep -= 1
            while keep > 1 and line[keep - 1] in NO_END:  # nor may an opening bracket end the line
                keep -= 1
            keep = max(keep, 1)
            carry = line[keep:]
            lines.append(line[:keep])
            line, used = carry, width_of(carry)
        line += cluster
        used += w
    if line:
        lines.append(line)
    return lines


def wrap(text: str, width: int) -> list[str]:
    """``text`` as lines of at most ``width`` display columns.

    Runs of spaces become one space (or a line break); each newline in
    ``text`` starts a new line; an empty paragraph stays an empty line.
    """
    width = max(width, 1)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, used = "", 0
        for index, word in enumerate(_words(paragraph)):
            for position, piece in enumerate(phrases(word)):
                space = " " if index and not position and line else ""
                w = width_of(piece)
                if used + len(space) + w <= width:
                    line += space + piece
                    used += len(space) + w
                    continue
                if line:
                    lines.append(line)
                line, used = "", 0
                if w <= width:
                    line, used = piece, w
                    continue
                *full, line = _cut(piece, width)
                lines += full
                used = width_of(line)
        lines.append(line)
    return [line.replace(GLUE, " ") for line in lines]


def _words(paragraph: str) -> list[str]:
    """The space-separated words of ``paragraph``, a number kept with the unit after it
    ("10 cm" is one word: a line never ends in "10" with "cm" on the next)."""
    words: list[str] = []
    for word in _SPACES.split(paragraph.strip(" \t\r\f\v")):
        if words and words[-1][-1:].isdigit() and _UNIT.match(word):
            words[-1] += GLUE + word
        else:
            words.append(word)
    return words


def hang(text: str, width: int, lead: str, indent: int | None = None) -> list[str]:
    """``lead`` and ``text`` wrapped to ``width``, the continuation lines indented
    under the text (or by ``indent`` columns), not under the lead."""
    start = width_of(lead) if indent is None else indent
    body = wrap(text, max(width - max(start, width_of(lead)), 1))
    return [lead + body[0]] + [" " * start + line for line in body[1:]]


def fit(text: str, width: int) -> str:
    """Each line of ``text`` that is wider than ``width`` wrapped, hanging under its
    own indentation and list marker; lines that fit are left exactly as they are.

    For messages composed elsewhere (help, the intro): their layout is kept
    wherever the terminal is wide enough for it.
    """
    out: list[str] = []
    for line in text.split("\n"):
        if "\x1b" in line or width_of(line) <= width:
            out.append(line)  # fits, or carries colour codes whose layout is the renderer's
            continue
        found = _LEAD.match(line)
        lead = found.group(0) if found else ""
        out += hang(line[len(lead) :], width, lead)
    return "\n".join(out)


__all__ = ["fit", "hang", "width_of", "wrap"]
