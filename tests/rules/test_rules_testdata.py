"""The testdata is the specification: each rule reports exactly the lines marked `// want "GLxxx"`.

tests/rules/testdata/GLxxx/ is a Go module per rule. The scanner runs on it with only that rule
selected; its findings must equal the want comments for that rule — nothing missing, nothing extra.
The structure tests (case counts, codes) need no engine and guard the testdata itself.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from wants import RULE_DIR, Case, Want, case_of, collect_cases, collect_wants, go_files, rule_of

TESTDATA = Path(__file__).resolve().parent / "testdata"
RULES = sorted(p.name for p in TESTDATA.iterdir() if p.is_dir() and RULE_DIR.fullmatch(p.name))
REPO = TESTDATA.parents[2]

MIN_POSITIVE = 10
MIN_NEGATIVE = 10


def _display(path: Path) -> str:
    try:
        return path.relative_to(REPO).as_posix()
    except ValueError:
        return path.as_posix()


def _source_line(path: Path, line: int) -> str:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return "<unreadable>"
    return lines[line - 1].strip() if 0 < line <= len(lines) else "<no such line>"


def _describe(items: list[Want]) -> list[str]:
    return [f"  {_display(p)}:{line}: {code}  |  {_source_line(p, line)}" for p, line, code in sorted(items)]


def _scan(rule: str, root: Path) -> list[Want]:
    """Findings of `rule` alone on root, as (absolute path, line, code); suppressed ones dropped."""
    # Imported here so the structure tests below run even before the engine exists.
    from leaktrail.config import Config
    from leaktrail.engine import ScanOptions, scan

    result = scan([str(root)], ScanOptions(config=Config(select=(rule,)), cache_dir=None))
    found: list[Want] = []
    for f in result.findings:
        if f.suppressed:
            continue
        path = Path(f.path)
        if not path.is_absolute():
            path = Path.cwd() / path
        found.append((path.resolve(), f.line, f.rule))
    return found


def test_every_rule_folder_is_present() -> None:
    from leaktrail.rules import all_rules

    assert {r.code for r in all_rules()} <= set(RULES)


@pytest.mark.parametrize("folder", RULES)
def test_rule_reports_exactly_the_wants(folder: str) -> None:
    root = TESTDATA / folder
    rule = rule_of(folder)
    expected = {w for w in collect_wants(root) if w[2] == rule}
    found = _scan(rule, root)

    counts = Counter(found)
    duplicated = sorted(w for w, n in counts.items() if n > 1)
    other_rules = sorted(w for w in counts if w[2] != rule)
    got = {w for w in counts if w[2] == rule}
    missing = sorted(expected - got)
    unexpected = sorted(got - expected)

    problems: list[str] = []
    if missing:
        problems += [f"{rule}: {len(missing)} expected finding(s) not reported:", *_describe(missing)]
    if unexpected:
        problems += [f"{rule}: {len(unexpected)} unexpected finding(s):", *_describe(unexpected)]
    if duplicated:
        problems += [f"{rule}: reported more than once on the same line:", *_describe(duplicated)]
    if other_rules:
        problems += [f"select=({rule},) but other rules reported:", *_describe(other_rules)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("folder", RULES)
def test_testdata_cases_are_well_formed(folder: str) -> None:
    root = TESTDATA / folder
    rule = rule_of(folder)
    assert (root / "go.mod").is_file(), f"{rule}: not a Go module"
    assert go_files(root), f"{rule}: no Go files"

    wants = collect_wants(root)
    cases = collect_cases(root)
    problems: list[str] = []

    wrong_code = sorted(w for w in wants if w[2] != rule)
    if wrong_code:
        problems += [f"wants for another rule in {rule}/:", *_describe(wrong_code)]

    outside = sorted(w for w in wants if (c := case_of(cases, w)) is None or c.kind != "bad")
    if outside:
        problems += ["wants outside a `// bad:` case (or inside an `// ok:` case):", *_describe(outside)]

    def has_want(case: Case) -> bool:
        return any(case_of([case], w) is not None for w in wants)

    empty_bad = [c for c in cases if c.kind == "bad" and not has_want(c)]
    problems += [f"  {_display(c.path)}:{c.start}: `// bad:` case without a want" for c in empty_bad]
    if folder == rule and not any("_test.go" in w[0].name for w in _rule_wants(rule)):
        problems.append(f"{rule}: no positive case in a _test.go file")

    assert not problems, "\n".join(problems)


def _rule_folders(rule: str) -> list[Path]:
    """The main folder of a rule and its version variants (GLxxx_go1NN)."""
    return [TESTDATA / f for f in RULES if rule_of(f) == rule]


def _rule_wants(rule: str) -> set[Want]:
    """Wants of the main folder and its variants: a rule silent at the main folder's go 1.22 (GL016)
    has all its positive cases in a variant."""
    return {w for root in _rule_folders(rule) for w in collect_wants(root)}


@pytest.mark.parametrize("rule", [r for r in RULES if r == rule_of(r)])
def test_testdata_has_enough_cases(rule: str) -> None:
    """The 10+10 cases are counted over the main folder and its version variants (GLxxx_go1NN)."""
    root = TESTDATA / rule
    wants = _rule_wants(rule)
    cases = [c for folder in _rule_folders(rule) for c in collect_cases(folder)]
    positives = sum(1 for c in cases if c.kind == "bad")
    negatives = sum(1 for c in cases if c.kind == "ok")
    assert len(wants) >= MIN_POSITIVE, f"{rule}: only {len(wants)} want lines"
    assert positives >= MIN_POSITIVE, f"{rule}: only {positives} `// bad:` cases"
    assert negatives >= MIN_NEGATIVE, f"{rule}: only {negatives} `// ok:` cases"
    packages = {p.parent for p in go_files(root)}
    assert len(packages) >= 2, f"{rule}: testdata should include a sub-package"
