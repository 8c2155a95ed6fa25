"""The JSON assessment of the scripting contract (README, "The JSON assessment")."""

from __future__ import annotations

import json
from typing import Any

from kneeguide.engine import Assessment, CauseResult, Reason, ScoreResult
from kneeguide.ruleset.contract import SCHEMA_VERSION


def number(value: float, places: int | None = None) -> int | float:
    """A number as JSON should show it: a whole one as an int (``2``, not ``2.0``), any
    other rounded to ``places`` decimals, or as it is when ``places`` is None.

    The JSON assessment rounds to 2 places; batch records keep the exact value.
    """
    if float(value).is_integer():
        return int(value)
    return value if places is None else round(value, places)


def _reason(r: Reason) -> dict[str, Any]:
    return {
        "feature": r.feature,
        "text": r.text,
        "weight": round(r.weight, 2),
        "lr": r.lr,
        "questions": list(r.questions),
    }


def _score(s: ScoreResult) -> dict[str, Any]:
    """The published score (history and examination items only), where it applies and
    why not, and apart from it, labelled, the estimate that counts lay stand-ins."""
    e = s.estimate
    return {
        "title": s.title,
        "variant": s.variant,
        "applicable": s.applicable,
        "applicability": [{"id": x.id, "met": x.met, "reason": x.reason} for x in s.applicability],
        "points": number(s.points, 2),
        "points_max": number(s.points_max, 2),
        "band": s.band,
        "complete": s.complete,
        "estimate": None
        if e is None
        else {
            "points": number(e.points, 2),
            "points_max": number(e.points_max, 2),
            "band": e.band,
            "complete": e.complete,
            "stand_ins": list(e.stand_ins),
            "label": e.label,
        },
        "items": [
            {
                "id": i.id,
                "text": i.text,
                "points": number(i.points, 2),
                "present": i.present,
                "proxy": i.proxy,
            }
            for i in s.items
        ],
    }


def _cause(c: CauseResult) -> dict[str, Any]:
    return {
        "id": c.id,
        "name": c.name,
        "strength": c.strength,
        "score": c.score,
        "level": c.level.id,
        "for": list(c.for_ids),
        "against": list(c.against_ids),
        "reasons_for": [_reason(r) for r in c.reasons_for],
        "reasons_against": [_reason(r) for r in c.reasons_against],
        "advice": c.advice,
    }


def _rules(a: Assessment) -> dict[str, Any]:
    """The rule set that decided: ``version`` and ``digest``; ``custom`` (any set but the
    built-in one); ``checked_against``, the built-in set's ``{"version", "digest"}`` a
    custom set was proved not weaker than (null for the built-in set); and what it switches
    off (``disabled``: ``{"id", "reason"}``) and rewords (``reworded``: ``{"text", "reason"}``),
    as ``ruleset.yaml`` lists them (empty for the built-in set)."""
    used = a.rule_set
    against = used.checked_against
    return {
        "version": a.rules_version,
        "digest": a.rules_digest,
        "custom": used.custom,
        "checked_against": None if against is None else {"version": against[0], "digest": against[1]},
        "disabled": [{"id": flag, "reason": reason} for flag, reason in used.disabled],
        "reworded": [{"text": text, "reason": reason} for text, reason in used.reworded],
    }


def to_dict(a: Assessment) -> dict[str, Any]:
    from kneeguide.version import __version__

    t = a.triage
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "kneeguide", "version": __version__},
        "rules": _rules(a),
        "region": a.region,
        "audience": a.audience.id,
        "lang": a.lang,
        "triage": {
            "level": t.level.id,
            "headline": t.headline,
            "action": t.action,
            "call": t.call,
            "advice_line": t.advice_line,
            "timeframe": t.timeframe,
            "safety_net": t.safety_net,
            "reasons": list(t.reasons),
        },
        "red_flags": [
            {
                "id": h.id,
                "level": h.level.id,
                "title": h.title,
                "because": list(h.because),
                "action": h.action,
                "explain": h.explain,
                "escalated_because": list(h.escalated_because),
                "references": list(h.references),
            }
            for h in a.red_flags
        ],
        "not_excluded": [
            {"id": n.id, "level": n.level.id, "title": n.title, "missing": list(n.missing)}
            for n in a.not_excluded
        ],
        "scores": {s.id: _score(s) for s in a.scores},
        "likely_causes": [_cause(c) for c in a.likely_causes],
        "acupuncture": {
            "suitability": a.acupuncture.suitability,
            "reasons": list(a.acupuncture.reasons),
            "points": [
                {
                    "code": p.code,
                    "name": p.name,
                    "hanzi": p.hanzi,
                    "ja_reading": p.ja_reading,
                    "kana": p.kana,
                    "location": p.location,
                    "indications": p.indications,
                    "caution": p.caution,
                }
                for p in a.acupuncture.points
            ],
            "evidence": [
                {"id": e.id, "position": e.position, "claim": e.claim, "source": e.source}
                for e in a.acupuncture.evidence
            ],
            "unscreened": list(a.acupuncture.unscreened),
        },
        "referral": {"to": a.referral.to, "urgency": a.referral.urgency, "text": a.referral.text},
        "answers": dict(a.answers),
        "warnings": list(a.warnings),
        "warning_ids": list(a.warning_ids),
        "disclaimer": a.disclaimer,
    }


def render(a: Assessment) -> str:
    return json.dumps(to_dict(a), ensure_ascii=False, indent=2) + "\n"
