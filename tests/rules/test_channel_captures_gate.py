"""channels.channel_captures answers [] without a parse when every place a `range` / `<-` / `go` /
`select` / `defer` token could begin lies in a comment or a raw string or rune literal after cleanly
lexing bytes (channels._no_token_at over GoFile.literals). Its captures must equal the indexed query's
(ctx.query) for every pattern on the rules' testdata, standard-library packages with those words in
comments and literals, and the standard library's folders of Go with syntax errors; the comparison
fails when the literal test is switched off."""

from __future__ import annotations

from pathlib import Path

import pytest
from stdpkgs import corpus_dirs, read_package

from leaktrail.rules import channels
from leaktrail.rules.base import Context
from leaktrail.source.package import Literals
from leaktrail.source.parse import Node

_STD = (
    "go/token",
    "go/scanner",
    "go/parser",
    "go/printer",
    "container/ring",
    "internal/gate",
    "os/signal",
    "net/rpc",
    "context",
    "text/template/parse",
)
_PATTERNS = (
    channels.RANGES,
    channels.SENDS,
    channels.RECVS,
    channels.GOS,
    channels.SELECTS,
    channels.DEFERS,
)


def _dirs() -> list[Path]:
    return corpus_dirs(_STD)


def _spans(nodes: list[Node]) -> list[tuple[int, int, str]]:
    return [(n.start_byte, n.end_byte, n.type) for n in nodes]


def _differences(directory: Path) -> tuple[list[str], int]:
    """The (file, pattern) pairs where the captures differ from the query's, and how many files the
    gate answered without a parse."""
    pkg = read_package(directory)
    ctx = Context(pkg, pkg.files)
    unparsed = read_package(directory)
    fresh = Context(unparsed, unparsed.files)
    wrong: list[str] = []
    for f, g in zip(pkg.files, unparsed.files, strict=True):
        for pattern in _PATTERNS:
            want = ctx.query(f, pattern).get(channels._TOKEN_OF[pattern][1], [])
            if _spans(channels.channel_captures(fresh, g, pattern)) != _spans(want):
                wrong.append(f"{f.display} {pattern}")
    return wrong, sum(not g.parsed for g in unparsed.files)


@pytest.mark.parametrize("directory", _dirs(), ids=lambda p: "/".join(p.parts[-2:]))
def test_captures_equal_the_query(directory: Path) -> None:
    assert _differences(directory)[0] == []


def test_gate_saves_parses() -> None:
    """Some real files (a token table, a parser's tests) are answered without a parse."""
    src = [d for d in _dirs() if d.name in ("token", "scanner", "parser")]
    assert sum(_differences(d)[1] for d in src) > 0


def test_switched_off_literal_test_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    def covers(self: Literals, at: int, end: int) -> bool:
        return True

    monkeypatch.setattr(Literals, "covers", covers)
    assert any(_differences(d)[0] for d in _dirs())
