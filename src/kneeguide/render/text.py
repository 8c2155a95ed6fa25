"""Terminal report with rich: red flags first, in an unmistakable panel.

Colour is used only when writing to a terminal and ``NO_COLOR`` is unset; the
words carry the meaning on their own, so the plain output reads the same.
"""

from __future__ import annotations

import io

from rich.console import Console, Group
from rich.panel import Panel
from rich.text import Text

from kneeguide.engine import Assessment
from kneeguide.ids import Level
from kneeguide.render.common import askable, clinical, grounds_text, headline_apart, score_line, score_notes
from kneeguide.ruleset.model import RuleSet

STYLE = {
    Level.EMERGENCY: "bold white on red",
    Level.URGENT: "bold red",
    Level.SOON: "bold yellow",
    Level.ROUTINE: "bold cyan",
    Level.SELF_CARE: "bold green",
}
BORDER = {
    Level.EMERGENCY: "red",
    Level.URGENT: "red",
    Level.SOON: "yellow",
    Level.ROUTINE: "cyan",
    Level.SELF_CARE: "green",
}


def _console(buffer: io.StringIO, color: bool, width: int) -> Console:
    return Console(
        file=buffer,
        width=width,
        force_terminal=color,
        color_system="standard" if color else None,
        no_color=not color,
        highlight=False,
        emoji=False,
        markup=False,
    )


def emergency_panel(a: Assessment, rules: RuleSet, *, color: bool = False, width: int = 80) -> str:
    """The panel shown the moment an emergency becomes certain during an interview."""
    buffer = io.StringIO()
    console = _console(buffer, color, width)
    body = Text()
    body.append(a.triage.action + "\n\n", style="bold")
    for h in a.red_flags:
        if h.level is Level.EMERGENCY:
            body.append(h.title + "\n", style=STYLE[Level.EMERGENCY])
            body.append(h.action + "\n")
    body.append(f"\n{rules.message('label_call', a.lang)}: {a.triage.call}", style="bold")
    title = f"{rules.message('emergency_title', a.lang)}: {a.triage.call}"
    console.print(Panel(body, title=title, border_style="red"))
    return buffer.getvalue()


def render(a: Assessment, rules: RuleSet, *, color: bool = False, width: int = 100) -> str:
    """The terminal report, ``width`` columns wide, with ANSI colour when ``color``."""
    buffer = io.StringIO()
    console = _console(buffer, color, width)

    def m(key: str) -> str:
        return rules.message(key, a.lang)

    t = a.triage

    head = Text()
    if headline_apart(t):
        head.append(f"{t.headline}\n", style=STYLE[t.level])
    head.append(t.action + "\n", style="bold")
    if t.reasons:  # what set the level: a red flag, a floor such as a young child's injury, a cause
        head.append(f"{m('label_why')}: {rules.message('cond_separator', a.lang).join(t.reasons)}\n")
    head.append(f"{m('label_call')}: {t.call}", style="bold")
    if t.advice_line:
        head.append(f"    {m('label_advice')}: {t.advice_line}")
    head.append(f"\n{m('label_safety_net')}: {t.safety_net}")
    title = f"{m('heading_level')}: {m(f'level_{t.level.id}')}"
    console.print(Panel(head, title=title, border_style=BORDER[t.level], expand=True))

    if a.red_flags:
        parts: list[Text] = []
        for h in a.red_flags:
            block = Text()
            block.append(f"{h.title} [{m(f'level_{h.level.id}')}]\n", style=STYLE[h.level])
            block.append(h.action + "\n")
            block.append(h.explain + "\n", style="dim" if color else "")
            because = grounds_text(a, rules, h.because)
            if because:
                block.append(f"{m('label_because')}: {because}\n")
            for reason in h.escalated_because:
                block.append(reason + "\n", style="bold")
            parts.append(block)
        console.print(Panel(Group(*parts), title=m("heading_red_flags"), border_style="red"))
    else:
        console.print(m("no_red_flags"))

    if a.not_excluded:
        lines = Text()
        for n in a.not_excluded:
            lines.append(f"{n.title}\n", style="bold")
            missing = askable(a, rules, n.missing)
            lines.append(
                f"  {m('label_missing')}: " + ", ".join(clinical(rules, q, a.lang) for q in missing) + "\n"
            )
        console.print(Panel(lines, title=m("heading_not_excluded"), border_style="yellow"))

    console.print(Text(m("heading_scores"), style="bold underline"))
    for s in a.scores:
        console.print(f"  {score_line(s, rules, a.lang)}")
        for note in score_notes(s, rules, a.lang):
            console.print(f"    {note}")
    console.print()

    console.print(Text(m("heading_causes"), style="bold underline"))
    if not a.likely_causes:
        console.print(f"  {m('no_causes')}.")
    for index, c in enumerate(a.likely_causes, 1):
        console.print(Text(f"  {index}. {c.name} ({m(f'strength_{c.strength}')})", style="bold"))
        for r in c.reasons_for:
            console.print(f"     + {r.text}")
        for r in c.reasons_against:
            console.print(f"     - {r.text}")
        console.print(f"     {c.advice}")
    console.print()

    acu = a.acupuncture
    console.print(Text(m("heading_acupuncture"), style="bold underline"))
    console.print(f"  {m('label_suitability')}: {m(f'suitability_{acu.suitability}')}")
    for reason in acu.reasons:
        console.print(f"   • {reason}")
    for p in acu.points:
        console.print(f"   {p.code} {p.name} {p.hanzi} ({p.ja_reading}): {p.location}")
        console.print(f"      {m('label_caution')}: {p.caution}")
    if acu.evidence:
        console.print(f"  {m('label_evidence')}:")
        for e in acu.evidence:
            console.print(f"   [{e.position}] {e.claim} ({e.source})")
    console.print()

    console.print(Text(m("heading_referral"), style="bold underline"))
    console.print(f"  {a.referral.to}: {a.referral.urgency}")
    console.print(f"  {a.referral.text}")
    if a.warnings:
        console.print()
        console.print(Text(m("heading_warnings"), style="bold underline"))
        for w in a.warnings:
            console.print(f"   • {w}")
    console.print()
    console.print(f"{m('label_rules')}: {a.rules_version} ({a.rules_digest})", style="dim" if color else "")
    console.print(Text(a.disclaimer, style="bold"))
    return buffer.getvalue()
