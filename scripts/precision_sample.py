"""Draw the fixed-seed precision sample: up to N findings per rule from a default scan of each repository.

Usage: python scripts/precision_sample.py [--seed 2026] [--per-rule 8] [--confidence high] REPO_DIR...

Prints one markdown row per sampled finding (repository, rule, path:line, message) with empty verdict columns,
so a triage can be filled in and kept in docs/precision.md. The sample depends only on the seed and the
findings, so re-running it after a change shows which sampled findings disappeared or appeared.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
from collections import defaultdict
from pathlib import Path


def findings(repo: Path, confidence: str) -> list[dict[str, object]]:
    cmd = [sys.executable, "-m", "leaktrail", "scan", ".", "--format", "json", "--no-cache"]
    if confidence != "high":
        cmd += ["--confidence", confidence]
    out = subprocess.run(cmd, cwd=repo, capture_output=True, text=True, check=False)
    if out.returncode not in (0, 1):
        sys.exit(f"{repo}: scan failed (exit {out.returncode}): {out.stderr.strip()[:300]}")
    data: list[dict[str, object]] = json.loads(out.stdout)["findings"]
    return [f for f in data if not f.get("suppressed")]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("repos", nargs="+", type=Path)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--per-rule", type=int, default=8)
    ap.add_argument("--confidence", default="high", choices=["high", "low"])
    ap.add_argument("--json", action="store_true", help="print the sample as JSON instead of markdown")
    args = ap.parse_args()
    sample: list[dict[str, object]] = []
    for repo in args.repos:
        by_rule: dict[str, list[dict[str, object]]] = defaultdict(list)
        for f in findings(repo, args.confidence):
            by_rule[str(f["rule"])].append(f)
        for rule in sorted(by_rule):
            items = sorted(by_rule[rule], key=lambda f: (str(f["path"]), int(str(f["line"]))))
            rng = random.Random(f"{args.seed}:{repo.name}:{rule}")
            picked = items if len(items) <= args.per_rule else rng.sample(items, args.per_rule)
            for f in sorted(picked, key=lambda f: (str(f["path"]), int(str(f["line"])))):
                sample.append({"repo": repo.name, "total": len(items), **f})
    if args.json:
        print(json.dumps(sample, indent=1))
        return
    print("| repo | rule | location | verdict | reason |")
    print("|---|---|---|---|---|")
    for f in sample:
        print(f"| {f['repo']} | {f['rule']} | {f['path']}:{f['line']} |  |  |")


if __name__ == "__main__":
    main()
