"""Frames to local files, whatever the dump's paths look like."""

from __future__ import annotations

from pathlib import Path

import pytest
from linktools import PKG, Tree

from leaktrail.link import SourceError, SourceTree, find_module_root, parse_function
from leaktrail.link.tree import FunctionName
from leaktrail.runtime import Frame


@pytest.mark.parametrize(
    ("function", "file", "want"),
    [
        # absolute path of a CI runner: the function's import path finds the package directory
        (f"{PKG}.(*Service).listen", "/home/runner/work/svc/svc/orders/listen.go", "orders/listen.go"),
        # -trimpath: module-relative
        (f"{PKG}.(*Service).listen", "example.com/svc/orders/listen.go", "orders/listen.go"),
        # GOPATH layout, package main (the function names no module): the module path in the file path
        ("main.main", "/go/src/example.com/svc/main.go", "main.go"),
        ("main.main", "/go/src/example.com/svc/cmd/tool/main.go", "cmd/tool/main.go"),
        # trimpath main package
        ("main.main", "example.com/svc/cmd/tool/main.go", "cmd/tool/main.go"),
        # another machine, package main, no module path anywhere: the longest suffix
        ("main.main", "/build/x/cmd/tool/main.go", "cmd/tool/main.go"),
        # Windows builder
        (f"{PKG}.(*Service).listen", "C:\\build\\svc\\orders\\listen.go", "orders/listen.go"),
        # same file name in two packages: the function's package decides
        ("example.com/svc/internal/b.Helper", "/elsewhere/internal/b/util.go", "internal/b/util.go"),
        ("example.com/svc/internal/a.Helper", "/tmp/util.go", "internal/a/util.go"),
        # external test package
        (f"{PKG}_test.TestX", "/ci/orders/listen_test.go", "orders/listen_test.go"),
        # a renamed checkout: only the suffix matches, and it is unique
        ("example.com/old/orders.(*Service).listen", "/src/old/orders/listen.go", "orders/listen.go"),
    ],
)
def test_frames_map_to_the_tree(tree: Tree, function: str, file: str, want: str) -> None:
    st = SourceTree.load(tree.root)
    assert st.map_frame(Frame(function, file, 14)) == tree.root / want


@pytest.mark.parametrize(
    ("function", "file"),
    [
        # standard library and runtime
        ("sync.(*WaitGroup).Wait", "/usr/local/go/src/sync/waitgroup.go"),
        ("runtime.gopark", "/usr/local/go/src/runtime/proc.go"),
        # vendored, even though the file exists under the tree
        ("github.com/x/y.F", "/build/svc/vendor/github.com/x/y/y.go"),
        ("github.com/x/y.F", "vendor/github.com/x/y/y.go"),
        # module cache
        (
            "golang.org/x/sync/errgroup.(*Group).Wait",
            "/root/go/pkg/mod/golang.org/x/sync@v0.7.0/errgroup/util.go",
        ),
        # ambiguous: two main.go and nothing to tell them apart
        ("main.main", "/build/x/main2/main.go"),
        # a bare file name whose package disagrees with both candidates
        ("other.com/z.F", "/x/util.go"),
        # not in the tree at all
        (f"{PKG}.F", "/ci/orders/missing.go"),
    ],
)
def test_frames_that_stay_unmapped(tree: Tree, function: str, file: str) -> None:
    assert SourceTree.load(tree.root).map_frame(Frame(function, file, 3)) is None


def test_source_inside_a_module_still_knows_the_module(tree: Tree) -> None:
    st = SourceTree.load(tree.root / "orders")
    assert [m.path for m in st.modules] == ["example.com/svc"]
    frame = Frame(f"{PKG}.(*Service).listen", "example.com/svc/orders/listen.go", 14)
    assert st.map_frame(frame) == tree.listen


def test_nested_modules_longest_path_wins(tree: Tree) -> None:
    sub = tree.root / "tools"
    (sub / "gen").mkdir(parents=True)
    (sub / "go.mod").write_text("module example.com/svc/tools\n")
    (sub / "gen" / "gen.go").write_text("package gen\n")
    st = SourceTree.load(tree.root)
    assert [m.path for m in st.modules] == ["example.com/svc/tools", "example.com/svc"]
    frame = Frame("example.com/svc/tools/gen.Run", "/ci/gen/gen.go", 1)
    assert st.map_frame(frame) == sub / "gen" / "gen.go"


def test_bad_source_dirs(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="no such directory"):
        SourceTree.load(tmp_path / "nope")
    f = tmp_path / "file.go"
    f.write_text("package x\n")
    with pytest.raises(SourceError, match="not a directory"):
        SourceTree.load(f)


def test_find_module_root(tree: Tree) -> None:
    assert find_module_root(tree.root / "orders") == tree.root
    assert find_module_root(tree.root) == tree.root


@pytest.mark.parametrize(
    ("function", "want"),
    [
        (f"{PKG}.(*Service).listen", FunctionName("listen", "Service", False)),
        (f"{PKG}.(*Service).ship.func2", FunctionName("ship", "Service", True)),
        (f"{PKG}.(*Service).ship.func1.2", FunctionName("ship", "Service", True)),
        (f"{PKG}.Service.Value", FunctionName("Value", "Service", False)),
        ("main.main.func1", FunctionName("main", "", True)),
        ("main.worker[...]", FunctionName("worker", "", False)),
        (f"{PKG}.(*Cache[...]).Get", FunctionName("Get", "Cache", False)),
        (f"{PKG}.init.0", FunctionName("init", "", False)),
        (f"{PKG}.Walk-range1", FunctionName("Walk", "", True)),
    ],
)
def test_parse_function(function: str, want: FunctionName) -> None:
    assert parse_function(function) == want
