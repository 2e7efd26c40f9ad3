"""action.yml: its shell steps, run as a runner would (inputs through env, GITHUB_OUTPUT, GITHUB_PATH)
against a temporary git repository; the SARIF is checked against the official schema."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from adopttools import HEADER, git, lost_cancel

REPO = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((REPO / "tests" / "data" / "sarif-schema-2.1.0.json").read_text())
_EXPR = re.compile(r"\$\{\{\s*([\w.-]+)\s*\}\}")


def _action() -> dict[str, Any]:
    doc: dict[str, Any] = yaml.safe_load((REPO / "action.yml").read_text())
    return doc


def _run_action(
    workdir: Path, inputs: dict[str, str], github: dict[str, str]
) -> tuple[int, str, dict[str, str]]:
    """Run every step in order like the runner: `${{ inputs.x }}` / `${{ github.x }}` substituted in the
    step's env, `run` through `bash -eo pipefail {0}`; stops at the first failing step."""
    action = _action()
    values = {f"inputs.{k}": str(v.get("default", "")) for k, v in action["inputs"].items()}
    values.update({f"inputs.{k}": v for k, v in inputs.items()})
    values.update({f"github.{k}": v for k, v in github.items()})
    output = workdir.parent / "github_output"
    path_file = workdir.parent / "github_path"
    output.write_text("")
    path_file.write_text("")
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    env.update(GITHUB_OUTPUT=str(output), GITHUB_PATH=str(path_file), RUNNER_TEMP=str(workdir.parent))
    env["LEAKTRAIL_CACHE_DIR"] = str(workdir.parent / "cache")
    log = []
    for step in action["runs"]["steps"]:
        assert step["shell"] == "bash", "composite steps run in bash"
        step_env = dict(env)
        for key, expr in step.get("env", {}).items():
            step_env[key] = _EXPR.sub(lambda m: values.get(m.group(1), ""), str(expr))
        script = workdir.parent / "step.sh"
        script.write_text(step["run"])
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=workdir,
            env=step_env,
            capture_output=True,
            text=True,
            check=False,
        )
        log.append(done.stdout + done.stderr)
        if done.returncode != 0:
            return done.returncode, "\n".join(log), _outputs(output)
    return 0, "\n".join(log), _outputs(output)


def _outputs(path: Path) -> dict[str, str]:
    return dict(line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)


def _results(sarif: Path) -> list[dict[str, Any]]:
    doc = json.loads(sarif.read_text())
    jsonschema.validate(doc, SCHEMA)
    results: list[dict[str, Any]] = doc["runs"][0]["results"]
    return results


def test_action_declares_what_the_readme_promises() -> None:
    action = _action()
    assert action["runs"]["using"] == "composite"
    assert {"paths", "args", "only-new", "baseline", "sarif-file"} <= set(action["inputs"])
    assert set(action["outputs"]) == {"sarif-file", "findings"}


def test_scan_writes_valid_sarif_and_fails_on_findings(repo: Path) -> None:
    code, log, outputs = _run_action(repo, {"install": "false"}, {"base_ref": ""})
    assert code == 1, log
    results = _results(repo / "leaktrail.sarif")
    assert [r["ruleId"] for r in results] == ["GL002"]
    assert outputs == {"sarif-file": "leaktrail.sarif", "findings": "1"}
    code, log, _ = _run_action(repo, {"install": "false", "fail-on-findings": "false"}, {"base_ref": ""})
    assert code == 0, log


def test_only_new_on_a_pull_request(repo: Path) -> None:
    git(repo, "checkout", "-q", "-b", "feature")
    (repo / "shop" / "orders.go").write_text(
        HEADER + lost_cancel("placeOrder") + "\n" + lost_cancel("refund")
    )
    git(repo, "commit", "-qam", "refund")
    code, log, outputs = _run_action(repo, {"install": "false", "only-new": "true"}, {"base_ref": "main"})
    assert code == 1, log
    results = _results(repo / "leaktrail.sarif")
    assert [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in results] == [14]
    assert "--new-from-rev main" in log
    # outside a pull request it scans everything and says so
    code, log, outputs = _run_action(repo, {"install": "false", "only-new": "true"}, {"base_ref": ""})
    assert outputs["findings"] == "2" and "only-new applies to pull requests" in log


def test_baseline_and_args(repo: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "leaktrail", "scan", ".", "--write-baseline", "leaktrail-baseline.json"],
        cwd=repo,
        check=True,
        capture_output=True,
    )
    code, log, outputs = _run_action(repo, {"install": "false", "baseline": "leaktrail-baseline.json"}, {})
    assert code == 0 and outputs["findings"] == "0", log
    code, log, outputs = _run_action(repo, {"install": "false", "args": "--select GL001"}, {})
    assert code == 0 and outputs["findings"] == "0", log


@pytest.mark.parametrize("args", ["--no-such-flag", "--baseline missing.json"])
def test_usage_errors_fail_the_step(repo: Path, args: str) -> None:
    code, log, _ = _run_action(repo, {"install": "false", "args": args}, {})
    assert code == 2, log
