"""Whole-split evaluation: loss, accuracy, predictions and what the report page draws.

``evaluate`` returns data only (tensors on the CPU, plain lists): the page draws the
grid of images with true/predicted labels, the confusion matrix, per-class accuracy
and the most confident mistakes (often label errors in the data) from it.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

import torch
import torch.nn.functional as F

from lab.train.data import to_model_input


def eval_batch_size(device: torch.device | str) -> int:
    """Images per evaluation forward pass. On the CPU 256 keeps the baseline's activations
    (256 x 32 x 26 x 26 floats, 22 MB) near the caches: 10,000 MNIST test images score in
    0.36 s against 0.85 s at 1024. GPUs prefer big batches."""
    return 256 if torch.device(device).type == "cpu" else 1024


@dataclass(frozen=True)
class Batches:
    """How the forward passes run: images per pass (None: ``eval_batch_size``), autocast
    dtype (None: float32) and NHWC memory layout."""

    size: int | None = None
    amp: torch.dtype | None = None
    channels_last: bool = False


@torch.inference_mode()
def predict_logits(model: torch.nn.Module, x_u8: torch.Tensor, mean, std, device: torch.device | str,
                   shape=None, batches: Batches = Batches()) -> torch.Tensor:
    """Float32 logits (N, classes) on ``device`` for uint8 images, in eval mode, no autograd.
    ``shape``: the (C, H, W) the model takes (images of another size are centre-cropped)."""
    device = torch.device(device)
    batch_size, amp = batches.size or eval_batch_size(device), batches.amp
    was_training = model.training
    model.eval()
    out = []
    try:
        for start in range(0, len(x_u8), batch_size):
            xb = x_u8[start:start + batch_size].to(device, non_blocking=True)
            xb = to_model_input(xb, mean, std, shape, batches.channels_last)
            ctx = torch.autocast(device.type, dtype=amp) if amp is not None else contextlib.nullcontext()
            with ctx:
                out.append(model(xb).float())
    finally:
        model.train(was_training)
    if not out:
        return torch.empty((0, 0), device=device)
    return torch.cat(out)


def loss_and_accuracy(model, x_u8, y, mean, std, device, **kw) -> tuple[float, float]:
    """Mean cross-entropy (no label smoothing: comparable across runs) and accuracy."""
    if len(y) == 0:
        return float("nan"), float("nan")
    logits = predict_logits(model, x_u8, mean, std, device, **kw)
    y = y.to(logits.device)
    both = torch.stack([F.cross_entropy(logits, y, reduction="sum"), (logits.argmax(1) == y).sum().float()])
    loss_sum, correct = both.tolist()  # one device->host sync
    return loss_sum / len(y), correct / len(y)


def evaluate(model: torch.nn.Module, x_u8: torch.Tensor, y: torch.Tensor, mean, std,
             device: torch.device | str = "cpu", *, num_classes: int | None = None, shape=None) -> dict:
    """Everything the report needs about ``model`` on one split, in float32 and
    ``eval_batch_size`` images a pass.

    Returns a dict:
      loss, accuracy            floats (cross-entropy without smoothing, 0..1)
      n                         number of images
      targets, predictions      int64 CPU tensors (n,)
      probabilities             float32 CPU tensor (n, classes), softmax of the logits
      confidence                float32 CPU tensor (n,), the predicted class's probability
      correct                   bool CPU tensor (n,)
      confusion                 list of rows: confusion[true][pred] = count
      per_class_accuracy        list (None where the split has no image of that class)
      per_class_count           list of ints
    """
    logits = predict_logits(model, x_u8, mean, std, device, shape=shape).cpu()
    y = y.cpu()
    k = num_classes or (logits.shape[1] if logits.numel() else 0)
    probs = logits.softmax(1) if len(y) else torch.empty((0, k))
    conf, pred = probs.max(1) if len(y) else (torch.empty(0), torch.empty(0, dtype=torch.int64))
    confusion = torch.zeros((k, k), dtype=torch.int64)
    if len(y):
        confusion.index_put_((y, pred), torch.ones_like(y), accumulate=True)
    counts = confusion.sum(1)
    per_class = [float(confusion[c, c] / counts[c]) if counts[c] else None for c in range(k)]
    loss = float(F.cross_entropy(logits, y)) if len(y) else float("nan")
    correct = pred == y
    return {
        "loss": loss, "accuracy": float(correct.float().mean()) if len(y) else float("nan"), "n": len(y),
        "targets": y, "predictions": pred, "probabilities": probs, "confidence": conf, "correct": correct,
        "confusion": confusion.tolist(), "per_class_accuracy": per_class, "per_class_count": counts.tolist(),
    }


def confident_mistakes(result: dict, k: int = 16) -> list[int]:
    """Indices of the ``k`` wrong predictions made with the highest confidence."""
    wrong = torch.nonzero(~result["correct"]).flatten()
    order = result["confidence"][wrong].argsort(descending=True)
    return wrong[order[:k]].tolist()


def sample_indices(n: int, k: int = 16, seed: int = 0) -> list[int]:
    """A fixed random choice of ``k`` images (the same grid every few epochs, to compare)."""
    gen = torch.Generator().manual_seed(seed)
    return torch.randperm(n, generator=gen)[:k].sort().values.tolist()
