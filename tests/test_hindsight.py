"""The course's checks after the fact (``lab.runs.hindsight``): what only a finished run's
numbers show, said after ``lab train``, after ``lab evaluate`` and under the Training page's
report, in both languages. Real tiny runs where a run is quick; crafted run facts for the
class-imbalance case and the boundaries."""

from __future__ import annotations

import contextlib
import io
import json

import pytest

from lab.cli import main
from lab.config import ExperimentConfig
from lab.i18n import translate
from lab.runs import hindsight
from lab.runs.hindsight import Facts, after_run, wilson
from lab.runs.store import RunStore

QUICK = ["--dataset", "mnist", "--preset", "baseline", "--epochs", "1", "--train-limit", "300"]


def cli(*args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def train(root, *args) -> tuple[dict, str]:
    """One real run through ``lab train --json``: (its JSON, its stderr)."""
    code, out, err = cli("train", *args, "--runs-dir", str(root), "--json")
    assert code == 0, err
    return json.loads(out), err


def keys(findings) -> list[str]:
    return [k for k, _ in findings]


@pytest.fixture(scope="module")
def journal(tmp_path_factory):
    """Four real runs in one journal: a learning rate too low (twice, same seed), a healthy
    run, and a batch larger than its training set."""
    root = tmp_path_factory.mktemp("hindsight") / "runs"
    runs = {
        "frozen": train(root, *QUICK, "--optimizer", "sgd", "--lr", "1e-5", "--batch-size", "64"),
        "again": train(root, *QUICK, "--optimizer", "sgd", "--lr", "1e-5", "--batch-size", "64"),
        "healthy": train(root, "--dataset", "mnist", "--preset", "baseline", "--epochs", "2",
                         "--train-limit", "600", "--batch-size", "16"),
        "one_batch": train(root, "--dataset", "mnist", "--preset", "baseline", "--epochs", "1",
                           "--train-limit", "100", "--batch-size", "128"),
    }
    return root, runs


def finding(result: dict, key: str) -> dict | None:
    return next((f for f in result["after_run"] if f["key"] == key), None)


def test_a_run_that_barely_moved_is_named_with_its_numbers(journal):
    _, runs = journal
    result, err = runs["frozen"]
    found = finding(result, "after.barely_moved")
    assert found is not None, result["after_run"]
    p = found["params"]
    assert p["epochs"] == 1 and p["lr"] == 1e-5 and abs(p["acc1"] - p["acc0"]) < 0.02 and p["drop"] < 0.05
    assert f"after the run: The run barely moved: in 1 epoch(s) the validation loss went from {p['loss0']:.3f}" in err
    # a run that learns: none of that
    healthy, _ = runs["healthy"]
    assert finding(healthy, "after.barely_moved") is None and healthy["best_val_accuracy"] > 0.5


def test_too_few_weight_updates_and_a_batch_larger_than_the_data_are_said(journal):
    _, runs = journal
    frozen, _ = runs["frozen"]
    few = finding(frozen, "after.few_steps")["params"]
    assert few == {"steps": 5, "n": 300, "batch": 64, "epochs": 1}  # ceil(300 / 64) = 5 steps
    one, err = runs["one_batch"]
    over = finding(one, "after.batch_over_data")["params"]
    assert over == {"batch": 128, "n": 100, "steps": 1} and finding(one, "after.few_steps") is None
    assert "The batch size 128 is larger than the 100 training images" in err
    healthy, _ = runs["healthy"]  # 600 images in batches of 16, 2 epochs: 76 updates
    assert finding(healthy, "after.few_steps") is None and finding(healthy, "after.batch_over_data") is None


def test_a_rerun_with_the_same_settings_and_seed_adds_no_information(journal, tmp_path):
    root, runs = journal
    first, _ = runs["frozen"]
    again, err = runs["again"]
    same = finding(again, "after.same_as")["params"]
    assert same["other"] == first["run_id"] and same["acc"] == same["acc_other"] == first["best_val_accuracy"]
    assert f"Same settings and seed as run {first['run_id']}" in err
    assert finding(first, "after.same_as") is None  # the first of them was new
    # another seed is another experiment
    store = RunStore(root)
    seeded = ExperimentConfig.load(store.get(again["run_id"]).dir / "config.json")
    assert seeded.train.seed == 0
    other, _ = train(tmp_path / "runs", *QUICK, "--optimizer", "sgd", "--lr", "1e-5", "--seed", "1")
    assert finding(other, "after.same_as") is None


def test_a_run_still_improving_at_its_last_epoch_is_told_more_epochs_would_help(journal):
    _, runs = journal
    healthy, err = runs["healthy"]
    losses = [e["val_loss"] for e in healthy["epochs"]]
    found = finding(healthy, "after.still_improving")["params"]
    assert healthy["best_epoch"] == 2 and found["prev"] == losses[0] and found["last"] == losses[1]
    assert found["drop"] == pytest.approx((losses[0] - losses[1]) / losses[0]) and found["drop"] >= 0.02
    frozen, _ = runs["frozen"]
    assert finding(frozen, "after.still_improving") is None  # one epoch: no trend to read


def test_a_small_validation_split_is_said_to_be_coarse(tmp_path, shared_datasets):
    from test_export import copy_cifar_tree

    folder = copy_cifar_tree(shared_datasets, tmp_path / "drones", classes=3, per_class_train=20, per_class_test=5)
    result, err = train(tmp_path / "runs", "--dataset", str(folder), "--preset", "baseline", "--epochs", "1",
                        "--batch-size", "8")
    p = finding(result, "after.coarse_validation")["params"]
    assert p["n"] == 12 and p["step"] == pytest.approx(100 / 12)  # 20 % of 20 per class, 3 classes
    assert p["acc"] == result["best_val_accuracy"] and p["low"] <= p["acc"] <= p["high"]
    assert p["high"] - p["low"] > 0.3  # 12 images: the interval spans tens of points
    assert "Only 12 validation images: one image is 8.33 points of accuracy" in err
    # MNIST's 12,000 validation images: nothing to say
    quick, _ = train(tmp_path / "mnist", *QUICK)
    assert finding(quick, "after.coarse_validation") is None


def test_wilsons_interval_is_the_textbook_one():
    low, high = wilson(0.5, 100)
    assert (round(low, 4), round(high, 4)) == (0.4038, 0.5962)
    assert wilson(1.0, 12)[1] == 1.0 and wilson(1.0, 12)[0] < 0.76  # 12 of 12 right is not "certainly 100 %"


def crafted(**summary) -> Facts:
    base = {"status": "finished", "best_val_accuracy": 0.8, "final_val_accuracy": 0.8, "steps": 500,
            "best_epoch": 3, "initial_check": {"loss": 1.1, "accuracy": 0.33}}
    epochs = [{"val_loss": v} for v in (0.9, 0.7, 0.69)]
    return Facts(ExperimentConfig(), {**base, **summary}, epochs, {"train": 5000, "val": 2000})


def test_accuracy_no_better_than_the_majority_class_is_called_out():
    # 900 "field" images of 1,000 in validation, and a model that answers "field" for everything
    imbalanced = crafted(classes=["field", "road", "roof"], final_val_accuracy=0.9,
                         confusion=[[900, 0, 0], [60, 0, 0], [40, 0, 0]])
    assert hindsight.majority_class(imbalanced) == ("after.majority_class",
                                                    {"acc": 0.9, "name": "field", "share": 0.9})
    learned = crafted(classes=["field", "road", "roof"], final_val_accuracy=0.97,
                      confusion=[[890, 5, 5], [3, 57, 0], [2, 0, 38]])
    assert hindsight.majority_class(learned) is None
    balanced = crafted(classes=["a", "b"], final_val_accuracy=0.5, confusion=[[500, 0], [500, 0]])
    assert hindsight.majority_class(balanced) is None  # an even split: the at-chance check's job


def test_the_boundaries_of_the_crafted_checks():
    assert hindsight.still_improving(crafted()) is None  # 0.70 -> 0.69: 1.4 %, flat enough
    assert hindsight.still_improving(crafted(early_stopped=True)) is None
    assert hindsight.still_improving(crafted(status="stopped")) is None  # stopped by hand: not the plan's end
    assert hindsight.barely_moved(crafted(status="diverged")) is None  # the divergence message said it all
    assert hindsight.batch_vs_data(crafted(steps=29, status="stopped")) is None  # a stopped run is short on purpose


def test_a_second_look_at_the_test_set_warns_on_the_command_line(journal, tmp_path):
    import shutil

    root, runs = journal
    looks = tmp_path / "looks"
    for name in ("healthy", "one_batch"):  # a journal of its own: the looks are counted per journal
        shutil.copytree(root / runs[name][0]["run_id"], looks / runs[name][0]["run_id"])
    healthy, one = runs["healthy"][0]["run_id"], runs["one_batch"][0]["run_id"]

    code, out, err = cli("evaluate", healthy, "--runs-dir", str(looks))
    assert code == 0 and "warning" not in err  # the first look is the one the course allows
    code, out, err = cli("evaluate", one, "--runs-dir", str(looks), "--json")
    record = json.loads(out)
    assert code == 0 and record["test_looks"] == 2
    assert [w["key"] for w in record["warnings"]] == ["after.test_looks"]
    code, out, err = cli("evaluate", one, "--runs-dir", str(looks))  # the same model asked again
    lines = err.strip().splitlines()
    assert lines[0] == (f"warning: Run {one}'s test score was asked for 2 times: the weights are the same, so is "
                        "the number; each look you act on makes the test set one more validation set.")
    assert lines[1].startswith("warning: The test set has now been looked at for 2 models in this journal")
    assert "{" not in err
    # validation may be scored as often as one likes
    code, out, err = cli("evaluate", healthy, "--split", "val", "--runs-dir", str(looks))
    assert code == 0 and err == ""


def test_every_finding_reads_in_both_languages_with_its_numbers(journal):
    root, runs = journal
    seen = set()
    for result, _ in runs.values():
        for f in result["after_run"]:
            seen.add(f["key"])
            for lang in ("en", "ru"):
                text = translate(f["key"], lang, **f["params"])
                assert "{" not in text and text == (f["message"] if lang == "en" else text)
            assert translate(f["key"], "en", **f["params"]) == f["message"]
    assert {"after.barely_moved", "after.few_steps", "after.batch_over_data", "after.same_as",
            "after.still_improving"} <= seen
    ru = translate("after.few_steps", "ru", steps=5, n=300, batch=64, epochs=1)
    assert ru.startswith("Всего 5 обновлений весов (300 обучающих изображений батчами по 64, 1 эпоха)")


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_training_page_shows_the_checks_under_a_finished_run(journal, runs_dir, lang):
    import shutil

    from streamlit.testing.v1 import AppTest

    from test_i18n import assert_no_english

    root, runs = journal
    run_id = runs["frozen"][0]["run_id"]
    shutil.copytree(root / run_id, runs_dir / run_id)
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.session_state["lab.language"] = lang
    at.session_state["lab.training.runs"] = [run_id]
    at.switch_page("pages/training.py")
    at.run()
    assert not at.exception, at.exception
    shown = " ".join(w.value for w in at.warning)
    header = translate("after.header", lang)
    assert header in shown
    for key, params in after_run(RunStore(runs_dir).get(run_id)):
        assert translate(key, lang, **params) in shown
    assert translate("after.barely_moved", lang, **finding(runs["frozen"][0], "after.barely_moved")["params"]) in shown
    if lang == "ru":
        assert_no_english(at)
