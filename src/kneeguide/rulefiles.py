"""Finding and reading rule files, and the fast path through the cache.

This module is on every command's path, so it imports nothing heavy: the
schema and the validating builder (:mod:`loading`) are imported only when the
cache has no entry for the rules' digest.
"""

from __future__ import annotations

import hashlib
import sys
from importlib import resources
from pathlib import Path

from .errors import Location, Problem, RulesError
from .model import RuleSet

if sys.version_info >= (3, 11):
    from importlib.resources.abc import Traversable
else:  # pragma: no cover
    from importlib.abc import Traversable

BUILTIN = "built-in"

#: Every file of a rule set, in the order the digest covers them.
NAMES = (
    "ruleset.yaml",
    "references.yaml",
    "questions.yaml",
    "red_flags.yaml",
    "scores.yaml",
    "causes.yaml",
    "triage.yaml",
    "dispositions.yaml",
    "acupuncture.yaml",
    "messages.yaml",
)


def builtin_rules() -> Traversable:
    """The rule files shipped inside the package."""
    return resources.files("kneeguide").joinpath("rules")


def read_files(source: Traversable | Path) -> dict[str, tuple[str, bytes]]:
    """Read every rule file: name → (display path, bytes). Missing files are errors."""
    problems: list[Problem] = []
    out: dict[str, tuple[str, bytes]] = {}
    if isinstance(source, Path) and not source.is_dir():
        raise RulesError([Problem("rules directory not found", Location(str(source)))])
    base = str(source) if isinstance(source, Path) else "kneeguide/rules"
    for name in NAMES:
        entry = source.joinpath(name)
        shown = f"{base}/{name}"
        try:
            out[name] = (shown, entry.read_bytes())
        except FileNotFoundError:
            problems.append(Problem("rule file is missing", Location(shown)))
        except OSError as exc:
            problems.append(Problem(f"cannot read rule file: {exc.strerror}", Location(shown)))
    if problems:
        raise RulesError(problems)
    return out


def digest_of(files: dict[str, tuple[str, bytes]]) -> str:
    """sha256 over every file's name and bytes: any change gives a new digest."""
    h = hashlib.sha256()
    for name in NAMES:
        h.update(name.encode())
        h.update(b"\0")
        h.update(files[name][1])
        h.update(b"\0")
    return "sha256:" + h.hexdigest()


def load_rules(directory: str | Path | None = None) -> RuleSet:
    """Load and validate a rule set (the built-in one when ``directory`` is None)."""
    from . import cache

    source: Traversable | Path = builtin_rules() if directory is None else Path(directory)
    files = read_files(source)
    label = BUILTIN if directory is None else str(directory)
    cached = cache.get(digest_of(files), label)
    if cached is not None:
        return cached
    from .loading import build

    rules = build(files, label)
    cache.put(rules)
    return rules
