"""The one way from an experiment config to a trained run: ``prepare`` then ``run``.

Every caller goes through these two functions: the Training page's worker, ``lab
train``, ``lab submit``'s worker, ``lab bench`` and the tests. So one config gives one
model wherever it is trained: the same data and split, the same training-split
statistics, the same input size, the same initial weights, the same dropout draws.

    prepared = prepare(config, data_dir)             # data, split, stats, model
    result = run(prepared, run=store.create(...))    # -> TrainResult

``prepare`` raises ``LabError`` for anything wrong with the experiment (an unknown
dataset, an architecture that does not fit the images, a missing device) before a
run folder exists, so a run that cannot start never reaches the journal.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import torch

from lab.config import ExperimentConfig
from lab.data import ImageData, Splits, channel_stats, make_splits
from lab.model.inputs import input_shape
from lab.train.device import pick_device, seeded


@dataclass
class Prepared:
    """Everything ``run`` needs, computed once from the config."""

    config: ExperimentConfig
    data: ImageData  # the whole dataset (class names, source, notes)
    splits: Splits  # uint8 train / val / test
    mean: list[float]  # per channel, 0..1, over the *training split* (what Normalize uses)
    std: list[float]
    input_shape: tuple[int, int, int]  # (C, H, W) the first layer sees, after the augmentation's crops
    model: torch.nn.Module  # built under the config's seed, on the CPU

    @property
    def classes(self) -> list[str]:
        return list(self.data.classes)


@functools.lru_cache(maxsize=8)
def _cached_load(dataset: str, data_dir: str | None, size: int, color: str) -> ImageData:
    from lab.data import load

    return load(dataset, data_dir, size=size, color=color)


@functools.lru_cache(maxsize=16)
def _cached_split(dataset: str, data_dir: str | None, size: int, color: str, val_fraction: float,
                  split_seed: int, train_limit: int) -> tuple[Splits, list[float], list[float]]:
    splits = make_splits(_cached_load(dataset, data_dir, size, color), val_fraction, split_seed, train_limit)
    mean, std = channel_stats(splits.train_x)
    return splits, mean, std


def load_data(config: ExperimentConfig, data_dir: str | Path | None = None) -> tuple[ImageData, Splits, list, list]:
    """The dataset, its split and the training split's statistics, kept in memory for the
    next run of this process (a worker stays warm: the second MNIST run loads nothing)."""
    d = config.data
    key = str(data_dir) if data_dir else None
    data = _cached_load(d.dataset, key, d.image_size, d.color)
    splits, mean, std = _cached_split(d.dataset, key, d.image_size, d.color, d.val_fraction, d.split_seed,
                                      d.train_limit)
    return data, splits, list(mean), list(std)


def prepare(config: ExperimentConfig, data_dir: str | Path | None = None) -> Prepared:
    """Data, split, statistics, input size and the seeded model for ``config`` (already
    within the classroom caps: those are applied when a run is submitted)."""
    from lab.train.breaks import broken_model, broken_splits, broken_stats

    pick_device(config.train.device)  # a device this machine lacks: refused before any run exists
    data, splits, mean, std = load_data(config, data_dir)
    splits = broken_splits(config, splits)  # "break it on purpose": all off unless a student turned one on
    mean, std = broken_stats(config, mean, std)
    if len(splits.train_y) == 0 or len(splits.val_y) == 0:
        from lab.errors import keyed
        from lab.train.messages import MESSAGES

        raise keyed(MESSAGES, "train.nothing_to_train", train=len(splits.train_y), val=len(splits.val_y))
    shape = input_shape(config, tuple(int(v) for v in splits.train_x.shape[1:]))
    from lab.model import build_model

    with seeded(config.train.seed):
        model = build_model(config.model, shape, len(data.classes))
    return Prepared(config, data, splits, mean, std, shape, broken_model(config, model))


def run(prepared: Prepared, run=None, *, listeners=(), stop=None, device=None, channels_last=None):
    """Train ``prepared`` (journalled into ``run``, a ``lab.runs.store.Run``, when given).

    The global RNG is reseeded from the config's seed first: Dropout draws from it, so a
    run repeats exactly whatever the process did before (a warm worker, a test suite).
    Returns ``lab.train.TrainResult``.
    """
    from lab.train.loop import train

    if run is not None:  # the first layer before training, for Inside the model's "what training changed"
        from lab.inspect import save_initial_filters

        save_initial_filters(run.dir, prepared.model)
    torch.manual_seed(prepared.config.train.seed + 2)
    return train(prepared.config, prepared.splits, classes=prepared.classes, mean=prepared.mean, std=prepared.std,
                 run=run, listeners=listeners, stop=stop, device=device, model=prepared.model,
                 channels_last=channels_last)


def overfit(prepared: Prepared, *, listeners=(), steps: int = 50) -> dict:
    """"Overfit one batch" on ``prepared``'s training split (see ``lab.train.checks``)."""
    from lab.train.checks import overfit_one_batch

    return overfit_one_batch(prepared.config, prepared.splits, classes=prepared.classes, mean=prepared.mean,
                             std=prepared.std, steps=steps, listeners=listeners)


def test_score(prepared: Prepared, model: torch.nn.Module) -> tuple[float, float]:
    """(loss, accuracy) of ``model`` on the whole test split, for the engine's own benchmarks
    and tests. A student's run is never scored here: the Journal's "Evaluate on test" and
    ``lab evaluate`` go through ``lab.runs.evaluation``, which counts every look at the test set."""
    from lab.train.evaluate import loss_and_accuracy

    device = next(model.parameters()).device
    return loss_and_accuracy(model, prepared.splits.test_x, prepared.splits.test_y, prepared.mean, prepared.std,
                             device, shape=prepared.input_shape)


def clear_cache() -> None:
    """Forget the datasets this process holds (tests)."""
    _cached_load.cache_clear()
    _cached_split.cache_clear()


def cannot_train(config: ExperimentConfig, raw_shape: tuple[int, int, int], num_classes: int) -> str | None:
    """Why ``config`` cannot train on images of ``raw_shape`` (an augmentation that does
    not fit, a layer whose output would be empty), in English, or None."""
    problem = train_blocker(config, raw_shape, num_classes)
    return str(problem) if problem is not None else None


def train_blocker(config: ExperimentConfig, raw_shape: tuple[int, int, int], num_classes: int):
    """``cannot_train``'s reason as a LabError (keyed: the page shows it translated), or None.
    Cheap: no tensor is made, so the Training page can ask on every rerun and disable
    Train with the reason."""
    from lab.errors import LabError
    from lab.model.bounds import check_plan
    from lab.model.messages import layer_problem
    from lab.model.plan import make_plan

    try:
        shape = input_shape(config, raw_shape)
        plan = make_plan(config.model, shape, num_classes)
        problems = plan.problems()
        if problems:
            return layer_problem(problems[0])
        check_plan(plan)  # too many weights or too much memory per image: refused before anything is built
    except LabError as exc:
        return exc
    return None
