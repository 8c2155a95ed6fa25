"""Japanese text as the pieces a line may break between: BudouX phrases, with the rules of
Japanese line breaking on top.

Japanese has no spaces; a line breaks between phrases, which BudouX (Google's phrase
segmenter) finds. BudouX is a statistical model and sometimes cuts where a reader never
would: inside an ASCII word or number ("Well" / "sスコア", "201" / "2年"), between a number
and its counter ("20,827" / "例"), inside an answer after its question (「しびれ：は」 /
「い／」). Those cuts are joined again here, and kinsoku (JIS X 4051) keeps closing
punctuation off the start of a line and opening brackets off its end.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from budoux.parser import Parser

#: Kana, CJK ideographs, CJK punctuation and full-width forms: text BudouX should split.
JAPANESE = re.compile("[\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
#: Japanese line-breaking rules (kinsoku, after JIS X 4051): never start a line with closing
#: punctuation, a middle dot, a prolonged sound mark, an iteration mark or a small kana (nor
#: with the Western closing marks that Japanese text carries: "(可能性あり)", "95%"), never
#: end one with an opening bracket.
NO_START = frozenset(
    "、。，．・：；？！）」』】〕〉》］｝〙〗〟’”…‥〜ーゝゞヽヾ々"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ"
    ",.;:!?)]}%"
)
NO_END = frozenset("（「『【〔〈《［｛〘〖〝‘“([{")
#: Where a line may break whatever BudouX says: after a list's or a sentence's stop or a
#: label's colon (「理由：」「A／B」「A、B」).
_AFTER_STOPS = re.compile("(?<=[、。／：])")
#: A part between two stops this short is never broken inside: an answer after its
#: question (「しびれ：はい／」, never 「しびれ：は」 and 「い／」), a short list item.
_SHORT = 6
#: A number and its counter (「20,827例」「12か月」「3ヶ所」「15%減」): BudouX may cut
#: between them, and a line never ends in a bare number whose counter opens the next.
_COUNTERS = (
    re.compile(f"[0-9%](?![{re.escape(''.join(sorted(NO_END)))}]){JAPANESE.pattern}"),
    re.compile("[0-9][かヶカケ][月所国]"),
)
#: An ASCII word or number inside Japanese text ("Wells", "BL40", "10,000", "0.5", "95%",
#: "19:455-74"): never broken across lines, where BudouX may cut it ("Well" / "sスコア").
_TOKEN = re.compile(r"[A-Za-z0-9]+(?:[.,:/'’-][A-Za-z0-9]+)*%?")
#: Joins a number to its unit in a word until its line is made (:func:`kneeguide.render.wrap.wrap`).
GLUE = "\u00a0"


@lru_cache(maxsize=1)
def _parser() -> Parser:
    import budoux

    return budoux.load_default_japanese_parser()


def phrases(word: str) -> list[str]:
    """``word`` (no spaces) as the pieces a line may break between."""
    if not JAPANESE.search(word):
        return [word]
    phrases: list[str] = []
    lone = ""  # a single kana BudouX cut off: usually the start of a word (が|まん), kept with what follows
    pieces = _whole_tokens(word, [p for phrase in _parser().parse(word) for p in _AFTER_STOPS.split(phrase)])
    for phrase in pieces:
        if not phrase:
            continue
        if len(phrase) == 1 and "\u3040" <= phrase <= "\u30ff":
            lone += phrase
            continue
        phrase, lone = lone + phrase, ""
        if phrases and (phrase[0] in NO_START or phrases[-1][-1] in NO_END):
            phrases[-1] += phrase
        else:
            phrases.append(phrase)
    if lone and phrases and (lone[0] in NO_START or phrases[-1][-1] in NO_END):
        phrases[-1] += lone  # a last small kana or mark never starts a line of its own
    elif lone:
        phrases.append(lone)
    return phrases


def _whole_tokens(word: str, pieces: list[str]) -> list[str]:
    """``pieces`` (which make up ``word``) joined wherever a break between them would fall
    inside an ASCII word or number (:data:`_TOKEN`), at a number's unit (:data:`GLUE`) or
    counter (:data:`_COUNTERS`), or inside a short part between stops (:data:`_SHORT`)."""
    inside = {i for m in _TOKEN.finditer(word) for i in range(m.start() + 1, m.end())}
    inside |= {i for c in _COUNTERS for m in c.finditer(word) for i in range(m.start() + 1, m.end())}
    inside |= {i + d for i, ch in enumerate(word) if ch == GLUE for d in (0, 1)}
    start = 0
    for part in _AFTER_STOPS.split(word):
        if len(part) <= _SHORT:
            inside |= set(range(start + 1, start + len(part)))
        start += len(part)
    out: list[str] = []
    at = 0
    for piece in pieces:
        if out and at in inside:
            out[-1] += piece
        else:
            out.append(piece)
        at += len(piece)
    return out


__all__ = ["GLUE", "JAPANESE", "NO_END", "NO_START", "phrases"]
