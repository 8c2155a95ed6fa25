"""How texts are joined in each language: one source for every renderer (the report, the
note) and every piece of punctuation that code puts between texts.

Each piece is a message (``rules/messages.yaml``), so each language writes it its own way:
English "Why: a; b", "Points 2–6.", "(more likely)"; Japanese 「判断の理由：a／b」「2〜6点。」
「（可能性が高い）」 with no space between sentences. Renderers join texts through
:class:`Typography` and never with a literal ", " or ": ". :func:`point_label` names an
acupuncture point as the reader's language writes it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from kneeguide.engine import PointResult
from kneeguide.ruleset.model import RuleSet

#: Where a sentence already ends: a full stop is not added after these.
_ENDS = (".", "。", "!", "！", "?", "？")


def fmt_points(value: float) -> str:
    """Points as written: ``2``, ``-2``, ``1.5`` (no trailing zeros)."""
    return f"{value:g}"


class Typography(NamedTuple):
    """How texts are joined in one language, each from its message (``rules/messages.yaml``):

    ====================  ======================  =========================
    method                English                 Japanese
    ====================  ======================  =========================
    ``label``             ``Why: text``           ``判断の理由：text``
    ``paren``             ``text (note)``         ``text（note）``
    ``tag``               ``title [level]``       ``title【level】``
    ``bracket``           ``[for]``               ``【支持】``
    ``because``           ``text: reasons``       ``text（reasons）``
    ``span``              ``2–6``                 ``2〜6``
    ``points``            ``Points 2–6``          ``2〜6点``
    ``sentence``          ``text.``               ``text。``
    ``sentences``         ``A. B.``               ``A。B。``
    ``quantity``          ``3 days`` / ``1 day``  ``3日``
    ``items``             ``a, b, c``             ``a、b、c``
    ``phrases``           ``a; b; c``             ``a／b／c``
    ``inline``            ``a · b``               ``a／b``
    ====================  ======================  =========================

    ``items`` joins short names; ``phrases`` joins texts that may hold a comma (or a
    Japanese 、) of their own, such as reasons and clinical names.
    """

    rules: RuleSet
    lang: str

    def _m(self, key: str) -> str:
        return self.rules.message(key, self.lang)

    def label(self, label: str, text: str = "") -> str:
        """``text`` after its label; with no text, the label and its colon ("Evidence:")."""
        return self._m("labelled").format(label=label, text=text).rstrip()

    def paren(self, text: str, note: str) -> str:
        return self._m("parenthetical").format(text=text, note=note)

    def tag(self, text: str, tag: str) -> str:
        return self._m("tagged").format(text=text, tag=tag)

    def bracket(self, text: str) -> str:
        return self._m("bracketed").format(text=text)

    def because(self, text: str, reasons: str) -> str:
        return self._m("reason_given").format(text=text, reasons=reasons)

    def span(self, low: float, high: float) -> str:
        """Points or a range of them: ``2``, ``2–6``."""
        if high == low:
            return fmt_points(low)
        return self._m("range").format(low=fmt_points(low), high=fmt_points(high))

    def points(self, low: float, high: float) -> str:
        return self._m("points_value").format(points=self.span(low, high))

    def sentence(self, text: str) -> str:
        """``text`` ending in a full stop (its own, if it has one)."""
        text = text.rstrip()
        return text if not text or text.endswith(_ENDS) else self._m("full_stop").format(text=text)

    def sentences(self, *texts: str) -> str:
        """Sentences one after another: spaced in English, not in Japanese. Empty ones are left out."""
        kept = [t.strip() for t in texts if t and t.strip()]
        if not kept:
            return ""
        out = kept[0]
        for text in kept[1:]:
            out = self._m("sentences").format(first=out, second=text)
        return out

    def signed(self, value: float) -> str:
        """Points with their sign, as a score item adds them: "+1", "-2"; 「＋1」 is not used,
        but Japanese writes the minus as 「−2」 (``minus_sign``), never a hyphen."""
        text = f"{value:+g}"
        return self._m("minus_sign") + text[1:] if text.startswith("-") else text

    def quantity(self, value: float, unit: str) -> str:
        """A number with its unit: "3 days", "1 day", 「3日」. Units are written in the plural
        in English ("days"); one of them is singular."""
        if not unit:
            return fmt_points(value)
        if value == 1 and unit.isascii() and unit.endswith("s") and len(unit) > 2:
            unit = unit[:-1]
        return self._m("quantity").format(value=fmt_points(value), unit=unit)

    def items(self, texts: Iterable[str]) -> str:
        return self._m("list_separator").join(texts)

    def phrases(self, texts: Iterable[str]) -> str:
        return self._m("cond_separator").join(texts)

    def inline(self, texts: Iterable[str]) -> str:
        return self._m("inline_separator").join(texts)


def typography(rules: RuleSet, lang: str) -> Typography:
    """The punctuation of ``lang`` (see :class:`Typography`)."""
    return Typography(rules, lang)


def point_label(p: PointResult, rules: RuleSet, lang: str, *, short: bool = False) -> str:
    """A point as its readers write it. Japanese clinicians write the name, its reading in
    hiragana and the WHO code: 委中（いちゅう）BL40, short or not. English output gives the
    code, the pinyin and the characters, with the romanised Japanese reading: BL40 Weizhong
    委中 (Ichū); ``short``, the code alone (BL40). The pinyin and the romaji are never part
    of Japanese text."""
    if lang == "ja" and p.kana:
        return typography(rules, lang).paren(p.hanzi, p.kana) + p.code
    if short:
        return p.code
    return typography(rules, lang).paren(f"{p.code} {p.name} {p.hanzi}", p.ja_reading)
