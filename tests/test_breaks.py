""""Break it on purpose": each switch is part of the config (journaled, diffable, off by
default, old configs still load) and makes the course's matching check fire on a real run."""

from __future__ import annotations

import json
import math

import pytest

from lab.config import ConfigError, ExperimentConfig, diff
from lab.train.checks import initial_check
from lab.train.session import prepare, run


def broken(*names: str, **train) -> ExperimentConfig:
    cfg = ExperimentConfig()
    cfg.data.train_limit, cfg.data.val_fraction = 300, 0.05  # 300 training, 3,000 validation digits
    for name in names:
        setattr(cfg.breaks, name, True)
    for key, value in train.items():
        setattr(cfg.train, key, value)
    return cfg


def test_the_switches_are_off_by_default_journaled_and_diffable():
    cfg = ExperimentConfig()
    assert cfg.breaks.on() == []
    old = cfg.to_dict()
    del old["breaks"]  # a config written before the switches existed
    assert ExperimentConfig.from_dict(old).breaks.on() == []
    with pytest.raises(ConfigError, match="unknown field breaks.softmax"):
        ExperimentConfig.from_dict({**cfg.to_dict(), "breaks": {"softmax": True}})
    on = broken("softmax_output")
    assert json.loads(on.to_json())["breaks"]["softmax_output"] is True
    assert ("breaks.softmax_output", False, True) in diff(ExperimentConfig(), on)


def check_of(cfg: ExperimentConfig) -> dict:
    p = prepare(cfg)
    return initial_check(p.model, p.splits.val_x, p.splits.val_y, p.mean, p.std, len(p.classes))


def test_a_softmax_after_the_last_layer_is_caught_by_the_initial_check(mnist):
    assert check_of(broken())["notes"] == ["train.check.ok"]
    check = check_of(broken("softmax_output"))
    assert "train.check.softmax_output" in check["notes"] and not check["ok"]
    assert check["loss"] == pytest.approx(math.log(10), rel=0.1)  # the loss alone would not have told


def test_no_normalisation_is_caught_by_the_input_statistics_and_the_initial_loss(mnist):
    check = check_of(broken("no_normalization"))
    assert "train.check.inputs_unnormalised" in check["notes"], check
    assert check["values"]["input_mean"] > 10  # raw MNIST pixels average about 33
    assert "train.check.loss_high" in check["notes"], check["loss"]


def test_shuffled_labels_leave_validation_at_chance_and_the_lab_says_so(mnist):
    result = run(prepare(broken("shuffle_labels", epochs=3, batch_size=32)))
    chance = [e for e in result.events if e["event"] == "chance"]
    assert len(chance) == 1 and chance[0]["epoch"] == 2, [h["val_accuracy"] for h in result.history]
    assert chance[0]["values"]["accuracy"] < 0.15
    clean = run(prepare(broken(epochs=2, batch_size=32)))
    assert not [e for e in clean.events if e["event"] == "chance"]
    assert clean.history[-1]["val_accuracy"] > 0.5  # the same 300 digits, true labels: it learns


def test_a_learning_rate_times_100_is_caught_by_the_divergence_check(mnist):
    result = run(prepare(broken("lr_x100", epochs=2, batch_size=32)))
    assert result.status == "diverged", [h["train_loss"] for h in result.history]
    diverged = [e for e in result.events if e["event"] == "diverged"]
    assert diverged and "train.advice.lower_lr" in diverged[0]["advice"]
