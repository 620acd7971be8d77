"""The course's sanity checks: initial loss near ln(N), overfit one batch, overfitting rule."""

from __future__ import annotations

import math

import torch
from torch import nn

from lab.config import ExperimentConfig
from lab.data import Splits, channel_stats
from lab.model import build_model, preset
from lab.train import from_splits, initial_check, overfit_one_batch, overfitting_start, train

torch.set_num_threads(1)


def baseline(last: nn.Module | None = None) -> nn.Module:
    torch.manual_seed(0)
    model = build_model(preset("baseline"), (1, 28, 28), 10)
    return nn.Sequential(model, last) if last is not None else model


def check(mnist, model):
    x, y = mnist.train_x[:1024], mnist.train_y[:1024]
    mean, std = channel_stats(x)
    return initial_check(model, x, y, mean, std, num_classes=10)


def test_a_fresh_baseline_starts_near_ln_n_and_chance_accuracy(mnist):
    result = check(mnist, baseline())
    assert result["ok"] and result["notes"] == ["train.check.ok"]
    assert abs(result["loss"] - math.log(10)) < 0.3 and result["accuracy"] < 0.3
    assert result["expected_loss"] == math.log(10) and result["expected_accuracy"] == 0.1


def test_a_softmax_after_the_last_layer_is_flagged(mnist):
    result = check(mnist, baseline(nn.Softmax(dim=1)))
    assert not result["ok"] and "train.check.softmax_output" in result["notes"]
    assert "remove the softmax" in result["message"]
    # the loss alone would not have caught it: probabilities used as logits give ~ln(N)
    assert abs(result["loss"] - math.log(10)) < 0.3


def test_a_relu_after_the_last_layer_is_flagged(mnist):
    result = check(mnist, baseline(nn.ReLU()))
    assert not result["ok"] and result["notes"][0] == "train.check.activation_output"


def test_two_classes_whose_outputs_happen_to_be_positive_are_not_taken_for_an_activation(mnist):
    # a 2-class head whose two outputs are positive on every image (here: 0.1 and 0.1), as an
    # untrained network's can be when its features are alike: no activation follows it
    model = nn.Sequential(nn.Flatten(), nn.Linear(28 * 28, 2))
    with torch.no_grad():
        model[1].weight.zero_()
        model[1].bias.fill_(0.1)
    two = (mnist.train_y == 0) | (mnist.train_y == 1)
    x, y = mnist.train_x[two][:1024], mnist.train_y[two][:1024]
    mean, std = channel_stats(x)
    result = initial_check(model, x, y, mean, std, num_classes=2)
    assert result["notes"] == ["train.check.ok"] and abs(result["loss"] - math.log(2)) < 1e-6
    # the same head with a sigmoid after it is flagged, though a sigmoid leaves no zeros
    flagged = initial_check(nn.Sequential(model, nn.Sigmoid()), x, y, mean, std, num_classes=2)
    assert flagged["notes"][0] == "train.check.activation_output"


def test_oversized_initial_weights_give_a_loss_far_above_ln_n(mnist):
    model = baseline()
    with torch.no_grad():
        for p in model.parameters():
            p.mul_(30)
    result = check(mnist, model)
    assert not result["ok"] and "train.check.loss_high" in result["notes"]


def test_train_reports_the_check_before_the_first_batch(mnist):
    splits = Splits(mnist.train_x[:300], mnist.train_y[:300], mnist.train_x[300:500], mnist.train_y[300:500],
                    mnist.test_x[:100], mnist.test_y[:100])
    cfg = ExperimentConfig()
    cfg.train.epochs = 1
    seen = []
    mean, std = channel_stats(splits.train_x)
    train(from_splits(cfg, splits, mnist.classes, (mean, std), model=baseline(nn.Softmax(dim=1))),
          listeners=[seen.append], device="cpu")
    kinds = [e["event"] for e in seen]
    assert kinds.index("check") < kinds.index("batch")
    assert seen[kinds.index("check")]["notes"][0] == "train.check.softmax_output"


def _splits(mnist):
    return Splits(mnist.train_x[:640], mnist.train_y[:640], mnist.train_x[640:740], mnist.train_y[640:740],
                  mnist.test_x[:10], mnist.test_y[:10])


