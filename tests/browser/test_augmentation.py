"""What a student sees on the Augmentation page: typed transforms become a preview of real
digits with the parameters each version drew, a warning for flipping digits, and the code."""

import re

from browser_helpers import open_page, wait_idle


def test_typed_transforms_preview_warn_and_show_code(browser_page, app_url, save_screenshot):
    page = browser_page
    open_page(page, app_url, "augmentation")
    page.get_by_role("heading", name="Augmentation").first.wait_for()
    box = page.locator('[data-testid="stTextArea"] textarea').first
    box.fill("T.RandomCrop(28, padding=2), T.RandomRotation(10), T.RandomHorizontalFlip()")
    page.get_by_role("button", name="Apply text").click()
    wait_idle(page)

    assert page.get_by_text("on digits can change the label").count() == 1
    # the text form is printed back canonically, and the preview shows drawn parameters
    assert "RandomCrop(28, padding=2), RandomRotation(10), RandomHorizontalFlip()" in box.input_value()
    assert page.get_by_text(re.compile(r"[+-]\d+\.\d°")).count() >= 8  # each version's drawn angle
    assert page.locator('[data-testid="stImage"]').count() >= 4 * 9 + 1
    assert page.get_by_text("MEAN = [0.1307]", exact=False).count() >= 1  # the copyable code's constants
    # Streamlit scrolls inside its main block, so a full-page shot is one viewport: make it tall
    # enough for the transforms, the warning and the first preview rows
    page.set_viewport_size({"width": 1400, "height": 2000})
    page.get_by_role("heading", name="Check before training").scroll_into_view_if_needed()
    wait_idle(page)
    save_screenshot(page, "augmentation")
