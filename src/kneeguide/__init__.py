"""kneeguide: educational triage for pain behind the knee.

The library API is two functions (and, in :mod:`kneeguide.api`, ``as_dict``
and ``assess_batch``):

>>> from kneeguide import assess, load_rules
>>> rules = load_rules()
>>> result = assess({"age": 64, "calf_swelling": "yes"}, rules=rules)
>>> result.triage.level
<Level.URGENT: 3>
>>> [flag.id for flag in result.red_flags]
['dvt']

Both are imported lazily so that ``import kneeguide`` stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kneeguide.version import __version__

__all__ = ["__version__", "assess", "load_rules"]

if TYPE_CHECKING:
    from kneeguide.api import assess, load_rules


def __getattr__(name: str) -> Any:
    if name in ("assess", "load_rules"):
        from kneeguide import api

        return getattr(api, name)
    raise AttributeError(f"module 'kneeguide' has no attribute {name!r}")
