"""A ready architecture on the Architecture page as a student sees it (issue 22, item 1): pick
resnet18 from the presets, read why its stem changes and each modification, see torchvision's
stem beside the small-image one; then the same page in Russian
(screenshots: docs/screenshots/architecture-resnet18-en.png, -ru.png)."""

import re

from browser_helpers import load_ready_preset, open_page, wait_idle


def test_resnet18_modified_for_small_images_in_both_languages(browser_page, app_url, save_screenshot):
    page = browser_page
    open_page(page, app_url)
    page.locator('[data-testid="stSidebarNav"]').get_by_text("Architecture", exact=True).click()
    wait_idle(page)
    builder = load_ready_preset(page, "resnet18")

    text = builder.inner_text()
    assert "the block editor does not apply" in text and "Add block" not in text
    assert "shrink 28x28 to 7x7 before the first block" in text  # MNIST: why the stem changes
    assert "nn.Identity()" in text and "nn.Linear(512, 10)" in text
    assert "11,172,810" in builder.locator('[data-testid="stMetric"]').filter(has_text="Parameters").inner_text()
    assert "torchvision.models.resnet18(weights=None)" in builder.locator('[data-testid="stCode"]').last.inner_text()
    page.set_viewport_size({"width": 1400, "height": 2600})
    wait_idle(page)
    assert save_screenshot(page, "architecture-resnet18-en").stat().st_size > 20_000

    page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first.click()
    page.get_by_role("option", name="Русский").click()
    wait_idle(page)
    page.get_by_role("tab", name="Конструктор архитектуры").click()
    wait_idle(page)
    text = page.locator('[data-testid="stTabPanel"]').nth(1).inner_text()
    assert "редактор блоков к ней не относится" in text and "уменьшают 28x28 до 7x7" in text
    assert page.get_by_role("radio", name=re.compile("для маленьких изображений")).is_checked()  # kept across languages
    assert "resnet18 (torchvision), стем" in page.locator('[data-testid="stSidebar"]').inner_text()
    assert save_screenshot(page, "architecture-resnet18-ru").stat().st_size > 20_000
