"""Interview sessions on disk: saved after every answer, resumable after a crash.

A session file is JSON holding the answers, the prompts asked so far (so
"back" and resume work), the audience, region and language, and the digest of
the rules it was started with. It is written atomically and owner-only, under
the user's data directory (``KNEEGUIDE_DATA_DIR`` overrides it, for tests and
for clinics that keep records elsewhere).
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from kneeguide.errors import InputError, Location, Problem
from kneeguide.files import private_dir, write_atomic

FORMAT = "kneeguide-session"
VERSION = 1


def data_dir() -> Path:
    override = os.environ.get("KNEEGUIDE_DATA_DIR")
    if override:
        return Path(override)
    from kneeguide.files import user_dir

    return user_dir("data")


def sessions_dir() -> Path:
    return data_dir() / "sessions"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass
class Session:
    path: Path
    audience: str
    region: str
    lang: str
    rules_digest: str
    answers: dict[str, Any] = field(default_factory=dict)
    steps: list[list[str]] = field(default_factory=list)
    individually: list[str] = field(default_factory=list)
    emergency_shown: bool = False
    status: str = "in_progress"
    created: str = field(default_factory=_now)
    updated: str = field(default_factory=_now)

    @classmethod
    def new(cls, audience: str, region: str, lang: str, rules_digest: str) -> Session:
        folder = private_dir(sessions_dir())
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        path = folder / f"{stamp}.json"
        suffix = 1
        while path.exists():
            suffix += 1
            path = folder / f"{stamp}-{suffix}.json"
        return cls(path, audience, region, lang, rules_digest)

    def save(self) -> None:
        self.updated = _now()
        body = {
            "format": FORMAT,
            "version": VERSION,
            "status": self.status,
            "created": self.created,
            "updated": self.updated,
            "audience": self.audience,
            "region": self.region,
            "lang": self.lang,
            "rules_digest": self.rules_digest,
            "answers": self.answers,
            "steps": self.steps,
            "individually": self.individually,
            "emergency_shown": self.emergency_shown,
        }
        if self.path.exists():
            # Keep the last good copy: a file damaged later (by hand, by a disk fault)
            # never takes the answers with it.
            prev = self.previous
            with contextlib.suppress(OSError):
                if prev.exists():
                    prev.unlink()
                os.link(self.path, prev)
        write_atomic(self.path, json.dumps(body, ensure_ascii=False, indent=2) + "\n")

    @property
    def previous(self) -> Path:
        return self.path.with_name(self.path.name + ".prev")

    @classmethod
    def load(cls, path: Path) -> Session:
        where = Location(str(path))
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise InputError([Problem("session file not found", where, "session_not_found")]) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError([Problem(f"cannot read session: {exc}", where, "session_unreadable")]) from None
        except json.JSONDecodeError as exc:
            at = Location(str(path), exc.lineno, exc.colno)
            message = f"session file is damaged: {exc.msg}"
            prev = path.with_name(path.name + ".prev")
            if prev.exists():
                message += f"; the previous copy is intact: kneeguide interview --resume {prev}"
                problem = Problem(message, at, "session_damaged_prev", (("prev", str(prev)),))
            else:
                problem = Problem(message, at, "session_damaged")
            raise InputError([problem]) from None
        if not isinstance(raw, dict) or raw.get("format") != FORMAT:
            raise InputError([Problem("not a kneeguide session file", where, "session_not_a_session")])
        try:
            return cls(
                path=path,
                audience=str(raw["audience"]),
                region=str(raw["region"]),
                lang=str(raw["lang"]),
                rules_digest=str(raw["rules_digest"]),
                answers=dict(raw["answers"]),
                steps=[list(map(str, s)) for s in raw["steps"]],
                individually=list(map(str, raw.get("individually", []))),
                emergency_shown=bool(raw.get("emergency_shown", False)),
                status=str(raw.get("status", "in_progress")),
                created=str(raw.get("created", _now())),
                updated=str(raw.get("updated", _now())),
            )
        except (KeyError, TypeError, ValueError) as exc:
            problem = Problem(f"session file is incomplete ({exc})", where, "session_incomplete")
            raise InputError([problem]) from None


def latest_in_progress() -> Path | None:
    folder = sessions_dir()
    if not folder.is_dir():
        return None
    for path in sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True):
        # (".prev" copies do not match "*.json")
        try:
            if Session.load(path).status == "in_progress":
                return path
        except InputError:
            continue
    return None
