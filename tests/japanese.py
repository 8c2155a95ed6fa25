"""A scan of Japanese output for what a native reader would not take for Japanese software.

Pure functions over text: no program is run here (``japanese_scan.py`` gathers the
outputs). Four categories, each hit carrying the line it is on:

* ``english``: a word of two or more ASCII letters with a lowercase letter in it
  ("done", "Yes", "unsure"), outside :data:`ALLOWED_WORDS` and the spans that
  Japanese writing keeps as they are (:func:`masked`: URLs, DOIs, file paths, command
  lines, digests, bibliographic citations and reference-list entries). Upper-case codes
  (DVT, MRI, BL40, NICE NG158) are codes in Japanese clinical writing too and never hit.
* ``punctuation``: Western punctuation doing a Japanese job: ", " "; " ":" next to a
  Japanese character (「理由: A」), half-width parentheses against Japanese text, a
  Western full stop ending a Japanese phrase, and a number range written with "–" or
  "-" in Japanese text (Japanese writes 〜).
* ``kinsoku``: a line (as wrapped on the terminal or in the note) that starts with
  closing punctuation or a small kana, or ends with an opening bracket, which Japanese
  line breaking never allows.
* ``split``: a lone bullet on its own line, or an ASCII word or number broken across
  two lines ("Well" / "sスコア", "10" / ",000件", "9" / "5%").

Why a scan rather than a fixed list of strings: the texts come from rules, messages,
the prompt library and the renderers, and a reworded text or a new prompt must be
checked without anyone remembering to add it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

from wcwidth import wcswidth

ENGLISH, PUNCTUATION, KINSOKU, SPLIT = "english", "punctuation", "kinsoku", "split"
CATEGORIES = (ENGLISH, PUNCTUATION, KINSOKU, SPLIT)

#: Kana, CJK ideographs, CJK symbols and punctuation (、。「」〜), full-width forms (（）：).
_JA = "\u3000-\u303f\u3040-\u309f\u30a0-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
JAPANESE = re.compile(f"[{_JA}]")

#: Words with a lowercase letter that Japanese clinical writing keeps as they are. Each is
#: here for a reason; anything else in English is a hit. Keep this list short.
ALLOWED_WORDS: dict[str, str] = {
    "kneeguide": "the program's name, written as it is, like any product name",
    "Enter": "the label printed on the key: Japanese software says 「Enterキー」",
    "Wells": "eponym: Japanese clinical writing says 「Wellsスコア」",
    "D-dimer": "written D-dimer or Dダイマー in Japanese clinical writing",
    "cm": "unit symbol (SI), used as is in Japanese",
    "mm": "unit symbol (SI)",
    "kg": "unit symbol (SI)",
    "mg": "unit symbol (SI)",
    "mL": "unit symbol (SI)",
    "mmHg": "unit symbol",
    "Cochrane": "the publisher of the reviews cited, named as is (「Cochraneレビュー」)",
    "BAcC": "the British Acupuncture Council's own abbreviation, an organisation's code",
}

#: What Japanese writing keeps in ASCII whatever the language around it. Each pattern's
#: span is blanked before the ``english`` and ``punctuation`` checks.
_KEPT = [
    re.compile(r"https?://\S+"),  # URLs
    re.compile(r"\bdoi:\s*\S+|\b10\.\d{4,9}/\S+", re.I),  # DOIs
    re.compile(r"\bPMID:?\s*\d+"),  # PubMed ids
    re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),  # e-mail addresses (a clinic's)
    re.compile(r"\bsha256:[0-9a-f]*|\b[0-9a-f]{16,}\b"),  # digests, also a wrapped half
    # file paths, also the part of one the terminal wrapped onto the next line, file
    # names and suffixes (the saved session, the note's default name, ".html")
    re.compile(
        r"(?<![\w/])(?:~|\.{1,2})?/[\w.\-/]+|[\w.\-/]*\.(?:json|html?|md|txt|ya?ml|po|pdf|csv)(?![A-Za-z0-9])"
    ),
    re.compile(r"(?<![\w-])--[a-z][\w-]*"),  # an option the user is told to type (--details)
    re.compile(r"(?<![\w.])v?\d+\.\d+\.\d+\b"),  # version strings
]

#: A command line the user is told to type: kneeguide, its command, options and values.
_COMMAND = re.compile(
    r"(?:\S*python[\d.]*\s+-m\s+)?(?<![A-Za-z0-9_])kneeguide"
    r"(?:(?:\s+|[ \t]+\\\n[ \t]*)(?:assess|questions|interview|note|export|batch|rules|config|--?[\w-]+))"
    r"(?:(?:[ \t]+|[ \t]+\\\n[ \t]*)"  # words apart, or a shell line continuation (" \" at a line end)
    r"(?:--?[\w-]+(?:=\S+)?|[\w~.\-]*/[\w./~\-]*|[\w.\-]+\.\w+"  # options, paths, files
    r"|'[^'\n]*'|\"[^\"\n]*\"|…|\.\.\.|[A-Z_]+))*"  # quoted values, "…", placeholders
)
#: The rest of a command the terminal wrapped onto the next rows: Latin text, no indent.
_COMMAND_GOES_ON = re.compile(r"[!-~]+(?: [!-~]+)*")

#: A citation: author "et al.", a year, or a guideline's or review's code. A parenthesis
#: holding only ASCII with one of these in it is bibliographic (English papers keep
#: their English names): "(Vickers et al. 2012, Arch Intern Med)", "（Stiell 1995/1996）".
_CITATION = re.compile(r"\bet al\b|\b(?:19|20)\d\d\b|\b(?:NG|QS|CG|CD)\d+\b")

#: The headings of a reference list; its entries are bibliographic and not scanned,
#: except those the project wrote itself (:data:`OWN_SOURCES`), which it can translate.
REFERENCE_HEADINGS = ("参考文献", "References")
OWN_SOURCES = re.compile(r"^kneeguide\b")

#: Characters that never start a line in Japanese (JIS X 4051 line-start prohibitions):
#: closing brackets, 、。and their full-width Western forms, middle dot, prolonged sound
#: mark, iteration marks and small kana; plus ASCII closing punctuation.
LINE_START_FORBIDDEN = (
    "、。，．・：；？！」』）】〕〉》］｝〙〗〟’”ゝゞヽヾー々"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ"
    ",;:)]}"
)

#: Characters that never end a line: opening brackets and quotes (the other half of kinsoku).
LINE_END_FORBIDDEN = "（「『【〔〈《［｛〘〖〝‘“(["

#: Frame characters around the text (the report's boxes, the note's quote, the pointer).
_FRAME = "│┃║|»> \t"
_BULLETS = {"•", "・", "*", "-", "●", "○", "◦", "‣", "»"}

#: Latin letters, accented ones too (romanised Japanese: Ichū, Yōryōsen).
_ACCENTED = "\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"
_LATIN = "A-Za-z" + _ACCENTED
_WORD = re.compile(f"[{_LATIN}][{_LATIN}0-9]*(?:[-'’][{_LATIN}0-9]+)*")
#: A run of Latin-script text: printable ASCII and accented letters.
_ASCII_RUN = re.compile(f"[\x20-\x7e{_ACCENTED}]+")
_TOKEN = re.compile(r"[A-Za-z0-9]+")
#: Blanks and frames, line breaks included: what lies between two parts of wrapped text.
_WRAP = " \t\u00a0│┃║\n"
#: A numbered list's marker ("1. "), whose full stop is the list's, not a sentence's.
_NUMBERED = re.compile(r"[ \t│]*\d+")
#: A number range; not a postal code (〒132-0031) nor a part of a phone number or address.
_RANGE = re.compile(r"(?<![\d.,\-–〒])\d+(?:\.\d+)?[ \t]*[–—-][ \t]*(?!0\d)\d+(?:\.\d+)?(?![\d\-–])")


@dataclass(frozen=True)
class Hit:
    """One finding: its category, the kind within it, the line (1-based) and its text,
    the piece of the line that is wrong and a few characters around it (``context``: what
    to search the rules and the code for)."""

    category: str
    kind: str
    line: int
    text: str
    found: str
    context: str = ""

    def __str__(self) -> str:
        return f"{self.category}/{self.kind} line {self.line}: {self.found!r} in {self.text!r}"


def is_japanese(ch: str) -> bool:
    return bool(ch) and JAPANESE.match(ch) is not None


def _blank(chars: list[str], start: int, end: int) -> None:
    for i in range(start, end):
        if chars[i] != "\n":
            chars[i] = " "


def _citations(text: str) -> Iterator[tuple[int, int]]:
    """Spans of parentheses (half- or full-width, nested, across lines) holding a citation."""
    for opening, closing in (("(", ")"), ("（", "）")):
        stack: list[int] = []
        for i, ch in enumerate(text):
            if ch == opening:
                stack.append(i)
            elif ch == closing and stack:
                start = stack.pop()
                inside = text[start + 1 : i]
                own = OWN_SOURCES.match(inside.strip()) is not None  # ours to translate
                if not JAPANESE.search(inside) and _CITATION.search(inside) and not own:
                    yield start, i + 1


def _heading(line: str, following: str) -> str | None:
    """The text of ``line`` when it is a heading (Markdown ``#``, or underlined with = or -)."""
    stripped = line.strip()
    if stripped.startswith("#"):
        return stripped.lstrip("#").strip()
    if stripped and re.fullmatch(r"[=\-]{3,}", following.strip()):
        return stripped
    return None


def _references(lines: list[str]) -> Iterator[int]:
    """The lines of reference-list entries under a reference heading that are someone
    else's publications (bibliographic, kept in their own language)."""
    inside = False
    own = False
    for n, line in enumerate(lines):
        following = lines[n + 1] if n + 1 < len(lines) else ""
        title = _heading(line, following)
        if title is not None:
            inside = title.rstrip(":：").endswith(REFERENCE_HEADINGS)
            continue
        if not inside:
            continue
        stripped = line.strip()
        if not stripped or re.fullmatch(r"[=\-]{3,}", stripped):
            continue
        entry = re.match(r"\s*(?:[-*•]|\d+\.)\s+(.*)", line)
        if entry:
            own = OWN_SOURCES.match(entry.group(1)) is not None
        elif not line[:1].isspace():
            inside = False  # back to running text
            continue
        if not own:
            yield n


def masked(text: str, kept: Iterable[str] = ()) -> str:
    """``text`` with everything Japanese writing keeps in ASCII blanked (same length, same
    lines): URLs, DOIs, PMIDs, e-mail, digests, paths, command lines, versions, citations,
    other people's entries in a reference list, and the words in ``kept``."""
    chars = list(text)
    names = sorted(set(kept), key=len, reverse=True)
    extra = [re.compile(r"(?<![\w])(?:" + "|".join(map(re.escape, names)) + r")(?![\w])")] if names else []
    for pattern in [*_KEPT, *extra]:
        for m in pattern.finditer(text):
            _blank(chars, m.start(), m.end())
    for start, end in _citations(text):
        _blank(chars, start, end)
    full = max((wcswidth(line) for line in text.split("\n")), default=0)  # a terminal's width
    for m in _COMMAND.finditer(text):
        _blank(chars, m.start(), m.end())
        end = m.end()
        # A command that fills its row to the terminal's edge goes on on the next row.
        while (
            end < len(text)
            and text[end] == "\n"
            and wcswidth(text[text.rfind("\n", 0, end) + 1 : end]) >= full
        ):
            goes_on = _COMMAND_GOES_ON.match(text, end + 1)
            if goes_on is None or text[goes_on.end() : goes_on.end() + 1] not in ("", "\n"):
                break
            _blank(chars, goes_on.start(), goes_on.end())
            end = goes_on.end()
    lines = text.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    for n in _references(lines):
        _blank(chars, starts[n], starts[n] + len(lines[n]))
    return "".join(chars)


def _next_visible(text: str, i: int, blanks: str = " \t\u00a0│┃║") -> str:
    """The first character at or after ``i`` on the same line that is not a blank or a frame."""
    while i < len(text) and text[i] in blanks:
        i += 1
    return text[i] if i < len(text) else ""


def _previous_visible(text: str, i: int, blanks: str = " \t\u00a0│┃║") -> str:
    """The last character before ``i`` on the same line that is not a blank or a frame."""
    i -= 1
    while i >= 0 and text[i] in blanks:
        i -= 1
    return text[i] if i >= 0 else ""


def _english(line: str) -> Iterator[tuple[str, str]]:
    """English words on a (masked) line, one hit per phrase: the words of one run of ASCII
    text, from the first word that is not allowed to the last ("Use arrow keys")."""
    for segment in _ASCII_RUN.finditer(line):
        flagged = []
        for m in _WORD.finditer(segment.group()):
            word = m.group()
            letters = re.sub(f"[^{_LATIN}]", "", word)
            if len(letters) < 2 or letters.isupper() or word in ALLOWED_WORDS:
                continue
            flagged.append(m)
        if flagged:
            yield "words", segment.group()[flagged[0].start() : flagged[-1].end()]


def _numbered(text: str, i: int) -> bool:
    """Whether the full stop at ``i`` ends a numbered list's marker ("1. ")."""
    return _NUMBERED.fullmatch(text, text.rfind("\n", 0, i) + 1, i) is not None


def _punctuation(text: str) -> Iterator[tuple[int, str, str]]:
    """(offset, kind, piece) of Western punctuation doing a Japanese job in ``text``."""
    for i, ch in enumerate(text):
        before = text[i - 1] if i else ""
        after = text[i + 1] if i + 1 < len(text) else ""
        if ch in ",;:":
            if is_japanese(before) or is_japanese(_next_visible(text, i + 1)):
                yield i, "separator", ch + (" " if after == " " else "")
        elif ch == "(":
            if is_japanese(after) or is_japanese(_previous_visible(text, i)):
                yield i, "parenthesis", ch
        elif ch == ")":
            if is_japanese(before) or is_japanese(_next_visible(text, i + 1)):
                yield i, "parenthesis", ch
        elif ch == "." and after in ("", " ", "\n") and not _numbered(text, i):
            ahead = _next_visible(text, i + 1) if after == " " else ""
            if is_japanese(before) or is_japanese(ahead):
                yield i, "full stop", ch
    for m in _RANGE.finditer(text):  # a wrapped range may open its line: look across the break
        before, after = _previous_visible(text, m.start(), _WRAP), _next_visible(text, m.end(), _WRAP)
        if is_japanese(before) or is_japanese(after):
            yield m.start(), "range", m.group()


def _framed(line: str) -> str:
    """The text of a line without its frame: box sides, the quote mark, the pointer."""
    return line.strip(_FRAME)


def _kinsoku(line: str) -> Iterator[tuple[str, str]]:
    text = _framed(line)
    if text and text[0] in LINE_START_FORBIDDEN and not re.match(r"[-:]{3,}|[|:-]+$", text):
        yield "line start", text[0]
    if text and text[-1] in LINE_END_FORBIDDEN:
        yield "line end", text[-1]


def _splits(lines: list[str], n: int, vocabulary: frozenset[str]) -> Iterator[tuple[str, str]]:
    """A lone bullet on line ``n``, or an ASCII word or number broken between lines n-1 and n."""
    text = _framed(lines[n]) if lines[n].strip() else ""
    if text in _BULLETS:
        yield "lone bullet", text
        return
    if n == 0 or not text or not lines[n - 1].strip():
        return
    previous = lines[n - 1].rstrip().rstrip("│┃║").rstrip()
    if not previous or not previous[-1].isascii() or not previous[-1].isalnum():
        return
    head_match = re.match(r"[A-Za-z0-9]+|[,.][0-9]+|%", text)
    if head_match is None:
        return
    tail = re.search(r"[A-Za-z0-9]+$", previous)
    assert tail is not None
    a, b = tail.group(), head_match.group()
    if re.fullmatch(r"[0-9a-f]{16,}", a + b):
        return  # a digest is longer than any line: cut where it must be
    if re.search(r"/\S*$", previous):
        return  # so is a file path wider than the terminal (a session's, in the resume hint)
    numeric = a.isdigit() and (b.isdigit() or b[0] in ",.%")
    word = (a + b) in vocabulary and not (a in vocabulary and b in vocabulary)
    if numeric or word:
        yield "split word", f"{a}⏎{b}"


def scan(text: str, *, vocabulary: Iterable[str] = (), kept: Iterable[str] = ()) -> list[Hit]:
    """Every hit in ``text``, line by line, in order. ``vocabulary``: ASCII words as they
    are written whole (from an unwrapped rendering of the same texts), to tell "Well" /
    "s" (a word cut in two) from "Arch" / "Intern" (two words broken at their space).
    ``kept``: names that stay in Latin letters in this output (see japanese_scan.kept)."""
    known = frozenset(vocabulary)
    lines = text.split("\n")
    hidden = masked(text, kept)
    hidden_lines = hidden.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)

    def line_of(offset: int) -> int:
        lo, hi = 0, len(lines) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if offsets[mid] <= offset:
                lo = mid
            else:
                hi = mid - 1
        return lo

    hits: list[Hit] = []
    for n, line in enumerate(hidden_lines):
        hits += [Hit(ENGLISH, kind, n + 1, lines[n].strip(), found, found) for kind, found in _english(line)]
    for offset, kind, found in _punctuation(hidden):
        n = line_of(offset)
        around = text[max(offset - 5, offsets[n]) : min(offset + len(found) + 3, offsets[n + 1] - 1)]
        hits.append(Hit(PUNCTUATION, kind, n + 1, lines[n].strip(), found, around.strip(_FRAME)))
    for n, line in enumerate(lines):
        for kind, found in _kinsoku(line):
            framed = _framed(line)
            context = framed[:6] if kind == "line start" else framed[-6:]
            hits.append(Hit(KINSOKU, kind, n + 1, line.strip(), found, context))
        for kind, found in _splits(lines, n, known):
            shown = f"{lines[n - 1].strip()}⏎{line.strip()}" if kind == "split word" else line.strip()
            hits.append(Hit(SPLIT, kind, n + 1, shown, found, found))
    hits.sort(key=lambda h: (h.line, CATEGORIES.index(h.category)))
    return hits


