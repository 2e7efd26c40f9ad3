"""The context and timer rules' byte-level fast paths skip only files that cannot matter: GL012's
`select`/`<-` test before a file is parsed, and GL002's cross-package check leaving a file unparsed when
no `pkg.F(…)` call in it can reach a function that parks a cancel (crossctx_checks._may_call_parking).
Checked against the computations they short-cut, on the rules' testdata and on real packages of the Go
standard library (cmd/go's packages import each other: the cross-package check runs there)."""

from __future__ import annotations

from pathlib import Path

import pytest
from stdpkgs import TESTDATA, goroot_src

from leaktrail.rules import crossctx_checks
from leaktrail.source.package import GoFile
from leaktrail.source.parse import captures

SRC = goroot_src()
_STD_TIMERS = ("time", "context", "net/http", "os/exec", "net/rpc", "log/syslog", "runtime/pprof")


def _go_files() -> list[Path]:
    files = sorted(TESTDATA.rglob("*.go"))
    if SRC is not None:
        for d in _STD_TIMERS:
            files += sorted((SRC / d).glob("*.go"))
    return files


_AFTER_CASES = (
    "(communication_case communication: (receive_statement right: (unary_expression operand: "
    "(call_expression) @c)))"
)


def test_a_file_without_select_keywords_has_no_receive_case() -> None:
    """timers._after_cases returns nothing, unparsed, for a file lacking `select` or `<-`: the query it
    stands for finds no call received in a select case in any such file."""
    skipped = 0
    for path in _go_files():
        data = path.read_bytes()
        if b"select" in data and b"<-" in data:
            continue
        skipped += 1
        f = GoFile(path, path.name, data, path.name.endswith("_test.go"))
        assert captures(_AFTER_CASES, f.root).get("c", []) == [], path
    assert skipped > 50


@pytest.mark.parametrize(
    ("source", "shadowed"),
    [
        (b'import base "m/x"\nfunc f() { base.Run() }\n', False),
        (b'import (\n\tbase "m/x"\n)\nfunc f() { base . Run() }\n', False),
        (b'import "m/base"\nfunc f() { base.Run() }\n', False),
        (b'import "m/base"\n// the base package\nfunc f() { base.Run(); s := "base x" }\n', False),
        (b'import "m/base"\nfunc f() { base /* c */ .Run(); x.base() }\n', False),
        (b'import "m/base"\nfunc f() { base := 1; base.Run() }\n', True),
        (b'import "m/base"\nfunc f(base *T) { base.Run() }\n', True),
        (b'import "m/base"\nfunc f() { for base := range xs { base.Run() } }\n', True),
        (b'import "m/base"\nfunc f() { var base T; base.Run() }\n', True),
        (b'import "m/base"\nfunc f() { x, base := g(); base.Run() }\n', True),
        (b'import "m/base"\nfunc f() { base\n.Run() }\n', True),
        (b'import "m/base"\nvar base "x"\n', True),
        (b'import "m/base"\nfunc f() { s := "unclosed\n base := 1 }\n', True),
        (b'import "m/base"\n/* base := 1', True),
    ],
)
def test_shadowed_alias(source: bytes, shadowed: bool) -> None:
    """An import name is taken as possibly shadowed unless every occurrence in the code is a qualifier,
    an import spec's name or a path's end (a file the scanner cannot read through counts as shadowed)."""
    assert crossctx_checks._maybe_shadowed(source, b"base") is shadowed


def _gl002(paths: list[str]) -> list[tuple[str, int, int, str]]:
    from leaktrail.config import Config
    from leaktrail.engine import ScanOptions, scan

    result = scan(paths, ScanOptions(config=Config(select=("GL002",)), cache_dir=None, jobs=1))
    return sorted((f.path, f.line, f.column, f.message) for f in result.findings)


