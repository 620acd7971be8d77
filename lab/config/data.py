"""Which images an experiment trains on and how they are split."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from lab.config import limits
from lab.config.base import config_error

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
            raise config_error("config.no_dataset", path=f"{p}dataset", known=", ".join(BUILTIN_DATASETS))
        if not 0.05 <= self.val_fraction <= 0.5:
            raise config_error("config.value_why", path=f"{p}val_fraction", value=self.val_fraction,
                               why=("config.why.outside", {"low": 0.05, "high": 0.5}))
        if not 8 <= self.image_size <= 256:
            raise config_error("config.value_why", path=f"{p}image_size", value=self.image_size,
                               why=("config.why.outside_pixels", {"low": 8, "high": 256}))
        if not 0 <= self.split_seed <= limits.MAX_SEED:
            raise config_error("config.value_why", path=f"{p}split_seed", value=self.split_seed,
                               why=("config.why.outside", {"low": 0, "high": limits.MAX_SEED}))
        if not 0 <= self.train_limit <= limits.MAX_TRAIN_LIMIT:
            raise config_error("config.why_plain", path=f"{p}train_limit",
                               why=("config.why.train_limit", {"limit": limits.MAX_TRAIN_LIMIT}))
