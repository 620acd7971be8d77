"""Bounds before allocation: what a model may cost, estimated from its plan.

A plan (``lab.model.plan``) knows every layer's output shape and parameter count
without creating a tensor, so a model too large for the server is refused here, with
the field and the limit named, before ``build_from_plan`` allocates a single weight.
The checkpoint loader, the builder and training all pass through ``check_plan``.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import prod

from lab.config import limits
from lab.errors import LabError, keyed
from lab.model.messages import MESSAGES

FLOAT_BYTES = 4  # float32


class BoundsError(LabError):
    """A model or input is larger than the lab's limits (``lab.config.limits``)."""


@dataclass(frozen=True)
class Footprint:
    params: int  # weights and biases
    activation_bytes: int  # float32 outputs of every layer for one image

    @property
    def activation_mb(self) -> float:
        return self.activation_bytes / limits.MB


def check_input(input_shape, num_classes: int) -> None:
    """The image shape and the class count, each against its limit."""
    c, h, w = input_shape
    if c > limits.MAX_INPUT_CHANNELS:
        raise keyed(MESSAGES, "model.input_channels", BoundsError, c=c, limit=limits.MAX_INPUT_CHANNELS)
    if max(h, w) > limits.MAX_INPUT_SIDE:
        raise keyed(MESSAGES, "model.input_size", BoundsError, h=h, w=w, limit=limits.MAX_INPUT_SIDE)
    if num_classes > limits.MAX_CLASSES:
        raise keyed(MESSAGES, "model.classes", BoundsError, n=num_classes, limit=limits.MAX_CLASSES)


def footprint(plan) -> Footprint:
    """Parameters and per-image activation memory of a plan (shapes only, no tensors)."""
    steps = plan.steps()
    params = sum(s.params for s in steps)
    values = prod(plan.input_shape) + sum(prod(s.output) for s in steps if s.output)
    return Footprint(params=params, activation_bytes=values * FLOAT_BYTES)


def check_plan(plan) -> Footprint:
    """Refuse a plan whose weights or activations pass the limits; returns its footprint."""
    check_input(plan.input_shape, plan.num_classes)
    fp = footprint(plan)
    if fp.params > limits.MAX_PARAMS:
        raise keyed(MESSAGES, "model.too_many_weights", BoundsError, params=fp.params, limit=limits.MAX_PARAMS)
    if fp.activation_bytes > limits.MAX_ACTIVATION_MB * limits.MB:
        raise keyed(MESSAGES, "model.too_much_memory", BoundsError, mb=round(fp.activation_mb),
                    limit=limits.MAX_ACTIVATION_MB)
    return fp
