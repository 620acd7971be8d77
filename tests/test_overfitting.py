"""Overfitting as a student would call it, on real short runs: a run that memorises 100
digits is flagged at the epoch its validation loss stops improving, and marked on the
loss curve; a run with enough data is not flagged."""

from __future__ import annotations

from lab.train.checks import overfitting
from test_train import config, run_train, subset


def test_a_run_on_100_images_for_many_epochs_is_flagged_where_validation_stops_improving(mnist):
    splits = subset(mnist, 100, 500, 100)  # a small train_limit, no augmentation
    result = run_train(config(epochs=15, batch_size=25), splits, mnist)
    marks = [e for e in result.events if e["event"] == "overfitting"]
    assert len(marks) == 1, [(h["train_accuracy"], h["val_accuracy"], h["val_loss"]) for h in result.history]
    mark = marks[0]
    history = result.history
    seen = history[: mark["detected_at"]]
    assert seen[-1]["train_accuracy"] - seen[-1]["val_accuracy"] >= 0.03  # the gap a student sees
    assert seen[-1]["val_loss"] > 1.3 * seen[-1]["train_loss"]
    start = mark["epoch"]
    val = [h["val_loss"] for h in history]
    assert start <= mark["detected_at"] and min(val[start - 1:]) > 0.95 * min(val[:start - 1])
    assert mark["values"]["gap"] >= 3 and result.summary["overfitting_epoch"] == start
    assert set(mark["advice"]) >= {"train.advice.more_data", "train.advice.weight_decay"}
    assert overfitting(history) is not None  # it still is at the end


def test_a_run_with_enough_data_is_not_flagged(mnist):
    splits = subset(mnist, 3000, 500, 100)
    result = run_train(config(epochs=4, batch_size=64), splits, mnist)
    history = result.history
    assert [e for e in result.events if e["event"] == "overfitting"] == [], history
    assert history[-1]["val_loss"] < history[0]["val_loss"]  # it learned: a real run, not a dead one
    assert result.summary["overfitting_epoch"] is None


def test_the_marker_goes_on_both_curves_at_the_epoch_it_starts():
    from lab.ui.charts.training import curves_chart

    epochs = [{"epoch": e, "train_loss": v, "val_loss": w, "train_accuracy": a, "val_accuracy": b}
              for e, v, w, a, b in zip(range(1, 7), [0.9, 0.4, 0.2, 0.1, 0.05, 0.03], [0.6, 0.45, 0.38, 0.36, 0.39, 0.37],
                                       [0.7, 0.88, 0.94, 0.97, 0.99, 1.0], [0.8, 0.86, 0.88, 0.89, 0.885, 0.89])]
    found = overfitting(epochs)
    assert found is not None and found["epoch"] == 5
    labels = {"train": "train", "val": "validation", "batch": "per batch", "epoch": "epoch", "value": "v"}
    for metric in ("loss", "accuracy"):
        spec = curves_chart(epochs, [], metric, labels, overfit_epoch=found["epoch"], overfit_label="overfitting").to_dict()
        marked = [d for d in spec["datasets"].values() if any(row.get("label") == "overfitting" for row in d)]
        assert marked and marked[0][0]["epoch"] == 5.0
