"""Scoring a run after training, and the test set kept for the end.

Training scores the validation split only (``lab.train.loop``): runs are compared and
chosen on validation. A run's test score is revealed only here, when the student asks:
"Evaluate on test" on the Journal page, ``lab evaluate RUN --split test``, or the test
split's mistakes and label errors (``lab.runs.mistakes``). Every model whose test score is
revealed is counted in its workspace, so the journal can say how often the test set was
looked at (a number that should stay small: each look is a chance to tune on it).

    <workspace>/.test-looks.jsonl    one line per model (run + checkpoint) scored on test
    <run>/evaluations.jsonl          one line per evaluation asked for: split, accuracy,
                                     loss, images, which look at the test set it was
    <run>/scores-<split>.npz         the probabilities behind them (numpy, no pickle), so
                                     mistakes and label errors reuse one scoring

Asking again about the same checkpoint reveals nothing new and is not counted again;
a retrained run (a new best.pt) is a new model and is.

On a classroom server the leaderboard scores on a hidden half of the test split
(``lab.classroom.leaderboard``): here a student's model sees only the public half.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import torch

from lab.errors import LabError
from lab.files import atomic_write
from lab.errors import keyed
from lab.runs.messages import MESSAGES as RUNS_MESSAGES
from lab.classroom.messages import MESSAGES
from lab.runs.store import Run
from lab.classroom.accounts import Classroom
from lab.classroom.workspaces import private_workspaces
from lab.classroom.tokens import server_secret

SPLITS = ("val", "test")
LOOKS_FILE = ".test-looks.jsonl"
EVALUATIONS_FILE = "evaluations.jsonl"


@dataclass
class SplitScores:
    """One checkpoint's predictions on one split."""

    split: str  # "val" | "test"
    indices: np.ndarray  # int64 (n,): each image's index in the dataset's part (train part for val)
    labels: np.ndarray  # int64 (n,): the dataset's labels
    probs: np.ndarray  # float32 (n, classes): softmax of the model's logits
    classes: list[str]
    loss: float  # mean cross-entropy, no label smoothing
    checkpoint: str  # "best.pt:<mtime_ns>": which weights
    public_only: bool  # a classroom: only the public half of the test split
    fresh: bool  # scored by this call (not read back from the run folder)

    @property
    def predictions(self) -> np.ndarray:
        return self.probs.argmax(1) if len(self.probs) else np.zeros(0, dtype=np.int64)

    @property
    def accuracy(self) -> float:
        return float((self.predictions == self.labels).mean()) if len(self.labels) else float("nan")


# --- the classroom's public half ------------------------------------------------------------
def classroom(runs_root: str | Path | None = None) -> bool:
    """A classroom server (private workspaces, or a runs folder with accounts)."""

    return private_workspaces() or Classroom(runs_root).is_classroom()


def student_test_indices(labels: torch.Tensor, runs_root: str | Path | None = None) -> tuple[torch.Tensor, bool]:
    """(indices a student's model may be scored on, public_only): the whole test split on a
    laptop; on a classroom server the half the leaderboard does not keep hidden."""
    if classroom(runs_root):
        from lab.classroom.leaderboard import public_test_indices  # heavy: loaded on first use, to keep start-up light

        return public_test_indices(labels, server_secret(runs_root)), True
    return torch.arange(len(labels)), False


# --- scoring ---------------------------------------------------------------------------------
def check_split(split: str) -> str:
    if split not in SPLITS:
        raise keyed(RUNS_MESSAGES, "runs.unknown_split", split=repr(split))
    return split


def split_images(run: Run, split: str, data_dir: str | Path | None = None, runs_root: str | Path | None = None,
                 data=None) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, bool]:
    """(uint8 images, labels, dataset indices, public_only) of ``run``'s ``split``, exactly
    the images its training validated on (val) or the test images it may see (test)."""
    from lab.data.split import split_indices  # heavy: loaded on first use, to keep start-up light
    from lab.train.session import load_data  # heavy: loaded on first use, to keep start-up light

    cfg = run.config()
    if data is None:
        data = load_data(cfg, data_dir)[0]
    if check_split(split) == "val":
        idx = split_indices(data.train_y, cfg.data.val_fraction, cfg.data.split_seed, cfg.data.train_limit)[1]
        return data.train_x[idx], data.train_y[idx], idx, False
    if len(data.test_y) == 0:
        raise keyed(MESSAGES, "evaluation.no_test", dataset=data.name)
    idx, public = student_test_indices(data.test_y, runs_root)
    return data.test_x[idx], data.test_y[idx], idx, public


def _checkpoint_key(run: Run) -> tuple[Path, str]:
    path = run.model_checkpoint()
    return path, f"{path.name}:{path.stat().st_mtime_ns}"


