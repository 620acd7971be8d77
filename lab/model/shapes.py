"""The output-size formula of Conv2d, MaxPool2d and AvgPool2d, checked before torch sees it.

For one spatial axis of size ``n`` (PyTorch's documented formula)::

    out = floor((n + 2p - d*(k - 1) - 1) / s) + 1

The floor drops the last input rows that no window reaches. Pools with ``ceil_mode``
round up instead, but PyTorch drops a last window that would start in the right-hand
padding (it must start inside the input or the left padding).

Every rule a user can break is a ``Problem`` with a code, the parameter to change and
English text; the page translates the code, the CLI prints the text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from lab.errors import LabError, did_you_mean, keyed
from lab.model.messages import MESSAGES as MODEL_MESSAGES

LayerKind = Literal["conv2d", "maxpool2d", "avgpool2d"]
LAYER_KINDS: tuple[str, ...] = ("conv2d", "maxpool2d", "avgpool2d")
Pair = tuple[int, int]

# English templates; lab/i18n/texts/architecture.py holds the Russian ones under the same codes.
PROBLEMS = {
    "not_positive": "{param} must be at least {low}, not {value}",
    "not_number": "{param}: give one whole number or an H,W pair like 3,5 (got {value!r})",
    "too_small": "output {axis} would be {out} (< 1): the window {effective} (kernel {kernel}, dilation "
                 "{dilation}) is larger than the input {size} plus padding on both sides (2 × {padding}); make the kernel "
                 "or dilation smaller, add padding, or shrink the image less before this layer",
    "padding_too_big": "padding {padding} on {axis} is more than half the kernel ({limit} at most for kernel "
                       "{kernel}): lower padding to {limit} or less",
    "channels": "input channels and out channels must be at least 1",
}
PROBLEM_KEYS = {  # calculator problem code -> catalogue key
    "not_positive": "architecture.calc_problem.not_positive", "not_number": "architecture.calc_problem.not_number",
    "too_small": "architecture.calc_problem.too_small",
    "padding_too_big": "architecture.calc_problem.padding_too_big", "channels": "architecture.calc_problem.channels"
}


def problem_text(code: str, **fmt) -> str:
    return PROBLEMS[code].format(**fmt)


class ShapeError(LabError):
    """A layer's parameters are invalid; ``code``/``fmt`` let a page translate the message."""

    def __init__(self, code: str, param: str, **fmt):
        self.code, self.param, self.fmt = code, param, dict(fmt, param=param)
        super().__init__(problem_text(code, **self.fmt), key=PROBLEM_KEYS[code], params=self.fmt)


def pair(value, name: str) -> Pair:
    """``3`` | ``(3, 5)`` | ``[3, 5]`` | ``"3"`` | ``"3,5"`` -> (H, W) as ints."""
    if isinstance(value, str):
        parts = [p.strip() for p in value.replace("x", ",").replace("×", ",").split(",")]
        try:
            value = [int(p) for p in parts]
        except ValueError:
            raise ShapeError("not_number", name, value=value) from None
    if isinstance(value, bool):
        raise ShapeError("not_number", name, value=value)
    if isinstance(value, int):
        return value, value
    if isinstance(value, (list, tuple)) and len(value) == 1:
        return pair(value[0], name)
    if isinstance(value, (list, tuple)) and len(value) == 2 and all(
            isinstance(v, int) and not isinstance(v, bool) for v in value):
        return int(value[0]), int(value[1])
    raise ShapeError("not_number", name, value=value)


def effective_kernel(k: int, d: int) -> int:
    """How many input pixels one window spans: a dilated kernel has gaps of d-1 pixels."""
    return d * (k - 1) + 1


def floor_size(n: int, k: int, s: int, p: int, d: int = 1) -> int:
    """Conv2d (and pools without ceil_mode): floor((n + 2p - d(k-1) - 1) / s) + 1. May be < 1."""
    return (n + 2 * p - d * (k - 1) - 1) // s + 1


def ceil_size(n: int, k: int, s: int, p: int, d: int = 1) -> int:
    """Pools with ceil_mode: round up (so a window may hang over the edge), then drop a last
    window that would start in the right padding. May be < 1."""
    span = n + 2 * p - d * (k - 1) - 1
    out = (span + s - 1) // s + 1  # ceil(span / s) + 1, also for a negative span
    if (out - 1) * s >= n + p:
        out -= 1
    return out


def dropped(n: int, k: int, s: int, p: int, d: int, out: int) -> int:
    """Input rows (or columns) at the far end that no window covers because of the floor."""
    if out < 1:
        return 0
    reach = (out - 1) * s + effective_kernel(k, d)  # padded pixels covered, from the left edge
    return max(0, n + p - reach)  # the right padding's p pixels are not input pixels


