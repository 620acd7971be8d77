"""MNIST, Fashion-MNIST and CIFAR-10 through ``torchvision.datasets``.

Where each comes from, in order: the files already in the data directory (torchvision's
own layout; for CIFAR-10 also a ``CIFAR10-jpg/{train,test}/<class>/`` tree), then a
download into the data directory by torchvision itself. When both fail the caller
falls back to the bundled samples (``lab.data.samples``) and says so.
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path
from typing import Callable

import numpy as np
import torch
import torchvision

from lab.data.folder import load_image_folder
from lab.data.images import ImageData
from lab.errors import LabError, did_you_mean, keyed
from lab.data.messages import MESSAGES

TORCHVISION_CLASSES = {
    "mnist": torchvision.datasets.MNIST,
    "fashion-mnist": torchvision.datasets.FashionMNIST,
    "cifar10": torchvision.datasets.CIFAR10,
}
# Approximate download sizes, shown while torchvision downloads
DOWNLOAD_MB = {"mnist": 12, "fashion-mnist": 31, "cifar10": 163}
CIFAR_JPEG_DIR = "CIFAR10-jpg"


class DataUnavailable(LabError):
    """The full dataset is neither on disk nor downloadable (offline, server down)."""


def local_source(name: str, data_dir: Path) -> str | None:
    """Where the full dataset would load from without a download, or None."""
    cls = TORCHVISION_CLASSES[name]
    if name == "cifar10":
        if (data_dir / "cifar-10-batches-py").is_dir():
            return str(data_dir / "cifar-10-batches-py")
        jpg = data_dir / CIFAR_JPEG_DIR
        if (jpg / "train").is_dir():
            return str(jpg)
        return None
    raw = data_dir / cls.__name__ / "raw"
    if raw.is_dir() and any(raw.iterdir()):
        return str(raw)
    return None


def load_builtin(name: str, data_dir: Path, download: bool = True,
                 on_download: Callable[[str, int], None] | None = None) -> ImageData:
    """Load the full dataset ``name``; raises DataUnavailable when it cannot."""
    if name not in TORCHVISION_CLASSES:
        raise keyed(MESSAGES, "data.unknown_builtin", name=repr(name), known=", ".join(TORCHVISION_CLASSES),
                    close=did_you_mean(name, TORCHVISION_CLASSES))
    if name == "cifar10" and not (data_dir / "cifar-10-batches-py").is_dir() and (data_dir / CIFAR_JPEG_DIR / "train").is_dir():
        data = load_image_folder(data_dir / CIFAR_JPEG_DIR, size=32, color="rgb")
        data.name, data.source = "cifar10", "full"
        return data
    have_local = local_source(name, data_dir) is not None
    if not have_local and not download:
        raise DataUnavailable(f"{name} is not in {data_dir} and downloads are off")
    if not have_local and on_download is not None:
        on_download(name, DOWNLOAD_MB[name])
    try:
        train = _torchvision(name, data_dir, train=True, download=not have_local)
        test = _torchvision(name, data_dir, train=False, download=False)
    except DataUnavailable:
        raise
    except Exception as exc:  # torchvision raises RuntimeError, URLError, OSError...
        raise DataUnavailable(f"could not load or download {name} into {data_dir}: {_reason(exc)}") from None
    train_x, train_y = _to_tensors(train)
    test_x, test_y = _to_tensors(test)
    return ImageData(
        name=name, classes=_class_names(name, train), train_x=train_x, train_y=train_y,
        test_x=test_x, test_y=test_y, source="full", origin=str(data_dir),
    )


def _torchvision(name: str, data_dir: Path, train: bool, download: bool):
    cls = TORCHVISION_CLASSES[name]
    data_dir.mkdir(parents=True, exist_ok=True) if download else None
    # torchvision prints download progress bars and "Files already downloaded" to stdout;
    # the CLI's --json output must stay one clean object.
    with contextlib.redirect_stdout(io.StringIO()):
        return cls(root=str(data_dir), train=train, download=download)


def _to_tensors(ds) -> tuple[torch.Tensor, torch.Tensor]:
    data = ds.data
    if isinstance(data, np.ndarray):  # CIFAR-10: (N, H, W, 3) numpy
        x = torch.from_numpy(np.ascontiguousarray(data)).permute(0, 3, 1, 2).contiguous()
    else:  # MNIST family: (N, H, W) uint8 tensor
        x = data.unsqueeze(1).contiguous()
    y = torch.as_tensor(np.asarray(ds.targets), dtype=torch.int64)
    return x, y


def _class_names(name: str, ds) -> list[str]:
    if name == "mnist":
        return [str(i) for i in range(10)]  # torchvision says "0 - zero"; the digit reads better
    return list(ds.classes)


def _reason(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    offline_signs = ("urlopen", "Name or service", "Temporary failure", "Network", "Error downloading")
    if any(sign in text for sign in offline_signs):
        return f"no internet connection ({text})"
    return text
