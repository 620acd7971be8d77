"""Datasets in the lab's one in-memory form (``ImageData``), wherever they come from.

``load("mnist")`` gives the full dataset when it is on disk or downloadable, else the
bundled samples with a note saying why; ``load("/path/to/folder")`` or a ``.zip`` reads
an image-folder tree. Pages wrap ``load`` in ``st.cache_resource`` so each dataset is
held once per process however many sessions use it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from lab.data.builtin import DataUnavailable, load_builtin, local_source
from lab.data.archive import extract_zip_cached
from lab.data.folder import load_image_folder
from lab.data.images import ImageData, channel_stats
from lab.data.samples import load_samples, sample_path
from lab.data.split import Splits, make_splits, stratified_split
from lab.config.limits import MAX_ZIP_BYTES
from lab.errors import LabError, did_you_mean, keyed
from lab.data.messages import MESSAGES
from lab.files import read_limited
from lab.paths import allow_download, data_dir as default_data_dir

BUILTIN = ("mnist", "fashion-mnist", "cifar10")
_ALIASES = {
    "mnist": "mnist", "fashion-mnist": "fashion-mnist", "fashion_mnist": "fashion-mnist",
    "fashionmnist": "fashion-mnist", "fmnist": "fashion-mnist", "cifar10": "cifar10",
    "cifar-10": "cifar10", "cifar_10": "cifar10",
}
GRAYSCALE = {"mnist": True, "fashion-mnist": True, "cifar10": False}
DIGITS = {"mnist"}  # datasets of MNIST-style digits (white on black, centred)


def builtin_name(name: str) -> str | None:
    """The canonical built-in name for ``name`` ("Fashion_MNIST" -> "fashion-mnist"), or None."""
    return _ALIASES.get(name.strip().lower())


def load(dataset: str, data_dir: str | Path | None = None, *, size: int = 32, color: str = "rgb",
         download: bool | None = None, use_samples: bool = True,
         on_download: Callable[[str, int], None] | None = None) -> ImageData:
    """Load a built-in dataset by name, or an image folder / zip by path."""
    root = default_data_dir(data_dir)
    name = builtin_name(dataset)
    if name is not None:
        try:
            return load_builtin(name, root, download=allow_download() if download is None else download,
                                on_download=on_download)
        except DataUnavailable as exc:
            if not use_samples:
                raise
            data = load_samples(name)
            data.notes.append(str(exc))
            return data
    path = Path(dataset).expanduser()
    if path.suffix.lower() == ".zip":
        if not path.exists():
            raise keyed(MESSAGES, "data.archive_missing", path=str(path))
        archive = read_limited(path, MAX_ZIP_BYTES, "archive")
        return load_image_folder(extract_zip_cached(archive), size=size, color=color)
    if not path.exists():
        raise keyed(MESSAGES, "data.unknown_dataset", name=repr(dataset), known=", ".join(BUILTIN),
                    close=did_you_mean(dataset, BUILTIN))
    return load_image_folder(path, size=size, color=color)


def describe_sources(data_dir: str | Path | None = None) -> list[dict]:
    """For each built-in dataset: where it would load from now, without downloading."""
    root = default_data_dir(data_dir)
    rows = []
    for name in BUILTIN:
        local = local_source(name, root)
        samples = sample_path(name)
        if local:
            where, source = local, "full"
        elif allow_download():
            where, source = f"download into {root} on first use", "download"
        else:
            where, source = str(samples), "samples"
        rows.append({"dataset": name, "source": source, "where": where,
                     "samples": str(samples) if samples.is_file() else None})
    return rows


__all__ = [
    "BUILTIN", "DIGITS", "GRAYSCALE", "DataUnavailable", "ImageData", "Splits", "builtin_name",
    "channel_stats", "describe_sources", "extract_zip_cached", "load", "make_splits", "stratified_split",
]
