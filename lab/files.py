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
from lab.errors import keyed

# English templates keyed for the catalogue (Russian in lab/i18n/texts/engine_messages.py).
# ``{what}`` is one of the ``files.what.*`` nouns, ``{reason}`` an ``os_reason``.
MESSAGES = {
    "files.cannot_read": "cannot read {what} {path}: {reason}",
    "files.is_folder": "{what} {path} is a folder, not a file",
    "files.not_regular": "{what} {path} is not a regular file (a device or a pipe): give a file on disk",
    "files.too_big": "{what} {path} is {size}, more than the limit of {limit}",
    "files.over_limit": "{what} {path} is more than the limit of {limit}",
    "files.cannot_read_path": "cannot read {path}: {reason}",
    "files.cannot_write": "cannot write {path}: {reason}",
    "files.cannot_create": "cannot create {path}: {reason}",
    "files.cannot_write_into": "cannot write into {path}: {reason}",
    "files.what.file": "file",
    "files.what.archive": "archive",
    "files.what.checkpoint": "checkpoint",
    "files.what.config": "config",
    "files.what.spec": "spec",
    "files.what.picture": "picture",
    # the operating system's words for the common failures (Linux strerror, so the CLI reads as before)
    "files.os.ENOENT": "No such file or directory",
    "files.os.EACCES": "Permission denied",
    "files.os.EISDIR": "Is a directory",
    "files.os.ENOTDIR": "Not a directory",
    "files.os.ENOSPC": "No space left on device",
    "files.os.EROFS": "Read-only file system",
}

_OS_REASONS = {"ENOENT": "files.os.ENOENT", "EACCES": "files.os.EACCES", "EISDIR": "files.os.EISDIR",
               "ENOTDIR": "files.os.ENOTDIR", "ENOSPC": "files.os.ENOSPC", "EROFS": "files.os.EROFS"}
_WHAT = {"file": "files.what.file", "archive": "files.what.archive", "checkpoint": "files.what.checkpoint",
         "config": "files.what.config", "spec": "files.what.spec", "picture": "files.what.picture"}


def os_reason(exc: OSError):
    """Why the operating system refused, as a message parameter: a catalogue key for the
    common errors, the system's own text otherwise."""
    import errno

    key = _OS_REASONS.get(errno.errorcode.get(exc.errno or -1, ""))
    return (key, {}) if key else str(exc.strerror or exc)


def _what(what: str):
    return (_WHAT[what], {}) if what in _WHAT else what


def check_regular_file(path: str | Path, max_bytes: int, what: str) -> int:
    """The file's size, after refusing devices, pipes, folders and files over ``max_bytes``."""
    try:
        info = os.stat(path)
    except OSError as exc:
        raise keyed(MESSAGES, "files.cannot_read", what=_what(what), path=str(path), reason=os_reason(exc)) from None
    if stat.S_ISDIR(info.st_mode):
        raise keyed(MESSAGES, "files.is_folder", what=_what(what), path=str(path))
    if not stat.S_ISREG(info.st_mode):
        raise keyed(MESSAGES, "files.not_regular", what=_what(what), path=str(path))
    if info.st_size > max_bytes:
        raise keyed(MESSAGES, "files.too_big", what=_what(what), path=str(path), size=_mb(info.st_size),
                    limit=_mb(max_bytes))
    return info.st_size


def read_limited(path: str | Path, max_bytes: int, what: str = "file") -> bytes:
    """The bytes of ``path``; LabError if it is not a regular file or passes ``max_bytes``."""
    check_regular_file(path, max_bytes, what)
    try:
        with open(path, "rb") as f:
            data = f.read(max_bytes + 1)  # a file that grew since the stat is still cut off
    except OSError as exc:
        raise keyed(MESSAGES, "files.cannot_read", what=_what(what), path=str(path), reason=os_reason(exc)) from None
    if len(data) > max_bytes:
        raise keyed(MESSAGES, "files.over_limit", what=_what(what), path=str(path), limit=_mb(max_bytes))
    return data


def _mb(n: int) -> str:
    return f"{n / limits.MB:,.1f} MB" if n < 10 * limits.MB else f"{n / limits.MB:,.0f} MB"
