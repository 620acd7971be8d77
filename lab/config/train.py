"""The training part of an experiment. Defaults are the course's starting point."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from lab.config.bounds import TRAIN, TRANSFER
from lab.config.base import ConfigError, config_error
from lab.config.transfer_messages import MESSAGES as TRANSFER_MESSAGES
from lab.errors import keyed

# train.init_from's words; anything else is a run id (of this journal) or a .pt file
SCRATCH, IMAGENET = "", "imagenet"
MAX_INIT_TEXT = 500  # characters: a run id is 22, a path of a few folders fits


@dataclass
class TrainConfig:
    # every number's range and unit: lab.config.bounds.TRAIN (validate, the form and the CLI read it)
    optimizer: Literal["adam", "adamw", "sgd"] = "adam"  # the course: start with Adam
    lr: float = 1e-3  # learning rate
    weight_decay: float = 0.0  # L2 penalty; the course starts at 0
    momentum: float = 0.9  # SGD only
    schedule: Literal["none", "step", "cosine", "onecycle"] = "none"
    step_epochs: int = 5  # "step" schedule: multiply lr by step_gamma every this many epochs
    step_gamma: float = 0.1
    epochs: int = 5  # passes over the training images
    batch_size: int = 64  # images per step
    label_smoothing: float = 0.0  # share of the target moved off the true class
    grad_clip: float = 0.0  # max gradient norm; 0 = off
    # bf16 autocast where it is native (CUDA, AVX512-BF16/AMX CPUs), else float32: on by default
    # because there it is 1.2-1.8x the steps per second at the same accuracy (issue 14)
    mixed_precision: bool = True
    early_stopping: int = 0  # patience in epochs on validation loss; 0 = off
    seed: int = 0  # seeds Python, NumPy and torch for the run
    device: Literal["auto", "cpu", "cuda", "mps"] = "auto"
    # Start from weights that already exist (issue 22): "" from scratch, a run id of this journal
    # (its best.pt), a .pt file (an upload kept in the journal's weights/ folder), or "imagenet"
    # (torchvision's weights, ready architectures only). Layers whose name and shape match load.
    init_from: str = SCRATCH
    # what does not train: "none", "features" (every group but the head), or N: all but the last
    # N groups (a LabNet's groups: block1..blockN, head); bounds.TRANSFER["freeze"]
    freeze: Literal["none", "features"] | int = "none"
    pretrained_lr_factor: float = 1.0  # loaded layers learn at lr x this; bounds.TRANSFER

    @property
    def transfer(self) -> bool:
        """Does this run start from existing weights or freeze anything?"""
        return self.init_from != SCRATCH or self.freeze != "none"

    def validate(self, path: str = "") -> None:
        p = f"{path}." if path else ""
        # the reasons these fields have always given; the others say "is outside low..high[ unit]"
        whys = {"epochs": TRAIN["epochs"].why("config.why.outside"),
                "step_gamma": ("config.why.gamma", {}), "grad_clip": ("config.why.grad_clip", {}),
                "early_stopping": ("config.why.patience", {"limit": TRAIN["early_stopping"].high})}
        for name, bound in TRAIN.items():
            if getattr(self, name) not in bound:
                raise config_error("config.value_why", path=f"{p}{name}", value=getattr(self, name),
                                   why=whys.get(name) or bound.why())
        self._validate_transfer(p)

    def _validate_transfer(self, p: str) -> None:
        if isinstance(self.freeze, int) and self.freeze not in TRANSFER["freeze"]:
            raise config_error("config.value_why", path=f"{p}freeze", value=self.freeze, why=TRANSFER["freeze"].why())
        if self.pretrained_lr_factor not in TRANSFER["pretrained_lr_factor"]:
            raise config_error("config.value_why", path=f"{p}pretrained_lr_factor", value=self.pretrained_lr_factor,
                               why=TRANSFER["pretrained_lr_factor"].why())
        text = self.init_from
        if len(text) > MAX_INIT_TEXT or text != text.strip() or any(not c.isprintable() for c in text):
            raise keyed(TRANSFER_MESSAGES, "transfer.init_text", ConfigError, path=f"{p}init_from",
                        value=repr(text[:60]))
