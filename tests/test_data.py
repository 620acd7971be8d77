"""Datasets: real counts and statistics, stratified splits, folders, zips, offline fallback."""

from __future__ import annotations

import io
import os
import pickle
import tarfile
import zipfile
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from lab import data as lab_data
from lab.data import channel_stats, make_splits, stratified_split
from lab.data.archive import safe_extract_zip
from lab.data.folder import load_image_folder
from lab.errors import LabError


# --- the real built-in datasets ---------------------------------------------------

def test_mnist_loads_as_uint8_nchw_with_its_real_counts(mnist):
    assert mnist.train_x.shape == (60000, 1, 28, 28) and mnist.train_x.dtype == torch.uint8
    assert mnist.test_x.shape == (10000, 1, 28, 28)
    assert mnist.classes == [str(d) for d in range(10)]
    assert torch.bincount(mnist.train_y).tolist() == [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
    assert mnist.source == "full"


def test_mean_and_std_are_exact_for_mnist_and_fashion_mnist(mnist, fashion):
    mean, std = channel_stats(mnist.train_x)
    assert (round(mean[0], 4), round(std[0], 4)) == (0.1307, 0.3081)
    mean, std = channel_stats(fashion.train_x)
    assert (round(mean[0], 4), round(std[0], 4)) == (0.2860, 0.3530)


def test_cifar10_loads_from_the_jpeg_tree_in_torchvision_class_order(shared_datasets):
    if not (shared_datasets / "CIFAR10-jpg").is_dir():
        pytest.skip("the CIFAR-10 JPEG tree exists only in ../shared/datasets")
    # Only the test split's folder: a trimmed copy keeps this test at a second
    cifar = load_image_folder(shared_datasets / "CIFAR10-jpg" / "test", size=32)
    assert cifar.classes == ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]
    assert cifar.train_x.shape == (10000, 3, 32, 32)
    assert torch.bincount(cifar.train_y).tolist() == [1000] * 10
    assert cifar.skipped == []


# --- splits ----------------------------------------------------------------------

def test_validation_split_is_stratified_seeded_and_disjoint(mnist):
    train_idx, val_idx = stratified_split(mnist.train_y, 0.2, seed=0)
    assert len(train_idx) + len(val_idx) == 60000
    assert len(set(train_idx.tolist()) & set(val_idx.tolist())) == 0
    overall = torch.bincount(mnist.train_y).double() / 60000
    in_val = torch.bincount(mnist.train_y[val_idx]).double() / len(val_idx)
    assert (overall - in_val).abs().max() < 0.001  # every class keeps its share
    again, _ = stratified_split(mnist.train_y, 0.2, seed=0)
    other, _ = stratified_split(mnist.train_y, 0.2, seed=1)
    assert torch.equal(train_idx, again) and not torch.equal(train_idx, other)


def test_splits_keep_the_test_set_apart_and_cap_the_training_part(mnist):
    s = make_splits(mnist, val_fraction=0.2, seed=0, train_limit=5000)
    assert s.sizes() == {"train": 5000, "val": 12000, "test": 10000}
    assert torch.bincount(s.train_y).min() >= 400  # the cap is stratified too


# --- image folders -----------------------------------------------------------------

def _write_png(path: Path, value: int, size=(40, 30), mode="RGB") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new(mode, size, value if mode == "L" else (value, value, value)).save(path)


