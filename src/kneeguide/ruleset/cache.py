"""A cache of the validated, compiled rule set, keyed by the rules' digest.

Parsing and validating the YAML costs far more than assessing an answer set,
so the validated :class:`RuleSet` is pickled once per digest, together with its
compiled conditions (:mod:`compiled`), which every process would otherwise
build again. The cache is only an accelerator: it lives
in the user's cache directory (owner-only), is safe to delete at any time, and
an entry is used only when the digest recorded inside it equals the digest of
the rule files just read, and the kneeguide version, the Python version and
the source of the modules it holds objects of all match. Set
``KNEEGUIDE_NO_CACHE=1`` to bypass it.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

try:  # the C unpickler that pickle.py wraps: the same format, without importing pickle.py
    from _pickle import PickleError
    from _pickle import load as _load
except ImportError:  # pragma: no cover - another Python implementation
    from pickle import PickleError
    from pickle import load as _load

from kneeguide.evaluate.compiled import Compiled, adopt, compiled
from kneeguide.files import owner_only, private_dir, user_dir, write_atomic
from kneeguide.ruleset.files import sha256
from kneeguide.ruleset.model import RuleSet
from kneeguide.version import __version__

# What a cache entry depends on: the release, the Python (pickle), and the source
# of every module that reads, builds, checks or holds a rule set, so that editing
# one of them (a development checkout keeps its version number) never serves a
# stale entry. The modules are found by folder, not listed: a new module in these
# packages is covered as it is added, and tests/test_cache.py fails when the
# loader comes to import a module outside them.
KEYED_PACKAGES = ("ruleset", "evaluate")


_TOP = Path(__file__).parent.parent  # the kneeguide package


def keyed_sources() -> list[Path]:
    """The source files a cache entry depends on, in a stable order: kneeguide's
    top-level modules, then every module of :data:`KEYED_PACKAGES` and their subpackages."""
    found = sorted(_TOP.glob("*.py"))
    for package in KEYED_PACKAGES:
        found += sorted((_TOP / package).rglob("*.py"))
    return found


def _tag() -> str:
    h = sha256()
    for path in keyed_sources():
        with contextlib.suppress(OSError):
            h.update(path.relative_to(_TOP).as_posix().encode() + b"\0" + path.read_bytes())
    return f"kneeguide-{__version__}-py{sys.version_info[0]}.{sys.version_info[1]}-{h.hexdigest()[:16]}"


def cache_dir() -> Path:
    override = os.environ.get("KNEEGUIDE_CACHE_DIR")
    if override:
        return Path(override)
    return user_dir("cache")


def enabled() -> bool:
    return os.environ.get("KNEEGUIDE_NO_CACHE", "") in ("", "0")


def _path(digest: str) -> Path:
    return cache_dir() / f"rules-{digest.split(':', 1)[-1][:32]}.pickle"


def get(digest: str, source: str, slot: str | None = None) -> RuleSet | None:
    """The cached rule set for ``digest``, or None (missing, stale or unreadable).

    ``slot`` (a digest too) names the entry when it is not ``digest`` alone: a custom
    rule set is kept apart from the built-in set, whose files it may copy byte for byte,
    and from the same set proved against other built-in rules (:func:`load.load_rules`).
    """
    if not enabled():
        return None
    entry = _path(slot or digest)
    if not (owner_only(entry.parent) and owner_only(entry)):
        return None  # a cache others can write is never unpickled
    try:
        with open(entry, "rb") as handle:
            tag, cached, fast = _load(handle)
    except (OSError, PickleError, EOFError, ValueError, TypeError, AttributeError, ImportError):
        return None
    except Exception:  # a damaged cache must never stop an assessment
        return None
    if tag != _tag() or not isinstance(cached, RuleSet) or cached.digest != digest:
        return None
    rules = cached._replace(source=source) if cached.source != source else cached
    if isinstance(fast, Compiled):
        adopt(fast, rules)
    return rules


def put(rules: RuleSet, slot: str | None = None) -> None:
    """Store a freshly validated rule set (in ``slot``, see :func:`get`); failure to cache
    is never an error."""
    if not enabled():
        return
    import pickle

    with contextlib.suppress(Exception):
        private_dir(cache_dir())
        data = pickle.dumps((_tag(), rules, compiled(rules)), protocol=pickle.HIGHEST_PROTOCOL)
        write_atomic(_path(slot or rules.digest), data, private=True)
