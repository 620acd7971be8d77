"""The validation report a run shows every few epochs and at its end.

Built by whoever trains the run (a worker process) and written to the run folder's
``report.json``, which the Training page reads; images travel as small PNGs in base64,
so the file stays a few tens of kilobytes and needs no unpickling.

From ``lab.train.evaluate``'s output it keeps only what the page draws, small enough to
copy on every poll: a grid of images with true/predicted labels and confidence, the
confusion matrix, per-class accuracy and the most confident mistakes with their dataset
index (a model's error or a label error in the data: ``lab.runs.mistakes`` helps tell which).
"""

from __future__ import annotations

import base64
import io

import numpy as np
import torch
from PIL import Image

from lab.train.evaluate import confident_mistakes, evaluate, sample_indices
from lab.train.listeners import Listener

GRID_IMAGES = 16
GRID_SEED = 0  # the same grid in every report of a run
MISTAKES = 8
REPORT_IMAGES = 2000  # validation images scored for a mid-run report (the end scores all)


def to_display(x_u8: torch.Tensor) -> list[np.ndarray]:
    """uint8 (N, C, H, W) -> HxW (grey) or HxWx3 arrays that ``st.image`` shows as they are."""
    arr = x_u8.detach().cpu().numpy()
    if arr.shape[1] == 1:
        return [a[0] for a in arr]
    return [np.ascontiguousarray(a.transpose(1, 2, 0)) for a in arr]


def to_png_b64(image: np.ndarray) -> str:
    """One HxW or HxWx3 uint8 image as base64 PNG text (``from_png_b64`` reverses it)."""
    buf = io.BytesIO()
    Image.fromarray(image).save(buf, format="PNG")
    return base64.b64encode(buf.getvalue()).decode("ascii")


def from_png_b64(text: str) -> bytes:
    """PNG bytes (what ``st.image`` shows) from ``to_png_b64``'s text."""
    return base64.b64decode(text)


def build_report(evaluation: dict, x_u8: torch.Tensor, classes: list[str], epoch: int, *, final: bool = False,
                 grid: int = GRID_IMAGES, mistakes: int = MISTAKES, indices: torch.Tensor | None = None) -> dict:
    """The "report" event: a compact, picklable summary of one evaluation.

    ``x_u8`` are the images ``evaluation`` scored, in the same order; ``indices`` their
    places in the dataset (what each image item names as ``index``; None: none named).
    The grid is the same choice of images every time (seed 0), so reports compare.
    """
    targets, preds = evaluation["targets"], evaluation["predictions"]
    conf = evaluation["confidence"]
    n = len(targets)
    shown = torch.tensor(sample_indices(n, grid, GRID_SEED), dtype=torch.int64)
    worst = torch.tensor(confident_mistakes(evaluation, mistakes), dtype=torch.int64)

    def items(idx: torch.Tensor) -> list[dict]:
        images = to_display(x_u8[idx]) if len(idx) else []
        return [{"image": to_png_b64(img), "true": classes[int(targets[i])], "predicted": classes[int(preds[i])],
                 "confidence": float(conf[i]), "correct": bool(targets[i] == preds[i]),
                 "index": int(indices[i]) if indices is not None else None}
                for img, i in zip(images, idx.tolist())]

    return {
        "event": "report", "epoch": int(epoch), "final": final, "n": n,
        "loss": float(evaluation["loss"]), "accuracy": float(evaluation["accuracy"]),
        "confusion": evaluation["confusion"], "per_class_accuracy": evaluation["per_class_accuracy"],
        "per_class_count": evaluation["per_class_count"], "grid": items(shown), "mistakes": items(worst),
    }


class PeriodicReport(Listener):
    """Listener: every ``every`` epochs (not the last: the run's end reports on the whole
    validation split), score the model on a fixed subset of the validation images and
    write the report into the run folder.

    Listeners run in the training thread between two steps, so the model is evaluated
    (in eval mode, no autograd; ``evaluate`` restores training mode) while nothing
    else touches it.
    """

    def __init__(self, run, prepared, every: int, images: int = REPORT_IMAGES):
        self.run, self.prepared, self.every = run, prepared, max(1, int(every))
        n = len(prepared.splits.val_y)
        gen = torch.Generator().manual_seed(0)
        self.subset = torch.randperm(n, generator=gen)[:images].sort().values

    def on_event(self, state, event: dict) -> None:
        # on the epoch's record, not on_epoch_end: it reports even on the epoch early stopping ends
        if event.get("event") != "epoch":
            return
        epoch, epochs = event["epoch"], event.get("epochs", 0)
        if epoch % self.every or epoch >= epochs or self.run.stop_requested():
            return
        p = self.prepared
        x, y = p.splits.val_x[self.subset], p.splits.val_y[self.subset]
        result = evaluate(state.model, x, y, p.mean, p.std, state.on.device, num_classes=len(p.classes),
                          shape=p.input_shape)
        index = p.splits.val_index[self.subset] if p.splits.val_index is not None else None
        self.run.write_report(build_report(result, x, p.classes, epoch, indices=index))


def final_report(run, prepared, result) -> None:
    """The report over the whole validation split at the end of a run that trained."""
    if result.val_report is not None and result.history:
        epoch = result.history[-1]["epoch"]
        run.write_report(build_report(result.val_report, prepared.splits.val_x, prepared.classes, epoch, final=True,
                                      indices=prepared.splits.val_index))
