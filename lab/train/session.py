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
from pathlib import Path

import torch

from lab.config import ExperimentConfig
from lab.data import ImageData, Splits, channel_stats, load, make_splits
from lab.data.subset import keep_classes
from lab.errors import LabError
from lab.paths import allow_download, data_dir as resolved_data_dir
from lab.inspect import save_initial_filters
from lab.model.bounds import check_plan
from lab.model.messages import layer_problem
from lab.model.plan import make_plan
from lab.model.inputs import input_shape
from lab.train.breaks import broken_splits, broken_stats
from lab.train.checks import overfit_one_batch
from lab.train.device import pick_device
from lab.train.evaluate import loss_and_accuracy
from lab.train.loop import train
from lab.train.prepared import Prepared, assemble
from lab.train.transfer import write_record

__all__ = ["Prepared", "cannot_train", "clear_cache", "load_data", "overfit", "prepare", "run", "test_score",
           "train_blocker"]


# The caches are keyed by the resolved data folder and whether downloads are allowed, not by
# the argument: with None ("where $LAB_DATA_DIR points") a process that saw another folder, or
# went offline and fell back to the bundled samples, would hand a later run the other images.
@functools.lru_cache(maxsize=8)
def _cached_whole(dataset: str, data_dir: str, size: int, color: str, online: bool) -> ImageData:
    return load(dataset, data_dir, size=size, color=color, download=online)


@functools.lru_cache(maxsize=8)
def _cached_load(dataset: str, data_dir: str, size: int, color: str, online: bool, classes: tuple = ()) -> ImageData:
    """The dataset, or the subset of ``classes`` (``data.classes``: relabelled 0..k-1)."""
    return keep_classes(_cached_whole(dataset, data_dir, size, color, online), list(classes))


@functools.lru_cache(maxsize=16)
def _cached_split(source: tuple, val_fraction: float, split_seed: int, train_limit: int,
                  classes: tuple = ()) -> tuple[Splits, list[float], list[float]]:
    """``source``: ``_cached_whole``'s arguments (dataset, data folder, size, colour, online)."""
    splits = make_splits(_cached_load(*source, classes), val_fraction, split_seed, train_limit)
    mean, std = channel_stats(splits.train_x)
    return splits, mean, std


def load_data(config: ExperimentConfig, data_dir: str | Path | None = None) -> tuple[ImageData, Splits, list, list]:
    """The dataset, its split and the training split's statistics, kept in memory for the
    next run of this process (a worker stays warm: the second MNIST run loads nothing)."""
    d = config.data
    key, online = str(resolved_data_dir(data_dir)), allow_download()
    data = _cached_load(d.dataset, key, d.image_size, d.color, online, tuple(d.classes))
    splits, mean, std = _cached_split((d.dataset, key, d.image_size, d.color, online), d.val_fraction, d.split_seed,
                                      d.train_limit, tuple(d.classes))
    return data, splits, list(mean), list(std)


def prepare(config: ExperimentConfig, data_dir: str | Path | None = None, workspace: str | Path | None = None) -> Prepared:
    """Data, split, statistics, input size and the seeded model for ``config`` (already
    within the classroom caps: those are applied when a run is submitted), initialised from
    existing weights where ``config.train.init_from`` says (``workspace``: the journal whose
    run ids and uploaded weights it may name)."""
    pick_device(config.train.device)  # a device this machine lacks: refused before any run exists
    data, splits, mean, std = load_data(config, data_dir)
    splits = broken_splits(config, splits)  # "break it on purpose": all off unless a student turned one on
    return assemble(config, data, splits, broken_stats(config, mean, std), workspace=workspace)


def run(prepared: Prepared, run=None, *, listeners=(), stop=None, device=None, channels_last=None):
    """Train ``prepared`` (journalled into ``run``, a ``lab.runs.store.Run``, when given).

    The global RNG is reseeded from the config's seed first: Dropout draws from it, so a
    run repeats exactly whatever the process did before (a warm worker, a test suite).
    Returns ``lab.train.TrainResult``.
    """
    if run is not None:  # the first layer before training, for Inside the model's "what training changed"
        save_initial_filters(run.dir, prepared.model)
        if prepared.transfer is not None:  # what it started from, for the journal
            write_record(run, prepared.transfer)
    torch.manual_seed(prepared.config.train.seed + 2)
    return train(prepared, run, listeners=listeners, stop=stop, device=device, channels_last=channels_last)


def overfit(prepared: Prepared, *, listeners=(), steps: int = 50) -> dict:
    """"Overfit one batch" on ``prepared``'s training split (see ``lab.train.checks``)."""
    return overfit_one_batch(prepared, steps=steps, listeners=listeners)


def test_score(prepared: Prepared, model: torch.nn.Module) -> tuple[float, float]:
    """(loss, accuracy) of ``model`` on the whole test split, for the engine's own benchmarks
    and tests. A student's run is never scored here: the Journal's "Evaluate on test" and
    ``lab evaluate`` go through ``lab.runs.evaluation``, which counts every look at the test set."""
    device = next(model.parameters()).device
    return loss_and_accuracy(model, prepared.splits.test_x, prepared.splits.test_y, prepared.mean, prepared.std,
                             device, shape=prepared.input_shape)


def clear_cache() -> None:
    """Forget the datasets this process holds (tests)."""
    _cached_whole.cache_clear()
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
