"""Output for a standard output that cannot hold every character (issue 14: any terminal).

A Japanese Windows console writes cp932, a bare locale ASCII: the report's box corners,
bullets and dashes, and in ASCII any Japanese, have no code there, and writing them
used to stop the command with ``UnicodeEncodeError``. Each kind of output gets an
error handler that keeps it whole:

* ``json``: a character the stream lacks becomes a JSON escape (``\\u2013``, a surrogate
  pair above U+FFFF), so the document parses to exactly the same data;
* ``html``: a character reference (``&#8211;``), which the browser shows as the character;
* ``text``: the nearest look-alike the stream has (``+-|`` for box drawing, ``*`` for a
  bullet, ``-`` for a dash, ``...``, straight quotes, ``>=``), or the accent-free letter
  (``e`` for ``é``); a character with no look-alike (Japanese on an ASCII stream) is shown
  as its code, ``\\u65e5``, so nothing is dropped unseen.

A UTF-8 stream never calls a handler: its output is unchanged.

Some code pages hold a character only as another: cp932 writes 〜 (WAVE DASH) and −
(MINUS SIGN) with the bytes it reads back as ～ and －. Text may take that look-alike,
but a JSON or HTML document must read back as exactly the same data, so there such a
character is escaped too (:class:`_Exact`).

Standard output written whole, or a clear failure: :mod:`kneeguide.cli.stdout`.
"""

from __future__ import annotations

import codecs
import sys
from typing import Any, Literal, TextIO

Kind = Literal["json", "html", "text"]

#: Look-alikes for the characters the reports use that a legacy code page may lack.
LOOK_ALIKES = {
    "\u2022": "*",  # bullet
    "\u2023": ">",
    "\u25cf": "*",
    "\u00b7": "*",
    "\u30fb": "*",
    "\u2013": "-",  # en dash
    "\u2014": "-",  # em dash
    "\u2212": "-",  # minus
    "\u2010": "-",
    "\u2011": "-",
    "\u2026": "...",
    "\u2018": "'",
    "\u2019": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u2265": ">=",
    "\u2264": "<=",
    "\u2192": "->",
    "\u00bb": ">>",  # the report's last line, the action
    "\u2190": "<-",
    "\u00d7": "x",
    "\u00a0": " ",
    "\u2009": " ",
    "\u2713": "v",
    "\u2714": "v",
    "\u2717": "x",
    "\u00b0": " deg",
    "\u00b5": "u",
}


def _box(ch: str) -> str | None:
    """Box drawing (U+2500-U+257F) as ``-``, ``|`` or ``+``, by the character's own name."""
    if not "\u2500" <= ch <= "\u257f":
        return None
    import unicodedata  # only once a stream lacks a character: not on every start-up

    name = unicodedata.name(ch, "")
    across, down = "HORIZONTAL" in name, "VERTICAL" in name
    if across and not down:
        return "-"
    if down and not across:
        return "|"
    return "+"


def _escape(ch: str) -> str:
    code = ord(ch)
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def _encodable(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def _look_alike(ch: str, encoding: str) -> str:
    known = LOOK_ALIKES.get(ch) or _box(ch)
    if known is not None and _encodable(known, encoding):
        return known
    import unicodedata

    plain = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
    if plain and plain != ch and _encodable(plain, encoding):
        return plain
    return _escape(ch)


def _text_handler(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    part = error.object[error.start : error.end]
    return "".join(_look_alike(ch, error.encoding) for ch in part), error.end


def _json_handler(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    return "".join(_escape(ch) for ch in error.object[error.start : error.end]), error.end


codecs.register_error("kneeguide-text", _text_handler)
codecs.register_error("kneeguide-json", _json_handler)

_HANDLERS: dict[Kind, str] = {"json": "kneeguide-json", "html": "xmlcharrefreplace", "text": "kneeguide-text"}


def output_as(kind: Kind) -> None:
    """Make standard output keep ``kind`` of output whole in any encoding (see the module)."""
    stream = sys.stdout
    if isinstance(stream, _Exact):
        stream = stream.stream
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None:  # a real text stream (tests may swap in a plain buffer)
        reconfigure(errors=_HANDLERS[kind])
    encoding = codecs.lookup(getattr(stream, "encoding", None) or "utf-8").name
    if kind != "text" and not encoding.startswith("utf"):
        sys.stdout = _Exact(stream, kind, encoding)
    else:
        sys.stdout = stream


class _Exact:
    """Standard output for a JSON or HTML document on a stream whose code page reads some
    characters back as others (see the module): each such character is written as an
    escape (JSON ``\\u301c``, HTML ``&#12316;``); everything else goes through as is."""

    def __init__(self, stream: TextIO, kind: Kind, encoding: str) -> None:
        self.stream = stream
        self.kind = kind
        self.encoding = encoding
        self.lossy: dict[str, bool] = {}

    def _changed(self, ch: str) -> bool:
        found = self.lossy.get(ch)
        if found is None:
            try:
                found = ch.encode(self.encoding).decode(self.encoding) != ch
            except UnicodeError:
                found = False  # not encodable at all: the stream's error handler escapes it
            self.lossy[ch] = found
        return found

    def write(self, text: str) -> int:
        if not text.isascii():
            text = "".join(
                (_escape(ch) if self.kind == "json" else f"&#{ord(ch)};")
                if ch > "\x7f" and self._changed(ch)
                else ch
                for ch in text
            )
        return self.stream.write(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)
