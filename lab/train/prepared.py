"""``Prepared``: one experiment made ready to train, computed once.

Everything a run needs that follows from the config and the data: the split, the
training split's statistics, the input size the first layer sees (after the
augmentation's crops) and the model built under the config's seed. The loop, "Overfit
one batch" and the reports all read it from here, so none of them recomputes a shape or
rebuilds a model its own way. ``lab.train.session.prepare`` makes one from a dataset on
disk; ``from_splits`` from tensors a caller already holds (the tests, the benchmarks).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import torch

from lab.config import ExperimentConfig
from lab.errors import keyed
from lab.data import ImageData, Splits
from lab.model import build_model
from lab.model.inputs import input_shape, raw_image_shape
from lab.train.breaks import broken_model
from lab.train.device import seeded
from lab.train.messages import MESSAGES
from lab.train.transfer import Transfer, initialise


@dataclass
class Prepared:
    """Everything ``lab.train.loop.train`` needs, computed once from the config."""

    config: ExperimentConfig
    data: ImageData  # the whole dataset (class names, source, notes)
    splits: Splits  # uint8 train / val / test
    mean: list[float]  # per channel, 0..1, over the *training split* (what Normalize uses)
    std: list[float]
    input_shape: tuple[int, int, int]  # (C, H, W) the first layer sees, after the augmentation's crops
    model: torch.nn.Module  # built under the config's seed, on the CPU until a run moves it
    # what the model was initialised from and what is frozen (train.init_from / freeze); None
    # for a run from scratch with nothing frozen
    transfer: Transfer | None = None

    @property
    def classes(self) -> list[str]:
        return list(self.data.classes)


def assemble(config: ExperimentConfig, data: ImageData, splits: Splits, stats: tuple[list, list],
             model: torch.nn.Module | None = None, workspace: str | Path | None = None) -> Prepared:
    """The ``Prepared`` of ``splits``: refuses an empty split, works out the input size and
    builds the model under the seed (or takes ``model``, a hand-made one), "break it on
    purpose" switches included, then loads existing weights and freezes as ``config.train``
    says (``lab.train.transfer``; ``workspace``: the journal its run ids and uploads are in).
    ``stats``: (mean, std) of the training split."""
    if len(splits.train_y) == 0 or len(splits.val_y) == 0:
        raise keyed(MESSAGES, "train.nothing_to_train", train=len(splits.train_y), val=len(splits.val_y))
    shape = input_shape(config, raw_image_shape(splits))
    # Seeded even for a given model: the global RNG (Dropout's draws) then starts from the
    # seed whichever way the model came
    with seeded(config.train.seed):
        if model is None:
            model = build_model(config.model, shape, len(data.classes))
    transfer = None
    if config.train.transfer:  # after the seeded build: a new head starts as it would from scratch
        transfer = initialise(model, config.train, workspace, list(data.classes), config.model.arch)
    mean, std = stats
    return Prepared(config, data, splits, list(mean), list(std), shape, broken_model(config, model), transfer)


def from_splits(config: ExperimentConfig, splits: Splits, classes: list[str], stats: tuple[list, list],
                model: torch.nn.Module | None = None, workspace: str | Path | None = None) -> Prepared:
    """A ``Prepared`` for splits a caller already holds (no dataset is loaded, no switch
    touches the data): the tests' and benchmarks' way into ``train``."""
    data = ImageData(name=config.data.dataset, classes=list(classes), train_x=splits.train_x,
                     train_y=splits.train_y, test_x=splits.test_x, test_y=splits.test_y)
    return assemble(config, data, splits, stats, model, workspace)
