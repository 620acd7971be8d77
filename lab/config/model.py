"""The architecture part of an experiment: a CNN described as data.

The builder page edits this; ``lab.model`` turns it into an ``nn.Module`` and traces its
shapes. The input shape is never stored here: it comes from the dataset and the
augmentation, and the first Linear layer's ``in_features`` is always computed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from lab.config import limits
from lab.config.base import config_error

Activation = Literal["relu", "leaky_relu", "gelu", "elu", "silu", "tanh", "sigmoid", "none"]


@dataclass
class ConvBlock:
    filters: int = 32  # output channels of each conv in the block, 1..1024
    kernel: int | list[int] = 3  # one number or [H, W]
    stride: int | list[int] = 1
    padding: int | list[int] = 0  # zeros added on each side
    dilation: int | list[int] = 1
    convs: int = 1  # conv layers in this block (the first changes the channels), 1..3
    batchnorm: bool = False  # BatchNorm2d after each conv
    activation: Activation = "relu"
    residual: bool = False  # add the block's input to its convs' output (needs convs >= 2 and a size-keeping
    # padding; a 1x1 conv shortcut matches a change of channels or stride)
    pool: Literal["none", "max", "avg"] = "max"
    pool_size: int = 2  # pooling kernel = stride, pixels
    dropout: float = 0.0  # Dropout2d probability after the block, 0..0.9

    def validate(self, path: str = "") -> None:
        if not 1 <= self.filters <= limits.MAX_FILTERS:
            raise config_error("config.value_why", path=f"{path}.filters", value=self.filters,
                               why=("config.why.outside", {"low": 1, "high": limits.MAX_FILTERS}))
        if not 1 <= self.convs <= 3:
            raise config_error("config.value_why", path=f"{path}.convs", value=self.convs,
                               why=("config.why.outside", {"low": 1, "high": 3}))
        if not 0.0 <= self.dropout <= 0.9:
            raise config_error("config.value_why", path=f"{path}.dropout", value=self.dropout,
                               why=("config.why.outside", {"low": 0, "high": 0.9}))
        for name in ("kernel", "stride", "padding", "dilation"):
            value = getattr(self, name)
            pair = value if isinstance(value, list) else [value]
            if len(pair) not in (1, 2):
                raise config_error("config.why_plain", path=f"{path}.{name}", why=("config.why.pair", {}))
            low = 0 if name == "padding" else 1
            if any(v < low for v in pair):
                raise config_error("config.why_plain", path=f"{path}.{name}", why=("config.why.at_least", {"low": low}))
            if any(v > limits.MAX_LAYER_NUMBER for v in pair):
                raise config_error("config.why_plain", path=f"{path}.{name}",
                                   why=("config.why.over_limit", {"value": max(pair), "limit": limits.MAX_LAYER_NUMBER}))
        if self.pool != "none" and not 1 <= self.pool_size <= limits.MAX_LAYER_NUMBER:
            raise config_error("config.value_why", path=f"{path}.pool_size", value=self.pool_size,
                               why=("config.why.outside", {"low": 1, "high": limits.MAX_LAYER_NUMBER}))


@dataclass
class ModelConfig:
    preset: str = "baseline"  # the preset this architecture started from (informational)
    blocks: list[ConvBlock] = field(default_factory=lambda: [ConvBlock()])  # 1..10 blocks
    head: Literal["flatten", "gap"] = "flatten"  # flatten, or global average pooling
    hidden: list[int] = field(default_factory=list)  # hidden Linear sizes before the output
    head_dropout: float = 0.0  # Dropout before each hidden and the output Linear, 0..0.9
    head_activation: Activation = "relu"  # between hidden Linear layers

    def validate(self, path: str = "") -> None:
        p = f"{path}." if path else ""
        if not 1 <= len(self.blocks) <= limits.MAX_BLOCKS:
            raise config_error("config.why_plain", path=f"{p}blocks",
                               why=("config.why.blocks", {"limit": limits.MAX_BLOCKS, "n": len(self.blocks)}))
        check_hidden(self.hidden, f"{p}hidden")
        if not 0.0 <= self.head_dropout <= 0.9:
            raise config_error("config.value_why", path=f"{p}head_dropout", value=self.head_dropout,
                               why=("config.why.outside", {"low": 0, "high": 0.9}))


def check_hidden(hidden: list[int], field: str = "hidden") -> None:
    """Hidden Linear sizes: each 1..MAX_HIDDEN_UNITS, at most MAX_HIDDEN_LAYERS of them."""
    if len(hidden) > limits.MAX_HIDDEN_LAYERS:
        raise config_error("model.hidden_count", field=field, n=len(hidden), limit=limits.MAX_HIDDEN_LAYERS)
    for size in hidden:
        if size < 1:
            raise config_error("model.hidden_zero", field=field)
        if size > limits.MAX_HIDDEN_UNITS:
            raise config_error("model.hidden_units", field=field, size=size, limit=limits.MAX_HIDDEN_UNITS)
