"""The equivalent ``torchvision.transforms.v2`` pipelines, as code to copy into a notebook.

Train: ToImage -> the user's steps on uint8 -> ToDtype(float32, scale=True) ->
Normalize(mean, std). Eval: the same without the random steps. This is exactly the
lab's order (augment uint8, normalise last), so RandomErasing's ``value`` is a pixel
value 0..255 in both. Note for the notebook: v2 draws one set of parameters per call,
so apply it per image (in a Dataset), not to a whole batch at once.
"""

from __future__ import annotations

from lab.augment.text import format_step
from lab.config.augment import TransformStep


def _numbers(values: list[float]) -> str:
    return "[" + ", ".join(f"{v:.4f}" for v in values) + "]"


def compose_source(steps: list[TransformStep], mean: list[float], std: list[float]) -> str:
    """Python source defining ``train_transform`` and ``eval_transform``."""
    tail = [
        "v2.ToDtype(torch.float32, scale=True),",
        f"v2.Normalize(mean={_numbers(mean)}, std={_numbers(std)}),",
    ]
    train = ["v2.ToImage(),"] + [f"v2.{format_step(s)}," for s in steps] + tail
    evaluation = ["v2.ToImage(),"] + tail
    uses_interp = any("InterpolationMode" in line for line in train)
    lines = ["import torch", "from torchvision.transforms import v2"]
    if uses_interp:
        lines.append("from torchvision.transforms.v2 import InterpolationMode")
    lines += ["", "# Training split only: random steps on uint8 images, then float and normalise",
              "train_transform = v2.Compose(["]
    lines += [f"    {line}" for line in train] + ["])", "",
                                                   "# Validation, test and prediction: normalise only",
                                                   "eval_transform = v2.Compose(["]
    lines += [f"    {line}" for line in evaluation] + ["])"]
    return "\n".join(lines) + "\n"
