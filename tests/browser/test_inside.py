"""What a student sees on the Inside-the-model page: draw a digit with the mouse on the
canvas, watch the answer and the feature maps follow each stroke."""

from __future__ import annotations

import re

from browser_helpers import open_page, wait_idle

import torch

from lab.config import ExperimentConfig
from lab.inspect import save_initial_filters
from lab.model import build_model
from lab.runs.store import RunStore
from test_predict_support import trained_checkpoint_path


def answer(page) -> str:
    text = page.get_by_text("The model says", exact=False).first.inner_text()
    return re.search(r"says\s+(\S+)\s+\(", text).group(1)


def stroke(page, box, points) -> None:
    """Drag the mouse through ``points`` given in 0..1 canvas coordinates."""
    x0, y0 = box["x"], box["y"]
    page.mouse.move(x0 + points[0][0] * box["width"], y0 + points[0][1] * box["height"])
    page.mouse.down()
    for x, y in points[1:]:
        page.mouse.move(x0 + x * box["width"], y0 + y * box["height"], steps=12)
    page.mouse.up()


def test_draw_a_stroke_and_the_prediction_changes(browser_page, app_url, app_runs_dir, save_screenshot, mnist,
                                                   tmp_path_factory):
    run = RunStore(app_runs_dir).create(ExperimentConfig(), name="baseline")
    run.checkpoint_path("best").write_bytes(trained_checkpoint_path(mnist, tmp_path_factory).read_bytes())
    run.write_summary({"status": "finished", "best_val_accuracy": 0.96})
    torch.manual_seed(0)  # the same first layer the test model started from (test_predict_support)
    save_initial_filters(run.dir, build_model(run.config().model, (1, 28, 28), 10))

    page = browser_page
    page.set_viewport_size({"width": 1400, "height": 3400})  # Streamlit scrolls inside the page: show it all
    open_page(page, app_url)
    page.locator('[data-testid="stSidebarNav"]').get_by_text("Inside the model", exact=True).click()
    wait_idle(page)
    page.get_by_text("Nothing drawn yet", exact=False).first.wait_for()
    canvas = page.locator("canvas.upper-canvas").first
    canvas.wait_for()
    box = canvas.bounding_box()

    stroke(page, box, [(0.5, 0.15), (0.5, 0.85)])  # a plain vertical bar: a 1
    wait_idle(page)
    page.get_by_text("The model says", exact=False).first.wait_for()
    first = answer(page)
    stroke(page, box, [(0.2, 0.2), (0.5, 0.2)])  # a bar on top turns it into a 7
    stroke(page, box, [(0.25, 0.5), (0.75, 0.5)])  # and a cross stroke
    wait_idle(page)
    page.wait_for_timeout(500)
    wait_idle(page)
    second = answer(page)
    assert first == "1", first
    assert second != first, (first, second)
    for header in ("Feature maps", "Learned filters", "Grad-CAM", "Occlusion"):
        assert page.get_by_text(header, exact=False).count() >= 1, header
    assert page.get_by_text("block1.act1", exact=False).count() >= 1
    assert page.locator('[data-testid="stException"]').count() == 0
    page.wait_for_timeout(800)  # let the chart finish drawing before the picture is taken
    save_screenshot(page, "inside")