def test_cross_package_parked_cancel_skip_changes_no_finding(monkeypatch: pytest.MonkeyPatch) -> None:
    """GL002 on its testdata and on cmd/go packages: the same findings when every file is parsed and
    searched (the fast path disabled), and the fast path does skip files there."""
    from leaktrail.source import module

    paths = [str(TESTDATA / "GL002")]
    if SRC is not None:
        paths += [
            str(SRC / "cmd/go/internal" / d)
            for d in ("work", "toolchain", "modfetch", "load", "base", "test")
            if (SRC / "cmd/go/internal" / d).is_dir()
        ]
    real = crossctx_checks._may_call_parking
    answers: list[bool] = []

    def counted(*args: object) -> bool:
        found = real(*args)  # type: ignore[arg-type]
        answers.append(found)
        return found

    monkeypatch.setattr(crossctx_checks, "_may_call_parking", counted)
    module.forget()
    fast = _gl002(paths)
    monkeypatch.setattr(crossctx_checks, "_may_call_parking", lambda *_: True)
    module.forget()
    full = _gl002(paths)
    assert fast == full
    assert any(f[0].endswith(".go") and "discarded" in f[3] for f in full)  # the check reports here
    if SRC is not None:
        assert answers.count(False) >= 10


_PUMP = """package pump

import "context"

type Pump struct{ stop context.CancelFunc }

func (p *Pump) run(ctx context.Context) { <-ctx.Done() }

// Start parks the cancel func in the Pump it returns.
func Start(parent context.Context) (*Pump, error) {
	ctx, stop := context.WithCancel(parent)
	p := &Pump{stop: stop}
	go p.run(ctx)
	return p, nil
}

// Idle makes no context.
func Idle(ctx context.Context) error { return ctx.Err() }
"""

_CALLERS = {
    "dropped.go": 'package use\n\nimport (\n\t"context"\n\n\t"example.com/m/pump"\n)\n\n'
    "// the pump package parks\nfunc dropped(ctx context.Context) {\n\tpump.Start(ctx)\n}\n",
    "blank.go": 'package use\n\nimport (\n\t"context"\n\n\tp "example.com/m/pump"\n)\n\n'
    "func blank(ctx context.Context) error {\n\t_, err := p.Start(ctx)\n\treturn err\n}\n",
    "idle.go": 'package use\n\nimport (\n\t"context"\n\n\t"example.com/m/pump"\n)\n\n'
    "func idle(ctx context.Context) { pump.Idle(ctx) }\n",
    "shadow.go": 'package use\n\nimport (\n\t"context"\n\n\t"example.com/m/pump"\n)\n\n'
    "type fake struct{}\n\nfunc (fake) Idle(context.Context) {}\n\n"
    "func shadow(ctx context.Context) {\n\tpump := fake{}\n\tpump.Idle(ctx)\n}\n",
}


