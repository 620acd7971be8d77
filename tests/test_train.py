"""The training engine on small real MNIST subsets: what a student's run must do."""

from __future__ import annotations

import json
import math
import threading

import pytest
import torch

from lab.model.checkpoint import load_checkpoint
from lab.config import ExperimentConfig, TransformStep
from lab.data import Splits, channel_stats
from lab.model import preset
from lab.runs.store import RunStore
from lab.train import confident_mistakes, evaluate, from_splits, train

torch.set_num_threads(1)  # the machine's 2 cores are shared; one thread avoids spin-waiting


def subset(data, n_train: int, n_val: int, n_test: int = 500, seed: int = 0) -> Splits:
    """Disjoint random train/val images of the real training set, and the first test images."""
    order = torch.randperm(len(data.train_y), generator=torch.Generator().manual_seed(seed))
    tr, va = order[:n_train], order[n_train:n_train + n_val]
    return Splits(data.train_x[tr], data.train_y[tr], data.train_x[va], data.train_y[va],
                  data.test_x[:n_test], data.test_y[:n_test])


def config(preset_name: str = "baseline", **train) -> ExperimentConfig:
    cfg = ExperimentConfig()
    cfg.model = preset(preset_name, "mnist")
    for key, value in train.items():
        setattr(cfg.train, key, value)
    return cfg


def run_train(cfg, splits, data, **kw):
    return train(from_splits(cfg, splits, data.classes, channel_stats(splits.train_x)), device="cpu", **kw)


def test_the_baseline_learns_mnist_digits_in_one_epoch_of_5000_images(mnist, tmp_path):
    splits = subset(mnist, 5000, 1000, 1000)
    run = RunStore(tmp_path).create(config())
    result = run_train(config(epochs=1), splits, mnist, run=run)
    assert result.status == "finished"
    assert result.history[0]["val_accuracy"] >= 0.90
    # scored on validation only: the test split waits for an explicit evaluation (lab.runs.evaluation)
    assert "test_accuracy" not in result.summary and "test_loss" not in result.summary
    assert "test_accuracy" not in (run.dir / "summary.json").read_text()
    assert result.check["ok"] and result.check["notes"] == ["train.check.ok"]
    assert abs(result.check["loss"] - math.log(10)) < 0.3
    # the journal: every kind of event in order, a summary, loadable checkpoints
    kinds = [e["event"] for e in run.events()]
    assert kinds[:2] == ["start", "check"] and kinds[-1] == "end" and kinds.count("epoch") == 1
    summary = json.loads((run.dir / "summary.json").read_text())
    assert summary["status"] == "finished" and summary["best_epoch"] == 1
    assert summary["images_per_sec"] > 0 and summary["device"] == "cpu"
    assert len(summary["confusion"]) == 10 and sum(map(sum, summary["confusion"])) == 1000
    assert set(summary["per_class_accuracy"]) == set(mnist.classes)
    best = load_checkpoint(run.checkpoint_path("best"))
    assert best.classes == mnist.classes and best.extra["epoch"] == 1
    assert load_checkpoint(run.checkpoint_path("last")).input_shape == (1, 28, 28)


def test_batch_events_reach_listeners_every_step_but_the_journal_only_now_and_then(mnist, tmp_path):
    splits = subset(mnist, 2000, 200, 100)
    run = RunStore(tmp_path).create(config())
    seen = []
    result = run_train(config(epochs=1, batch_size=16), splits, mnist, run=run, listeners=[seen.append])
    steps = [e for e in seen if e["event"] == "batch"]
    assert len(steps) == 125 == result.summary["steps"]
    assert [e["step"] for e in steps] == list(range(1, 126))
    assert all(0 <= e["running_accuracy"] <= 1 for e in steps)
    # the journal: a training point every 8 batches (and the epoch's last), not every step
    assert run.events("batch") == [] and len(run.events("step")) == 16


def test_the_same_seed_repeats_a_run_exactly_and_another_seed_does_not(mnist):
    splits = subset(mnist, 1000, 300, 100)
    cfg = config(epochs=2, batch_size=50)
    cfg.augment.transforms = [TransformStep("RandomRotation", {"degrees": 10}),
                              TransformStep("RandomCrop", {"size": 28, "padding": 2})]
    a, b = run_train(cfg, splits, mnist), run_train(cfg, splits, mnist)
    numbers = lambda r: [(e["train_loss"], e["val_loss"], e["val_accuracy"]) for e in r.history]  # noqa: E731
    assert numbers(a) == numbers(b)
    assert a.summary["final_val_loss"] == b.summary["final_val_loss"]
    cfg.train.seed = 1
    assert numbers(run_train(cfg, splits, mnist)) != numbers(a)