@dataclass(frozen=True)
class Axis:
    """One spatial axis of a layer: the numbers that went into the formula and what came out."""
    name: str  # "H" or "W"
    size: int
    kernel: int
    stride: int
    padding: int
    dilation: int
    ceil_mode: bool
    out: int
    dropped: int

    def formula(self) -> str:
        """The formula with this axis's numbers substituted, ending in the result."""
        n, k, s, p, d = self.size, self.kernel, self.stride, self.padding, self.dilation
        top = n + 2 * p - d * (k - 1) - 1
        if self.ceil_mode:
            return (f"{self.name}_out = ⌈({n} + 2·{p} − {d}·({k} − 1) − 1) / {s}⌉ + 1 = ⌈{top} / {s}⌉ + 1"
                    f" = {self.out}")
        return (f"{self.name}_out = ⌊({n} + 2·{p} − {d}·({k} − 1) − 1) / {s}⌋ + 1 = ⌊{top} / {s}⌋ + 1"
                f" = {top // s} + 1 = {self.out}")


@dataclass(frozen=True)
class LayerShape:
    kind: str
    input: tuple[int, int, int]
    output: tuple[int, int, int]
    h: Axis
    w: Axis
    out_channels: int

    @property
    def dropped_rows(self) -> int:
        return self.h.dropped

    @property
    def dropped_cols(self) -> int:
        return self.w.dropped

    def to_dict(self) -> dict:
        return {
            "layer": self.kind, "input": list(self.input), "output": list(self.output),
            "kernel": [self.h.kernel, self.w.kernel], "stride": [self.h.stride, self.w.stride],
            "padding": [self.h.padding, self.w.padding], "dilation": [self.h.dilation, self.w.dilation],
            "ceil_mode": self.h.ceil_mode, "dropped_rows": self.h.dropped, "dropped_cols": self.w.dropped,
            "formula": [self.h.formula(), self.w.formula()],
        }


def layer_output(kind: str, input_shape, kernel, stride=None, padding=0, dilation=1,
                 out_channels: int | None = None, ceil_mode: bool = False) -> LayerShape:
    """Output (C, H, W) of one layer, or ShapeError naming the parameter to change."""
    if kind not in LAYER_KINDS:
        raise keyed(MODEL_MESSAGES, "model.unknown_layer", kind=repr(kind), known=", ".join(LAYER_KINDS),
                    close=did_you_mean(kind, LAYER_KINDS))
    c, h, w = (int(v) for v in input_shape)
    for name, v in (("input channels", c), ("input height", h), ("input width", w)):
        if v < 1:
            raise ShapeError("not_positive", name, low=1, value=v)
    k = pair(kernel, "kernel")
    d = pair(dilation, "dilation")
    if kind == "avgpool2d" and d != (1, 1):
        raise keyed(MODEL_MESSAGES, "model.avgpool_dilation")
    s = pair(stride, "stride") if stride is not None else (k if kind != "conv2d" else (1, 1))
    p = pair(padding, "padding")
    for name, values, low in (("kernel", k, 1), ("stride", s, 1), ("dilation", d, 1), ("padding", p, 0)):
        for v in values:
            if v < low:
                raise ShapeError("not_positive", name, low=low, value=v)
    if kind == "conv2d":
        out_c = c if out_channels is None else int(out_channels)
        if out_c < 1:
            raise ShapeError("not_positive", "out channels", low=1, value=out_c)
    else:
        out_c = c
    axes = []
    for i, (axis, n) in enumerate((("H", h), ("W", w))):
        # PyTorch pools allow padding up to half the kernel; a conv padded more than half its
        # (dilated) kernel has output rows that see only zeros, so the lab rejects that too.
        limit = k[i] // 2 if kind != "conv2d" else effective_kernel(k[i], d[i]) // 2
        if p[i] > limit:
            raise ShapeError("padding_too_big", "padding", padding=p[i], axis=axis, limit=limit, kernel=k[i])
        ceil = bool(ceil_mode) and kind != "conv2d"
        out = ceil_size(n, k[i], s[i], p[i], d[i]) if ceil else floor_size(n, k[i], s[i], p[i], d[i])
        if out < 1:
            raise ShapeError("too_small", "kernel", axis=axis, out=out, kernel=k[i], dilation=d[i],
                             effective=effective_kernel(k[i], d[i]), size=n, padding=p[i])
        axes.append(Axis(axis, n, k[i], s[i], p[i], d[i], ceil, out, dropped(n, k[i], s[i], p[i], d[i], out)))
    return LayerShape(kind, (c, h, w), (out_c, axes[0].out, axes[1].out), axes[0], axes[1], out_c)


def wrong_formula(n: int, k: int, s: int, p: int, d: int = 1) -> float:
    """The circulating wrong copy: "- 1" instead of "+ 1" and no floor (32, k=3 gives 28, not 30)."""
    return (n + 2 * p - d * (k - 1) - 1) / s - 1
