"""What a person sees on the Mistakes page: a real run's most confident mistakes, then the
suspected label errors shown large with their two buttons, and a mark that stays."""

from __future__ import annotations

from browser_helpers import open_page, wait_idle

from run_helpers import copy_run
from lab.runs.mistakes import marks


def test_mistakes_page_shows_suspects_large_and_keeps_a_mark(browser_page, app_url, app_runs_dir, mnist_cnn_run,
                                                           save_screenshot):
    run = copy_run(mnist_cnn_run, app_runs_dir)
    page = browser_page
    open_page(page, app_url)
    page.locator('[data-testid="stSidebarNav"]').get_by_text("Mistakes", exact=True).click()
    wait_idle(page, timeout=180)
    page.get_by_role("tab", name="Most confident mistakes").wait_for()
    assert page.locator('[data-testid="stException"]').count() == 0
    page.set_viewport_size({"width": 1400, "height": 1400})
    wait_idle(page)
    save_screenshot(page, "mistakes")
    page.get_by_role("tab", name="Suspected label errors").click()
    wait_idle(page)
    page.get_by_role("button", name="Label is wrong").first.click()
    wait_idle(page)
    assert page.get_by_text("You marked: the label is wrong.", exact=True).count() == 1
    assert list(marks(app_runs_dir, run.config().data.dataset, "val").values()) == ["label"]
    page.set_viewport_size({"width": 1400, "height": 2400})
    wait_idle(page)
    save_screenshot(page, "mistakes-labels")
