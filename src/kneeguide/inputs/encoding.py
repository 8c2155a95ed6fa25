"""Bytes to text for every input kneeguide reads, with the encoding said out loud.

One rule for answers files, stdin, batch JSON Lines and CSV (and for any other
text file a command reads, such as a clinic profile or the config):

* UTF-8, with or without a byte order mark (BOM), is read as it is;
* UTF-16 and UTF-32 are read when a BOM says which (PowerShell's ``>`` and
  Excel's "Unicode text" write one);
* anything else is refused, never decoded with replacement characters: one
  line naming ``file:line:col``, the byte, the encoding the bytes look like
  (charset-normalizer, imported only then) and the option that reads them,
  e.g. ``--encoding cp932`` for a CSV from Japanese Excel;
* a NUL character is refused in every encoding: no text format kneeguide reads
  has one, and ASCII text in UTF-16 without a BOM is valid UTF-8 full of NULs,
  so this is how such a file is recognised and named.

:class:`Decoder` decodes in pieces (a pipe, a large batch file) with the same
checks and messages as :func:`decode` on whole bytes. UTF-8 is decoded with
``bytes.decode`` alone, so the common case costs what it did before.
"""

from __future__ import annotations

import codecs
from typing import NamedTuple

from kneeguide.errors import InputError, Location, Problem

#: Byte order marks and the codec that reads the text after one; UTF-32 LE first,
#: since its BOM begins with UTF-16 LE's.
BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

#: When charset-normalizer finds several code pages that fit a short sample equally
#: well (a few names decode as Japanese, Korean and Chinese alike), the first of these
#: wins: kneeguide speaks English and Japanese, so its non-UTF-8 files come from
#: Japanese or Western Windows (Excel's "CSV" on those systems).
PREFERRED = ("cp932", "shift_jis", "euc_jp", "cp1252", "latin_1", "iso8859_15", "cp1250")
#: What a person recognises a code page by, for the message.
DESCRIBED = {
    "cp932": "Shift_JIS, Japanese Windows",
    "shift_jis": "Shift_JIS, Japanese",
    "euc_jp": "EUC-JP, Japanese",
    "cp1252": "Western European Windows",
    "latin_1": "ISO-8859-1, Western European",
    "utf-16-le": "UTF-16 little-endian without a byte order mark",
    "utf-16-be": "UTF-16 big-endian without a byte order mark",
    "utf-32-le": "UTF-32 little-endian without a byte order mark",
    "utf-32-be": "UTF-32 big-endian without a byte order mark",
}
#: charset-normalizer's names → the codec name to give ``--encoding`` (Japanese
#: Excel writes cp932, the Windows superset of Shift_JIS).
_AS_OPTION = {
    "shift_jis": "cp932",
    "shift_jis_2004": "cp932",
    "shift_jisx0213": "cp932",
    "utf_16_le": "utf-16-le",
    "utf_16_be": "utf-16-be",
    "utf_32_le": "utf-32-le",
    "utf_32_be": "utf-32-be",
}
#: The bytes charset-normalizer is shown: enough for a guess, bounded in time.
_SAMPLE = 64 * 1024


def codec_name(name: str) -> str:
    """The Python codec for ``--encoding NAME``; raises :class:`LookupError` for a name that
    is no text encoding (``rot13`` and ``base64`` are codecs but not encodings of text).

    ``utf-8`` skips a BOM as the default does. Shapes: ``"SJIS"`` → ``"shift_jis"``.
    """
    info = codecs.lookup(name)
    if not getattr(info, "_is_text_encoding", True):
        raise LookupError(name)
    return "utf-8" if info.name == "utf-8" else info.name


class Guess(NamedTuple):
    """An encoding the bytes look like: the name for ``--encoding`` and how people know it."""

    name: str
    described: str


