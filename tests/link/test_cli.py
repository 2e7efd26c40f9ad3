"""`inspect --source` and `scan --evidence` on dump files: output, defaults and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from linktools import CI, PKG, Tree, goroutines

from leaktrail.cli import main


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEAKTRAIL_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("NO_COLOR", "1")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def dump(tree: Tree, tmp_path: Path) -> Path:
    text = (
        goroutines(
            3,
            "chan receive (leaked)",
            [(f"{PKG}.(*Service).listen", f"{CI}:{tree.line('range')}")],
            (f"{PKG}.(*Service).subscribe", f"{CI}:{tree.line('go-listen')}"),
        )
        + "\n"
        + goroutines(
            150,
            "chan send",
            [(f"{PKG}.(*Service).mystery.func1", f"{CI}:{tree.line('mystery-send')}")],
            (f"{PKG}.(*Service).mystery", f"{CI}:{tree.line('go-mystery')}"),
            first_id=100,
        )
    )
    path = tmp_path / "dump.txt"
    path.write_text(text)
    return path


def test_inspect_text_explains_and_shows_the_line(tree: Tree, dump: Path) -> None:
    code, out, err = run("inspect", str(dump), "--source", str(tree.root))
    assert code == 1, err
    line = tree.line("range")
    assert f"explained by GL001 range-never-closed at {tree.listen}:{line}\n" in out
    assert f"      {line} | for ev := range ch {{ // @range" in out
    # the 150 senders are suspect and nothing explains them (the rule for them is not written yet here)
    assert "no static finding: a lead for a new rule (blocked at" in out
    assert "source mismatch" not in out


def test_inspect_json_adds_findings_and_source(tree: Tree, dump: Path) -> None:
    code, out, _ = run("inspect", str(dump), "--source", str(tree.root), "--format", "json")
    assert code == 1
    groups = {g["first_user_frame"]["function"]: g for g in json.loads(out)["groups"]}
    listen = groups[f"{PKG}.(*Service).listen"]
    assert listen["classification"] == "leaked"
    assert [(f["rule"], f["path"], f["line"], f["via"]) for f in listen["findings"]] == [
        ("GL001", str(tree.listen), tree.line("range"), "blocked-line")
    ]
    assert listen["source"]["blocked"] == {
        "path": str(tree.listen),
        "line": tree.line("range"),
        "text": "for ev := range ch { // @range",
    }
    assert listen["source"]["stale"] == [] and listen["source"]["lead"] is False
    mystery = groups[f"{PKG}.(*Service).mystery.func1"]
    assert mystery["classification"] == "suspect"
    assert mystery["source"]["lead"] is True


def test_inspect_default_source_is_the_module_around_cwd(
    tree: Tree, dump: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tree.root / "orders")
    code, out, _ = run("inspect", str(dump))
    assert "explained by GL001 range-never-closed at listen.go:" in out
    # --source '' turns linking off; so does running outside any module
    code, out, _ = run("inspect", str(dump), "--source", "")
    assert "explained by" not in out
    monkeypatch.chdir(tree.root.parent)
    code, out, _ = run("inspect", str(dump))
    assert "explained by" not in out and code == 1


def test_inspect_without_links_keeps_its_json(tree: Tree, dump: Path) -> None:
    _, out, _ = run("inspect", str(dump), "--source", "", "--format", "json")
    assert all("findings" not in g and "source" not in g for g in json.loads(out)["groups"])


@pytest.mark.parametrize("bad", ["missing-dir", "file"])
def test_inspect_bad_source_is_one_line_exit_2(tree: Tree, dump: Path, tmp_path: Path, bad: str) -> None:
    path = tmp_path / bad
    if bad == "file":
        path.write_text("x")
    code, out, err = run("inspect", str(dump), "--source", str(path))
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and err.startswith("leaktrail: error: --source: ")


def test_scan_evidence_ranks_and_confirms(tree: Tree, dump: Path) -> None:
    code, out, err = run("scan", "--no-cache", str(tree.root), "--evidence", str(dump))
    assert code == 1, err
    head, _, section = out.partition("\n\nruntime evidence from ")
    assert "GL001" in head
    lines = section.splitlines()
    assert lines[0] == f"{dump} (153 goroutines):"
    assert lines[1] == (
        f"  GL001 at {tree.listen}:{tree.line('range')} — 3 goroutines stuck here, "
        "confirmed leaked by the runtime (all)"
    )
    assert lines[-1].endswith("with no goroutine stuck on it in this snapshot")


def test_scan_evidence_json(tree: Tree, dump: Path) -> None:
    _, out, _ = run("scan", "--no-cache", str(tree.root), "--evidence", str(dump), "--format", "json")
    doc = json.loads(out)
    first = doc["findings"][0]
    assert (first["rule"], first["goroutines"], first["leaked"], first["confirmed"]) == ("GL001", 3, 3, True)
    assert all(f["goroutines"] == 0 for f in doc["findings"][1:])
    assert doc["evidence"]["source"] == str(dump) and doc["evidence"]["total"] == 153


@pytest.mark.parametrize("evidence", ["http://127.0.0.1:1", "no-such-dump.txt"])
def test_scan_bad_evidence_is_one_line_exit_2(tree: Tree, evidence: str) -> None:
    code, out, err = run("scan", "--no-cache", str(tree.root), "--evidence", evidence)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1
    assert err.startswith(f"leaktrail: error: --evidence {evidence}: ")
