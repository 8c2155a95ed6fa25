"""The referral letter's document model: a list of blocks, each drawn by every format.

The builders (:mod:`kneeguide.render.note`, :mod:`kneeguide.render.note_appendix`)
decide every word; the drawers (:mod:`kneeguide.render.note_text`,
:mod:`kneeguide.render.note_html`) only lay the blocks out, so the three formats
cannot say different things.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from kneeguide.inputs.clinic import Clinic


class Block(NamedTuple):
    """One block of the letter: ``kind`` says how each format draws ``content``.

    ========  =========================================================================
    kind      content
    ========  =========================================================================
    running   the running footer of a printed page (title, patient, date); HTML only
    banner    a mark every page must carry ("incomplete"): HTML repeats it on each page
    h1, h2    a heading (str)
    fields    the letter's head: ``(label, value)`` pairs (to, from, date, patient)
    reason    the one line that says why and how soon (str)
    p, note   a paragraph; a note is set apart (the disclaimer)
    line      ``(label, text)``: a run-in heading and its text on one paragraph
    record    as line, for the record of answers (HTML sets it smaller)
    ul, cols  a list of str; cols may be set in columns
    figure    the points discussed (PointResults), drawn as an inline SVG
    appendix  the appendix's title: everything after it is the appendix
    ========  =========================================================================
    """

    kind: str
    content: Any


Words = Callable[[str], str]  # a message id → its text in the note's language


class Letterhead(NamedTuple):
    """What the letter says about itself rather than about the assessment.

    ``when`` is when the answers were given: the interview's start (and ``until`` its
    last answer) for a saved session, the time of the run for ``assess --note``.
    ``incomplete`` marks an interview that was not finished; ``appendix`` adds the
    point anatomy, evidence and references after a page break.
    """

    when: datetime
    until: datetime | None = None
    patient: str | None = None
    clinic: Clinic | None = None
    appendix: bool = True
    incomplete: bool = False

    def stamp(self) -> str:
        """The date and time to the minute; a range when the interview took longer."""
        start = self.when.strftime("%Y-%m-%d %H:%M")
        end = self.until
        if end is None or end.strftime("%Y-%m-%d %H:%M") == start:
            return start
        if end.date() == self.when.date():
            return f"{start}–{end.strftime('%H:%M')}"
        return f"{start} – {end.strftime('%Y-%m-%d %H:%M')}"