def words(*texts: str) -> set[str]:
    """The ASCII words and numbers in ``texts``: a vocabulary for :func:`scan`."""
    return {t for text in texts for t in _TOKEN.findall(text)}


# --- structured outputs ---------------------------------------------------------------------

#: JSON keys whose strings are citations of published sources (English papers keep
#: their English titles), not text written for the reader.
BIBLIOGRAPHIC_KEYS = frozenset({"source", "sources", "citation", "reference", "title_original"})
#: JSON keys of an acupuncture point that name it in other scripts for scripts to choose from
#: (``name``: the pinyin, ``ja_reading``: the romanised reading); a Japanese reader is given
#: ``hanzi`` and ``kana``, as the text and note outputs show (委中（いちゅう）BL40).
POINT_NAME_KEYS = frozenset({"name", "ja_reading"})
#: A JSON string that is an id, an enum value, a code or a number: not prose. (A single
#: English word in a text field would pass for an id too: the text and Markdown outputs,
#: which show the same texts, catch it.)
_IDENTIFIER = re.compile(r"[A-Za-z0-9_.:+#/\-]*")


def json_texts(data: Any, key: str = "") -> Iterator[str]:
    """The reader's texts in a JSON document: its string values (never its keys), less
    ids and codes (``"level": "urgent"``) and the citations of published sources."""
    if isinstance(data, dict):
        point = "hanzi" in data and "kana" in data
        for k, v in data.items():
            if point and k in POINT_NAME_KEYS:
                continue
            if k not in BIBLIOGRAPHIC_KEYS:
                yield from json_texts(v, k)
            elif isinstance(v, str) and OWN_SOURCES.match(v):  # the project's own: to translate
                yield v
    elif isinstance(data, list):
        for v in data:
            yield from json_texts(v, key)
    elif isinstance(data, str) and data.strip() and not _IDENTIFIER.fullmatch(data):
        yield data


