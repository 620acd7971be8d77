"""The Journal page with two planted runs: table, change and warning, comparison, actions, both languages."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from lab.config import ExperimentConfig
from lab.runs.store import RunStore
from lab.i18n import translate
from test_journal_engine import changed, plant


@pytest.fixture()
def two_runs(runs_dir):
    """A baseline and a run that changed two things at once (the page must warn)."""
    store = RunStore(runs_dir)
    a = plant(store, name="baseline", val_acc=[0.90, 0.95], val_loss=[0.30, 0.20], test_acc=0.947)
    b = plant(store, changed(train__lr=3e-4, train__batch_size=128), name="lower lr, bigger batch", parent=a.id,
              val_acc=[0.93, 0.97], val_loss=[0.25, 0.12], test_acc=0.968)
    return store, a, b


def open_journal(lang: str = "en", timeout: float = 60) -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=timeout)
    at.session_state["lab.language"] = lang
    at.run()
    at.switch_page("pages/journal.py")
    return at.run()


def charts_of(at: AppTest) -> list:
    return at.get("vega_lite_chart") + at.get("arrow_vega_lite_chart")


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_table_and_the_newest_runs_change_with_its_warning_and_effect(two_runs, lang):
    _, a, b = two_runs
    at = open_journal(lang)
    assert not at.exception
    assert at.title[0].value == translate("journal.title", lang)
    table = at.dataframe[0].value
    # ranked by validation, best first (never by test: that column stays blank until evaluated)
    assert list(table["id"]) == [b.id, a.id] and list(table["val_rank"]) == [1, 2]
    assert list(table["best_val_accuracy"]) == [97.0, 95.0]
    assert table["test_accuracy"].isna().all()
    assert table["status"][0] == translate("journal.status.finished", lang)
    # the newest run is shown first: two settings changed, so a warning, then the effect
    assert at.selectbox(key="journal_run_").value == b.id
    assert [w.value for w in at.warning] == [translate("journal.warning_many", lang, n=2)]
    change = at.dataframe[1].value
    # the settings by their labels, not the config's paths ("train.lr")
    assert set(change[translate("journal.field", lang)]) == {translate("training.lr", lang),
                                                             translate("training.batch_size", lang)}
    metrics = {m.label: m for m in at.metric}
    acc = metrics[translate("journal.effect_acc", lang)]
    assert acc.value == "97.00%" and acc.delta == translate("journal.pts", lang, d="+2.00")
    assert metrics[translate("journal.effect_loss", lang)].delta == "-0.0800"


def test_the_first_run_has_nothing_to_compare_and_no_warning(two_runs):
    _, a, _ = two_runs
    at = open_journal()
    at.selectbox(key="journal_run_").set_value(a.id).run()
    assert not at.exception and not at.warning
    assert translate("journal.base_none", "en") in [c.value for c in at.caption]


def test_comparing_two_runs_overlays_their_curves_and_lists_only_differing_settings(two_runs):
    _, a, b = two_runs
    at = open_journal()
    assert not charts_of(at)
    at.multiselect(key="journal_compare_").set_value([a.id, b.id]).run()
    assert not at.exception
    charts = charts_of(at)
    assert len(charts) == 2  # loss and accuracy
    side = at.dataframe[-1].value
    assert list(side[translate("journal.field", "en")]) == ["Learning rate", "Batch size"]
    assert list(side.iloc[0][1:]) == ["0.001", "0.0003"]


def test_a_note_is_saved_and_a_runs_config_becomes_the_current_experiment(two_runs):
    _, a, b = two_runs
    at = open_journal()
    at.text_area(key=f"journal_note_{b.id}").input("lr 3e-4: smoother curve").run()
    at.button(key=f"journal_note_save_{b.id}").click().run()
    assert b.note == "lr 3e-4: smoother curve" and a.note == ""
    assert at.session_state["lab.experiment"] == ExperimentConfig()
    # the note is confirmed; b's settings are not the current experiment yet
    assert [s.value for s in at.success] == [translate("journal.note_saved", "en")]
    at.button(key=f"journal_use_{b.id}").click().run()
    assert not at.exception
    current = at.session_state["lab.experiment"]
    assert (current.train.lr, current.train.batch_size) == (3e-4, 128)
    assert current is not b.config() and current == b.config()  # a copy: editing it never touches the run
    assert [s.value for s in at.success] == [translate("journal.used_config", "en", run="lower lr, bigger batch ("
                                                       + b.id[9:] + ")")]


def test_deleting_needs_the_explicit_confirmation_and_removes_only_that_run(two_runs):
    store, a, b = two_runs
    at = open_journal("ru")
    delete = at.button(key=f"journal_delete_{b.id}")
    assert delete.disabled  # the first step: nothing can be deleted yet
    at.checkbox(key=f"journal_delete_ok_{b.id}").check().run()
    assert not at.button(key=f"journal_delete_{b.id}").disabled
    assert b.dir.is_dir()  # ticking the box alone deletes nothing
    at.button(key=f"journal_delete_{b.id}").click().run()
    assert not at.exception
    assert [r.id for r in store.list()] == [a.id]
    assert list(at.dataframe[0].value["id"]) == [a.id]


def test_an_empty_journal_says_how_to_fill_it(runs_dir):
    at = open_journal("ru")
    assert not at.exception
    assert [i.value for i in at.info] == [translate("journal.empty", "ru")]


def test_a_run_still_training_offers_no_delete(runs_dir):
    running = plant(RunStore(runs_dir), status="running")
    at = open_journal()
    assert not at.exception
    assert not [b for b in at.button if b.key == f"journal_delete_{running.id}"]
    assert translate("journal.delete_running", "en") in [c.value for c in at.caption]


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_a_run_stopped_in_its_first_epoch_shows_what_its_summary_holds(runs_dir, lang):
    """Stopped mid-epoch: no best epoch, but a final validation accuracy of 0.947 (it showed "—"
    beside a test accuracy of 95.4 %); and "none" augmentation reads in the page's language."""
    store = RunStore(runs_dir)
    run = store.create(ExperimentConfig(), name="stopped early")
    run.write_summary({"status": "stopped", "epochs": 0, "best_epoch": 0, "best_val_accuracy": None,
                       "best_val_loss": None, "final_val_loss": 0.17, "final_val_accuracy": 0.947,
                       "test_accuracy": 0.954, "seconds": 4.0})
    at = open_journal(lang)
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table["final_val_accuracy"]) == [94.7]
    assert table["test_accuracy"].isna().all()  # an old summary's test score is not shown: evaluate on test
    assert list(table["augment"]) == [translate("journal.augment_none", lang)]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[translate("journal.effect_final", lang)] == "94.70%"
    assert metrics[translate("journal.effect_test", lang)] == translate("evaluation.not_evaluated", lang)
    assert translate("journal.no_best_epoch", lang) in [c.value for c in at.caption]


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_a_resnet18_fine_tuned_from_an_earlier_run_shows_that_start_as_its_one_change(runs_dir, lang):
    """Issue 22: "initialised from run X" is one change, its "before" in the page's language; a
    ready architecture counts no lab blocks (its layers are torchvision's)."""
    from lab.model import preset

    store = RunStore(runs_dir)
    a = plant(store, ExperimentConfig(model=preset("resnet18")), name="resnet18 from scratch")
    tuned = ExperimentConfig(model=preset("resnet18"))
    tuned.train.init_from = a.id
    plant(store, tuned, name="fine-tuned", parent=a.id)
    at = open_journal(lang)
    assert not at.exception
    assert at.dataframe[0].value["blocks"].isna().all()  # not the baseline's 1 block it was loaded over
    assert not at.warning
    assert at.dataframe[1].value.to_dict("records") == [{
        translate("journal.field", lang): translate("format.setting.init_from", lang),
        translate("journal.before", lang): translate("transfer.source.scratch", lang),
        translate("journal.after", lang): a.id}]
