"""Which dataset a checkpoint's test images and class examples may come from.

A checkpoint's stored config names its dataset, and for an image folder that is a path
on the machine it was trained on. An *uploaded* checkpoint is a stranger's file: if the
lab followed that path, any folder on the server would show up on the Prediction page
(and missing and forbidden folders would answer differently, telling what exists). So
an uploaded checkpoint gets built-in datasets by name only and no file-system access at
all; a checkpoint from the lab's own journal may use its folder where server folders
are allowed (a laptop) or when the folder is one of the lab's unpacked uploads.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from lab.config import DataConfig
from lab.data import builtin_name
from lab.errors import LabError
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
