"""Browser tests: a real app server and Debian's chromium driven by Playwright.

One ``streamlit run app.py`` serves the whole session on a free localhost port; each
test gets a fresh page. Screenshots land in ``docs/screenshots/`` for the README.
Skipped (with the reason) where chromium or Playwright is missing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from browser_helpers import CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS, serve_app  # noqa: F401


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def app_url(tmp_path_factory):
    """One app server for the whole browser session."""
    runs = tmp_path_factory.mktemp("browser-runs")
    with serve_app(tmp_path_factory.mktemp("server"), LAB_RUNS_DIR=str(runs)) as url:
        yield url


@pytest.fixture(scope="session")
def _browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture()
def browser_page(_browser, app_url):
    """A fresh 1400x1000 page (no cookies, English locale) on the running app."""
    context = _browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(60_000)
    yield page
    context.close()


@pytest.fixture()
def save_screenshot():
    def save(page, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save


@pytest.fixture(scope="session")
def app_runs_dir(app_url, tmp_path_factory) -> Path:
    """The LAB_RUNS_DIR the app server runs with (``app_url``'s ``mktemp("browser-runs")``):
    runs planted here are the ones its pages list (shared workspace mode)."""
    found = [p for p in tmp_path_factory.getbasetemp().glob("browser-runs*")
             if p.name[len("browser-runs"):].isdigit() and not p.is_symlink()]
    assert len(found) == 1, f"expected the one app server's runs folder, found {found}"
    return found[0]
