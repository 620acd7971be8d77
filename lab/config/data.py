"""Which images an experiment trains on and how they are split."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from lab.config import limits
from lab.config.base import ConfigError

BUILTIN_DATASETS = ("mnist", "fashion-mnist", "cifar10")


@dataclass
class DataConfig:
    # "mnist" | "fashion-mnist" | "cifar10" | a path to an image folder (one subfolder per class)
    dataset: str = "mnist"
    val_fraction: float = 0.2  # share of the training split held out for validation, 0.05..0.5
    split_seed: int = 0  # seeds the stratified train/validation split
    # Image folders only: every image is decoded once to this square size (pixels, 8..256)
    image_size: int = 32
    color: Literal["rgb", "grayscale"] = "rgb"  # image folders only
    train_limit: int = 0  # use at most this many training images (stratified); 0 = all

    def validate(self, path: str = "") -> None:
        p = f"{path}." if path else ""
        if not self.dataset.strip():
            raise ConfigError(f"{p}dataset: name a dataset ({', '.join(BUILTIN_DATASETS)}) or a folder")
        if not 0.05 <= self.val_fraction <= 0.5:
            raise ConfigError(f"{p}val_fraction: {self.val_fraction} is outside 0.05..0.5")
        if not 8 <= self.image_size <= 256:
            raise ConfigError(f"{p}image_size: {self.image_size} is outside 8..256 pixels")
        if not 0 <= self.split_seed <= limits.MAX_SEED:
            raise ConfigError(f"{p}split_seed: {self.split_seed} is outside 0..{limits.MAX_SEED}")
        if not 0 <= self.train_limit <= limits.MAX_TRAIN_LIMIT:
            raise ConfigError(f"{p}train_limit: must be 0 (all) or a number of images up to {limits.MAX_TRAIN_LIMIT:,}")
