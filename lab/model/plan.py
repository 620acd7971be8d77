"""ModelConfig -> a layer-by-layer plan: every layer's constructor arguments and output shape.

One plan feeds three things, so they cannot disagree: ``build_model`` instantiates it,
``trace`` tabulates it and ``model_source`` prints it as PyTorch code. Shapes are
(C, H, W) after conv layers and (features,) after Flatten; batch size is left out.

A block is ``convs`` x [Conv2d -> BatchNorm2d? -> activation], then pooling and
Dropout2d. With ``residual`` the convs are the body of ``Residual(body, shortcut)``: the
block's input (through a 1x1 conv when the channels or stride change) is added before
the last activation, as in ResNet's basic block.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from math import log2, prod

from lab.config.model import ConvBlock, ModelConfig
from lab.errors import keyed
from lab.model.messages import MESSAGES as MODEL_MESSAGES
from lab.model.bounds import check_input
from lab.model.messages import BUILD_PROBLEMS, HINTS
from lab.model.shapes import ShapeError, effective_kernel, layer_output, pair, problem_text

Shape = tuple[int, ...]

HUGE_HIDDEN = 2048  # units: above this a hidden Linear is almost always in_features typed by mistake


@dataclass
class Problem:
    code: str
    fmt: dict

    @property
    def text(self) -> str:
        return BUILD_PROBLEMS[self.code].format(**self.fmt)


@dataclass
class Hint:
    code: str
    fmt: dict

    @property
    def text(self) -> str:
        return HINTS[self.code].format(**self.fmt)


@dataclass
class Step:
    """One layer: what to construct (``kind`` + ``args``) and what it outputs."""
    name: str  # "block2.conv1", "head.fc1", "head.out"
    kind: str  # conv, bn, act, maxpool, avgpool, dropout2d, shortcut, add, flatten, gap, dropout, linear
    args: dict
    output: Shape | None  # None once an earlier layer failed
    params: int = 0
    macs: int = 0  # multiply-adds per image (convs and Linears; the rest is cheap)
    rf: tuple[int, int] | None = None  # receptive field (H, W) in input pixels
    problem: Problem | None = None
    block: int | None = None  # 1-based block number; None in the head


@dataclass
class BlockPlan:
    index: int  # 1-based
    body: list[Step]
    shortcut: Step | None  # residual blocks only
    add: Step | None
    after: list[Step]

    def steps(self) -> list[Step]:
        return self.body + ([self.shortcut, self.add] if self.shortcut else []) + self.after


@dataclass
class Plan:
    input_shape: tuple[int, int, int]
    num_classes: int
    blocks: list[BlockPlan]
    head: list[Step]
    hints: list[Hint] = field(default_factory=list)
    # the rows the Inside page looks into, by name; a ready architecture's (lab.model.ready_plan),
    # a LabNet's come from its blocks (lab.inspect.taps)
    taps: list[str] = field(default_factory=list)

    def steps(self) -> list[Step]:
        return [s for b in self.blocks for s in b.steps()] + self.head

    def problems(self) -> list[Step]:
        return [s for s in self.steps() if s.problem]

    @property
    def ok(self) -> bool:
        return not self.problems()


def _fmt_pair(p: tuple[int, int]) -> str:
    return f"{p[0]}x{p[1]}"


def _fmt_num(p: tuple[int, int]) -> str:
    """(1, 1) -> "1", (1, 2) -> "1,2": how padding and dilation are typed in the builder."""
    return str(p[0]) if p[0] == p[1] else f"{p[0]},{p[1]}"


class _Walker:
    """Walks the config layer by layer, carrying the shape and the receptive field."""

    def __init__(self, input_shape: tuple[int, int, int]):
        self.shape: Shape | None = tuple(input_shape)
        self.rf = [1, 1]  # receptive field, input pixels
        self.jump = [1, 1]  # distance in input pixels between neighbouring outputs

    def _rf(self, k, s, d) -> None:
        for i in range(2):
            self.rf[i] += (effective_kernel(k[i], d[i]) - 1) * self.jump[i]
            self.jump[i] *= s[i]

    def step(self, name, kind, args, block, params=0, macs=0, problem=None) -> Step:
        rf = tuple(self.rf) if self.shape is not None and len(self.shape) == 3 else None
        return Step(name, kind, args, self.shape, params, macs, rf, problem, block)

    def conv(self, name, block, out_c, k, s, p, d, bias) -> Step:
        args = dict(in_channels=None, out_channels=out_c, kernel_size=k, stride=s, padding=p,
                    dilation=d, bias=bias)
        if self.shape is None:
            return Step(name, "conv", args, None, block=block)
        c, h, w = self.shape
        args["in_channels"] = c
        try:
            res = layer_output("conv2d", self.shape, k, s, p, d, out_channels=out_c)
        except ShapeError as exc:
            self.shape = None
            kk, dd = pair(k, "kernel"), pair(d, "dilation")
            if exc.code == "padding_too_big":
                problem = Problem("conv_padding", dict(padding=exc.fmt["padding"], kernel=_fmt_pair(kk),
                                                       limit=exc.fmt["limit"]))
            else:
                same = [effective_kernel(kk[i], dd[i]) // 2 for i in range(2)]
                problem = Problem("conv_too_small", dict(kernel=_fmt_pair(kk), dilation=_fmt_num(dd),
                                                         size=f"{h}x{w}", same=_fmt_num(tuple(same))))
            return Step(name, "conv", args, None, problem=problem, block=block)
        self.shape = res.output
        kh, kw = res.h.kernel, res.w.kernel
        params = out_c * c * kh * kw + (out_c if bias else 0)
        macs = out_c * res.output[1] * res.output[2] * c * kh * kw
        self._rf((kh, kw), (res.h.stride, res.w.stride), (res.h.dilation, res.w.dilation))
        return self.step(name, "conv", args, block, params, macs)

    def pool(self, name, block, kind, size) -> Step:
        args = dict(kernel_size=size)
        if self.shape is None:
            return Step(name, kind, args, None, block=block)
        c, h, w = self.shape
        try:
            res = layer_output("maxpool2d" if kind == "maxpool" else "avgpool2d", self.shape, size)
        except ShapeError:
            self.shape = None
            # a pool_size under 2 pools nothing: below 2 pixels the only fix is no pooling here
            problem = (Problem("pool_too_small", dict(pool=size, size=f"{h}x{w}", max_pool=min(h, w)))
                       if min(h, w) >= 2 else Problem("pool_no_room", dict(size=f"{h}x{w}")))
            return Step(name, kind, args, None, block=block, problem=problem)
        self.shape = res.output
        self._rf((size, size), (size, size), (1, 1))
        return self.step(name, kind, args, block)


def _activation(w: _Walker, name: str, act: str, block: int | None) -> list[Step]:
    return [] if act == "none" else [w.step(name, "act", {"name": act}, block)]


def _block(w: _Walker, b: ConvBlock, index: int) -> BlockPlan:
    entry = w.shape
    entry_rf = list(w.rf)
    body: list[Step] = []
    strides = [1, 1]
    for j in range(1, b.convs + 1):
        body.append(w.conv(f"block{index}.conv{j}", index, b.filters, b.kernel, b.stride, b.padding,
                           b.dilation, bias=not b.batchnorm))
        s = pair(b.stride, "stride")
        strides = [strides[0] * s[0], strides[1] * s[1]]
        if b.batchnorm:
            body.append(w.step(f"block{index}.bn{j}", "bn", {"num_features": b.filters}, index,
                               params=2 * b.filters))
        last = j == b.convs
        if not (b.residual and last):
            body += _activation(w, f"block{index}.act{j}", b.activation, index)
    shortcut = add = None
    after: list[Step] = []
    if b.residual:
        shortcut, add = _residual(w, b, index, entry, entry_rf, strides)
        after += _activation(w, f"block{index}.act{b.convs}", b.activation, index)
    if b.pool != "none":
        after.append(w.pool(f"block{index}.pool", index, "maxpool" if b.pool == "max" else "avgpool",
                            b.pool_size))
    if b.dropout > 0:
        after.append(w.step(f"block{index}.dropout", "dropout2d", {"p": b.dropout}, index))
    return BlockPlan(index, body, shortcut, add, after)


def _residual(w: _Walker, b: ConvBlock, index, entry, entry_rf, strides) -> tuple[Step, Step]:
    """The shortcut (identity or 1x1 conv) and the addition; a problem if the sizes cannot match."""
    body_out = w.shape
    args = dict(in_channels=entry[0] if entry else None, out_channels=b.filters, stride=tuple(strides))
    if body_out is None or entry is None:
        return Step(f"block{index}.shortcut", "shortcut", args, None, block=index), \
            Step(f"block{index}.add", "add", {}, None, block=index)
    c, h, wd = entry
    short = ((h - 1) // strides[0] + 1, (wd - 1) // strides[1] + 1)
    identity = c == b.filters and strides == [1, 1]
    params = 0 if identity else c * b.filters + b.filters
    macs = 0 if identity else b.filters * short[0] * short[1] * c
    args["identity"] = identity
    # a 1x1 conv sees one pixel: the shortcut's receptive field is the block input's
    shortcut = Step(f"block{index}.shortcut", "shortcut", args, (b.filters, *short), params, macs,
                    tuple(entry_rf), block=index)
    problem = None
    if b.convs < 2:
        problem = Problem("residual_convs", {})
    elif tuple(body_out[1:]) != short:
        kk, dd = pair(b.kernel, "kernel"), pair(b.dilation, "dilation")
        same = tuple(effective_kernel(kk[i], dd[i]) // 2 for i in range(2))
        problem = Problem("residual_shape", dict(before=f"{h}x{wd}", after=f"{body_out[1]}x{body_out[2]}",
                                                 same=_fmt_num(same)))
    if problem:
        w.shape = None
    add = Step(f"block{index}.add", "add", {}, w.shape, 0, 0, tuple(w.rf) if w.shape else None,
               problem, index)
    return shortcut, add


def _head(w: _Walker, cfg: ModelConfig, num_classes: int) -> list[Step]:
    steps: list[Step] = []
    if cfg.head == "gap":
        if w.shape is not None:
            w.shape = (w.shape[0], 1, 1)  # one average per channel; RF shown is the last conv's
        steps.append(w.step("head.gap", "gap", {}, None))
    features = prod(w.shape) if w.shape is not None else None
    steps.append(Step("head.flatten", "flatten", {"features": features},
                      (features,) if features else None))
    sizes = list(cfg.hidden) + [num_classes]
    for i, size in enumerate(sizes, 1):
        out = i == len(sizes)
        tag = "out" if out else f"fc{i}"
        if cfg.head_dropout > 0:
            steps.append(Step(f"head.drop_{tag}", "dropout",
                              {"p": cfg.head_dropout}, (features,) if features else None))
        args = {"in_features": features, "out_features": size}
        if features is None:
            steps.append(Step(f"head.{tag}", "linear", args, None))
        else:
            steps.append(Step(f"head.{tag}", "linear", args, (size,), features * size + size, features * size))
        features = size if features is not None else None
        if not out and cfg.head_activation != "none":
            steps.append(Step(f"head.act{i}", "act", {"name": cfg.head_activation},
                              (size,) if features else None))
    return steps


def _hints(cfg: ModelConfig, input_shape) -> list[Hint]:
    hints = []
    for i, b in enumerate(cfg.blocks, 1):
        for code, name in (("kernel_big", "kernel"), ("padding_big", "padding"), ("stride_big", "stride")):
            values = pair(getattr(b, name), name)
            limit = {"kernel_big": 7, "padding_big": 2, "stride_big": 2}[code]
            if max(values) > limit:
                hints.append(Hint(code, {"block": i, "value": max(values)}))
        if i > 1:
            before = cfg.blocks[i - 2].filters
            # 3x, not 2x: the classics step by more than 2x (LeNet-5's 6 -> 16) and are not unusual
            if b.filters > 3 * before or 3 * b.filters < before:
                hints.append(Hint("filters_jump", {"block": i, "before": before, "value": b.filters}))
    if len(cfg.blocks) > 7:
        hints.append(Hint("many_blocks", {"value": len(cfg.blocks)}))
    pools = sum(1 for b in cfg.blocks if b.pool != "none" and b.pool_size >= 2)
    side = min(input_shape[1:])
    most = int(log2(side)) if side >= 1 else 0
    if pools > most:
        hints.append(Hint("many_pools", {"value": pools, "size": side, "max": most}))
    return hints


def check_inputs(input_shape, num_classes: int) -> tuple[int, int, int]:
    try:
        c, h, w = (int(v) for v in input_shape)
    except (TypeError, ValueError):
        raise keyed(MODEL_MESSAGES, "model.input_shape_numbers", shape=repr(input_shape)) from None
    if min(c, h, w) < 1:
        raise keyed(MODEL_MESSAGES, "model.input_shape_positive", c=c, h=h, w=w)
    if int(num_classes) < 1:
        raise keyed(MODEL_MESSAGES, "model.classes_positive", n=num_classes)
    check_input((c, h, w), int(num_classes))  # before any layer is planned
    return c, h, w


def make_plan(cfg: ModelConfig, input_shape, num_classes: int) -> Plan:
    """The whole model, layer by layer. Never raises for an architecture that does not fit:
    the failing layer carries a ``Problem`` and every later shape is None."""
    shape = check_inputs(input_shape, num_classes)
    cfg.validate("model")
    for i, b in enumerate(cfg.blocks):
        b.validate(f"model.blocks[{i}]")
    walker = _Walker(shape)
    blocks = [_block(walker, b, i) for i, b in enumerate(cfg.blocks, 1)]
    head = _head(walker, cfg, int(num_classes))
    return Plan(shape, int(num_classes), blocks, head, _hints(cfg, shape) + _head_hints(head))


def _head_hints(head: list[Step]) -> list[Hint]:
    """A huge hidden Linear: students type the first Linear's in_features into "Hidden Linear sizes"."""
    hints = []
    linears = [s for s in head if s.kind == "linear"]
    first_in = linears[0].args["in_features"] if linears else None
    for i, step in enumerate(linears[:-1], 1):  # the last Linear is the output layer
        if step.args["out_features"] > HUGE_HIDDEN:
            hints.append(Hint("hidden_huge", {"layer": i, "value": step.args["out_features"],
                                              "params": f"{step.params / 1e6:.1f}",
                                              "features": first_in if first_in is not None else "?"}))
    return hints


def problem_message(step: Step) -> str:
    """'block 2, conv1: ...' for a LabError."""
    where = step.name.replace("block", "block ", 1).replace(".", ", ", 1)
    return f"{where}: {step.problem.text}"


__all__ = ["BUILD_PROBLEMS", "HINTS", "BlockPlan", "Hint", "Plan", "Problem", "Step", "make_plan",
           "problem_message", "problem_text"]
