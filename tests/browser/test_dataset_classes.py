"""What a student sees when training on some classes only, in Russian: the Dataset page's class
picker, the audit over the kept classes, the sidebar's count, and the picker's empty filter in
Russian rather than Streamlit's English "No results" (screenshot: dataset-classes-ru.png)."""

from browser_helpers import open_page, wait_idle


def test_two_digits_picked_in_russian_change_the_counts_and_the_sidebar(browser_page, app_url, save_screenshot):
    page = browser_page
    open_page(page, app_url)
    page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first.click()
    page.get_by_role("option", name="Русский").click()
    wait_idle(page)
    page.locator('[data-testid="stSidebarNav"]').get_by_text("Датасет", exact=True).click()
    wait_idle(page, timeout=120)

    picker = page.locator('[data-testid="stMultiSelect"]').filter(has_text="Классы для обучения")
    assert picker.locator("input").first.get_attribute("placeholder") == "все классы"  # empty: every class
    picker.click()
    page.keyboard.type("zzz")  # a filter that matches no class
    empty = page.locator('[role="listbox"][data-empty="true"] [role="option"] span')
    empty.wait_for(state="visible", timeout=10_000)
    said = empty.evaluate("e => getComputedStyle(e, '::after').content")
    assert said == '"Ничего не найдено"' and empty.evaluate("e => getComputedStyle(e).fontSize") == "0px"
    page.keyboard.press("Escape")

    for digit in ("3", "7"):
        picker.click()
        page.get_by_role("option", name=digit, exact=True).click()
        page.keyboard.press("Escape")
        wait_idle(page, timeout=120)
    test = page.locator('[data-testid="stMetric"]').filter(has_text="тест").first
    assert "2\u00a0038" in test.inner_text() or "2 038" in test.inner_text()  # MNIST's test 3s and 7s: 1,010 + 1,028
    assert "2 класса" in page.locator('[data-testid="stSidebar"]').inner_text()
    page.set_viewport_size({"width": 1400, "height": 1600})
    wait_idle(page)
    page.wait_for_timeout(1000)  # the samples and the chart finish drawing
    assert save_screenshot(page, "dataset-classes-ru").stat().st_size > 50_000
