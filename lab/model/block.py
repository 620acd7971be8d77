"""A block of layers that runs "ReLU, then max-pool" as "max-pool, then ReLU".

The two orders give exactly the same numbers, forward and backward: ReLU never changes
which element of a window is largest unless every element is at most 0, and then the
window's output is 0 and its gradient is 0 either way. Pooling first lets the ReLU and
its backward pass touch a quarter of the elements (2x2 windows), and the pooling's
backward hands its gradient straight to the convolution. For the course's baseline on
MNIST that is 1.4x the training steps per second on a 2-core CPU (``bench/bench_speed_means.py``).

Only ReLU qualifies: for other activations rounding can make two different inputs equal
(or GELU and SiLU are not monotonic at all), and then the gradient would land on another
element. Whenever a hook watches either layer (the Inside-the-model page taps feature
maps after each layer), the block runs in the written order, so what a student sees
after the ReLU is the full ReLU output.

``Block`` is an ``nn.Sequential``: its children, names and ``state_dict`` keys are the
same as the plain ``nn.Sequential`` the exported code builds.
"""

from __future__ import annotations

import torch
from torch import nn
from torch.nn.modules import module as _module


def _watched(layer: nn.Module) -> bool:
    return bool(layer._forward_hooks or layer._forward_pre_hooks or _module._global_forward_hooks
                or _module._global_forward_pre_hooks)


def swaps(first: nn.Module, second: nn.Module) -> bool:
    """May ``first`` (applied first) and ``second`` run the other way round here?"""
    return (type(first) is nn.ReLU and isinstance(second, nn.MaxPool2d)
            and not (_watched(first) or _watched(second)))


class Block(nn.Sequential):
    """``nn.Sequential`` that pools before a ReLU that comes straight before a max-pool."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        layers = list(self)
        i = 0
        while i < len(layers):
            if i + 1 < len(layers) and swaps(layers[i], layers[i + 1]):
                x = layers[i](layers[i + 1](x))
                i += 2
            else:
                x = layers[i](x)
                i += 1
        return x
