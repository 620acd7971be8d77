"""Plan -> ``nn.Module``: blocks as ``nn.Sequential`` named block1..blockN, then ``head``."""

from __future__ import annotations

from torch import nn

from lab.config.model import ModelConfig
from lab.model.messages import layer_problem
from lab.model.block import Block
from lab.model.bounds import check_plan
from lab.model.layers import Residual, make
from lab.model.plan import BlockPlan, Plan, make_plan
from lab.model.ready_plan import ready_plan


class LabNet(nn.Module):
    """The builder's CNN. Takes normalised float (N, C, H, W), returns logits (N, classes)."""

    def __init__(self, blocks: list[nn.Module], head: nn.Module):
        super().__init__()
        self.num_blocks = len(blocks)
        for i, block in enumerate(blocks, 1):
            self.add_module(f"block{i}", block)  # same names as the exported code: state_dicts match
        self.head = head

    def groups(self) -> list[tuple[str, nn.Module]]:
        """The network's parts from input to output, the classifier head last: what freezing
        counts ("all but the last N groups") and what a table of the weights groups by. Every
        model the lab builds has this method (the ready torchvision architectures too)."""
        return [(f"block{i}", getattr(self, f"block{i}")) for i in range(1, self.num_blocks + 1)] + [("head", self.head)]

    def forward(self, x):
        for i in range(1, self.num_blocks + 1):
            x = getattr(self, f"block{i}")(x)
        return self.head(x)


def _block_module(block: BlockPlan) -> nn.Sequential:
    # Block: an nn.Sequential that pools before a ReLU followed by a max-pool (lab.model.block)
    body = [make(s) for s in block.body]
    if block.shortcut is None:
        return Block(*body, *(make(s) for s in block.after))
    return Block(Residual(Block(*body), make(block.shortcut)), *(make(s) for s in block.after))


def build_from_plan(plan: Plan) -> LabNet:
    broken = plan.problems()
    if broken:
        raise layer_problem(broken[0])
    check_plan(plan)  # weights and activations within the limits, before one tensor exists
    return LabNet([_block_module(b) for b in plan.blocks], nn.Sequential(*(make(s) for s in plan.head)))


def build_model(cfg: ModelConfig, input_shape: tuple[int, int, int], num_classes: int) -> nn.Module:
    """The CNN ``cfg`` describes for this input and class count; LabError names the broken layer."""
    if cfg.ready:  # torchvision's network, modified (lab.model.ready); its plan is read on the meta device
        from lab.model.ready import build_ready  # heavy: torchvision's models, loaded on first use

        plan = ready_plan(cfg, input_shape, num_classes)
        if plan.problems():
            raise layer_problem(plan.problems()[0])
        check_plan(plan)
        return build_ready(cfg, plan.input_shape, plan.num_classes)
    return build_from_plan(make_plan(cfg, input_shape, num_classes))
