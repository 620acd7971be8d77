"""Where the lab reads and writes: data, runs, caches. Environment variables win over
the project's own folders so a classroom server or a test can point them elsewhere."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SAMPLES_DIR = PROJECT_ROOT / "data" / "samples"


def data_dir(explicit: str | Path | None = None) -> Path:
    """--data-dir, else $LAB_DATA_DIR, else ``data/`` in the project."""
    return Path(explicit or os.environ.get("LAB_DATA_DIR") or PROJECT_ROOT / "data")


def runs_dir(explicit: str | Path | None = None) -> Path:
    """--runs-dir, else $LAB_RUNS_DIR, else ``runs/`` in the project."""
    return Path(explicit or os.environ.get("LAB_RUNS_DIR") or PROJECT_ROOT / "runs")


def uploads_dir() -> Path:
    """Where uploaded zips are unpacked: $LAB_UPLOADS_DIR, else ``data/uploads/``.

    Not inside the data directory: that may be a read-only shared copy of the datasets.
    """
    return Path(os.environ.get("LAB_UPLOADS_DIR") or PROJECT_ROOT / "data" / "uploads")


def allow_download() -> bool:
    """$LAB_OFFLINE=1 skips download attempts (tests, air-gapped classrooms)."""
    return os.environ.get("LAB_OFFLINE", "") not in ("1", "true", "yes")


def cache_dir() -> Path:
    """Small per-machine caches (the speed calibration): $LAB_CACHE_DIR, else
    $XDG_CACHE_HOME/cnn-lab, else ~/.cache/cnn-lab."""
    explicit = os.environ.get("LAB_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "cnn-lab"
