"""The experiment config: JSON round trip, clear rejections, field-by-field diff."""

import json

import pytest

from lab.config import ConfigError, ConvBlock, ExperimentConfig, TransformStep, diff


def test_json_round_trip_keeps_every_part():
    cfg = ExperimentConfig()
    cfg.data.dataset = "cifar10"
    cfg.model.blocks.append(ConvBlock(filters=64, kernel=[3, 5], batchnorm=True, pool="avg"))
    cfg.augment.transforms = [TransformStep("RandomCrop", {"size": 32, "padding": 4})]
    cfg.train.lr = 3e-4
    again = ExperimentConfig.from_json(cfg.to_json())
    assert again == cfg
    assert again.model.blocks[1].kernel == [3, 5]


def test_missing_keys_take_the_defaults():
    cfg = ExperimentConfig.from_dict({"train": {"epochs": 3}})
    assert cfg.train.epochs == 3 and cfg.train.lr == 1e-3 and cfg.data.dataset == "mnist"


@pytest.mark.parametrize("patch, message", [
    ({"train": {"learning_rate": 0.1}}, "unknown field train.learning_rate"),
    ({"model": {"blocks": [{"kernal": 3}]}}, "unknown field model.blocks[0].kernal"),
    ({"train": {"epochs": "ten"}}, "train.epochs: expected a whole number, got the text 'ten'"),
    ({"train": {"epochs": 2.5}}, "train.epochs: expected a whole number"),
    ({"train": {"mixed_precision": 1}}, "train.mixed_precision: expected true or false"),
    ({"train": {"optimizer": "adagrad"}}, "train.optimizer: 'adagrad' is not one of"),
    ({"train": {"lr": 0}}, "train.lr: 0.0 is outside"),
    ({"data": {"val_fraction": 0.9}}, "data.val_fraction"),
    ({"model": {"blocks": []}}, "1 to 10 conv blocks"),
    ({"model": {"blocks": [{"kernel": [3, 3, 3]}]}}, "model.blocks[0].kernel"),
    ({"model": {"blocks": [{"stride": 0}]}}, "model.blocks[0].stride: must be at least 1"),
    ({"augment": {"transforms": [{"name": "not a name"}]}}, "augment.transforms[0].name"),
    ({"data": "mnist"}, "data: expected an object"),
])
def test_bad_values_are_rejected_with_the_field_named(patch, message):
    with pytest.raises(ConfigError) as err:
        ExperimentConfig.from_dict(patch)
    assert message in str(err.value)


def test_invalid_json_says_where():
    with pytest.raises(ConfigError, match="line 2"):
        ExperimentConfig.from_json('{\n  "train": }')


def test_diff_names_exactly_the_fields_that_changed():
    a = ExperimentConfig()
    b = ExperimentConfig.from_dict(json.loads(a.to_json()))
    assert diff(a, b) == []
    b.train.lr = 3e-4
    assert diff(a, b) == [("train.lr", 1e-3, 3e-4)]
    b.model.blocks[0].batchnorm = True
    b.augment.transforms.append(TransformStep("RandomRotation", {"degrees": 10}))
    assert [path for path, _, _ in diff(a, b)] == ["augment.transforms", "model.blocks[0].batchnorm", "train.lr"]


def test_diff_of_a_block_list_that_changed_length_reports_the_list():
    a, b = ExperimentConfig(), ExperimentConfig()
    b.model.blocks.append(ConvBlock(filters=64))
    [(path, old, new)] = diff(a, b)
    assert path == "model.blocks" and len(old) == 1 and len(new) == 2
