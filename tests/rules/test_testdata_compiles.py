"""Every rule's testdata is valid Go, and its wants agree with go vet where vet has an opinion.

`go test -run '^$' ./...` type-checks and links every package *and* its _test.go files without
running a test. Vet is switched off (-vet=off): the testdata plants bugs on purpose.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from wants import RULE_DIR, collect_wants, go_line_of

from gotools import run_go

TESTDATA = Path(__file__).resolve().parent / "testdata"
RULES = sorted(p.name for p in TESTDATA.iterdir() if p.is_dir() and RULE_DIR.fullmatch(p.name))


@pytest.mark.parametrize("folder", RULES)
def test_testdata_module_compiles(folder: str) -> None:
    root = TESTDATA / folder
    gomod = (root / "go.mod").read_text(encoding="utf-8")
    assert f"module example.com/{folder.lower()}" in gomod
    go_line = go_line_of(folder)
    assert re.search(rf"^{re.escape(go_line)}$", gomod, re.MULTILINE), f"{folder}/go.mod must say `{go_line}`"

    proc = run_go(["test", "-vet=off", "-run", "^$", "./..."], cwd=root)
    assert proc.returncode == 0, f"{folder} testdata does not compile:\n{proc.stdout}\n{proc.stderr}"


# Where go vet has an analyzer for the same bug, every line vet reports must be a want, so the
# rule is at least as good as vet on the cases vet handles. A line vet gets wrong carries a comment
# containing "vet false positive" and must not be a want.
_VET = {
    "GL002": ("-lostcancel", re.compile(r"not used on all paths|should be called, not discarded")),
    "GL003": ("-waitgroup", re.compile(r"WaitGroup\.Add called from inside new goroutine")),
}
_VET_LINE = re.compile(r"^(?P<file>[^:\s]+\.go):(?P<line>\d+):\d+: (?P<msg>.*)$")


@pytest.mark.parametrize("rule", sorted(_VET))
def test_wants_cover_go_vet(rule: str) -> None:
    root = TESTDATA / rule
    flag, message = _VET[rule]
    proc = run_go(["vet", flag, "./..."], cwd=root)
    reported: set[tuple[Path, int]] = set()
    for text in (proc.stdout + proc.stderr).splitlines():
        m = _VET_LINE.match(text.strip())
        if m and message.search(m.group("msg")):
            reported.add(((root / m.group("file")).resolve(), int(m.group("line"))))
    assert reported, f"go vet {flag} reported nothing: {proc.stdout}\n{proc.stderr}"

    wants = {(p, line) for p, line, code in collect_wants(root) if code == rule}
    problems: list[str] = []
    for path, line in sorted(reported):
        source = path.read_text(encoding="utf-8").splitlines()[line - 1]
        vet_wrong = "vet false positive" in source
        if vet_wrong and (path, line) in wants:
            problems.append(f"{path.name}:{line}: marked as a vet false positive but has a want")
        elif not vet_wrong and (path, line) not in wants:
            problems.append(f"{path.name}:{line}: go vet reports it, {rule} testdata does not want it")
    assert not problems, "\n".join(problems)
