"""Which encoding bytes that failed to decode most likely are, for the refusal to name.

Apart from :mod:`kneeguide.inputs.encoding` (which decodes, and refuses what is not
text) because guessing is needed only on the way to a refusal, and then leans on a
library: charset-normalizer decides among code pages and is imported inside
:func:`guess` alone, so a run whose input decodes never loads it. What this module
adds to the library is what kneeguide knows of its users: which code pages to prefer
when several fit (:data:`PREFERRED`), the name to give ``--encoding``, and how a
person recognises each (:data:`DESCRIBED`). UTF-16 and UTF-32 text without a byte
order mark is recognised here by where its NULs sit (:func:`wide_encoding`).
"""

from __future__ import annotations

from typing import NamedTuple

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


class Guess(NamedTuple):
    """An encoding the bytes look like: the name for ``--encoding`` and how people know it."""

    name: str
    described: str


def guess(sample: bytes) -> Guess | None:
    """The encoding ``sample`` (the first bytes, :data:`kneeguide.inputs.encoding.SAMPLE` at
    most: enough for a guess, bounded in time) most likely is, or None when nothing fits.

    A NUL in every other byte is UTF-16 (every fourth, UTF-32) without a BOM: ASCII
    text in those; otherwise charset-normalizer decides, among the code pages it
    finds equally good, in :data:`PREFERRED` order.
    """
    wide = wide_encoding(sample)
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


def wide_encoding(sample: bytes) -> str | None:
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
