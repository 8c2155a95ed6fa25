"""Shared fixtures: the built-in rule set (loaded once) and a helper to assess."""

from __future__ import annotations

import os
import tempfile
from typing import Any

import pytest

# Keep the user's own cache and interview sessions out of the test run
# (subprocesses inherit these too).
_SANDBOX = tempfile.mkdtemp(prefix="kneeguide-tests-")
os.environ.setdefault("KNEEGUIDE_CACHE_DIR", os.path.join(_SANDBOX, "cache"))
os.environ.setdefault("KNEEGUIDE_DATA_DIR", os.path.join(_SANDBOX, "data"))
# A region chosen in the configuration file, as most users' will be after the first
# interview: the results do not depend on the machine's locale, and no "region assumed"
# note appears. Tests of the locale and of the country question set their own.
_CONFIG = os.path.join(_SANDBOX, "config.yaml")
with open(_CONFIG, "w", encoding="utf-8") as _fh:
    _fh.write("region: JP\n")
os.environ.setdefault("KNEEGUIDE_CONFIG", _CONFIG)

import shutil  # noqa: E402
from pathlib import Path  # noqa: E402

from kneeguide.api import assess, load_rules  # noqa: E402 - after the sandbox is set
from kneeguide.engine import Assessment  # noqa: E402
from kneeguide.ruleset.model import RuleSet  # noqa: E402


@pytest.fixture(scope="session")
def rules() -> RuleSet:
    return load_rules()


@pytest.fixture(scope="session")
def run(rules: RuleSet) -> Any:
    def _run(answers: dict[str, Any], **kwargs: Any) -> Assessment:
        return assess(answers, rules=rules, **kwargs)

    return _run


@pytest.fixture()
def rules_copy(tmp_path: Path) -> Path:
    """A complete copy of the built-in rule files, to edit in a test."""
    from kneeguide.ids import RULE_FILES
    from kneeguide.ruleset.files import builtin_rules

    target = tmp_path / "rules"
    target.mkdir()
    for name in RULE_FILES:
        (target / name).write_bytes(builtin_rules().joinpath(name).read_bytes())
    shutil.copytree(Path(str(builtin_rules())) / "locale", target / "locale")
    return target
