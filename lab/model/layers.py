"""Each planned layer as one ``nn`` constructor call: used to build it *and* to print it.

``constructor(step)`` gives ``("Conv2d", [1, 32], {"kernel_size": 3})``; ``build`` calls
``nn.Conv2d(1, 32, kernel_size=3)`` and ``source`` writes exactly that text, so the
trained model and the exported code cannot drift apart.
"""

from __future__ import annotations

from torch import nn

from lab.model.plan import Step

ACTIVATIONS = {
    "relu": "ReLU", "leaky_relu": "LeakyReLU", "gelu": "GELU", "elu": "ELU", "silu": "SiLU",
    "tanh": "Tanh", "sigmoid": "Sigmoid",
}


class Residual(nn.Module):
    """Adds the input, through ``shortcut``, to the output of ``body`` (ResNet's skip connection)."""

    def __init__(self, body: nn.Module, shortcut: nn.Module):
        super().__init__()
        self.body = body
        self.shortcut = shortcut

    def forward(self, x):
        return self.body(x) + self.shortcut(x)


def _compact(value):
    """[3, 3] -> 3, [3, 5] -> (3, 5): the shortest form PyTorch accepts."""
    if isinstance(value, (list, tuple)):
        value = tuple(int(v) for v in value)
        if len(value) == 1 or value[0] == value[1]:
            return value[0]
    return value


def constructor(step: Step) -> tuple[str, list, dict]:
    """(nn class name, positional args, keyword args without PyTorch's defaults)."""
    a, kind = step.args, step.kind
    if kind == "conv":
        kw = {"kernel_size": _compact(a["kernel_size"])}
        for name, default in (("stride", 1), ("padding", 0), ("dilation", 1)):
            if _compact(a[name]) != default:
                kw[name] = _compact(a[name])
        if not a["bias"]:
            kw["bias"] = False
        return "Conv2d", [a["in_channels"], a["out_channels"]], kw
    if kind == "shortcut":
        if a.get("identity"):
            return "Identity", [], {}
        kw = {"kernel_size": 1}
        if _compact(a["stride"]) != 1:
            kw["stride"] = _compact(a["stride"])
        return "Conv2d", [a["in_channels"], a["out_channels"]], kw
    if kind == "bn":
        return "BatchNorm2d", [a["num_features"]], {}
    if kind == "act":
        return ACTIVATIONS[a["name"]], [], {}
    if kind == "maxpool":
        return "MaxPool2d", [a["kernel_size"]], {}
    if kind == "avgpool":
        return "AvgPool2d", [a["kernel_size"]], {}
    if kind == "dropout2d":
        return "Dropout2d", [a["p"]], {}
    if kind == "dropout":
        return "Dropout", [a["p"]], {}
    if kind == "gap":
        return "AdaptiveAvgPool2d", [1], {}
    if kind == "flatten":
        return "Flatten", [], {}
    if kind == "linear":
        return "Linear", [a["in_features"], a["out_features"]], {}
    raise ValueError(f"no constructor for layer kind {kind!r}")  # a bug in the plan


def make(step: Step) -> nn.Module:
    name, args, kwargs = constructor(step)
    return getattr(nn, name)(*args, **kwargs)


def expression(step: Step) -> str:
    name, args, kwargs = constructor(step)
    parts = [repr(v) for v in args] + [f"{k}={v!r}" for k, v in kwargs.items()]
    return f"nn.{name}({', '.join(parts)})"
