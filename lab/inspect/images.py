"""The inside views as pictures: uint8 numpy arrays, ready for ``st.image`` or a PNG.

Grids enlarge by whole pixels (nearest neighbour) so a 7x7 map stays seven crisp
squares; a map's grey levels share one scale per layer, so a weak channel looks weak.
"""

from __future__ import annotations

import io

import numpy as np
import torch
from PIL import Image, ImageDraw

from lab.inspect.engine import FeatureMap

# A perceptually ordered dark-to-bright ramp (anchor colours of matplotlib's "inferno"),
# interpolated to 256 levels: heat maps read the same in colour and in greyscale print.
_ANCHORS = np.array([[0, 0, 4], [40, 11, 84], [101, 21, 110], [159, 42, 99], [212, 72, 66],
                     [245, 125, 21], [250, 193, 39], [252, 255, 164]], dtype=np.float32)
HEAT = np.stack([np.interp(np.linspace(0, len(_ANCHORS) - 1, 256), np.arange(len(_ANCHORS)), _ANCHORS[:, c])
                 for c in range(3)], axis=1).round().astype(np.uint8)  # (256, 3)
GAP = 255  # white between tiles


def zoom(a: np.ndarray, factor: int) -> np.ndarray:
    """Enlarge (H, W) or (H, W, 3) by a whole factor, pixel by pixel."""
    return a if factor <= 1 else a.repeat(factor, axis=0).repeat(factor, axis=1)


def zoom_to(a: np.ndarray, side: int) -> np.ndarray:
    return zoom(a, max(1, side // max(a.shape[:2])))


def to_u8(x: torch.Tensor, low: float, high: float) -> np.ndarray:
    span = high - low if high > low else 1.0
    return ((x.float() - low) / span).clamp(0, 1).mul(255).round().to(torch.uint8).numpy()


def mosaic(tiles: np.ndarray, columns: int, factor: int = 1, gap: int = 1) -> np.ndarray:
    """(N, h, w) or (N, h, w, 3) uint8 -> one picture of ``columns`` tiles a row."""
    n, h, w = tiles.shape[:3]
    columns = max(1, min(columns, n))
    rows = -(-n // columns)
    th, tw = h * factor, w * factor
    shape = (rows * (th + gap) - gap, columns * (tw + gap) - gap) + tiles.shape[3:]
    out = np.full(shape, GAP, dtype=np.uint8)
    for i, tile in enumerate(tiles):
        r, c = divmod(i, columns)
        out[r * (th + gap):r * (th + gap) + th, c * (tw + gap):c * (tw + gap) + tw] = zoom(tile, factor)
    return out


def feature_grid(fm: FeatureMap, columns: int = 16, tile_px: int = 48, limit: int | None = None) -> np.ndarray:
    """The layer's channels, strongest first, on the layer's own grey scale."""
    order = fm.order[:limit] if limit else fm.order
    maps = fm.maps[order]
    low, high = float(fm.maps.min()), float(fm.maps.max())
    tiles = to_u8(maps, low, high)
    return mosaic(tiles, columns, max(1, round(tile_px / max(maps.shape[1:]))))


def channel_image(fm: FeatureMap, channel: int, side: int = 224) -> np.ndarray:
    """One channel enlarged, on the layer's scale (so it compares with the grid)."""
    a = to_u8(fm.maps[channel], float(fm.maps.min()), float(fm.maps.max()))
    return zoom_to(a, side)


def filter_tiles(weight: torch.Tensor, limit: float | None = None) -> np.ndarray:
    """(O, I, kH, kW) -> uint8 (O * I, kH, kW): grey is 0, white positive, black negative,
    on one symmetric scale (``limit``, default the largest |weight|) for every filter."""
    top = float(limit if limit is not None else weight.abs().max()) or 1.0
    o, i, kh, kw = weight.shape
    return to_u8(weight.reshape(o * i, kh, kw), -top, top)


def filter_grid(weight: torch.Tensor, limit: float | None = None, tile_px: int = 40) -> np.ndarray:
    """One row per output channel's filter, its input channels side by side (RGB: R, G, B)."""
    o, i, kh, kw = weight.shape
    tiles = filter_tiles(weight, limit)
    per_row = max(1, 16 // i) * i  # whole filters per row
    return mosaic(tiles, per_row, max(1, tile_px // max(kh, kw)))


def heat_colors(heat: torch.Tensor) -> np.ndarray:
    """(H, W) in 0..1 -> (H, W, 3) uint8 on the HEAT ramp."""
    return HEAT[to_u8(heat, 0.0, 1.0)]


def overlay(pixels: torch.Tensor, heat: torch.Tensor, side: int = 224, alpha: float = 0.55) -> np.ndarray:
    """The input (uint8 (C, H, W)) in grey under the heat map, enlarged to about ``side``."""
    grey = pixels.float().mean(0).numpy()[..., None].repeat(3, axis=2)
    mixed = (1 - alpha) * grey + alpha * heat_colors(heat).astype(np.float32)
    return zoom_to(np.clip(mixed.round(), 0, 255).astype(np.uint8), side)


def signed_heat(drop: torch.Tensor) -> torch.Tensor:
    """An occlusion map (probability drops, may be negative) scaled to 0..1: 0 where hiding
    helps or does nothing, 1 at the largest drop."""
    top = float(drop.max())
    return (drop.clamp(min=0) / top) if top > 0 else torch.zeros_like(drop)


def input_image(pixels: torch.Tensor, side: int = 224) -> np.ndarray:
    """uint8 (C, H, W) -> (H', W') or (H', W', 3), enlarged."""
    a = pixels.permute(1, 2, 0).numpy()
    return zoom_to(a[..., 0] if a.shape[2] == 1 else a, side)


def bar_chart(classes: list[str], probabilities: torch.Tensor, width: int = 420, row: int = 22) -> np.ndarray:
    """The softmax as horizontal bars (for the CLI's PNG; the page draws an Altair chart)."""
    n = len(classes)
    label_w = min(160, 8 + 7 * max(len(c) for c in classes))
    im = Image.new("RGB", (width, row * n + 8), "white")
    draw = ImageDraw.Draw(im)
    best = int(torch.argmax(probabilities))
    for i, (name, p) in enumerate(zip(classes, probabilities.tolist())):
        y = 4 + i * row
        draw.text((4, y + 4), name[:22], fill="black")
        bar = int((width - label_w - 60) * p)
        draw.rectangle([label_w, y + 3, label_w + bar, y + row - 3], fill="#d62728" if i == best else "#1f77b4")
        draw.text((label_w + bar + 4, y + 4), f"{p * 100:.1f}%", fill="black")
    return np.asarray(im)


def png_bytes(a: np.ndarray) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(a).save(buf, format="PNG")
    return buf.getvalue()
