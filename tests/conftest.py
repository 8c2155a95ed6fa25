"""Shared fixtures: the built-in rule set (loaded once) and a helper to assess."""

from __future__ import annotations

from typing import Any

import pytest

from kneeguide.api import assess, load_rules
from kneeguide.model import Assessment, RuleSet


@pytest.fixture(scope="session")
def rules() -> RuleSet:
    return load_rules()


@pytest.fixture(scope="session")
def run(rules: RuleSet) -> Any:
    def _run(answers: dict[str, Any], **kwargs: Any) -> Assessment:
        return assess(answers, rules=rules, **kwargs)

    return _run
