"""What a student sees while training: press Train, the curves grow while the page stays
usable (leave it and come back: the run is still going), Stop ends the run cleanly.
Keeps a screenshot of the page mid-training in docs/screenshots/training.png."""

from __future__ import annotations

import re

import pytest

from browser_helpers import SCREENSHOTS, open_page, wait_for, wait_idle


def set_number(page, label: str, value: int) -> None:
    box = page.get_by_label(label, exact=True)
    box.fill(str(value))
    box.press("Tab")


def progress_text(page) -> str:
    bar = page.locator('[data-testid="stProgress"]')
    return bar.first.inner_text() if bar.count() else ""



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


def _curves_clip(page) -> dict:
    """The box around the loss and accuracy charts (the first two charts on the page)."""
    boxes = [page.locator('[data-testid="stVegaLiteChart"]').nth(i).bounding_box() for i in (0, 1)]
    x0, y0 = min(b["x"] for b in boxes), min(b["y"] for b in boxes)
    x1, y1 = max(b["x"] + b["width"] for b in boxes), max(b["y"] + b["height"] for b in boxes)
    return {"x": x0 - 24, "y": y0 - 24, "width": x1 - x0 + 48, "height": y1 - y0 + 48}


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_a_short_run_draws_curves_within_each_epoch_and_the_header_counts_the_cap(_browser, app_url, lang):
    """3,000 images x 2 epochs, the issue's "too short to follow" run: the header says 3,000 as soon
    as it is typed, "Mixed precision" says what this machine does, and the finished run's curves have
    a training point every few batches (thin line) against the per-epoch markers.
    Screenshots: docs/screenshots/training-short-run-{lang}.png and training-curves-{lang}.png."""
    from lab.i18n import translate
    from lab.ui.training.form import mixed_precision_off

    context = _browser.new_context(viewport={"width": 1400, "height": 1000}, locale=f"{lang}-RU" if lang == "ru"
                                   else "en-US")
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        open_page(page, app_url, "training")
        main = page.locator('[data-testid="stMain"]')
        full = translate("training.setup_line", lang, dataset="MNIST", train=48000, val=12000, classes=10,
                         model="baseline", augment="x").split("(")[1].split("/")[0].strip()
        wait_for(lambda: full in main.inner_text(), timeout=60, what=f"the header to say {full!r}")
        set_number(page, translate("training.epochs", lang), 2)
        set_number(page, translate("training.train_limit", lang), 3000)
        wait_idle(page)
        typed = translate("training.setup_line", lang, dataset="MNIST", train=3000, val=12000, classes=10,
                          model="baseline", augment="x").split("(")[1].split("/")[0].strip()
        # 120 s: with the other xdist worker's browser test beside it, one rerun can take over 30 s
        wait_for(lambda: typed in main.inner_text(), timeout=120, what=f"the header to say {typed!r} before Train")

        box = page.get_by_label(translate("training.mixed_precision", lang), exact=True)
        off = mixed_precision_off("auto")  # what this machine really does
        assert box.is_checked() is (off is None) and box.is_disabled() is (off is not None)
        if off is not None:
            assert main.get_by_text(translate(off, lang), exact=True).count() == 1

        page.get_by_role("button", name=translate("training.train", lang), exact=True).click()
        finished = translate("training.status.finished", lang)
        try:
            wait_for(lambda: progress_text(page).startswith(finished), timeout=300, what="the short run to finish")
        except AssertionError:
            page.screenshot(path=f"/tmp/short-run-timeout-{lang}.png", full_page=True)
            raise AssertionError(f"the run did not finish; the progress bar says {progress_text(page)!r}")
        page.set_viewport_size({"width": 1400, "height": 3000})
        wait_for(lambda: page.locator('[data-testid="stVegaLiteChart"]').count() >= 2, timeout=60, what="the curves")
        page.wait_for_timeout(2000)  # the charts paint
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"training-short-run-{lang}.png"), full_page=True)
        page.screenshot(path=str(SCREENSHOTS / f"training-curves-{lang}.png"), clip=_curves_clip(page))
        legend = main.inner_text()
        for key in ("batch", "train", "val"):
            assert translate(f"training.series.{key}", lang) in legend or page.locator(
                f'text="{translate(f"training.series.{key}", lang)}"').count() >= 1, key
        _inside_from_prediction_shows_the_initial_filters(page, lang)
    finally:
        context.close()


def _inside_from_prediction_shows_the_initial_filters(page, lang: str) -> None:
    """Issue 25 item 3: the model just trained, on the Prediction page with a test image, then
    "Look inside": the default source ("The Prediction page's model") shows the run's initial
    filters, not "were not stored". Screenshot: docs/screenshots/inside-filters-{lang}.png."""
    from lab.i18n import translate

    page.locator('[data-testid="stSidebarNav"]').get_by_text(translate("nav.predict", lang), exact=True).click()
    wait_idle(page)
    page.get_by_text(translate("predict.image.dataset", lang), exact=True).first.click()
    wait_idle(page)
    link = page.get_by_text(translate("inside.from_predict", lang), exact=True).first
    link.wait_for(timeout=60_000)
    link.click()
    wait_idle(page)
    header = page.get_by_text(translate("inside.filters_header", lang), exact=True).first
    header.wait_for(timeout=120_000)
    main = page.locator('[data-testid="stMain"]')
    assert translate("inside.source.prediction", lang) in main.inner_text()
    initial = translate("inside.filters_initial", lang, top="0")[:-3]
    wait_for(lambda: initial in main.inner_text(), timeout=60, what="the initial filters' caption")
    assert translate("inside.no_initial", lang)[:40] not in main.inner_text()
    header.scroll_into_view_if_needed()
    page.wait_for_timeout(1000)
    box = header.bounding_box()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"inside-filters-{lang}.png"),
                    clip={"x": box["x"] - 16, "y": box["y"] - 16, "width": 1000, "height": 520})
