"""The one loader: rule files → the cache, else the builder → the not-weaker check.

Imports run one way: this module reads the files (:mod:`files`) and asks the
cache (:mod:`cache`) for their digest; only on a miss does it import the
builder (:mod:`build`, which brings the schema and YAML) and, for a custom
rule set, the proof that it is never weaker than the built-in set
(:mod:`proof`, which brings the solver). A warm start therefore imports none of them.
"""

from __future__ import annotations

from pathlib import Path

from kneeguide.errors import RulesError
from kneeguide.ids import RULE_FILES
from kneeguide.ruleset import cache
from kneeguide.ruleset.files import BUILTIN, builtin_rules, digest_of, read_files, sha256
from kneeguide.ruleset.model import RuleSet


def load_rules(
    directory: str | Path | None = None, *, use_cache: bool = True, fresh: bool = False
) -> RuleSet:
    """Load and validate a rule set (the built-in one when ``directory`` is None).

    A directory holding every rule file is a complete rule set; one holding only
    some files is an overlay, merged by id into the built-in set. Either way a
    custom set is proved never weaker than the built-in set, for every answer set
    (:mod:`kneeguide.ruleset.proof`; a red flag it switches off with ``disable:``
    aside), and may change the built-in safety wording only where it lists the
    text under ``reworded:`` (:mod:`kneeguide.ruleset.protected`). The result
    carries the built-in version and digest it was checked against
    (``RuleSet.checked_against``), and is cached with it: a cached custom set is
    used only while the built-in rules are the ones it was proved against. Raises
    :class:`~kneeguide.errors.RulesError` listing every problem. ``use_cache``
    False neither reads nor writes the rules cache; ``fresh`` validates and proves again
    whatever the cache holds, then stores the result (``rules validate``: the next
    ``--rules`` run starts warm).
    """
    if directory is None:
        files, base, label = read_files(builtin_rules()), None, BUILTIN
        against = None
    else:
        files = read_files(Path(directory), partial=True)
        label = str(directory)
        builtin_files = read_files(builtin_rules())
        base = None if all(name in files for name in RULE_FILES) else builtin_files
        against = digest_of(builtin_files)
    digest = digest_of(files, base)
    slot = cache_slot(digest, against)
    cached = cache.get(digest, label, slot) if use_cache and not fresh else None
    proved = None if cached is None or cached.checked_against is None else cached.checked_against[1]
    if cached is not None and proved == against:
        return cached
    from kneeguide.ruleset.build import build

    rules = build(files, label, base)._replace(digest=digest)
    if directory is not None:
        rules = _checked(rules, load_rules(use_cache=use_cache, fresh=fresh))
    if use_cache:
        cache.put(rules, slot)
    return rules


def cache_slot(digest: str, against: str | None) -> str | None:
    """The cache entry of a rule set of ``digest`` proved against built-in rules of digest
    ``against`` (None: the built-in set, in its own entry). A custom set has its own entry
    per built-in rules: a full copy of the built-in files has the built-in digest, yet is
    custom, and a set proved against other built-in rules must be proved again."""
    if against is None:
        return None
    keyed = sha256()
    keyed.update(f"{digest}|proved against|{against}".encode())
    return "sha256:" + keyed.hexdigest()


def _checked(custom: RuleSet, builtin: RuleSet) -> RuleSet:
    """``custom`` marked as checked against ``builtin``, or :class:`RulesError` with every
    way it is weaker and every safety text it rewords without saying so."""
    from kneeguide.ruleset.proof import prove
    from kneeguide.ruleset.protected import reworded_problems

    problems = reworded_problems(custom, builtin) + prove(custom, builtin)
    if problems:
        raise RulesError(problems)
    return custom._replace(checked_against=(builtin.version, builtin.digest))
