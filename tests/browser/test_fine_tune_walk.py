"""Issue 22's walk, as a student does it: on the Architecture page pick `resnet18` and read what
changes in torchvision's network and why; on the Training page start from an earlier run of
theirs, read what Train will load, train; on the Journal page find the new run "initialised from"
that run, as the one change against it. Then the same pages in Russian, on the run just trained
(one training for both languages). Screenshots: docs/screenshots/fine-tune-walk-{en,ru}.png.

The data is tiny on purpose (a ResNet-18 is 555 M multiply-adds per 32x32 image): 2 classes of
real CIFAR-10 JPEGs, 10 training and 3 test images each. The earlier run is trained headless
through the lab's one entry point (``python -m lab train``) into the journal the app reads; the
browser's workspace starts from a draft holding that folder, 1 epoch, batches of 8, and the
course baseline's architecture, so that picking resnet18 is the walk's own step.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from browser_helpers import ROOT, load_ready_preset, serve_app, wait_for, wait_idle
from lab.config import ExperimentConfig
from lab.runs import draft as drafts
from lab.runs.store import RunStore
from test_export import copy_cifar_tree
from test_new_user import to_russian

WORKSPACE = "finetunewalk22"  # the browser's ?ws=: the draft below is this workspace's


@pytest.fixture(scope="module")
def walk(tmp_path_factory, shared_datasets):
    """An app server whose journal holds one trained resnet18 run on a 2-class CIFAR-10 folder,
    and a draft for WORKSPACE: that folder, 1 epoch, batches of 8, the baseline architecture."""
    tmp = tmp_path_factory.mktemp("fine-tune-walk")
    folder = copy_cifar_tree(shared_datasets, tmp / "pets", classes=2, per_class_train=10, per_class_test=3)
    runs = tmp / "runs"
    done = subprocess.run(
        [sys.executable, "-m", "lab", "train", "--dataset", str(folder), "--preset", "resnet18", "--epochs", "1",
         "--batch-size", "8", "--name", "resnet18 from scratch", "--runs-dir", str(runs), "--json"],
        cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    earlier = RunStore(runs).get(json.loads(done.stdout)["run_id"])
    assert earlier.has_checkpoint()
    cfg = earlier.config()
    cfg.model = ExperimentConfig().model  # the course baseline: the walk picks resnet18 itself
    drafts.save_draft(runs, WORKSPACE, drafts.draft_text(cfg, {}))
    with serve_app(tmp, LAB_RUNS_DIR=str(runs)) as url:
        yield url, earlier, runs


def nav(page, name: str) -> None:
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=name, exact=True).click()
    wait_idle(page, timeout=120)


def main_text(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def start_from(page, title: str):
    return page.locator('[data-testid="stExpander"]').filter(has_text=title).first


def pick_resnet18(page) -> str:
    """Architecture page, builder tab: choose resnet18 in the preset picker, press Load preset;
    returns what the tab then says."""
    nav(page, "Architecture")
    builder = load_ready_preset(page, "resnet18")
    return builder.inner_text()


def progress_text(page) -> str:
    bar = page.locator('[data-testid="stProgress"]')
    return bar.first.inner_text() if bar.count() else ""


def settled(page, last_text: str) -> None:
    """The page's script has drawn ``last_text`` and nothing is left faded from the run before."""
    page.get_by_text(last_text, exact=True).first.wait_for(timeout=120_000)
    wait_idle(page, timeout=120)
    wait_for(lambda: page.locator('[data-stale="true"]').count() == 0, timeout=60, what="stale elements to go")



def test_pick_resnet18_fine_tune_it_from_an_earlier_run_and_find_it_in_the_journal(_browser, walk, save_screenshot):
    url, earlier, runs = walk
    context = _browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        page.goto(f"{url}/?ws={WORKSPACE}")
        wait_idle(page, timeout=120)
        english_walk(page, earlier, runs)
        save_screenshot(page, "fine-tune-walk-en")
        russian_pages(page, earlier, save_screenshot)
    finally:
        context.close()


def english_walk(page, earlier, runs) -> None:
    # 1. resnet18, and what changes for 32x32 colour images with 2 classes
    said = pick_resnet18(page)
    assert "What changes in torchvision's network, and why" in said
    assert "shrink 32x32 to 8x8 before the first block" in said  # the 7x7 stride-2 stem and its max-pool
    assert "nn.Identity()" in said and "nn.Linear(512, 2)" in said
    assert "The classifier head: 2 classes here, 1,000 in ImageNet." in said

    # 2. Training: start from the earlier run; the page says what Train will load, before Train
    nav(page, "Training")
    box = start_from(page, "Start from")
    box.locator("summary").click()
    box.get_by_text("One of my runs", exact=True).click()
    wait_idle(page)
    said = box.inner_text()
    assert "Train will:" in said
    assert f"initialised from run {earlier.id}: 122 of 122 weight tensors loaded (11,169,858 parameters)" in said
    assert "nothing frozen: every layer trains" in said
    page.get_by_role("button", name="Train", exact=True).click()
    wait_for(lambda: progress_text(page).startswith("Finished"), timeout=300, what="the fine-tuned run to finish")
    tuned = RunStore(runs).list()[-1]
    assert tuned.id != earlier.id and tuned.config().train.init_from == earlier.id

    # 3. Journal: the new run, initialised from the earlier one, which is its one change
    nav(page, "Journal")
    page.locator('[data-testid="stDataFrame"]').first.wait_for()
    said = main_text(page)
    assert f"Compared with the run it was started from: resnet18 from scratch ({earlier.id[9:]})." in said
    assert "settings changed at once" not in said  # the start is the one change
    assert f"Started from: initialised from run {earlier.id}: 122 of 122 weight tensors loaded" in said
    page.set_viewport_size({"width": 1400, "height": 1600})
    settled(page, "Delete this run")


def russian_pages(page, earlier, save_screenshot) -> None:
    """The same three pages in Russian, on the run just trained (nothing is trained again)."""
    to_russian(page)  # on the Journal page
    settled(page, "Удалить этот запуск")  # its last button: the whole page is Russian now
    said = main_text(page)
    assert "Журнал экспериментов" in said
    assert f"Старт: начальные веса — запуск {earlier.id}: загружено 122 из 122 тензоров весов" in said
    assert "ничего не заморожено: обучаются все слои" in said
    save_screenshot(page, "fine-tune-walk-ru")

    nav(page, "Архитектура")
    page.get_by_role("tab", name="Конструктор архитектуры").click()
    wait_idle(page)
    said = page.locator('[data-testid="stTabPanel"]').nth(1).inner_text()
    assert "Что меняется в сети из torchvision и почему" in said
    assert "уменьшают 32x32 до 8x8 ещё до первого блока" in said

    nav(page, "Обучение")
    said = start_from(page, "Начать с").inner_text()  # open: the experiment starts from the earlier run
    assert f"При обучении:\n\nначальные веса — запуск {earlier.id}: загружено 122 из 122" in said, said
