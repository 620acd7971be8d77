"""What a person sees of the exports on the Journal page: the notebook button, and after
'Prepare ONNX' with int8 the checked model's downloads and its onboard figures, in both
languages. The planted checkpoint is untrained (speed and the check do not depend on the weights):
its accuracy is chance. Screenshots: docs/screenshots/journal-export-{lang}.png."""

from __future__ import annotations

import time

import pytest
from browser_helpers import open_page, wait_idle

from lab.i18n import translate
from lab.model import build_model
from lab.model.checkpoint import save_checkpoint
from lab.runs.store import RunStore
from test_journal_engine import plant


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_prepare_onnx_shows_the_check_and_the_onboard_figures(_browser, app_url, app_runs_dir, save_screenshot,
                                                             lang):
    pytest.importorskip("onnxruntime")
    run_ = plant(RunStore(app_runs_dir), name=f"for the drone ({lang})")
    cfg = run_.config()
    save_checkpoint(run_.checkpoint_path("best"), build_model(cfg.model, (1, 28, 28), 10), cfg,
                    [str(i) for i in range(10)], [0.1307], [0.3081], (1, 28, 28))
    context = _browser.new_context(viewport={"width": 1400, "height": 2400},
                                   locale="ru-RU" if lang == "ru" else "en-US")
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        open_page(page, app_url)
        page.locator('[data-testid="stSidebarNav"] a[href$="journal"]').click()
        wait_idle(page)
        main = page.locator('[data-testid="stMain"]')
        notebook = main.get_by_role("button", name=translate("journal.download_notebook", lang))
        notebook.wait_for()  # the run's actions come after the table: wait for them, not only for idle
        assert notebook.count() == 1
        page.get_by_text(translate("journal.onnx_int8", lang), exact=True).click()
        wait_idle(page)
        main.get_by_role("button", name=translate("journal.onnx_prepare", lang)).click()
        meaning = translate("journal.onnx_meaning", lang)
        deadline = time.time() + 120
        while meaning not in main.inner_text() and time.time() < deadline:
            page.wait_for_timeout(500)
        text = main.inner_text()
        assert meaning in text
        assert translate("journal.onnx_checked", lang, n=256, diff="X").split("X")[0] in text
        assert main.get_by_role("button", name=translate("journal.download_onnx", lang), exact=True).count() == 1
        assert main.get_by_role("button", name=translate("journal.download_onnx_int8", lang)).count() == 1
        page.mouse.move(5, 5)  # no tooltip over the figures
        wait_idle(page)
        save_screenshot(page, f"journal-export-{lang}")
    finally:
        context.close()
