"""What a student sees on the Architecture page: the calculator answers 30 x 30 for a
3x3 kernel on 32 x 32, and the builder loads a preset and shows its layer-by-layer
trace, totals and PyTorch code (screenshot: docs/screenshots/architecture.png)."""

import re

from browser_helpers import open_page, wait_idle


def test_calculator_and_builder_in_the_browser(browser_page, app_url, save_screenshot):
    page = browser_page
    open_page(page, app_url)  # arrive the way a student does: home, then the sidebar
    page.locator('[data-testid="stSidebarNav"]').get_by_text("Architecture", exact=True).click()
    wait_idle(page)
    assert page.get_by_role("tab", name="Layer calculator").count() == 1

    for label, value in (("Channels C", "3"), ("Height H", "32"), ("Width W", "32")):
        field = page.get_by_label(label, exact=True)
        field.fill(value)
        field.press("Enter")
        wait_idle(page)
    metric = page.locator('[data-testid="stMetric"]').filter(has_text="Output")
    assert "16 × 30 × 30" in metric.inner_text()
    assert page.get_by_text("Not 28", exact=False).count() == 1

    page.get_by_role("tab", name="Architecture builder").click()
    builder = page.locator('[data-testid="stTabPanel"]').nth(1)
    # an empty journal starts from the course baseline; this student moves on to mnist_cnn
    picker = builder.locator('[data-testid="stSelectbox"]').filter(has_text="Start from a preset")
    picker.click()
    page.get_by_role("option", name=re.compile("mnist_cnn")).click()
    wait_idle(page)
    page.get_by_role("button", name="Load preset").click()
    wait_idle(page)
    params = builder.locator('[data-testid="stMetric"]').filter(has_text="Parameters")
    assert "241,770" in params.inner_text()
    assert "1,152" in builder.locator('[data-testid="stMetric"]').filter(has_text="in_features").inner_text()
    assert builder.locator('[data-testid="stDataFrame"]').count() == 1
    code = builder.locator('[data-testid="stCode"]').last
    assert "class Net(nn.Module):" in code.inner_text()
    assert "nn.Linear(1152, 128)" in code.inner_text()
    # Streamlit scrolls inside the page, so a taller window shows the table and the code too
    page.set_viewport_size({"width": 1400, "height": 2400})
    wait_idle(page)
    path = save_screenshot(page, "architecture")
    assert path.stat().st_size > 20_000

    # two more pooling blocks: 28 -> 14 -> 7 -> 3 -> 1, and the fifth pooling has nothing left
    for _ in range(2):
        builder.get_by_role("button", name="Add block").click()
        wait_idle(page)
    alert = builder.locator('[data-testid="stAlert"]').filter(has_text="cannot run")
    assert "block 5, pool" in alert.inner_text() and "pool to none" in alert.inner_text()
    assert "Fix the marked layer" in builder.inner_text()
