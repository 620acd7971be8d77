"""``python -m lab audit``: one JSON object with the documented keys; bad input is one
line on stderr and exit status 2."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from PIL import Image

from lab.cli import main

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KEYS = {"dataset", "classes", "splits", "counts", "shape", "mean", "std", "duplicates", "outliers"}


def test_json_of_a_folder_has_the_documented_keys(tmp_path, mnist, capsys):
    for label in (0, 1):
        (tmp_path / f"digit{label}").mkdir()
        for i in range(5):
            idx = int((mnist.train_y == label).nonzero()[i])
            Image.fromarray(mnist.train_x[idx, 0].numpy()).save(tmp_path / f"digit{label}" / f"{i}.png")
    (tmp_path / "digit1" / "4.png").write_bytes((tmp_path / "digit1" / "3.png").read_bytes())  # an exact copy

    assert main(["audit", str(tmp_path), "--json", "--size", "28", "--color", "grayscale",
                 "--val-fraction", "0.2"]) == 0
    obj = json.loads(capsys.readouterr().out)
    assert KEYS <= set(obj)
    assert obj["classes"] == ["digit0", "digit1"]
    assert obj["splits"] == {"train": 8, "val": 2, "test": 0}
    assert obj["counts"]["train"] == [4, 4] and obj["counts"]["val"] == [1, 1]
    assert obj["shape"] == [1, 28, 28]
    assert obj["duplicates"]["exact"]["train"]["images"] == 1
    assert obj["folder"]["original_modes"] == {"L": 10}


def test_offline_without_data_audits_samples_and_says_so(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("LAB_OFFLINE", "1")
    assert main(["audit", "mnist", "--data-dir", str(tmp_path), "--json"]) == 0
    out = capsys.readouterr()
    assert json.loads(out.out)["source"] == "samples"
    assert "bundled samples" in out.err


def test_offline_without_data_and_no_samples_exits_2(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("LAB_OFFLINE", "1")
    assert main(["audit", "mnist", "--data-dir", str(tmp_path), "--no-samples"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "downloads are off" in err


def test_unknown_dataset_exits_2_with_one_line_from_the_real_command():
    proc = subprocess.run([sys.executable, "-m", "lab", "audit", "imagenet"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and "unknown dataset" in proc.stderr


def test_missing_folder_exits_2_and_says_so(capsys):
    assert main(["audit", "/no/such/folder"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "folder not found: /no/such/folder" in err


def test_unreadable_archive_exits_2(tmp_path, capsys):
    bad = tmp_path / "photos.zip"
    bad.write_bytes(b"this is not a zip")
    assert main(["audit", str(bad), "--data-dir", str(tmp_path)]) == 2
    assert "zip" in capsys.readouterr().err


def test_val_fraction_out_of_range_exits_2(capsys):
    assert main(["audit", "mnist", "--val-fraction", "0.9"]) == 2
    assert "--val-fraction" in capsys.readouterr().err


def test_zip_is_audited_without_writing_into_the_data_folder(tmp_path, mnist, capsys):
    import zipfile

    archive = tmp_path / "digits.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for label in (3, 8):
            for i in range(3):
                idx = int((mnist.train_y == label).nonzero()[i])
                png = tmp_path / f"{label}_{i}.png"
                Image.fromarray(mnist.train_x[idx, 0].numpy()).save(png)
                zf.write(png, f"digits/{label}/{i}.png")
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    assert main(["audit", str(archive), "--data-dir", str(data_dir), "--json", "--color", "grayscale"]) == 0
    obj = json.loads(capsys.readouterr().out)
    assert obj["classes"] == ["3", "8"] and sum(obj["counts"]["train"]) + sum(obj["counts"]["val"]) == 6
    assert list(data_dir.iterdir()) == []
