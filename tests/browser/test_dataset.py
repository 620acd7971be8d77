"""What a student sees: the Home page with the stages of training, then the Dataset page
with MNIST picked: samples per class, the class-count chart, exact mean/std and the
audit (screenshots: docs/screenshots/home.png, docs/screenshots/dataset.png)."""

from browser_helpers import open_page, wait_idle


def test_home_then_dataset_page_shows_the_mnist_audit(browser_page, app_url, save_screenshot):
    page = browser_page
    open_page(page, app_url)
    assert page.get_by_text("The stages of training a model").count() == 1
    assert page.get_by_text("Where your experiment stands").count() == 1
    page.set_viewport_size({"width": 1400, "height": 1500})
    wait_idle(page)
    assert save_screenshot(page, "home").stat().st_size > 20_000

    page.set_viewport_size({"width": 1400, "height": 1000})
    page.locator('[data-testid="stSidebarNav"]').get_by_text("Dataset", exact=True).click()
    wait_idle(page, timeout=120)
    picker = page.locator('[data-testid="stSelectbox"]').filter(has_text="Dataset")
    picker.click()
    page.get_by_role("option", name="MNIST", exact=True).click()
    wait_idle(page, timeout=120)

    # the class-count chart is drawn by vega-embed (a canvas or svg inside the chart)
    chart = page.locator('[data-testid="stVegaLiteChart"]').first
    chart.locator("canvas, svg").first.wait_for(state="visible", timeout=60_000)
    mean = page.locator('[data-testid="stMetric"]').filter(has_text="mean, channel 0")
    assert "0.1307" in mean.inner_text()
    assert "0.3081" in page.locator('[data-testid="stMetric"]').filter(has_text="std, channel 0").inner_text()
    assert "48,000" in page.locator('[data-testid="stMetric"]').filter(has_text="train").first.inner_text()
    assert page.get_by_text("transforms.Normalize(mean=(0.1307,), std=(0.3081,))").count() >= 1
    page.set_viewport_size({"width": 1400, "height": 3400})
    wait_idle(page)
    page.wait_for_timeout(1000)  # let the images and the chart finish drawing
    assert save_screenshot(page, "dataset").stat().st_size > 50_000
