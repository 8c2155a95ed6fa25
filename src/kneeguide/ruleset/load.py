"""The one loader: rule files → the cache, else the builder → the not-weaker check.

Imports run one way: this module reads the files (:mod:`files`) and asks the
cache (:mod:`cache`) for their digest; only on a miss does it import the
builder (:mod:`build`, which brings the schema and YAML) and, for a custom
rule set, the check against the built-in red flags (:mod:`not_weaker`). A warm
start therefore imports neither.
"""

from __future__ import annotations

from pathlib import Path

from kneeguide.ids import RULE_FILES
from kneeguide.ruleset import cache
from kneeguide.ruleset.files import BUILTIN, builtin_rules, digest_of, read_files
from kneeguide.ruleset.model import RuleSet


def load_rules(directory: str | Path | None = None, *, use_cache: bool = True) -> RuleSet:
    """Load and validate a rule set (the built-in one when ``directory`` is None).

    A directory holding every rule file is a complete rule set; one holding only
    some files is an overlay, merged by id into the built-in set. Either way a
    custom set is checked against the built-in red flags: it may make them stricter,
    never weaker, unless it lists them under ``disable:`` with a reason. Raises
    :class:`~kneeguide.errors.RulesError` listing every problem. ``use_cache``
    False neither reads nor writes the rules cache.
    """
    if directory is None:
        files, base, label = read_files(builtin_rules()), None, BUILTIN
    else:
        files = read_files(Path(directory), partial=True)
        label = str(directory)
        base = None if all(name in files for name in RULE_FILES) else read_files(builtin_rules())
    digest = digest_of(files, base)
    cached = cache.get(digest, label) if use_cache else None
    if cached is not None:
        return cached
    from kneeguide.ruleset.build import build

    rules = build(files, label, base)._replace(digest=digest)
    if directory is not None:
        from kneeguide.ruleset.not_weaker import check_against_builtin

        check_against_builtin(rules, load_rules(use_cache=use_cache))
    if use_cache:
        cache.put(rules)
    return rules
