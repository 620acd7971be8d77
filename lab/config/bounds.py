"""Every number of an experiment a person sets, declared once: its range and its unit.

The config's ``validate`` refuses what lies outside, the pages' widgets offer exactly this
range (``widget_range``), and the CLI's argument types (``lab.cli._args``) parse into it, so a
value one of them accepts the others accept too (``tests/test_bounds_declared.py``). Before
this table the form's seed stopped at 2**31-1 while a config took 2**32-1, and the form's
early-stopping patience at 100 while a config took 500.

The numbers themselves that guard the server (``MAX_EPOCHS``, ``MAX_SEED``...) stay in
``lab.config.limits``; this table says which field each one bounds.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from lab.config import limits


@dataclass(frozen=True)
class Bound:
    low: float
    high: float  # math.inf: no upper bound
    unit: str = ""  # what the number counts: "epochs", "pixels", "images"; "" for a plain number or factor
    # An open end is refused itself (a momentum of 1 never forgets; a step_gamma of 0 stops
    # learning after the first step); a widget then offers the nearest value it should.
    open_low: bool = False
    open_high: bool = False
    near_low: float | None = None
    near_high: float | None = None

    def __contains__(self, value) -> bool:
        above = value > self.low if self.open_low else value >= self.low
        below = value < self.high if self.open_high else value <= self.high
        return bool(above and below)

    @property
    def widget_min(self):
        return self.near_low if self.open_low else self.low

    @property
    def widget_max(self):
        """``None`` where there is no upper bound (Streamlit's number_input takes that)."""
        if math.isinf(self.high):
            return None
        return self.near_high if self.open_high else self.high

    def widget_range(self) -> tuple:
        """(min_value, max_value) for a Streamlit number_input or slider."""
        return self.widget_min, self.widget_max

    def why(self, key: str | None = None) -> tuple[str, dict]:
        """The catalogue reason "is outside low..high[ unit]"; ``key`` for a field whose
        message has always read differently."""
        key = key or {"epochs": "config.why.outside_epochs", "pixels": "config.why.outside_pixels"}.get(
            self.unit, "config.why.outside")
        return key, {"low": _shown(self.widget_min), "high": _shown(self.widget_max)}


def _shown(x):
    """A bound as the messages print it: 0 and 10 (not 0.0, 10.0), 0.999, "1e-6"."""
    if isinstance(x, float) and x.is_integer():
        return int(x)
    if isinstance(x, float) and abs(x) < 1e-3:
        return re.sub(r"e([+-])0*(\d)", r"e\1\2", f"{x:g}")
    return x


SEED = Bound(0, limits.MAX_SEED)  # NumPy's seeds are 32-bit

# --- train: TrainConfig's fields -----------------------------------------------------------------
TRAIN = {
    "lr": Bound(1e-6, 10.0),
    "weight_decay": Bound(0.0, 1.0),
    "momentum": Bound(0.0, 1.0, open_high=True, near_high=0.999),
    "step_epochs": Bound(1, limits.MAX_EPOCHS, "epochs"),
    "step_gamma": Bound(0.0, 1.0, open_low=True, near_low=0.01),
    "epochs": Bound(1, limits.MAX_EPOCHS, "epochs"),
    "batch_size": Bound(1, limits.MAX_BATCH, "images"),
    "label_smoothing": Bound(0.0, 0.5),
    "grad_clip": Bound(0.0, math.inf, open_high=True),  # a gradient norm; 0 = off
    "early_stopping": Bound(0, limits.MAX_EPOCHS, "epochs"),  # patience; 0 = off
    "seed": SEED,
}

# --- train: starting from weights that already exist (issue 22); not in TRAIN: ``freeze`` is
# also a word ("none", "features"), and these fields are read by the "Start from" section
TRANSFER = {
    # "all but the last N groups" are frozen; a LabNet has at most MAX_BLOCKS blocks and a head,
    # a torchvision model a handful of stages: 32 leaves room for both
    "freeze": Bound(1, limits.MAX_FREEZE_GROUPS, "groups"),
    # the learning rate of the layers that were loaded is lr x this (1: the same as the new ones)
    "pretrained_lr_factor": Bound(0.0, 1.0, open_low=True, near_low=0.001),
}

# --- data: DataConfig's fields -------------------------------------------------------------------
DATA = {
    "val_fraction": Bound(0.05, 0.5),
    "image_size": Bound(8, 256, "pixels"),  # image folders are decoded to this square side
    "split_seed": SEED,
    "train_limit": Bound(0, limits.MAX_TRAIN_LIMIT, "images"),  # 0 = all
}
# how many classes data.classes may name (0: all of them); not a DataConfig number, a list's length
CLASS_COUNT = Bound(2, limits.MAX_CLASSES)

# --- model: ConvBlock's and ModelConfig's fields -------------------------------------------------
BLOCK = {
    "filters": Bound(1, limits.MAX_FILTERS),
    "convs": Bound(1, 3),
    "dropout": Bound(0.0, 0.9),
    "kernel": Bound(1, limits.MAX_LAYER_NUMBER, "pixels"),
    "stride": Bound(1, limits.MAX_LAYER_NUMBER, "pixels"),
    "padding": Bound(0, limits.MAX_LAYER_NUMBER, "pixels"),
    "dilation": Bound(1, limits.MAX_LAYER_NUMBER, "pixels"),
    "pool_size": Bound(1, limits.MAX_LAYER_NUMBER, "pixels"),
}
MODEL = {
    "blocks": Bound(1, limits.MAX_BLOCKS),  # how many conv blocks
    "head_dropout": Bound(0.0, 0.9),
}

# --- the command line only: not part of an experiment ------------------------------------------
THREADS = Bound(1, limits.MAX_THREADS)
