"""The validation report a run shows every few epochs and at its end (no Streamlit here:
it is built in the training thread and stored in the job's progress).

From ``lab.train.evaluate``'s output it keeps only what the page draws, small enough to
copy on every poll: a grid of images with true/predicted labels and confidence, the
confusion matrix, per-class accuracy and the most confident mistakes (often label
errors in the data rather than the model's fault).
"""

from __future__ import annotations

import numpy as np
import torch

GRID_IMAGES = 16
MISTAKES = 8
REPORT_IMAGES = 2000  # validation images scored for a mid-run report (the end scores all)


def to_display(x_u8: torch.Tensor) -> list[np.ndarray]:
    """uint8 (N, C, H, W) -> HxW (grey) or HxWx3 arrays that ``st.image`` shows as they are."""
    arr = x_u8.detach().cpu().numpy()
    if arr.shape[1] == 1:
        return [a[0] for a in arr]
    return [np.ascontiguousarray(a.transpose(1, 2, 0)) for a in arr]


def build_report(evaluation: dict, x_u8: torch.Tensor, classes: list[str], epoch: int, *, final: bool = False,
                 grid: int = GRID_IMAGES, mistakes: int = MISTAKES, seed: int = 0) -> dict:
    """The "report" event: a compact, picklable summary of one evaluation.

    ``x_u8`` are the images ``evaluation`` scored, in the same order.
    """
    from lab.train import confident_mistakes, sample_indices

    targets, preds = evaluation["targets"], evaluation["predictions"]
    conf = evaluation["confidence"]
    n = len(targets)
    shown = torch.tensor(sample_indices(n, grid, seed), dtype=torch.int64)
    worst = torch.tensor(confident_mistakes(evaluation, mistakes), dtype=torch.int64)

    def items(idx: torch.Tensor) -> list[dict]:
        images = to_display(x_u8[idx]) if len(idx) else []
        return [{"image": img, "true": classes[int(targets[i])], "predicted": classes[int(preds[i])],
                 "confidence": float(conf[i]), "correct": bool(targets[i] == preds[i])}
                for img, i in zip(images, idx.tolist())]

    return {
        "event": "report", "epoch": int(epoch), "final": final, "n": n,
        "loss": float(evaluation["loss"]), "accuracy": float(evaluation["accuracy"]),
        "confusion": evaluation["confusion"], "per_class_accuracy": evaluation["per_class_accuracy"],
        "per_class_count": evaluation["per_class_count"], "grid": items(shown), "mistakes": items(worst),
    }
