"""Which model to predict with: a run folder, a run id in the journal, or a checkpoint file."""

from __future__ import annotations

from pathlib import Path

from lab.checkpoint import Checkpoint, load_checkpoint
from lab.errors import LabError
from lab.runs import Run, RunStore


def run_checkpoint_path(run: Run) -> Path:
    """The run's best checkpoint, else its last one (a run stopped before any best)."""
    for which in ("best", "last"):
        path = run.checkpoint_path(which)
        if path.is_file():
            return path
    raise LabError(f"run {run.id} has no checkpoint yet (no best.pt or last.pt): train it for at least one epoch")


def load_model(ref: str | Path, runs_root: str | Path | None = None) -> Checkpoint:
    """``ref`` is a checkpoint file, a run folder, or a run id inside ``runs_root``."""
    path = Path(ref).expanduser()
    if path.is_file():
        return load_checkpoint(path)
    if path.is_dir():
        if not (path / "config.json").is_file():
            raise LabError(f"{path} is neither a run folder (no config.json) nor a checkpoint file")
        return load_checkpoint(run_checkpoint_path(Run(path)))
    if runs_root is not None and (Path(runs_root) / str(ref) / "config.json").is_file():
        return load_checkpoint(run_checkpoint_path(RunStore(runs_root).get(str(ref))))
    raise LabError(f"no model at {ref}: give a run folder, a run id from the journal or a .pt checkpoint file")
