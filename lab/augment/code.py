"""The lab's pipeline as ``torchvision.transforms.v2`` code: ONE generator for the
Augmentation page's "the same in torchvision" and the exported training script.

It fills ``lab/templates/v2_transforms.py`` (a runnable file). Train: ToImage -> (image
folders: grayscale, resize and centre-crop to the lab's square) -> the user's steps on
uint8 -> ToDtype(float32, scale=True) -> Normalize. Eval: the same without the random
steps, plus the lab's fit to the model's size when the crops change it (a centre crop,
or a resize for a larger size, as ``lab.train.data.fit_size`` does).
"""

from __future__ import annotations

from typing import Any

from lab.augment.engine import output_shape
from lab.augment.text import format_step
from lab.config.augment import TransformStep
from lab.templates.fill import fill, read_template
from lab.data import builtin_name

TEMPLATE = "v2_transforms.py"
_FLOAT_ONLY = {"GaussianNoise"}  # v2 applies these to float images only


def _numbers(values: list[float]) -> str:
    return "[" + ", ".join(f"{float(v):.4f}" for v in values) + "]"


def _code_value(name: str, value: Any) -> str | None:
    """torchvision takes interpolation and AutoAugment's policy as enums, not text."""
    if name == "interpolation" and isinstance(value, str):
        return f"v2.InterpolationMode.{value.upper()}"
    if name == "policy" and isinstance(value, str):
        return f"v2.AutoAugmentPolicy.{value.upper()}"
    return None


def step_code(step: TransformStep) -> str:
    """``v2.RandomCrop(24, padding=2)``: the text form with torchvision's enums."""
    return "v2." + format_step(step, special=_code_value)


def augment_lines(steps: list[TransformStep]) -> list[str]:
    lines: list[str] = []
    for step in steps:
        if step.name in _FLOAT_ONLY:
            # the lab adds the noise to x / 255 and returns to uint8, so the later steps
            # still see pixels 0..255
            lines += ["v2.ToDtype(torch.float32, scale=True),", f"{step_code(step)},",
                      "v2.ToDtype(torch.uint8, scale=True),  # back to pixels 0..255, as the lab does"]
        else:
            lines.append(f"{step_code(step)},")
    return lines


def fit_lines(steps: list[TransformStep], image_shape: tuple[int, int, int]) -> list[str]:
    """Evaluation images to the size the training crops give (nothing when it is unchanged)."""
    _, h, w = image_shape
    _, th, tw = output_shape(steps, tuple(image_shape))
    if (th, tw) == (h, w):
        return []
    if th <= h and tw <= w:
        return [f"v2.CenterCrop(({th}, {tw})),  # the size the training crops give the model"]
    return [f"v2.Resize(({th}, {tw}), antialias=False),  # up to the size the training crops give"]


def prepare_lines(folder: tuple[int, str] | None) -> list[str]:
    """Image folders: the lab decodes each image to a square of ``image_size`` (and grey)."""
    if folder is None:
        return []
    size, color = folder
    lines = ["v2.Grayscale(num_output_channels=1),"] if color == "grayscale" else []
    return lines + [f"v2.Resize({size}),  # the shorter side", f"v2.CenterCrop({size}),  # the lab's square"]


def folder_of(data) -> tuple[int, str] | None:
    """(image_size, color) of an image-folder DataConfig; None for a built-in dataset."""
    return None if builtin_name(data.dataset) else (data.image_size, data.color)


def _blocks(steps, image_shape, folder) -> dict[str, list[str]]:
    return {"prepare": prepare_lines(folder), "augment": augment_lines(steps),
            "fit": fit_lines(steps, image_shape)}


def transforms_function(steps: list[TransformStep], image_shape: tuple[int, int, int],
                        folder: tuple[int, str] | None = None) -> str:
    """Source of ``def make_transforms(mean, std)`` alone (the exported script's)."""
    return fill(read_template(TEMPLATE), _blocks(steps, image_shape, folder), part="function")


def compose_source(steps: list[TransformStep], mean: list[float], std: list[float],
                   image_shape: tuple[int, int, int], folder: tuple[int, str] | None = None) -> str:
    """A whole notebook cell: imports, MEAN/STD, ``make_transforms`` and
    ``train_transform, eval_transform`` built from them."""
    blocks = _blocks(steps, image_shape, folder)
    blocks["stats"] = [f"MEAN = {_numbers(mean)}  # per channel, of the training pixels scaled to 0..1",
                       f"STD = {_numbers(std)}"]
    return fill(read_template(TEMPLATE), blocks)
