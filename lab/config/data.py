"""Which images an experiment trains on and how they are split."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from lab.config.bounds import CLASS_COUNT, DATA
from lab.config.base import ConfigError, config_error
from lab.config.transfer_messages import MESSAGES as TRANSFER_MESSAGES
from lab.errors import keyed

BUILTIN_DATASETS = ("mnist", "fashion-mnist", "cifar10")
# how people write them (the config keeps the short lower-case ids): pages, notebook, reports
DATASET_NAMES = {"mnist": "MNIST", "fashion-mnist": "Fashion-MNIST", "cifar10": "CIFAR-10"}


@dataclass
class DataConfig:
    # every number's range and unit: lab.config.bounds.DATA
    # "mnist" | "fashion-mnist" | "cifar10" | a path to an image folder (one subfolder per class)
    dataset: str = "mnist"
    val_fraction: float = 0.2  # share of the training split held out for validation
    split_seed: int = 0  # seeds the stratified train/validation split
    # Image folders only: every image is decoded once to this square size, in pixels
    image_size: int = 32
    color: Literal["rgb", "grayscale"] = "rgb"  # image folders only
    train_limit: int = 0  # use at most this many training images (stratified); 0 = all
    # Keep only these classes, by name or by number, relabelled 0..k-1 in this order (train,
    # validation and test alike): pre-train on five CIFAR-10 classes, fine-tune on the other
    # five. Empty: every class. lab.data.subset.keep_classes applies it.
    classes: list[int | str] = field(default_factory=list)

    def validate(self, path: str = "") -> None:
        p = f"{path}." if path else ""
        if not self.dataset.strip():
            raise config_error("config.no_dataset", path=f"{p}dataset", known=", ".join(BUILTIN_DATASETS))
        for name in ("val_fraction", "image_size", "split_seed"):
            if getattr(self, name) not in DATA[name]:
                raise config_error("config.value_why", path=f"{p}{name}", value=getattr(self, name),
                                   why=DATA[name].why())
        self._validate_classes(f"{p}classes")
        if self.train_limit not in DATA["train_limit"]:
            raise config_error("config.why_plain", path=f"{p}train_limit",
                               why=("config.why.train_limit", {"limit": DATA["train_limit"].high}))

    def _validate_classes(self, path: str) -> None:
        if len(self.classes) == 1:
            raise keyed(TRANSFER_MESSAGES, "classes.too_few", ConfigError, path=path)
        if len(self.classes) > CLASS_COUNT.high:
            raise config_error("config.value_why", path=path, value=len(self.classes), why=CLASS_COUNT.why())
        seen = set()
        for c in self.classes:
            if isinstance(c, int) and c < 0:
                raise config_error("config.value_why", path=path, value=c, why=("config.why.at_least", {"low": 0}))
            if c in seen:
                raise keyed(TRANSFER_MESSAGES, "classes.repeated", ConfigError, path=path, name=repr(c))
            seen.add(c)
