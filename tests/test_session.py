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
