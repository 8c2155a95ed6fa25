"""Output formats: which renderer draws each format that :mod:`kneeguide.ids` lists.

The assessment's, the note's and the export's formats are chosen here, by one
exhaustive mapping per enumeration; batch records are written by
:func:`kneeguide.batch.output.render` and listings by their commands, each selection
ending in :func:`assert_never` too. mypy fails when a member is not handled, and
``tests/test_every_format.py`` runs every member through its command and checks
that it carries the warnings and the disclaimer. Each renderer is imported only when chosen: rich
is never loaded for JSON, nor the note's figure for Markdown. Renderers return
strings; the CLI decides where they go.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NoReturn

from kneeguide.ids import ExportFormat, NoteFormat, ReportFormat

if TYPE_CHECKING:
    from datetime import datetime

    from kneeguide.engine import Assessment
    from kneeguide.inputs.clinic import Clinic
    from kneeguide.ruleset.model import RuleSet


def assert_never(value: NoReturn) -> NoReturn:
    """Exhaustiveness check: mypy fails if a format member is not handled."""
    raise AssertionError(f"unhandled format: {value!r}")


def render(
    fmt: ReportFormat,
    assessment: Assessment,
    rules: RuleSet,
    *,
    color: bool = False,
    width: int = 80,
    details: bool = False,
) -> str:
    """The assessment report (``kneeguide assess``) in ``fmt``; ``color`` (ANSI) and
    ``width`` (columns) apply to the terminal text only; ``details`` adds the scores in
    full, the evidence and the anatomy to text and Markdown (JSON always has everything)."""
    if fmt is ReportFormat.JSON:
        from kneeguide.render.json import render as render_json

        return render_json(assessment)
    if fmt is ReportFormat.MARKDOWN:
        from kneeguide.render.markdown import render as render_markdown

        return render_markdown(assessment, rules, details=details)
    if fmt is ReportFormat.TEXT:
        from kneeguide.render.text import render as render_text

        return render_text(assessment, rules, color=color, width=width, details=details)
    assert_never(fmt)


def render_note(
    fmt: NoteFormat,
    assessment: Assessment,
    rules: RuleSet,
    *,
    when: datetime,
    patient: str | None = None,
    clinic: Clinic | None = None,
    until: datetime | None = None,
    appendix: bool = True,
    incomplete: bool = False,
) -> str:
    """The referral letter in ``fmt``: the interview (or run) at ``when`` (to ``until``),
    naming ``patient`` and sent by ``clinic`` where given, with its appendix unless
    ``appendix`` is off, marked incomplete on every page with ``incomplete`` (see
    :func:`kneeguide.render.note.build`; :func:`kneeguide.render.note.draw` chooses the format)."""
    from kneeguide.render.note import build, draw

    blocks = build(
        assessment,
        rules,
        when=when,
        patient=patient,
        clinic=clinic,
        until=until,
        appendix=appendix,
        incomplete=incomplete,
    )
    return draw(fmt, blocks, rules, assessment.lang)


def export(
    fmt: ExportFormat,
    assessment: Assessment,
    rules: RuleSet,
    *,
    completed: bool = True,
    authored: datetime | None = None,
) -> str:
    """The export (``kneeguide export``) in ``fmt``, as JSON text ending in a newline;
    ``completed`` is false for an unfinished interview session, ``authored`` when the
    answers were given (a session's last answer; None: now)."""
    if fmt is ExportFormat.FHIR:
        import json

        from kneeguide.render.fhir import bundle

        data = bundle(rules, assessment, completed=completed, authored=authored)
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    assert_never(fmt)
