"""The package's needle fast paths (gates, unions, the regex literal search, contains_any) answer
exactly what a scan of every file's bytes for each needle answers."""

from __future__ import annotations

import random
import re
from pathlib import Path

from leaktrail.rules import all_rules
from leaktrail.source import package as pkgmod
from leaktrail.source.gomod import Module
from leaktrail.source.package import GoFile, Package

REPO = Path(__file__).resolve().parents[2]
TESTDATA = REPO / "tests" / "rules" / "testdata"
SRC = REPO / "src" / "leaktrail"


def _files() -> list[GoFile]:
    paths = sorted(TESTDATA.rglob("*.go"))
    files = [GoFile(p, str(p), p.read_bytes(), p.name.endswith("_test.go")) for p in paths]
    crafted = [
        b"",
        b"(",
        b"go\tx",
        b"select\t{",
        b"make(chan",
        b"mak(chan",
        b"chan",
        b".RLock()",
        b"Lock(",
        b"\xff<-",
    ]
    files += [GoFile(Path(f"c{i}.go"), f"c{i}.go", d, False) for i, d in enumerate(crafted)]
    return files


def _packages() -> list[Package]:
    files = _files()
    module = Module(TESTDATA, "example.com/p", None)
    groups = [files, files[::3], files[1::5], files[-12:], [f for f in files if b"chan" not in f.data]]
    return [
        Package(TESTDATA, "p", [GoFile(f.path, f.display, f.data, False) for f in g], module) for g in groups
    ]


def _registry_needles() -> list[bytes]:
    return list(dict.fromkeys(n for r in all_rules() for n in r.prefilter + r.package_needs))


def _needles() -> list[bytes]:
    words = sorted({w for p in sorted(SRC.rglob("*.py"))[:8] for w in re.findall(rb"\w+", p.read_bytes())})
    extra = [
        b"x",
        b"(",
        b"chan ",
        b"make(chan int",
        b"select {}",
        b"Lock()\n",
        b".RLock()",
        b"go\t",
        b"\xff<-",
    ]
    return [*_registry_needles(), *words[::13], *extra, b"not-there-at-all("]


def test_literal_search_is_the_in_operator() -> None:
    rng = random.Random(13)
    needles = [*_needles(), b"a.b", b"[x]", b"\\d", b"*+?", b"^$", b"|", b"\n", b"\x00", b"{2}", b"(?i)A"]
    alphabet = [b"a", b"b", b".", b"x", b"[", b"]", b"\\", b"d", b"(", b"\n", b"A", b"\x00", b"{", b"2", b"}"]
    samples = [f.data for f in _files()]
    samples += [b"".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30))) for _ in range(400)]
    for needle in needles:
        search = pkgmod._literal_search(needle)
        for data in samples:
            assert bool(search(data)) == (needle in data), (needle, data[:60])


def test_files_containing_with_gates_is_the_scan() -> None:
    all_rules()  # registers the registry's needles and gates
    assert pkgmod._GATES, "no gates registered"
    needles = _needles()
    for pkg in _packages():
        for order in (needles, needles[::-1]):
            fresh = Package(pkg.dir, pkg.name, pkg.files, pkg.module)
            for needle in order:
                expected = [f for f in pkg.files if needle in f.data]
                assert fresh.files_containing(needle) == expected, needle


def test_unions_and_contains_any_are_the_scans() -> None:
    all_rules()
    rng = random.Random(5)
    needles = _needles()
    groups = [r.prefilter for r in all_rules()] + [r.package_needs for r in all_rules() if r.package_needs]
    groups += [tuple(rng.sample(needles, rng.randint(1, 5))) for _ in range(200)]
    for pkg in _packages():
        fresh = Package(pkg.dir, pkg.name, pkg.files, pkg.module)
        for group in groups:
            union = [f for f in pkg.files if any(n in f.data for n in group)]
            assert fresh.files_containing_any(group) == union, group
            assert fresh.contains_any(group) == any(n in f.data for f in pkg.files for n in group), group
            # asked again after other answers are known: the same
            assert fresh.contains_any(group) == bool(union), group
            for n in group:
                assert fresh.contains(n) == any(n in f.data for f in pkg.files), n


def test_candidates_are_the_old_computation() -> None:
    for pkg in _packages():
        fresh = Package(pkg.dir, pkg.name, pkg.files, pkg.module)
        for rule in all_rules():
            # Rule.candidates as it was: any needed needle in some file, then each prefilter needle's
            # files, in package order
            if rule.package_needs and not any(n in f.data for n in rule.package_needs for f in pkg.files):
                expected: list[GoFile] = []
            else:
                expected = [f for f in pkg.files if any(n in f.data for n in rule.prefilter)]
            assert rule.candidates(fresh) == expected, rule.code
