"""kneeguide benchmarks: startup, batch throughput and batch memory.

Run from the repository root, with kneeguide installed:

    python benchmarks/run.py                      # all three, default sizes
    python benchmarks/run.py startup --runs 30
    python benchmarks/run.py throughput --records 100000
    python benchmarks/run.py memory --small 10000 --large 1000000

These are measurements, not tests: they print figures for the README's
Performance section and never fail on a number.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

KNEEGUIDE = [sys.executable, "-m", "kneeguide"]


def question_rows() -> list[dict[str, Any]]:
    """The questions as ``kneeguide questions --format json`` lists them (id, type, choices, min, max)."""
    done = subprocess.run(
        [*KNEEGUIDE, "questions", "--format", "json"], capture_output=True, check=True, env=CHILD_ENV
    )
    rows: list[dict[str, Any]] = json.loads(done.stdout)
    return rows


def generated(rows: list[dict[str, Any]], count: int, seed: int = 7) -> Iterator[dict[str, Any]]:
    """Deterministic random answer sets (30 questions each, an ``id``) over ``rows``."""
    rng = random.Random(seed)
    for i in range(count):
        answers: dict[str, Any] = {"id": i}
        for q in rng.sample(rows, 30):
            if q["type"] == "yn":
                answers[q["id"]] = rng.choice(("yes", "no", "no", "no", "unsure"))
            elif q["type"] == "choice":
                answers[q["id"]] = rng.choice(q["choices"])
            else:
                low = int(q.get("min") or 0)
                high = q.get("max")
                answers[q["id"]] = rng.randint(low, int(high) if high is not None else low + 100)
        yield answers


def answer_sets(count: int, seed: int = 7) -> Iterator[str]:
    """:func:`generated` answer sets over the real questions, as JSON lines."""
    for answers in generated(question_rows(), count, seed):
        yield json.dumps(answers) + "\n"


# Children may write bytecode even where the caller's shell forbids it: a real
# installation has its .pyc files, and without them every run would recompile.
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, env=CHILD_ENV)
    return time.perf_counter() - start


def startup(runs: int) -> None:
    assess = [*KNEEGUIDE, "assess", "-a", "age=30", "-a", "calf_swelling=yes", "--format", "json"]
    exe = Path(sys.executable).with_name("kneeguide")
    if exe.exists():
        assess = [str(exe), *assess[3:]]
    floor = [sys.executable, "-c", "import typer, yaml, json"]
    timed(assess)  # warm the rules cache and the OS page cache once
    ours, base = [], []
    for _ in range(runs):  # interleaved, so both see the same machine load
        ours.append(timed(assess))
        base.append(timed(floor))
    a, b = statistics.median(ours), statistics.median(base)
    # Each run of ours is paired with the floor run right after it, so a pair sees the
    # same machine load; the median of the pairs' ratios is steadier than a ratio of medians.
    paired = statistics.median(x / y for x, y in zip(ours, base, strict=True))
    print(f"(a) startup, median of {runs} cold processes:")
    print(f"    kneeguide assess --format json   {a * 1000:7.1f} ms")
    print(f"    python -c 'import typer, yaml, json' {b * 1000:7.1f} ms (floor)")
    print(f"    ratio {a / b:.2f} x the floor; median of paired ratios {paired:.2f} (target <= 1.3)")


def proof(runs: int) -> None:
    """(d) the proof that a custom rule set is never weaker (kneeguide.ruleset.proof): its time
    on the built-in set against itself, in process, and a cached ``assess --rules`` against the
    built-in ``assess`` as whole processes (a cached custom set must not pay for the proof)."""
    from kneeguide.ruleset.load import load_rules
    from kneeguide.ruleset.proof import prove

    builtin = load_rules(use_cache=False)
    took = []
    for _ in range(max(3, runs // 4)):
        start = time.perf_counter()
        assert prove(builtin, builtin) == []
        took.append(time.perf_counter() - start)
    print("(d) the not-weaker proof:")
    print(
        f"    built-in set against itself: median {statistics.median(took) * 1000:.0f} ms "
        f"(min {min(took) * 1000:.0f}, max {max(took) * 1000:.0f}; z3 imported once)"
    )
    overlay = Path(__file__).parent.parent / "tests" / "inputs" / "weaker" / "dvt_stricter"
    plain = [*KNEEGUIDE, "assess", "-a", "age=30", "-a", "calf_swelling=yes", "--format", "json"]
    custom = [*plain[:4], "--rules", str(overlay), *plain[4:]]
    timed(plain), timed(custom)  # warm both cache entries
    a, b = [], []
    for _ in range(runs):
        a.append(timed(plain))
        b.append(timed(custom))
    print(
        f"    cached assess, built-in rules {statistics.median(a) * 1000:7.1f} ms; "
        f"--rules overlay {statistics.median(b) * 1000:7.1f} ms (median of {runs}, interleaved)"
    )


def throughput(records: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp, "answers.jsonl")
        with source.open("w") as handle:
            handle.writelines(answer_sets(records))
        print(f"(b) batch throughput on {records:,} generated answer sets:")
        for workers in (1, 2):
            out = Path(tmp, f"out{workers}.jsonl")
            took = timed(
                [*KNEEGUIDE, "batch", str(source), "-o", str(out), "--force", "--workers", str(workers)]
            )
            lines = sum(1 for _ in out.open())
            assert lines == records, f"expected {records} records, got {lines}"
            print(f"    --workers {workers}: {records / took:10,.0f} records/s ({took:.1f} s)")


def peak_rss(records: int, workers: int) -> float:
    """Peak resident memory (MiB) of a batch run fed through a pipe."""
    script = (
        "import resource, subprocess, sys\n"
        "p = subprocess.Popen(sys.argv[1:], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)\n"
        "for line in sys.stdin: p.stdin.write(line.encode())\n"
        "p.stdin.close(); p.wait()\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", script, *KNEEGUIDE, "batch", "-", "--workers", str(workers)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=CHILD_ENV,
    )
    assert proc.stdin is not None
    for line in answer_sets(records):
        proc.stdin.write(line)
    proc.stdin.close()
    out = proc.stdout.read() if proc.stdout else "0"
    proc.wait()
    return int(out.strip() or 0) / 1024


def memory(small: int, large: int, workers: int) -> None:
    print(f"(c) peak resident memory, the largest of the batch processes (--workers {workers}):")
    for count in (small, large):
        start = time.perf_counter()
        mib = peak_rss(count, workers)
        print(f"    {count:>9,} records: {mib:6.1f} MiB  ({time.perf_counter() - start:.0f} s)")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "which", nargs="?", default="all", choices=("all", "startup", "throughput", "memory", "proof")
    )
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--workers", default="1,2", help="workers for the memory runs, e.g. 1,2")
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cpus, {time.strftime('%Y-%m-%d')}")
    if args.which in ("all", "startup"):
        startup(args.runs)
    if args.which in ("all", "throughput"):
        throughput(args.records)
    if args.which in ("all", "proof"):
        proof(args.runs)
    if args.which in ("all", "memory"):
        for workers in (int(w) for w in args.workers.split(",")):
            memory(args.small, args.large, workers)


if __name__ == "__main__":
    main()
