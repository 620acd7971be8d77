"""The architecture part of an experiment: a CNN described as data.

The builder page edits this; ``lab.model`` turns it into an ``nn.Module`` and traces its
shapes. The input shape is never stored here: it comes from the dataset and the
augmentation, and the first Linear layer's ``in_features`` is always computed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from lab.config import limits
from lab.config.bounds import BLOCK, MODEL
from lab.config.base import config_error
from lab.errors import did_you_mean

# torchvision constructors the lab offers as ready architectures (lab.model.ready); "" = the lab's own blocks
ReadyArch = Literal["", "resnet18", "mobilenet_v3_small", "vgg11_bn"]
READY_ARCHS: tuple[str, ...] = tuple(a for a in ReadyArch.__args__ if a)
Activation = Literal["relu", "leaky_relu", "gelu", "elu", "silu", "tanh", "sigmoid", "none"]


@dataclass
class ConvBlock:
    # every number's range and unit: lab.config.bounds.BLOCK (ModelConfig's: bounds.MODEL)
    filters: int = 32  # output channels of each conv in the block
    kernel: int | list[int] = 3  # one number or [H, W]
    stride: int | list[int] = 1
    padding: int | list[int] = 0  # zeros added on each side
    dilation: int | list[int] = 1
    convs: int = 1  # conv layers in this block (the first changes the channels)
    batchnorm: bool = False  # BatchNorm2d after each conv
    activation: Activation = "relu"
    residual: bool = False  # add the block's input to its convs' output (needs convs >= 2 and a size-keeping
    # padding; a 1x1 conv shortcut matches a change of channels or stride)
    pool: Literal["none", "max", "avg"] = "max"
    pool_size: int = 2  # pooling kernel = stride, pixels
    dropout: float = 0.0  # Dropout2d probability after the block

    def validate(self, path: str = "") -> None:
        if self.filters not in BLOCK["filters"]:
            raise config_error("config.value_why", path=f"{path}.filters", value=self.filters,
                               why=BLOCK["filters"].why())
        if self.convs not in BLOCK["convs"]:
            raise config_error("config.value_why", path=f"{path}.convs", value=self.convs,
                               why=BLOCK["convs"].why())
        if self.dropout not in BLOCK["dropout"]:
            raise config_error("config.value_why", path=f"{path}.dropout", value=self.dropout,
                               why=BLOCK["dropout"].why())
        for name in ("kernel", "stride", "padding", "dilation"):
            value = getattr(self, name)
            pair = value if isinstance(value, list) else [value]
            if len(pair) not in (1, 2):
                raise config_error("config.why_plain", path=f"{path}.{name}", why=("config.why.pair", {}))
            bound = BLOCK[name]
            if any(v < bound.low for v in pair):
                raise config_error("config.why_plain", path=f"{path}.{name}",
                                   why=("config.why.at_least", {"low": bound.low}))
            if any(v > bound.high for v in pair):
                raise config_error("config.why_plain", path=f"{path}.{name}",
                                   why=("config.why.over_limit", {"value": max(pair), "limit": bound.high}))
        if self.pool != "none" and self.pool_size not in BLOCK["pool_size"]:
            raise config_error("config.value_why", path=f"{path}.pool_size", value=self.pool_size,
                               why=BLOCK["pool_size"].why("config.why.outside"))


@dataclass
class ModelConfig:
    preset: str = "baseline"  # the preset this architecture started from (informational)
    blocks: list[ConvBlock] = field(default_factory=lambda: [ConvBlock()])
    head: Literal["flatten", "gap"] = "flatten"  # flatten, or global average pooling
    hidden: list[int] = field(default_factory=list)  # hidden Linear sizes before the output
    head_dropout: float = 0.0  # Dropout before each hidden and the output Linear
    head_activation: Activation = "relu"  # between hidden Linear layers
    # a ready architecture: torchvision's constructor (weights=None), modified for the dataset as
    # lab.model.ready lists; blocks, head, hidden and the head's dropout/activation are then unused
    arch: ReadyArch = ""
    stem: Literal["small", "original"] = "small"  # small images: a stem that keeps the resolution

    @property
    def ready(self) -> bool:
        return bool(self.arch)

    def validate(self, path: str = "") -> None:
        p = f"{path}." if path else ""
        for name, allowed in (("arch", ("",) + READY_ARCHS), ("stem", ("small", "original"))):
            value = getattr(self, name)
            if value not in allowed:
                raise config_error("config.not_one_of", path=f"{p}{name}", value=repr(value),
                                   allowed=", ".join(repr(a) for a in allowed), close=did_you_mean(value, allowed))
        if len(self.blocks) not in MODEL["blocks"]:
            raise config_error("config.why_plain", path=f"{p}blocks",
                               why=("config.why.blocks", {"limit": MODEL["blocks"].high, "n": len(self.blocks)}))
        check_hidden(self.hidden, f"{p}hidden")
        if self.head_dropout not in MODEL["head_dropout"]:
            raise config_error("config.value_why", path=f"{p}head_dropout", value=self.head_dropout,
                               why=MODEL["head_dropout"].why())


def check_hidden(hidden: list[int], field: str = "hidden") -> None:
    """Hidden Linear sizes: each 1..MAX_HIDDEN_UNITS, at most MAX_HIDDEN_LAYERS of them."""
    if len(hidden) > limits.MAX_HIDDEN_LAYERS:
        raise config_error("model.hidden_count", field=field, n=len(hidden), limit=limits.MAX_HIDDEN_LAYERS)
    for size in hidden:
        if size < 1:
            raise config_error("model.hidden_zero", field=field)
        if size > limits.MAX_HIDDEN_UNITS:
            raise config_error("model.hidden_units", field=field, size=size, limit=limits.MAX_HIDDEN_UNITS)
