"""What each "break it on purpose" switch (``lab.config.breaks``) does to a run.

Applied on the one path every run takes (``lab.train.session.prepare``, and the loop and
"Overfit one batch" where they build a model or an optimizer themselves), so a switch
breaks the page's runs, ``lab train``'s and the tests' alike:

- ``softmax_output``: a forward hook turns the model's logits into probabilities. A hook
  adds no weights, so checkpoints keep the plain model's keys (Prediction loads them as
  usual: the argmax is the same).
- ``no_normalization``: the statistics become mean 0, std 1/255, so ``(x / 255 - mean) /
  std`` is the raw pixel value 0..255.
- ``shuffle_labels``: the training labels are permuted among the training images (seeded
  by the run's seed); validation and test keep the true labels.
- ``lr_x100``: the optimizer (and the schedule) see 100x the configured learning rate.
"""

from __future__ import annotations

import dataclasses

import torch

from lab.config import ExperimentConfig, TrainConfig

LR_FACTOR = 100.0


def effective_train(config: ExperimentConfig) -> TrainConfig:
    """The training settings the optimizer uses: ``config.train`` with lr x100 if that switch is on."""
    if config.breaks.lr_x100:
        return dataclasses.replace(config.train, lr=config.train.lr * LR_FACTOR)
    return config.train


def broken_stats(config: ExperimentConfig, mean: list[float], std: list[float]) -> tuple[list[float], list[float]]:
    if config.breaks.no_normalization:
        return [0.0] * len(mean), [1.0 / 255.0] * len(std)
    return list(mean), list(std)


def broken_splits(config: ExperimentConfig, splits):
    """``splits`` with the training labels shuffled (a copy: the cached splits stay true)."""
    if not config.breaks.shuffle_labels:
        return splits
    gen = torch.Generator().manual_seed(config.train.seed + 7)
    order = torch.randperm(len(splits.train_y), generator=gen)
    return dataclasses.replace(splits, train_y=splits.train_y[order].clone())


def _softmax_hook(module, inputs, output):
    return torch.softmax(output, dim=1)


def broken_model(config: ExperimentConfig, model: torch.nn.Module) -> torch.nn.Module:
    """``model`` with a softmax after its last layer if that switch is on (once)."""
    if config.breaks.softmax_output and not getattr(model, "_lab_softmax_output", False):
        model.register_forward_hook(_softmax_hook)
        model._lab_softmax_output = True
    return model
