"""Issue 25, item 9, as a student sees it: two changes since the last run, each with its Undo;
after one Undo the other change keeps its button (it used to vanish with the warning)."""

from __future__ import annotations

import pytest

from browser_helpers import open_page, wait_idle
from lab.i18n import translate
from lab.runs.store import RunStore
from test_journal_engine import plant
from test_new_user import to_russian
from test_training import set_number


def undo_buttons(page, lang: str) -> list[str]:
    prefix = translate("training.changes_restore", lang, field="\0", value="").split("\0")[0]
    labels = [b.strip().splitlines()[-1] for b in page.get_by_role("button").all_inner_texts() if b.strip()]
    return sorted(b for b in labels if b.startswith(prefix))  # the last line: the first is the icon's name


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_two_changes_two_undos_and_one_undo_keeps_the_others(browser_page, app_url, app_runs_dir, save_screenshot,
                                                              lang):
    plant(RunStore(app_runs_dir), name=f"parent for undo ({lang})")  # the defaults: nothing changed yet
    page = browser_page
    open_page(page, app_url, "training")
    if lang == "ru":
        to_russian(page)
    set_number(page, translate("training.lr", lang), 0.005)
    wait_idle(page)
    set_number(page, translate("training.weight_decay", lang), 0.0001)
    wait_idle(page)
    undo_lr = translate("training.changes_restore", lang, field=translate("training.lr", lang), value="0.001")
    undo_wd = translate("training.changes_restore", lang, field=translate("training.weight_decay", lang), value="0.0")
    assert undo_buttons(page, lang) == sorted([undo_lr, undo_wd])
    page.get_by_role("button", name=undo_lr).scroll_into_view_if_needed()
    save_screenshot(page, f"training-undo-{lang}")
    page.get_by_role("button", name=undo_wd).click()
    wait_idle(page)
    assert undo_buttons(page, lang) == [undo_lr]  # the change left still has its way back
    page.get_by_role("button", name=undo_lr).click()
    wait_idle(page)
    assert undo_buttons(page, lang) == []
    assert translate("training.changes_none", lang, run="\0").split("\0")[0] in page.content()
