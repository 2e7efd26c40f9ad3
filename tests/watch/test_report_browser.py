"""The HTML reports in a real headless Chromium (Debian's `chromium`): no console error, nothing from a
dump runs, the charts have drawn lines, the table sorts. Screenshots go to test-artifacts/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from watchtools import ARTIFACTS, WatchRun

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]

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


def _open(browser: Any, path: Path) -> tuple[Any, list[str], list[str]]:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    console: list[str] = []
    requests: list[str] = []
    page.on(
        "console", lambda m: console.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None
    )
    page.on("pageerror", lambda e: console.append(f"pageerror: {e}"))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.as_uri())
    page.wait_for_selector("html[data-sort-ready='1']", timeout=10_000)
    return page, console, requests


def _column(page: Any, name: str) -> list[str]:
    index = page.eval_on_selector_all(
        "#groups thead th", "(ths, name) => ths.findIndex(th => th.textContent.trim() === name)", name
    )
    assert index >= 0, name
    values: list[str] = page.eval_on_selector_all(
        "#groups tbody tr", "(rows, i) => rows.map(r => r.cells[i].getAttribute('data-v'))", index
    )
    return values


def _sorts(page: Any, name: str) -> None:
    page.click(f"#groups thead th button:text-is('{name}')")
    up = [float(v) for v in _column(page, name)]
    assert up == sorted(up)
    assert page.get_attribute(f"#groups thead th:has(button:text-is('{name}'))", "aria-sort") == "ascending"
    page.click(f"#groups thead th button:text-is('{name}')")
    down = [float(v) for v in _column(page, name)]
    assert down == sorted(down, reverse=True)
    assert len(set(down)) > 1  # a real sort, not a constant column


def test_report_in_chromium(browser: Any, watch_run: WatchRun) -> None:
    page, console, requests = _open(browser, watch_run.report)
    try:
        assert console == []
        assert all(r.startswith("file://") or r.startswith("data:") for r in requests), requests
        assert page.evaluate("typeof window.__xss") == "undefined"
        assert page.locator("img").count() == 0
        # Charts drew: each has a line with a real width on screen.
        widths = page.eval_on_selector_all(
            "svg.ts-chart polyline.series", "els => els.map(e => e.getBoundingClientRect().width)"
        )
        assert len(widths) >= 3 and min(widths) > 100, widths
        assert page.locator("svg.ts-chart").count() >= 3
        _sorts(page, "count")
        _sorts(page, "peak")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "watch-report.png"), full_page=True)
    finally:
        page.close()


def test_inspect_html_in_chromium(browser: Any, watch_run: WatchRun) -> None:
    page, console, _ = _open(browser, watch_run.inspect_html)
    try:
        assert console == []
        assert page.evaluate("typeof window.__xss") == "undefined"
        assert page.locator("img").count() == 0
        assert page.locator("svg.bar-chart rect").count() >= 2
        # The evil labels are on the page as text.
        assert "<script>window.__xss=1</script>" in page.text_content("body")
        _sorts(page, "count")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "inspect-report.png"), full_page=True)
    finally:
        page.close()
