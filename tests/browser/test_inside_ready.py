"""The Inside-the-model page for a ready network as a student sees it right after fine-tuning a
resnet18: a test digit, the feature maps at the end of the stem and of layer1..layer4 with their
shapes and receptive fields, the filters, Grad-CAM and occlusion; then the same page in Russian
(screenshots: docs/screenshots/inside-resnet18-en.png, -ru.png)."""

from browser_helpers import open_page, wait_idle

from ready_run_helpers import ready_run


def choose_test_image(page, label: str) -> None:
    page.locator('[data-testid="stRadio"]').get_by_text(label, exact=True).click()
    wait_idle(page, 120)


def test_resnet18_inside_in_both_languages(browser_page, app_url, app_runs_dir, save_screenshot, mnist):
    ready_run(app_runs_dir, mnist)  # the newest run: the journal chooser opens on it
    page = browser_page
    page.set_viewport_size({"width": 1400, "height": 4600})  # Streamlit scrolls inside the page: show it all
    open_page(page, app_url)
    page.locator('[data-testid="stSidebarNav"]').get_by_text("Inside the model", exact=True).click()
    wait_idle(page)
    choose_test_image(page, "Test image")
    page.get_by_text("Occlusion", exact=False).first.wait_for()
    text = page.locator('[data-testid="stMain"]').inner_text()
    assert "torchvision's resnet18" in text and "stem, layer1, layer2, layer3, layer4" in text
    assert "layer1.1, the end of layer1" in text and "64×28×28, receptive field 11×11" in text
    assert "layer4.1, the end of layer4" in text and "512×4×4, receptive field 109×109" in text
    assert "The 64 strongest of 512 channels" in text and "(layer4.1)" in text  # Grad-CAM's layer
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator('[data-testid="stAlert"]').filter(has_text="Error").count() == 0
    page.wait_for_timeout(800)  # let the chart finish drawing before the picture is taken
    assert save_screenshot(page, "inside-resnet18-en").stat().st_size > 50_000

    page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first.click()
    page.get_by_role("option", name="Русский").click()
    wait_idle(page, 120)
    page.get_by_text("Окклюзия", exact=False).first.wait_for()
    text = page.locator('[data-testid="stMain"]').inner_text()
    assert "resnet18 из torchvision" in text and "layer4.1, конец группы layer4" in text
    assert "рецептивное поле 109×109" in text
    assert page.locator('[data-testid="stException"]').count() == 0
    page.wait_for_timeout(800)
    assert save_screenshot(page, "inside-resnet18-ru").stat().st_size > 50_000
