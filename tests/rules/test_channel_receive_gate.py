"""GL006's receive gate (crosscall._may_receive_selector) skips a `<-` that lies in a comment or a raw
string or rune literal after cleanly lexing bytes (GoFile.literals): it must still hold for every file
where _unsent_field_receives judges a receive (an unexported field's selector, or a call of a method
the package declares). Checked on the rules' testdata, standard-library packages (several with `<-`
in comments and literals) and the standard library's folders of Go with syntax errors; and the check
fails when the literal test is switched off (treating every `<-` as covered)."""

from __future__ import annotations

from pathlib import Path

import pytest
from stdpkgs import corpus_dirs, read_package
from test_channel_fastpaths import _receives_judged

from leaktrail.rules import crosscall
from leaktrail.rules.base import Context
from leaktrail.source.package import Literals

_STD = (
    "go/token",
    "go/scanner",
    "go/ast",
    "go/types",
    "container/ring",
    "context",
    "os/signal",
    "net/rpc",
    "time",
)


def _dirs() -> list[Path]:
    return corpus_dirs(_STD)


def _missed(directory: Path) -> list[str]:
    """The files where a receive is judged but the gate (on the unparsed file) says none can be."""
    pkg = read_package(directory)
    ctx = Context(pkg, pkg.files)
    judged = {f.display for f in pkg.files if _receives_judged(ctx, f)}
    unparsed = read_package(directory)
    fresh = Context(unparsed, unparsed.files)
    return sorted(
        f.display
        for f in unparsed.files
        if f.display in judged and not crosscall._may_receive_selector(fresh, f)
    )


@pytest.mark.parametrize("directory", _dirs(), ids=lambda p: "/".join(p.parts[-2:]))
def test_receive_gate_keeps_judged_files(directory: Path) -> None:
    assert _missed(directory) == []


def test_receive_gate_skips_literals() -> None:
    """The standard library's token tables (`"<-"`) and tests of type strings are skipped only for
    `<-` in comments and raw strings: at least one real file is skipped that the plain scan kept."""
    skipped = 0
    for directory in _dirs():
        pkg = read_package(directory)
        ctx = Context(pkg, pkg.files)
        for f in pkg.files:
            plain = any(crosscall._may_receive_here(ctx, f.data, m + 2) for m in _finds(f.data, b"<-"))
            skipped += plain and not crosscall._may_receive_selector(ctx, f)
    assert skipped > 0


def _finds(data: bytes, needle: bytes) -> list[int]:
    found = []
    at = data.find(needle)
    while at >= 0:
        found.append(at)
        at = data.find(needle, at + 1)
    return found


def test_switched_off_literal_test_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    def covers(self: Literals, at: int, end: int) -> bool:
        return True

    monkeypatch.setattr(Literals, "covers", covers)
    assert any(_missed(d) for d in _dirs())
