"""Charts and image grids of the data audit (Dataset page).

Builders take plain data and already translated labels and return an Altair chart or
a numpy image; drawing is the page's business.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd
import torch

SPLIT_COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c"]  # train, validation, test


def class_counts_chart(classes: list[str], counts: dict[str, list[int]], split_names: dict[str, str],
                       axis: dict[str, str]) -> alt.Chart:
    """Grouped bars: one group per class, one bar per split (train / val / test)."""
    rows = [{"class": c, "split": split_names[s], "count": n}
            for s in ("train", "val", "test") for c, n in zip(classes, counts[s])]
    order = [split_names[s] for s in ("train", "val", "test")]
    return (
        alt.Chart(pd.DataFrame(rows))
        .mark_bar()
        .encode(
            x=alt.X("class:N", sort=classes, title=axis["class"], axis=alt.Axis(labelAngle=0 if len(classes) <= 12 else -45)),
            xOffset=alt.XOffset("split:N", sort=order),
            y=alt.Y("count:Q", title=axis["count"]),
            color=alt.Color("split:N", sort=order, title=axis["split"],
                            scale=alt.Scale(domain=order, range=SPLIT_COLORS)),
            tooltip=[alt.Tooltip("class:N", title=axis["class"]), alt.Tooltip("split:N", title=axis["split"]),
                     alt.Tooltip("count:Q", title=axis["count"])],
        )
        .properties(height=280)
    )


def to_display(images: torch.Tensor, min_side: int = 56) -> list[np.ndarray]:
    """uint8 (N, C, H, W) -> list of (H', W') or (H', W', 3) arrays, enlarged by an integer
    factor (nearest neighbour, so pixels stay pixels) to at least ``min_side``."""
    if len(images) == 0:
        return []
    scale = max(1, -(-min_side // int(images.shape[-1])))
    x = images.repeat_interleave(scale, dim=2).repeat_interleave(scale, dim=3)
    x = x.permute(0, 2, 3, 1).numpy()
    return [im[:, :, 0] if im.shape[2] == 1 else im for im in x]


def image_row(images: torch.Tensor, gap: int = 2, min_side: int = 56) -> np.ndarray:
    """One strip of images side by side with a white gap: one picture per class row
    instead of dozens of separate images."""
    tiles = to_display(images, min_side)
    h = tiles[0].shape[0]
    pad_shape = (h, gap) if tiles[0].ndim == 2 else (h, gap, 3)
    pad = np.full(pad_shape, 255, dtype=np.uint8)
    parts = []
    for tile in tiles:
        parts += [tile, pad]
    return np.concatenate(parts[:-1], axis=1)
