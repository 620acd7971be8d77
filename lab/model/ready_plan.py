"""A ready architecture's plan (``lab.model.plan.Plan``), read from a forward pass on the meta device.

The tracer table, the drawing, the bounds and the ONNX figures read a plan; for a torchvision
network the plan is observed, not derived: the model is built on PyTorch's meta device (shapes,
no memory: VGG's 132 M ImageNet weights cost nothing) and one forward pass records each row's
output; each row's receptive field comes from the model's traced graph (``lab.model.receptive``).
A row is a torchvision block (``BasicBlock``, ``InvertedResidual``: the table groups it) or a
loose layer (the stem's conv, a pooling, a Linear). Multiply-adds count the convs (grouped ones
too) and Linears, as for the lab's own models. A pass that fails (the image shrank to
nothing) marks the row it failed in, and the plan stops there.
"""

from __future__ import annotations

from math import prod

import torch
from torch import nn

from lab.config.model import ModelConfig
from lab.model.plan import BlockPlan, Plan, Problem, Step, check_inputs, make_plan
from lab.model.receptive import receptive_fields

ROW_CLASSES = ("BasicBlock", "Bottleneck", "InvertedResidual")  # one table row each
KINDS = {"Conv2d": "conv", "BatchNorm2d": "bn", "MaxPool2d": "maxpool", "Linear": "linear", "Dropout": "dropout",
         "Identity": "identity", "ReLU": "act", "Hardswish": "act", "Hardsigmoid": "act", "SiLU": "act"}


def _rows(model: nn.Module) -> list[tuple[str, nn.Module]]:
    """The modules the table shows, none inside another: blocks whole, everything else leaf by leaf."""
    rows = []

    def visit(prefix: str, module: nn.Module) -> None:
        for name, child in module.named_children():
            full = f"{prefix}{name}"
            if type(child).__name__ in ROW_CLASSES or not list(child.children()):
                rows.append((full, child))
            else:
                visit(full + ".", child)

    visit("", model)
    return rows


