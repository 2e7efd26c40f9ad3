"""`scan --new-from-rev` and `--new-from-patch`: only findings on added or changed lines."""

from __future__ import annotations

import json
from pathlib import Path

from adopttools import HEADER, Run, git, lost_cancel

from leaktrail.adopt.newcode import parse_patch


def _lines(result_stdout: str) -> list[tuple[str, int]]:
    return [(f["path"], f["line"]) for f in json.loads(result_stdout)["findings"]]


def test_only_lines_changed_since_the_merge_base(repo: Path, run: Run) -> None:
    git(repo, "checkout", "-q", "-b", "feature")
    orders = repo / "shop" / "orders.go"
    orders.write_text(HEADER + lost_cancel("placeOrder") + "\n" + lost_cancel("cancelOrder"))
    git(repo, "commit", "-qam", "cancelOrder")
    # main moves on after the branch point: its changes are not the branch's
    git(repo, "checkout", "-q", "main")
    (repo / "shop" / "stock.go").write_text(HEADER + lost_cancel("restock"))
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "restock")
    git(repo, "checkout", "-q", "feature")
    # uncommitted and untracked work counts as new
    (repo / "shop" / "ship.go").write_text(HEADER + lost_cancel("ship"))
    everything = run("scan", ".", "--format", "json", "--no-cache")
    assert len(_lines(everything.stdout)) == 3
    new = run("scan", ".", "--format", "json", "--new-from-rev", "main")
    assert new.returncode == 1, new.stderr
    assert sorted(_lines(new.stdout)) == [("shop/orders.go", 14), ("shop/ship.go", 9)]
    # the same from a subdirectory, paths shown relative to it
    sub = run("scan", ".", "--format", "json", "--new-from-rev", "main", cwd=repo / "shop")
    assert sorted(_lines(sub.stdout)) == [("orders.go", 14), ("ship.go", 9)]


def test_nothing_new_exits_zero(repo: Path, run: Run) -> None:
    out = run("scan", ".", "--new-from-rev", "HEAD")
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.strip().startswith("no findings")


def test_unknown_rev_and_not_a_checkout_are_one_line_errors(repo: Path, run: Run, tmp_path: Path) -> None:
    bad = run("scan", ".", "--new-from-rev", "no-such-branch")
    assert bad.returncode == 2
    assert bad.stderr.strip().count("\n") == 0 and "no-such-branch" in bad.stderr, bad.stderr
    assert "Traceback" not in bad.stderr
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "a.go").write_text(HEADER + lost_cancel("f"))
    out = run("scan", ".", "--new-from-rev", "main", cwd=plain)
    assert out.returncode == 2
    assert "not a git checkout" in out.stderr and out.stderr.strip().count("\n") == 0, out.stderr


def test_new_from_patch(repo: Path, run: Run, tmp_path: Path) -> None:
    orders = repo / "shop" / "orders.go"
    orders.write_text(HEADER + lost_cancel("placeOrder") + "\n" + lost_cancel("cancelOrder"))
    patch = tmp_path / "change.diff"
    patch.write_text(git(repo, "diff"))
    out = run("scan", ".", "--format", "json", "--new-from-patch", str(patch))
    assert _lines(out.stdout) == [("shop/orders.go", 14)]
    garbage = tmp_path / "garbage.diff"
    garbage.write_text("this is not a diff\n")
    bad = run("scan", ".", "--new-from-patch", str(garbage))
    assert bad.returncode == 2 and "not a unified diff" in bad.stderr
    missing = run("scan", ".", "--new-from-patch", str(tmp_path / "nope.diff"))
    assert missing.returncode == 2 and "nope.diff" in missing.stderr


def test_parse_patch_counts_only_added_lines(tmp_path: Path) -> None:
    diff = (
        b"diff --git a/x.go b/x.go\n--- a/x.go\n+++ b/x.go\n"
        b"@@ -1,3 +1,4 @@\n ctx\n-old\n+new1\n+new2\n ctx\n"
        b"@@ -10,0 +12,2 @@\n+a\n+b\n"
        b"--- a/gone.go\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\n"
    )
    changed = parse_patch(diff, tmp_path)
    assert changed.lines == {(tmp_path / "x.go").resolve(): {2, 3, 12, 13}}
