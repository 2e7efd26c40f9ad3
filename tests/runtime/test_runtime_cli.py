"""`leaktrail inspect` and `leaktrail diff` end to end: exit codes, JSON shape, bad input, URLs."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from leaky_expect import EXPECTED_COUNTS, PROVEN

from leaktrail.cli import main

FIXTURES = Path(__file__).parent / "fixtures"

GROUP_SCHEMA = {
    "type": "object",
    "required": ["total", "groups"],
    "properties": {
        "total": {"type": "integer"},
        "groups": {
            "type": "array",
            "items": {
                "type": "object",
                "required": [
                    "count",
                    "state",
                    "classification",
                    "reason",
                    "leaked",
                    "frames",
                    "created_by",
                    "labels",
                    "wait_minutes",
                ],
                "properties": {
                    "count": {"type": "integer", "minimum": 1},
                    "state": {"type": ["string", "null"]},
                    "classification": {"enum": ["leaked", "suspect", "blocked", "running", "benign"]},
                    "reason": {"type": "string", "minLength": 1},
                    "leaked": {"type": "boolean"},
                    "frames": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["function", "file", "line"],
                            "properties": {"line": {"type": "integer"}},
                        },
                    },
                    "created_by": {"type": ["object", "null"], "required": ["function", "file", "line"]},
                    "wait_minutes": {"type": ["object", "null"], "required": ["min", "max"]},
                },
            },
        },
    },
}


def run(*args: str, input: bytes | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), input=input)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def user_groups(doc: dict[str, object]) -> dict[str, dict[str, object]]:
    out = {}
    for g in doc["groups"]:  # type: ignore[attr-defined]
        first = g["first_user_frame"]
        if first is not None and first["function"] in EXPECTED_COUNTS:
            out[first["function"]] = g
    return out


def test_inspect_json_schema_and_exit_1_on_leaks(leaky_dumps: Path) -> None:
    import jsonschema

    code, out, _ = run("inspect", "--format", "json", str(leaky_dumps / "goroutineleak.debug2.txt"))
    assert code == 1
    doc = json.loads(out)
    jsonschema.validate(doc, GROUP_SCHEMA)
    assert doc["total"] == sum(EXPECTED_COUNTS.values()) + 1
    groups = user_groups(doc)
    assert {k: g["count"] for k, g in groups.items()} == EXPECTED_COUNTS
    assert {k for k, g in groups.items() if g["leaked"]} == PROVEN
    assert {k for k, g in groups.items() if g["classification"] == "leaked"} == PROVEN
    first = doc["groups"][0]
    assert first["classification"] == "leaked"
    assert groups["main.labelledConsumer"]["labels"] == [
        {"labels": {"tenant id": "a b", "worker": "ingest"}, "count": 10}
    ]
    assert groups["main.rangeUnclosed"]["created_by"]["function"] == "main.start"
    assert groups["main.rangeUnclosed"]["created_by"]["parent_ids"] == [1]
    assert groups["main.rangeUnclosed"]["wait_minutes"] == {"min": 0, "median": 0, "max": 0}


def test_inspect_exit_0_when_nothing_is_suspicious(tmp_path: Path) -> None:
    dump = tmp_path / "ok.txt"
    dump.write_text(
        "goroutine 1 [running]:\nmain.main()\n\t/src/app/main.go:10 +0x1d\n\n"
        "goroutine 7 [IO wait]:\ninternal/poll.runtime_pollWait(0x7f, 0x72)\n"
        "\t/usr/local/go/src/runtime/netpoll.go:351 +0x85\n"
        "net/http.(*conn).serve(0xc000)\n\t/usr/local/go/src/net/http/server.go:2102 +0x625\n"
        "created by net/http.(*Server).Serve in goroutine 1\n"
        "\t/usr/local/go/src/net/http/server.go:3454 +0x485\n"
    )
    code, out, _ = run("inspect", str(dump))
    assert code == 0, out
    assert "BENIGN" in out and "keep-alive" in out
    assert "\x1b[" not in out  # no colour when stdout is not a terminal


def test_inspect_text_report(leaky_dumps: Path) -> None:
    code, out, _ = run("inspect", "--min-count", "6", str(leaky_dumps / "goroutine.debug2.txt"))
    assert code == 1
    lines = out.splitlines()
    assert lines[0].endswith(
        f"(debug=2 goroutines): {sum(EXPECTED_COUNTS.values()) + 1} goroutines in 13 groups"
    )
    assert lines[1].startswith("states: 28 chan receive, 13 select, 12 sync.Cond.Wait")
    assert "verdict: 10 groups suspect (75), 2 groups blocked (14), 1 group running (1)" in lines[2]
    assert lines[4].startswith("SUSPECT  13 goroutines  select")
    # Runtime and sync internals are folded; the API call and the user frame remain.
    mutex = out[out.index("SUSPECT  8 goroutines  sync.Mutex.Lock") :]
    mutex = mutex[: mutex.index("\n\n")]
    assert "internal/sync.runtime_SemacquireMutex" not in mutex
    assert "sync.(*Mutex).Lock" in mutex and "main.mutexHeldForever" in mutex
    assert "created by main.start in goroutine 1" in mutex


@pytest.mark.parametrize(
    ("name", "exit_code"),
    [
        # debug=1 hides channel operations and no group reaches --min-count 100: nothing to flag.
        ("goroutine.debug1.txt", 0),
        # debug=0 shows runtime.block: `select {}` can never return.
        ("goroutine.debug0.pb.gz", 1),
        ("goroutineleak.debug0.pb.gz", 1),
    ],
)
def test_stdin(leaky_dumps: Path, name: str, exit_code: int) -> None:
    code, out, err = run("inspect", "--format", "json", "-", input=(leaky_dumps / name).read_bytes())
    assert code == exit_code, err
    assert json.loads(out)["source"] == "<stdin>"


def test_gzipped_text_dump(leaky_dumps: Path, tmp_path: Path) -> None:
    gz = tmp_path / "dump.txt.gz"
    gz.write_bytes(gzip.compress((leaky_dumps / "goroutine.debug2.txt").read_bytes()))
    code, out, _ = run("inspect", "--format", "json", str(gz))
    assert code == 1
    assert json.loads(out)["total"] == sum(EXPECTED_COUNTS.values()) + 1


def test_several_sources_one_bad(leaky_dumps: Path, tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.bin"
    garbage.write_bytes(bytes(range(256)) * 4)
    code, out, err = run(
        "inspect",
        "--format",
        "json",
        str(leaky_dumps / "goroutine.debug1.txt"),
        str(garbage),
        str(tmp_path / "missing.txt"),
        str(leaky_dumps / "goroutine.debug0.pb.gz"),
    )
    assert code == 2
    docs = json.loads(out)
    assert [d["format"] for d in docs] == ["debug=1", "debug=0"]
    errors = err.strip().splitlines()
    assert len(errors) == 2
    assert errors[0].startswith(f"leaktrail: error: {garbage}: ")
    assert errors[1] == f"leaktrail: error: {tmp_path / 'missing.txt'}: No such file or directory"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty input"),
        (b"hello world\nthis is not a dump\n", "no goroutine dump or profile found (2 lines of other text)"),
        (b"<!DOCTYPE html><html><body>Sign in</body></html>\n", "an HTML page"),
        (gzip.compress(b"", mtime=0)[:-4], "gzip stream holds no data"),
        (b"\x1f\x8b\x08\x00garbage-garbage", "corrupt gzip data"),
        (gzip.compress(b"\x08\x96\x01\xff\xff\xff", mtime=0), "not a profile.proto"),
        (
            gzip.compress(b"\x0a\x04\x08\x01\x10\x02\x32\x00\x32\x03cpu\x32\x05nanos", mtime=0),
            "not a goroutine profile",
        ),
        (b"goroutine 5 [chan rece", "dump is truncated before its first complete goroutine"),
        (b"goroutine profile: total 3\n", None),
    ],
)
def test_bad_input_one_line_exit_2(tmp_path: Path, content: bytes, message: str | None) -> None:
    path = tmp_path / "input"
    path.write_bytes(content)
    proc = subprocess.run(
        [sys.executable, "-m", "leaktrail", "inspect", str(path)], capture_output=True, text=True, check=False
    )
    if message is None:
        # A header with no records: a profile of nothing, truncated.
        assert proc.returncode == 0, proc.stderr
        assert "truncated" in proc.stdout
        return
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip().splitlines() == [
        f"leaktrail: error: {path}: " + proc.stderr.split(": ", 3)[-1].strip()
    ]
    assert message in proc.stderr


def test_truncated_dump_reports_what_it_read(leaky_dumps: Path, tmp_path: Path) -> None:
    text = (leaky_dumps / "goroutine.debug2.txt").read_text()
    cut = text.index("goroutine 60 [")
    path = tmp_path / "cut.txt"
    path.write_text(text[: cut + 20])  # mid-header, as the runtime's 64 MiB cap leaves it
    code, out, _ = run("inspect", "--format", "json", str(path))
    doc = json.loads(out)
    assert doc["truncated"] is True
    read = text[:cut].count("\ngoroutine ") + (1 if text.startswith("goroutine ") else 0)
    assert doc["total"] == read
    assert any("truncated" in w and f"read {read} complete goroutines" in w for w in doc["warnings"])
    assert code == 1


def test_diff_cli(leaky_dumps: Path, leaky_dumps_x3: Path) -> None:
    before, after = (
        str(leaky_dumps / "goroutine.debug0.pb.gz"),
        str(leaky_dumps_x3 / "goroutine.debug0.pb.gz"),
    )
    code, out, _ = run("diff", "--format", "json", before, after)
    assert code == 1
    doc = json.loads(out)
    assert doc["growth"] == 2 * sum(EXPECTED_COUNTS.values())
    top = doc["changes"][0]
    assert (top["before"], top["after"], top["growth"]) == (13, 39, 26)
    assert top["first_user_frame"]["function"] == "main.contextNeverCancelled"
    code, out, _ = run("diff", "--min-growth", "100", before, after)
    assert code == 0
    assert "no group grew by 100 or more" in out
    code, _, _ = run("diff", before, before)
    assert code == 0
    code, _, err = run("diff", before, "/nonexistent/after.txt")
    assert code == 2 and "leaktrail: error: /nonexistent/after.txt:" in err


def test_bad_flags() -> None:
    code, _, err = run("inspect", "--group-by", "colour", str(FIXTURES / "goroutine.debug1.txt"))
    assert code == 2 and "--group-by" in err
    code, _, err = run("inspect", "--min-wait", "soon", str(FIXTURES / "goroutine.debug1.txt"))
    assert code == 2
    code, out, _ = run(
        "inspect",
        "--min-wait",
        "2h",
        "--max-bytes",
        "1M",
        "--format",
        "json",
        str(FIXTURES / "goroutine.debug1.txt"),
    )
    assert code in (0, 1) and json.loads(out)["total"] == 90


def test_fixtures_stay_parseable() -> None:
    """The committed real dumps: small, from go1.27.3, and still read without a warning."""
    for path in sorted(FIXTURES.iterdir()):
        code, out, err = run("inspect", "--format", "json", str(path))
        assert code == (0 if path.name == "goroutine.debug1.txt" else 1), (path, err)
        doc = json.loads(out)
        assert not doc["warnings"] and doc["unrecognised_lines"] == 0, path


def test_report_written_as_render_gives_it(tmp_path: Path) -> None:
    """The report goes to stdout in one piece (not through click's copies), byte for byte what the
    renderer returns plus a newline; escape sequences in label values are stripped from piped text as
    click strips them."""
    from leaktrail.report.inspect import render_json, render_text
    from leaktrail.runtime import inspect, load_snapshot

    dump = tmp_path / "esc.txt"
    dump.write_text(
        'goroutine 5 [chan receive] {color: "\\x1b[31mred\\x1b[0m"}:\n'
        "main.f()\n\t/a.go:1 +0x1\ncreated by main.main in goroutine 1\n\t/a.go:9 +0x2\n"
    )
    ins = inspect(load_snapshot(str(FIXTURES / "goroutine.debug2.txt")))
    for fmt, render in (("json", render_json), ("text", render_text)):
        args = ["inspect", str(FIXTURES / "goroutine.debug2.txt"), "--format", fmt, "--source", ""]
        result = CliRunner().invoke(main, args)
        assert result.output == render([ins]) + "\n", fmt
    result = CliRunner().invoke(main, ["inspect", str(dump), "--source", ""])
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "labels {color: red}" in result.output
