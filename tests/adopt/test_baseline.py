"""`scan --write-baseline` / `--baseline`: accepted findings stay hidden through unrelated edits."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from adopttools import HEADER, Run, lost_cancel


def _findings(stdout: str) -> list[tuple[str, int]]:
    return [(f["path"], f["line"]) for f in json.loads(stdout)["findings"]]


def test_baseline_hides_known_findings_through_edits_and_renames(repo: Path, run: Run) -> None:
    orders = repo / "shop" / "orders.go"
    orders.write_text(HEADER + lost_cancel("placeOrder") + "\n" + lost_cancel("placeOrder2"))
    wrote = run("scan", ".", "--write-baseline", ".leaktrail-baseline.json")
    assert wrote.returncode == 0, wrote.stderr
    assert "2 findings accepted" in wrote.stderr
    doc = json.loads((repo / ".leaktrail-baseline.json").read_text())
    assert doc["tool"] == "leaktrail" and doc["version"] == 1
    assert [(e["path"], e["function"], e["rule"]) for e in doc["findings"]] == [
        ("shop/orders.go", "placeOrder", "GL002"),
        ("shop/orders.go", "placeOrder2", "GL002"),
    ]
    assert doc["findings"][0]["text"] == "ctx, _ := context.WithTimeout(parent, time.Second)"
    assert "line" not in doc["findings"][0]

    clean = run("scan", ".", "--baseline", ".leaktrail-baseline.json")
    assert clean.returncode == 0, clean.stdout
    assert "baseline .leaktrail-baseline.json: 2 known findings not shown" in clean.stdout

    # unrelated edits move every line; a new leak is the only thing reported
    orders.write_text(
        HEADER.replace("package shop\n", "package shop\n\n// Orders.\n\n")
        + "var limit = 3\n\n"
        + lost_cancel("placeOrder")
        + "\n"
        + lost_cancel("placeOrder2")
        + "\n"
        + lost_cancel("refund")
    )
    new = run("scan", ".", "--format", "json", "--baseline", ".leaktrail-baseline.json")
    assert new.returncode == 1
    assert _findings(new.stdout) == [("shop/orders.go", 24)]
    assert json.loads(new.stdout)["summary"]["baseline"] == {
        "file": ".leaktrail-baseline.json",
        "known": 2,
        "stale": 0,
    }

    # a renamed file keeps its entries; the fixed finding becomes a stale entry
    (repo / "shop" / "billing").mkdir()
    shutil.move(orders, repo / "shop" / "billing" / "payments.go")
    (repo / "shop" / "billing" / "payments.go").write_text(HEADER + lost_cancel("placeOrder"))
    moved = run("scan", ".", "--baseline", ".leaktrail-baseline.json")
    assert moved.returncode == 0, moved.stdout
    assert "1 known findings not shown; 1 stale entries" in moved.stdout


def test_same_text_in_another_live_file_is_new(repo: Path, run: Run) -> None:
    run("scan", ".", "--write-baseline", "base.json")
    (repo / "shop" / "copy.go").write_text(HEADER + lost_cancel("placeOrder"))
    out = run("scan", ".", "--format", "json", "--baseline", "base.json")
    assert _findings(out.stdout) == [("shop/copy.go", 9)]


def test_occurrences_of_identical_lines_are_counted(repo: Path, run: Run) -> None:
    body = "func twice(parent context.Context) {\n" + (
        "\tctx, _ := context.WithTimeout(parent, time.Second)\n\t_ = ctx\n" * 1
    )
    orders = repo / "shop" / "orders.go"
    orders.write_text(
        HEADER + body + "\t{\n\t\tctx, _ := context.WithTimeout(parent, time.Second)\n\t\t_ = ctx\n\t}\n}\n"
    )
    run("scan", ".", "--write-baseline", "base.json")
    entries = json.loads((repo / "base.json").read_text())["findings"]
    assert sorted(e["occurrence"] for e in entries) == [1, 2]
    assert run("scan", ".", "--baseline", "base.json").returncode == 0


def test_bad_baseline_is_a_one_line_error(repo: Path, run: Run) -> None:
    (repo / "bad.json").write_text("{not json")
    for name in ("bad.json", "missing.json"):
        out = run("scan", ".", "--baseline", name)
        assert out.returncode == 2
        assert name in out.stderr and out.stderr.strip().count("\n") == 0, out.stderr
        assert "Traceback" not in out.stderr
    (repo / "other.json").write_text('{"tool": "other", "version": 1, "findings": []}')
    out = run("scan", ".", "--baseline", "other.json")
    assert out.returncode == 2 and "not a leaktrail baseline" in out.stderr
