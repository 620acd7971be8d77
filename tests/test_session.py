"""The one entry point from config to trained run (``lab.train.session``): every caller
gets the same data, statistics, input size, model and first-layer record."""

from __future__ import annotations

import pytest
import torch

from lab.config import ExperimentConfig, TransformStep
from lab.errors import LabError
from lab.inspect import load_initial_filters
from lab.model import preset
from lab.model.inputs import input_shape
from lab.runs.store import RunStore
from lab.train import session


def capped_mnist(limit: int = 600) -> ExperimentConfig:
    cfg = ExperimentConfig()
    cfg.data.dataset, cfg.data.train_limit = "mnist", limit
    cfg.model = preset("baseline", "mnist")
    cfg.train.epochs, cfg.train.device = 1, "cpu"
    return cfg


def test_statistics_come_from_the_training_split_not_the_whole_training_set(shared_datasets):
    prepared = session.prepare(capped_mnist(600), shared_datasets)
    assert len(prepared.splits.train_y) == 600
    # the figures: 0.1307/0.3081 over all 60,000 images, 0.1326/0.3102 over this split
    assert prepared.mean[0] == pytest.approx(0.1326, abs=5e-4) and prepared.std[0] == pytest.approx(0.3102, abs=5e-4)


def test_the_input_size_is_one_function_for_the_engine_the_journal_and_the_pages(shared_datasets):
    from lab.runs import journal

    cfg = capped_mnist()
    cfg.augment.transforms = [TransformStep("RandomCrop", {"size": 24})]
    prepared = session.prepare(cfg, shared_datasets)
    assert prepared.input_shape == input_shape(cfg) == journal.input_shape(cfg) == (1, 24, 24)


def test_an_experiment_that_cannot_run_is_refused_before_any_run_exists(shared_datasets, tmp_path):
    cfg = capped_mnist()
    cfg.model = preset("mnist_cnn", "mnist")
    cfg.model.blocks = cfg.model.blocks * 2  # six poolings on 28x28
    assert "block" in session.cannot_train(cfg, (1, 28, 28), 10)
    assert session.cannot_train(capped_mnist(), (1, 28, 28), 10) is None
    with pytest.raises(LabError):
        session.prepare(cfg, shared_datasets)
    assert not RunStore(tmp_path).list()


def test_a_journalled_run_keeps_its_first_layer_as_initialised(shared_datasets, tmp_path):
    prepared = session.prepare(capped_mnist(300), shared_datasets)
    initial = next(p for n, p in prepared.model.named_parameters() if n.endswith("weight")).detach().clone()
    run = RunStore(tmp_path).create(prepared.config)
    session.run(prepared, run)
    saved = load_initial_filters(run.dir)
    state = torch.load(run.checkpoint_path("best"), weights_only=True)["state_dict"]
    trained = next(v for k, v in state.items() if k.endswith("weight"))  # the first conv's
    assert torch.equal(saved, initial) and not torch.equal(saved, trained)


def test_a_warm_process_repeats_a_run_exactly(shared_datasets):
    def once():
        cfg = capped_mnist(300)
        cfg.model = preset("mnist_cnn", "mnist")  # Dropout: the global RNG
        result = session.run(session.prepare(cfg, shared_datasets))
        return result.history[-1]["val_loss"]

    first = once()
    torch.rand(1000)  # anything else this process draws in between
    assert once() == first


def test_overfit_one_batch_checks_the_model_train_trains_after_a_random_crop(shared_datasets, monkeypatch):
    """With RandomCrop(24) Train's model takes 24x24 images; "Overfit one batch" goes through
    the same ``prepare`` so it checks that head, not one built for the raw 28x28 digits."""
    from lab.model import build_model
    from lab.train import checks

    cfg = capped_mnist(300)
    cfg.augment.transforms = [TransformStep("RandomCrop", {"size": 24})]
    prepared = session.prepare(cfg, shared_datasets)
    trained = []  # the parameters "Overfit one batch" hands its optimizer

    def spy(params, *args):
        params = list(params)
        trained.extend(params)
        return make_optimizer(params, *args)

    make_optimizer = checks.make_optimizer
    monkeypatch.setattr(checks, "make_optimizer", spy)
    result = session.overfit(prepared, steps=2)
    assert result["steps"] == 2 and len(result["losses"]) == 2

    def head(model):
        return [m for m in model.modules() if isinstance(m, torch.nn.Linear)][-1].in_features

    overfit_head = trained[-2].shape[1]  # the last Linear's weight: (classes, in_features)
    raw_head = head(build_model(cfg.model, (1, 28, 28), 10))
    assert overfit_head == head(prepared.model) == 32 * 11 * 11 != raw_head == 32 * 13 * 13
    # a copy was trained: the prepared model is still the untrained one Train would start from
    assert not any(p is q for p in trained for q in prepared.model.parameters())


def test_a_process_that_saw_another_data_folder_still_loads_the_one_it_is_pointed_at(shared_datasets, tmp_path,
                                                                                    monkeypatch):
    # the in-process cache was keyed by the data_dir argument: None meant "where $LAB_DATA_DIR
    # points", so a run after one in an empty folder (the bundled samples) got the samples too
    cfg = ExperimentConfig()
    cfg.data.dataset = "mnist"
    monkeypatch.setenv("LAB_DATA_DIR", str(tmp_path))  # no MNIST there: the 1,500 bundled samples
    samples, _, _, _ = session.load_data(cfg)
    assert samples.source == "samples"
    monkeypatch.setenv("LAB_DATA_DIR", str(shared_datasets))
    full, splits, _, _ = session.load_data(cfg)
    assert full.source == "full" and len(full.train_y) == 60_000 and len(splits.val_y) == 12_000
