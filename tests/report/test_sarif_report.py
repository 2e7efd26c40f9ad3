from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import leaktrail
from leaktrail.model import Finding, RuleInfo, ScanSummary
from leaktrail.report import render_findings

SCHEMA_PATH = Path(__file__).resolve().parents[1] / "data" / "sarif-schema-2.1.0.json"


@pytest.fixture(scope="module")
def validator() -> Any:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)  # the schema declares draft-04
    cls.check_schema(schema)
    return cls(schema)


def sarif(
    rules: dict[str, RuleInfo], findings: list[Finding], root: Path, show_ignored: bool = False
) -> dict[str, Any]:
    out = render_findings(
        findings, rules, "sarif", root=root, summary=ScanSummary(1, 1, 0, 0.1), show_ignored=show_ignored
    )
    doc: dict[str, Any] = json.loads(out)
    return doc


@pytest.mark.parametrize("show_ignored", [False, True])
def test_valid_against_the_official_schema(
    validator: Any, rules: dict[str, RuleInfo], findings: list[Finding], root: Path, show_ignored: bool
) -> None:
    doc = sarif(rules, findings, root, show_ignored)
    errors = sorted(validator.iter_errors(doc), key=str)
    assert not errors, "\n".join(e.message for e in errors)


def test_empty_run_is_valid(validator: Any, rules: dict[str, RuleInfo], root: Path) -> None:
    doc = sarif(rules, [], root)
    validator.validate(doc)
    assert doc["runs"][0]["results"] == []
    assert len(doc["runs"][0]["tool"]["driver"]["rules"]) == 3


def test_header_and_driver(rules: dict[str, RuleInfo], findings: list[Finding], root: Path) -> None:
    doc = sarif(rules, findings, root)
    assert doc["version"] == "2.1.0"
    assert doc["$schema"].endswith("sarif-schema-2.1.0.json")
    assert len(doc["runs"]) == 1
    driver = doc["runs"][0]["tool"]["driver"]
    assert driver["name"] == "leaktrail"
    assert driver["version"] == leaktrail.__version__
    assert driver["informationUri"].startswith("https://")
    assert [r["id"] for r in driver["rules"]] == ["GL001", "GL011", "GL016"]
    gl001, gl011, gl016 = driver["rules"]
    assert gl001["name"] == "range-never-closed"
    assert gl001["shortDescription"] == {"text": "range over a channel that is never closed"}
    # First prose paragraph, heading skipped, joined onto one line.
    assert gl001["fullDescription"] == {
        "text": "Flags `for range ch` over a channel nobody closes. The loop never ends."
    }
    assert gl001["help"] == {"text": rules["GL001"].doc, "markdown": rules["GL001"].doc}
    assert gl001["helpUri"] == "https://github.com/leaktrail/leaktrail/blob/main/docs/rules/GL001.md"
    assert gl001["defaultConfiguration"] == {"level": "error"}
    assert gl011["defaultConfiguration"] == {"level": "note"}
    assert (
        gl011["fullDescription"]["text"] == "Goroutines started in a loop whose completion nobody waits for."
    )
    assert gl016["defaultConfiguration"] == {"level": "warning"}
    # An empty doc falls back to the summary: SARIF messages need text.
    assert gl016["fullDescription"]["text"] == gl016["help"]["text"] == rules["GL016"].summary


def test_results(rules: dict[str, RuleInfo], findings: list[Finding], root: Path) -> None:
    run = sarif(rules, findings, root)["runs"][0]
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": root.as_uri() + "/"}}
    results = run["results"]
    assert len(results) == 3  # the suppressed finding is left out
    driver_rules = run["tool"]["driver"]["rules"]
    for result, f in zip(results, findings, strict=False):
        assert result["ruleId"] == f.rule
        assert driver_rules[result["ruleIndex"]]["id"] == f.rule
        assert result["message"] == {"text": f.message}
        (location,) = result["locations"]
        assert location["physicalLocation"] == {
            "artifactLocation": {"uri": f.path, "uriBaseId": "%SRCROOT%"},
            "region": {"startLine": f.line, "startColumn": f.column},
        }
        assert "suppressions" not in result
    assert [r["level"] for r in results] == ["error", "warning", "note"]


def test_suppressed_results_with_show_ignored(
    rules: dict[str, RuleInfo], findings: list[Finding], root: Path
) -> None:
    results = sarif(rules, findings, root, show_ignored=True)["runs"][0]["results"]
    assert len(results) == 4
    assert [r.get("suppressions") for r in results] == [None, None, None, [{"kind": "inSource"}]]


def test_uri_relative_to_root_not_cwd(
    rules: dict[str, RuleInfo], make_finding: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    root = tmp_path / "svc"
    root.mkdir()
    run = sarif(rules, [make_finding(path="svc/pkg/a.go")], root)["runs"][0]
    location = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": "pkg/a.go", "uriBaseId": "%SRCROOT%"}
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == root.as_uri() + "/"


def test_uri_percent_encoded(rules: dict[str, RuleInfo], make_finding: Any, root: Path) -> None:
    doc = sarif(rules, [make_finding(path="my dir/ü#1%.go")], root)
    location = doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location["uri"] == "my%20dir/%C3%BC%231%25.go"


def test_absolute_paths_and_paths_outside_root(
    rules: dict[str, RuleInfo], make_finding: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "repo"
    (root / "pkg").mkdir(parents=True)
    monkeypatch.chdir(root / "pkg")  # display paths are relative to cwd, which is below the root
    inside_abs = make_finding(path=str(root / "x" / "b.go"))
    relative = make_finding(path="a.go")
    outside = make_finding(path=str(tmp_path / "other" / "c.go"))
    results = sarif(rules, [inside_abs, relative, outside], root)["runs"][0]["results"]
    locations = [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in results]
    assert locations[0] == {"uri": "x/b.go", "uriBaseId": "%SRCROOT%"}
    assert locations[1] == {"uri": "pkg/a.go", "uriBaseId": "%SRCROOT%"}
    assert locations[2] == {"uri": (tmp_path / "other" / "c.go").as_uri()}


def test_partial_fingerprints(rules: dict[str, RuleInfo], make_finding: Any, root: Path) -> None:
    def prints(*fs: Finding) -> list[str]:
        results = sarif(rules, list(fs), root)["runs"][0]["results"]
        return [next(iter(r["partialFingerprints"].values())) for r in results]

    a = make_finding(line=10)
    moved = make_finding(line=42, column=9)  # code inserted above: same alert
    other_rule = make_finding("GL016", line=10)
    other_file = make_finding(path="pkg/z.go", line=10)
    assert prints(a) == prints(moved)
    assert len({*prints(a), *prints(other_rule), *prints(other_file)}) == 3
    # Two identical findings in one file must still be two alerts.
    twins = prints(make_finding(line=1), make_finding(line=2))
    assert twins[0] != twins[1]
    assert prints(a) == prints(a)  # deterministic across runs


def test_schema_check_is_not_vacuous(
    validator: Any, rules: dict[str, RuleInfo], findings: list[Finding], root: Path
) -> None:
    doc = sarif(rules, findings, root)
    doc["runs"][0]["results"][0]["level"] = "fatal"
    doc["runs"][0]["results"][1]["suppressions"] = [{"kind": "inline"}]
    assert len(list(validator.iter_errors(doc))) == 2
