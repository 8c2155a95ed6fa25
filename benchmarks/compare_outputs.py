"""Capture every user-visible output of a kneeguide tree, and compare two captures.

A restructuring must not change what anyone sees. This script runs the command line
of one source tree over a fixed corpus and stores stdout, stderr and the exit status
of every run; a second capture of another tree is then compared byte for byte.

    python benchmarks/compare_outputs.py capture OUT [--src SRC] [--records N]
    python benchmarks/compare_outputs.py diff OLD NEW

The corpus:

* ``assess`` on every vignette in ``tests/vignettes`` in every format, both languages
  and both audiences;
* ``note`` (Markdown, text, HTML, with the example clinic profile and a patient name)
  and ``export --fhir`` on every vignette in both languages;
* ``batch`` on N generated answer sets (default 30,000) as JSON Lines and CSV, to
  JSON Lines, CSV and ``--full``, in one process and with ``--workers 2``;
* ``questions``, ``rules validate/test/coverage/strings/schema`` and every
  command's ``--help``.

Notes stamp the time they were printed; that stamp is masked before comparing.
``SRC`` is put first on ``PYTHONPATH`` (default: this checkout's ``src``), and each
capture gets its own empty cache, data and config folders.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import os
import re
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import yaml
from run import generated  # benchmarks/run.py: the same generated answer sets

ROOT = Path(__file__).resolve().parent.parent
VIGNETTES = sorted((ROOT / "tests" / "vignettes").glob("*.yaml"))
CLINIC = ROOT / "examples" / "clinic-tokyo.yaml"
# the printing time in notes and exports: 2026-11-30 19:04, 2026年11月30日 19:04, ISO stamps
STAMPS = re.compile(
    rb"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)?"
    rb"|\d{4}\xe5\xb9\xb4\d{1,2}\xe6\x9c\x88\d{1,2}\xe6\x97\xa5( ?\d{1,2}:\d{2})?"
    rb"|\d{4}-\d{2}-\d{2}"
)
# FHIR resources carry random ids (urn:uuid)
UUIDS = re.compile(rb"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


class Capture:
    def __init__(self, out: Path, src: Path) -> None:
        self.out = out
        self.home = Path(tempfile.mkdtemp(prefix="kg-compare-"))
        self.env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("KNEEGUIDE_", "LC_", "XDG_")) and k not in {"LANG", "LANGUAGE", "COLUMNS"}
        }
        self.env.update(
            PYTHONPATH=str(src),
            HOME=str(self.home),
            XDG_CACHE_HOME=str(self.home / "cache"),
            XDG_DATA_HOME=str(self.home / "data"),
            XDG_CONFIG_HOME=str(self.home / "config"),
            LANG="C.UTF-8",
            NO_COLOR="1",
            COLUMNS="100",
        )

    def run(self, name: str, args: list[str], stdin: bytes | None = None) -> None:
        proc = subprocess.run(
            [sys.executable, "-m", "kneeguide", *args],
            input=stdin if stdin is not None else b"",
            capture_output=True,
            env=self.env,
            cwd=self.home,
            check=False,
        )
        target = self.out / name
        target.parent.mkdir(parents=True, exist_ok=True)
        (target.parent / (target.name + ".out")).write_bytes(self._mask(proc.stdout))
        (target.parent / (target.name + ".err")).write_bytes(self._mask(proc.stderr))
        (target.parent / (target.name + ".rc")).write_text(f"{proc.returncode}\n")

    @staticmethod
    def _mask(data: bytes) -> bytes:
        return UUIDS.sub(b"UUID", STAMPS.sub(b"STAMP", data))


def capture(out: Path, src: Path, records: int) -> None:
    out.mkdir(parents=True, exist_ok=True)
    cap = Capture(out, src)
    jobs: list[tuple[str, list[str], bytes | None]] = []
    for path in VIGNETTES:
        story = yaml.safe_load(path.read_text(encoding="utf-8"))
        data = json.dumps(story["answers"]).encode()
        region = ["--region", story["region"]] if story.get("region") else []
        for lang in ("en", "ja"):
            for audience in ("lay", "practitioner"):
                for fmt in ("text", "json", "markdown"):
                    args = f"assess -f - --format {fmt} --lang {lang} --audience {audience}".split()
                    jobs.append((f"assess/{path.stem}.{lang}.{audience}.{fmt}", [*args, *region], data))
            for fmt in ("markdown", "text", "html"):
                args = f"note -f - --format {fmt} --lang {lang} --clinic {CLINIC}".split()
                args += ["--patient", "Test Patient", *region]
                jobs.append((f"note/{path.stem}.{lang}.{fmt}", args, data))
            jobs.append((f"fhir/{path.stem}.{lang}", f"export --fhir -f - --lang {lang}".split(), data))
    for lang in ("en", "ja"):
        for audience in ("lay", "practitioner"):
            for fmt in ("text", "json"):
                args = f"questions --format {fmt} --lang {lang} --audience {audience}".split()
                jobs.append((f"questions/{lang}.{audience}.{fmt}", args, None))
    for sub in ("validate", "test", "coverage", "schema"):
        jobs.append((f"rules/{sub}", ["rules", sub], None))
    jobs.append(("rules/strings-ja", ["rules", "strings", "--lang", "ja"], None))
    jobs.append(("rules/explain-dvt", ["rules", "explain", "dvt"], None))
    commands = ["assess", "questions", "interview", "note", "export", "batch", "rules", "config"]
    commands += [
        f"rules {sub}" for sub in ["validate", "test", "coverage", "diff", "schema", "explain", "strings"]
    ]
    for command in ["", *commands]:
        jobs.append((f"help/{command.replace(' ', '_') or 'main'}", [*command.split(), "--help"], None))
    # errors people make
    jobs.append(("errors/unknown-id", ["assess", "-a", "calf_pian=yes", "--format", "json"], None))
    jobs.append(("errors/bad-value", ["assess", "-a", "age=300", "-a", "fever=maybe"], None))
    jobs.append(("errors/no-such-command", ["asess"], None))
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(lambda job: cap.run(*job), jobs))

    proc = subprocess.run(
        [sys.executable, "-m", "kneeguide", "questions", "--format", "json"],
        capture_output=True,
        env=cap.env,
        check=True,
    )
    sets = list(generated(json.loads(proc.stdout), records))
    jsonl = cap.home / "in.jsonl"
    jsonl.write_text("".join(json.dumps(s) + "\n" for s in sets), encoding="utf-8")
    columns = ["id", *sorted({k for s in sets for k in s} - {"id"})]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for s in sets:
        writer.writerow(["" if s.get(c) is None else s[c] for c in columns])
    table = cap.home / "in.csv"
    table.write_text(buffer.getvalue(), encoding="utf-8")
    for source in (jsonl, table):
        for workers in ("1", "2"):
            kind = source.suffix[1:]
            for fmt in ("jsonl", "csv"):
                cap.run(
                    f"batch/{kind}-to-{fmt}.w{workers}",
                    ["batch", str(source), "--output-format", fmt, "--workers", workers],
                )
            cap.run(f"batch/{kind}-full.w{workers}", ["batch", str(source), "--full", "--workers", workers])
            cap.run(
                f"batch/{kind}-resume.w{workers}",
                ["batch", str(source), "--resume-from", "12345", "--workers", workers],
            )
    bad = b'{"id": 1, "age": 40}\n{"id": 2, "age": 400}\nnot json\n\n{"id": 3, "calf_pian": "yes"}\r\n'
    cap.run("batch/bad-lines", ["batch", "-"], bad)
    print(f"captured {len(jobs) + 13} runs in {out}")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def diff(old: Path, new: Path) -> int:
    a = {p.relative_to(old) for p in old.rglob("*") if p.is_file()}
    b = {p.relative_to(new) for p in new.rglob("*") if p.is_file()}
    problems = [f"only in {old}: {p}" for p in sorted(a - b)] + [f"only in {new}: {p}" for p in sorted(b - a)]
    problems += [f"differs: {p}" for p in sorted(a & b) if digest(old / p) != digest(new / p)]
    for line in problems:
        print(line)
    print(f"{len(a & b)} files compared, {len(problems)} differences")
    return 1 if problems else 0


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    cap = sub.add_parser("capture")
    cap.add_argument("out", type=Path)
    cap.add_argument("--src", type=Path, default=ROOT / "src")
    cap.add_argument("--records", type=int, default=30_000)
    dif = sub.add_parser("diff")
    dif.add_argument("old", type=Path)
    dif.add_argument("new", type=Path)
    args = parser.parse_args()
    if args.command == "capture":
        capture(args.out, args.src.resolve(), args.records)
    else:
        raise SystemExit(diff(args.old, args.new))


if __name__ == "__main__":
    main()