def test_generated_module_reports_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A module whose callers hold no parking name of their own: the discarded `pkg.Start(ctx)` and
    `_, err := p.Start(ctx)` are reported with the fast path as without it; the file calling only
    `pump.Idle` is skipped unparsed, the one shadowing `pump` is searched."""
    from leaktrail.source import module

    (tmp_path / "go.mod").write_text("module example.com/m\n\ngo 1.22\n")
    (tmp_path / "pump").mkdir()
    (tmp_path / "pump" / "pump.go").write_text(_PUMP)
    (tmp_path / "use").mkdir()
    for name, src in _CALLERS.items():
        (tmp_path / "use" / name).write_text(src)
    real = crossctx_checks._may_call_parking
    answers: dict[str, bool] = {}

    def recorded(ctx: object, file: GoFile, local: frozenset[str]) -> bool:
        found = real(ctx, file, local)  # type: ignore[arg-type]
        answers[file.path.name] = found
        return found

    monkeypatch.setattr(crossctx_checks, "_may_call_parking", recorded)
    module.forget()
    fast = _gl002([str(tmp_path)])
    monkeypatch.setattr(crossctx_checks, "_may_call_parking", lambda *_: True)
    module.forget()
    full = _gl002([str(tmp_path)])
    assert fast == full
    assert sorted((Path(f[0]).name, f[1]) for f in full) == [("blank.go", 10), ("dropped.go", 11)]
    assert answers == {"dropped.go": True, "blank.go": True, "idle.go": False, "shadow.go": True}


def _std_package(rel: str) -> list[Path]:
    return [] if SRC is None else sorted((SRC / rel).glob("*.go"))


_HTTP_DIRS = (
    "internal/strconv",
    "encoding/json",
    "net/url",
    "net/textproto",
    "net/http/cgi",
    "net/http/cookiejar",
    "net/http/httputil",
    "cmd/go/internal/web",
    "crypto/tls",
)


def test_response_calls_need_an_http_import_or_a_client() -> None:
    """httpbody skips a file that does not import net/http in a package where no file importing it
    names `Client`: response_calls (parsing the file) finds no call there. Checked on every file of
    real packages and of GL017's testdata."""
    from leaktrail.rules import httpbody
    from leaktrail.rules.base import Context
    from leaktrail.source.gomod import NO_MODULE
    from leaktrail.source.package import Package

    groups = [sorted(d.glob("*.go")) for d in sorted({p.parent for p in (TESTDATA / "GL017").rglob("*.go")})]
    groups += [_std_package(d) for d in _HTTP_DIRS]
    checked = 0
    for paths in groups:
        if not paths:
            continue
        files = [GoFile(p, p.name, p.read_bytes(), p.name.endswith("_test.go")) for p in paths]
        ctx = Context(Package(paths[0].parent, "p", files, NO_MODULE), files)
        clients = httpbody._names_clients(ctx)
        for f in files:
            if clients or httpbody._imports_http(f.data):
                continue
            checked += 1
            assert httpbody.response_calls(ctx, f) == [], f.path
    assert checked >= 20


def test_response_body_skip_changes_no_finding(monkeypatch: pytest.MonkeyPatch) -> None:
    """GL017 on its testdata and real packages: the same findings with every candidate file parsed."""
    from leaktrail.config import Config
    from leaktrail.engine import ScanOptions, scan
    from leaktrail.rules import httpbody

    paths = [str(TESTDATA / "GL017")] + [str(SRC / d) for d in _HTTP_DIRS if SRC is not None]

    def findings() -> list[tuple[str, int, int, str]]:
        result = scan(paths, ScanOptions(config=Config(select=("GL017",)), cache_dir=None, jobs=1))
        return sorted((f.path, f.line, f.column, f.message) for f in result.findings)

    fast = findings()
    monkeypatch.setattr(httpbody, "_names_clients", lambda _ctx: True)
    assert findings() == fast
    assert len(fast) >= 10


