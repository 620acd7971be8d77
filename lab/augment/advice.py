"""Warnings tied to the dataset: transforms that can change what an image means.

``warnings_for`` returns ``(key, params)`` pairs: ``key`` is a text-catalogue key
(``augmentation.warn.<kind>``, English and Russian live in ``lab/i18n/texts/augmentation.py``)
and ``params`` fills its placeholders. The CLI prints them with the English texts; the
page in the session's language. The engine itself never imports the UI.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lab.augment.catalog import spec
from lab.augment.engine import built, output_shape
from lab.config.augment import TransformStep

MAX_STEPS = 5
DIGITS = {"mnist"}
OBJECTS = {"fashion-mnist", "cifar10"}  # upright photos/drawings of things: no vertical flip

Warning = tuple[str, dict[str, Any]]

# What a teacher would point out about the transforms, in English; the Russian is in
# lab/i18n/texts/augmentation.py under the same keys.
WARNINGS = {
    "augmentation.warn.flip_digits": "{name} on digits can change the label: a mirrored 2 or 5 is not a digit, a "
                                     "flipped 6 looks like a 9. Leave flips out for MNIST.",
    "augmentation.warn.vflip_objects": "{name}: clothes and CIFAR-10 objects are never upside down in the test "
                                       "images, so the model learns something it will never need.",
    "augmentation.warn.vflip_folder": "{name}: fine for views from above (drone imagery), unnatural for upright "
                                      "scenes. Check your images.",
    "augmentation.warn.big_rotation": "{name} up to {degrees}° is large (more than {limit}°): digits and objects "
                                      "turned that far may look like another class.",
    "augmentation.warn.color_on_gray": "{name} has no effect on grayscale images (saturation, hue and grayscale need "
                                       "colour).",
    "augmentation.warn.hue_on_gray": "{name}: saturation and hue do nothing on grayscale images; only brightness and "
                                     "contrast act.",
    "augmentation.warn.invert": "{name} on MNIST turns white digits on black into black on white, which the test set "
                                "never shows.",
    "augmentation.warn.size_changes": "The images change size: {before} → {after}. The architecture page follows the "
                                      "new size (the first layer receives {after} images).",
    "augmentation.warn.too_many": "{n} transforms (more than {limit}): change one thing at a time, otherwise you "
                                  "will not know which one helped.",
    "augmentation.warn.strong": "{name} is strong ({what}): many images may become unrecognisable. Look at the "
                                "preview.",
}


def _dataset_kind(dataset: str) -> str:
    name = Path(dataset).name.lower().replace("_", "-")
    if name in ("mnist",):
        return "digits"
    if name in ("fashion-mnist", "fashionmnist", "cifar10", "cifar-10"):
        return "objects"
    return "folder"


def warnings_for(steps: list[TransformStep], dataset: str, channels: int,
                 input_shape: tuple[int, int, int] | None = None) -> list[Warning]:
    """Catalogue keys (with their placeholder values) of what a teacher would point out."""
    kind = _dataset_kind(dataset)
    out: list[Warning] = []
    for step in steps:
        t = built(step)
        name, p = step.name, step.params
        if name == "RandomHorizontalFlip" and kind == "digits":
            out.append(("augmentation.warn.flip_digits", {"name": name}))
        elif name == "RandomVerticalFlip":
            key = {"digits": "augmentation.warn.flip_digits", "objects": "augmentation.warn.vflip_objects"}.get(
                kind, "augmentation.warn.vflip_folder")
            out.append((key, {"name": name}))
        if name in ("RandomRotation", "RandomAffine"):
            largest = max(abs(float(d)) for d in t.degrees)
            limit = 20 if kind == "digits" else 30
            if largest > limit:
                out.append(("augmentation.warn.big_rotation", {"name": name, "degrees": round(largest),
                                                                "limit": limit}))
        if spec(name).group == "color" and channels == 1 and name in ("ColorJitter", "RandomGrayscale"):
            useless = name == "RandomGrayscale" or all(p.get(k) in (None, 0) for k in ("brightness", "contrast"))
            if useless:
                out.append(("augmentation.warn.color_on_gray", {"name": name}))
            elif any(p.get(k) not in (None, 0) for k in ("saturation", "hue")):
                out.append(("augmentation.warn.hue_on_gray", {"name": name}))
        if name in ("RandomInvert", "RandomSolarize") and kind == "digits":
            out.append(("augmentation.warn.invert", {"name": name}))
        out.extend(_strength(name, t, p))
    if input_shape is not None:
        new = output_shape(steps, input_shape)
        if new[1:] != tuple(input_shape[1:]):
            out.append(("augmentation.warn.size_changes", {"before": f"{input_shape[1]}×{input_shape[2]}",
                                                           "after": f"{new[1]}×{new[2]}"}))
    if len(steps) > MAX_STEPS:
        out.append(("augmentation.warn.too_many", {"n": len(steps), "limit": MAX_STEPS}))
    return out


def _strength(name: str, t, params: dict) -> list[Warning]:
    """Settings strong enough to make many images unrecognisable."""
    strong: list[str] = []
    if name == "RandomCrop" and t.padding is not None and max(t.padding) > max(t.size) // 6:
        strong.append(f"padding={max(t.padding)}")
    if name == "RandomResizedCrop" and t.scale[0] < 0.3:
        strong.append(f"scale≥{t.scale[0]}")
    if name == "RandomAffine":
        if t.translate is not None and max(t.translate) > 0.2:
            strong.append(f"translate={max(t.translate)}")
        if t.scale is not None and (t.scale[0] < 0.7 or t.scale[1] > 1.4):
            strong.append(f"scale={tuple(t.scale)}")
        if t.shear is not None and max(abs(float(s)) for s in t.shear) > 20:
            strong.append(f"shear={max(abs(float(s)) for s in t.shear):g}")
    if name == "ColorJitter":
        for k in ("brightness", "contrast", "saturation"):
            r = getattr(t, k)
            if r is not None and (r[1] - r[0]) / 2 > 0.5:
                strong.append(f"{k}={(r[1] - r[0]) / 2:g}")
        if t.hue is not None and t.hue[1] > 0.2:
            strong.append(f"hue={t.hue[1]:g}")
    if name == "GaussianNoise" and t.sigma > 0.2:
        strong.append(f"sigma={t.sigma:g}")
    if name == "RandomErasing" and (t.scale[1] > 0.4 or t.p > 0.7):
        strong.append(f"scale={tuple(t.scale)}, p={t.p:g}")
    if name == "RandomPerspective" and t.distortion_scale > 0.5:
        strong.append(f"distortion_scale={t.distortion_scale:g}")
    if name == "GaussianBlur" and t.sigma[1] > 3:
        strong.append(f"sigma up to {t.sigma[1]:g}")
    if name == "RandAugment" and params.get("magnitude", 9) > 15:
        strong.append(f"magnitude={params['magnitude']}")
    return [("augmentation.warn.strong", {"name": name, "what": ", ".join(strong)})] if strong else []
