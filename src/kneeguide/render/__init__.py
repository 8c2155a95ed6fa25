"""Output formats. Each renderer turns an assessment into a string; the CLI
decides where it goes. Selection is one exhaustive mapping over :class:`Format`,
and renderers are imported only when chosen (rich is never loaded for JSON).
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:
    from kneeguide.engine.assessment import Assessment
    from kneeguide.ruleset.model import RuleSet


def assert_never(value: NoReturn) -> NoReturn:
    """Exhaustiveness check: mypy fails if a Format member is not handled."""
    raise AssertionError(f"unhandled format: {value!r}")


class Format(str, enum.Enum):
    TEXT = "text"
    JSON = "json"
    MARKDOWN = "markdown"


def render(
    fmt: Format, assessment: Assessment, rules: RuleSet, *, color: bool = False, width: int = 100
) -> str:
    if fmt is Format.JSON:
        from kneeguide.render.json import render as render_json

        return render_json(assessment)
    if fmt is Format.MARKDOWN:
        from kneeguide.render.markdown import render as render_markdown

        return render_markdown(assessment, rules)
    if fmt is Format.TEXT:
        from kneeguide.render.text import render as render_text

        return render_text(assessment, rules, color=color, width=width)
    assert_never(fmt)
