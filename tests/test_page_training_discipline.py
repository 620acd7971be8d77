"""The Training page teaches the course's discipline: the comparison with the parent run
follows every edit before Train, more than one change warns with a way back, the course's
rules speak up, and the "break it on purpose" switches are part of the experiment."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from lab.runs.store import RunStore
from lab.i18n import translate
from test_journal_engine import plant
from test_page_training import open_training


def table_text(at: AppTest) -> str:
    return " ".join(str(df.value.to_dict()) for df in at.dataframe)


def texts(at: AppTest) -> str:
    parts = [e.value for kind in ("warning", "info", "error", "success", "caption", "markdown") for e in getattr(at, kind)]
    return " ".join(str(p) for p in parts) + " " + " ".join(e.label for e in at.expander)


@pytest.fixture()
def parent_run(runs_dir):
    return plant(RunStore(runs_dir), name="baseline")


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_an_edit_shows_in_the_comparison_before_train(parent_run, lang):
    at = open_training(lang)
    assert not at.exception
    assert translate("training.changes", lang, run=parent_run.id) in texts(at)
    assert translate("training.changes_none", lang, run=parent_run.id) in texts(at)
    at.number_input(key="training_form_lr").set_value(0.005).run()
    assert not at.exception
    table = table_text(at)
    assert translate("training.lr", lang) in table and "0.001" in table and "0.005" in table  # no Train pressed
    assert at.session_state["lab.experiment"].train.lr == 0.005
    assert translate("training.changes_one", lang) in texts(at)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_two_changes_warn_and_one_click_goes_back_to_one(parent_run, lang):
    at = open_training(lang)
    at.number_input(key="training_form_lr").set_value(0.005).run()
    at.number_input(key="training_form_weight_decay").set_value(0.01).run()
    assert translate("training.changes_many", lang, n=2) in [w.value for w in at.warning]
    undo = translate("training.changes_restore", lang, field=translate("training.weight_decay", lang), value="0.0")
    next(b for b in at.button if b.label == undo).click().run()
    assert not at.exception
    assert at.number_input(key="training_form_weight_decay").value == 0.0  # the widget shows the parent's value
    assert at.number_input(key="training_form_lr").value == 0.005  # the change being tested stays
    assert translate("training.changes_many", lang, n=2) not in [w.value for w in at.warning]
    assert translate("training.weight_decay", lang) not in table_text(at) and translate("training.lr", lang) in table_text(at)


def undo_labels(at: AppTest, lang: str) -> list[str]:
    prefix = translate("training.changes_restore", lang, field="\0", value="").split("\0")[0]
    return [b.label for b in at.button if b.label.startswith(prefix)]


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_after_one_undo_the_other_change_keeps_its_undo(parent_run, lang):
    """Issue 25, item 9: two changes, two Undo buttons; one Undo leaves the other change with
    its button (it used to vanish with the warning), and that Undo empties the comparison."""
    at = open_training(lang)
    at.number_input(key="training_form_lr").set_value(0.005).run()
    at.number_input(key="training_form_weight_decay").set_value(0.01).run()
    undo_lr = translate("training.changes_restore", lang, field=translate("training.lr", lang), value="0.001")
    undo_wd = translate("training.changes_restore", lang, field=translate("training.weight_decay", lang), value="0.0")
    assert sorted(undo_labels(at, lang)) == sorted([undo_lr, undo_wd])
    next(b for b in at.button if b.label == undo_wd).click().run()
    assert not at.exception
    assert undo_labels(at, lang) == [undo_lr]  # the change left still has its way back
    next(b for b in at.button if b.label == undo_lr).click().run()
    assert not at.exception
    assert at.number_input(key="training_form_lr").value == 0.001
    assert undo_labels(at, lang) == []
    assert translate("training.changes_none", lang, run=parent_run.id) in texts(at)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_course_rules_speak_up_as_the_student_edits(runs_dir, lang):
    at = open_training(lang)
    warnings = [w.value for w in at.warning]
    assert translate("rules.no_overfit_batch", lang) in warnings  # an empty journal: overfit one batch first
    at.number_input(key="training_form_weight_decay").set_value(0.01).run()
    warnings = [w.value for w in at.warning]
    assert translate("rules.weight_decay_first", lang, wd="0.01") in warnings
    assert translate("rules.adam_weight_decay", lang, wd="0.01") in warnings
    at.selectbox(key="training_form_optimizer").set_value("adamw").run()
    warnings = [w.value for w in at.warning]
    assert translate("rules.adam_weight_decay", lang, wd="0.01") not in warnings  # AdamW: the advice taken
    at.number_input(key="training_form_lr").set_value(0.5).run()
    assert translate("rules.adam_lr", lang, lr="0.5", low="0.0001", high="0.01") in [w.value for w in at.warning]


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_augmentation_warnings_come_again_on_the_training_page(runs_dir, lang):
    from lab.config import ExperimentConfig, TransformStep

    cfg = ExperimentConfig()
    cfg.augment.transforms = [TransformStep("RandomHorizontalFlip", {})]
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.session_state["lab.language"] = lang
    at.session_state["lab.experiment"] = cfg
    at.switch_page("pages/training.py")
    at.run()
    assert not at.exception
    warnings = [w.value for w in at.warning]
    assert translate("augmentation.warn.flip_digits", lang, name="RandomHorizontalFlip") in warnings
    assert translate("rules.augment_before_baseline", lang, n=1) in warnings


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_break_switches_are_off_and_a_switch_on_is_a_change_with_its_rule(parent_run, lang):
    at = open_training(lang)
    toggles = {t.key: t for t in at.toggle}
    names = ["softmax_output", "no_normalization", "shuffle_labels", "lr_x100"]
    assert all(toggles[f"training_form_break_{n}"].value is False for n in names)
    assert translate("training.breaks_off", lang) in [e.label for e in at.expander]
    toggles["training_form_break_softmax_output"].set_value(True).run()
    assert not at.exception
    assert at.session_state["lab.experiment"].breaks.softmax_output is True
    assert translate("training.break.softmax_output", lang) in table_text(at)  # journaled and diffed like any setting
    assert translate("rules.broken.softmax_output", lang) in [w.value for w in at.warning]