class _Visible(HTMLParser):
    """The text a browser shows: no markup, no <style>/<script>/<head>; block elements on
    their own lines, headings as Markdown headings and list items as "- " entries, so
    the same scan (reference lists included) reads it."""

    BLOCKS = frozenset({"p", "div", "section", "article", "header", "footer", "main", "aside", "table", "tr",
                        "ul", "ol", "dl", "dt", "dd", "li", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6",
                        "blockquote", "pre", "figure", "figcaption", "address"})  # fmt: skip
    HIDDEN = frozenset({"style", "script", "head", "title", "template"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.HIDDEN:
            self.hidden += 1
        elif tag in self.BLOCKS:
            self.out.append("\n")
            if re.fullmatch(r"h[1-6]", tag):
                self.out.append("#" * int(tag[1]) + " ")
            elif tag == "li":
                self.out.append("- ")
        elif tag in ("td", "th"):
            self.out.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in self.BLOCKS:
            self.out.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.out.append(" ".join(data.split("\n")))


def visible_text(html: str) -> str:
    """The visible text of an HTML page, one block a line."""
    parser = _Visible()
    parser.feed(html)
    parser.close()
    lines = (line.strip() for line in "".join(parser.out).split("\n"))
    return "\n".join(line for line in lines if line)


def summary(hits: Iterable[Hit]) -> dict[str, int]:
    """Hits counted per category (every category present, zero or not)."""
    counts = dict.fromkeys(CATEGORIES, 0)
    for hit in hits:
        counts[hit.category] += 1
    return counts


def unique(hits: Iterable[Hit]) -> list[Hit]:
    """One hit per distinct finding on a distinct line text (a prompt redrawn after each
    key, or a line shown again on the next screen, counts once)."""
    seen: set[tuple[str, str, str, str]] = set()
    out = []
    for hit in hits:
        key = (hit.category, hit.kind, hit.text, hit.found)
        if key not in seen:
            seen.add(key)
            out.append(hit)
    return out