def guess(sample: bytes) -> Guess | None:
    """The encoding ``sample`` most likely is, or None when nothing fits (binary data).

    A NUL in every other byte is UTF-16 (every fourth, UTF-32) without a BOM: ASCII
    text in those; otherwise charset-normalizer decides, among the code pages it
    finds equally good, in :data:`PREFERRED` order.
    """
    sample = sample[:_SAMPLE]
    wide = _wide(sample)
    if wide is not None:
        return Guess(wide, DESCRIBED[wide])
    from charset_normalizer import from_bytes  # only ever on the way to a refusal

    matches = list(from_bytes(sample))
    if not matches:
        return None
    best = min(m.chaos for m in matches)
    close = [name for m in matches if m.chaos <= best + 0.1 for name in m.could_be_from_charset]
    close.sort(key=lambda e: PREFERRED.index(e) if e in PREFERRED else len(PREFERRED))
    name = _AS_OPTION.get(close[0], close[0])
    if name in ("utf_8", "utf-8", "ascii"):
        return None  # not what failed to decode
    return Guess(name, DESCRIBED.get(name, ""))


def _wide(sample: bytes) -> str | None:
    """``utf-16-le`` etc. when the NULs sit where ASCII text in that encoding puts them."""
    even, odd = sample[0::2], sample[1::2]
    if len(sample) < 4 or not even or not odd:
        return None
    quads = [sample[i::4] for i in range(4)]
    if quads[1].count(0) == quads[2].count(0) == len(quads[2]) and quads[0].count(0) < len(quads[0]) / 4:
        return "utf-32-le"
    if quads[0].count(0) == quads[1].count(0) == len(quads[1]) and quads[3].count(0) < len(quads[3]) / 4:
        return "utf-32-be"
    if odd.count(0) > len(odd) * 0.6 and even.count(0) < len(even) * 0.1:
        return "utf-16-le"
    if even.count(0) > len(even) * 0.6 and odd.count(0) < len(odd) * 0.1:
        return "utf-16-be"
    return None


class NotText(InputError):
    """Bytes that are not text in the input's encoding; ``before`` is the text decoded
    before them in the same piece, so a reader can still pass on the lines it completes."""

    def __init__(self, problem: Problem, before: str) -> None:
        super().__init__([problem])
        self.before = before


