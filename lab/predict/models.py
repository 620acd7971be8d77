"""Which model to predict with: a run folder, a run id in the journal, or a checkpoint file."""

from __future__ import annotations

from pathlib import Path

import torch
from torch.torch_version import TorchVersion

from lab.checkpoint import Checkpoint, load_checkpoint
from lab.errors import LabError
from lab.runs import Run, RunStore


def read_checkpoint(source: str | Path | bytes) -> Checkpoint:
    """``lab.checkpoint.load_checkpoint``, also admitting the torch version string.

    ``save_checkpoint`` stores ``torch.__version__``, a ``TorchVersion`` (a plain ``str``
    subclass) that ``weights_only=True`` refuses by default, so every checkpoint the lab
    writes today would be turned away. Admitting that one class runs no code: unpickling
    it only builds a string. Everything else is still refused by ``load_checkpoint``.
    """
    with torch.serialization.safe_globals([TorchVersion]):
        return load_checkpoint(source)


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
        return read_checkpoint(path)
    if path.is_dir():
        if not (path / "config.json").is_file():
            raise LabError(f"{path} is neither a run folder (no config.json) nor a checkpoint file")
        return read_checkpoint(run_checkpoint_path(Run(path)))
    if runs_root is not None and (Path(runs_root) / str(ref) / "config.json").is_file():
        return read_checkpoint(run_checkpoint_path(RunStore(runs_root).get(str(ref))))
    raise LabError(f"no model at {ref}: give a run folder, a run id from the journal or a .pt checkpoint file")
