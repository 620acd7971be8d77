"""The theoretical receptive field of every row of a built network, read from its graph.

The lab's own plan walks its layers and carries the receptive field as it goes
(``lab.model.plan``); a torchvision network has branches (ResNet's shortcuts, MobileNet's
residual additions and squeeze-and-excitation), so its graph is traced with ``torch.fx``
(no tensor runs: a model on the meta device traces the same) and each node carries, per
axis, ``grow`` and ``jump``: one output value sees ``rf = 1 + grow`` input pixels, and
neighbouring outputs lie ``jump`` input pixels apart. A conv or pooling layer with kernel
k, stride s and dilation d makes ``grow += (d * (k - 1)) * jump`` and ``jump *= s``, the
same rule as ``lab.model.plan``; padding moves the field, it does not widen it. Where
branches meet (an addition, a product) the field is the largest over the paths.

Squeeze-and-excitation and global pooling average the whole picture: counted that way
every pixel after MobileNet's first SE block would "see" the whole image, and the column
would stop saying anything about the convolutions. Such a branch (an adaptive pooling to
a few values) only rescales channels, so where it meets the main path it is left out;
a row that ends in global pooling shows the field of the last conv, as the lab's own
``head.gap`` row does.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass

import torch
from torch import fx, nn

from lab.model.shapes import effective_kernel, pair

WINDOWED = (nn.Conv2d, nn.MaxPool2d, nn.AvgPool2d)
GLOBAL = (nn.AdaptiveAvgPool2d, nn.AdaptiveMaxPool2d)
MEETS = (operator.add, operator.iadd, operator.mul, operator.imul, torch.add, torch.mul, torch.cat)


@dataclass(frozen=True)
class Field:
    grow: tuple[int, int]  # rf - 1, input pixels (H, W)
    jump: tuple[int, int]  # input pixels between neighbouring outputs (H, W)
    pooled: bool = False  # the whole picture averaged (global pooling, an SE branch)

    @property
    def rf(self) -> tuple[int, int]:
        return (1 + self.grow[0], 1 + self.grow[1])


START = Field((0, 0), (1, 1))


def through(module: nn.Module, f: Field) -> Field:
    """The field after one layer: a windowed layer widens it, global pooling marks it, the
    rest (BatchNorm, activations, dropout, Identity, Linear) leave it as it is."""
    if isinstance(module, GLOBAL):
        return Field(f.grow, f.jump, True)
    if not isinstance(module, WINDOWED):
        return f
    k = pair(module.kernel_size, "kernel")
    s = pair(module.stride if module.stride is not None else module.kernel_size, "stride")
    d = pair(getattr(module, "dilation", 1), "dilation")
    grow = tuple(f.grow[i] + (effective_kernel(k[i], d[i]) - 1) * f.jump[i] for i in range(2))
    return Field(grow, tuple(f.jump[i] * s[i] for i in range(2)), f.pooled)


def meet(fields: list[Field]) -> Field:
    """Branches joined: the widest path wins; a channel-rescaling (pooled) branch is left out."""
    local = [f for f in fields if not f.pooled] or fields
    return Field(tuple(max(f.grow[i] for f in local) for i in range(2)),
                 tuple(max(f.jump[i] for f in local) for i in range(2)), all(f.pooled for f in fields))


class _Tracer(fx.Tracer):
    def __init__(self, leaves: tuple[str, ...] = ()):
        super().__init__()
        self.leaves = leaves

    def is_leaf_module(self, m: nn.Module, qualname: str) -> bool:
        return type(m).__name__ in self.leaves or not list(m.children())


def _graph(module: nn.Module, leaves: tuple[str, ...]) -> fx.Graph:
    return _Tracer(leaves).trace(module)


def _args(node: fx.Node, fields: dict) -> list[Field]:
    found = []
    fx.node.map_arg((node.args, node.kwargs), lambda a: found.append(fields[a]) if a in fields else None)
    return found


def propagate(root: nn.Module, leaves: tuple[str, ...] = (), start: Field = START,
              inner=None) -> tuple[dict[str, Field], Field]:
    """Each leaf module's output field by its qualified name, and the graph's output field.
    ``leaves``: class names traced as one node; ``inner(module, field)`` gives their output."""
    fields: dict[fx.Node, Field] = {}
    by_name: dict[str, Field] = {}
    out = start
    for node in _graph(root, leaves).nodes:
        before = _args(node, fields)
        if node.op == "placeholder":
            fields[node] = start
        elif node.op == "call_module":
            module = root.get_submodule(node.target)
            f = before[0] if before else start
            fields[node] = inner(module, f) if type(module).__name__ in leaves else through(module, f)
            by_name[node.target] = fields[node]
        elif node.op == "output":
            out = before[0] if before else out
        elif before:  # flatten, view, an addition, a product...: the widest local branch
            fields[node] = meet(before) if node.target in MEETS or len(before) > 1 else before[0]
    return by_name, out


def _block_field(module: nn.Module, f: Field) -> Field:
    return propagate(module, start=f)[1]


def receptive_fields(model: nn.Module, rows: tuple[str, ...] = ()) -> dict[str, tuple[int, int]]:
    """Row name -> receptive field (H, W) in input pixels. ``rows``: class names shown as one
    row (a torchvision block); every other module is a row of its own at its leaf."""
    by_name, _ = propagate(model, rows, inner=_block_field)
    return {name: f.rf for name, f in by_name.items()}
