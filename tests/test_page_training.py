"""The Training page: renders in both languages, trains a short run on the bundled
samples in the background while the test keeps polling, and ends with curves, a
validation report and a trained model the session can pick and download."""

from __future__ import annotations

import time

import pytest
from streamlit.testing.v1 import AppTest

from lab.i18n import translate

TIMEOUT_S = 90


@pytest.fixture()
def samples_only(tmp_path, monkeypatch, runs_dir):
    """No full dataset anywhere: lab.data.load falls back to data/samples."""
    empty = tmp_path / "no-data"
    empty.mkdir()
    monkeypatch.setenv("LAB_DATA_DIR", str(empty))
    monkeypatch.setenv("LAB_OFFLINE", "1")
    return runs_dir


def open_training(lang: str = "en", experiment=None) -> AppTest:
    """The Training page in ``lang``, run once; ``experiment``: the session's experiment to start from."""
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.session_state["lab.language"] = lang
    if experiment is not None:
        at.session_state["lab.experiment"] = experiment
    at.switch_page("pages/training.py")
    return at.run()


def button(at: AppTest, key: str):
    label = translate(key, at.session_state["lab.language"])
    return next(b for b in at.button if b.label == label)


def charts(at: AppTest) -> list:
    return at.get("vega_lite_chart") + at.get("arrow_vega_lite_chart")


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_page_renders_its_form_in_both_languages(samples_only, lang):
    at = open_training(lang)
    assert not at.exception
    assert at.title[0].value == translate("nav.training", lang)
    assert at.number_input(key="training_form_epochs").label == translate("training.epochs", lang)
    assert at.number_input(key="training_form_lr").value == pytest.approx(1e-3)  # the course's default
    assert at.selectbox(key="training_form_optimizer").value == "adam"
    labels = [b.label for b in at.button]
    assert labels[1:3] == [translate("training.train", lang), translate("training.overfit", lang)]
    assert labels[0] == translate("training.fast_recipe", lang, target="99%")  # MNIST's fast recipe, one click away
    captions = " ".join(c.value for c in at.caption)
    assert translate("training.models_none", lang) in captions
    assert translate("training.changes_first", lang) in captions


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_fast_recipe_button_fills_the_form_and_the_experiment(samples_only, lang):
    from lab.train.recipes import RECIPES

    recipe = RECIPES["mnist"]
    at = open_training(lang)
    at.button(key="training_form_recipe").click().run()
    assert not at.exception
    exp = state_of(at).experiment
    assert exp.model.preset == recipe.preset and exp.data.val_fraction == recipe.val_fraction
    assert exp.train.schedule == "onecycle" and exp.train.lr == recipe.train["lr"]
    # the form is drawn again from the new experiment, not from its old widget values
    assert at.number_input(key="training_form_epochs").value == recipe.train["epochs"]
    assert at.selectbox(key="training_form_batch_size").value == recipe.train["batch_size"]
    assert at.selectbox(key="training_form_schedule").value == "onecycle"
    assert at.number_input(key="training_form_lr").value == pytest.approx(recipe.train["lr"])
    assert any("mnist_cnn" in m.value for m in at.markdown)  # "This run trains ... model mnist_cnn"


