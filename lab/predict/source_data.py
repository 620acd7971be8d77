"""Which dataset a checkpoint's test images and class examples may come from, and which of
its test images a student may look at.

A checkpoint's stored config names its dataset, and for an image folder that is a path
on the machine it was trained on. An *uploaded* checkpoint is a stranger's file: if the
lab followed that path, any folder on the server would show up on the Prediction page
(and missing and forbidden folders would answer differently, telling what exists). So
an uploaded checkpoint gets built-in datasets by name only and no file-system access at
all; a checkpoint from the lab's own journal may use its folder where server folders
are allowed (a laptop) or when the folder is one of the lab's unpacked uploads.

On a classroom server the leaderboard scores every entry on a hidden half of the test
split (``lab.classroom.leaderboard``); showing one of those images with its label, one
number at a time, would let a script score any model on it. So every surface that shows
a test image by its number (Predict, Inside, ``lab inspect --index``) asks ``open_test_image``,
which asks the one function that decides what a student may see,
``lab.runs.evaluation.student_test_indices`` (the same one "Evaluate on test" scores on).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from lab.config import DataConfig
from lab.data import builtin_name
import torch

from lab.errors import LabError, keyed
from lab.predict.messages import MESSAGES
from lab.runs.evaluation import student_test_indices
from lab.paths import uploads_dir
from lab.classroom.workspaces import server_folders_allowed


class FolderNotFollowed(LabError):
    """The checkpoint's dataset is a folder the lab will not open for it."""

    text_key = "safety.folder_checkpoint"  # lab/i18n/texts/safety.py
    fmt: dict = {}

    def __init__(self) -> None:
        super().__init__("this checkpoint was trained on an image folder, which the lab does not open for "
                         "an uploaded or foreign model: pick a test picture yourself (upload one)",
                         key=self.text_key)


def checkpoint_data(checkpoint) -> DataConfig:
    """The DataConfig to load for ``checkpoint``'s test images and examples, or FolderNotFollowed."""
    cfg: DataConfig = checkpoint.config.data
    name = builtin_name(cfg.dataset)
    if name is not None:
        return replace(cfg, dataset=name)  # by name: the lab's own copy, never a path
    if getattr(checkpoint, "origin", "file") == "upload":
        raise FolderNotFollowed()
    if server_folders_allowed() or _inside(Path(cfg.dataset), uploads_dir()):
        return cfg
    raise FolderNotFollowed()


def _inside(path: Path, root: Path) -> bool:
    try:
        path.expanduser().resolve().relative_to(root.resolve())
    except (ValueError, OSError, RuntimeError):
        return False
    return True


def open_test_indices(labels: torch.Tensor, runs_root: str | Path | None = None) -> tuple[torch.Tensor, bool]:
    """(the test indices a student may look at, sorted; whether that is only the public half)."""
    idx, public = student_test_indices(labels, runs_root)
    return torch.sort(idx).values, public


def open_test_image(test_x: torch.Tensor, test_y: torch.Tensor, index: int,
               runs_root: str | Path | None = None) -> tuple[torch.Tensor, int]:
    """(uint8 image, label) of test image ``index``, or a LabError when it lies in the hidden
    half on a classroom server (the image and its label are never read out then)."""
    idx, public = open_test_indices(test_y, runs_root)
    if public and not bool((idx == int(index)).any()):
        raise keyed(MESSAGES, "predict.hidden_test_image", index=int(index), open=len(idx), total=len(test_y))
    return test_x[int(index)], int(test_y[int(index)])
