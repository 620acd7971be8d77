"""What the preview page and ``python -m lab augment`` show, built on the training path.

Each original is repeated ``n`` times and the whole block goes through
``augment_batch_recorded`` once, with a generator seeded by the preview's seed: the
same function, parameters and RNG the training loop uses, so what you see is what a
training batch gets. Images are uint8 throughout; ``denormalize`` turns the normalised
tensor the model receives back into viewable pixels.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from PIL import Image

from lab.augment.engine import augment_batch_recorded, normalize
from lab.config.augment import TransformStep
from lab.errors import keyed
from lab.augment.messages import MESSAGES


@dataclass
class Preview:
    originals: torch.Tensor  # uint8 (K, C, H, W)
    augmented: torch.Tensor  # uint8 (K, n, C, H', W')
    records: list[list[list[dict[str, Any]]]]  # [original][version][step] -> drawn parameters


def pick_samples(labels: torch.Tensor, k: int, seed: int, label: int | None = None) -> torch.Tensor:
    """``k`` indices into the split, at random with ``seed``; only class ``label`` if given."""
    pool = torch.arange(len(labels)) if label is None else torch.nonzero(labels == label).flatten()
    if len(pool) == 0:
        raise keyed(MESSAGES, "augment.no_class_images", label=label)
    order = torch.randperm(len(pool), generator=torch.Generator().manual_seed(seed))
    return pool[order[: min(k, len(pool))]]


def make_generator(seed: int, device: str | torch.device = "cpu") -> torch.Generator:
    return torch.Generator(device=device).manual_seed(int(seed))


def preview(originals: torch.Tensor, steps: list[TransformStep], n: int, seed: int) -> Preview:
    """``n`` augmented versions of each original, in one call of the training path."""
    if originals.dtype != torch.uint8 or originals.dim() != 4:
        raise keyed(MESSAGES, "augment.preview_uint8")
    k = len(originals)
    block = originals.repeat_interleave(n, dim=0)  # image 0 n times, then image 1, ...
    out, records = augment_batch_recorded(block, steps, make_generator(seed))
    nested = [records[i * n:(i + 1) * n] for i in range(k)]
    return Preview(originals, out.view(k, n, *out.shape[1:]), nested)


def denormalize(x: torch.Tensor, mean: list[float], std: list[float]) -> torch.Tensor:
    """The inverse of ``normalize`` for display: float (N, C, H, W) -> uint8."""
    m = torch.as_tensor(mean, dtype=torch.float32, device=x.device).view(1, -1, 1, 1)
    s = torch.as_tensor(std, dtype=torch.float32, device=x.device).view(1, -1, 1, 1)
    return ((x * s + m) * 255.0).round().clamp(0, 255).to(torch.uint8)


def model_view(batch: torch.Tensor, steps: list[TransformStep], seed: int,
               mean: list[float], std: list[float]) -> tuple[torch.Tensor, torch.Tensor]:
    """One training batch as the model receives it: augmented then normalised (float),
    and the same denormalised back to uint8 to look at."""
    out, _ = augment_batch_recorded(batch, steps, make_generator(seed))
    x = normalize(out, mean, std)
    return x, denormalize(x, mean, std)


def to_pil(img: torch.Tensor, scale: int = 1) -> Image.Image:
    """uint8 (C, H, W) -> PIL image, enlarged ``scale`` times with square pixels."""
    arr = img.detach().cpu().permute(1, 2, 0).numpy()
    pil = Image.fromarray(arr[:, :, 0], "L") if arr.shape[2] == 1 else Image.fromarray(arr, "RGB")
    return pil.resize((pil.width * scale, pil.height * scale), Image.NEAREST) if scale > 1 else pil


def grid_image(p: Preview, scale: int = 3, gap: int = 4) -> Image.Image:
    """One row per original: the original, a wider gap, then its augmented versions."""
    k, n = p.augmented.shape[:2]
    h = max(p.originals.shape[2], p.augmented.shape[3]) * scale
    w = max(p.originals.shape[3], p.augmented.shape[4]) * scale
    canvas = Image.new("RGB", (w * (n + 1) + gap * (n + 2) + gap, h * k + gap * (k + 1)), (255, 255, 255))
    for row in range(k):
        y = gap + row * (h + gap)
        canvas.paste(to_pil(p.originals[row], scale).convert("RGB"), (gap, y))
        for col in range(n):
            x = 3 * gap + w * (col + 1) + gap * col
            canvas.paste(to_pil(p.augmented[row, col], scale).convert("RGB"), (x, y))
    return canvas


def tile(images: torch.Tensor, columns: int = 16, scale: int = 2, gap: int = 2) -> Image.Image:
    """uint8 (N, C, H, W) as one picture, ``columns`` per row (a training batch at a glance)."""
    n, _, h, w = images.shape
    rows = (n + columns - 1) // columns
    cols = min(n, columns)
    canvas = Image.new("RGB", (cols * (w * scale + gap) + gap, rows * (h * scale + gap) + gap), (255, 255, 255))
    for k in range(n):
        r, c = divmod(k, columns)
        canvas.paste(to_pil(images[k], scale).convert("RGB"), (gap + c * (w * scale + gap), gap + r * (h * scale + gap)))
    return canvas


def describe(record: list[dict[str, Any]]) -> str:
    """One short line per version: 'RandomCrop top=-1 left=2 · RandomRotation angle=4.2°'."""
    parts = []
    for entry in record:
        values = []
        for key, value in entry.items():
            if key == "transform" or key == "seed":
                continue
            if isinstance(value, float):
                value = f"{value:.2f}°" if key == "angle" else f"{value:.2f}"
            elif isinstance(value, list):
                value = "(" + ",".join(f"{v:g}" for v in value) + ")"
            values.append(f"{key}={value}")
        parts.append(f"{entry['transform']} " + " ".join(values) if values else entry["transform"])
    return " · ".join(parts)


def brief(record: list[dict[str, Any]]) -> str:
    """A caption short enough for a thumbnail: only what changed, e.g. 'crop 2,-1 · -6.1° · flip'."""
    parts = []
    for e in record:
        name = e["transform"]
        if e.get("applied") is False or e.get("flipped") is False:
            continue
        if name == "RandomHorizontalFlip":
            parts.append("flip↔")
        elif name == "RandomVerticalFlip":
            parts.append("flip↕")
        elif name == "RandomCrop":
            parts.append(f"crop {e['top']:+d},{e['left']:+d}")
        elif name == "RandomResizedCrop":
            parts.append(f"crop {e['height']}×{e['width']}")
        elif name == "RandomRotation":
            parts.append(f"{e['angle']:+.1f}°")
        elif name == "RandomAffine":
            bits = [f"{e['angle']:+.1f}°"] if e["angle"] else []
            if e["translate_x"] or e["translate_y"]:
                bits.append(f"→{e['translate_x']:+.0f},{e['translate_y']:+.0f}")
            if e["scale"] != 1:
                bits.append(f"×{e['scale']:.2f}")
            if e["shear_x"] or e["shear_y"]:
                bits.append(f"shear {e['shear_x']:+.0f}")
            parts.append(" ".join(bits) or "affine 0")
        elif name == "ColorJitter":
            parts.append(" ".join(f"{k[0]}{e[k]:.2f}" for k in ("brightness", "contrast", "saturation", "hue") if k in e))
        elif name == "GaussianBlur":
            parts.append(f"σ{e['sigma']:.2f}")
        elif name == "RandomErasing":
            parts.append(f"erase {e['height']}×{e['width']}")
        elif name == "RandomPerspective":
            parts.append("perspective")
        elif name == "GaussianNoise":
            parts.append("noise")
        else:
            parts.append(name.removeprefix("Random"))
    return " · ".join(parts)


def records_table(p: Preview) -> list[dict[str, Any]]:
    """Every drawn parameter, one row per augmented image (for a table under the grid)."""
    rows = []
    for i, versions in enumerate(p.records):
        for k, record in enumerate(versions):
            row: dict[str, Any] = {"image": i + 1, "version": k + 1}
            for step, entry in enumerate(record):
                for key, value in entry.items():
                    if key != "transform":
                        row[f"{step + 1}.{entry['transform']}.{key}"] = (
                            ",".join(f"{v:g}" for v in value) if isinstance(value, list) else value)
            rows.append(row)
    return rows


def image_to_tensor(image: Image.Image, channels: int, size: tuple[int, int]) -> torch.Tensor:
    """An uploaded picture as the dataset's kind of image: uint8 (1, C, H, W), resized."""
    image = image.convert("L" if channels == 1 else "RGB").resize((size[1], size[0]), Image.BILINEAR)
    arr = np.asarray(image, dtype=np.uint8)
    arr = arr[:, :, None] if arr.ndim == 2 else arr
    return torch.from_numpy(arr.copy()).permute(2, 0, 1)[None]
