"""Every rule is documented in the four ruff parts, and docs/rules/ (linked from SARIF) is up to date."""

from __future__ import annotations

from pathlib import Path

import pytest

from leaktrail.rules import all_rules
from leaktrail.rules.docs import render

DOCS = Path(__file__).resolve().parents[2] / "docs" / "rules"


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.code)
def test_rule_doc_page(rule) -> None:  # type: ignore[no-untyped-def]
    for part in (
        "## What it does",
        "## Why is this bad?",
        "## Example",
        "## Use instead",
        "## When it stays silent",
        "## Suppress",
    ):
        assert part in rule.info.doc, (rule.code, part)
    page = DOCS / f"{rule.code}.md"
    assert page.read_text() == render(rule.info), "run: python -m leaktrail.rules.docs docs/rules"
