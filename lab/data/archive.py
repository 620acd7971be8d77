"""Unpacking a dataset zip safely, once per content, into a folder the lab keeps small.

An uploaded archive is a stranger's file. It may lie about its sizes (a 510 KB zip that
expands to 512 MB), point outside the folder (``../x``, ``/etc/x``, links), hold 100,000
empty entries, or be damaged anywhere. ``safe_extract_zip`` checks every entry's
declared size and path before writing anything, counts the real bytes while writing and
stops at the cap, and unpacks into a temporary folder that only becomes the result when
everything succeeded: a refused or broken archive leaves nothing behind.

``extract_zip_cached`` keeps one unpacked copy per archive content (its SHA-1) under the
uploads folder and sweeps that folder like the private workspaces: copies unused for
``UPLOADS_TTL_HOURS`` go, and the oldest go first when all of them pass
``MAX_UPLOADS_BYTES``.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import time
import zipfile
from pathlib import Path, PurePosixPath

from lab.config import limits
from lab.config.limits import MAX_ZIP_BYTES, MAX_ZIP_FILES
from lab.errors import LabError, keyed
from lab.data.messages import MESSAGES
from lab.files import os_reason
from lab.paths import uploads_dir

MARKER = ".lab-upload.json"  # in a finished copy: {"root": dataset root relative to it, "bytes": size}
PARTIAL = ".partial-"  # prefix of a copy being unpacked
CHUNK = 1 << 20


class ArchiveError(LabError):
    """An archive that cannot be, or may not be, unpacked."""


def _mb(n: int) -> str:
    return f"{n / limits.MB:,.1f} MB"


def _open(source: str | Path | bytes) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(source) if isinstance(source, (bytes, bytearray)) else source)
    except Exception:  # BadZipFile, OSError, struct errors, NotImplementedError (zip64 oddities)...
        raise keyed(MESSAGES, "archive.not_zip", ArchiveError) from None


def _check_entries(infos: list[zipfile.ZipInfo], max_bytes: int, max_files: int) -> None:
    if len(infos) > max_files:
        raise keyed(MESSAGES, "archive.too_many", ArchiveError, n=len(infos), limit=max_files)
    declared = sum(i.file_size for i in infos)
    if declared >= max_bytes:
        raise keyed(MESSAGES, "archive.too_big", ArchiveError, size=_mb(declared), limit=_mb(max_bytes))
    for info in infos:
        name = PurePosixPath(info.filename.replace("\\", "/"))
        if name.is_absolute() or ".." in name.parts or (name.parts and ":" in name.parts[0]):
            raise keyed(MESSAGES, "archive.outside", ArchiveError, name=repr(info.filename[:80]))
        if (info.external_attr >> 16) & 0o170000 == 0o120000:
            raise keyed(MESSAGES, "archive.link", ArchiveError, name=repr(info.filename[:80]))


def _unpack(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo], target: Path, max_bytes: int) -> int:
    """Write the entries under ``target``; returns the bytes written, never ``max_bytes`` or more."""
    written = 0
    for info in infos:
        if info.is_dir() or "__MACOSX" in info.filename:
            continue
        dest = (target / info.filename.replace("\\", "/")).resolve()
        if target not in dest.parents:
            raise keyed(MESSAGES, "archive.outside", ArchiveError, name=repr(info.filename[:80]))
        dest.parent.mkdir(parents=True, exist_ok=True)
        with zf.open(info) as src, open(dest, "wb") as out:
            while chunk := src.read(CHUNK):
                written += len(chunk)
                if written >= max_bytes:  # the declared sizes lied
                    raise keyed(MESSAGES, "archive.lied", ArchiveError, size=_mb(written), limit=_mb(max_bytes))
                out.write(chunk)
    return written


def safe_extract_zip(source: str | Path | bytes, target: str | Path,
                     max_bytes: int = MAX_ZIP_BYTES, max_files: int = MAX_ZIP_FILES) -> Path:
    """Extract a zip into ``target`` (which must not exist yet) and return the dataset root.

    On any refusal or error nothing is left: the entries are written into a temporary
    sibling folder that is renamed to ``target`` only at the end.
    """
    target = Path(target).resolve()
    zf = _open(source)
    with zf:
        try:
            infos = zf.infolist()
        except Exception:
            raise keyed(MESSAGES, "archive.toc", ArchiveError) from None
        _check_entries(infos, max_bytes, max_files)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.parent / f"{PARTIAL}{target.name}-{os.getpid()}-{time.monotonic_ns()}"
        try:
            partial.mkdir()
            written = _unpack(zf, infos, partial.resolve(), max_bytes)
            root = _dataset_root(partial)
            (partial / MARKER).write_text(json.dumps({"root": str(root.relative_to(partial)), "bytes": written}))
            os.rename(partial, target)
        except ArchiveError:
            shutil.rmtree(partial, ignore_errors=True)
            raise
        except OSError as exc:  # disk full, a read-only folder; also a copy another process just finished
            shutil.rmtree(partial, ignore_errors=True)
            if (target / MARKER).is_file():
                return _finished_root(target)
            raise keyed(MESSAGES, "archive.unpack", ArchiveError, reason=os_reason(exc)) from None
        except Exception:  # CRC errors, zlib errors, an unsupported compression method, ...
            shutil.rmtree(partial, ignore_errors=True)
            raise keyed(MESSAGES, "archive.damaged", ArchiveError) from None
    return _finished_root(target)


def _finished_root(copy: Path) -> Path:
    info = json.loads((copy / MARKER).read_text())
    return (copy / info["root"]).resolve()


def _dataset_root(folder: Path) -> Path:
    """A zip often wraps the tree in one top folder; step into it."""
    from lab.data.folder import class_dirs  # heavy: loaded on first use, to keep start-up light

    entries = [p for p in folder.iterdir() if not p.name.startswith(".") and p.name != "__MACOSX"]
    if len(entries) == 1 and entries[0].is_dir() and entries[0].name not in ("train", "test"):
        inner = entries[0]
        if (inner / "train").is_dir() or len(class_dirs(inner)) >= 2:
            return inner
    return folder


def extract_zip_cached(data: bytes, root: Path | None = None) -> Path:
    """Extract an uploaded zip once into ``<root>/<sha1>/`` and return its dataset root.

    ``root`` defaults to ``lab.paths.uploads_dir()``; the same archive uploaded twice
    (or by two students) is unpacked once. Each use refreshes the copy's age.
    """
    base = Path(root or uploads_dir())
    target = base / hashlib.sha1(data).hexdigest()[:16]
    marker = target / MARKER
    if marker.is_file():
        os.utime(marker)
        return _finished_root(target)
    if target.exists():  # an unfinished copy from an older lab or a crash
        shutil.rmtree(target, ignore_errors=True)
    sweep_uploads(base, incoming=_declared_size(data))
    return safe_extract_zip(data, target)


def _declared_size(data: bytes) -> int:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return sum(i.file_size for i in zf.infolist())
    except Exception:
        return 0  # safe_extract_zip gives the message


def sweep_uploads(base: Path, incoming: int = 0, now: float | None = None,
                  max_bytes: int = limits.MAX_UPLOADS_BYTES, ttl_hours: float = limits.UPLOADS_TTL_HOURS) -> list[str]:
    """Remove unpacked uploads unused for ``ttl_hours``, then the oldest until the rest plus
    ``incoming`` bytes fit in ``max_bytes``; also unpacking leftovers over an hour old.
    Returns the names removed."""
    if not base.is_dir():
        return []
    now = time.time() if now is None else now
    kept, removed = [], []
    for copy in base.iterdir():
        if not copy.is_dir():
            continue
        marker = copy / MARKER
        try:
            used = marker.stat().st_mtime if marker.is_file() else copy.stat().st_mtime
            size = int(json.loads(marker.read_text()).get("bytes", 0)) if marker.is_file() else 0
        except (OSError, ValueError, AttributeError):
            used, size = 0.0, 0
        unfinished = not marker.is_file()
        if now - used > ttl_hours * 3600 or (unfinished and now - used > 3600):
            shutil.rmtree(copy, ignore_errors=True)
            removed.append(copy.name)
        elif not unfinished:
            kept.append((used, size, copy))
    total = sum(size for _, size, _ in kept) + incoming
    for used, size, copy in sorted(kept, key=lambda k: k[0]):
        if total <= max_bytes:
            break
        shutil.rmtree(copy, ignore_errors=True)
        removed.append(copy.name)
        total -= size
    return removed
