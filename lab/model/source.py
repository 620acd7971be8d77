"""Plan -> a standalone PyTorch class, written the way a student would write it."""

from __future__ import annotations

from lab.config.model import ModelConfig
from lab.model.messages import layer_problem
from lab.model.layers import expression
from lab.model.plan import Plan, Step, make_plan
from lab.model.ready_plan import ready_plan

_RESIDUAL = '''

class Residual(nn.Module):
    """Adds the input, through `shortcut`, to the output of `body` (a ResNet skip connection)."""

    def __init__(self, body, shortcut):
        super().__init__()
        self.body = body
        self.shortcut = shortcut

    def forward(self, x):
        return self.body(x) + self.shortcut(x)
'''


def _shape(step: Step, before: tuple | None = None) -> str:
    """A comment with the output shape, only where the shape changes (BN and ReLU keep it)."""
    out = step.output
    if out is None or out == before:
        return ""
    if step.kind == "flatten" and before is not None and len(before) == 3:
        return f"  # {before[0]} * {before[1]} * {before[2]} = {out[0]} features"
    return f"  # -> ({', '.join(str(v) for v in out)})" if len(out) > 1 else f"  # -> {out[0]} features"


def _lines(steps: list[Step], indent: str, before: tuple | None) -> tuple[list[str], tuple | None]:
    lines = []
    for s in steps:
        lines.append(f"{indent}{expression(s)},{_shape(s, before)}")
        before = s.output
    return lines, before


def plan_source(plan: Plan, class_name: str = "Net") -> str:
    broken = plan.problems()
    if broken:  # the same LabError build_model raises
        raise layer_problem(broken[0])
    residual = any(b.shortcut for b in plan.blocks)
    c, h, w = plan.input_shape
    params = sum(s.params for s in plan.steps())
    out = ["import torch", "from torch import nn", ""]
    if residual:
        out += _RESIDUAL.splitlines()[1:] + [""]
    out += [
        "",
        f"class {class_name}(nn.Module):",
        f'    """Input (N, {c}, {h}, {w}) -> logits (N, {plan.num_classes}); {params:,} parameters."""',
        "",
        "    def __init__(self):",
        "        super().__init__()",
    ]
    shape: tuple | None = plan.input_shape
    for b in plan.blocks:
        out.append(f"        self.block{b.index} = nn.Sequential(")
        if b.shortcut is not None:
            entry = shape
            out.append("            Residual(")
            out.append("                nn.Sequential(")
            lines, shape = _lines(b.body, " " * 20, shape)
            out += lines
            out.append("                ),")
            shape_note = _shape(b.shortcut, entry).replace("  #", "")
            out.append(f"                {expression(b.shortcut)},  # shortcut: the input{shape_note}")
            out.append("            ),")
        else:
            lines, shape = _lines(b.body, " " * 12, shape)
            out += lines
        lines, shape = _lines(b.after, " " * 12, shape)
        out += lines
        out.append("        )")
    out.append("        self.head = nn.Sequential(")
    lines, shape = _lines(plan.head, " " * 12, shape)
    out += lines
    out += ["        )", "", "    def forward(self, x):"]
    out += [f"        x = self.block{b.index}(x)" for b in plan.blocks]
    out += ["        return self.head(x)", "", "", "if __name__ == \"__main__\":",
            f"    model = {class_name}()",
            f"    print(model(torch.zeros(2, {c}, {h}, {w})).shape)  # torch.Size([2, {plan.num_classes}])", ""]
    return "\n".join(out)


def model_source(cfg: ModelConfig, input_shape, num_classes: int, class_name: str = "Net") -> str:
    """Standalone Python (imports torch and nn only) defining ``class_name``; same parameters and
    state_dict keys as ``build_model`` gives."""
    if not class_name.isidentifier():
        class_name = "Net"
    if cfg.ready:  # torchvision's constructor and the modifications, as plain torch/torchvision
        from lab.model.ready import ready_source  # heavy: torchvision's models, loaded on first use

        plan = ready_plan(cfg, input_shape, num_classes)
        if plan.problems():
            raise layer_problem(plan.problems()[0])
        return ready_source(cfg, plan.input_shape, plan.num_classes, class_name)
    return plan_source(make_plan(cfg, input_shape, num_classes), class_name)
