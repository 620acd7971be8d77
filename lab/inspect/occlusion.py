"""Occlusion sensitivity (Zeiler & Fergus 2014): slide a grey patch over the input and
record how much the class's probability drops with each part of the picture hidden.

"Grey" is the training mean, which is 0 after normalisation: the patch carries no
evidence either way. All patched copies go through the model in a few batches.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

BATCH = 256  # patched copies per forward pass


@dataclass
class Occlusion:
    class_index: int
    base: float  # the class's probability on the intact picture
    drop: torch.Tensor  # float (H, W): mean probability drop of the patches covering each pixel
    patch: int
    stride: int

    @property
    def peak(self) -> tuple[int, int]:
        """(row, column) where hiding the picture hurts the class most."""
        flat = int(torch.argmax(self.drop))
        return divmod(flat, self.drop.shape[1])


def default_patch(height: int, width: int) -> tuple[int, int]:
    """About a quarter of the short side (7 px on 28x28, 8 on 32x32), stride half a patch."""
    patch = max(2, round(min(height, width) / 4))
    return patch, max(1, patch // 2)


def _starts(size: int, patch: int, stride: int) -> list[int]:
    last = max(0, size - patch)
    starts = list(range(0, last + 1, stride))
    if starts[-1] != last:
        starts.append(last)  # the last patch reaches the far edge
    return starts


def occlusion(model, tensor: torch.Tensor, class_index: int, patch: int | None = None,
              stride: int | None = None) -> Occlusion:
    """``tensor``: normalised float (1, C, H, W)."""
    _, _, h, w = tensor.shape
    auto_patch, auto_stride = default_patch(h, w)
    patch = min(int(patch or auto_patch), h, w)
    stride = max(1, int(stride or (auto_stride if patch == auto_patch else max(1, patch // 2))))
    boxes = [(top, left) for top in _starts(h, patch, stride) for left in _starts(w, patch, stride)]
    model.eval()
    with torch.inference_mode():
        base = float(torch.softmax(model(tensor)[0].float(), 0)[class_index])
        probs = []
        for start in range(0, len(boxes), BATCH):
            chunk = boxes[start:start + BATCH]
            batch = tensor.repeat(len(chunk), 1, 1, 1)
            for i, (top, left) in enumerate(chunk):
                batch[i, :, top:top + patch, left:left + patch] = 0.0
            probs.append(torch.softmax(model(batch).float(), 1)[:, class_index])
        probs = torch.cat(probs)
    total = torch.zeros(h, w)
    count = torch.zeros(h, w)
    for (top, left), p in zip(boxes, probs.tolist()):
        total[top:top + patch, left:left + patch] += base - p
        count[top:top + patch, left:left + patch] += 1
    return Occlusion(int(class_index), base, total / count.clamp(min=1), patch, stride)


def positions(height: int, width: int, patch: int, stride: int) -> int:
    """How many patched copies a map costs (forward passes of one image)."""
    return len(_starts(height, patch, stride)) * len(_starts(width, patch, stride))


__all__ = ["Occlusion", "default_patch", "occlusion", "positions"]
