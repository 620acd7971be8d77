"""Which layers of a model to look inside, read from its plan.

A LabNet's conv blocks are each tapped once per conv (after its activation; after its
BatchNorm or conv when the block has no activation) and once after its pooling. A ready
torchvision network is tapped at the ends of its stages, the rows its plan names
(``Plan.taps``, chosen in ``lab.model.ready_plan``). The names, output shapes and receptive
fields are the plan's, so the Inside page and the Architecture page's table cannot
disagree. ``capture`` runs one forward pass with forward hooks on exactly those modules.
"""

from __future__ import annotations

import functools
import json
import threading
from contextlib import contextmanager
from dataclasses import dataclass, replace

import torch
from torch import nn

from lab.config.base import from_dict, to_dict
from lab.config.model import ModelConfig
from lab.errors import keyed
from lab.inspect.messages import MESSAGES as INSPECT_MESSAGES
from lab.model.build import LabNet
from lab.model.plan import BlockPlan, Plan, Step
from lab.model.ready_plan import model_plan as plan_of

CONV_LIKE = ("conv", "bn", "act", "add")  # steps that end one conv's stage of a block
POOLS = ("maxpool", "avgpool")


@dataclass(frozen=True)
class Tap:
    name: str  # the plan's step name: "block1.act1", "block2.pool"
    stage: str  # "activation" (a conv's output after its activation), "pool" or "block" (a torchvision block's output)
    block: int  # 1-based (a ready network's group: resnet18's stem is 1, layer1 2...)
    shape: tuple[int, int, int]  # (C, H, W) the plan computed
    receptive_field: tuple[int, int]  # input pixels one value sees (H, W)
    module: nn.Module
    group: str = ""  # a ready network's group (model.groups()): "stem", "layer1"; "" for a LabNet


def model_plan(checkpoint) -> Plan:
    """The plan of the checkpoint's architecture on its own input shape. Remembered per
    architecture: a ready network's plan is a meta-device pass and a graph trace (about half a
    second for resnet18 on 2 cores), and the Inside page asks on every stroke."""
    model = json.dumps(to_dict(checkpoint.config.model), sort_keys=True)  # the config, hashable
    return _plan(model, tuple(checkpoint.input_shape), len(checkpoint.classes))


@functools.lru_cache(maxsize=16)  # a few architectures' plans, shared by the sessions, the least used dropped
def _plan(model: str, shape: tuple, classes: int) -> Plan:
    return plan_of(from_dict(ModelConfig, json.loads(model)), shape, classes)


def _block_pairs(model: LabNet, block: BlockPlan) -> list[tuple[Step, nn.Module]]:
    """(plan step, module) in forward order; build.py made the block from the same steps."""
    seq = getattr(model, f"block{block.index}")
    if block.shortcut is None:
        return list(zip(block.body + block.after, seq))
    residual = seq[0]  # Residual(body, shortcut): its output is the plan's "add"
    return list(zip(block.body, residual.body)) + [(block.add, residual)] + list(zip(block.after, list(seq)[1:]))


def taps(model: nn.Module, plan: Plan) -> list[Tap]:
    """Every conv block's activations and pooling outputs (a ready network: its stage ends), in
    forward order."""
    if plan.taps:
        return _ready_taps(model, plan)
    if not isinstance(model, LabNet) or model.num_blocks != len(plan.blocks):
        raise keyed(INSPECT_MESSAGES, "inspect.not_lab_model")
    out: list[Tap] = []
    for block in plan.blocks:
        pending: tuple[Step, nn.Module] | None = None
        for step, module in _block_pairs(model, block):
            if pending is not None and (step.kind == "conv" or step.kind not in CONV_LIKE):
                out.append(_tap(pending, "activation"))
                pending = None
            if step.kind in CONV_LIKE:
                pending = (step, module)
            elif step.kind in POOLS:
                out.append(_tap((step, module), "pool"))
        if pending is not None:
            out.append(_tap(pending, "activation"))
    return out


STAGES = {"block": "block", "maxpool": "pool", "avgpool": "pool"}  # a ready row's kind -> its tap's stage


def _ready_taps(model: nn.Module, plan: Plan) -> list[Tap]:
    steps = {s.name: s for s in plan.steps()}
    try:
        modules = [model.get_submodule(name) for name in plan.taps]
        groups = [name for name, _ in model.groups()]
    except AttributeError:  # a model that is not the plan's network
        raise keyed(INSPECT_MESSAGES, "inspect.not_lab_model") from None
    out = []
    for name, module in zip(plan.taps, modules):
        step = steps[name]
        tap = _tap((step, module), STAGES.get(step.kind, "activation"))
        out.append(replace(tap, group=groups[step.block - 1] if 0 < step.block <= len(groups) else ""))
    return out


def _tap(pair: tuple[Step, nn.Module], stage: str) -> Tap:
    step, module = pair
    return Tap(step.name, stage, step.block, tuple(step.output), tuple(step.rf), module)


@contextmanager
def capture(tap_list: list[Tap]):
    """Collect each tap's output during the forward passes made inside the block.

    The hooks record only this thread's forward passes: a model cached for the whole
    server is shared by every session's script thread, and their passes must not mix.
    """
    outputs: dict[str, torch.Tensor] = {}
    me = threading.get_ident()

    def hook_for(name):
        def hook(_module, _inputs, output):
            if threading.get_ident() == me:
                outputs[name] = output
        return hook

    handles = [tap.module.register_forward_hook(hook_for(tap.name)) for tap in tap_list]
    try:
        yield outputs
    finally:
        for handle in handles:
            handle.remove()
