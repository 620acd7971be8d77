"""lab.files.atomic_write: the one write-then-rename every file the lab keeps goes through."""

import os
import stat
import sys

import pytest
import torch

from lab.files import atomic_write


def leftovers(folder):
    return sorted(p.name for p in folder.iterdir() if ".tmp" in p.name)


def test_bytes_text_and_writer_land_whole(tmp_path):
    atomic_write(tmp_path / "a.bin", b"\x00\x01")
    atomic_write(tmp_path / "b.json", '{"name": "Ёж"}')
    atomic_write(tmp_path / "c.pt", lambda f: torch.save({"w": torch.arange(3)}, f))
    assert (tmp_path / "a.bin").read_bytes() == b"\x00\x01"
    assert (tmp_path / "b.json").read_text(encoding="utf-8") == '{"name": "Ёж"}'
    assert torch.load(tmp_path / "c.pt", weights_only=True)["w"].tolist() == [0, 1, 2]
    assert leftovers(tmp_path) == []


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temp_file(tmp_path):
    path = tmp_path / "meta.json"
    atomic_write(path, "old")

    def half_then_crash(f):
        f.write(b"new, but only ha")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        atomic_write(path, half_then_crash)
    assert path.read_text() == "old"
    assert leftovers(tmp_path) == []


def test_a_failed_rename_leaves_no_temp_file(tmp_path):
    target = tmp_path / "taken"
    target.mkdir()
    (target / "inside").write_text("x")  # replacing a non-empty folder with a file fails
    with pytest.raises(OSError):
        atomic_write(target, b"data")
    assert (target / "inside").read_text() == "x"
    assert leftovers(tmp_path) == []


def test_create_only_keeps_the_first_file(tmp_path):
    path = tmp_path / "secret"
    assert atomic_write(path, b"first", create_only=True) is True
    assert atomic_write(path, b"second", create_only=True) is False
    assert path.read_bytes() == b"first"
    assert leftovers(tmp_path) == []


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permission bits")
def test_mode_is_set_at_creation(tmp_path):
    atomic_write(tmp_path / "accounts.json", "{}", mode=0o600, fsync=True)
    assert stat.S_IMODE(os.stat(tmp_path / "accounts.json").st_mode) == 0o600
