"""From a user's picture to the tensor a checkpoint's model takes, one visible step at a time.

Every step records the picture as it looks afterwards (uint8, (H, W) or (H, W, 3)), so
the page can show the whole chain, and every optional step can be switched off
(``Options``) to see what it does to the prediction. Digit models (MNIST) get MNIST's
own preparation (``lab.predict.digits``); other models a centre crop and a resize to
the training size. The last step normalises with the mean/std stored in the checkpoint.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import torch
from PIL import Image

from lab.augment import normalize as training_normalize
from lab.data import DIGITS, builtin_name
from lab.errors import keyed
from lab.model.checkpoint_messages import MESSAGES
from lab.predict import digits
from lab.data.image_io import Decoded, Note, apply_exif, decode_image, exif_orientation, flatten_alpha, \
    reduce_large, to_plain
from lab.train.data import fit_size

# English titles for the CLI; the page shows lab/i18n/texts/predict.py's "predict.step.<key>".
STEP_TITLES = {
    "decode": "picture as uploaded",
    "dataset": "test image from the dataset",
    "exif": "EXIF orientation",
    "channels": "colour to the model's channels",
    "invert": "invert a light background",
    "contrast": "background to black, ink to white",
    "crop": "crop to the ink",
    "fit": "fit into MNIST's box (20/28 of the model's side: 20x20 for 28 px)",
    "center": "place by the centre of mass",
    "center_crop": "centre crop",
    "eval_crop": "centre crop to the model's size, as evaluation does",
    "resize": "resize to the training size",
    "normalize": "normalise with the training mean/std",
}
STEP_KEYS = {  # step -> catalogue key of its title
    "decode": "predict.step.decode", "dataset": "predict.step.dataset", "exif": "predict.step.exif",
    "channels": "predict.step.channels", "invert": "predict.step.invert", "contrast": "predict.step.contrast",
    "crop": "predict.step.crop", "fit": "predict.step.fit", "center": "predict.step.center",
    "center_crop": "predict.step.center_crop", "eval_crop": "predict.step.eval_crop", "resize": "predict.step.resize",
    "normalize": "predict.step.normalize"
}
STEP_DETAIL_KEYS = {  # step -> key of what it did
    "decode": "predict.detail.decode", "exif": "predict.detail.exif", "channels": "predict.detail.channels",
    "invert": "predict.detail.invert", "contrast": "predict.detail.contrast", "crop": "predict.detail.crop",
    "fit": "predict.detail.fit", "center": "predict.detail.center", "center_crop": "predict.detail.center_crop",
    "eval_crop": "predict.detail.eval_crop", "resize": "predict.detail.resize",
    "normalize": "predict.detail.normalize"
}


@dataclass(frozen=True)
class Options:
    """Which optional steps run; switching one off shows what it contributes."""

    exif: bool = True  # turn the picture upright by its EXIF orientation tag
    invert: bool = True  # digits: invert when the background is light
    contrast: bool = True  # digits: background to 0, ink to 255
    crop: bool = True  # digits: crop to the ink
    center: bool = True  # digits: fit 20x20 + centre of mass; others: centre crop (else: squash)
    normalize: bool = True  # subtract the training mean, divide by the std


@dataclass(frozen=True)
class Target:
    """What the model takes, read from its checkpoint."""

    channels: int  # 1 (grayscale) or 3 (RGB)
    height: int
    width: int
    digits: bool  # MNIST-style digits: white on black, centred by mass
    mean: tuple[float, ...]  # per channel, of pixels scaled to 0..1
    std: tuple[float, ...]

    @classmethod
    def of(cls, checkpoint) -> "Target":
        c, h, w = checkpoint.input_shape
        if c not in (1, 3):
            raise keyed(MESSAGES, "checkpoint.channels", c=c)
        return cls(channels=c, height=h, width=w, digits=is_digit_model(checkpoint),
                   mean=tuple(checkpoint.mean), std=tuple(checkpoint.std))


def is_digit_model(checkpoint) -> bool:
    names = {checkpoint.dataset, getattr(getattr(checkpoint.config, "data", None), "dataset", "")}
    return any(builtin_name(str(n)) in DIGITS for n in names if n)


@dataclass
class Step:
    key: str  # a STEP_TITLES key
    image: np.ndarray  # uint8 (H, W) or (H, W, 3): the picture after this step
    applied: bool = True  # False: switched off, or nothing to do (background already dark)
    optional: bool = False  # an Options flag can switch it off
    detail: dict = field(default_factory=dict)  # numbers for the caption

    @property
    def title(self) -> str:
        return STEP_TITLES[self.key]


@dataclass
class Prepared:
    steps: list[Step]
    pixels: torch.Tensor  # uint8 (C, H, W): the picture in the training data's own form
    tensor: torch.Tensor  # float32 (1, C, H, W): what the model gets
    notes: list[Note] = field(default_factory=list)
    options: Options = field(default_factory=Options)

    @property
    def applied(self) -> list[str]:
        return [s.key for s in self.steps if s.applied]


def prepare_image(source: bytes | Decoded, target: Target, options: Options = Options(), name: str = "") -> Prepared:
    """A user's picture (file bytes or an already decoded one) -> the model's input."""
    decoded = source if isinstance(source, Decoded) else decode_image(source, name)
    notes = list(decoded.notes)
    im = to_plain(decoded.image, notes)
    im = flatten_alpha(im, notes)
    im = reduce_large(im, notes)
    steps = [Step("decode", _show(im), detail={"width": decoded.size[0], "height": decoded.size[1],
                                                  "format": decoded.format, "mode": decoded.image.mode})]
    orientation = exif_orientation(decoded.image)
    if options.exif and orientation != 1:
        im = apply_exif(im, orientation)
    steps.append(Step("exif", _show(im), applied=options.exif and orientation != 1, optional=True,
                      detail={"orientation": orientation}))
    im = im.convert("L" if target.channels == 1 else "RGB")
    steps.append(Step("channels", _show(im), detail={"channels": target.channels}))
    if target.digits and target.channels == 1:
        pixels = _digit_steps(np.asarray(im, dtype=np.float32), target, options, steps, notes)
    else:
        pixels = _photo_steps(im, target, options, steps)
    return _finish(pixels, target, options, steps, notes)


def prepare_pixels(pixels: torch.Tensor, target: Target, options: Options = Options()) -> Prepared:
    """A dataset image (uint8 (C, H, W), already in training form) -> the model's input.

    Nothing geometric happens unless its size differs from the model's: the page's
    prediction on a test image is then exactly the evaluation's.
    """
    if pixels.dtype != torch.uint8 or pixels.dim() != 3 or pixels.shape[0] != target.channels:
        raise keyed(MESSAGES, "checkpoint.image_misfit", shape=tuple(pixels.shape), channels=target.channels)
    steps = [Step("dataset", _show_tensor(pixels))]
    if tuple(pixels.shape[1:]) != (target.height, target.width):
        _, h, w = pixels.shape
        crop = h >= target.height and w >= target.width  # fit_size crops a larger image, resizes a smaller one
        pixels = fit_size(pixels.unsqueeze(0), (target.height, target.width))[0]
        steps.append(Step("eval_crop" if crop else "resize", _show_tensor(pixels),
                          detail={"height": target.height, "width": target.width, "from_height": h, "from_width": w}))
    return _finish(pixels, target, options, steps, [])


def _digit_steps(a: np.ndarray, target: Target, options: Options, steps: list[Step], notes: list[Note]) -> torch.Tensor:
    if options.invert:
        a, inverted, background = digits.invert_if_light(a)
    else:
        inverted, background = False, digits.background_level(a)
    steps.append(Step("invert", _u8(a), applied=inverted, optional=True, detail={"background": round(background)}))
    if digits.is_flat(a):
        notes.append(Note("no_ink"))
    if options.contrast:
        stretched, low, high = digits.stretch_contrast(a)
        changed = stretched is not a  # a picture with no light strokes is left alone
        a = stretched
        steps.append(Step("contrast", _u8(a), applied=changed, optional=True,
                          detail={"background": round(low), "ink": round(high)}))
    else:
        steps.append(Step("contrast", _u8(a), applied=False, optional=True))
    box = digits.ink_box(a) if options.crop else None
    if box is not None:
        a = digits.crop(a, box)
    steps.append(Step("crop", _u8(a), applied=box is not None, optional=True,
                      detail={"height": a.shape[0], "width": a.shape[1]}))
    h, w = target.height, target.width
    if options.center:
        side = max(1, round(min(h, w) * digits.BOX_FRACTION))
        a = digits.fit_box(a, side)
        steps.append(Step("fit", _u8(a), optional=True, detail={"box": side, "side": min(h, w)}))
        a, offset = digits.place_by_mass(a, h, w)
        steps.append(Step("center", _u8(a), optional=True, detail={"top": offset[0], "left": offset[1]}))
    else:
        steps.append(Step("center", _u8(a), applied=False, optional=True))
        a = digits.resize(a, h, w)
        steps.append(Step("resize", _u8(a), detail={"height": h, "width": w}))
    return torch.from_numpy(_u8(a)).unsqueeze(0)


def _photo_steps(im: Image.Image, target: Target, options: Options, steps: list[Step]) -> torch.Tensor:
    h, w = target.height, target.width
    if options.center:
        im = _centre_crop(im, w / h)
    steps.append(Step("center_crop", _show(im), applied=options.center, optional=True,
                      detail={"width": im.size[0], "height": im.size[1]}))
    im = im.resize((w, h), Image.Resampling.BILINEAR)
    steps.append(Step("resize", _show(im), detail={"height": h, "width": w}))
    a = np.asarray(im, dtype=np.uint8)
    return torch.from_numpy(a.copy()).unsqueeze(0) if a.ndim == 2 else torch.from_numpy(a.copy()).permute(2, 0, 1)


def _finish(pixels: torch.Tensor, target: Target, options: Options, steps: list[Step], notes: list[Note]) -> Prepared:
    tensor = normalize(pixels, target) if options.normalize else pixels.float().div(255.0).unsqueeze(0)
    shown = tensor[0]
    low, high = float(shown.min()), float(shown.max())
    span = (shown - low) / (high - low) if high > low else torch.zeros_like(shown)
    steps.append(Step("normalize", _show_tensor((span * 255).round().to(torch.uint8)), applied=options.normalize,
                      optional=True, detail={"min": round(low, 2), "max": round(high, 2)}))
    return Prepared(steps=steps, pixels=pixels.contiguous(), tensor=tensor, notes=notes, options=options)


def normalize(pixels: torch.Tensor, target: Target) -> torch.Tensor:
    """uint8 (C, H, W) or (N, C, H, W) -> float (N, C, H, W) through training's own
    ``lab.augment.normalize``, so a picture and a test image meet the model alike."""
    x = pixels.unsqueeze(0) if pixels.dim() == 3 else pixels
    return training_normalize(x, target.mean, target.std)


def _centre_crop(im: Image.Image, aspect: float) -> Image.Image:
    """The largest centred window with width/height = ``aspect``."""
    width, height = im.size
    if width / height > aspect:
        new_w = max(1, round(height * aspect))
        left = (width - new_w) // 2
        return im.crop((left, 0, left + new_w, height))
    new_h = max(1, round(width / aspect))
    top = (height - new_h) // 2
    return im.crop((0, top, width, top + new_h))


def _u8(a: np.ndarray) -> np.ndarray:
    return np.clip(np.rint(a), 0, 255).astype(np.uint8)


def _show(im: Image.Image) -> np.ndarray:
    return np.asarray(im.convert("RGB" if im.mode not in ("L", "RGB") else im.mode), dtype=np.uint8).copy()


def _hwc(pixels: torch.Tensor) -> np.ndarray:
    a = pixels.permute(1, 2, 0).numpy()
    return a[..., 0] if a.shape[2] == 1 else a


def _show_tensor(pixels: torch.Tensor) -> np.ndarray:
    return np.ascontiguousarray(_hwc(pixels))
