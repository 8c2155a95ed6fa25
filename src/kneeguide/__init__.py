"""kneeguide: educational triage for pain behind the knee.

The library API is two functions::

    from kneeguide import load_rules, assess
    rules = load_rules()
    result = assess(rules, {"age": 64, "calf_swelling": "yes"})
    result.triage.level  # Level.URGENT

Both are imported lazily so that ``import kneeguide`` stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["__version__", "assess", "load_rules"]

if TYPE_CHECKING:
    from kneeguide.api import assess, load_rules


def __getattr__(name: str) -> Any:
    if name in ("assess", "load_rules"):
        from kneeguide import api

        return getattr(api, name)
    raise AttributeError(f"module 'kneeguide' has no attribute {name!r}")
