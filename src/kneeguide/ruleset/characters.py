"""Rule text is data, never terminal control (issue 18, item 4): which characters it may hold.

:func:`disguising` names the characters no rule text may hold (why each kind:
:data:`REFUSED_CATEGORIES`); the builder refuses them in every string of every rule file
and translation catalogue (:mod:`kneeguide.ruleset.build.checks`). :func:`escaped` and
:func:`character_name` say them in a message. Pure functions on ``str``; ``unicodedata``
is imported only for text with something unusual in it.
"""

from __future__ import annotations

#: Unicode general categories that no rule text may hold, and why:
#:
#: * ``Cc`` control characters (C0, DEL, C1), the newline alone excepted: ESC and CSI
#:   start terminal sequences (clear the screen, move the cursor, rewrite a line, set the
#:   clipboard), CR and BS overwrite what was shown, BEL rings. TAB is refused too: rule
#:   texts are prose the renderers lay out themselves, and a tab moves to the terminal's
#:   next tab stop, so the same text lines up differently in every output; the writer meant
#:   a space, and nothing a reader needs is lost.
#: * ``Cf`` format characters: invisible by design. The bidirectional embeddings, overrides
#:   and isolates (U+202A-202E, U+2066-2069) and marks (U+200E, U+200F, U+061C) reorder
#:   what follows ("Trojan Source"); zero-width spaces and joiners, the word joiner, the
#:   soft hyphen and a BOM inside text hide between letters, so that two texts that look
#:   alike differ; tag characters carry hidden text. The languages of the rules (English,
#:   Japanese) need none of them.
#: * ``Zl``, ``Zp`` (U+2028, U+2029): line breaks some readers honour and others ignore,
#:   so a text would break differently per output.
#: * ``Cs`` a lone surrogate (a ``"\\ud800"`` escape): no character at all, and it cannot
#:   be written as UTF-8, so the output would fail halfway.
#:
#: Other invisible-looking characters stay allowed, because they reorder or hide nothing:
#: spaces (``Zs``: the ideographic space of Japanese, the no-break space), variation
#: selectors (``Mn``, which pick a glyph's form, as Japanese kanji variants need), private
#: use (``Co``, shown as a glyph or a box) and code points this Python does not know yet
#: (``Cn``: a later Unicode may assign them a visible character).
REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})

#: Names Unicode gives control characters only as aliases (``unicodedata.name`` has none).
_CONTROL_NAMES = {
    0x00: "NULL",
    0x07: "BELL",
    0x08: "BACKSPACE",
    0x09: "CHARACTER TABULATION",
    0x0B: "LINE TABULATION",
    0x0C: "FORM FEED",
    0x0D: "CARRIAGE RETURN",
    0x1B: "ESCAPE",
    0x7F: "DELETE",
    0x85: "NEXT LINE",
    0x9B: "CONTROL SEQUENCE INTRODUCER",
    0x9D: "OPERATING SYSTEM COMMAND",
}


def disguising(text: str) -> tuple[str, ...]:
    """The characters of ``text`` that no rule text may hold (:data:`REFUSED_CATEGORIES`),
    each once, in the order they first occur; () for text that is all plain."""
    if text.isprintable() or text.replace("\n", "").isprintable():
        return ()  # one pass in C for the common case; spaces other than ' ' fall through
    import unicodedata  # only for text with something unusual in it

    found: dict[str, None] = {}
    for ch in text:
        if ch != "\n" and unicodedata.category(ch) in REFUSED_CATEGORIES:
            found[ch] = None
    return tuple(found)


def character_name(ch: str) -> str:
    """``U+001B ESCAPE``, ``U+202E RIGHT-TO-LEFT OVERRIDE``: the code point and its name."""
    import unicodedata

    code = ord(ch)
    name = _CONTROL_NAMES.get(code) or unicodedata.name(ch, "")
    if not name:
        name = "a lone surrogate" if 0xD800 <= code <= 0xDFFF else "a control character"
    return f"U+{code:04X} {name}"


def escaped(text: str) -> str:
    """``text`` with every character :func:`disguising` names written as a Python escape
    (``\\x1b``, ``\\u202e``), and the newline as ``\\n``: safe to show on one line."""
    bad = set(disguising(text))
    if not bad and "\n" not in text:
        return text
    return "".join(_escape(ch) if ch in bad or ch == "\n" else ch for ch in text)


def _escape(ch: str) -> str:
    code = ord(ch)
    if ch == "\n":
        return "\\n"
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"
