"""What a student sees of the learning-rate range test (issue 22, item 3): press "Run the range
test" on the Training page, a worker sweeps the rate, the chart of smoothed loss against the
learning rate (log axis) appears with the suggestion marked and its rule named, and one
button puts the suggestion into the form's learning rate.
Screenshots: docs/screenshots/lr-find-{lang}.png (the section after the test)."""

from __future__ import annotations

import re

import pytest

from browser_helpers import SCREENSHOTS, open_page, wait_for, wait_idle



@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_range_test_draws_its_chart_and_puts_the_suggestion_into_the_form(_browser, app_url, lang):
    from lab.i18n import translate

    context = _browser.new_context(viewport={"width": 1400, "height": 1000},
                                   locale="ru-RU" if lang == "ru" else "en-US")
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        open_page(page, app_url, "training")
        main = page.locator('[data-testid="stMain"]')
        title = translate("lr_find.title", lang)
        section = page.locator(".st-key-lr_find_section")
        assert section.get_by_role("heading", name=title).count() == 1
        assert translate("lr_find.intro", lang)[:60] in section.inner_text()
        section.get_by_role("button", name=translate("lr_find.run", lang)).click()

        use = section.get_by_role("button", name=translate("lr_find.use", lang, lr="X").split("X")[0])
        wait_for(lambda: use.count() == 1, timeout=300, what="the range test to finish and offer its suggestion")
        wait_idle(page)
        assert section.locator('[data-testid="stVegaLiteChart"]').count() == 1
        said = section.inner_text()
        rule_words = [translate(f"lr_find.rule.{r}", lang) for r in ("valley", "steepest")]
        assert translate("lr_find.suggested", lang, lr="X", rule="Y").split("**")[0] in said  # "Suggested learning rate:"
        assert any(w in said for w in rule_words)  # and the rule that chose it
        suggestion = use.inner_text().strip()
        lr_text = re.search(r"\d[\d.e-]*", suggestion).group()  # "Use 0.00086 as the learning rate" (the icon's name aside)
        section.scroll_into_view_if_needed()
        page.wait_for_timeout(1500)  # the chart paints
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        section.screenshot(path=str(SCREENSHOTS / f"lr-find-{lang}.png"))

        use.click()
        wait_idle(page)
        box = main.get_by_label(translate("training.lr", lang), exact=True)
        wait_for(lambda: float(box.input_value()) == pytest.approx(float(lr_text), rel=1e-3), timeout=30,
                 what=f"the form's learning rate to read {lr_text}")
        assert translate("lr_find.in_form", lang, lr=lr_text) in section.inner_text()
    finally:
        context.close()
