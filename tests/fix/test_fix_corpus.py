"""The fixes on the rules' own testdata modules (copied to a temporary directory), checked with the real Go
toolchain: every touched package still builds and vets with nothing new, each fixed finding is gone and no
finding appears, gofmt has nothing to say about a touched file that was formatted before, and a second
--fix changes nothing."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

import pytest

from gotools import REPO, go_binary, run_go
from leaktrail.config import Config, parse_selectors
from leaktrail.engine import ScanOptions, scan
from leaktrail.fix.run import run_fixes
from leaktrail.rules import rule_infos

TESTDATA = REPO / "tests" / "rules" / "testdata"
CORPORA = ["GL002", "GL003", "GL004", "GL006", "GL010", "GL013", "GL016_go121", "GL017", "GL018"]


def gofmt_binary() -> Path:
    return Path(run_go(["env", "GOROOT"], cwd=REPO).stdout.strip()) / "bin" / "gofmt"


def vet_messages(module: Path) -> Counter[str]:
    """go vet's complaints without positions (lines move when a fix inserts one)."""
    proc = run_go(["vet", "./..."], cwd=module)
    out: Counter[str] = Counter()
    for ln in proc.stderr.splitlines():
        m = re.match(r"^(\S+\.go):\d+:\d+: (.*)$", ln)
        if m:
            out[f"{Path(m.group(1)).name}: {re.sub(r'[0-9]+', 'N', m.group(2))}"] += 1
    return out


def options(code: str) -> ScanOptions:
    return ScanOptions(config=Config().merged(select=parse_selectors([code], rule_infos().keys())))


@pytest.mark.parametrize("corpus", CORPORA)
def test_fixes_build_vet_and_remove_only_their_findings(
    corpus: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    go_binary()
    module = tmp_path / corpus
    shutil.copytree(TESTDATA / corpus, module)
    monkeypatch.chdir(module)
    code = corpus.split("_")[0]
    gofmt = str(gofmt_binary())
    import subprocess

    unformatted = set(subprocess.run([gofmt, "-l", "."], capture_output=True, text=True).stdout.split())
    vet_before = vet_messages(module)
    before = scan(["."], ScanOptions())

    run = run_fixes(["."], options(code), write=True)
    assert run.fixed >= 2, f"{corpus}: only {run.fixed} fixes"
    assert all(f.rule == code for c in run.changes.values() for f in c.fixed)

    build = run_go(["build", "./..."], cwd=module)
    assert build.returncode == 0, build.stderr
    new_vet = vet_messages(module) - vet_before
    assert not new_vet, f"go vet complains about something new: {dict(new_vet)}"

    touched = [p for p in run.changes if Path(p).as_posix().removeprefix("./") not in unformatted]
    if touched:
        fmt = subprocess.run([gofmt, "-l", *touched], capture_output=True, text=True)
        assert fmt.stdout == "", f"not gofmt-clean after the fix: {fmt.stdout}"

    after = scan(["."], ScanOptions())
    count_before = Counter((f.path, f.rule) for f in before.findings if not f.suppressed)
    count_after = Counter((f.path, f.rule) for f in after.findings if not f.suppressed)
    fixed = Counter((f.path, f.rule) for c in run.changes.values() for f in c.fixed)
    grew = {
        k: (count_before[k], fixed[k], count_after[k])
        for k in set(count_after) | set(fixed)
        if count_after[k] > count_before[k] - fixed[k]
    }
    assert not grew, f"(before, fixed, after) where a fixed finding stayed or a new one appeared: {grew}"

    again = run_fixes(["."], options(code), write=True)
    assert again.fixed == 0 and not again.changes
