"""Finding and reading rule files, and the digest that names their contents.

Every command reads its rules through here (:mod:`load`), so this module
imports nothing heavy: no YAML, no hashlib, and :mod:`importlib.resources`
only for an installation without a plain rules folder.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from kneeguide.errors import Location, Problem, RulesError
from kneeguide.ids import RULE_FILES

#: where a rule set keeps its translation catalogues (one folder per language)
LOCALE_DIR = "locale"

if TYPE_CHECKING:
    if sys.version_info >= (3, 11):
        from importlib.resources.abc import Traversable
    else:
        from importlib.abc import Traversable


class Hasher(Protocol):
    def update(self, data: bytes, /) -> None: ...
    def hexdigest(self) -> str: ...


def _sha256_constructor() -> Callable[[], Hasher]:
    """The small built-in SHA-256 module when there is one: hashlib would first
    load OpenSSL, which costs about 3 ms on every command."""
    import importlib

    for name in ("_sha2", "_sha256"):  # Python 3.12+, then 3.10 and 3.11
        try:
            constructor: Callable[[], Hasher] = importlib.import_module(name).sha256
            return constructor
        except (ImportError, AttributeError):
            continue
    import hashlib  # pragma: no cover - a Python built without them

    return hashlib.sha256  # pragma: no cover


sha256 = _sha256_constructor()

BUILTIN = "built-in"
MAX_RULE_BYTES = 2 * 1024 * 1024


def builtin_rules() -> Path | Traversable:
    """The rule files shipped inside the package (a plain folder when installed normally)."""
    here = Path(__file__).parent.parent / "rules"
    if here.is_dir():
        return here
    from importlib import resources

    return resources.files("kneeguide").joinpath("rules")


def read_files(source: Traversable | Path, *, partial: bool = False) -> dict[str, tuple[str, bytes]]:
    """Read the rule files: name → (display path, bytes).

    A missing file is an error, unless ``partial`` (an overlay directory holds only
    the files it changes).
    """
    problems: list[Problem] = []
    out: dict[str, tuple[str, bytes]] = {}
    if isinstance(source, Path) and not source.is_dir():
        raise RulesError([Problem("rules directory not found", Location(str(source)))])
    base = str(source) if isinstance(source, Path) else "kneeguide/rules"
    for name in RULE_FILES:
        entry = source.joinpath(name)
        shown = f"{base}/{name}"
        try:
            if isinstance(entry, Path):
                if entry.exists() and not entry.is_file():
                    problems.append(Problem("not a regular file", Location(shown)))
                    continue
                with entry.open("rb") as handle:
                    data = handle.read(MAX_RULE_BYTES + 1)
                if len(data) > MAX_RULE_BYTES:
                    problems.append(
                        Problem(f"file larger than {MAX_RULE_BYTES // 1024} KiB", Location(shown))
                    )
                    continue
                out[name] = (shown, data)
            else:
                out[name] = (shown, entry.read_bytes())
        except FileNotFoundError:
            if not partial:
                problems.append(Problem("rule file is missing", Location(shown)))
        except OSError as exc:
            problems.append(Problem(f"cannot read rule file: {exc.strerror}", Location(shown)))
    problems += _read_catalogues(source, base, out)
    if problems:
        raise RulesError(problems)
    return out


#: the file that held translations keyed by their English text, before catalogues keyed by id
_OLD_TRANSLATIONS = "translations.yaml"


def _read_catalogues(
    source: Traversable | Path, base: str, out: dict[str, tuple[str, bytes]]
) -> list[Problem]:
    """Read every translation catalogue, ``locale/<lang>/<rule file stem>.po``, into ``out``.

    Anything else in ``locale/`` is a problem (a catalogue no text would read is a
    mistake, not an extra), and so is an old ``translations.yaml``, which would
    otherwise be ignored without a word.
    """
    problems: list[Problem] = []
    old = source.joinpath(_OLD_TRANSLATIONS)
    if old.is_file():
        problems.append(
            Problem(
                "translations are no longer read from translations.yaml: they are gettext catalogues keyed "
                "by text id, locale/<lang>/<rule file>.po (kneeguide rules strings --lang LANG --update DIR "
                "writes them)",
                Location(f"{base}/{_OLD_TRANSLATIONS}"),
            )
        )
    locale = source.joinpath(LOCALE_DIR)
    if not locale.is_dir():
        return problems
    stems = {name.removesuffix(".yaml") for name in RULE_FILES}
    for lang_dir in sorted(locale.iterdir(), key=lambda entry: entry.name):
        shown_dir = f"{base}/{LOCALE_DIR}/{lang_dir.name}"
        if not lang_dir.is_dir():
            problems.append(
                Problem("not a language folder (expected locale/<lang>/<rule file>.po)", Location(shown_dir))
            )
            continue
        for entry in sorted(lang_dir.iterdir(), key=lambda entry: entry.name):
            name = f"{LOCALE_DIR}/{lang_dir.name}/{entry.name}"
            shown = f"{base}/{name}"
            stem = entry.name.removesuffix(".po")
            if not entry.name.endswith(".po") or stem not in stems or not entry.is_file():
                expected = ", ".join(sorted(f"{s}.po" for s in stems))
                problems.append(
                    Problem(f"not a catalogue of a rule file (expected one of {expected})", Location(shown))
                )
                continue
            data = entry.read_bytes()
            if len(data) > MAX_RULE_BYTES:
                problems.append(Problem(f"file larger than {MAX_RULE_BYTES // 1024} KiB", Location(shown)))
                continue
            out[name] = (shown, data)
    return problems


def digest_of(files: dict[str, tuple[str, bytes]], base: dict[str, tuple[str, bytes]] | None = None) -> str:
    """sha256 over every file's name and bytes (an overlay's and its base's): any change
    gives a new digest."""
    h = sha256()
    if base is not None:
        h.update(digest_of(base).encode() + b"\0overlay\0")
    for name in (*RULE_FILES, *sorted(set(files) - set(RULE_FILES))):
        if name in files:
            h.update(name.encode())
            h.update(b"\0")
            h.update(files[name][1])
            h.update(b"\0")
    return "sha256:" + h.hexdigest()
