"""The tracer table: per layer output shape, parameters, multiply-adds, receptive field."""

from __future__ import annotations

from dataclasses import dataclass, field

from lab.config.model import ModelConfig
from lab.model.plan import Hint, Plan, Problem, problem_message
from lab.model.ready_plan import model_plan


@dataclass
class TracedLayer:
    name: str  # "block1.conv1"
    kind: str  # conv, bn, act, maxpool, ...
    layer: str  # the PyTorch call, e.g. "nn.Conv2d(1, 32, kernel_size=3)"
    output: tuple[int, ...] | None  # (C, H, W) or (features,); None after a broken layer
    params: int
    macs: int  # multiply-adds per image
    receptive_field: tuple[int, int] | None  # input pixels one output value sees (H, W)
    problem: str | None  # English text with the fix, or None
    problem_code: str | None = None
    problem_fmt: dict = field(default_factory=dict)
    block: int | None = None


@dataclass
class Trace:
    input_shape: tuple[int, int, int]
    num_classes: int
    layers: list[TracedLayer]
    hints: list[Hint]
    plan: Plan

    @property
    def total_params(self) -> int:
        return sum(layer.params for layer in self.layers)

    @property
    def total_macs(self) -> int:
        return sum(layer.macs for layer in self.layers)

    @property
    def size_mb(self) -> float:
        return self.total_params * 4 / 1e6  # float32 weights

    @property
    def ok(self) -> bool:
        return all(layer.problem is None for layer in self.layers)

    @property
    def first_problem(self) -> TracedLayer | None:
        return next((layer for layer in self.layers if layer.problem), None)

    @property
    def flatten_features(self) -> int | None:
        """The first Linear's in_features, computed."""
        return next((layer.output[0] for layer in self.layers if layer.kind == "flatten" and layer.output), None)

    def to_dict(self) -> dict:
        return {
            "input": list(self.input_shape), "classes": self.num_classes, "ok": self.ok,
            "layers": [{"name": layer.name, "layer": layer.layer,
                        "output": list(layer.output) if layer.output else None,
                        "params": layer.params, "macs": layer.macs,
                        "receptive_field": list(layer.receptive_field) if layer.receptive_field else None,
                        "problem": layer.problem} for layer in self.layers],
            "total_params": self.total_params, "total_macs": self.total_macs,
            "size_mb": round(self.size_mb, 3), "hints": [h.text for h in self.hints],
        }


def _text(problem: Problem | None, step) -> str | None:
    return problem_message(step) if problem else None


def trace(cfg: ModelConfig, input_shape, num_classes: int) -> Trace:
    """Every layer of ``cfg`` on ``input_shape``; a layer that cannot work carries the fix."""
    from lab.model.layers import expression  # heavy: loaded on first use, to keep start-up light

    plan = model_plan(cfg, input_shape, num_classes)
    layers = []
    for s in plan.steps():
        # a ready architecture's rows carry their PyTorch text (a torchvision block has no one call)
        layer = s.args.get("text") or ("+" if s.kind == "add" else expression(s) if _constructible(s) else s.kind)
        layers.append(TracedLayer(s.name, s.kind, layer, s.output, s.params, s.macs, s.rf, _text(s.problem, s),
                                  s.problem.code if s.problem else None, dict(s.problem.fmt) if s.problem else {},
                                  s.block))
    return Trace(plan.input_shape, plan.num_classes, layers, plan.hints, plan)


def _constructible(step) -> bool:
    return all(v is not None for v in step.args.values())
