"""GL007, GL011 and GL015 leave a file's goroutines out (and the file unparsed) only when its bytes prove
that none of them can be reported (workers.quiet_goroutines): the same findings as with every file's
goroutines read, on generated corner cases (a named target, a literal's first-hand call and a method
value whose endless loop lies in another file), the rules' testdata, standard-library packages and
folders written with syntax errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from stdpkgs import TESTDATA, WITH_ERRORS, std_dirs

from leaktrail.source.package import GoFile

_LOOP = (
    'package q\n\nimport "time"\n\ntype W struct{ n int }\n\nfunc (w *W) loop() {\n\tfor {\n'
    "\t\ttime.Sleep(time.Second)\n\t\tw.n++\n\t}\n}\n\nfunc (w *W) spin() {\n\tfor {\n\t\tw.n++\n"
    "\t\ttime.Sleep(time.Millisecond)\n\t}\n}\n"
)
_GENERATED = {
    "loop.go": _LOOP,
    "start.go": "package q\n\nfunc (w *W) Start() {\n\tgo w.loop()\n}\n",
    "lit.go": "package q\n\nfunc (w *W) Run() {\n\tgo func() {\n\t\tw.spin()\n\t}()\n}\n",
    "mv.go": "package q\n\nfunc (w *W) Again() {\n\trun := w.loop\n\tgo run()\n}\n",
    "pkgvar.go": 'package q\n\nimport "time"\n\nvar spinner = func() {\n\tfor {\n'
    "\t\ttime.Sleep(time.Second)\n\t}\n}\n",
    "kick.go": "package q\n\nfunc Kick() {\n\tgo spinner()\n}\n",
    "paren.go": "package q\n\nfunc (w *W) Paren() {\n\tgo (w.loop)()\n}\n",
    "quiet.go": "package q\n\nfunc (w *W) Once(c chan int) {\n\tgo func() {\n\t\tc <- 1\n\t}()\n}\n",
    "quiet2.go": "package q\n\nfunc (w *W) Twice(c chan int) {\n\tgo w.Once(c)\n}\n",
    "param.go": "package q\n\nfunc (w *W) Call(f func()) {\n\tgo f()\n}\n",  # f: a package var?
}
_STD = (
    "encoding/json",
    "crypto/rsa",
    "hash/crc32",
    "net/textproto",
    "net/smtp",
    "mime/multipart",
    "context",
    "os/exec",
    "sync",
    "expvar",
    "net/rpc",
    "log/syslog",
    "cmd/covdata",
    "cmd/cover",
    "cmd/nm",
    "math/big",
    "crypto/md5",
    "net/http/httptest",
)


def _scan(paths: list[str]) -> list[tuple[str, int, int, str, str]]:
    from leaktrail.config import Config
    from leaktrail.engine import ScanOptions, scan

    codes = ("GL007", "GL011", "GL015")
    result = scan(paths, ScanOptions(config=Config(select=codes), cache_dir=None, jobs=1))
    return sorted((f.path, f.line, f.column, f.rule, f.message) for f in result.findings)


def test_quiet_goroutines_change_no_finding(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from leaktrail.rules import workers

    (tmp_path / "go.mod").write_text("module example.com/q\n\ngo 1.22\n")
    for name, src in _GENERATED.items():
        (tmp_path / name).write_text(src)
    paths = [str(tmp_path)] + [str(TESTDATA / c) for c in ("GL007", "GL011", "GL015")]
    paths += [str(d) for d in std_dirs(_STD) + std_dirs(WITH_ERRORS[:2])]
    real = workers.quiet_goroutines
    skipped: list[str] = []

    def recorded(ctx: object, file: GoFile) -> bool:
        found = real(ctx, file)  # type: ignore[arg-type]
        if found:
            skipped.append(str(file.path))
        return found

    monkeypatch.setattr(workers, "quiet_goroutines", recorded)
    fast = _scan(paths)
    monkeypatch.setattr(workers, "quiet_goroutines", lambda _ctx, _file: False)
    full = _scan(paths)
    assert fast == full
    generated = sorted((Path(f[0]).name, f[1]) for f in full if Path(f[0]).parent == tmp_path)
    assert generated == [("lit.go", 4), ("mv.go", 5), ("paren.go", 4), ("start.go", 4)]
    names = {Path(p).name for p in skipped if Path(p).parent == tmp_path}
    assert names == {"quiet.go", "quiet2.go"}
    assert len(skipped) >= 8


@pytest.mark.parametrize(
    ("source", "starts"),
    [
        (b"package p\nfunc a() {}\nfunc b() {}\n", 2),
        (b"package p\nfunc a(\nfunc(), x int) {\n}\n", 1),  # a parameter's type: no new span
        (b"package p\nfunc a() {\nfunc() {}()\n}\n", 1),  # inside a body
        (b"package p\nfunc a[T interface{ M(\nfunc()) }]() {}\n", 1),
        (b"package p\nvar x = f(\nfunc() {})\n", 0),
    ],
)
def test_decl_starts(source: bytes, starts: int) -> None:
    """A span starts only at a `func` first on a line outside every bracket, parenthesis and brace."""
    from leaktrail.rules import workers

    code = workers._clean_code(source)
    assert code is not None
    assert len(workers._decl_starts(code)) == starts


@pytest.mark.parametrize(
    ("source", "clean"),
    [
        (b'x := "a{" + `}` // }\n', True),
        (b"x := a[1)\n", False),
        (b'x := "open\n', False),
        (b"x := /* open\n", False),
        ('x := "é" // é\ny := 1\n'.encode(), True),
        ("x := é\n".encode(), False),
    ],
)
def test_clean_code(source: bytes, clean: bool) -> None:
    from leaktrail.rules import workers

    assert (workers._clean_code(source) is not None) is clean
