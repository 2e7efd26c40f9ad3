"""The proof a user can watch: `scan --fix` on a copy of examples/leaky-orders, build it, drive every endpoint
with the traffic of the end-to-end test, and ask `inspect --leak-profile` over real HTTP: every endpoint
whose findings were fixed leaves no goroutine of its own; the endpoints without a safe fix still leak
(so the check can fail)."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from gotools import REPO, run_go

sys.path.insert(0, str(REPO / "tests" / "link"))
from test_leaky_orders_e2e import (
    EXAMPLE,
    PKG,
    PLANTED,
    N,
    _serve,
    drive,
    leaktrail,
    settle,
)


@pytest.fixture(scope="module")
def fixed_copy(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, set[str], Path]:
    """A fixed copy, the endpoints whose findings --fix removed, and the built binary."""
    root = tmp_path_factory.mktemp("fixed-orders")
    copy = root / "leaky-orders"
    shutil.copytree(EXAMPLE, copy)
    cache = root / "cache"
    proc = leaktrail("scan", str(copy), "--fix", "--format", "json", cache=cache)
    assert "fixed 4 findings in 4 files" in proc.stderr, proc.stderr
    left = {(f["rule"], Path(f["path"]).name) for f in json.loads(proc.stdout)["findings"]}
    fixed = {p.endpoint for p in PLANTED if (p.rule, Path(p.file).name) not in left}
    out = root / "fixed-orders"
    build = run_go(["build", "-o", str(out), "."], cwd=copy)
    assert build.returncode == 0, build.stderr
    vet = run_go(["vet", "./..."], cwd=copy)
    assert vet.returncode == 0, vet.stderr
    return copy, fixed, out


def test_fixed_endpoints_leave_no_goroutine_behind(
    fixed_copy: tuple[Path, set[str], Path], tmp_path: Path
) -> None:
    copy, fixed, binary = fixed_copy
    assert fixed == {"/track", "/ship", "/quote", "/report"}
    for base in _serve(binary):
        drive(base, N)
        want = {p.function: N * p.per_request for p in PLANTED if p.endpoint not in fixed}
        assert settle(base, want) == want
        proc = leaktrail(
            "inspect", base, "--leak-profile", "--source", str(copy), "--format", "json", cache=tmp_path
        )
        assert proc.returncode == 1, proc.stderr  # the endpoints without a safe fix still leak
        functions = {
            g["first_user_frame"]["function"][len(PKG) + 1 :]
            for g in json.loads(proc.stdout)["groups"]
            if g["first_user_frame"] is not None and g["first_user_frame"]["function"].startswith(PKG + ".")
        }
        for p in PLANTED:
            if p.endpoint in fixed:
                assert p.function not in functions, f"{p.endpoint} still leaves {p.function} behind"
            else:
                assert p.function in functions, f"{p.endpoint} was not fixed but leaks nothing: check vacuous"
