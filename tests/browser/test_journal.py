"""What a person sees on the Journal page: the runs table, the warning when a run changed two
things at once, and two runs compared (overlaid curves, differing settings)."""

from __future__ import annotations

from browser_helpers import open_page, wait_idle

from lab.model.checkpoint import save_checkpoint
from lab.config import TransformStep
from lab.model import build_model
from lab.runs.store import RunStore
from test_journal_engine import changed, plant


def plant_course_runs(root) -> list:
    """Three MNIST runs as a student makes them: a baseline, one change, then two at once."""
    store = RunStore(root)
    base = plant(store, name="baseline", val_acc=[0.962, 0.972, 0.977, 0.979, 0.980],
                 val_loss=[0.128, 0.093, 0.078, 0.071, 0.068], test_acc=0.9807,
                 note="The course's baseline: one conv block, Adam 1e-3.")
    cfg = base.config()
    save_checkpoint(base.checkpoint_path("best"), build_model(cfg.model, (1, 28, 28), 10), cfg,
                    [str(i) for i in range(10)], [0.1307], [0.3081], (1, 28, 28))
    lower = plant(store, changed(train__lr=3e-4), name="lower lr", parent=base.id,
                  val_acc=[0.941, 0.961, 0.969, 0.974, 0.977], val_loss=[0.201, 0.135, 0.105, 0.088, 0.079],
                  test_acc=0.9779, note="Slower start, no gain after 5 epochs.")
    both = changed(train__lr=1e-3)
    both.model.blocks[0].filters = 64
    both.augment.transforms = [TransformStep("RandomRotation", {"degrees": 10})]
    two = plant(store, both, name="64 filters + rotation", parent=base.id,
                val_acc=[0.958, 0.973, 0.980, 0.983, 0.985], val_loss=[0.137, 0.088, 0.066, 0.057, 0.051],
                test_acc=0.9861)
    save_checkpoint(two.checkpoint_path("best"), build_model(both.model, (1, 28, 28), 10), both,
                    [str(i) for i in range(10)], [0.1307], [0.3081], (1, 28, 28))
    return [base, lower, two]


def test_journal_lists_runs_warns_on_two_changes_and_compares(browser_page, app_url, app_runs_dir, save_screenshot):
    base, lower, two = plant_course_runs(app_runs_dir)
    page = browser_page
    # from the home page through the sidebar, as a person does (a first visit straight to
    # /journal on a fresh server can show Streamlit's file list instead of the app's navigation)
    open_page(page, app_url)
    page.locator('[data-testid="stSidebarNav"]').get_by_text("Journal", exact=True).click()
    wait_idle(page)
    page.locator('[data-testid="stDataFrame"]').first.wait_for()  # the grid appears after the script ends
    assert page.get_by_text("Experiment journal", exact=True).count() == 1
    # the newest run changed two settings at once: the page says so
    assert page.get_by_text("2 settings changed at once", exact=False).count() == 1

    # Streamlit scrolls inside its own container: a tall window shows the whole page at once
    page.set_viewport_size({"width": 1400, "height": 2600})
    wait_idle(page)
    box = page.locator('[data-testid="stMultiSelect"]').first
    for label in (f"baseline ({base.id[9:]})", f"64 filters + rotation ({two.id[9:]})"):
        box.locator("input").click()
        box.locator("input").fill(label)
        page.get_by_role("option", name=label).click()
        wait_idle(page)
    page.keyboard.press("Escape")
    wait_idle(page)
    charts = page.locator('[data-testid="stVegaLiteChart"]')
    charts.first.wait_for()
    assert charts.count() == 2
    assert page.get_by_text("Settings that differ", exact=True).count() == 1
    # the shown run has a checkpoint: it can be downloaded, and the run exported as a script
    assert page.get_by_role("button", name="Download the checkpoint (best.pt)").count() == 1
    assert page.get_by_role("button", name="Export as a Python script").count() == 1
    page.wait_for_timeout(1500)  # let Vega and the grid finish drawing before the screenshot
    height = page.evaluate("document.querySelector('[data-testid=\"stMainBlockContainer\"]').scrollHeight")
    page.set_viewport_size({"width": 1400, "height": min(2600, int(height) + 120)})
    wait_idle(page)
    save_screenshot(page, "journal")


def test_a_damaged_run_is_marked_and_the_intact_ones_still_work(browser_page, app_url, app_runs_dir, save_screenshot):
    """Issue 24: a summary.json holding [1, 2, 3] beside intact runs: the page names the damage,
    the table keeps every run, nothing raises."""
    base, lower, two = plant_course_runs(app_runs_dir)
    (lower.dir / "summary.json").write_bytes(b"[1, 2, 3]")
    page = browser_page
    open_page(page, app_url)
    page.locator('[data-testid="stSidebarNav"]').get_by_text("Journal", exact=True).click()
    wait_idle(page)
    page.locator('[data-testid="stDataFrame"]').first.wait_for()
    assert page.get_by_text("1 run is damaged", exact=False).count() == 1
    assert page.locator('[data-testid="stException"]').count() == 0
    page.set_viewport_size({"width": 1400, "height": 1400})
    wait_idle(page)
    page.wait_for_timeout(1000)
    save_screenshot(page, "journal_damaged")
