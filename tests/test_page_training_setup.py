"""What the Training page says the next run will be, before Train: the header counts the
training-image cap as soon as it is typed, "Mixed precision" shows what this machine will
really do, and augmentation set before any baseline run comes with a one-click baseline."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from lab.config import ExperimentConfig, TransformStep
from lab.i18n import translate
from lab.runs.store import RunStore
from test_page_training import open_training


def setup_line(lang: str, train: int, augment: str | None = None) -> str:
    return translate("training.setup_line", lang, dataset="MNIST", train=train, val=12000, classes=10,
                     model="baseline", augment=augment or translate("sidebar.augment_none", lang))


def markdown(at: AppTest) -> str:
    return " ".join(m.value for m in at.markdown)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_header_counts_the_training_cap_as_soon_as_it_is_typed(runs_dir, lang):
    at = open_training(lang)
    assert setup_line(lang, 48000) in markdown(at)  # MNIST's 60,000 less a 20% validation split
    at.number_input(key="training_form_train_limit").set_value(3000).run()  # typed, Train not pressed
    assert not at.exception
    assert setup_line(lang, 3000) in markdown(at) and setup_line(lang, 48000) not in markdown(at)
    at.number_input(key="training_form_train_limit").set_value(0).run()  # 0 = all again
    assert setup_line(lang, 48000) in markdown(at)


def test_the_header_counts_a_classroom_cap_too(runs_dir, monkeypatch):
    monkeypatch.setenv("LAB_MAX_TRAIN_SIZE", "2000")
    at = open_training()
    assert setup_line("en", 2000) in markdown(at)


def mixed_box(at: AppTest):
    boxes = [c for c in at.checkbox if c.label == translate("training.mixed_precision", at.session_state["lab.language"])]
    assert len(boxes) == 1
    return boxes[0]


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_mixed_precision_is_unticked_and_says_why_on_a_cpu_without_native_bf16(runs_dir, monkeypatch, lang):
    monkeypatch.setattr("lab.train.device.cpu_flags", lambda: frozenset({"avx2", "fma"}))
    at = open_training(lang)
    box = mixed_box(at)
    assert box.value is False and box.disabled  # not "ticked but greyed": what the run will really do
    assert translate("training.mixed_precision_off_cpu", lang) in [c.value for c in at.caption]
    assert at.session_state["lab.experiment"].train.mixed_precision is True  # kept for a machine where it runs


@pytest.mark.parametrize("flag", ["avx512_bf16", "amx_bf16"])
def test_mixed_precision_is_a_live_ticked_box_where_bf16_is_native(runs_dir, monkeypatch, flag):
    monkeypatch.setattr("lab.train.device.cpu_flags", lambda: frozenset({"avx2", flag}))
    at = open_training()
    box = mixed_box(at)
    assert box.value is True and not box.disabled
    assert translate("training.mixed_precision_off_cpu", "en") not in [c.value for c in at.caption]
    box.uncheck().run()
    assert at.session_state["lab.experiment"].train.mixed_precision is False


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_augmentation_before_the_baseline_trains_the_baseline_in_one_click(runs_dir, monkeypatch, lang):
    monkeypatch.setenv("LAB_WORKERS", "0")  # the run stays queued: the test reads what was submitted
    cfg = ExperimentConfig()
    cfg.augment.transforms = [TransformStep("RandomRotation", {"degrees": 10.0}),
                              TransformStep("RandomCrop", {"size": 28, "padding": 2})]
    at = open_training(lang, cfg)
    assert translate("rules.augment_before_baseline", lang, n=2) in [w.value for w in at.warning]
    button = at.button(key="training_rules_baseline")
    assert button.label == translate("training.train_baseline", lang)
    button.click().run()
    assert not at.exception and not at.error
    (run,) = RunStore(runs_dir).list()
    assert run.config().augment.transforms == []  # the baseline: the same settings, no augmentation
    assert run.config().model == cfg.model and run.config().train == cfg.train
    assert len(at.session_state["lab.experiment"].augment.transforms) == 2  # the student's steps wait for the next run


def test_the_one_click_run_is_not_offered_without_augmentation_or_while_training(runs_dir, monkeypatch):
    monkeypatch.setenv("LAB_WORKERS", "0")
    at = open_training()
    assert not [b for b in at.button if b.key == "training_rules_baseline"]
    cfg = ExperimentConfig()
    cfg.augment.transforms = [TransformStep("RandomRotation", {"degrees": 10.0})]
    at = open_training("en", cfg)
    at.button(key="training_rules_baseline").click().run()
    assert at.button(key="training_rules_baseline").disabled  # one run at a time: the queued one
