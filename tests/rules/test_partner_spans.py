"""GL006's partner matches found by hand must be exactly what the partner regexes find (the regexes are
compiled only for field names that are not ASCII words); so must the positional-literal positions."""

from __future__ import annotations

import random
import re

import pytest

from leaktrail.rules.crosscall import _followed_by_bracket
from leaktrail.rules.senders import _closed_spans, _partner_patterns, _received_spans, _sent_spans

_PIECES = [
    *(b"<-", b"range", b"close(", b".", b"ab", b"a", b"b", b"x", b"_", b"1"),
    *(b"(", b")", b"[", b"]", b" ", b"\t"),
]
_CASES = [
    b"for v := range s.ab {",
    b"v := <-s.ab",
    b"case <-s.x.ab:",
    b"<-f(s.ab).ab",
    b"close(s.ab)",
    b"close( s.ab.ab )",
    b"close(f(a.ab).b.x)",
    b"s.ab <- v",
    b"s.ab\t<-v; t.ab <- w",
    b"s.abc <- v",
    b"arrange.ab",
    b"<-s.ab\xc3\xa9",
]


def _by_regex(field: str, kind: str, data: bytes) -> list[list[tuple[int, int]]]:
    return [[(m.start(1), m.end(1)) for m in p.finditer(data)] for p in _partner_patterns(field, kind)]


def _by_hand(field: str, kind: str, data: bytes) -> list[list[tuple[int, int]]]:
    name = field.encode()
    shapes = [_received_spans] if kind == "send" else [_sent_spans, _closed_spans]
    return [list(shape(name, data, 0, len(data))) for shape in shapes]


@pytest.mark.parametrize("kind", ["send", "recv"])
def test_partner_spans_match_the_patterns(kind: str) -> None:
    rng = random.Random(7)
    samples = _CASES + [b"".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 20))) for _ in range(3000)]
    hits = 0
    for data in samples:
        for field in ("ab", "a", "x"):
            expected = _by_regex(field, kind, data)
            assert _by_hand(field, kind, data) == expected, (field, data)
            hits += sum(map(len, expected))
    assert hits > 20  # the samples do exercise matches


def test_bracket_positions_match_the_pattern() -> None:
    rng = random.Random(3)
    pieces = [b"T", b"TT", b"a", b"[", b"{", b".", b" ", b"T{", b"aT["]
    for _ in range(3000):
        data = b"".join(rng.choice(pieces) for _ in range(rng.randint(0, 20)))
        for name in (b"T", b"TT", b"aT"):
            expected = [(m.start(), m.end()) for m in re.finditer(re.escape(name) + rb"(?=[\[{])", data)]
            assert list(_followed_by_bracket(name, data)) == expected, (name, data)