def test_folder_with_a_corrupt_file_loads_the_rest_and_lists_the_bad_one(tmp_path):
    for i in range(3):
        _write_png(tmp_path / "cats" / f"{i}.png", 200)
        _write_png(tmp_path / "dogs" / f"{i}.png", 50, size=(64, 64), mode="L")
    (tmp_path / "dogs" / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    (tmp_path / "dogs" / "notes.txt").write_text("hello")
    data = load_image_folder(tmp_path, size=16, color="rgb")
    assert data.classes == ["cats", "dogs"]
    assert data.train_x.shape == (6, 3, 16, 16)
    assert sorted(p for p, _ in data.skipped) == ["dogs/broken.jpg", "dogs/notes.txt"]
    assert data.original_sizes[(40, 30)] == 3 and data.original_sizes[(64, 64)] == 3
    assert data.original_modes == {"RGB": 3, "L": 3}
    assert int(data.train_x[data.train_y == 0].float().mean()) == 200


def test_folder_with_train_and_test_keeps_them_apart_in_grayscale(tmp_path):
    for split, n in (("train", 4), ("test", 2)):
        for cls in ("a", "b"):
            for i in range(n):
                _write_png(tmp_path / split / cls / f"{i}.png", 120)
    data = load_image_folder(tmp_path, size=8, color="grayscale")
    assert data.train_x.shape == (8, 1, 8, 8) and data.test_x.shape == (4, 1, 8, 8)


@pytest.mark.parametrize("layout, message", [
    ({}, "no class subfolders"),
    ({"only": 1}, "at least 2"),
])
def test_folders_without_classes_get_a_message(tmp_path, layout, message):
    for cls in layout:
        _write_png(tmp_path / cls / "0.png", 1)
    (tmp_path / "x.txt").write_text("")
    with pytest.raises(LabError, match=message):
        load_image_folder(tmp_path)


def test_unknown_dataset_names_say_what_to_use():
    with pytest.raises(LabError, match="mnist, fashion-mnist, cifar10"):
        lab_data.load("imagenet")


# --- zips ------------------------------------------------------------------------------

def _zip(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, payload in entries.items():
            zf.writestr(name, payload)
    return buf.getvalue()


def _png_bytes(value: int) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (10, 10), (value, 0, 0)).save(buf, "PNG")
    return buf.getvalue()


def test_zip_with_a_wrapping_folder_extracts_and_loads(tmp_path):
    archive = _zip({f"pets/{c}/{i}.png": _png_bytes(10 * i) for c in ("cat", "dog") for i in range(3)})
    root = lab_data.extract_zip_cached(archive, tmp_path)
    data = lab_data.load(str(root), size=8)
    assert data.classes == ["cat", "dog"] and len(data.train_y) == 6


@pytest.mark.parametrize("name", ["../evil.png", "/etc/evil.png", "ok/../../evil.png", "C:/evil.png"])
def test_zip_entries_escaping_the_folder_are_refused_and_nothing_is_written(tmp_path, name):
    archive = _zip({"cat/0.png": _png_bytes(1), name: b"x"})
    with pytest.raises(LabError, match="outside the folder"):
        safe_extract_zip(archive, tmp_path / "out")
    assert not (tmp_path / "evil.png").exists()
    assert not (tmp_path / "out").exists()


def test_zip_expanding_beyond_the_limit_is_refused(tmp_path):
    archive = _zip({"cat/big.bin": b"\0" * 200_000, "dog/big.bin": b"\0" * 200_000})
    assert len(archive) < 5_000  # tiny on disk, large when expanded
    with pytest.raises(LabError, match="expands"):
        safe_extract_zip(archive, tmp_path / "out", max_bytes=300_000)


def test_a_file_that_is_not_a_zip_gets_a_message(tmp_path):
    with pytest.raises(LabError, match="not a readable zip"):
        safe_extract_zip(b"PK not really", tmp_path)


# --- offline ------------------------------------------------------------------------------

def test_offline_without_data_falls_back_to_the_bundled_samples_and_says_why(tmp_path):
    data = lab_data.load("fashion-mnist", tmp_path / "empty", download=False)
    assert data.source == "samples"
    assert data.train_x.shape[1:] == (1, 28, 28) and len(data.classes) == 10
    assert torch.bincount(data.train_y).tolist() == [150] * 10
    assert "not in" in data.notes[0] and "downloads are off" in data.notes[0]
    with pytest.raises(lab_data.DataUnavailable):
        lab_data.load("fashion-mnist", tmp_path / "empty", download=False, use_samples=False)


def test_bundled_samples_are_real_images_from_the_datasets(mnist):
    samples = lab_data.load_samples("mnist")
    # every sample image is one of MNIST's own test or training images
    train_bytes = {bytes(x.numpy().tobytes()) for x in mnist.train_x}
    assert all(bytes(x.numpy().tobytes()) in train_bytes for x in samples.train_x[:200])


# --- CIFAR-10 in torchvision's own format (the real download path) ---------------------------

def _tiny_cifar_archive(path: Path, per_batch: int = 4) -> None:
    rng = np.random.default_rng(0)

    def batch(n, offset):
        return {"data": rng.integers(0, 256, (n, 3072), dtype=np.uint8),
                "labels": [(offset + i) % 10 for i in range(n)]}

    members = {f"data_batch_{i}": batch(per_batch, i) for i in range(1, 6)}
    members["test_batch"] = batch(per_batch, 0)
    members["batches.meta"] = {"label_names": ["airplane", "automobile", "bird", "cat", "deer",
                                                "dog", "frog", "horse", "ship", "truck"]}
    with tarfile.open(path, "w:gz") as tar:
        for name, obj in members.items():
            payload = pickle.dumps(obj)
            info = tarfile.TarInfo(f"cifar-10-batches-py/{name}")
            info.size = len(payload)
            tar.addfile(info, io.BytesIO(payload))


def test_cifar10_download_goes_through_torchvision_and_loads_its_format(tmp_path, monkeypatch):
    import torchvision.datasets.cifar as tv_cifar
    import torchvision.datasets.utils as tv_utils

    archive = tmp_path / "fixture.tar.gz"
    _tiny_cifar_archive(archive)
    fetched = []

    def fake_download_url(url, root, filename=None, md5=None, **_):
        fetched.append(url)
        Path(root).mkdir(parents=True, exist_ok=True)
        Path(root, filename).write_bytes(archive.read_bytes())

    # No internet here: stand in for the HTTP fetch and the md5 check of the real archive
    monkeypatch.setattr(tv_utils, "download_url", fake_download_url)
    monkeypatch.setattr(tv_cifar, "check_integrity", lambda fpath, md5=None: os.path.exists(fpath))
    data = lab_data.load("cifar10", tmp_path / "data", download=True, use_samples=False)
    assert fetched == [tv_cifar.CIFAR10.url]
    assert data.source == "full" and data.train_x.shape == (20, 3, 32, 32) and data.test_x.shape == (4, 3, 32, 32)
    assert data.classes[0] == "airplane"
    # the pixel layout is CIFAR's: 1024 red, then green, then blue values per image
    raw = pickle.load(tarfile.open(archive).extractfile("cifar-10-batches-py/data_batch_1"), encoding="latin1")
    assert torch.equal(data.train_x[0], torch.from_numpy(raw["data"][0].reshape(3, 32, 32)))
    # a second load finds the files on disk and downloads nothing
    lab_data.load("cifar10", tmp_path / "data", download=True, use_samples=False)
    assert len(fetched) == 1


def test_a_failing_download_falls_back_to_samples_with_the_reason(tmp_path, monkeypatch):
    import torchvision.datasets.utils as tv_utils

    def offline(*args, **kwargs):
        raise OSError("<urlopen error [Errno -3] Temporary failure in name resolution>")

    monkeypatch.setattr(tv_utils, "download_url", offline)
    data = lab_data.load("cifar10", tmp_path, download=True)
    assert data.source == "samples" and data.shape == (3, 32, 32)
    assert "no internet connection" in data.notes[0]
