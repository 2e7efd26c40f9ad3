"""Package lookups answered from indexes give the answers a scan of every file's bytes gives."""

from __future__ import annotations

import re
from pathlib import Path

from leaktrail.source import package as pkgmod
from leaktrail.source.gomod import Module
from leaktrail.source.package import GoFile, Package

REPO = Path(__file__).resolve().parents[2]
TESTDATA = REPO / "tests" / "rules" / "testdata"


def _package() -> Package:
    files = [
        GoFile(p, str(p), p.read_bytes(), p.name.endswith("_test.go")) for p in sorted(TESTDATA.rglob("*.go"))
    ]
    return Package(TESTDATA, "p", files, Module(TESTDATA, "example.com/p", None))


def _needles(pkg: Package) -> list[bytes]:
    words = sorted({w for f in pkg.files[:15] for w in re.findall(rb"\w+", f.data)})
    parts = [w[1:-1] for w in words if len(w) > 3]
    return [*words[::7], *parts[::11], b"x", b"_", b"0", b"Lock", b"notthereatall", b"go ", b"<-", b"close("]


def test_word_index_answers_like_a_scan() -> None:
    pkg = _package()
    needles = _needles(pkg)
    expected = {n: [f for f in pkg.files if n in f.data] for n in needles}
    indexed = _package()
    indexed._words = pkgmod._WordIndex(indexed.files)
    for n in needles:
        got = [f.path for f in indexed.files_containing(n)]
        assert got == [f.path for f in expected[n]], n


def test_index_is_built_only_after_many_lookups() -> None:
    pkg = _package()
    for i, n in enumerate(_needles(pkg)):
        pkg.files_containing(n)
        if pkg._words is None:
            assert pkg._scanned <= (pkgmod._INDEX_AFTER + 1) * pkg.size, i
    assert pkg._words is not None


def test_files_with_word_are_whole_words() -> None:
    pkg = _package()
    for word in ("c", "mu", "ch", "wg", "Lock", "ctx", "done", "nosuchname"):
        expected = [f.path for f in pkg.files if re.search(rb"(?<!\w)" + word.encode() + rb"(?!\w)", f.data)]
        assert [f.path for f in pkg.files_with_word(word)] == expected, word
        big = _package()
        big._words = pkgmod._WordIndex(big.files)
        assert [f.path for f in big.files_with_word(word)] == expected, word
    assert pkg.files_with_word("c") != pkg.files_containing(b"c")


def test_declaring_prefers_gofmt_declarations() -> None:
    pkg = _package()
    for name in ("main", "worker", "Server", "run", "produce"):
        declared = [f for f in pkg.files if name in f.toplevel_names]
        assert declared, name
        assert pkg.declaring("func", name) == declared, name
    # Not declared at top level in gofmt shape: every file mentioning it (as before the index).
    assert pkg.declaring("type", "nosuchname") == []
