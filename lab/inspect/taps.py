"""Which layers of a LabNet to look inside, read from the lab's own plan.

Each conv block is tapped once per conv (after its activation; after its BatchNorm or
conv when the block has no activation) and once after its pooling. The names, output
shapes and receptive fields are the plan's (``lab.model.plan``), so the Inside page and
the Architecture page's table cannot disagree. ``capture`` runs one forward pass with
forward hooks on exactly those modules.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from dataclasses import dataclass

import torch
from torch import nn

from lab.errors import keyed
from lab.inspect.messages import MESSAGES as INSPECT_MESSAGES
from lab.model.build import LabNet
from lab.model.plan import BlockPlan, Plan, Step, make_plan

CONV_LIKE = ("conv", "bn", "act", "add")  # steps that end one conv's stage of a block
POOLS = ("maxpool", "avgpool")


@dataclass(frozen=True)
class Tap:
    name: str  # the plan's step name: "block1.act1", "block2.pool"
    stage: str  # "activation" (a conv's output after its activation) or "pool"
    block: int  # 1-based
    shape: tuple[int, int, int]  # (C, H, W) the plan computed
    receptive_field: tuple[int, int]  # input pixels one value sees (H, W)
    module: nn.Module


def model_plan(checkpoint) -> Plan:
    """The plan of the checkpoint's architecture on its own input shape."""
    return make_plan(checkpoint.config.model, tuple(checkpoint.input_shape), len(checkpoint.classes))


def _block_pairs(model: LabNet, block: BlockPlan) -> list[tuple[Step, nn.Module]]:
    """(plan step, module) in forward order; build.py made the block from the same steps."""
    seq = getattr(model, f"block{block.index}")
    if block.shortcut is None:
        return list(zip(block.body + block.after, seq))
    residual = seq[0]  # Residual(body, shortcut): its output is the plan's "add"
    return list(zip(block.body, residual.body)) + [(block.add, residual)] + list(zip(block.after, list(seq)[1:]))


def taps(model: nn.Module, plan: Plan) -> list[Tap]:
    """Every conv block's activations and pooling outputs, in forward order."""
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