def _macs(module: nn.Module, out: torch.Size) -> int:
    if isinstance(module, nn.Conv2d):
        kh, kw = module.kernel_size
        return module.out_channels * out[-2] * out[-1] * (module.in_channels // module.groups) * kh * kw
    if isinstance(module, nn.Linear):
        return module.in_features * module.out_features
    return 0


def _kind_args(module: nn.Module, out: tuple, before: tuple = ()) -> tuple[str, dict]:
    cls = type(module).__name__
    if cls in ROW_CLASSES:  # "BasicBlock(64 -> 128, stride 2)": the block's effect, its layers are torchvision's
        stride = before[-1] // out[-1] if len(before) == 3 and len(out) == 3 and out[-1] else 1
        text = f"{cls}({before[0]} -> {out[0]}" if before and out else cls
        return "block", {"text": text + (f", stride {stride})" if stride > 1 else ")")}
    if cls == "AdaptiveAvgPool2d":
        return ("gap" if out[1:] == (1, 1) else "avgpool"), {"text": "nn." + repr(module)}
    # BatchNorm's repr lists every default (eps, momentum, affine...): the channels say enough
    args = {"text": f"nn.BatchNorm2d({module.num_features})" if cls == "BatchNorm2d" else "nn." + repr(module)}
    if isinstance(module, nn.Conv2d):
        args.update(in_channels=module.in_channels, out_channels=module.out_channels,
                    kernel_size=module.kernel_size, stride=module.stride, padding=module.padding,
                    dilation=module.dilation, bias=module.bias is not None, groups=module.groups)
    elif isinstance(module, nn.Linear):
        args.update(in_features=module.in_features, out_features=module.out_features)
    return KINDS.get(cls, cls.lower()), args


def _group_of(model) -> dict[int, int | None]:
    """id(module) -> 1-based group number (None for the head group, last)."""
    groups = model.groups()
    owner: dict[int, int | None] = {}
    for i, (_, part) in enumerate(groups, 1):
        for m in part.modules():
            owner[id(m)] = None if i == len(groups) else i
    return owner


def _observe(model: nn.Module, shape: tuple[int, int, int]) -> tuple[list, tuple | None, str | None]:
    """[(name, module, input shape, output shape, MACs)] in the order they ran; the row that failed."""
    rows = _rows(model)
    done, entered, macs = [], [], {}
    handles = []
    for name, row in rows:
        handles.append(row.register_forward_pre_hook(lambda m, args, name=name: entered.append((name, m, args[0].shape))))
        handles.append(row.register_forward_hook(
            lambda m, args, out, name=name: done.append((name, m, tuple(args[0].shape[1:]), tuple(out.shape[1:])))))
    for m in model.modules():
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            handles.append(m.register_forward_hook(
                lambda m, args, out: macs.__setitem__(id(m), macs.get(id(m), 0) + _macs(m, out.shape))))
    failed = None
    try:
        with torch.no_grad():
            model.eval()(torch.zeros(1, *shape, device="meta"))
    except (RuntimeError, ValueError):
        failed = entered[-1] if entered else None
    finally:
        for h in handles:
            h.remove()
    observed = [(name, m, before, out, sum(macs.get(id(x), 0) for x in m.modules())) for name, m, before, out in done]
    return observed, failed


def ready_plan(cfg: ModelConfig, input_shape, num_classes: int) -> Plan:
    """The torchvision network ``cfg`` names, modified as ``lab.model.ready`` lists, as a plan."""
    from lab.model.ready import build_ready  # heavy: torchvision's models, loaded on first use

    shape = check_inputs(input_shape, num_classes)
    cfg.validate("model")
    with torch.device("meta"):
        model = build_ready(cfg, shape, int(num_classes))
    owner = _group_of(model)
    observed, failed = _observe(model, shape)
    fields = receptive_fields(model, ROW_CLASSES)  # the largest over ResNet's and MobileNet's branches
    blocks: dict[int, list[Step]] = {}
    head: list[Step] = []
    flattened = False
    for name, module, before, out, macs in observed:
        kind, args = _kind_args(module, out, before)
        group = owner.get(id(module))
        if len(out) == 1 and not flattened:  # torch.flatten in torchvision's forward: no module, one row here
            head.append(Step("flatten", "flatten", {"features": out[0] if kind != "linear" else module.in_features,
                                                    "text": "torch.flatten(x, 1)"},
                             (module.in_features,) if kind == "linear" else out))
            flattened = True
        params = sum(p.numel() for p in module.parameters())
        rf = fields.get(name) if len(out) == 3 else None  # a map's field; after flatten none, as in make_plan
        step = Step(name, kind, args, out, params, macs, rf, None, group)
        (blocks.setdefault(group, []) if group is not None and not flattened else head).append(step)
    if failed is not None:
        name, module, before = failed
        kind, args = _kind_args(module, (0,))
        problem = Problem("ready_too_small", {"layer": name, "size": _size(before)})
        step = Step(name, kind, args, None, sum(p.numel() for p in module.parameters()), 0, None, problem,
                    owner.get(id(module)))
        (blocks.setdefault(step.block, []) if step.block is not None else head).append(step)
    plans = [BlockPlan(i, steps, None, None, []) for i, steps in sorted(blocks.items())]
    return Plan(shape, int(num_classes), plans, head, [], [] if failed else inside_taps(cfg.arch, plans))


# Where the Inside page looks into a ready network: the ends of its stages.
# - resnet18: the stem and each of layer1..layer4 (the paper's conv1, conv2_x..conv5_x): every group.
# - vgg11_bn: each of its five stages, which end at a max-pool (its groups); where the small stem
#   drops the fifth pool (an Identity), the stage ends at its last ReLU.
# - mobilenet_v3_small: a group per block is 13 maps, too many to read; a stage is a run of blocks
#   at one resolution, read at its last block before a stride-2 block and at the last 1x1 conv,
#   the points torchvision's own detection backbones read (``_mobilenet_extractor``'s stages).
EVERY_GROUP = ("resnet18", "vgg11_bn")


def inside_taps(arch: str, blocks: list[BlockPlan]) -> list[str]:
    """The names of the rows the Inside page taps, input to output (the head is not a block)."""
    ends = []
    for block in blocks:
        rows = [s for s in block.body if s.output is not None and len(s.output) == 3 and s.kind != "identity"]
        ends += rows[-1:]
    if arch not in EVERY_GROUP:  # a stage ends where the next group makes the picture smaller
        ends = [a for a, b in zip(ends, ends[1:]) if b.output[1:] < a.output[1:]] + ends[-1:]
    return [s.name for s in ends]


def model_plan(cfg: ModelConfig, input_shape, num_classes: int) -> Plan:
    """The plan of any architecture: the lab's own blocks (``make_plan``) or a ready one."""
    return ready_plan(cfg, input_shape, num_classes) if cfg.ready else make_plan(cfg, input_shape, num_classes)


def _size(shape) -> str:
    return "x".join(str(v) for v in tuple(shape)[2:]) or str(prod(shape))
