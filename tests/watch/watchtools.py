"""Real services for the watch tests: the soak Go program (leaking or bursting), a Python server that
misbehaves or serves synthetic profiles, a webhook receiver, and one bounded `leaktrail watch` run that the
end-to-end and browser tests share. (Not named conftest: tests/ has several, and `from conftest import`
would pick whichever was imported first.)"""

from __future__ import annotations

import http.server
import json
import os
import select
import socketserver
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from gotools import REPO, go_env, run_go

GOPROGS = Path(__file__).parent / "goprogs"
LEAKTRAIL = [sys.executable, "-m", "leaktrail"]
ARTIFACTS = REPO / "test-artifacts"


# -- Go services ----------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def soak_bin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("soakbin") / "soak"
    proc = run_go(["build", "-o", str(out), "."], cwd=GOPROGS / "soak", timeout=600)
    if proc.returncode != 0:
        pytest.fail(f"go build soak failed:\n{proc.stderr}")
    return out


@contextmanager
def service(binary: Path, *args: str) -> Iterator[str]:
    """Start the soak program and yield its base URL; kill it afterwards."""
    proc = subprocess.Popen(
        [str(binary), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=go_env(), text=True
    )
    try:
        assert proc.stdout is not None
        ready, _, _ = select.select([proc.stdout], [], [], 30)
        if not ready:
            pytest.fail(f"soak {' '.join(args)} did not start")
        line = proc.stdout.readline().strip()
        assert line.startswith("listening on http://"), line
        yield line.removeprefix("listening on ")
    finally:
        proc.kill()
        proc.wait(timeout=30)


def get(url: str, timeout: float = 2.0) -> bytes:
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return bytes(r.read())


# -- Python servers --------------------------------------------------------------------------------------


def debug1(groups: dict[str, int]) -> bytes:
    """A debug=1 goroutine profile with one record per function, parked in a channel operation."""
    lines = [f"goroutine profile: total {sum(groups.values())}"]
    for i, (fn, n) in enumerate(sorted(groups.items())):
        if n <= 0:
            continue
        pc = 0x4A0000 + i * 0x100
        lines.append(f"{n} @ 0x48a20a 0x4180ae {pc:#x} 0x490fe1")
        lines.append(f"#\t{pc - 1:#x}\t{fn}+0x36\t/src/svc/{fn.split('.')[-1]}.go:{10 + i}")
        lines.append("")
    return ("\n".join(lines) + "\n").encode()


class _Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass

    def _send(self, status: int, body: bytes, ctype: str = "text/plain; charset=utf-8") -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        server: FakeServer = self.server  # type: ignore[assignment]
        kind = self.path.split("?", 1)[0].strip("/").split("/", 1)[0]
        if "goroutineleak" in self.path:
            self._send(404, b"404 page not found\n")
            return
        with server.lock:
            n = server.hits.get(kind, 0)
            server.hits[kind] = n + 1
        if kind == "hang":
            server.release.wait(10)
            return
        if kind == "garbage":
            self._send(200, b"hello, this is not a profile\n")
            return
        if kind == "grow":
            body = debug1({"main.leak": 5 * n + 1, "main.steady": 4})
        elif kind == "burst":
            body = debug1({"main.batch": 200 if n % 7 in (3, 4) else 0, "main.steady": 4})
        elif kind == "flat":
            body = debug1({"main.steady": 4})
        else:
            self._send(404, b"404 page not found\n")
            return
        self._send(200, body)
        with server.lock:
            server.served[kind] = server.served.get(kind, 0) + 1


class FakeServer(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.release = threading.Event()
        self.lock = threading.Lock()
        self.hits: dict[str, int] = {}
        self.served: dict[str, int] = {}

    def handle_error(self, request: object, client_address: object) -> None:
        pass

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


@contextmanager
def fake_server() -> Iterator[FakeServer]:
    server = FakeServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.release.set()
        server.shutdown()
        server.server_close()


@pytest.fixture
def fake() -> Iterator[FakeServer]:
    with fake_server() as server:
        yield server


class _HookHandler(http.server.BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_POST(self) -> None:
        server: HookServer = self.server  # type: ignore[assignment]
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with server.lock:
            server.attempts += 1
            fail = server.attempts <= server.fail_first
            if not fail:
                server.received.append(json.loads(body))
        if server.delay:
            time.sleep(server.delay)
        self.send_response(500 if fail else 204)
        self.send_header("Content-Length", "0")
        self.end_headers()


class HookServer(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True

    def __init__(self, fail_first: int = 0, delay: float = 0.0) -> None:
        super().__init__(("127.0.0.1", 0), _HookHandler)
        self.lock = threading.Lock()
        self.fail_first = fail_first
        self.delay = delay
        self.attempts = 0
        self.received: list[dict[str, object]] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/hook"


@contextmanager
def hook_server(fail_first: int = 0, delay: float = 0.0) -> Iterator[HookServer]:
    server = HookServer(fail_first, delay)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def closed_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# -- the shared end-to-end run ---------------------------------------------------------------------------

WATCH_SECONDS = 7.0
INTERVAL = 0.2


@dataclass
class WatchRun:
    leaker: str
    burster: str
    down: str
    hang: str
    garbage: str
    db: Path
    report: Path
    inspect_html: Path
    returncode: int
    stdout: str
    stderr: str
    metrics: str
    mid_report_rc: int
    hooks: list[dict[str, object]]
    traffic: dict[str, int] = field(default_factory=dict)


def _traffic(leaker: str, burster: str, stop: threading.Event, counts: dict[str, int]) -> None:
    """10 requests/s to the leaker, one batch every 1.5 s to the burster; bounded in count and time."""
    deadline = time.monotonic() + WATCH_SECONDS + 5
    for i in range(int((WATCH_SECONDS + 5) * 10)):
        if stop.is_set() or time.monotonic() > deadline:
            return
        for url, every in ((leaker, 1), (burster, 15)):
            if i % every == 0:
                try:
                    get(url + "/work")
                    counts[url] = counts.get(url, 0) + 1
                except OSError:
                    pass
        stop.wait(0.1)


@pytest.fixture(scope="session")
def watch_run(soak_bin: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[WatchRun]:
    tmp = tmp_path_factory.mktemp("watch")
    db = tmp / "history.db"
    with (
        service(soak_bin, "-mode", "leak", "-per", "3", "-evil") as leaker,
        service(soak_bin, "-mode", "burst", "-per", "200") as burster,
        fake_server() as bad,
        hook_server() as hooks,
    ):
        down = f"http://127.0.0.1:{closed_port()}"
        hang, garbage = bad.url + "/hang", bad.url + "/garbage"
        stop = threading.Event()
        counts: dict[str, int] = {}
        traffic = threading.Thread(target=_traffic, args=(leaker, burster, stop, counts), daemon=True)
        env = dict(os.environ, NO_COLOR="1", COLUMNS="200")
        cmd = [
            *LEAKTRAIL,
            "watch",
            leaker,
            burster,
            down,
            hang,
            garbage,
            "--interval",
            f"{INTERVAL}s",
            "--duration",
            f"{WATCH_SECONDS}s",
            "--timeout",
            "1s",
            "--leak-interval",
            "3s",
            "--db",
            str(db),
            "--metrics-addr",
            "127.0.0.1:0",
            "--webhook",
            hooks.url,
            "--fail-on-leak",
            "--no-live",
            "--source",
            str(GOPROGS / "soak"),
        ]
        traffic.start()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        assert proc.stderr is not None
        metrics_url = ""
        err_lines: list[str] = []
        start = time.monotonic()
        while time.monotonic() - start < 20:
            line = proc.stderr.readline()
            if not line:
                break
            err_lines.append(line)
            if "metrics on " in line:
                metrics_url = line.rsplit("metrics on ", 1)[1].strip()
                break
        # Read the database and the metrics while watch writes (after the leaker had time to be flagged).
        time.sleep(WATCH_SECONDS * 0.7)
        mid = subprocess.run(
            [*LEAKTRAIL, "report", "--db", str(db), "-o", str(tmp / "mid.html")],
            capture_output=True,
            text=True,
            timeout=60,
            env=env,
        )
        metrics = get(metrics_url, timeout=5).decode() if metrics_url else ""
        out, err = proc.communicate(timeout=WATCH_SECONDS + 30)
        stop.set()
        traffic.join(10)
        report = tmp / "report.html"
        rep = subprocess.run(
            [*LEAKTRAIL, "report", "--db", str(db), "-o", str(report)],
            capture_output=True,
            text=True,
            timeout=60,
            env=env,
        )
        assert rep.returncode == 0, rep.stderr
        inspect_html = tmp / "inspect.html"
        ins = subprocess.run(
            [
                *LEAKTRAIL,
                "inspect",
                leaker + "/debug/pprof/goroutine?debug=1",
                "--format",
                "html",
                "-o",
                str(inspect_html),
                "--source",
                str(GOPROGS / "soak"),
            ],
            capture_output=True,
            text=True,
            timeout=60,
            env=env,
        )
        assert ins.returncode in (0, 1), ins.stderr
        yield WatchRun(
            leaker=leaker,
            burster=burster,
            down=down,
            hang=hang,
            garbage=garbage,
            db=db,
            report=report,
            inspect_html=inspect_html,
            returncode=proc.returncode,
            stdout=out,
            stderr="".join(err_lines) + err,
            metrics=metrics,
            mid_report_rc=mid.returncode,
            hooks=list(hooks.received),
            traffic=counts,
        )
