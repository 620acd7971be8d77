"""Stratified, seeded index splits: every class keeps its share in each part."""

from __future__ import annotations

from dataclasses import dataclass

import torch

from lab.data.images import ImageData


def stratified_split(labels: torch.Tensor, fraction: float, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Indices (kept, held_out): ``round(fraction * n_c)`` of each class c is held out.

    Both index tensors are sorted, so the same seed gives the same split whatever
    order the classes come in.
    """
    gen = torch.Generator().manual_seed(seed)
    kept, held = [], []
    for c in torch.unique(labels).tolist():
        idx = torch.nonzero(labels == c).flatten()
        idx = idx[torch.randperm(len(idx), generator=gen)]
        n_held = int(round(fraction * len(idx)))
        held.append(idx[:n_held])
        kept.append(idx[n_held:])
    return torch.cat(kept).sort().values, torch.cat(held).sort().values


def stratified_subset(labels: torch.Tensor, n: int, seed: int) -> torch.Tensor:
    """Sorted indices of exactly ``n`` items with the class proportions of ``labels``.

    Quotas by largest remainder, so 5,000 of MNIST is 5,000, not 5,001.
    """
    if n <= 0 or n >= len(labels):
        return torch.arange(len(labels))
    classes, counts = torch.unique(labels, return_counts=True)
    exact = counts.double() * n / len(labels)
    quota = exact.floor().long()
    short = n - int(quota.sum())
    if short:
        quota[torch.argsort(exact - quota, descending=True)[:short]] += 1
    gen = torch.Generator().manual_seed(seed)
    chosen = []
    for c, q in zip(classes.tolist(), quota.tolist()):
        idx = torch.nonzero(labels == c).flatten()
        chosen.append(idx[torch.randperm(len(idx), generator=gen)[:q]])
    return torch.cat(chosen).sort().values


@dataclass
class Splits:
    """Train / validation / test views of one ImageData (indexing copies, ~MBs)."""

    train_x: torch.Tensor
    train_y: torch.Tensor
    val_x: torch.Tensor
    val_y: torch.Tensor
    test_x: torch.Tensor
    test_y: torch.Tensor
    # where each training / validation image sits in the dataset's own training part
    # (``ImageData.train_x``): the "dataset index" a report names; None for hand-made splits
    train_index: torch.Tensor | None = None
    val_index: torch.Tensor | None = None

    def sizes(self) -> dict[str, int]:
        return {"train": len(self.train_y), "val": len(self.val_y), "test": len(self.test_y)}


def make_splits(data: ImageData, val_fraction: float = 0.2, seed: int = 0, train_limit: int = 0) -> Splits:
    """Split the dataset's training images into train and validation; test stays apart.

    ``train_limit`` caps the training part (stratified), e.g. for a quick run or a
    classroom server; the validation part is not cut, so scores stay comparable.
    """
    train_idx, val_idx = split_indices(data.train_y, val_fraction, seed, train_limit)
    return Splits(
        data.train_x[train_idx], data.train_y[train_idx],
        data.train_x[val_idx], data.train_y[val_idx],
        data.test_x, data.test_y, train_idx, val_idx,
    )


def split_indices(train_labels: torch.Tensor, val_fraction: float = 0.2, seed: int = 0,
                  train_limit: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """(train, validation) indices into the dataset's training part: the one place the
    split is decided (``make_splits`` and anything naming a validation image's index)."""
    train_idx, val_idx = stratified_split(train_labels, val_fraction, seed)
    if train_limit and train_limit < len(train_idx):
        keep = stratified_subset(train_labels[train_idx], train_limit, seed)
        train_idx = train_idx[keep]
    return train_idx, val_idx
