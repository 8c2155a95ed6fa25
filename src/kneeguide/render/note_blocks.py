"""The referral letter's document model: a list of blocks, each drawn by every format.

The builders (:mod:`kneeguide.render.note`, :mod:`kneeguide.render.note_ja`,
:mod:`kneeguide.render.note_appendix`) decide every word; the drawers
(:mod:`kneeguide.render.note_text`, :mod:`kneeguide.render.note_html`) only lay the
blocks out, so the three formats cannot say different things. The words come through
:class:`Words`, which also joins them with the language's own punctuation (the
``labelled``, ``parenthetical``, ``list_separator`` and ``range`` messages): a Japanese
letter says 「年齢：64歳」 and 「2〜6」 where an English one says "Age: 64" and "2–6".
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from kneeguide.inputs.clinic import Clinic
    from kneeguide.ruleset.model import RuleSet

#: A space to write in by hand on the printed letter (the HTML note draws it as a rule):
#: a run of full-width low lines, which neither Markdown nor a terminal takes for markup.
BLANK = "＿" * 12


class Block(NamedTuple):
    """One block of the letter: ``kind`` says how each format draws ``content``.

    ========  =========================================================================
    kind      content
    ========  =========================================================================
    running   the running footer of a printed page (title, patient, date); HTML only
    banner    a mark every page must carry ("incomplete"): HTML repeats it on each page
    h1, h2    a heading (str)
    h3        a run-in heading inside a section (str)
    fields    the letter's head: ``(label, value)`` pairs (to, from, date, patient)
    dateline  the date of a letter that is dated at its head, right-aligned (str)
    address   ``(label, lines)``: an addressee or a sender, one line each (Japanese head)
    reason    the one line that says why and how soon (str)
    alert     ``(heading, rules, warnings)``: what a rule set changes in the safety rules,
              set apart at the head (HTML also marks every page with the heading)
    p, note   a paragraph; a note is set apart (the disclaimer)
    closing   the letter's closing formula (str)
    line      ``(label, text)``: a run-in heading and its text on one paragraph
    record    as line, for the record of answers (HTML sets it smaller)
    ul, cols  a list of str; cols may be set in columns
    figure    the points discussed (PointResults), drawn as an inline SVG
    appendix  the appendix's title: everything after it is the appendix
    ========  =========================================================================
    """

    kind: str
    content: Any


class Words:
    """The letter's words in one language: ``m(key)`` is a message, and ``m.ty`` joins
    texts with that language's punctuation (:class:`~kneeguide.render.common.Typography`)."""

    def __init__(self, rules: RuleSet, lang: str) -> None:
        from kneeguide.render.common import typography

        self.rules = rules
        self.lang = lang
        self.ty = typography(rules, lang)

    def __call__(self, key: str) -> str:
        return self.rules.message(key, self.lang)


#: How each language writes a date and a time of day. English keeps the ISO form it has
#: always had; a Japanese letter is dated as Japanese letters are (2026年11月30日).
DATE_FORMATS = {"en": "{y:04d}-{m:02d}-{d:02d}", "ja": "{y}年{m}月{d}日"}
TIME_FORMATS = {"en": "{h:02d}:{mi:02d}", "ja": "{h}:{mi:02d}"}
#: Between the start and the end of the interview: an en dash, or Japanese 〜.
SPANS = {"en": ("–", " – "), "ja": ("〜", "〜")}


def date_text(when: datetime, lang: str) -> str:
    """``when``'s date as the language writes it."""
    return DATE_FORMATS.get(lang, DATE_FORMATS["en"]).format(y=when.year, m=when.month, d=when.day)


def time_text(when: datetime, lang: str) -> str:
    """``when``'s time of day, to the minute, as the language writes it."""
    return TIME_FORMATS.get(lang, TIME_FORMATS["en"]).format(h=when.hour, mi=when.minute)


class Letterhead(NamedTuple):
    """What the letter says about itself rather than about the assessment.

    ``when`` is when the answers were given: the interview's start (and ``until`` its
    last answer) for a saved session, the time of the run for ``assess --note``.
    ``incomplete`` marks an interview that was not finished; ``appendix`` adds the
    point anatomy, evidence and references after a page break. ``to`` (an institution
    or department) and ``doctor`` (a named clinician) address the letter; without
    them a Japanese letter leaves the addressee blank to fill in by hand.
    """

    when: datetime
    until: datetime | None = None
    patient: str | None = None
    clinic: Clinic | None = None
    appendix: bool = True
    incomplete: bool = False
    to: str | None = None
    doctor: str | None = None

    def escaped(self, escape: Callable[[str], str]) -> Letterhead:
        """The letterhead with every field a person gave passed through ``escape`` (one of
        :mod:`kneeguide.render.escape`): the patient, ``to``, ``doctor`` and the clinic
        profile's name, address, phone, e-mail and hours, in every language it gives them."""

        def given(text: str | None) -> str | None:
            return None if text is None else escape(text)

        clinic = self.clinic
        if clinic is not None:
            clinic = clinic._replace(
                name=escape(clinic.name),
                address=escape(clinic.address),
                phone=escape(clinic.phone),
                email=escape(clinic.email),
                hours=escape(clinic.hours),
                texts={f: {lang: escape(t) for lang, t in by.items()} for f, by in clinic.texts.items()},
            )
        return self._replace(
            patient=given(self.patient), to=given(self.to), doctor=given(self.doctor), clinic=clinic
        )

    def stamp(self, lang: str = "en") -> str:
        """The date and time to the minute; a range when the interview took longer."""
        short, wide = SPANS.get(lang, SPANS["en"])

        def at(moment: datetime) -> str:
            return f"{date_text(moment, lang)} {time_text(moment, lang)}"

        start, end = at(self.when), self.until
        if end is None or at(end) == start:
            return start
        if end.date() == self.when.date():
            return f"{start}{short}{time_text(end, lang)}"
        return f"{start}{wide}{at(end)}"
