"""A reload, and a restarted server, must not lose the experiment (issue 25, item 1).

Values set on three pages (Dataset's split seed, Augmentation's transforms, Training's epochs,
image cap and learning rate) come back after F5 and after the server is stopped and started
again on the same runs folder; the sidebar says "Restored your experiment from HH:MM" (English
and Russian, screenshots draft-restored-en/ru.png) and "Start fresh" puts the defaults back.
This test starts its own app server (``serve_app``): it has to stop and start it.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest
from browser_helpers import serve_app, wait_idle

from lab.config import ExperimentConfig
from lab.i18n import translate

EPOCHS, CAP, LR, SPLIT_SEED = 2, 3000, 0.003, 7
TRANSFORMS = "T.RandomRotation(10)"


def en(key: str, **params) -> str:
    return translate(key, "en", **params)


def number(page, key: str, lang: str = "en") -> float:
    return float(page.get_by_label(translate(key, lang), exact=True).input_value())


def set_number(page, key: str, value) -> None:
    box = page.get_by_label(en(key), exact=True)
    box.fill(str(value))
    box.press("Tab")
    wait_idle(page, timeout=120)


def go(page, url: str, path: str, ws: str) -> None:
    page.goto(f"{url}/{path}?ws={ws}")
    wait_idle(page, timeout=120)


def nav(page, key: str, lang: str = "en") -> None:
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=translate(key, lang)).click()
    wait_idle(page, timeout=120)


def notice(page, lang: str = "en"):
    start = translate("draft.restored", lang, time="\0").split("\0")[0]
    return page.locator('[data-testid="stSidebar"] [data-testid="stAlert"]').filter(has_text=start)


def settled(page) -> None:
    """After a reload the page is drawn twice (the empty shell, then the script's run): wait for
    the script's run, which draws the notice, and for it to finish."""
    notice(page).wait_for(timeout=120_000)
    wait_idle(page, timeout=120)
    page.wait_for_timeout(1500)


def assert_everything_back(page) -> None:
    """The Training page shows the three values, the sidebar the transforms, Dataset the seed."""
    settled(page)
    assert notice(page).count() == 1
    assert re.search(r"Restored your experiment from \d\d:\d\d", notice(page).inner_text())
    assert (number(page, "training.epochs"), number(page, "training.train_limit"), number(page, "training.lr")) == (
        EPOCHS, CAP, LR)
    assert "RandomRotation" in page.locator('[data-testid="stSidebar"]').inner_text()
    nav(page, "nav.dataset")
    assert number(page, "dataset.split_seed") == SPLIT_SEED
    nav(page, "nav.training")


@pytest.fixture()
def own_page(_browser):
    """A fresh page as ``browser_page`` gives, without the session's shared app server."""
    context = _browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(60_000)
    yield page
    context.close()


def test_a_reload_and_a_restarted_server_find_the_experiment(own_page, tmp_path, save_screenshot):
    page = own_page
    runs = tmp_path / "runs"
    with serve_app(tmp_path, LAB_RUNS_DIR=str(runs)) as url:
        page.goto(url)
        wait_idle(page, timeout=120)
        ws = parse_qs(urlparse(page.url).query)["ws"][0]  # this browser's workspace
        assert notice(page).count() == 0  # a first visit restores nothing

        nav(page, "nav.dataset")
        set_number(page, "dataset.split_seed", SPLIT_SEED)
        nav(page, "nav.augmentation")
        page.locator('[data-testid="stTextArea"] textarea').first.fill(TRANSFORMS)
        page.get_by_role("button", name=en("augmentation.apply_text")).click()
        wait_idle(page, timeout=120)
        nav(page, "nav.training")
        set_number(page, "training.epochs", EPOCHS)
        set_number(page, "training.train_limit", CAP)
        set_number(page, "training.lr", LR)
        assert (runs / ".drafts" / f"{ws}.json").is_file()

        page.reload()  # F5
        wait_idle(page, timeout=120)
        assert_everything_back(page)

    with serve_app(tmp_path, LAB_RUNS_DIR=str(runs)) as url:  # the server restarted (on a new port)
        go(page, url, "training", ws)
        assert_everything_back(page)
        page.set_viewport_size({"width": 1400, "height": 1300})
        wait_idle(page)
        save_screenshot(page, "draft-restored-en")

        page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first.click()
        page.get_by_role("option", name="Русский").click()
        wait_idle(page, timeout=120)
        assert notice(page, "ru").count() == 1
        assert number(page, "training.epochs", "ru") == EPOCHS
        save_screenshot(page, "draft-restored-ru")

        page.get_by_role("button", name=translate("draft.start_fresh", "ru")).click()
        wait_idle(page, timeout=120)
        defaults = ExperimentConfig()
        assert notice(page, "ru").count() == 0
        assert (number(page, "training.epochs", "ru"), number(page, "training.train_limit", "ru"),
                number(page, "training.lr", "ru")) == (defaults.train.epochs, defaults.data.train_limit,
                                                       defaults.train.lr)
        assert not (runs / ".drafts" / f"{ws}.json").exists()
        page.reload()  # and a reload after "Start fresh" restores nothing (in the browser's language again)
        page.get_by_label(en("training.epochs"), exact=True).wait_for(timeout=120_000)
        wait_idle(page, timeout=120)
        page.wait_for_timeout(1500)
        assert notice(page).count() == 0 and notice(page, "ru").count() == 0
        assert number(page, "training.epochs") == defaults.train.epochs
