"""MNIST's own recipe for a digit, applied to any picture of one.

MNIST digits are white ink on a black background, scaled to fit a 20x20 box (aspect
ratio kept) and placed in a 28x28 field so that the centre of mass of the ink sits at
the centre (14, 14 in pixel-index coordinates, measured on the test set: 13.99, 14.00).
A photo of a digit on paper is the opposite on every count: dark on light, anywhere
in a large frame, with a grey paper background. Each function here undoes one of those
differences; all take and return float32 arrays (H, W) in 0..255.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

BOX_FRACTION = 20 / 28  # the digit's box inside the field, as in MNIST
MIN_INK_RANGE = 32.0  # ink must differ from the background by this many grey levels (0..255)
FLOOR = 0.15  # levels below background + 15% of the ink range become pure black (paper grain)
INK_LEVEL = 0.3  # a pixel counts as ink for cropping at background + 30% of the range


def levels(a: np.ndarray, *percents: float) -> list[float]:
    """Percentiles to the nearest grey level, from a 256-bin histogram: one O(n) pass
    instead of a sort per percentile (a 1000x750 picture: ~2 ms instead of ~30)."""
    counts = np.bincount(np.clip(np.rint(a), 0, 255).astype(np.uint8).ravel(), minlength=256)
    cumulative = np.cumsum(counts)
    total = cumulative[-1]
    return [float(np.searchsorted(cumulative, total * p / 100.0, side="left")) for p in percents]


def background_level(a: np.ndarray) -> float:
    """Median of a band along the border (5% of the short side, at least 1 pixel)."""
    h, w = a.shape
    band = max(1, min(h, w) // 20)
    border = np.concatenate([a[:band].ravel(), a[-band:].ravel(), a[:, :band].ravel(), a[:, -band:].ravel()])
    return levels(border, 50)[0]


def invert_if_light(a: np.ndarray) -> tuple[np.ndarray, bool, float]:
    """White-on-black is what the model saw: invert when the background is light (> 127)."""
    background = background_level(a)
    if background > 127.0:
        return 255.0 - a, True, background
    return a, False, background


def ink_range(a: np.ndarray) -> tuple[float, float]:
    """(background, ink) levels: the median (most of the picture is background) and the
    99.9th percentile (the brightest strokes, ignoring a few hot pixels)."""
    background, ink = levels(a, 50, 99.9)
    return background, ink


def is_flat(a: np.ndarray) -> bool:
    """Almost one colour (a blank page, a lens cap): nothing drawn, light or dark."""
    low, high = levels(a, 0.1, 99.9)
    return high - low < MIN_INK_RANGE


def stretch_contrast(a: np.ndarray) -> tuple[np.ndarray, float, float]:
    """Map the background to 0 and the ink to 255, as in MNIST's clean scans.

    Paper photographed in a room is grey, not white, so after inverting it the
    background is 40-90 instead of MNIST's exact 0; the model has never seen that.
    """
    background, ink = ink_range(a)
    if ink - background < MIN_INK_RANGE:
        return a, background, ink  # nothing drawn: leave it alone, the caller warns
    low = background + FLOOR * (ink - background)
    out = np.clip((a - low) * (255.0 / (ink - low)), 0.0, 255.0)
    return out.astype(np.float32), background, ink


def ink_box(a: np.ndarray) -> tuple[int, int, int, int] | None:
    """(top, bottom, left, right), bottom/right exclusive, of the pixels that are ink."""
    background, top_level = levels(a, 50)[0], float(a.max())
    if top_level - background < MIN_INK_RANGE:
        return None
    mask = a >= background + INK_LEVEL * (top_level - background)
    rows, cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
    return int(rows[0]), int(rows[-1]) + 1, int(cols[0]), int(cols[-1]) + 1


def crop(a: np.ndarray, box: tuple[int, int, int, int]) -> np.ndarray:
    top, bottom, left, right = box
    return a[top:bottom, left:right]


def resize(a: np.ndarray, height: int, width: int) -> np.ndarray:
    """Resize with PIL's bilinear filter, which widens to an area average when shrinking
    (anti-aliased strokes like MNIST's, not the jagged ones nearest-neighbour gives)."""
    im = Image.fromarray(np.clip(np.rint(a), 0, 255).astype(np.uint8), "L")
    return np.asarray(im.resize((width, height), Image.Resampling.BILINEAR), dtype=np.float32)


def fit_box(a: np.ndarray, box: int) -> np.ndarray:
    """Scale so the longer side is ``box`` pixels, keeping the aspect ratio."""
    h, w = a.shape
    scale = box / max(h, w)
    return resize(a, max(1, round(h * scale)), max(1, round(w * scale)))


def centre_of_mass(a: np.ndarray) -> tuple[float, float]:
    """(row, column) of the intensity-weighted centre; the middle when the picture is blank."""
    total = float(a.sum())
    h, w = a.shape
    if total <= 0:
        return (h - 1) / 2, (w - 1) / 2
    rows = float((a.sum(axis=1) * np.arange(h)).sum()) / total
    cols = float((a.sum(axis=0) * np.arange(w)).sum()) / total
    return rows, cols


def place_by_mass(a: np.ndarray, height: int, width: int) -> tuple[np.ndarray, tuple[int, int]]:
    """Paste ``a`` on a black field so its centre of mass lands at (height/2, width/2).

    The shift is whole pixels and kept inside the field (a lopsided "7" may end up a
    pixel off, never cut). Returns the field and the (row, column) offset used.
    """
    h, w = a.shape
    cy, cx = centre_of_mass(a)
    top = int(np.clip(round(height / 2 - cy), 0, max(0, height - h)))
    left = int(np.clip(round(width / 2 - cx), 0, max(0, width - w)))
    field = np.zeros((height, width), dtype=np.float32)
    part = a[: height - top, : width - left]
    field[top : top + part.shape[0], left : left + part.shape[1]] = part
    return field, (top, left)
