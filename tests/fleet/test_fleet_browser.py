"""The fleet HTML page in a real headless Chromium (Debian's `chromium`): no console error, nothing from a
label runs, nothing is loaded from anywhere, and the ranked table sorts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fleettools import ProfileServer

from leaktrail.cli import main

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)"
)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright  # in the test extra: missing is an error, not a skip

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


def _column(page: Any, index: int) -> list[float]:
    values = page.eval_on_selector_all(
        "#groups tbody tr", "(rows, i) => rows.map(r => r.cells[i].getAttribute('data-v'))", index
    )
    return [float(v) for v in values]


def test_fleet_page_in_chromium(browser: Any, server: ProfileServer, tmp_path: Path) -> None:
    targets = tmp_path / "t.txt"
    evil = "<img/src=x/onerror=window.__xss=1>"
    lines = [f"{server.instance_url(i)} service=svc{i % 3}" for i in range(12)]
    lines.append(f"{server.instance_url(12)} service={evil}")
    targets.write_text("\n".join(lines) + "\n")
    out = tmp_path / "fleet.html"
    r = CliRunner().invoke(main, ["fleet", str(targets), "-j", "2", "-f", "html", "-o", str(out)])
    assert r.exit_code == 1, r.output
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    console: list[str] = []
    requests: list[str] = []
    page.on(
        "console", lambda m: console.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None
    )
    page.on("pageerror", lambda e: console.append(f"pageerror: {e}"))
    page.on("request", lambda req: requests.append(req.url))
    try:
        page.goto(out.as_uri())
        page.wait_for_selector("html[data-sort-ready='1']", timeout=10_000)
        assert console == []
        assert all(u.startswith(("file://", "data:")) for u in requests), requests
        assert page.evaluate("typeof window.__xss") == "undefined"
        assert page.locator("img").count() == 0
        assert evil in page.inner_text("#groups")  # shown as text
        score = _column(page, 1)
        assert score == sorted(score, reverse=True) and len(set(score)) > 1
        page.click("#groups thead th button:text-is('score')")
        up = _column(page, 1)
        assert up == sorted(up)
        assert page.get_attribute("#groups thead th:has(button:text-is('score'))", "aria-sort") == "ascending"
    finally:
        page.close()