_RESPAWN = {
    "direct.go": "package w\n\ntype W struct{ n int }\n\nfunc (w *W) loop() {}\n\n"
    "// run restarts itself on a panic\nfunc (w *W) run() {\n\tdefer func() {\n"
    "\t\tif r := recover(); r != nil {\n\t\t\tw.run()\n\t\t}\n\t}()\n\tw.loop()\n}\n",
    "starter.go": "package w\n\nfunc (w *W) Start() {\n\tgo w.work()\n}\n",
    "work.go": "package w\n\nfunc (w *W) work() {\n\tdefer func() {\n\t\tif recover() != nil {\n"
    "\t\t\tw.Start()\n\t\t}\n\t}()\n\tw.loop()\n}\n",
    "named.go": "package w\n\nfunc (w *W) recoverer() {\n\tif recover() != nil {\n\t\tw.serve()\n\t}\n}\n",
    "serve.go": "package w\n\nfunc (w *W) serve() {\n\tdefer w.recoverer()\n\tw.loop()\n}\n",
    "quiet.go": 'package w\n\nimport "fmt"\n\nfunc (w *W) quiet() (err error) {\n\tdefer func() {\n'
    '\t\tif r := recover(); r != nil {\n\t\t\terr = fmt.Errorf("%v", r) // "go" w.run()\n\t\t}\n'
    "\t}()\n\treturn nil\n}\n",
    "elsewhere.go": 'package w\n\nimport "fmt"\n\nfunc (w *W) guarded() (err error) {\n\tdefer func() {\n'
    '\t\tif r := recover(); r != nil {\n\t\t\terr = fmt.Errorf("%v", r)\n\t\t}\n\t}()\n\treturn nil\n}\n\n'
    "func (w *W) spawn() {\n\tgo w.loop()\n}\n",
    "again.go": "package w\n\nfunc (w *W) again() {\n\tdefer func() {\n\t\tif recover() != nil {\n"
    '\t\t\tprintln("x")\n\t\t}\n\t}()\n\tw.loop()\n\tgo w.again()\n}\n',
    "odd.go": "package w\n\nfunc (w *W) odd() {\n\tdefer func() {\n\t\tif recover() != nil {\n"
    '\t\t\tprintln("x")\n\t\t}\n\t}()\n\tf :=\nfunc() {}\n\tf()\n\tgo w.odd()\n}\n',
}


def _gl014(paths: list[str]) -> list[tuple[str, int, int, str]]:
    from leaktrail.config import Config
    from leaktrail.engine import ScanOptions, scan

    result = scan(paths, ScanOptions(config=Config(select=("GL014",)), cache_dir=None, jobs=1))
    return sorted((f.path, f.line, f.column, f.message) for f in result.findings)


