"""A run's mistakes, and the images whose label is more likely wrong than the model.

``confident_mistakes``: the wrong predictions made with the highest confidence, each with
its dataset index, true and predicted class and confidence. Some are the model's fault,
some the dataset's: a handful of MNIST's test labels are simply wrong.

``label_issues``: confident learning (Northcutt et al., "Confident Learning: Estimating
Uncertainty in Dataset Labels", 2021) through ``cleanlab``: it ranks images by how
strongly out-of-sample predictions disagree with their label (label quality = the
model's probability of the given label, ``get_label_quality_scores``) and flags those
whose disagreement is beyond what the model's per-class confidence thresholds explain
(``find_label_issues``). cleanlab rather than our own thresholds: its per-class
threshold estimate, pruning and ranking are the published method, tested by its authors.
The validation and test splits are out-of-sample for a run (it never trained on them),
which the method needs.

The student then marks each suspect "label is wrong" or "model is wrong"; the marks are
kept in the workspace (``label-marks.json``), per dataset and dataset part, so they stay
whichever run pointed at the image.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np

from lab.files import atomic_write
from lab.errors import keyed
from lab.runs.messages import MESSAGES as RUNS_MESSAGES
from lab.runs.evaluation import SplitScores

MARKS_FILE = "label-marks.json"
VERDICTS = ("label", "model")  # "label is wrong" | "model is wrong"
MAX_TOP = 1000


def check_top(top: int) -> int:
    if not 1 <= int(top) <= MAX_TOP:
        raise keyed(RUNS_MESSAGES, "runs.top", limit=MAX_TOP, top=top)
    return int(top)


def confident_mistakes(scores: SplitScores, top: int = 20) -> list[dict]:
    """The ``top`` wrong predictions, most confident first:
    [{index, true, predicted, confidence, label_probability}] (classes by name, 0..1)."""
    pred = scores.predictions
    conf = scores.probs.max(1) if len(scores.probs) else np.zeros(0)
    wrong = np.flatnonzero(pred != scores.labels)
    order = wrong[np.argsort(-conf[wrong], kind="stable")][:check_top(top)]
    return [_item(scores, int(i)) for i in order]


def label_issues(scores: SplitScores, top: int = 20) -> list[dict]:
    """The ``top`` images whose label the model's out-of-sample probabilities doubt most:
    [{index, true, predicted, confidence, label_probability, quality, flagged}], lowest
    label quality first; ``flagged``: cleanlab's ``find_label_issues`` counts it an issue."""
    from cleanlab.filter import find_label_issues  # heavy: loaded on first use, to keep start-up light
    from cleanlab.rank import get_label_quality_scores  # heavy: loaded on first use, to keep start-up light

    if len(scores.labels) == 0:
        return []
    labels, probs = scores.labels, _renormalised(scores.probs)
    quality = get_label_quality_scores(labels, probs, method="self_confidence")
    with warnings.catch_warnings():  # a small split may miss a class: cleanlab warns, still answers
        warnings.simplefilter("ignore")
        flagged = find_label_issues(labels, probs, filter_by="prune_by_noise_rate", n_jobs=1)  # 2 shared cores
    order = np.argsort(quality, kind="stable")[:check_top(top)]
    return [{**_item(scores, int(i)), "quality": float(quality[i]), "flagged": bool(flagged[i])} for i in order]


def _renormalised(probs: np.ndarray) -> np.ndarray:
    """float64 rows summing to 1 (cleanlab checks; float32 softmax rows are off by ~1e-7)."""
    p = probs.astype(np.float64)
    return p / p.sum(1, keepdims=True)


def _item(scores: SplitScores, i: int) -> dict:
    pred = int(scores.probs[i].argmax())
    label = int(scores.labels[i])
    return {"index": int(scores.indices[i]), "true": scores.classes[label], "predicted": scores.classes[pred],
            "confidence": float(scores.probs[i, pred]), "label_probability": float(scores.probs[i, label])}


def images_of(scores: SplitScores, items: list[dict], data) -> list[np.ndarray]:
    """The uint8 images (C, H, W) of ``items`` from ``data`` (``lab.data.ImageData``)."""
    source = data.train_x if scores.split == "val" else data.test_x
    return [source[item["index"]].numpy() for item in items]


def enlarge(image_chw: np.ndarray, size: int = 224) -> np.ndarray:
    """An HxW (grey) or HxWx3 uint8 image about ``size`` pixels wide, by repeating pixels:
    a 28-pixel digit shown large stays sharp instead of blurred by the browser."""
    image = image_chw[0] if image_chw.shape[0] == 1 else image_chw.transpose(1, 2, 0)
    k = max(1, size // max(1, image.shape[1]))
    return np.ascontiguousarray(image.repeat(k, 0).repeat(k, 1))


# --- the student's marks ------------------------------------------------------------------------
def part(split: str) -> str:
    """Which part of the dataset a split's indices point into."""
    return "train" if split == "val" else "test"


def _key(dataset: str, split: str) -> str:
    return f"{dataset}:{part(split)}"


def marks(workspace: str | Path, dataset: str, split: str) -> dict[int, str]:
    """{dataset index: "label" | "model"} the student has marked for this dataset part."""
    data = _read(Path(workspace) / MARKS_FILE)
    return {int(k): v for k, v in data.get(_key(dataset, split), {}).items() if v in VERDICTS}


def set_mark(workspace: str | Path, dataset: str, split: str, index: int, verdict: str | None) -> None:
    """Mark image ``index`` "label" (its label is wrong) or "model" (the model is wrong);
    None takes the mark back."""
    if verdict is not None and verdict not in VERDICTS:
        raise keyed(RUNS_MESSAGES, "runs.mark_verdict", verdict=repr(verdict))
    if int(index) < 0:
        raise keyed(RUNS_MESSAGES, "runs.mark_index", index=index)
    path = Path(workspace) / MARKS_FILE
    data = _read(path)
    entry = data.setdefault(_key(dataset, split), {})
    if verdict is None:
        entry.pop(str(int(index)), None)
    else:
        entry[str(int(index))] = verdict
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, json.dumps(data, indent=1, ensure_ascii=False))


def _read(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return {}
    return data if isinstance(data, dict) else {}
