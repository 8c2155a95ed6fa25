"""Text that came from outside kneeguide, made safe for where it is shown (issue 16).

An id, a value, a file name, a patient's or a clinic's name arrive from files and
options that anyone may have written. Shown as they came they can act instead of being
read: an escape sequence clears the terminal or writes the clipboard (OSC 52), a
right-to-left override turns ``exe.txt`` into ``txt.exe``, a newline in a name starts a
heading of its own in a Markdown note, ``[x](javascript:…)`` becomes a live link.
Each function here keeps every character visible and the text on its line:

* :func:`terminal`: for a message on a terminal (stderr, the text report): C0 and C1
  control characters, DEL, and the invisible bidirectional controls written as escapes
  (``\\x1b``, ``\\n``, ``\\u202e``), as Python writes them;
* :func:`one_line`: a field of a letter (any format): line breaks and tabs become one
  space (a two-line address reads the same on one line), the other controls as in
  :func:`terminal`;
* :func:`markdown`: :func:`one_line`, then every character CommonMark (and GitHub's
  tables and strikethrough) gives a meaning backslash-escaped, and a line start that
  would open a block (``#``, ``>``, ``-``, ``+``, ``=``, ``1.``) escaped too: no
  heading, list, quote, emphasis, code, HTML or link can come from the field;
* :func:`plain`: :func:`one_line` for the plain-text letter, with a word that looks like
  its markup (``***`` of the banner, ``===``/``---`` rulers, ``[Heading]``) escaped with
  a backslash, so that wrapping cannot start a line that reads as one of the letter's
  own; everything else as written (plain text has no other markup).

Pure functions on ``str``; no imports beyond ``re``, so the error path stays light.
"""

from __future__ import annotations

import re

#: Invisible characters that reorder or mark text direction (LRE…RLO, LRI…PDI, LRM, RLM,
#: ALM): a name can hide behind them or reverse what follows it.
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
#: Characters that end a line in some reader: written as escapes on a terminal, as a
#: space in a letter.
BREAKS = "\n\r\t\v\f\x1c\x1d\x1e\x85\u2028\u2029"

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _code(ch: str) -> str:
    code = ord(ch)
    if ch in _NAMED:
        return _NAMED[ch]
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


#: Every character :func:`terminal` writes as an escape, and the escape.
_TERMINAL = {
    ord(ch): _code(ch)
    for ch in (
        *(chr(c) for c in range(0x20)),
        "\x7f",
        *(chr(c) for c in range(0x80, 0xA0)),
        *BIDI,
        "\u2028",
        "\u2029",
    )
}
#: :data:`_TERMINAL` with the line breaks as one space each (see :func:`one_line`).
_LETTER = {**_TERMINAL, **{ord(ch): " " for ch in BREAKS}}
_SPACES = re.compile(r" {2,}")


def terminal(text: str) -> str:
    """``text`` with every control character, DEL and bidirectional control written as an
    escape (``"\\x1b[2J"`` → ``\\x1b[2J``, a newline as ``\\n``): shown, never acted on."""
    if text.isprintable() and text.isascii():  # the common case costs one check
        return text
    return text.translate(_TERMINAL)


def one_line(text: str) -> str:
    """A person-given field of a letter on one line: line breaks and tabs as one space,
    runs of spaces as one, no space at either end, other controls as escapes."""
    if not (text.isprintable() and text.isascii()):
        text = text.translate(_LETTER)
    if "  " in text:
        text = _SPACES.sub(" ", text)
    return text.strip()


#: Characters with a meaning anywhere in a CommonMark (or GitHub) line: emphasis, code,
#: links and images (``![`` needs its ``[``), raw HTML and autolinks, entities,
#: strikethrough, table cells, escapes.
_MD_INLINE = re.compile(r"([\\`*_\[\]<>&~|])")
#: A line start that opens a block: heading, quote, list item, setext underline, thematic
#: break, fenced code, an ordered list item.
_MD_START = re.compile(r"^(?:[#>+=\-]|(\d{1,9})([.)]))")


def markdown(text: str) -> str:
    """A person-given field for a Markdown note: on one line (:func:`one_line`), every
    character with an inline meaning backslash-escaped and a block-opening start escaped,
    so it reads in any renderer exactly as typed: ``# x`` stays text, ``**`` two
    asterisks, ``[a](javascript:…)`` and ``<https://…>`` no links, ``<script>`` text."""
    text = _MD_INLINE.sub(r"\\\1", one_line(text))
    return _MD_START.sub(lambda m: f"{m.group(1)}\\{m.group(2)}" if m.group(1) else f"\\{m.group(0)}", text)


#: A word the plain-text letter could take for its own markup at the start of a line:
#: the banner's ``***``, a ruler or underline of ``=`` or ``-`` (which under a wrapped
#: line would make that line a heading), a bracketed run-in heading (``[Findings]``,
#: ``【所見】``, a bracketed group that ends a word). Nothing else: a clinic's ``#2`` or an
#: address's ``*`` mean nothing in plain text and are shown as written. A word starts
#: after a space, or after any character that is not ASCII: Japanese is wrapped between
#: phrases, with no space.
_TEXT_MARK = re.compile(
    r"(?:^|(?<=[^\x21-\x7e]))"  # a word's start
    r"(?=\*{3}|={2,}|-{2,}|\[[^\]]*\](?!\S)|【[^】]*】)"  # banner, ruler, [Heading], 【見出し】
)


def plain(text: str) -> str:
    """A person-given field for the plain-text letter: on one line (:func:`one_line`), and
    a word that begins like the letter's own markup (see :data:`_TEXT_MARK`) preceded by a
    backslash, so that no wrapped line can read as a heading, banner, ruler or list item."""
    return _TEXT_MARK.sub("\\\\", one_line(text))


#: :data:`_TERMINAL` but the line feed, which ends a record.
_RECORDS = {k: v for k, v in _TERMINAL.items() if k != ord("\n")}
#: What JSON writes as is and a terminal would act on (DEL, C1, bidirectional controls,
#: line separators), as JSON escapes: the same data, shown.
_JSON = {ord(ch): f"\\u{ord(ch):04x}" for ch in ("\x7f", *(chr(c) for c in range(0x80, 0xA0)), *BIDI)}
_JSON.update({0x2028: "\\u2028", 0x2029: "\\u2029"})


def terminal_records(text: str, json: bool) -> str:
    """Records (one a line) for a terminal: JSON Lines with the characters JSON leaves as
    they are but a terminal acts on written as JSON escapes (the same data); CSV with every
    control character but the line feed written as :func:`terminal` writes it."""
    if text.isascii() and (json or text.replace("\n", "").isprintable()):
        return text
    return text.translate(_JSON if json else _RECORDS)
