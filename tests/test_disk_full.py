"""A run whose disk fills up (issue 24, item 10).

Performed for real where the test may mount a file system (root, as in the course's
containers): ``lab train`` writes its run into a 2.5 MB tmpfs, where the first epoch's two
checkpoints (about 1 MB each) fit and the second epoch's does not. The run then says so
in ONE line naming how much is free where, leaves no temporary file behind, and keeps its
finished epoch (events and loadable checkpoints); the earlier run beside it is untouched.
Where mounting is refused, the same write is failed at the OS level with ENOSPC.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lab.errors import LabError
from lab.files import atomic_write, no_space
from lab.i18n import translate
from lab.model.checkpoint import load_checkpoint

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture()
def small_disk(tmp_path):
    """A real 2.5 MB file system (tmpfs), unmounted at the end; skipped where mounting is refused."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if shutil.which("mount") is None or os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2560k", "tmpfs", str(mount)], capture_output=True)
    if made.returncode != 0:
        pytest.skip(f"mount refused: {made.stderr.decode(errors='replace').strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def debris(folder: Path) -> list[str]:
    return [p.name for p in folder.rglob("*") if ".tmp" in p.name]


def test_lab_train_on_a_disk_that_fills_up_says_so_in_one_line_and_keeps_its_first_epoch(small_disk, shared_datasets):
    runs = small_disk / "runs"
    cmd = [sys.executable, "-m", "lab", "train", "--dataset", "mnist", "--preset", "mnist_cnn", "--epochs", "2",
           "--train-limit", "600", "--seed", "5", "--threads", "1", "--data-dir", str(shared_datasets),
           "--runs-dir", str(runs)]
    out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert out.returncode == 2, out.stderr
    assert "Traceback" not in out.stderr and "basic_ios" not in out.stderr and "Errno" not in out.stderr
    errors = [ln for ln in out.stderr.splitlines() if ln.startswith("error")]
    assert len(errors) == 1, out.stderr
    assert errors[0].startswith("error: the disk is full: cannot write last.pt") and f"free in {runs}" in errors[0]
    assert debris(small_disk) == []  # no half-written last.pt.tmp or summary.json.tmp keeps the disk full
    (run,) = [p for p in runs.iterdir() if p.is_dir() and not p.name.startswith(".")]
    epochs = [json.loads(line) for line in (run / "metrics.jsonl").read_text().splitlines()
              if '"event": "epoch"' in line]
    assert [e["epoch"] for e in epochs] == [1]  # the finished epoch is kept...
    for which in ("last", "best"):  # ...with both of its checkpoints, loadable
        ckpt = load_checkpoint(run / f"{which}.pt")
        assert ckpt.extra["epoch"] == 1
    summary = json.loads((run / "summary.json").read_text())
    assert summary["status"] == "failed" and summary["error_key"] == "files.no_space"
    for lang in ("en", "ru"):  # what the Training page and the Journal show, in both languages
        text = translate(summary["error_key"], lang, **summary["error_params"])
        assert "last.pt" in text and str(run) in text and "KB" in text


def test_a_write_refused_for_lack_of_space_leaves_no_temporary_file_and_reads_as_one_line(tmp_path):
    def full_disk(f):
        f.write(b"x" * 1000)
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    (tmp_path / "last.pt").write_bytes(b"the previous epoch")
    with pytest.raises(LabError) as caught:
        atomic_write(tmp_path / "last.pt", full_disk)
    assert caught.value.key == "files.no_space" and str(caught.value).startswith("the disk is full: cannot write last.pt")
    assert isinstance(caught.value, OSError) and caught.value.errno == errno.ENOSPC  # `except OSError` still copes
    assert (tmp_path / "last.pt").read_bytes() == b"the previous epoch"  # the old file stays
    assert debris(tmp_path) == []


def test_torchs_own_write_errors_on_a_nearly_full_disk_read_as_a_full_disk(tmp_path, monkeypatch):
    """torch.save given a path says "basic_ios::clear: iostream error"; given a file object,
    "unexpected pos" with the OSError as context. Both are the disk when little is free."""
    import lab.files as files

    class Usage:
        free = 100 * 1024

    monkeypatch.setattr(files.shutil, "disk_usage", lambda folder: Usage)
    cpp = RuntimeError("[enforce fail at inline_container.cc:672] . basic_ios::clear: iostream error")
    assert no_space(cpp, tmp_path / "best.pt").key == "files.no_space"
    assert "100 KB free" in str(no_space(cpp, tmp_path / "best.pt"))
    assert no_space(RuntimeError("shape mismatch"), tmp_path / "best.pt") is None  # a bug stays a bug
    Usage.free = 500 * 1024**3
    assert no_space(cpp, tmp_path / "best.pt") is None  # plenty free: not the disk's fault
    assert no_space(OSError(errno.EACCES, "Permission denied"), tmp_path / "x") is None
