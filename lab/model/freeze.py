"""Freezing: which parts of a network do not train (``train.freeze``), and what the optimiser gets.

Written against one contract only: every model the lab builds has ``groups()``, its parts in
order from input to output with the classifier head last (a LabNet: block1..blockN, head; a
ready torchvision architecture: its stem, stages and head). "features" freezes every group but
the head; N freezes all but the last N groups.

A frozen parameter gets ``requires_grad=False`` and is left out of the optimiser
(``param_groups``): no gradient is computed for it and weight decay cannot move it. A
BatchNorm layer inside a frozen group also stays in eval mode, always: in train mode it would
normalise with each batch's statistics and keep moving its running mean and variance towards
the new data while its weights stay fixed, so the "frozen" part would still change what it
computes (and with 50 images a class those batch statistics are noisy). In eval mode the frozen
part computes exactly what the network it came from computed, which is the point of keeping it.
"""

from __future__ import annotations

import types
from dataclasses import dataclass

import torch
from torch import nn

from lab.config.model import ModelConfig
from lab.config.transfer_messages import MESSAGES
from lab.errors import LabError, keyed
from lab.model.build import build_model


def model_groups(model: nn.Module) -> list[tuple[str, nn.Module]]:
    """The model's groups (its ``groups()``); one group, the whole model, for a hand-made one."""
    groups = getattr(model, "groups", None)
    return list(groups()) if callable(groups) else [("model", model)]


def frozen_group_names(freeze, names: list[str]) -> list[str]:
    """The names of the groups ``freeze`` ("none" | "features" | N) keeps fixed."""
    if freeze == "none":
        return []
    keep = 1 if freeze == "features" else int(freeze)
    if keep >= len(names):  # nothing would be frozen, or a head-only model: say so
        raise keyed(MESSAGES, "transfer.too_many_frozen", n=freeze, groups=len(names), names=", ".join(names),
                    most=max(1, len(names) - 1))
    return names[: len(names) - keep]


def frozen_layers(freeze, model: nn.Module, layer_names: list[str]) -> set[str]:
    """Which rows of ``model``'s shape table (``layer_names``) ``freeze`` keeps fixed, read from
    the model's own ``groups()``: a row that names a module (a ready architecture's
    ``layer4.0``, ``features.3``) is frozen when that module sits in a frozen group; the lab's
    own rows (``block2.conv1``) belong to the group before the first dot. None where the freeze
    does not fit the model (the run itself then says why)."""
    groups = model_groups(model)
    try:
        frozen = set(frozen_group_names(freeze, [name for name, _ in groups]))
    except LabError:
        return set()
    fixed = {id(m) for name, group in groups if name in frozen for m in group.modules()}
    modules = dict(model.named_modules())

    def is_frozen(row: str) -> bool:
        return id(modules[row]) in fixed if row in modules else row.split(".")[0] in frozen

    return {row for row in layer_names if is_frozen(row)}


def frozen_modules(freeze, model: nn.Module) -> list[str]:
    """The outermost module paths of the groups ``freeze`` keeps fixed (``block1``; resnet18's
    stem as ``conv1``, ``bn1``, ``relu``, ``maxpool``): what the exported script freezes, so its
    plain torchvision model needs no ``groups()`` of its own."""
    groups = model_groups(model)
    frozen = frozen_group_names(freeze, [name for name, _ in groups])
    inside = {id(m) for name, group in groups if name in frozen for m in group.modules()}
    paths = [name for name, m in model.named_modules() if name and id(m) in inside]
    return [p for p in paths if not any(p.startswith(q + ".") for q in paths)]


def frozen_rows(freeze, cfg: ModelConfig, input_shape, num_classes: int, layer_names: list[str]) -> set[str]:
    """``frozen_layers`` for the model ``cfg`` describes, built on PyTorch's meta device (no
    memory for its weights): what the Architecture page's shape table marks."""
    if freeze == "none":
        return set()
    with torch.device("meta"):
        model = build_model(cfg, input_shape, num_classes)
    return frozen_layers(freeze, model, layer_names)


@dataclass
class Frozen:
    groups: list[str]  # the frozen groups' names, in order
    trained: list[str]  # the others
    params: int  # parameters that do not train
    names: set[str]  # the frozen parameters' state-dict names


def _eval_only(self: nn.Module, mode: bool = True) -> nn.Module:
    """``train()`` of a BatchNorm in a frozen group: always eval (see the module's doc)."""
    return nn.Module.train(self, False)


def freeze(model: nn.Module, how) -> Frozen:
    """Freeze ``model``'s groups as ``how`` says (in place); what was frozen."""
    groups = model_groups(model)
    frozen = frozen_group_names(how, [name for name, _ in groups])
    names, count = set(), 0
    for name, module in groups:
        if name not in frozen:
            continue
        for p in module.parameters():
            p.requires_grad_(False)
            count += p.numel()
        for m in module.modules():
            if isinstance(m, nn.modules.batchnorm._BatchNorm):
                m.train = types.MethodType(_eval_only, m)
                m.eval()
    for pname, p in model.named_parameters():
        if not p.requires_grad:
            names.add(pname)
    return Frozen(frozen, [name for name, _ in groups if name not in frozen], count, names)


def param_groups(model: nn.Module, lr: float, pretrained: set[str], factor: float = 1.0) -> list[dict]:
    """The optimiser's parameter groups: only what trains; the layers loaded from existing
    weights (``pretrained``, state-dict names) at ``lr * factor`` when ``factor`` < 1. The
    new layers come first, so the learning rate a run reports is theirs."""
    new, loaded = [], []
    for name, p in model.named_parameters():
        if p.requires_grad:
            (loaded if factor < 1.0 and name in pretrained else new).append(p)
    groups = [{"params": new, "lr": lr}] if new else []
    if loaded:
        groups.append({"params": loaded, "lr": lr * factor})
    return groups
