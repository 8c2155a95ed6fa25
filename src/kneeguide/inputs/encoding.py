"""Bytes to text for every input kneeguide reads, with the encoding said out loud.

One rule for answers files, stdin, batch JSON Lines and CSV (and for any other
text file a command reads, such as a clinic profile or the config):

* UTF-8, with or without a byte order mark (BOM), is read as it is;
* UTF-16 and UTF-32 are read when a BOM says which (PowerShell's ``>`` and
  Excel's "Unicode text" write one);
* anything else is refused, never decoded with replacement characters: one
  line naming ``file:line:col``, the byte, the encoding the bytes look like
  (:mod:`kneeguide.inputs.encoding_guess`) and the option that reads them,
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
from typing import TYPE_CHECKING

from kneeguide.errors import InputError, Location, Problem

if TYPE_CHECKING:
    from kneeguide.inputs.encoding_guess import Guess

#: The first bytes of an input kept for guessing its encoding when it is refused
#: (:mod:`kneeguide.inputs.encoding_guess`, imported only then).
SAMPLE = 64 * 1024

#: Byte order marks and the codec that reads the text after one; UTF-32 LE first,
#: since its BOM begins with UTF-16 LE's.
BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def codec_name(name: str) -> str:
    """The Python codec for ``--encoding NAME``; raises :class:`LookupError` for a name that
    is no text encoding (``rot13`` and ``base64`` are codecs but not encodings of text).

    ``utf-8`` skips a BOM as the default does. Shapes: ``"SJIS"`` → ``"shift_jis"``.
    """
    info = codecs.lookup(name)
    if not getattr(info, "_is_text_encoding", True):
        raise LookupError(name)
    return "utf-8" if info.name == "utf-8" else info.name


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
        if len(self.sample) < SAMPLE:
            self.sample += data[: SAMPLE - len(self.sample)]
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
        if self.offset + start < SAMPLE:  # the first bytes hold the bad one
            sample = self.sample
        else:  # from the start of its line
            line_start = buf.rfind(b"\n", 0, start) + 1
            sample = buf[line_start : line_start + SAMPLE]
        from kneeguide.inputs.encoding_guess import guess

        raise NotText(_not_utf8(where, byte, guess(sample), self.option), before)

    def _refuse_nul(self, text: str) -> None:
        from kneeguide.inputs.encoding_guess import DESCRIBED, wide_encoding

        before = text[: text.index("\x00")]
        where = self._where(before)
        wide = wide_encoding(self.sample) if self.chosen is None and self.codec == "utf-8" else None
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