def test_a_stop_request_ends_the_run_after_that_batch_with_a_valid_journal(mnist, tmp_path):
    splits = subset(mnist, 3000, 300, 100)
    run = RunStore(tmp_path).create(config())
    stop = threading.Event()

    def press_stop(event):
        if event["event"] == "batch" and event["step"] == 5:
            stop.set()

    result = run_train(config(epochs=3), splits, mnist, run=run, listeners=[press_stop], stop=stop)
    assert result.status == "stopped" and result.summary["steps"] == 5 and result.summary["epochs"] == 0
    assert run.status == "stopped"
    # every line of the journal parses and the last one says how it ended
    lines = (run.dir / "metrics.jsonl").read_text().splitlines()
    events = [json.loads(line) for line in lines]
    assert events[-1]["event"] == "end" and events[-1]["status"] == "stopped"
    for which in ("best", "last"):
        ckpt = load_checkpoint(run.checkpoint_path(which))
        assert ckpt.model(torch.zeros(2, 1, 28, 28)).shape == (2, 10)


def test_a_huge_learning_rate_is_caught_as_divergence_with_advice(mnist, tmp_path):
    splits = subset(mnist, 1000, 200, 100)
    run = RunStore(tmp_path).create(config())
    result = run_train(config(epochs=2, lr=10.0), splits, mnist, run=run)
    assert result.status == "diverged"
    diverged = [e for e in result.events if e["event"] == "diverged"]
    assert len(diverged) == 1 and diverged[0]["advice"] == ["train.advice.lower_lr"]
    assert diverged[0]["step"] < 16  # stopped at once, not after the epoch
    assert not math.isfinite(diverged[0]["loss"]) or diverged[0]["loss"] > 10 * result.check["loss"]
    assert run.status == "diverged" and "learning rate" in diverged[0]["message"]


def test_early_stopping_restores_the_weights_of_the_best_epoch(mnist):
    splits = subset(mnist, 200, 1000, 100)
    result = run_train(config(epochs=30, batch_size=32, early_stopping=2), splits, mnist)
    s = result.summary
    assert s["early_stopped"] and s["epochs"] < 30
    assert s["epochs"] == s["best_epoch"] + 2 and s["restored_epoch"] == s["best_epoch"]
    mean, std = channel_stats(splits.train_x)
    now = evaluate(result.model, splits.val_x, splits.val_y, mean, std)
    assert now["loss"] == pytest.approx(s["best_val_loss"], rel=1e-5)
    assert now["loss"] < result.history[-1]["val_loss"]


def test_overfitting_is_marked_at_the_epoch_it_starts(mnist):
    # a planted case: 100 training images, a wide model, a brisk learning rate
    splits = subset(mnist, 100, 500, 100)
    cfg = config(epochs=12, batch_size=25, lr=3e-3, mixed_precision=False)  # planted in float32
    cfg.model.blocks[0].filters = 64
    cfg.model.hidden = [256]
    result = run_train(cfg, splits, mnist)
    marks = [e for e in result.events if e["event"] == "overfitting"]
    assert len(marks) == 1
    start = marks[0]["epoch"]
    losses = [h["val_loss"] for h in result.history]
    train_losses = [h["train_loss"] for h in result.history]
    seen = result.history[: marks[0]["detected_at"]]  # what the check knew when it spoke
    assert seen[-1]["train_accuracy"] - seen[-1]["val_accuracy"] >= 0.03
    assert min(losses[start - 1:]) > 0.95 * min(losses[:start - 1])  # no real improvement after it starts
    assert train_losses[-1] < train_losses[start - 2]  # while training kept getting better
    assert "train.advice.weight_decay" in marks[0]["advice"]
    assert result.summary["overfitting_epoch"] == start


def test_evaluate_reports_confusion_per_class_accuracy_and_confident_mistakes(mnist):
    splits = subset(mnist, 1000, 500, 100)
    result = run_train(config(epochs=1), splits, mnist)
    mean, std = channel_stats(splits.train_x)
    rep = evaluate(result.model, splits.val_x, splits.val_y, mean, std, num_classes=10)
    assert rep["n"] == 500 and sum(map(sum, rep["confusion"])) == 500
    diagonal = sum(rep["confusion"][c][c] for c in range(10))
    assert rep["accuracy"] == pytest.approx(diagonal / 500)
    assert rep["probabilities"].shape == (500, 10)
    assert torch.allclose(rep["probabilities"].sum(1), torch.ones(500), atol=1e-5)
    for c in range(10):
        assert rep["per_class_accuracy"][c] == pytest.approx(rep["confusion"][c][c] / rep["per_class_count"][c])
    worst = confident_mistakes(rep, k=5)
    assert worst and all(not rep["correct"][i] for i in worst)
    conf = [float(rep["confidence"][i]) for i in worst]
    assert conf == sorted(conf, reverse=True)
    assert rep["accuracy"] == pytest.approx(result.val_report["accuracy"])
