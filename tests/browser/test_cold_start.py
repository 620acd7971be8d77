"""A server that has just started never shows its page files in the sidebar (issue 24, item 8).

Until ``app.py`` has called ``st.navigation`` once in the server's process, Streamlit runs
in its old multipage mode: the first script run of a fresh server lists every file of
``pages/`` in the sidebar (``teacher`` included), and the app's own navigation replaces it
a moment later. A recorder installed before the page loads notes every sidebar link that
ever appears, from the first paint; a fresh server per test is a real cold start.
"""

from __future__ import annotations

import pytest
from browser_helpers import open_page, serve_app

RECORD = """
window.__navSeen = new Set();
const label = a => {  // the link's words, without its icon's ligature name ("home", "dataset")
    const c = a.cloneNode(true);
    c.querySelectorAll('[data-testid="stIconMaterial"], [data-testid="stIconEmoji"]').forEach(i => i.remove());
    return c.textContent.trim();
};
const note = () => document.querySelectorAll('[data-testid="stSidebarNav"] a, [data-testid="stSidebarNavLink"]')
    .forEach(a => window.__navSeen.add((a.getAttribute('href') || '') + ' | ' + label(a)));
new MutationObserver(note).observe(document, {subtree: true, childList: true, characterData: true, attributes: true});
"""
APP_PAGES = {"Home", "Dataset", "Architecture", "Augmentation", "Training", "Prediction", "Inside the model",
             "Journal", "Mistakes"}


@pytest.mark.parametrize("path", ["", "training"])
def test_a_cold_start_lists_only_the_apps_own_pages(_browser, tmp_path_factory, save_screenshot, path):
    runs = tmp_path_factory.mktemp("cold-runs")
    with serve_app(tmp_path_factory.mktemp("cold-server"), LAB_RUNS_DIR=str(runs), LAB_WORKERS="0") as url:
        context = _browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US")
        try:
            page = context.new_page()
            page.set_default_timeout(60_000)
            page.add_init_script(RECORD)
            open_page(page, url, path)
            # on a loaded machine (pytest-xdist beside other work) open_page can return before
            # the first script run drew the sidebar; the recorder keeps every link ever drawn
            page.locator('[data-testid="stSidebarNav"]').wait_for(timeout=60_000)
            page.wait_for_timeout(1000)
            seen = page.evaluate("Array.from(window.__navSeen)")
            save_screenshot(page, f"cold-start-{path or 'home'}")
        finally:
            context.close()
    labels = {entry.split(" | ", 1)[1] for entry in seen}
    assert labels, "the sidebar navigation never appeared"
    assert labels <= APP_PAGES, f"the sidebar listed {sorted(labels - APP_PAGES)}"
    assert not any(entry.split(" | ")[0].rstrip("/").endswith(("/teacher", "/app")) for entry in seen), seen
