"""The training part of an experiment. Defaults are the course's starting point."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from lab.config import limits
from lab.config.base import ConfigError


@dataclass
class TrainConfig:
    optimizer: Literal["adam", "adamw", "sgd"] = "adam"  # the course: start with Adam
    lr: float = 1e-3  # learning rate, 1e-6..10
    weight_decay: float = 0.0  # L2 penalty; the course starts at 0
    momentum: float = 0.9  # SGD only
    schedule: Literal["none", "step", "cosine", "onecycle"] = "none"
    step_epochs: int = 5  # "step" schedule: multiply lr by step_gamma every this many epochs
    step_gamma: float = 0.1
    epochs: int = 5  # 1..500
    batch_size: int = 64  # images per step, 1..4096
    label_smoothing: float = 0.0  # 0..0.5
    grad_clip: float = 0.0  # max gradient norm; 0 = off
    mixed_precision: bool = False  # autocast where the device supports it (CUDA)
    early_stopping: int = 0  # patience in epochs on validation loss; 0 = off
    seed: int = 0  # seeds Python, NumPy and torch for the run, 0..2**32-1
    device: Literal["auto", "cpu", "cuda", "mps"] = "auto"

    def validate(self, path: str = "") -> None:
        p = f"{path}." if path else ""
        checks = [
            ("lr", 1e-6 <= self.lr <= 10.0, "is outside 1e-6..10"),
            ("weight_decay", 0.0 <= self.weight_decay <= 1.0, "is outside 0..1"),
            ("momentum", 0.0 <= self.momentum < 1.0, "is outside 0..0.999"),
            ("step_epochs", 1 <= self.step_epochs <= limits.MAX_EPOCHS, f"is outside 1..{limits.MAX_EPOCHS} epochs"),
            ("step_gamma", 0.0 < self.step_gamma <= 1.0, "is outside 0..1 (the lr is multiplied by it)"),
            ("epochs", 1 <= self.epochs <= limits.MAX_EPOCHS, f"is outside 1..{limits.MAX_EPOCHS}"),
            ("batch_size", 1 <= self.batch_size <= limits.MAX_BATCH, f"is outside 1..{limits.MAX_BATCH}"),
            ("label_smoothing", 0.0 <= self.label_smoothing <= 0.5, "is outside 0..0.5"),
            ("grad_clip", 0.0 <= self.grad_clip < float("inf"), "must be 0 (off) or a positive gradient norm"),
            ("early_stopping", 0 <= self.early_stopping <= limits.MAX_EPOCHS,
             f"must be 0 (off) or a patience in epochs up to {limits.MAX_EPOCHS}"),
            ("seed", 0 <= self.seed <= limits.MAX_SEED, f"is outside 0..{limits.MAX_SEED}"),
        ]
        for name, ok, why in checks:
            if not ok:
                raise ConfigError(f"{p}{name}: {getattr(self, name)} {why}")
