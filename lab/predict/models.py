"""Which model to predict with: a run folder, a run id in the journal, or a checkpoint file."""

from __future__ import annotations

from pathlib import Path

from lab.model.checkpoint import Checkpoint, load_checkpoint
from lab.errors import keyed
from lab.model.checkpoint_messages import MESSAGES
from lab.runs.store import Run, RunStore


def run_checkpoint_path(run: Run) -> Path:
    """The run's best checkpoint, else its last one (``Run.model_checkpoint``)."""
    return run.model_checkpoint()


def load_model(ref: str | Path, runs_root: str | Path | None = None) -> Checkpoint:
    """``ref`` is a checkpoint file, a run folder, or a run id inside ``runs_root``."""
    path = Path(ref).expanduser()
    if path.is_file():
        return load_checkpoint(path)
    if path.is_dir():
        if not (path / "config.json").is_file():
            raise keyed(MESSAGES, "checkpoint.not_run", path=str(path))
        return load_checkpoint(run_checkpoint_path(Run(path)))
    if runs_root is not None and (Path(runs_root) / str(ref) / "config.json").is_file():
        return load_checkpoint(run_checkpoint_path(RunStore(runs_root).get(str(ref))))
    raise keyed(MESSAGES, "checkpoint.no_model", ref=ref)


def session_entry(run: Run) -> dict | None:
    """A run that ended with a model, as the entry a session keeps for Prediction:
    {name, run_id, model, classes, mean, std, input_shape, metrics, status}; None for a
    run that diverged, failed or ended before its first epoch (nothing worth keeping)."""
    status = run.status
    if status not in ("finished", "stopped") or not run.trained_epochs() or not run.has_checkpoint():
        return None
    ckpt = load_checkpoint(run.model_checkpoint())
    summary = run.summary() or {}
    keys = ("best_val_accuracy", "best_val_loss", "final_val_accuracy", "epochs", "seconds",
            "images_per_sec", "device")
    return {"name": run.meta().get("name") or run.id, "run_id": run.id, "model": ckpt.model,
            "classes": list(ckpt.classes), "mean": list(ckpt.mean), "std": list(ckpt.std),
            "input_shape": tuple(ckpt.input_shape), "metrics": {k: summary.get(k) for k in keys}, "status": status}
