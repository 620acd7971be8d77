"""A student's browser reloads /training right after the server restarted: the page
must still come through app.py (page titles in the sidebar, language switch, summary),
not Streamlit's legacy file-name navigation."""

from browser_helpers import wait_idle
from browser_helpers import serve_app


def test_a_direct_url_on_a_fresh_server_gets_the_full_app(_browser, tmp_path):
    with serve_app(tmp_path, LAB_RUNS_DIR=str(tmp_path / "runs")) as url:
        context = _browser.new_context(viewport={"width": 1200, "height": 900}, locale="en-US")
        page = context.new_page()
        page.goto(f"{url}/architecture")  # the very first request this server sees
        wait_idle(page)
        page.get_by_text("Current experiment").wait_for()
        nav = page.locator('[data-testid="stSidebarNav"]')
        assert nav.get_by_text("Architecture", exact=True).count() == 1
        assert nav.get_by_text("app", exact=True).count() == 0  # no file-name navigation
        assert page.locator("h1").first.inner_text() == "Architecture"
        context.close()
