"""Which transforms the lab knows, and what each parameter means.

One declarative entry per ``torchvision.transforms.v2`` class: its parameters with
defaults, ranges and the widget that edits them (the page generates its controls
from this table instead of hand-writing a form per transform). Parameter meaning
and range checks are torchvision's own: ``build_v2`` constructs the real v2 object,
so ``RandomRotation(-5)`` fails exactly as it would in a course notebook, and the
batched engine reads the normalised values (``degrees=10`` -> ``[-10, 10]``) from it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Literal

from torchvision.transforms import v2
from torchvision.transforms.v2 import InterpolationMode
from lab.errors import did_you_mean, keyed


Widget = Literal["prob", "float", "int", "range", "pair", "choice", "bool", "none"]


@dataclass(frozen=True)
class ParamSpec:
    name: str
    default: Any  # the torchvision default (what an omitted argument means)
    widget: Widget = "none"  # "none": settable in the text form only
    lo: float = 0.0  # widget bounds (the torchvision checks still apply on top)
    hi: float = 1.0
    step: float = 0.01
    choices: tuple = ()
    # What a freshly added step or widget proposes where torchvision has no default
    suggest: Any = None
    required: bool = False  # torchvision has no default: the step must give it


@dataclass(frozen=True)
class TransformSpec:
    name: str
    params: tuple[ParamSpec, ...]
    group: Literal["geometry", "color", "noise", "policy"]
    positional: tuple[str, ...] = ()  # parameters students write without a keyword
    batched: bool = True  # False: a per-sample loop over the torchvision transform
    changes_size: bool = False
    param_names: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "param_names", tuple(p.name for p in self.params))

    def param(self, name: str) -> ParamSpec:
        return next(p for p in self.params if p.name == name)


_INTERP = ("nearest", "bilinear")
_PAD_MODES = ("constant", "edge", "reflect", "symmetric")


def _p(name: str = "p", default: float = 0.5) -> ParamSpec:
    return ParamSpec(name, default, "prob", 0.0, 1.0, 0.05)


def _interp(default: str) -> ParamSpec:
    return ParamSpec("interpolation", default, "choice", choices=_INTERP)


_FILL = ParamSpec("fill", 0)  # a pixel value 0..255 or one per channel

SPECS: dict[str, TransformSpec] = {s.name: s for s in [
    TransformSpec("RandomHorizontalFlip", (_p(),), "geometry", ("p",)),
    TransformSpec("RandomVerticalFlip", (_p(),), "geometry", ("p",)),
    TransformSpec("RandomCrop", (
        ParamSpec("size", None, "int", 4, 256, 1, suggest=28, required=True),
        ParamSpec("padding", None, "int", 0, 16, 1, suggest=2),
        ParamSpec("pad_if_needed", False, "bool"),
        _FILL,
        ParamSpec("padding_mode", "constant", "choice", choices=_PAD_MODES),
    ), "geometry", ("size", "padding"), changes_size=True),
    TransformSpec("RandomResizedCrop", (
        ParamSpec("size", None, "int", 4, 256, 1, suggest=28, required=True),
        ParamSpec("scale", (0.08, 1.0), "range", 0.01, 1.0, 0.01),
        ParamSpec("ratio", (3 / 4, 4 / 3), "range", 0.2, 5.0, 0.05),
        _interp("bilinear"),
        ParamSpec("antialias", True),
    ), "geometry", ("size",), changes_size=True),
    TransformSpec("RandomRotation", (
        ParamSpec("degrees", None, "float", 0, 180, 1, suggest=10, required=True),
        _interp("nearest"),
        ParamSpec("expand", False),
        ParamSpec("center", None),
        _FILL,
    ), "geometry", ("degrees",)),
    TransformSpec("RandomAffine", (
        ParamSpec("degrees", None, "float", 0, 180, 1, suggest=0, required=True),
        ParamSpec("translate", None, "pair", 0.0, 1.0, 0.01, suggest=(0.1, 0.1)),
        ParamSpec("scale", None, "range", 0.1, 3.0, 0.05, suggest=(0.9, 1.1)),
        ParamSpec("shear", None, "float", 0, 60, 1, suggest=5),
        _interp("nearest"),
        _FILL,
        ParamSpec("center", None),
    ), "geometry", ("degrees",)),
    TransformSpec("RandomPerspective", (
        ParamSpec("distortion_scale", 0.5, "float", 0.0, 1.0, 0.05),
        _p(),
        _interp("bilinear"),
        _FILL,
    ), "geometry", ("distortion_scale", "p")),
    TransformSpec("ColorJitter", (
        ParamSpec("brightness", None, "float", 0.0, 2.0, 0.05, suggest=0.2),
        ParamSpec("contrast", None, "float", 0.0, 2.0, 0.05, suggest=0.2),
        ParamSpec("saturation", None, "float", 0.0, 2.0, 0.05, suggest=0.2),
        ParamSpec("hue", None, "float", 0.0, 0.5, 0.01, suggest=0.05),
    ), "color", ("brightness", "contrast", "saturation", "hue")),
    TransformSpec("RandomGrayscale", (_p("p", 0.1),), "color", ("p",)),
    TransformSpec("GaussianBlur", (
        ParamSpec("kernel_size", None, "int", 1, 15, 2, suggest=3, required=True),
        ParamSpec("sigma", (0.1, 2.0), "range", 0.05, 5.0, 0.05),
    ), "noise", ("kernel_size", "sigma")),
    TransformSpec("GaussianNoise", (
        ParamSpec("mean", 0.0, "float", -0.5, 0.5, 0.01),
        ParamSpec("sigma", 0.1, "float", 0.0, 1.0, 0.01),
        ParamSpec("clip", True),
    ), "noise", ()),
    TransformSpec("RandomErasing", (
        _p(),
        ParamSpec("scale", (0.02, 0.33), "range", 0.01, 1.0, 0.01),
        ParamSpec("ratio", (0.3, 3.3), "range", 0.1, 10.0, 0.1),
        ParamSpec("value", 0),  # a pixel value 0..255, one per channel, or "random"
    ), "noise", ("p",)),
    TransformSpec("RandomInvert", (_p(),), "color", ("p",)),
    TransformSpec("RandomSolarize", (ParamSpec("threshold", None, "float", 0, 255, 1, suggest=128, required=True), _p()),
                  "color", ("threshold", "p")),
    TransformSpec("RandomAutocontrast", (_p(),), "color", ("p",)),
    TransformSpec("RandomEqualize", (_p(),), "color", ("p",)),
    TransformSpec("TrivialAugmentWide", (
        ParamSpec("num_magnitude_bins", 31, "int", 2, 64, 1),
        _interp("nearest"), ParamSpec("fill", None),
    ), "policy", (), batched=False),
    TransformSpec("RandAugment", (
        ParamSpec("num_ops", 2, "int", 1, 6, 1),
        ParamSpec("magnitude", 9, "int", 0, 30, 1),
        ParamSpec("num_magnitude_bins", 31, "int", 2, 64, 1),
        _interp("nearest"), ParamSpec("fill", None),
    ), "policy", ("num_ops", "magnitude"), batched=False),
    TransformSpec("AutoAugment", (
        ParamSpec("policy", "imagenet", "choice", choices=("imagenet", "cifar10", "svhn")),
        _interp("nearest"), ParamSpec("fill", None),
    ), "policy", ("policy",), batched=False),
]}

NAMES = tuple(SPECS)


def spec(name: str) -> TransformSpec:
    from lab.augment.messages import LAB_DOES_IT, MESSAGES  # heavy: loaded on first use, to keep start-up light

    if name in LAB_DOES_IT:
        raise keyed(MESSAGES, "augment.lab_does_it", name=name)
    if name not in SPECS:
        raise keyed(MESSAGES, "augment.unknown", name=repr(name), known=", ".join(NAMES), close=did_you_mean(name, NAMES))
    return SPECS[name]


def _v2_value(name: str, value: Any) -> Any:
    """A config (JSON) value -> what the v2 constructor expects."""
    from lab.augment.messages import MESSAGES  # heavy: loaded on first use, to keep start-up light

    if name == "interpolation" and isinstance(value, str):
        try:
            return InterpolationMode(value)
        except ValueError:
            raise keyed(MESSAGES, "augment.interpolation", value=repr(value), allowed=", ".join(_INTERP)) from None
    if name == "policy" and isinstance(value, str):
        try:
            return v2.AutoAugmentPolicy(value)
        except ValueError:
            raise keyed(MESSAGES, "augment.policy", value=repr(value)) from None
    if name == "value" and value == "random":
        return "random"
    if isinstance(value, list):
        return tuple(value)
    return value


def _check_literal(path: str, value: Any) -> None:
    from lab.augment.messages import MESSAGES  # heavy: loaded on first use, to keep start-up light

    if isinstance(value, bool) or value is None or isinstance(value, str):
        return
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            raise keyed(MESSAGES, "augment.not_finite", path=path, value=value)
        return
    if isinstance(value, (list, tuple)):
        for v in value:
            if isinstance(v, (list, tuple)):
                raise keyed(MESSAGES, "augment.nested", path=path)
            _check_literal(path, v)
        return
    raise keyed(MESSAGES, "augment.bad_value", path=path, value=repr(value))


def build_v2(step) -> v2.Transform:
    """The real torchvision v2 transform for ``step``; LabError naming the bad argument."""
    from lab.augment.messages import MESSAGES  # heavy: loaded on first use, to keep start-up light

    s = spec(step.name)
    for key, value in step.params.items():
        if key not in s.param_names:
            raise keyed(MESSAGES, "augment.unknown_arg", name=step.name, arg=repr(key), allowed=", ".join(s.param_names),
                        close=did_you_mean(key, s.param_names))
        _check_literal(f"{step.name}({key}=...)", value)
    for p in s.params:
        if p.required and p.name not in step.params:
            raise keyed(MESSAGES, "augment.needs", name=step.name, param=p.name, example=p.suggest)
    if step.params.get("expand"):
        raise keyed(MESSAGES, "augment.expand", name=step.name)
    kwargs = {k: _v2_value(k, v) for k, v in step.params.items()}
    cls = getattr(v2, step.name)
    try:
        return cls(**kwargs)
    except (TypeError, ValueError) as exc:
        raise keyed(MESSAGES, "augment.rejected", name=step.name, error=str(exc)) from None


def validate_steps(steps: list) -> None:
    """Every step is a known transform whose arguments torchvision accepts (LabError if not)."""
    for step in steps:
        build_v2(step)