def split_scores(run: Run, split: str, *, data_dir: str | Path | None = None, runs_root: str | Path | None = None,
                 data=None) -> SplitScores:
    """The run's checkpoint scored on ``split`` (read back when this checkpoint was already
    scored there). Scoring the test split afresh counts as a look at it."""
    cached = stored_scores(run, split, runs_root)
    if cached is not None:
        return cached
    path, key = _checkpoint_key(run)
    from lab.model.checkpoint import load_checkpoint  # heavy: loaded on first use, to keep start-up light
    from lab.train.evaluate import evaluate  # heavy: loaded on first use, to keep start-up light

    ckpt = load_checkpoint(path)
    x, y, idx, public = split_images(run, split, data_dir, runs_root, data)
    result = evaluate(ckpt.model, x, y, ckpt.mean, ckpt.std, "cpu", num_classes=len(ckpt.classes),
                      shape=ckpt.input_shape)
    scores = SplitScores(split, idx.numpy().astype(np.int64), y.numpy().astype(np.int64),
                         result["probabilities"].numpy().astype(np.float32), list(ckpt.classes),
                         float(result["loss"]), key, public, fresh=True)
    _write_scores(run, scores)
    if split == "test":
        record_look(run, key)
    return scores


def stored_scores(run: Run, split: str, runs_root: str | Path | None = None) -> SplitScores | None:
    """The scores ``split_scores`` already kept for the run's current checkpoint, or None
    (computing nothing, counting nothing: a page can ask on every rerun)."""
    try:
        key = _checkpoint_key(run)[1]
    except (LabError, OSError):
        return None
    found = _read_scores(run, check_split(split), key)
    if found is not None and split == "test" and found.public_only != classroom(runs_root):
        return None  # scored on the whole test split before the server became a classroom
    return found


def evaluate_run(run: Run, split: str = "test", **kw) -> dict:
    """Score ``run`` on ``split`` and journal it in the run folder; returns the record:
    {run, split, accuracy, loss, n, checkpoint, public_only, new_look, test_looks, at}."""
    scores = split_scores(run, check_split(split), **kw)
    record = {"run": run.id, "split": split, "accuracy": scores.accuracy, "loss": scores.loss,
              "n": int(len(scores.labels)), "checkpoint": scores.checkpoint, "public_only": scores.public_only,
              "new_look": bool(scores.fresh and split == "test"),
              "test_looks": count_test_looks(run.dir.parent),
              "at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    with open(run.dir / EVALUATIONS_FILE, "a", encoding="utf-8") as f:
        f.write(json.dumps(record, ensure_ascii=False) + "\n")
    return record


def evaluations(run: Run, split: str | None = None) -> list[dict]:
    """The run's evaluations, oldest first (lines cut short by a crash skipped)."""
    return [e for e in _jsonl(run.dir / EVALUATIONS_FILE) if split is None or e.get("split") == split]


def latest_test(run: Run) -> dict | None:
    """The run's newest test evaluation of the checkpoint it has now, or None: a run
    retrained since (a new best.pt) has not been evaluated on test."""
    try:
        key = _checkpoint_key(run)[1]
    except (LabError, OSError):
        return None
    found = [e for e in evaluations(run, "test") if e.get("checkpoint") == key]
    return found[-1] if found else None


# --- looks at the test set ----------------------------------------------------------------------
def record_look(run: Run, checkpoint: str) -> int:
    """Count ``run``'s ``checkpoint`` as looked at on test (once); return the workspace's count."""
    path = run.dir.parent / LOOKS_FILE
    seen = _jsonl(path)
    if not any(e.get("run") == run.id and e.get("checkpoint") == checkpoint for e in seen):
        line = {"run": run.id, "checkpoint": checkpoint, "at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
        with open(path, "a", encoding="utf-8") as f:
            f.write(json.dumps(line) + "\n")
            f.flush()
            os.fsync(f.fileno())
        seen.append(line)
    return len(seen)


def count_test_looks(workspace: str | Path) -> int:
    """How many models of this workspace have had their test score revealed (deleting a run
    does not take its look back)."""
    return len(_jsonl(Path(workspace) / LOOKS_FILE))


# --- files ------------------------------------------------------------------------------------
def _scores_path(run: Run, split: str) -> Path:
    return run.dir / f"scores-{split}.npz"


def _write_scores(run: Run, s: SplitScores) -> None:
    path = _scores_path(run, s.split)
    atomic_write(path, lambda f: np.savez(
        f, indices=s.indices, labels=s.labels, probs=s.probs, loss=np.float64(s.loss),
        checkpoint=np.str_(s.checkpoint), classes=np.array(s.classes, dtype=np.str_),
        public_only=np.bool_(s.public_only)))


def _read_scores(run: Run, split: str, key: str) -> SplitScores | None:
    path = _scores_path(run, split)
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as z:  # our own file, and still no pickle
            if str(z["checkpoint"]) != key:
                return None
            return SplitScores(split, z["indices"], z["labels"], z["probs"], [str(c) for c in z["classes"]],
                               float(z["loss"]), key, bool(z["public_only"]), fresh=False)
    except (OSError, KeyError, ValueError):
        return None


def _jsonl(path: Path) -> list[dict]:
    if not path.is_file():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            out.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return out