class Decoder:
    """Bytes in pieces → text, checked as :mod:`this module <kneeguide.inputs.encoding>` says.

    ``shown`` names the input in messages; ``encoding`` (``--encoding``) overrides the
    detection; ``option`` is how the message tells a person to choose an encoding (the
    command's own option, e.g. ``"--encoding"``). :meth:`decode` raises
    :class:`NotText` (an :class:`InputError`) at the first problem, located by line and
    column (characters) from the start of the input, with the byte shown in hex.
    ``track=False`` saves counting lines (a tenth of the cost) where an input is
    read again to place a problem: its messages then name the input without a line.
    """

    def __init__(
        self, shown: str, encoding: str | None = None, option: str = "--encoding", *, track: bool = True
    ) -> None:
        self.shown = shown
        self.track = track
        self.option = option
        self.chosen = None if encoding is None else codec_name(encoding)
        # decided by the first bytes unless chosen; --encoding utf-8 reads a BOM as the default does
        self.codec: str | None = None if self.chosen == "utf-8" else self.chosen
        self.head = b""  # the first bytes, until a BOM can be told from text
        self.carry = b""  # UTF-8: the end of a piece that may begin a character
        self.other: codecs.IncrementalDecoder | None = None  # any codec but UTF-8
        self.lines = 0  # line feeds in the text decoded so far
        self.column = 0  # characters after the last of them
        self.sample = b""  # the first bytes, for a guess
        self.offset = 0  # bytes taken before the current piece
        self.bom = False  # the input began with a byte order mark (known once text is decoded)

    def decode(self, data: bytes, final: bool = False) -> str:
        """The text of ``data`` (the next bytes; ``final`` when no more follow)."""
        if self.codec is None:
            self.head += data
            if len(self.head) < 4 and not final:
                return ""
            data, self.head = self.head, b""
            self.codec = "utf-8"
            for bom, codec in BOMS:
                if data.startswith(bom):
                    self.codec, data, self.bom = codec, data[len(bom) :], True
                    break
        if len(self.sample) < _SAMPLE:
            self.sample += data[: _SAMPLE - len(self.sample)]
        text = self._utf8(data, final) if self.codec == "utf-8" else self._other(data, final)
        self.offset += len(data)
        if "\x00" in text:
            self._refuse_nul(text)
        if not self.track:
            return text
        newlines = text.count("\n")
        if newlines:
            self.lines += newlines
            self.column = len(text) - text.rfind("\n") - 1
        else:
            self.column += len(text)
        return text

    def _utf8(self, data: bytes, final: bool) -> str:
        buf = self.carry + data if self.carry else data
        try:
            text = buf.decode("utf-8")
        except UnicodeDecodeError as exc:
            if final or exc.reason != "unexpected end of data" or len(buf) - exc.start > 3:
                self._refuse(buf, exc.start)
            self.carry = buf[exc.start :]
            return buf[: exc.start].decode("utf-8")
        self.carry = b""
        return text

    def _other(self, data: bytes, final: bool) -> str:
        assert self.codec is not None
        if self.other is None:
            self.other = codecs.getincrementaldecoder(self.codec)("strict")
        try:
            return self.other.decode(data, final)
        except UnicodeDecodeError as exc:
            # exc.object is what the decoder held and ``data``, starting at a character
            self._refuse(exc.object, exc.start)
            raise  # pragma: no cover - _refuse raises

    def _where(self, before: str) -> Location:
        """The place after the text decoded so far and ``before``."""
        if not self.track:
            return Location(self.shown)
        newlines = before.count("\n")
        column = len(before) - before.rfind("\n") - 1 if newlines else self.column + len(before)
        return Location(self.shown, self.lines + newlines + 1, column + 1)

    def _refuse(self, buf: bytes, start: int) -> None:
        codec = self.codec or "utf-8"
        before = buf[:start].decode(codec, "replace")
        where = self._where(before)
        byte = f"0x{buf[start]:02x}"
        if self.chosen is not None or codec != "utf-8":
            raise NotText(
                Problem(
                    f"not valid {codec} (byte {byte}); choose the file's encoding with {self.option} NAME",
                    where,
                    "err_encoding_invalid",
                    (("encoding", codec), ("byte", byte), ("option", self.option)),
                ),
                before,
            )
        if self.offset + start < _SAMPLE:  # the first bytes hold the bad one
            sample = self.sample
        else:  # from the start of its line
            line_start = buf.rfind(b"\n", 0, start) + 1
            sample = buf[line_start : line_start + _SAMPLE]
        raise NotText(_not_utf8(where, byte, guess(sample), self.option), before)

    def _refuse_nul(self, text: str) -> None:
        before = text[: text.index("\x00")]
        where = self._where(before)
        wide = _wide(self.sample) if self.chosen is None and self.codec == "utf-8" else None
        if wide is not None:
            shown = f"{wide} ({DESCRIBED[wide]})"
            raise NotText(
                Problem(
                    f"NUL bytes: this looks like {shown}; read it with {self.option} {wide}",
                    where,
                    "err_encoding_wide",
                    (("encoding", shown), ("name", wide), ("option", self.option)),
                ),
                before,
            )
        raise NotText(Problem("a NUL character: this is not a text file", where, "err_encoding_nul"), before)


def _not_utf8(where: Location, byte: str, likely: Guess | None, option: str) -> Problem:
    """The refusal of bytes that are not UTF-8, naming what they look like."""
    if likely is None:
        return Problem(
            f"invalid UTF-8 (byte {byte}); if it is text in another encoding, read it with {option} NAME",
            where,
            "err_encoding_not_utf8",
            (("byte", byte), ("option", option)),
        )
    shown = f"{likely.name} ({likely.described})" if likely.described else likely.name
    return Problem(
        f"invalid UTF-8 (byte {byte}); it looks like {shown}: read it with {option} {likely.name}",
        where,
        "err_encoding_guess",
        (("byte", byte), ("encoding", shown), ("name", likely.name), ("option", option)),
    )


def decode(data: bytes, shown: str, encoding: str | None = None, option: str = "--encoding") -> str:
    """All of ``data`` as text, by the rules of this module; :class:`InputError` otherwise.

    ``shown`` names the input in the message, ``encoding`` is ``--encoding`` (None:
    UTF-8, or what a BOM says), ``option`` how the message names that option.
    """
    return Decoder(shown, encoding, option).decode(data, final=True)


def checked_encoding(name: str | None) -> str | None:
    """``--encoding NAME`` checked for a command's option callback: the name, or
    :class:`ValueError` with the message for a name that is no text encoding."""
    if name is None:
        return None
    try:
        codec_name(name)
    except LookupError:
        raise ValueError(f"unknown encoding '{name}': e.g. cp932, utf-16, latin-1") from None
    return name