def test_the_baseline_memorises_one_batch(mnist):
    splits = _splits(mnist)
    mean, std = channel_stats(splits.train_x)
    result = overfit_one_batch(from_splits(ExperimentConfig(), splits, mnist.classes, (mean, std)), device="cpu")
    assert result["reached"] and result["accuracy"] == 1.0 and result["steps"] <= 50
    assert result["batch"] == 64 and result["advice"] == [] and result["notes"] == ["train.overfit.reached"]
    assert result["losses"][-1] < result["losses"][0]


class _Blind(nn.Module):
    """Ignores the image: can only learn the class frequencies, never one batch."""

    def __init__(self):
        super().__init__()
        self.bias = nn.Parameter(torch.zeros(10))

    def forward(self, x):
        return self.bias.expand(len(x), 10)


def test_a_model_that_cannot_learn_fails_with_the_bigger_model_and_bug_hunt_advice(mnist):
    splits = _splits(mnist)
    mean, std = channel_stats(splits.train_x)
    steps = []
    prepared = from_splits(ExperimentConfig(), splits, mnist.classes, (mean, std), model=_Blind())
    result = overfit_one_batch(prepared, steps=30, device="cpu", listeners=[steps.append])
    assert not result["reached"] and result["steps"] == 30 and len(steps) == 30
    assert result["accuracy"] < 0.5
    assert result["advice"] == ["train.advice.bigger_model", "train.advice.bug_hunt"]


def test_overfitting_is_a_stalled_smoothed_validation_loss_with_a_train_validation_gap():
    train_losses = [1.0, 0.8, 0.6, 0.4, 0.3]
    gap = ([0.70, 0.80, 0.85, 0.86, 0.86], [0.70, 0.85, 0.92, 0.96, 0.99])  # val, train accuracy
    assert overfitting_start([1.0, 0.9, 0.8, 0.85, 0.9], train_losses, *gap) == 4  # rises after epoch 3
    assert overfitting_start([1.0, 0.9, 0.8, 0.85, 0.9], train_losses) is None  # no accuracy gap known
    assert overfitting_start([1.0, 0.9, 0.8, 0.85, 0.9], [1.0, 0.8, 0.6, 0.7, 0.8], *gap) is None  # both rise: lr?
    assert overfitting_start([1.0, 1.1], [1.0, 0.9], *gap) is None  # too early to tell
    assert overfitting_start([1.0, 0.9, 0.8, 0.7, 0.6], train_losses, *gap) is None  # validation still improving
    close = ([0.70, 0.80, 0.85, 0.86, 0.86], [0.70, 0.81, 0.86, 0.87, 0.875])
    assert overfitting_start([1.0, 0.9, 0.8, 0.81, 0.80], train_losses, *close) is None  # a plateau, no gap


def test_the_recorded_case_students_call_overfitting_is_flagged_and_a_healthy_one_is_not():
    """Issue 13's run: 100 % train, 89.8 % validation, the validation loss noisy and flat:
    never two rises in a row, so the old rule stayed silent."""
    from lab.train.checks import overfitting

    val_loss = [0.62, 0.45, 0.38, 0.36, 0.39, 0.35, 0.37, 0.36, 0.38, 0.36]
    train_loss = [0.90, 0.40, 0.22, 0.12, 0.06, 0.03, 0.015, 0.008, 0.005, 0.003]
    val_acc = [0.82, 0.86, 0.88, 0.89, 0.885, 0.898, 0.893, 0.897, 0.894, 0.898]
    train_acc = [0.72, 0.88, 0.94, 0.97, 0.99, 0.995, 0.999, 1.0, 1.0, 1.0]
    history = [{"val_loss": v, "train_loss": t, "val_accuracy": va, "train_accuracy": ta}
               for v, t, va, ta in zip(val_loss, train_loss, val_acc, train_acc)]
    found = overfitting(history)
    assert found is not None and found["epoch"] == 5 and found["best_epoch"] == 4
    assert found["gap"] == 10.2
    # a healthy MNIST run: both losses fall together, validation within a point of training
    healthy = [{"val_loss": v, "train_loss": t, "val_accuracy": va, "train_accuracy": ta} for v, t, va, ta in zip(
        [0.20, 0.11, 0.08, 0.066, 0.058, 0.052], [0.45, 0.14, 0.09, 0.07, 0.057, 0.048],
        [0.94, 0.966, 0.975, 0.979, 0.982, 0.984], [0.87, 0.958, 0.972, 0.978, 0.982, 0.985])]
    assert overfitting(healthy) is None