def test_a_short_run_trains_in_the_background_and_ends_with_curves_and_a_model(samples_only):
    at = open_training()
    at.number_input(key="training_form_epochs").set_value(2)
    at.number_input(key="training_form_train_limit").set_value(600)
    at.number_input(key="training_form_report_every").set_value(1)
    at.text_input(key="training_form_name").input("first try")
    button(at, "training.train").click().run()
    assert not at.exception, at.exception
    assert state_of(at).experiment.train.epochs == 2  # the form wrote the session's experiment

    finished = translate("training.status.finished", "en")
    deadline = time.time() + TIMEOUT_S
    while time.time() < deadline:
        progress = at.get("progress")
        if progress and finished in progress[0].proto.text:
            break
        time.sleep(0.5)
        at.run()
    else:
        pytest.fail("the run did not finish in time")
    assert not at.exception

    # the course's initial-loss check, the metrics and both curves, the end report
    assert any(translate("training.check", "en") in s.value for s in list(at.success) + list(at.warning))
    metrics = {m.label: m.value for m in at.metric}
    val_acc = float(metrics[translate("training.metric.val_acc", "en")].rstrip("%")) / 100
    assert 0.5 < val_acc <= 1.0  # 2 epochs on 600 real digits: well above chance (10%)
    assert len(charts(at)) == 4  # loss, accuracy, confusion matrix, per-class accuracy
    # how close the run came to this machine's peak for its layers (lab.train.speed)
    speed = next(c.value for c in at.caption if "multiply-adds/s" in c.value)
    assert "of this machine's peak" in speed and "images/s" in speed
    # and how close the loop came to all its layers alone: a slow model or a slow loop
    assert "All its layers alone" in speed and "the training loop reaches" in speed
    # and what decided the kernels: the threads and the CPU's vector units (lab.train.device.cpu_kind)
    from lab.train.device import cpu_kind

    assert "1 thread, CPU: " + (", ".join(cpu_kind()["units"]) or "–") in speed
    assert any("Validation report at the end" in s.value for s in at.subheader)
    assert len(at.get("imgs")) + len(at.get("image")) > 0

    # the session keeps the model: it is active, named, downloadable from its best.pt
    radio = at.radio(key="training_active_model")
    assert len(radio.options) == 1 and radio.options[0].startswith("first try")
    assert at.get("download_button")
    models = state_of(at).models
    assert models[0]["name"] == "first try" and models[0]["input_shape"] == (1, 28, 28)
    assert models[0]["classes"] == [str(d) for d in range(10)]


def test_the_next_run_shows_what_changed_since_the_last(samples_only):
    at = open_training()
    at.number_input(key="training_form_epochs").set_value(1)
    at.number_input(key="training_form_train_limit").set_value(300)
    button(at, "training.train").click().run()
    wait_idle(at)
    assert translate("training.lr", "en") not in table_text(at)  # the same config as the run just trained
    at.number_input(key="training_form_lr").set_value(0.01)
    button(at, "training.overfit").click().run()  # submitting stores the new lr in the experiment
    wait_idle(at)
    text = table_text(at)
    assert translate("training.lr", "en") in text and "0.001" in text and "0.01" in text


def test_overfit_one_batch_reports_the_course_check(samples_only):
    at = open_training()
    button(at, "training.overfit").click().run()
    wait_idle(at)
    result = [s.value for s in list(at.success) + list(at.warning) if translate("training.overfit_result", "en") in s.value]
    assert result and "100%" in result[0]  # the baseline memorises one batch of real digits


# --- helpers ------------------------------------------------------------------------

class state_of:
    """Read the session's experiment and models the way the page stored them."""

    def __init__(self, at: AppTest):
        self.experiment = at.session_state["lab.experiment"]
        self.models = at.session_state["lab.training.models"] if "lab.training.models" in at.session_state else []


def wait_idle(at: AppTest) -> None:
    """Poll like the page's fragment does until this session has no run or job left
    queued or training (read from their folders, as the page does)."""
    from lab.jobs.submit import overfit_job
    from lab.paths import runs_dir
    from lab.runs.store import RunStore

    deadline = time.time() + TIMEOUT_S
    while time.time() < deadline:
        store = RunStore(runs_dir())
        runs = at.session_state["lab.training.runs"] if "lab.training.runs" in at.session_state else []
        jobs = at.session_state["lab.training.overfit_jobs"] if "lab.training.overfit_jobs" in at.session_state else []
        active = [r for r in store.list() if r.id in runs and r.active]
        active += [j for j in (overfit_job(store.root, i) for i in jobs) if j is not None and j.active]
        if not active:
            at.run()
            return
        time.sleep(0.3)
        at.run()
    pytest.fail("runs did not end in time")


