"""Reading a user's file with a size limit: never more than the limit lands in memory.

``Path.read_bytes()`` on ``/dev/zero`` or a FIFO reads forever (or blocks); on a 6 GB
file it ends in MemoryError. Everything the lab reads from a path the user named (a
config, a checkpoint, a picture, an archive) goes through ``read_limited``.
"""

from __future__ import annotations

import os
import shutil
import stat
import time
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

import errno

from lab.errors import LabError, keyed

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
    "files.no_space": "the disk is full: cannot write {name}, {free} free in {folder}; free some space "
                      "(delete runs you no longer need) and try again",
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


_MB = 1024 * 1024  # as lab.config.limits.MB; not imported from there: lab.config reads files through here


def _mb(n: int) -> str:
    return f"{n / _MB:,.1f} MB" if n < 10 * _MB else f"{n / _MB:,.0f} MB"


# --- writing: one write-then-rename for every file the lab keeps -----------------------------
def atomic_write(path: str | Path, content: bytes | str | Callable[[BinaryIO], None], *,
                 mode: int | None = None, fsync: bool = False, create_only: bool = False) -> bool:
    """Write ``content`` to ``path`` so that a reader (another page, the worker, a crash) sees the
    old file or the whole new one, never half of it.

    ``content`` is the file's bytes, its text (UTF-8), or a writer that fills a binary file
    object (``lambda f: torch.save(obj, f)``). The temp file lies in the same folder (a rename
    across file systems is a copy) and is hidden (a dot name), so no listing of ``*.pt`` or
    ``*.json`` picks it up; on any error it is removed and the old file stays as it was.
    ``mode``: the file's permission bits, set at creation (0o600 for password hashes and the
    server secret: never world-readable, even for a moment). ``fsync``: on disk before the
    rename (accounts, the secret: losing them loses people's work). ``create_only``: keep an
    existing file instead of replacing it (``os.link`` refuses to overwrite, so of two
    processes creating it at once exactly one wins); returns whether this call wrote it.
    """
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}-{time.monotonic_ns()}")
    flags = os.O_CREAT | os.O_WRONLY | os.O_EXCL | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(tmp, flags, 0o666 if mode is None else mode)
    except OSError as exc:
        full = no_space(exc, path)
        if full is not None:
            raise full from None
        raise
    try:
        with os.fdopen(fd, "wb") as f:
            if callable(content):
                content(f)
            else:
                f.write(content.encode("utf-8") if isinstance(content, str) else content)
            if fsync:
                f.flush()
                os.fsync(f.fileno())
        if not create_only:
            os.replace(tmp, path)
            return True
        try:
            os.link(tmp, path)
            return True
        except FileExistsError:
            return False
    except BaseException as exc:
        tmp.unlink(missing_ok=True)  # first, so the free space said below is what is left
        full = no_space(exc, path)
        if full is not None:
            raise full from None
        raise
    finally:
        tmp.unlink(missing_ok=True)  # gone already after a replace; the link's twin otherwise


# --- a full disk --------------------------------------------------------------------------------
_NO_SPACE = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}  # a full disk, or the user's quota
# torch.save's C++ writer reports a failed write in its own words: with a path "basic_ios::clear:
# iostream error" / "file write failed", with a file object "unexpected pos" (the OSError as context)
_TORCH_WRITE_FAILED = ("iostream error", "file write failed", "unexpected pos")
LOW_FREE_BYTES = 64 * _MB  # below this, a write torch could not finish is put down to the disk


class DiskFull(LabError, OSError):
    """A full disk: a LabError (one line, in the catalogue) that is still an OSError with
    errno ENOSPC, so the code that already copes with a failed write (the heartbeat, the
    worker registry: ``except OSError``) goes on coping."""

    def __init__(self, message: str = "", **kw):
        super().__init__(message, **kw)
        self.errno, self.strerror = errno.ENOSPC, message

    def __str__(self) -> str:  # the message alone, as every LabError (not OSError's "[Errno 28] ...")
        return str(self.args[0]) if self.args else ""


def no_space(exc: BaseException, path: str | Path):
    """The one-line LabError for ``exc`` when it means the disk holding ``path`` is full
    (ENOSPC or EDQUOT anywhere in its chain, or a torch write failure on a nearly full disk),
    saying how much is free where; None for any other error."""
    if isinstance(exc, LabError):
        return exc if exc.key == "files.no_space" else None
    chain, seen = [], exc
    while seen is not None and len(chain) < 8:
        chain.append(seen)
        seen = seen.__cause__ or seen.__context__
    folder = _existing_folder(Path(path))
    free = _free_bytes(folder)
    full = any(isinstance(e, OSError) and e.errno in _NO_SPACE for e in chain) or (
        free is not None and free < LOW_FREE_BYTES
        and any(isinstance(e, RuntimeError) and any(m in str(e) for m in _TORCH_WRITE_FAILED) for e in chain))
    if not full:
        return None
    return keyed(MESSAGES, "files.no_space", DiskFull, name=Path(path).name, folder=str(folder),
                 free=_free_text(free or 0))


def _existing_folder(path: Path) -> Path:
    folder = path.parent
    while not folder.is_dir() and folder != folder.parent:
        folder = folder.parent
    return folder


def _free_bytes(folder: Path) -> int | None:
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return None


def _free_text(n: int) -> str:
    return f"{n / 1024:,.0f} KB" if n < _MB else _mb(n)
