"""The leaderboard as a person sees it: index.html and a hostile system's page in a real headless Chromium.

Checks that the tables and charts render, that the page makes no request but for its own file,
that nothing is logged (no Content-Security-Policy violation, no script error), that no script
from a hostile card runs while the page's own script does, and that the CSP really blocks what
an injection would try. Screenshots are kept in test-artifacts/leaderboard/ (ignored by git) and
in the test's tmp folder. Chromium is Debian's `chromium` (`scripts/setup.sh --test` installs
it); when it is missing this test fails, it does not skip.
"""

from __future__ import annotations

import json
import shutil

import pytest

from ..conftest import REPO
from .browser import Browser, find_chromium
from .helpers import SCRIPT_NAME

ARTIFACTS = REPO / "test-artifacts" / "leaderboard"


MISSING = ("chromium is not installed: the leaderboard must be checked in a real browser. Install it with "
           "`apt-get install chromium` (bash scripts/setup.sh --test does) or set WSW_CHROMIUM to its path.")


def test_chromium_is_installed():
    """Fails (never skips) without a browser, so CI cannot pass without looking at the pages."""
    assert find_chromium() is not None, MISSING


@pytest.fixture(scope="module")
def browser():
    executable = find_chromium()
    if executable is None:
        pytest.fail(MISSING)
    with Browser(executable) as b:
        yield b


def _keep(shot, tmp_path):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(shot, ARTIFACTS / shot.name)
    assert shot.stat().st_size > 10_000  # a real picture, not a blank page


def _only_own_requests(browser, site):
    base = site.resolve().as_uri() + "/"
    requests = browser.requests()
    assert requests, "the page made no request at all (did it load?)"
    assert all(url.startswith(base) for url in requests), requests


def _no_log_entries(browser):
    entries = [e for e in browser.log_entries() if e.get("level") in ("error", "warning") or e.get("source") == "security"]
    assert entries == []


def test_index_renders_its_tables_and_charts_and_runs_no_hostile_script(browser, hostile, tmp_path):
    lb = json.loads((hostile.site / "leaderboard.json").read_text(encoding="utf-8"))
    browser.open((hostile.site / "index.html").resolve().as_uri())
    state = browser.evaluate("""JSON.stringify({
        pwned: typeof window.__pwned,
        ownScript: document.documentElement.dataset.js,
        scripts: document.scripts.length,
        images: document.images.length,
        title: document.title,
        tracks: Array.from(document.querySelectorAll("table.track")).map(t => ({
            id: t.id, rows: t.tBodies[0].rows.length, width: t.getBoundingClientRect().width,
            first: t.tBodies[0].rows[0] ? t.tBodies[0].rows[0].cells[2].textContent : null})),
        charts: Array.from(document.querySelectorAll("svg.chart")).map(s => ({
            points: s.querySelectorAll("circle.point").length, intervals: s.querySelectorAll("line.ci").length,
            width: s.getBoundingClientRect().width, height: s.getBoundingClientRect().height})),
        text: document.body.innerText})""")
    state = json.loads(state)
    assert state["pwned"] == "undefined"
    assert state["ownScript"] == "on"  # the page's own script is allowed by its hash, and ran
    assert state["scripts"] == 1 and state["images"] == 0
    assert state["title"] == "WhoSaidWhat leaderboard"
    for table, key in zip(state["tracks"], ("entities", "quotes", "claims")):
        rows = lb["tracks"][key]["rows"]
        assert table["id"] == f"table-{key}" and table["rows"] == len(rows) >= 4 and table["width"] > 600
        top = next(s for s in lb["systems"] if s["id"] == rows[0]["system"])
        assert table["first"].startswith(top["card"]["name"][:20])
    for chart, key in zip(state["charts"], ("entities", "quotes", "claims")):
        n = len(lb["tracks"][key]["rows"])
        assert chart["points"] == n and chart["intervals"] == n
        assert chart["width"] > 400 and chart["height"] > 30 * n
    assert SCRIPT_NAME in state["text"]  # the hostile name is shown, as text
    assert "Refused (" in state["text"] and "javascript-url" in state["text"]
    _only_own_requests(browser, hostile.site)
    _no_log_entries(browser)
    _keep(browser.screenshot(tmp_path / "index.png"), tmp_path)


def test_sorting_a_table_works_with_javascript(browser, hostile):
    browser.open((hostile.site / "index.html").resolve().as_uri())
    order = browser.evaluate("""(() => {
        const table = document.getElementById("table-quotes");
        const head = table.tHead.rows[0].cells[2];
        head.click();
        const names = Array.from(table.tBodies[0].rows).map(r => r.cells[2].textContent.trim());
        return JSON.stringify({names, sort: head.dataset.sort});
    })()""")
    order = json.loads(order)
    assert order["sort"] == "asc" and order["names"] == sorted(order["names"])


def test_a_hostile_systems_page_runs_nothing_and_loads_nothing(browser, hostile, tmp_path):
    browser.open((hostile.site / "systems" / "script-in-name.html").resolve().as_uri())
    state = json.loads(browser.evaluate("""JSON.stringify({
        pwned: typeof window.__pwned, scripts: document.scripts.length, images: document.images.length,
        links: Array.from(document.links).map(a => a.getAttribute("href")),
        cardRows: document.querySelectorAll("table.card tr").length, text: document.body.innerText})"""))
    assert state["pwned"] == "undefined" and state["scripts"] == 1 and state["images"] == 0
    assert not any(href.lower().startswith("javascript") for href in state["links"])
    assert state["cardRows"] >= 10
    assert SCRIPT_NAME in state["text"] and "Missed quotes" in state["text"]
    _only_own_requests(browser, hostile.site)
    _no_log_entries(browser)
    _keep(browser.screenshot(tmp_path / "hostile-system.png"), tmp_path)


def test_the_content_security_policy_blocks_what_an_injection_would_try(browser, hostile):
    browser.open((hostile.site / "index.html").resolve().as_uri())
    browser.evaluate("""document.body.insertAdjacentHTML("beforeend",
        '<img id="probe" src="http://example.invalid/probe.png"><div onclick="x()"></div>');
        const s = document.createElement("script"); s.textContent = "window.__pwned = 9"; document.body.appendChild(s);
        1""")
    browser.evaluate("new Promise(r => setTimeout(r, 300))")
    browser.send("Runtime.evaluate", {"expression": "1"})
    assert browser.evaluate("typeof window.__pwned") == "undefined"
    blocked = [e["params"] for e in browser.events if e.get("method") == "Network.loadingFailed"]
    assert any(p.get("blockedReason") == "csp" for p in blocked), blocked
    violations = [e for e in browser.log_entries() if e.get("source") == "security"]
    assert violations, "the CSP should have reported the injected image and script"
