"""`scan --fix` / `--diff` through the command line, and what it never touches: files with syntax errors,
suppressed findings, edits that overlap, rules outside --select. JSON and SARIF carry the fixes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema

from gotools import REPO
from leaktrail.fix import fix_source, plan_fixes
from leaktrail.model import Finding, Severity

GO_MOD = "module example.com/fixme\n\ngo 1.22\n"

LEAKY = """package fixme

import (
	"context"
	"sync"
	"time"
)

func track(parent context.Context) {
	ctx, _ := context.WithCancel(parent)
	go follow(ctx)
}

func follow(ctx context.Context) { <-ctx.Done() }

func tick() {
	t := time.NewTicker(time.Second)
	<-t.C
}

func ship(items []int) {
	var wg sync.WaitGroup
	for range items {
		wg.Add(1)
		go func() {
			if len(items) == 0 {
				return
			}
			wg.Done()
		}()
	}
	wg.Wait()
}
"""


def leaktrail(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, NO_COLOR="1")
    return subprocess.run(
        [sys.executable, "-m", "leaktrail", *args, "--no-cache"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def module(tmp_path: Path, **files: str) -> Path:
    (tmp_path / "go.mod").write_text(GO_MOD)
    for name, body in files.items():
        (tmp_path / name).write_text(body)
    return tmp_path


def test_diff_prints_and_changes_nothing_then_fix_applies(tmp_path: Path) -> None:
    mod = module(tmp_path, **{"leaky.go": LEAKY})
    proc = leaktrail(mod, "scan", ".", "--diff")
    assert proc.returncode == 1, proc.stderr
    assert (mod / "leaky.go").read_text() == LEAKY
    assert "+\tdefer cancel()" in proc.stdout and "+\tdefer t.Stop()" in proc.stdout
    assert "+\t\t\tdefer wg.Done()" in proc.stdout and "-\t\t\twg.Done()" in proc.stdout
    assert proc.stdout.startswith("--- a/leaky.go\n+++ b/leaky.go\n")
    assert "would fix 3 findings in 1 files" in proc.stderr

    proc = leaktrail(mod, "scan", ".", "--fix")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "fixed 3 findings in 1 files" in proc.stderr
    assert "ctx, cancel := context.WithCancel(parent)\n\tdefer cancel()\n" in (mod / "leaky.go").read_text()

    proc = leaktrail(mod, "scan", ".", "--diff")
    assert proc.returncode == 0 and proc.stdout == ""


def test_fix_with_select_fixes_only_those_rules(tmp_path: Path) -> None:
    mod = module(tmp_path, **{"leaky.go": LEAKY})
    proc = leaktrail(mod, "scan", ".", "--fix", "--select", "GL013", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    text = (mod / "leaky.go").read_text()
    assert "defer t.Stop()" in text and "defer cancel()" not in text and "defer wg.Done()" not in text
    proc = leaktrail(mod, "scan", ".", "--format", "json")
    assert sorted(f["rule"] for f in json.loads(proc.stdout)["findings"]) == ["GL002", "GL004"]


def test_suppressed_findings_and_files_with_syntax_errors_are_left_alone(tmp_path: Path) -> None:
    suppressed = LEAKY.replace(
        "ctx, _ := context.WithCancel(parent)",
        "ctx, _ := context.WithCancel(parent) //leaktrail:ignore GL002 owned",
    )
    broken = LEAKY.replace("package fixme", "package fixme\n\nfunc broken( {\n}")
    mod = module(tmp_path, **{"ok.go": suppressed})
    (mod / "sub").mkdir()
    (mod / "sub" / "broken.go").write_text(broken.replace("package fixme", "package sub"))
    proc = leaktrail(mod, "scan", ".", "--fix")
    assert (mod / "sub" / "broken.go").read_text() == broken.replace("package fixme", "package sub")
    fixed = (mod / "ok.go").read_text()
    assert "ctx, _ := context.WithCancel(parent) //leaktrail:ignore GL002 owned" in fixed
    assert "defer cancel()" not in fixed and "defer t.Stop()" in fixed
    proc = leaktrail(mod, "scan", ".", "--format", "json", "--select", "GL013,GL004")
    doc = json.loads(proc.stdout)
    assert {f["path"] for f in doc["findings"]} == {"sub/broken.go"}
    assert all(
        f["fix"] is None and f["no_fix"].startswith("the file has a syntax error") for f in doc["findings"]
    )


def test_overlapping_edits_are_never_applied_together() -> None:
    src = b"package p\n\nfunc f(items []int) {\n\tfor _, x := range items {\n\t\tgo use(x)\n\t}\n}\n"
    a = Finding("GL016", "loop-variable-capture", Severity.WARNING, "p.go", 5, 10, "m")
    b = Finding("GL016", "loop-variable-capture", Severity.WARNING, "p.go", 5, 10, "m")
    from leaktrail.model import Edit, Fix

    fa = Fix("a", (Edit("p.go", 5, 1, 5, 1, "\t\tx := x\n"),))
    fb = Fix("b", (Edit("p.go", 5, 1, 5, 1, "\t\ty := x\n"),))
    plan = plan_fixes([_with(a, fa), _with(b, fb)], {"p.go": src})
    assert len(plan.changes) == 1 and plan.skipped == [_with(b, fb)]
    assert plan.changes[0].after.count(b":= x") == 1
    # identical fixes (two findings of one goroutine) are applied once and both count as fixed
    plan = plan_fixes([_with(a, fa), _with(b, fa)], {"p.go": src})
    assert len(plan.changes[0].fixed) == 2 and not plan.skipped


def _with(f: Finding, fix: Any) -> Finding:
    import dataclasses

    return dataclasses.replace(f, fix=fix)


def test_refusals_say_why() -> None:
    src = b"""package p

