"""A run's most confident mistakes, and suspected label errors by confident learning, on real MNIST."""

from __future__ import annotations

import json

import numpy as np
import pytest

from run_helpers import copy_run
from lab.cli import main
from lab.runs.evaluation import split_scores, count_test_looks
from lab.runs.mistakes import confident_mistakes, enlarge, label_issues, marks, set_mark
from lab.errors import LabError

# MNIST test images whose label is wrong, as the label-errors study confirmed them
# (Northcutt, Athalye & Mueller 2021, "Pervasive Label Errors in Test Sets Destabilize
# Machine Learning Benchmarks"; labelerrors.com; cleanlab/label-errors mturk/mnist_mturk.json):
# the candidates where at most 2 of 5 Mechanical Turk reviewers kept the given label.
# Indices in torchvision's (= the IDX files') test order; the given label after each.
CONFIRMED = {947: 8, 1621: 0, 1901: 9, 2130: 4, 2462: 2, 2597: 5, 2654: 6, 3520: 6, 3558: 5, 5937: 5,
             6651: 0, 6783: 1, 8527: 4, 9679: 6, 9729: 5}


@pytest.fixture()
def run(mnist_cnn_run, tmp_path):
    return copy_run(mnist_cnn_run, tmp_path / "runs")


def test_our_mnist_test_split_is_in_the_order_the_study_indexed(mnist):
    assert len(mnist.test_y) == 10_000
    assert {i: int(mnist.test_y[i]) for i in CONFIRMED} == CONFIRMED


def test_the_top_20_suspected_label_errors_hold_several_documented_ones(run, mnist):
    scores = split_scores(run, "test")
    assert scores.accuracy > 0.96  # a decent model: its disagreement means something
    top = label_issues(scores, 20)
    found = sorted(i["index"] for i in top if i["index"] in CONFIRMED)
    print(f"test accuracy {scores.accuracy:.4f}; documented label errors in the top 20: {found}")
    assert len(found) >= 3
    # ranked by the model's probability of the given label, lowest first; each names its image
    assert [i["label_probability"] for i in top] == sorted(i["label_probability"] for i in top)
    assert all(i["true"] == mnist.classes[int(mnist.test_y[i["index"]])] for i in top)
    assert any(i["flagged"] for i in top)  # cleanlab.find_label_issues agrees on some (fewer, the better the model)
    assert count_test_looks(run.dir.parent) == 1  # scoring the test split was a look at it


def test_confident_mistakes_are_wrong_most_confident_first_with_their_dataset_index(run, mnist):
    scores = split_scores(run, "val")
    items = confident_mistakes(scores, 20)
    assert len(items) == 20
    assert [i["confidence"] for i in items] == sorted((i["confidence"] for i in items), reverse=True)
    assert all(i["true"] != i["predicted"] for i in items)
    # validation indices point into the dataset's training part
    assert all(i["true"] == mnist.classes[int(mnist.train_y[i["index"]])] for i in items)
    wrong = int((scores.predictions != scores.labels).sum())
    assert wrong == round((1 - scores.accuracy) * len(scores.labels))
    assert len(confident_mistakes(scores, 1000)) == min(1000, wrong)
    assert count_test_looks(run.dir.parent) == 0  # validation is not a look at the test set


def test_the_runs_report_names_each_mistakes_dataset_index(run, mnist, shared_datasets):
    import io

    from PIL import Image

    from lab.model.checkpoint import load_checkpoint
    from lab.train.evaluate import evaluate
    from lab.train.report import build_report, from_png_b64
    from lab.train.session import prepare

    splits = prepare(run.config(), shared_datasets).splits
    ckpt = load_checkpoint(run.model_checkpoint())
    x, y = splits.val_x[:1000], splits.val_y[:1000]
    result = evaluate(ckpt.model, x, y, ckpt.mean, ckpt.std, num_classes=10, shape=ckpt.input_shape)
    report = build_report(result, x, ckpt.classes, 2, indices=splits.val_index[:1000])
    assert report["mistakes"]
    for m in report["mistakes"]:
        assert mnist.classes[int(mnist.train_y[m["index"]])] == m["true"] != m["predicted"]
        shown = np.array(Image.open(io.BytesIO(from_png_b64(m["image"]))))
        assert (shown == mnist.train_x[m["index"]][0].numpy()).all()  # the very image, by its index


def test_marks_are_kept_per_dataset_part_in_the_workspace(tmp_path):
    set_mark(tmp_path, "mnist", "test", 2462, "label")
    set_mark(tmp_path, "mnist", "test", 18, "model")
    set_mark(tmp_path, "mnist", "val", 7, "label")
    assert marks(tmp_path, "mnist", "test") == {2462: "label", 18: "model"}
    assert marks(tmp_path, "mnist", "val") == {7: "label"} and marks(tmp_path, "fashion-mnist", "test") == {}
    set_mark(tmp_path, "mnist", "test", 18, None)
    assert marks(tmp_path, "mnist", "test") == {2462: "label"}
    with pytest.raises(LabError):
        set_mark(tmp_path, "mnist", "test", 1, "maybe")


def test_enlarge_repeats_pixels():
    image = np.arange(4, dtype=np.uint8).reshape(1, 2, 2)
    big = enlarge(image, 6)
    assert big.shape == (6, 6) and (big[:3, :3] == 0).all() and (big[3:, 3:] == 3).all()


def test_cli_mistakes_json_and_marks(run, capsys):
    root = str(run.dir.parent)
    assert main(["mistakes", "--run", run.id, "--split", "val", "--top", "5", "--runs-dir", root, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["split"] == "val" and out["part"] == "train" and len(out["mistakes"]) == 5
    assert set(out["mistakes"][0]) >= {"index", "true", "predicted", "confidence", "mark"}
    assert main(["mistakes", "--run", run.id, "--split", "test", "--label-issues", "--top", "3",
                 "--mark", "2462=label", "--runs-dir", root, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert len(out["label_issues"]) == 3 and out["test_looks"] == 1
    assert marks(run.dir.parent, "mnist", "test") == {2462: "label"}
    assert main(["mistakes", "--run", run.id, "--mark", "2462=wrong", "--runs-dir", root]) == 2
    assert "--mark" in capsys.readouterr().err
    assert main(["mistakes", "--run", run.id, "--top", "0", "--runs-dir", root]) == 2
