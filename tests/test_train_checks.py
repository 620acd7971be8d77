"""The course's sanity checks: initial loss near ln(N), overfit one batch, overfitting rule."""

from __future__ import annotations

import math

import torch
from torch import nn

from lab.config import ExperimentConfig
from lab.data import Splits, channel_stats
from lab.model import build_model, preset
from lab.train import initial_check, overfit_one_batch, overfitting_start, train

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
    train(cfg, splits, classes=mnist.classes, mean=mean, std=std, model=baseline(nn.Softmax(dim=1)),
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
    result = overfit_one_batch(ExperimentConfig(), splits, classes=mnist.classes, mean=mean, std=std, device="cpu")
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
    result = overfit_one_batch(ExperimentConfig(), splits, classes=mnist.classes, mean=mean, std=std,
                               model=_Blind(), steps=30, device="cpu", listeners=[steps.append])
    assert not result["reached"] and result["steps"] == 30 and len(steps) == 30
    assert result["accuracy"] < 0.5
    assert result["advice"] == ["train.advice.bigger_model", "train.advice.bug_hunt"]


def test_overfitting_needs_validation_loss_rising_while_training_loss_falls():
    train_losses = [1.0, 0.8, 0.6, 0.4, 0.3]
    assert overfitting_start([1.0, 0.9, 0.8, 0.85, 0.9], train_losses) == 4
    assert overfitting_start([1.0, 0.9, 0.8, 0.85, 0.84], train_losses) is None  # one bad epoch is noise
    assert overfitting_start([1.0, 0.9, 0.8, 0.85, 0.9], [1.0, 0.8, 0.6, 0.7, 0.8]) is None  # both rise: lr?
    assert overfitting_start([1.0, 1.1], [1.0, 0.9]) is None  # too early to tell
