"""What a student sees while training: press Train, the curves grow while the page stays
usable (leave it and come back: the run is still going), Stop ends the run cleanly.
Keeps a screenshot of the page mid-training in docs/screenshots/training.png."""

from __future__ import annotations

import re
import time

from browser_helpers import open_page, wait_idle


def set_number(page, label: str, value: int) -> None:
    box = page.get_by_label(label, exact=True)
    box.fill(str(value))
    box.press("Tab")


def progress_text(page) -> str:
    bar = page.locator('[data-testid="stProgress"]')
    return bar.first.inner_text() if bar.count() else ""


def wait_for(predicate, timeout: float = 120.0, what: str = "") -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


def test_training_shows_live_curves_and_survives_a_change_of_page(browser_page, app_url, save_screenshot):
    page = browser_page
    open_page(page, app_url)  # arrive the way a student does: home, then the sidebar
    nav = page.locator('[data-testid="stSidebarNav"]')
    nav.get_by_role("link", name="Training").click()
    wait_idle(page)
    set_number(page, "Epochs", 20)  # far more than the test waits for: Stop ends it
    set_number(page, "Training images (0 = all)", 2000)
    set_number(page, "Validation report every (epochs)", 1)
    page.get_by_role("button", name="Train", exact=True).click()

    # the curves grow: one finished epoch is the test; a second makes a better picture
    # (on a busy 2-core machine an epoch with its 12,000 validation images can take a minute)
    wait_for(lambda: re.search(r"epoch ([2-9]|1\d) of 20", progress_text(page)), timeout=300,
             what="a finished epoch")
    try:
        wait_for(lambda: re.search(r"epoch ([3-9]|1\d) of 20", progress_text(page)), timeout=60)
    except AssertionError:
        pass
    assert page.locator('[data-testid="stVegaLiteChart"]').count() >= 2
    assert page.get_by_text("Initial-loss check", exact=False).count() >= 1

    # leave the page and come back: the run is still going and still drawn
    nav.get_by_role("link", name="Home").click()
    wait_idle(page)
    nav.get_by_role("link", name="Training").click()
    wait_for(lambda: "Training ·" in progress_text(page), timeout=60, what="the running job after returning")
    wait_for(lambda: page.locator('[data-testid="stVegaLiteChart"]').count() >= 4, timeout=60,
             what="curves and the first validation report")
    # Streamlit scrolls inside its main block: a tall window shows the whole page at once
    page.set_viewport_size({"width": 1400, "height": 3000})
    page.wait_for_timeout(2000)  # a fragment redraw or two so the charts have painted
    try:  # between two redraws, so that no element is faded as stale
        wait_for(lambda: page.locator('[data-stale="true"]').count() == 0, timeout=10)
    except AssertionError:
        pass
    save_screenshot(page, "training")

    # Stop ends it after the current batch; the model is kept for the session
    page.locator('[data-testid="stMain"]').get_by_role("button", name="Stop").click()  # not the toolbar's Stop
    wait_for(lambda: "Stopped" in progress_text(page), timeout=180, what="the run to stop")
    wait_for(lambda: page.get_by_text("Active model (used for prediction)").count() == 1, timeout=30,
             what="the stopped run's model in the session's list")
    # the panel draws its radio first and the download button last, in the same run
    wait_for(lambda: page.get_by_role("button", name="Download checkpoint").count() == 1, timeout=30,
             what="the stopped run's checkpoint download")
