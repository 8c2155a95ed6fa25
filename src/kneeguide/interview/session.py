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

from kneeguide.errors import InputError, KneeguideError, Location, Problem
from kneeguide.files import private_dir, write_atomic
from kneeguide.inputs.bounded import read_regular

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
        """The session saved at ``path``.

        The file must be a regular file of at most :data:`MAX_BYTES` (a FIFO or
        ``/dev/zero`` is refused before a byte is read) holding strict JSON (no
        duplicate key, no ``NaN``) with the fields :meth:`save` writes. Raises
        :class:`InputError` with one line naming the file (and, when the file is
        damaged, its intact previous copy). The answers come back as saved, not yet
        checked: the caller checks them against the rules it runs with, as every
        other answer is checked (``kneeguide.ruleset.answers.check_answers``).
        """
        from kneeguide.ruleset.jsonio import parse_json
        from kneeguide.ruleset.yamlio import decode, to_plain

        shown = str(path)
        where = Location(shown)
        data = read_regular(path, MAX_BYTES, "session file", _READ_KEYS)
        try:
            raw = to_plain(parse_json(decode(data, shown), shown))
        except KneeguideError as exc:
            first = exc.problems[0]
            message = f"session file is damaged: {first.message}"
            prev = path.with_name(path.name + ".prev")
            if prev.exists():
                message += f"; the previous copy is intact: kneeguide interview --resume {prev}"
                problem = Problem(message, first.location, "session_damaged_prev", (("prev", str(prev)),))
            else:
                problem = Problem(message, first.location, "session_damaged")
            raise InputError([problem]) from None
        if not isinstance(raw, dict) or raw.get("format") != FORMAT:
            raise InputError([Problem("not a kneeguide session file", where, "session_not_a_session")])
        try:
            return cls(
                path=path,
                audience=_field(raw, "audience", str),
                region=_field(raw, "region", str),
                lang=_field(raw, "lang", str),
                rules_digest=_field(raw, "rules_digest", str),
                answers=dict(_field(raw, "answers", dict)),
                steps=_field(raw, "steps", (list, _IDS)),
                individually=_field(raw, "individually", _IDS, []),
                emergency_shown=_field(raw, "emergency_shown", bool, False),
                status=_field(raw, "status", str, "in_progress"),
                created=_field(raw, "created", str, _now()),
                updated=_field(raw, "updated", str, _now()),
            )
        except ValueError as exc:
            problem = Problem(f"session file is incomplete ({exc})", where, "session_incomplete")
            raise InputError([problem]) from None


#: The most a session file may hold, in bytes: a whole interview saves under 20 KiB.
MAX_BYTES = 4 * 1024 * 1024
#: The message keys of a session file that cannot be read (see ``files.read_regular``).
_READ_KEYS = {
    "not_found": "session_not_found",
    "directory": "session_not_regular",
    "not_regular": "session_not_regular",
    "too_large": "session_too_large",
    "unreadable": "session_unreadable",
}


_REQUIRED: Any = object()
_SHAPES = {str: "text", bool: "true or false", list: "a list", dict: "a mapping"}
#: The shape of a list field: (list, the shape of each item).
_IDS = (list, str)


def _field(raw: dict[str, Any], name: str, shape: Any, default: Any = _REQUIRED) -> Any:
    """``raw[name]`` if it has ``shape`` (a type, or ``(list, item shape)``); raises
    ValueError naming the field when it is missing (and required) or of another shape."""
    value = raw.get(name, default)
    if value is _REQUIRED:
        raise ValueError(f"no '{name}'")
    kind, inner = shape if isinstance(shape, tuple) else (shape, None)
    if not isinstance(value, kind):
        raise ValueError(f"'{name}': expected {_SHAPES[kind]}, found {type(value).__name__}")
    for item in value if inner is not None else ():
        _field({name: item}, name, inner)
    return value


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
