"""The one augmentation path: training batches and the preview both go through here.

``augment_batch`` is what the training loop calls on every uint8 batch;
``augment_batch_recorded`` is the same code that also returns, per image, the random
parameters each step drew (the preview shows them). Recording only reads values that
were drawn anyway, so for the same seed both give identical tensors.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any, Callable

import torch

from lab.augment import geometry, pixel
from lab.augment.catalog import build_v2, spec
from lab.config.augment import TransformStep
from lab.errors import keyed
from lab.augment.messages import MESSAGES

Op = Callable[[Any, torch.Tensor, torch.Generator], tuple[torch.Tensor, dict[str, torch.Tensor]]]

# Batched implementations; a transform missing here runs image by image (pixel.per_sample)
OPS: dict[str, Op] = {
    "RandomHorizontalFlip": geometry.horizontal_flip,
    "RandomVerticalFlip": geometry.vertical_flip,
    "RandomCrop": geometry.random_crop,
    "RandomResizedCrop": geometry.random_resized_crop,
    "RandomRotation": geometry.rotation,
    "RandomAffine": geometry.affine,
    "RandomPerspective": geometry.perspective,
    "ColorJitter": pixel.color_jitter,
    "RandomGrayscale": pixel.grayscale,
    "GaussianBlur": pixel.gaussian_blur,
    "GaussianNoise": pixel.gaussian_noise,
    "RandomErasing": pixel.erasing,
    "RandomInvert": pixel.invert,
    "RandomSolarize": pixel.solarize,
    "RandomAutocontrast": pixel.autocontrast,
    "RandomEqualize": pixel.equalize,
}


@lru_cache(maxsize=256)
def _built(name: str, params_json: str):
    return build_v2(TransformStep(name, json.loads(params_json)))


def built(step: TransformStep):
    """The validated torchvision transform of a step (cached: the loop calls this per batch)."""
    return _built(step.name, json.dumps(step.params, sort_keys=True))


def _run(x: torch.Tensor, steps: list[TransformStep], generator: torch.Generator, record: bool):
    if x.dtype != torch.uint8 or x.dim() != 4:
        raise keyed(MESSAGES, "augment.uint8", dtype=str(x.dtype), shape=str(tuple(x.shape)))
    drawn_per_step = []
    for step in steps:
        t = built(step)
        x, drawn = OPS.get(step.name, pixel.per_sample)(t, x, generator)
        if record:
            drawn_per_step.append((step.name, {k: v.detach().cpu() for k, v in drawn.items()}))
    return x, drawn_per_step


def augment_batch(x: torch.Tensor, steps: list[TransformStep], generator: torch.Generator) -> torch.Tensor:
    """uint8 (N, C, H, W) -> uint8 (N, C, H', W'), every image with its own random parameters.

    Parameters are drawn from ``generator`` (on its device, moved to ``x``'s), so one
    seed gives one result. ``steps == []`` returns ``x`` itself.
    """
    if not steps:
        return x
    return _run(x, steps, generator, record=False)[0]


def augment_batch_recorded(x: torch.Tensor, steps: list[TransformStep], generator: torch.Generator
                           ) -> tuple[torch.Tensor, list[list[dict[str, Any]]]]:
    """``augment_batch`` plus, for each image, one dict per step of what it drew:
    ``{"transform": "RandomRotation", "angle": -3.2}``."""
    if not steps:
        return x, [[] for _ in range(len(x))]
    out, drawn_per_step = _run(x, steps, generator, record=True)
    records: list[list[dict[str, Any]]] = [[] for _ in range(len(x))]
    for name, drawn in drawn_per_step:
        for k in range(len(x)):
            entry: dict[str, Any] = {"transform": name}
            for key, values in drawn.items():
                entry[key] = _python(values[k])
            records[k].append(entry)
    return out, records


def _python(value: torch.Tensor) -> Any:
    if value.dtype == torch.bool:
        return bool(value)
    if value.numel() > 1:
        return [_python(v) for v in value]
    if value.is_floating_point():
        return float(value)
    return int(value)


def output_shape(steps: list[TransformStep], input_shape: tuple[int, int, int]) -> tuple[int, int, int]:
    """(C, H, W) after the steps: only RandomCrop and RandomResizedCrop change the size."""
    c, h, w = (int(v) for v in input_shape)
    for step in steps:
        t = built(step)
        if step.name == "RandomCrop":
            geometry.crop_padding(t, h, w)  # raises if the crop cannot fit
            h, w = t.size
        elif step.name == "RandomResizedCrop":
            h, w = t.size
        elif step.name == "GaussianBlur" and (t.kernel_size[0] // 2 >= w or t.kernel_size[1] // 2 >= h):
            raise keyed(MESSAGES, "augment.blur_too_big", kernel=t.kernel_size[0], h=h, w=w)
        elif spec(step.name).group == "policy" and c not in (1, 3):
            raise keyed(MESSAGES, "augment.policy_channels", name=step.name, c=c)
    return c, int(h), int(w)


def normalize(x_uint8: torch.Tensor, mean: list[float], std: list[float]) -> torch.Tensor:
    """The lab's last step for train and eval alike: float32 ``(x / 255 - mean) / std`` per channel.

    In torchvision's arithmetic to the last bit (``v2.ToDtype(float32, scale=True)`` multiplies
    by 1/255, ``v2.Normalize`` subtracts then divides), so the exported script, which
    normalises each image with v2, feeds the model exactly the lab's numbers."""
    m = torch.as_tensor(mean, dtype=torch.float32, device=x_uint8.device).view(1, -1, 1, 1)
    s = torch.as_tensor(std, dtype=torch.float32, device=x_uint8.device).view(1, -1, 1, 1)
    return x_uint8.float().mul(1.0 / 255.0).sub_(m).div_(s)  # mul: a new tensor even for a float input
