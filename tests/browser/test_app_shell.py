"""What a person sees first: the app opens, the sidebar lists every page in English,
and switching the language to Russian relabels the navigation."""

from browser_helpers import open_page, wait_idle


def test_app_opens_with_navigation_and_switches_to_russian(browser_page, app_url, save_screenshot):
    page = browser_page
    open_page(page, app_url)
    nav = page.locator('[data-testid="stSidebarNav"]')
    for label in ["Home", "Dataset", "Architecture", "Augmentation", "Training", "Prediction", "Journal"]:
        assert nav.get_by_text(label, exact=True).count() == 1, label
    # the workspace id lands in the URL so a refresh finds the same runs
    assert "ws=" in page.url

    page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first.click()
    page.get_by_role("option", name="Русский").click()
    wait_idle(page)
    assert nav.get_by_text("Датасет", exact=True).count() == 1
    save_screenshot(page, "home-ru")
