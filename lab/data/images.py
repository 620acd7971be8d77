"""The in-memory form every dataset takes: uint8 tensors (N, C, H, W) and int64 labels.

uint8 is four times smaller than float32 and converts on the fly per batch, which is
why all of MNIST (70,000 images) costs 55 MB here and every session can share it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

import torch

Source = Literal["full", "samples", "folder"]


@dataclass
class ImageData:
    name: str  # "mnist", "fashion-mnist", "cifar10" or the folder's name
    classes: list[str]
    train_x: torch.Tensor  # uint8 (N, C, H, W)
    train_y: torch.Tensor  # int64 (N,)
    test_x: torch.Tensor  # uint8 (M, C, H, W); may be empty for a folder without test/
    test_y: torch.Tensor
    source: Source = "full"  # full dataset, the bundled samples, or a user's folder
    origin: str = ""  # where it was loaded from (a path)
    notes: list[str] = field(default_factory=list)  # why samples were used, etc.
    # Image folders: files that could not be decoded, as (relative path, reason)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    original_sizes: Counter = field(default_factory=Counter)  # (W, H) -> count, folders
    original_modes: Counter = field(default_factory=Counter)  # "RGB"/"L"/"RGBA" -> count

    @property
    def shape(self) -> tuple[int, int, int]:
        c, h, w = self.train_x.shape[1:]
        return int(c), int(h), int(w)

    @property
    def num_classes(self) -> int:
        return len(self.classes)

    def __post_init__(self) -> None:
        assert self.train_x.dtype == torch.uint8 and self.train_x.dim() == 4, "train_x must be uint8 NCHW"
        assert len(self.train_x) == len(self.train_y)
        assert len(self.test_x) == len(self.test_y)


def channel_stats(x: torch.Tensor, chunk: int = 8192) -> tuple[list[float], list[float]]:
    """Exact per-channel mean and std of uint8 images scaled to 0..1.

    Sums in float64 chunk by chunk: one float32 pass over 60,000 images loses the
    fourth decimal, and the course checks MNIST's 0.1307 / 0.3081 to four.
    """
    c = x.shape[1]
    total = torch.zeros(c, dtype=torch.float64)
    total_sq = torch.zeros(c, dtype=torch.float64)
    for start in range(0, len(x), chunk):
        part = x[start : start + chunk].to(torch.float64) / 255.0
        total += part.sum(dim=(0, 2, 3))
        total_sq += (part * part).sum(dim=(0, 2, 3))
    n = x.shape[0] * x.shape[2] * x.shape[3]
    mean = total / n
    std = (total_sq / n - mean * mean).clamp_min(0).sqrt()
    return [float(m) for m in mean], [float(s) for s in std]