import "context"

func f(parent context.Context) context.Context {
	ctx, _ := context.WithCancel(parent)
	return ctx
}
"""
    f = Finding(
        "GL002",
        "lost-cancel",
        Severity.ERROR,
        "p.go",
        6,
        12,
        "the cancel function returned by context.WithCancel is discarded: ...",
    )
    g = Finding("GL001", "range-never-closed", Severity.ERROR, "p.go", 6, 2, "m")
    out = fix_source([f, g], src)
    assert out[0].fix is None and out[0].no_fix.startswith("the context ctx is returned (line 7)")
    assert out[1].fix is None and out[1].no_fix == "leaktrail offers no automatic fix for GL001"


def test_json_and_sarif_carry_the_fixes(tmp_path: Path) -> None:
    mod = module(tmp_path, **{"leaky.go": LEAKY})
    doc = json.loads(leaktrail(mod, "scan", ".", "--format", "json").stdout)
    gl002 = next(f for f in doc["findings"] if f["rule"] == "GL002")
    assert gl002["fix"] == {
        "description": "defer cancel()",
        "edits": [
            {
                "path": "leaky.go",
                "start": {"line": 10, "column": 7},
                "end": {"line": 10, "column": 8},
                "new_text": "cancel",
            },
            {
                "path": "leaky.go",
                "start": {"line": 10, "column": 38},
                "end": {"line": 10, "column": 38},
                "new_text": "\n\tdefer cancel()",
            },
        ],
    }
    assert "no_fix" not in gl002
    sarif = json.loads(leaktrail(mod, "scan", ".", "--format", "sarif").stdout)
    schema = json.loads((REPO / "tests" / "data" / "sarif-schema-2.1.0.json").read_text())
    cls = jsonschema.validators.validator_for(schema)
    cls(schema).validate(sarif)
    results = sarif["runs"][0]["results"]
    fixes = [r["fixes"] for r in results if "fixes" in r]
    assert len(fixes) == 3
    change = fixes[0][0]["artifactChanges"][0]
    assert change["artifactLocation"]["uri"] == "leaky.go"
    assert change["replacements"][0]["deletedRegion"]["startLine"] == 10


REFUSED = """package fixme

import (
	"sync"
)

type store struct {
	mu sync.Mutex
	n  int
}

func (s *store) bump(fail bool) {
	s.mu.Lock()
	if fail {
		return
	}
	s.n++
	s.mu.Unlock()
	notify(s.n)
}

func notify(int) {}

func early(items []int, skip bool) {
	var wg sync.WaitGroup
	for range items {
		go func() {
			if skip {
				return
			}
			wg.Add(1)
			defer wg.Done()
		}()
	}
	wg.Wait()
}
"""


def test_no_fix_where_the_edit_could_change_the_program(tmp_path: Path) -> None:
    mod = module(tmp_path, **{"refused.go": REFUSED})
    doc = json.loads(leaktrail(mod, "scan", ".", "--format", "json").stdout)
    reasons = {f["rule"]: f["no_fix"] for f in doc["findings"] if f["fix"] is None}
    assert reasons.get("GL003", "").startswith("the goroutine can end before wg.Add (line 29)"), doc
    assert reasons.get("GL018") == (
        "s.mu is unlocked at line 18 before work that follows: a deferred Unlock would hold it longer"
    ), doc
    proc = leaktrail(mod, "scan", ".", "--diff", "--select", "GL003,GL018")
    assert proc.returncode == 0 and proc.stdout == "", proc.stdout


LOOPVARS = """package fixme

import "fmt"

func each(m map[string]int) {
	for k, v := range m {
		go func() {
			fmt.Println(k)
			fmt.Println(v)
		}()
	}
}
"""


def test_diff_shows_every_round_that_fix_writes(tmp_path: Path) -> None:
    """Two fixes insert at the same point (overlap): --fix applies the second in a later round, and --diff,
    which runs those rounds in memory, shows the same result."""
    import difflib

    mod = module(tmp_path, **{"loops.go": LOOPVARS})
    (mod / "go.mod").write_text("module example.com/fixme\n\ngo 1.21\n")
    diff = leaktrail(mod, "scan", ".", "--diff")
    assert diff.returncode == 1, diff.stderr
    assert (mod / "loops.go").read_text() == LOOPVARS
    fix = leaktrail(mod, "scan", ".", "--fix")
    assert fix.returncode == 0, fix.stdout + fix.stderr
    fixed = (mod / "loops.go").read_text()
    assert "\t\tk := k\n" in fixed and "\t\tv := v\n" in fixed
    want = "".join(
        difflib.unified_diff(
            LOOPVARS.splitlines(keepends=True), fixed.splitlines(keepends=True), "a/loops.go", "b/loops.go"
        )
    )
    assert diff.stdout == want
    assert "would fix 2 findings in 1 files" in diff.stderr and "fixed 2 findings in 1 files" in fix.stderr
