"""Markdown report: the same sections as the terminal report, for files and notes."""

from __future__ import annotations

from kneeguide.engine import Assessment
from kneeguide.render.common import (
    answer_text,
    askable,
    clinical,
    grounds_text,
    headline_apart,
    score_line,
    score_notes,
)
from kneeguide.ruleset.model import RuleSet


def render(a: Assessment, rules: RuleSet) -> str:
    """The report as Markdown, in the assessment's language, ending with the disclaimer."""

    def m(key: str) -> str:
        return rules.message(key, a.lang)

    t = a.triage
    lead = f": {t.headline}" if headline_apart(t) else ""
    out: list[str] = [f"# {m(f'level_{t.level.id}')}{lead}", ""]
    out += [f"**{t.action}**", ""]
    if t.reasons:  # what set the level: a red flag, a floor such as a young child's injury, a cause
        out += [f"{m('label_why')}: {rules.message('cond_separator', a.lang).join(t.reasons)}", ""]
    out += [f"- {m('label_call')}: **{t.call}**"]
    if t.advice_line:
        out += [f"- {m('label_advice')}: {t.advice_line}"]
    out += [f"- {m('label_safety_net')}: {t.safety_net}", ""]

    out += [f"## {m('heading_red_flags')}", ""]
    if a.red_flags:
        for h in a.red_flags:
            because = grounds_text(a, rules, h.because)
            out += [f"### {h.title} ({m(f'level_{h.level.id}')})", "", h.action, "", h.explain, ""]
            if because:
                out += [f"*{m('label_because')}:* {because}", ""]
            for reason in h.escalated_because:
                out += [f"*{reason}*", ""]
    else:
        out += [m("no_red_flags"), ""]

    if a.not_excluded:
        out += [f"## {m('heading_not_excluded')}", ""]
        for n in a.not_excluded:
            missing = ", ".join(clinical(rules, q, a.lang) for q in askable(a, rules, n.missing))
            out += [f"- **{n.title}** — {m('label_missing')}: {missing}"]
        out += [""]

    out += [f"## {m('heading_scores')}", ""]
    for s in a.scores:
        out += [f"- {score_line(s, rules, a.lang)}"]
        out += [f"  - *{note}*" for note in score_notes(s, rules, a.lang)]
        if s.applicable is not False:
            for item in s.items:
                mark = {True: "yes", False: "no", None: "?"}[item.present]
                proxy = f" ({m('label_proxy')})" if item.proxy else ""
                out += [f"  - [{mark}] {item.text} ({item.points:+g}){proxy}"]
    out += [""]

    out += [f"## {m('heading_causes')}", ""]
    if not a.likely_causes:
        out += [m("no_causes") + ".", ""]
    for c in a.likely_causes:
        out += [f"### {c.name} — {m(f'strength_{c.strength}')}", ""]
        for r in c.reasons_for:
            out += [f"- {m('label_for')}: {r.text}"]
        for r in c.reasons_against:
            out += [f"- {m('label_against')}: {r.text}"]
        out += ["", c.advice, ""]

    acu = a.acupuncture
    out += [f"## {m('heading_acupuncture')}", ""]
    out += [f"**{m('label_suitability')}: {m(f'suitability_{acu.suitability}')}**", ""]
    out += [f"- {r}" for r in acu.reasons]
    if acu.reasons:
        out += [""]
    for p in acu.points:
        out += [
            f"- **{p.code} {p.name} {p.hanzi} ({p.ja_reading})**: {p.location} "
            f"*{m('label_caution')}:* {p.caution}"
        ]
    if acu.points:
        out += [""]
    if acu.evidence:
        out += [f"{m('label_evidence')}:", ""]
        out += [f"- [{e.position}] {e.claim} ({e.source})" for e in acu.evidence]
        out += [""]

    out += [
        f"## {m('heading_referral')}",
        "",
        f"**{a.referral.to}** — {a.referral.urgency}",
        "",
        a.referral.text,
        "",
    ]
    if a.warnings:
        out += [f"## {m('heading_warnings')}", ""] + [f"- {w}" for w in a.warnings] + [""]
    out += [f"## {m('heading_answers')}", ""]
    for qid in a.answers:
        out += [f"- {clinical(rules, qid, a.lang)}: {answer_text(a, rules, qid)}"]
    out += ["", f"{m('label_rules')}: {a.rules_version} ({a.rules_digest})", "", f"> {a.disclaimer}", ""]
    return "\n".join(out)
