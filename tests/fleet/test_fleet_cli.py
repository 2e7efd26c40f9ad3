"""`leaktrail fleet` from the command line, and its three target inputs: one-line errors, exit codes, the
history that `report` charts, the escaped HTML page, progress only on a terminal, and --dask without
`distributed`."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from fleettools import PROVEN, SCALES, ProfileServer, Recording, dead_url, write_targets

from leaktrail.cli import main
from leaktrail.fleet import TargetsError, load_targets

LEAKTRAIL = [sys.executable, "-m", "leaktrail"]


def test_url_list_with_labels(tmp_path: Path) -> None:
    p = tmp_path / "targets.txt"
    p.write_text(
        "# orders and search\n\n"
        "http://10.0.0.5:6060 service=orders zone=a\n"
        "http://10.0.0.6:6060/admin/debug/pprof/ job=search   # a comment\n"
        "http://10.0.0.7:6060\n"
        "http://10.0.0.5:6060 service=orders zone=a\n"
    )
    ts = load_targets(p)
    assert [(t.index, t.service, t.instance, t.url) for t in ts] == [
        (0, "orders", "10.0.0.5:6060", "http://10.0.0.5:6060"),
        (1, "search", "10.0.0.6:6060/admin", "http://10.0.0.6:6060/admin/debug/pprof/"),
        (2, "10.0.0.7", "10.0.0.7:6060", "http://10.0.0.7:6060"),
    ]
    assert ts[0].labels == (("service", "orders"), ("zone", "a"))


def test_prometheus_file_sd(tmp_path: Path) -> None:
    p = tmp_path / "sd.json"
    p.write_text(
        json.dumps(
            [
                {"targets": ["10.0.0.1:6060", "10.0.0.2:6060"], "labels": {"job": "orders", "env": "prod"}},
                {"targets": ["pay.internal:443"], "labels": {"service": "payments", "__scheme__": "https"}},
            ]
        )
    )
    ts = load_targets(p)
    assert [(t.service, t.instance, t.url) for t in ts] == [
        ("orders", "10.0.0.1:6060", "http://10.0.0.1:6060"),
        ("orders", "10.0.0.2:6060", "http://10.0.0.2:6060"),
        ("payments", "pay.internal:443", "https://pay.internal:443"),
    ]
    assert dict(ts[2].labels) == {"service": "payments", "instance": "pay.internal:443"}


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("t.txt", "http://a:1 service=x\nhttp://b:1 zone\n", "t.txt:2: 'zone' is not a key=value label"),
        ("t.txt", "10.0.0.1:6060 service=x\n", "t.txt:1: 10.0.0.1:6060: not an http(s) URL"),
        ("t.txt", "# nothing\n", "t.txt: no targets in it"),
        ("sd.json", '[{"targets": ["a:1"]', "sd.json: not valid JSON: Expecting ',' delimiter at line 1"),
        ("sd.json", '[{"labels": {}}]', 'sd.json: entry 1: needs a "targets" list'),
        ("sd.json", '{"targets": []}', "sd.json: a file_sd file is a JSON list of {targets, labels} objects"),
        (
            "sd.json",
            '[{"targets": ["a:1"], "labels": {"__scheme__": "ftp"}}]',
            "sd.json: entry 1: __scheme__ 'ftp' is neither http nor https",
        ),
    ],
)
def test_bad_targets_name_the_place(tmp_path: Path, name: str, text: str, message: str) -> None:
    p = tmp_path / name
    p.write_text(text)
    with pytest.raises(TargetsError) as err:
        load_targets(p)
    assert str(err.value) == f"{tmp_path}/{message}"
    r = CliRunner().invoke(main, ["fleet", str(p)])
    assert r.exit_code == 2
    assert r.output.strip().splitlines() == [f"leaktrail: error: {tmp_path}/{message}"]


def _fleet_dir(root: Path, recordings: list[Recording]) -> Path:
    """SERVICE/INSTANCE/*.pb.gz from the recordings: orders ×3 (one without a leak profile), billing ×2,
    and one instance whose only file is garbage."""
    layout = {"orders": [0, 1, 3], "billing": [2, 2]}
    for service, recs in layout.items():
        for n, k in enumerate(recs):
            d = root / service / f"pod-{n}"
            d.mkdir(parents=True)
            (d / "goroutine.pb.gz").write_bytes(recordings[k].goroutine)
            if (service, n) != ("orders", 2):
                (d / "goroutineleak.pb.gz").write_bytes(recordings[k].leak)
    (root / "billing" / "pod-9").mkdir()
    (root / "billing" / "pod-9" / "goroutine.txt").write_text("not a dump\n")
    (root / "README").write_text("stray files are ignored\n")
    return root


def test_directory_json_db_and_report(tmp_path: Path, recordings: list[Recording]) -> None:
    root = _fleet_dir(tmp_path / "profiles", recordings)
    db = tmp_path / "h.db"
    for _day in range(2):
        r = CliRunner().invoke(main, ["fleet", str(root), "-j", "2", "-f", "json", "--db", str(db)])
        assert r.exit_code == 1, r.output
    data = json.loads(r.stdout)
    assert (data["targets"], data["analysed"], data["failed"]) == (6, 5, 1)
    failed = [t for t in data["target_results"] if t["error"]]
    assert failed[0]["instance"] == "pod-9" and "goroutine.txt" in failed[0]["error"]
    by = {(g["service"], g["function"]): g for g in data["groups"]}
    orders = by[("orders", "main.sendNoReceiver")]
    # pod-2 has no leak profile: its 5 × 5 senders are counted, not proven, and not a suspect (< 100).
    assert orders["instances"] == 3 and orders["leaking_instances"] == 2
    assert orders["leaked"] == 5 * (SCALES[0] + SCALES[1])
    assert by[("billing", "main.sendNoReceiver")]["leaked"] == 5 * SCALES[2] * 2
    assert {s["function"] for s in data["shared"]} == PROVEN
    # Each run stored one sample per instance and one per service.
    conn = sqlite3.connect(db)
    urls = dict(
        conn.execute(
            "SELECT t.url, COUNT(*) FROM samples s JOIN targets t ON t.id = s.target_id GROUP BY t.url"
        )
    )
    conn.close()
    assert urls["fleet:orders"] == urls["fleet:billing"] == 2
    assert urls[str(root / "orders" / "pod-0")] == 2 and len(urls) == 8
    out = tmp_path / "r.html"
    r = CliRunner().invoke(main, ["report", "--db", str(db), "--target", "fleet:orders", "-o", str(out)])
    assert r.exit_code == 0, r.output
    page = out.read_text()
    assert "main.sendNoReceiver" in page and "fleet:orders" in page


def test_html_is_escaped_and_self_contained(tmp_path: Path, server: ProfileServer) -> None:
    evil = "<script>window.__xss=1</script>"
    targets = tmp_path / "t.txt"
    targets.write_text(
        f"{server.instance_url(0)} service={evil.replace(' ', '')}\n{server.instance_url(1)} service=ok\n"
    )
    out = tmp_path / "fleet.html"
    r = CliRunner().invoke(main, ["fleet", str(targets), "-j", "1", "-f", "html", "-o", str(out)])
    assert r.exit_code == 1, r.output
    page = out.read_text()
    assert "<script>window" not in page and "&lt;script&gt;window.__xss=1&lt;/script&gt;" in page
    assert page.count("<script") == 1  # the table sorter, allowed by hash in the CSP
    assert "Content-Security-Policy" in page and "default-src &#x27;none&#x27;" in page
    assert "http://" not in page.replace(server.url, "")  # nothing loaded from anywhere


def test_usage_errors(tmp_path: Path) -> None:
    targets = tmp_path / "t.txt"
    targets.write_text("http://127.0.0.1:1 service=x\n")
    cases = [
        (["--dask", "local:2", "-j", "2"], "-j and --dask exclude each other"),
        (["-f", "html"], "--format html needs -o FILE"),
        (["--source", "orders"], "'orders': use SERVICE=DIR"),
        (["--dask", "local:x"], "--dask local:x: local:N needs a number of workers, e.g. local:4"),
    ]
    for args, message in cases:
        r = CliRunner().invoke(main, ["fleet", str(targets), *args])
        assert r.exit_code == 2, (args, r.output)
        assert len(r.output.strip().splitlines()) == 1 and message in r.output, r.output


def test_no_target_answered_is_exit_2(tmp_path: Path) -> None:
    targets = tmp_path / "t.txt"
    targets.write_text(f"{dead_url()} service=x\n{dead_url()} service=y\n")
    r = CliRunner().invoke(main, ["fleet", str(targets), "-j", "1"])
    assert r.exit_code == 2
    assert "2 failed" in r.stdout and r.stderr.strip().endswith("leaktrail: error: no target answered")


def test_dask_without_distributed_says_how_to_install(tmp_path: Path) -> None:
    targets = tmp_path / "t.txt"
    targets.write_text("http://127.0.0.1:1 service=x\n")
    code = "import sys; sys.modules['distributed'] = None; from leaktrail.cli import main; main()"
    proc = subprocess.run(
        [sys.executable, "-c", code, "fleet", str(targets), "--dask", "tcp://127.0.0.1:8786"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stderr == (
        "leaktrail: error: --dask needs the distributed package: pip install 'leaktrail[fleet]'\n"
    )


def test_progress_only_on_a_terminal(tmp_path: Path, server: ProfileServer) -> None:
    targets = tmp_path / "t.txt"
    write_targets(targets, server, 40, [], bad=False)
    quiet = subprocess.run(
        [*LEAKTRAIL, "fleet", str(targets), "-j", "2"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert quiet.returncode == 1 and quiet.stderr == ""
    assert quiet.stdout.startswith("leaktrail fleet: 40 targets in 4 services: 40 analysed, 0 failed in ")
    shown = subprocess.run(
        [*LEAKTRAIL, "fleet", str(targets), "-j", "2", "--progress"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={"COLUMNS": "160", "NO_COLOR": "1", "PATH": "/usr/bin:/bin"},
    )
    assert shown.returncode == 1
    assert "targets 40/40 done, 0 failed" in shown.stderr and "worst groups so far" in shown.stderr
    assert "main.contextNeverCancelled (select)" in shown.stderr


def test_min_count_and_source_linking(tmp_path: Path, recordings: list[Recording]) -> None:
    root = _fleet_dir(tmp_path / "profiles", recordings)
    leaky_src = Path(__file__).resolve().parents[1] / "runtime" / "goprogs" / "leaky"
    args = ["fleet", str(root), "-j", "2", "-f", "json", "--source", f"orders={leaky_src}"]
    data = json.loads(CliRunner().invoke(main, args).stdout)
    by = {(g["service"], g["function"]): g for g in data["groups"]}
    # The global queue's readers are never proven; 11 × scale of them is under the default --min-count 100.
    assert ("billing", "main.globalWorker") not in by
    rules = {f["rule"] for f in by[("orders", "main.rangeUnclosed")]["findings"]}
    assert "GL001" in rules  # linked to the range over a channel nothing closes
    assert by[("billing", "main.rangeUnclosed")]["findings"] == []  # no --source for billing
    # LeakProf's threshold at 30: billing's two instances park 11 × 3 = 33 readers each; of orders' three
    # (scales 1, 2, 5) only the last reaches it.
    data = json.loads(
        CliRunner().invoke(main, ["fleet", str(root), "-j", "2", "-f", "json", "--min-count", "30"]).stdout
    )
    by = {(g["service"], g["function"]): g for g in data["groups"]}
    g = by[("billing", "main.globalWorker")]
    assert (g["classification"], g["leaking_instances"], g["leaking"], g["leaked"]) == ("suspect", 2, 66, 0)
    assert "at least --min-count 30" in g["reason"]
    g = by[("orders", "main.globalWorker")]
    assert (g["instances"], g["leaking_instances"], g["leaking"], g["max_per_instance"]) == (3, 1, 55, 55)
