"""go.work (issue 12, point 2): a call into another module listed in the workspace's `use` directives is
followed like one into the same module, and the scan cache notices when that module's files change."""

from __future__ import annotations

from pathlib import Path

import pytest

from leaktrail.config import Config
from leaktrail.engine import ScanOptions, scan
from leaktrail.source.gomod import ModuleFinder, use_dirs

WORKER = """package worker

import "fmt"

// Start returns a channel its goroutine ranges over until the caller closes it.
func Start() chan<- string {
	jobs := make(chan string)
	go func() {
		for j := range jobs {
			fmt.Println(j)
		}
	}()
	return jobs
}
"""

# The same API, but the goroutine handles one job and ends: callers need not close anything.
WORKER_STOPPING = """package worker

import "fmt"

// Start returns a channel its goroutine receives one job from.
func Start() chan<- string {
	jobs := make(chan string)
	go func() {
		fmt.Println(<-jobs)
	}()
	return jobs
}
"""

APP = """package main

import "example.com/lib/worker"

func main() {
	jobs := worker.Start()
	jobs <- "a"
}
"""


def _workspace(root: Path, uses: str) -> Path:
    (root / "go.work").write_text(f"go 1.22\n\n{uses}\n", encoding="utf-8")
    for name, path in (("app", "example.com/app"), ("lib", "example.com/lib")):
        (root / name).mkdir()
        (root / name / "go.mod").write_text(f"module {path}\n\ngo 1.22\n", encoding="utf-8")
    (root / "lib" / "worker").mkdir()
    (root / "lib" / "worker" / "worker.go").write_text(WORKER, encoding="utf-8")
    (root / "app" / "main.go").write_text(APP, encoding="utf-8")
    return root / "app"


def _gl001_lines(app: Path, cache: Path | None) -> list[int]:
    result = scan([str(app)], ScanOptions(config=Config(select=("GL001",)), cache_dir=cache))
    return sorted(f.line for f in result.findings if f.rule == "GL001")


def test_use_directives_block_single_and_quoted(tmp_path: Path) -> None:
    work = tmp_path / "go.work"
    work.write_text(
        'go 1.22\n\nuse (\n\t./a // first\n\t"./b c"\n)\n\nuse ./d\n// use ./commented\n', encoding="utf-8"
    )
    assert use_dirs(work) == [(tmp_path / p).resolve() for p in ("a", "b c", "d")]


def test_call_into_a_workspace_module_is_followed(tmp_path: Path) -> None:
    app = _workspace(tmp_path, "use (\n\t./app\n\t./lib\n)")
    module = ModuleFinder().for_dir(app)
    assert module.workspace == (("example.com/lib", (tmp_path / "lib").resolve()),)
    assert _gl001_lines(app, None) == [6]


def test_module_outside_the_use_list_is_not_followed(tmp_path: Path) -> None:
    app = _workspace(tmp_path, "use ./app")
    assert ModuleFinder().for_dir(app).workspace == ()
    assert _gl001_lines(app, None) == []


def test_cached_result_is_stale_once_the_workspace_module_changes(tmp_path: Path) -> None:
    (tmp_path / "ws").mkdir()
    app = _workspace(tmp_path / "ws", "use (\n\t./app\n\t./lib\n)")
    cache = tmp_path / "cache"
    assert _gl001_lines(app, cache) == [6]
    assert _gl001_lines(app, cache) == [6]  # answered from the cache
    (tmp_path / "ws" / "lib" / "worker" / "worker.go").write_text(WORKER_STOPPING, encoding="utf-8")
    assert _gl001_lines(app, cache) == []


def test_gowork_off_disables_the_workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = _workspace(tmp_path, "use (\n\t./app\n\t./lib\n)")
    monkeypatch.setenv("GOWORK", "off")
    assert ModuleFinder().for_dir(app).workspace == ()
    assert _gl001_lines(app, None) == []
