"""Batches straight from the in-memory uint8 tensors: the engine's fast data path.

The tutorial way decodes a PIL image, converts it to float and normalises it once per
sample per epoch in worker processes, then pickles each batch back to the trainer.
Here a batch is one index into a uint8 (N, C, H, W) tensor (already on the GPU when
training there), one batched augmentation call and one fused convert-and-normalise:
no per-sample Python, no worker processes, a quarter of the memory traffic until the
last moment.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from lab import augment
from lab.config import TransformStep


def epoch_order(n: int, gen: torch.Generator) -> torch.Tensor:
    """A fresh random permutation of 0..n-1 from the run's own shuffling generator (CPU)."""
    return torch.randperm(n, generator=gen)


def batch_slices(n: int, batch_size: int) -> list[tuple[int, int]]:
    """(start, stop) of each batch. A last batch of one image is folded into the one
    before: BatchNorm cannot compute a variance from a single image."""
    bounds = [(s, min(s + batch_size, n)) for s in range(0, n, batch_size)]
    if len(bounds) > 1 and bounds[-1][1] - bounds[-1][0] == 1:
        bounds[-2:] = [(bounds[-2][0], n)]
    return bounds


def train_batch(x_u8: torch.Tensor, steps: list[TransformStep], mean, std,
                gen: torch.Generator | None, shape: tuple[int, int, int], channels_last: bool) -> torch.Tensor:
    """uint8 batch -> augmented (training only), normalised float batch of ``shape``."""
    if steps:
        x_u8 = augment.augment_batch(x_u8, steps, gen)
    return to_model_input(x_u8, mean, std, shape, channels_last)


def to_model_input(x_u8: torch.Tensor, mean, std, shape: tuple[int, int, int] | None = None,
                   channels_last: bool = False) -> torch.Tensor:
    """Normalise a uint8 batch; fit validation/test images to the size the model takes
    when the training augmentation changes it (a 28-px RandomCrop of 32-px images: the
    centre crop, as torchvision's CenterCrop would)."""
    if shape is not None and tuple(x_u8.shape[-2:]) != tuple(shape[-2:]):
        x_u8 = fit_size(x_u8, shape[-2:])
    x = augment.normalize(x_u8, mean, std)
    if channels_last:
        x = x.contiguous(memory_format=torch.channels_last)
    return x


def fit_size(x_u8: torch.Tensor, size) -> torch.Tensor:
    """Centre-crop (larger images) or resize (smaller ones) a uint8 batch to ``size`` (H, W)."""
    h, w = x_u8.shape[-2:]
    th, tw = int(size[0]), int(size[1])
    if h >= th and w >= tw:
        top, left = (h - th) // 2, (w - tw) // 2
        return x_u8[..., top:top + th, left:left + tw]
    up = F.interpolate(x_u8.float(), size=(th, tw), mode="bilinear", align_corners=False, antialias=False)
    return up.round_().clamp_(0, 255).to(torch.uint8)
