"""GL021's byte test of a field write (nilchans._may_write, two literal-led patterns checked at their
matches) answers as the loop over every occurrence of the name it replaced and as the regex its
docstring states, for every word of real standard-library files and for generated corner cases."""

from __future__ import annotations

import re

import pytest
from stdpkgs import TESTDATA, std_dirs

from leaktrail.rules.nilchans import _ASSIGNED, _COLON, _address_before, _may_write
from leaktrail.rules.tokens import word_boundary


def _loop(data: bytes, name: bytes) -> bool:
    """The former computation: every occurrence of the name, in turn."""
    n = len(name)
    at = data.find(name)
    while at >= 0:
        end = at + n
        dot = at > 0 and data[at - 1] == 0x2E
        if dot and _ASSIGNED.match(data, end):
            return True
        if dot and word_boundary(data, end) and _address_before(data, at - 1):
            return True
        if word_boundary(data, at) and _COLON.match(data, end):
            return True
        at = data.find(name, at + 1)
    return False


def _regex(data: bytes, name: bytes) -> bool:
    word = re.escape(name)
    pattern = rb"\." + word + rb"\s*(?:,|=[^=])|&[^\s;]*\." + word + rb"\b|\b" + word + rb"\s*:"
    return re.search(pattern, data) is not None


_WORDS = re.compile(rb"[A-Za-z_\x80-\xff][\w\x80-\xff]*")


def _files() -> list[bytes]:
    dirs = std_dirs(("context", "net/http", "sync", "time", "os/exec", "database/sql"))
    found = [p.read_bytes() for d in dirs for p in sorted(d.glob("*.go"))]
    found += [p.read_bytes() for p in sorted(TESTDATA.glob("GL021/**/*.go"))]
    found += [p.read_bytes() for p in sorted(TESTDATA.glob("GL005/**/*.go"))]
    return found


def test_real_files() -> None:
    compared = written = 0
    for data in _files():
        names = sorted(set(_WORDS.findall(data)))
        for name in names[:: max(1, len(names) // 150)]:  # (a spread of each file's words)
            want = _loop(data, name)
            assert _may_write(data, name) == want, name
            compared += 1
            written += want
    assert compared > 5000
    assert 0 < written < compared  # both answers occur


_CASES = [
    b"x.c = 1",
    b"x.c == 1",
    b"x.c= 1",
    b"x.c\n\t= 1",
    b"x.c, y.d = 1, 2",
    b"x.c , y",
    b"x.cc = 1",
    b"x.ac = 1",
    b"p := &x.c",
    b"p := &x.cc",
    b"f(&x[i].c)",
    b"f(&x; y.c)",
    b"f(& x.c)",
    b"&x.c.d",
    b"T{c: 1}",
    b"T{c : 1}",
    b"T{xc: 1}",
    b"T{\n\tc:\n1}",
    b"case c:",
    b"x.c := 1",
    b"c.c.c",
    b"&.c",
    b".c",
    b"c",
    b"&x.c\xc3\xa9 = 1",
    b"x.c\xc3\xa9: 1",
    b"\xc3\xa9c: 1",
]


@pytest.mark.parametrize("data", _CASES)
@pytest.mark.parametrize("name", [b"c", b"cc", b"c\xc3\xa9", b"d"])
def test_generated(data: bytes, name: bytes) -> None:
    assert _may_write(data, name) == _loop(data, name) == _regex(data, name)
