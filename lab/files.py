"""Reading a user's file with a size limit: never more than the limit lands in memory.

``Path.read_bytes()`` on ``/dev/zero`` or a FIFO reads forever (or blocks); on a 6 GB
file it ends in MemoryError. Everything the lab reads from a path the user named (a
config, a checkpoint, a picture, an archive) goes through ``read_limited``.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from lab.config import limits
from lab.errors import LabError


def check_regular_file(path: str | Path, max_bytes: int, what: str) -> int:
    """The file's size, after refusing devices, pipes, folders and files over ``max_bytes``."""
    try:
        info = os.stat(path)
    except OSError as exc:
        raise LabError(f"cannot read {what} {path}: {exc.strerror or exc}") from None
    if stat.S_ISDIR(info.st_mode):
        raise LabError(f"{what} {path} is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise LabError(f"{what} {path} is not a regular file (a device or a pipe): give a file on disk")
    if info.st_size > max_bytes:
        raise LabError(f"{what} {path} is {_mb(info.st_size)}, more than the limit of {_mb(max_bytes)}")
    return info.st_size


def read_limited(path: str | Path, max_bytes: int, what: str = "file") -> bytes:
    """The bytes of ``path``; LabError if it is not a regular file or passes ``max_bytes``."""
    check_regular_file(path, max_bytes, what)
    try:
        with open(path, "rb") as f:
            data = f.read(max_bytes + 1)  # a file that grew since the stat is still cut off
    except OSError as exc:
        raise LabError(f"cannot read {what} {path}: {exc.strerror or exc}") from None
    if len(data) > max_bytes:
        raise LabError(f"{what} {path} is more than the limit of {_mb(max_bytes)}")
    return data


def _mb(n: int) -> str:
    return f"{n / limits.MB:,.1f} MB" if n < 10 * limits.MB else f"{n / limits.MB:,.0f} MB"
