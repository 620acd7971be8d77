"""Fast recipes: a whole experiment's worth of choices per built-in dataset, applied with one
click or ``lab train --recipe fast``; the student's dataset and seed stay theirs."""

import json

import pytest

from lab.config import ExperimentConfig
from lab.errors import LabError
from lab.model import preset
from lab.train.recipes import RECIPES, apply_recipe, fast_recipe, recipe_for


@pytest.mark.parametrize("dataset", list(RECIPES))
def test_a_recipe_sets_model_augmentation_and_training_and_keeps_the_dataset_and_seed(dataset):
    cfg = ExperimentConfig()
    cfg.data.dataset, cfg.train.seed = dataset, 7
    recipe = RECIPES[dataset]
    got = apply_recipe(cfg, recipe)
    want_model = preset(recipe.preset, dataset)
    for name, value in recipe.model.items():
        setattr(want_model, name, value)
    assert got.model == want_model
    assert all(getattr(got.train, k) == v for k, v in recipe.train.items())
    assert got.data.dataset == dataset and got.train.seed == 7 and got.data.val_fraction == recipe.val_fraction
    assert bool(got.augment.transforms) == bool(recipe.augment)
    assert cfg.model == preset("baseline")  # the student's experiment is not changed in place


def test_the_short_recipes_train_without_dropout():
    # in one or two epochs a network underfits: dropout only slows it down
    for name in ("mnist", "fashion-mnist"):
        cfg = ExperimentConfig()
        cfg.data.dataset = name
        model = apply_recipe(cfg, RECIPES[name]).model
        assert model.head_dropout == 0.0 and preset("mnist_cnn").head_dropout > 0


def test_the_short_recipes_cost_about_half_of_mnist_cnns_multiply_adds():
    # issue 26: in float32 (no native bf16) the full mnist_cnn (7.6 M multiply-adds an image)
    # needed 1.17-1.28 tutorial epochs to 99 %; its three-quarter width (24, 48, 96 filters) 4.3 M
    from lab.model.plan import make_plan
    from lab.train.speed import forward_macs

    full = forward_macs(make_plan(preset("mnist_cnn", "mnist"), (1, 28, 28), 10))
    for name in ("mnist", "fashion-mnist"):
        cfg = ExperimentConfig()
        cfg.data.dataset = name
        model = apply_recipe(cfg, RECIPES[name]).model
        assert [b.filters for b in model.blocks] == [24, 48, 96]
        assert all(b.batchnorm and b.pool == "max" for b in model.blocks)
        macs = forward_macs(make_plan(model, (1, 28, 28), 10))
        assert macs == 4_345_472 and macs < 0.6 * full


def test_any_spelling_of_a_builtin_dataset_finds_its_recipe_and_a_folder_has_none():
    assert fast_recipe("MNIST") is RECIPES["mnist"] and fast_recipe("fashion_mnist") is RECIPES["fashion-mnist"]
    cfg = ExperimentConfig()
    cfg.data.dataset = "/data/my_drone_images"
    with pytest.raises(LabError, match="no fast recipe"):
        recipe_for(cfg)


def test_lab_train_recipe_fast_trains_the_recipes_experiment(tmp_path, capsys):
    from lab.cli import main

    runs = tmp_path / "runs"
    code = main(["train", "--dataset", "mnist", "--recipe", "fast", "--epochs", "1", "--train-limit", "256",
                 "--runs-dir", str(runs), "--json"])
    out = capsys.readouterr()
    assert code == 0, out.err
    saved = json.loads(next(runs.rglob("config.json")).read_text())
    assert saved["model"]["preset"] == "mnist_cnn" and saved["model"]["head_dropout"] == 0.0
    assert saved["train"]["schedule"] == "onecycle" and saved["train"]["lr"] == RECIPES["mnist"].train["lr"]
    assert saved["train"]["epochs"] == 1  # the command line's own settings still win
