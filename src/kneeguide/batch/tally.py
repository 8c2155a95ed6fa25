"""The batch summary: how many records, at which levels, which red flags, which rows failed,
then, for a custom rule set, its label, the red flags it switches off and the safety texts
it rewords, and the disclaimer.

Each block is tallied where it was assessed (in its worker, with ``--workers``)
and the tallies are merged in input order, so the summary on stderr is the
same however the work was shared out.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from kneeguide.engine.advice import announced_of
from kneeguide.engine.announced import rules_used
from kneeguide.ids import Level
from kneeguide.ruleset.model import RuleSet

#: Error rows named in the summary; more are counted but not listed.
SHOWN_ERROR_ROWS = 20


@dataclass
class Tally:
    """Counts over batch records; ``last_row`` is the row of the last record counted.

    ``next_row`` is the first row after the records counted, the one to resume from:
    after the last record counted, else where the run began (``--resume-from``, given
    here), so an interrupted run that wrote nothing names its own first row, not row 1.
    """

    records: int = 0
    errors: int = 0
    error_rows: list[int] = field(default_factory=list)
    levels: Counter[str] = field(default_factory=Counter)
    red_flags: Counter[str] = field(default_factory=Counter)
    last_row: int = 0
    next_row: int = 1

    def add(self, out: dict[str, Any]) -> None:
        """Count one batch record (the next in input order)."""
        self.records += 1
        self.last_row = out["row"]
        self.next_row = self.last_row + 1
        if not out["ok"]:
            self.errors += 1
            if len(self.error_rows) < SHOWN_ERROR_ROWS:
                self.error_rows.append(out["row"])
            return
        self.levels[out["level"]] += 1
        self.red_flags.update(out["red_flags"])

    def merge(self, other: Tally) -> None:
        """Add a later block's tally to this one."""
        self.records += other.records
        self.errors += other.errors
        self.error_rows.extend(other.error_rows[: SHOWN_ERROR_ROWS - len(self.error_rows)])
        self.levels.update(other.levels)
        self.red_flags.update(other.red_flags)
        if other.records:
            self.last_row = other.last_row
            self.next_row = other.next_row

    def lines(self, rules: RuleSet) -> list[str]:
        """The summary: records by level (most urgent first), red flags by count, error rows;
        then, for a custom rule set, its label (``rules: custom rule set …``: its version,
        the built-in version it was checked against, its digest) and a warning for each
        red flag it switches off and each safety text it rewords (every record names them
        too); and the rules' disclaimer last, in English as the rest."""
        order = [lvl.id for lvl in sorted(Level, reverse=True)]
        levels = ", ".join(f"{k} {self.levels[k]}" for k in order if self.levels[k])
        flags = ", ".join(f"{k} {v}" for k, v in self.red_flags.most_common())
        noun = "record" if self.records == 1 else "records"
        out = [f"{self.records} {noun}: {levels or 'none assessed'}"]
        out.append(f"red flags: {flags or 'none'}")
        if self.errors:
            rows = ", ".join(map(str, self.error_rows)) + (
                " ..." if self.errors > len(self.error_rows) else ""
            )
            out.append(f"errors: {self.errors} (rows {rows})")
        else:
            out.append("errors: 0")
        used = rules_used(rules)
        if used.custom:
            from kneeguide.render.common import rules_label

            out.append(f"rules: {rules_label(used, rules, 'en')}")
        out += announced_of(rules, "en")
        out.append(rules.message("disclaimer", "en"))
        return out