def test_respawn_skip_changes_no_finding(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """GL014 leaves a file unparsed when its code has no `go` in a top-level declaration holding
    recover() and no name called in a block holding recover() can be a restarted function or a starter:
    the same findings as with every candidate parsed, on a generated package (a restart by a direct
    call, through a starter and from a named handler, in files without `go`; a `go` after the defer,
    also past a `func` written first on a line inside the body; a `go` in another function), GL014's
    testdata and real packages; files are skipped."""
    from leaktrail.rules import workers

    (tmp_path / "go.mod").write_text("module example.com/w\n\ngo 1.22\n")
    for name, src in _RESPAWN.items():
        (tmp_path / name).write_text(src)
    paths = [str(tmp_path), str(TESTDATA / "GL014")]
    if SRC is not None:
        paths += [
            str(SRC / d)
            for d in ("encoding/json", "strings", "sort", "bufio", "flag", "crypto/hmac", "slices")
        ]
    real = workers._cannot_respawn
    skipped: list[str] = []

    def recorded(ctx: object, file: GoFile) -> bool:
        found = real(ctx, file)  # type: ignore[arg-type]
        if found:
            skipped.append(file.path.name)
        return found

    monkeypatch.setattr(workers, "_cannot_respawn", recorded)
    fast = _gl014(paths)
    monkeypatch.setattr(workers, "_cannot_respawn", lambda _ctx, _file: False)
    full = _gl014(paths)
    assert fast == full
    generated = sorted((Path(f[0]).name, f[1]) for f in full if Path(f[0]).parent == tmp_path)
    assert generated == [("again.go", 10), ("direct.go", 11), ("named.go", 5), ("odd.go", 12), ("work.go", 6)]
    assert "quiet.go" in skipped
    assert "elsewhere.go" in skipped  # its `go` lies in another top-level function
    assert "again.go" not in skipped and "odd.go" not in skipped  # (a `func` at column 0 inside a body)
    assert len(skipped) >= 5


@pytest.mark.parametrize(
    ("source", "code"),
    [
        (
            b"x := \"a{b\" // c}\ny := `d\n}` + '{'\n",
            b'x := "\x01\x01\x01"' + b" " * 6 + b'\ny := "\x01\x01\x01" + ' + b" " * 3 + b"\n",
        ),
        (b"/* a\n} */ f()", b" " * 10 + b"f()"),
        (b'x := "unclosed\n', None),
        (b"x := 1 /* open", None),
    ],
)
def test_code_only(source: bytes, code: bytes | None) -> None:
    """Comments and literals blanked in place (same offsets), None when the scan cannot close one."""
    from leaktrail.rules import workers

    assert workers.code_only(source) == code


_STD_LITERALS = (
    "sync",
    "testing",
    "net/http",
    "encoding/json",
    "text/template",
    "go/types",
    "os/exec",
    "fmt",
)


def test_literal_bodies_are_function_literal_bodies() -> None:
    """Every body workers.literal_body recognises from bytes is the body of a function literal in the
    parse (checked at every `func` of real packages and the rules' testdata), and workers.nested
    accepts every file whose parse has no error: the recover() region of GL014's skip can only be
    too wide, never too narrow."""
    import re

    from leaktrail.rules import workers

    paths = sorted(TESTDATA.rglob("*.go"))
    if SRC is not None:
        for d in _STD_LITERALS:
            paths += sorted((SRC / d).glob("*.go"))
    seen = 0
    for path in paths:
        data = path.read_bytes()
        code = workers.code_only(data)
        if code is None or not code.isascii():
            continue
        root = GoFile(path, path.name, data, False).root
        if not workers.nested(code):
            assert root.has_error, path
            continue
        for m in re.finditer(rb"(?<!\w)func(?!\w)", code):
            body = workers.literal_body(code, m.start())
            if body is None:
                continue
            node = root.descendant_for_byte_range(body[0], body[1])
            assert node is not None and node.byte_range == body, (path, body)
            assert node.type == "block" and node.parent is not None, (path, body)
            assert node.parent.type == "func_literal", (path, body, node.parent.type)
            seen += 1
    assert seen > 500


@pytest.mark.parametrize(
    ("source", "bodies"),
    [
        (b"func f() {\n\tg(func() { x() })\n}\n", 1),
        (b"func f() {\n\tdefer func() {\n\t\tif recover() != nil {}\n\t}()\n}\n", 1),
        (b"func f() {\n\tv := func(a int) (b int, err error) { return }\n}\n", 1),
        (b'func f() {\n\tm := map[string]func(){"a": nil}\n}\n', 0),
        (b"func f() {\n\tfs := []func() error{g}\n}\n", 0),
        (b"func f() {\n\tg := func() struct{ a int } { return x }\n}\n", 0),
        (b"func f() {\n\tvar h func()\n\tif x {\n\t}\n}\n", 0),
        (b"func f() {\n\treturn func() error { return nil }\n}\n", 1),
        (b"func f() {\n\tt := T{f: func() {}, g: (func())(nil)}\n}\n", 1),
    ],
)
def test_literal_recognition(source: bytes, bodies: int) -> None:
    import re

    from leaktrail.rules import workers

    code = workers.code_only(source)
    assert code is not None and workers.nested(code)
    found = [workers.literal_body(code, m.start()) for m in re.finditer(rb"(?<!\w)func(?!\w)", code)]
    assert len([b for b in found if b is not None]) == bodies


@pytest.mark.parametrize(
    ("source", "declares"),
    [
        (b"func run() {}", True),
        (b"func (w *W) run() {}", True),
        (b"func (w *W)\n\trun() {}", True),
        (b"func (w *T[K]) /* c */ run() {}", True),
        (b"func\nrun() {}", True),
        (b"func f() { w.run(); run := 1 }", False),
        (b"func f(x int) (run int) { return }", False),
    ],
)
def test_may_declare(source: bytes, declares: bool) -> None:
    """A declaration of a name however written (line breaks, comments in its head) is seen."""
    from leaktrail.rules import workers

    code = workers.code_only(source)
    assert code is not None
    assert workers._may_declare(code, b"run") is declares