def table_text(at: AppTest) -> str:
    return " ".join(str(df.value.to_dict()) for df in at.dataframe)


def test_classroom_caps_clamp_the_run_and_the_quota_refuses_one_too_many(samples_only, monkeypatch):
    monkeypatch.setenv("LAB_MAX_EPOCHS", "1")
    monkeypatch.setenv("LAB_MAX_TRAIN_SIZE", "200")
    monkeypatch.setenv("LAB_MAX_RUNS_PER_WORKSPACE", "1")
    at = open_training()
    assert at.number_input(key="training_form_epochs").value == 1  # the form cannot ask for more
    assert at.number_input(key="training_form_train_limit").value == 200  # "all" becomes the cap
    button(at, "training.train").click().run()
    wait_idle(at)
    from lab.runs.store import RunStore

    (run,) = RunStore(samples_only).list()
    assert run.config().data.train_limit == 200 and run.config().train.epochs == 1
    button(at, "training.train").click().run()
    refusal = translate("training.quota_runs", "en", n=1, cap=1)
    assert [e.value for e in at.error] == [refusal]
    assert len(RunStore(samples_only).list()) == 1


def test_a_diverging_run_stops_with_the_advice_to_lower_the_learning_rate(samples_only):
    at = open_training()
    at.number_input(key="training_form_lr").set_value(10.0)
    at.number_input(key="training_form_epochs").set_value(2)
    at.number_input(key="training_form_train_limit").set_value(600)
    button(at, "training.train").click().run()
    wait_idle(at)
    errors = " ".join(e.value for e in at.error)
    assert translate("train.advice.lower_lr", "en") in errors
    assert translate("training.status.diverged", "en") in at.get("progress")[0].proto.text
    assert "lab.training.models" not in at.session_state or not at.session_state["lab.training.models"]


def test_the_loss_chart_marks_where_overfitting_starts():
    from lab.ui.charts.training import curve_rows, curves_chart

    epochs = [{"epoch": e, "train_loss": 1 / e, "val_loss": [0.9, 0.6, 0.7, 0.8][e - 1],
               "train_accuracy": 0.5 + e / 10, "val_accuracy": 0.6} for e in (1, 2, 3, 4)]
    batches = [{"event": "step", "x": (i + 1) / 10, "loss": 2.0 - i / 40, "accuracy": 0.5} for i in range(40)]
    labels = {"train": "train", "val": "validation", "batch": "per batch", "epoch": "epoch", "value": "loss"}
    spec = curves_chart(epochs, batches, "loss", labels, overfit_epoch=3, overfit_label="overfitting").to_dict()
    rules = [layer for layer in spec["layer"] if layer["mark"]["type"] == "rule"]
    assert len(rules) == 1
    marked = [d for d in spec["datasets"].values() if any(row.get("label") == "overfitting" for row in d)]
    assert marked and marked[0][0]["epoch"] == 3.0
    rows = curve_rows(epochs, batches, "loss", labels)
    assert (rows.series == "per batch").sum() == 40 and (rows.series == "validation").sum() == 4


def test_every_engine_note_and_advice_reads_in_both_languages_with_the_same_numbers():
    import string

    from lab.train.advice import ENGLISH
    from lab.i18n import catalogue

    texts = catalogue()
    for key, english in ENGLISH.items():
        assert set(texts[key]) == {"en", "ru"}, key
        fields = {f for _, f, _, _ in string.Formatter().parse(english) if f}
        for lang in ("en", "ru"):
            assert {f for _, f, _, _ in string.Formatter().parse(texts[key][lang]) if f} == fields, (key, lang)
    for key, entry in texts.items():
        if key.startswith("training."):
            assert entry["en"] and entry["ru"] and entry["ru"] != entry["en"] or key == "training.schedule.onecycle", key
