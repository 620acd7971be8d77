"""The bundled samples: a small real subset of each built-in dataset, shipped in
``data/samples/<name>.npz`` (made by ``scripts/make_samples.py`` from the real files),
so the lab works offline and in CI without the full downloads."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

from lab.data.images import ImageData
from lab.errors import LabError, keyed
from lab.data.messages import MESSAGES
from lab.paths import SAMPLES_DIR


def sample_path(name: str, samples_dir: Path = SAMPLES_DIR) -> Path:
    return samples_dir / f"{name}.npz"


def load_samples(name: str, samples_dir: Path = SAMPLES_DIR) -> ImageData:
    path = sample_path(name, samples_dir)
    if not path.is_file():
        raise keyed(MESSAGES, "data.no_samples", name=name, path=str(path))
    # allow_pickle=False: the classes are stored as a plain unicode array
    with np.load(path, allow_pickle=False) as z:
        return ImageData(
            name=name, classes=[str(c) for c in z["classes"]],
            train_x=torch.from_numpy(z["train_x"].copy()), train_y=torch.from_numpy(z["train_y"].astype(np.int64)),
            test_x=torch.from_numpy(z["test_x"].copy()), test_y=torch.from_numpy(z["test_y"].astype(np.int64)),
            source="samples", origin=str(path),
        )


def save_samples(data: ImageData, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        path, classes=np.array(data.classes), train_x=data.train_x.numpy(), train_y=data.train_y.numpy().astype(np.int16),
        test_x=data.test_x.numpy(), test_y=data.test_y.numpy().astype(np.int16),
    )
