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


def _code_step(step: TransformStep) -> str:
    """The text form, except AutoAugment's policy, which torchvision takes only as an enum."""
    policy = step.params.get("policy")
    if step.name != "AutoAugment" or policy is None:
        return format_step(step)
    rest = TransformStep(step.name, {k: v for k, v in step.params.items() if k != "policy"})
    inner = format_step(rest)[len("AutoAugment("):-1]
    args = ", ".join(a for a in (f"policy=v2.AutoAugmentPolicy.{str(policy).upper()}", inner) if a)
    return f"AutoAugment({args})"


def compose_source(steps: list[TransformStep], mean: list[float], std: list[float]) -> str:
    """Python source defining ``train_transform`` and ``eval_transform``."""
    tail = [
        "v2.ToDtype(torch.float32, scale=True),",
        f"v2.Normalize(mean={_numbers(mean)}, std={_numbers(std)}),",
    ]
    train = ["v2.ToImage(),"]
    for step in steps:
        if step.name == "GaussianNoise":
            # v2.GaussianNoise accepts float images only; the lab adds the noise to x / 255 and
            # returns to uint8, so the later steps still see pixels 0..255
            train += ["v2.ToDtype(torch.float32, scale=True),", f"v2.{format_step(step)},",
                      "v2.ToDtype(torch.uint8, scale=True),  # back to pixels 0..255, as the lab does"]
        else:
            train.append(f"v2.{_code_step(step)},")
    train += tail
    evaluation = ["v2.ToImage(),"] + tail
    lines = ["import torch", "from torchvision.transforms import v2"]
    lines += ["", "# Training split only: random steps on uint8 images, then float and normalise",
              "train_transform = v2.Compose(["]
    lines += [f"    {line}" for line in train] + ["])", "",
                                                   "# Validation, test and prediction: normalise only",
                                                   "eval_transform = v2.Compose(["]
    lines += [f"    {line}" for line in evaluation] + ["])"]
    return "\n".join(lines) + "\n"
