"""The data audit on real MNIST: counts, exact normalisation constants, and duplicates
and outliers found where we plant them."""

from __future__ import annotations

import json

import pytest
import torch
from PIL import Image

from lab.data.audit import audit, normalize_line, samples_per_class
from lab.data import ImageData, load, make_splits


@pytest.fixture(scope="module")
def mnist_audit(mnist):
    return audit(mnist, val_fraction=0.2, seed=0)


def test_counts_per_split_and_class_match_mnist(mnist, mnist_audit):
    a = mnist_audit
    assert a.classes == [str(d) for d in range(10)]
    assert a.splits == {"train": 48000, "val": 12000, "test": 10000}
    assert a.splits == make_splits(mnist, 0.2, 0).sizes()
    # MNIST's published per-class counts
    assert [t + v for t, v in zip(a.counts["train"], a.counts["val"])] == [
        5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
    assert a.counts["test"] == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
    # stratified: every class keeps 80 % in train (rounding per class)
    assert all(abs(v - 0.2 * (t + v)) <= 0.5 for t, v in zip(a.counts["train"], a.counts["val"]))
    assert a.imbalance == pytest.approx(max(a.counts["train"]) / min(a.counts["train"]), abs=1e-3)
    assert 1.2 < a.imbalance < 1.3  # 5394 ones vs 4337 fives


def test_exact_mean_std_and_normalize_line(mnist_audit, fashion):
    assert mnist_audit.shape == [1, 28, 28] and mnist_audit.dtype == "uint8"
    assert mnist_audit.mean == [0.1307] and mnist_audit.std == [0.3081]
    assert mnist_audit.normalize == "transforms.Normalize(mean=(0.1307,), std=(0.3081,))"
    f = audit(fashion)
    assert f.mean == [0.2860] and f.std == [0.3530]
    assert normalize_line([0.4914, 0.4822, 0.4465], [0.247, 0.2435, 0.2616]) == (
        "transforms.Normalize(mean=(0.4914, 0.4822, 0.4465), std=(0.2470, 0.2435, 0.2616))")


def test_real_mnist_has_no_exact_duplicates_nor_blank_images(mnist_audit):
    exact = mnist_audit.duplicates["exact"]
    assert [exact[k]["images"] for k in ("train", "test", "train_test")] == [0, 0, 0]
    assert mnist_audit.outliers["train"]["blank"] == 0


def test_json_has_the_documented_keys(mnist_audit):
    obj = json.loads(mnist_audit.to_json())
    for key in ("dataset", "classes", "splits", "counts", "shape", "mean", "std", "duplicates", "outliers"):
        assert key in obj
    assert obj["dataset"] == "mnist"
    assert set(obj["duplicates"]) == {"exact", "near"}
    assert {"train", "test", "train_test", "train_val"} <= set(obj["duplicates"]["exact"])
    assert sum(obj["counts"]["train"]) == obj["splits"]["train"]


def _subset(mnist, n_train=6000, n_test=1000) -> ImageData:
    return ImageData(name="planted", classes=mnist.classes,
                     train_x=mnist.train_x[:n_train].clone(), train_y=mnist.train_y[:n_train].clone(),
                     test_x=mnist.test_x[:n_test].clone(), test_y=mnist.test_y[:n_test].clone())


@pytest.fixture(scope="module")
def planted(mnist):
    base = audit(_subset(mnist))
    data = _subset(mnist)
    # exact copies within train: images 0, 1, 2 pasted over 100, 101, 102
    data.train_x[100:103] = data.train_x[0:3]
    data.train_y[100:103] = data.train_y[0:3]
    # leakage: train images 10..14 pasted into test 0..4
    data.test_x[0:5] = data.train_x[10:15]
    data.test_y[0:5] = data.train_y[10:15]
    # a slightly changed copy: train 40 with faint +-3 grey-level noise over train 200,
    # train 30 one pixel-stroke brighter over test 20
    gen = torch.Generator().manual_seed(1)
    noise = torch.randint(-3, 4, data.train_x[40].shape, generator=gen)
    data.train_x[200] = (data.train_x[40].int() + noise).clamp(0, 255).to(torch.uint8)
    changed = data.train_x[30].clone()
    changed[0, 5, 5:10] = 60
    data.test_x[20] = changed
    # a blank test image and an all-white training image
    data.test_x[50] = 0
    data.train_x[300] = 255
    return base, audit(data, val_fraction=0.2, seed=0)


def test_planted_exact_duplicates_are_found_within_and_across_splits(planted):
    base, a = planted
    exact, before = a.duplicates["exact"], base.duplicates["exact"]
    assert exact["train"]["images"] - before["train"]["images"] == 3
    assert exact["train"]["groups"] - before["train"]["groups"] == 3
    assert {(0, 100), (1, 101), (2, 102)} <= set(a.pairs["exact"]["train"])
    assert exact["train_test"]["images"] - before["train_test"]["images"] == 5
    assert {(10 + k, k) for k in range(5)} <= set(a.pairs["exact"]["train_test"])
    assert exact["test"]["images"] == before["test"]["images"]


def test_planted_slightly_changed_copies_are_near_duplicates_not_exact(planted):
    _, a = planted
    assert (40, 200) in a.pairs["near"]["train"]
    assert (30, 20) in a.pairs["near"]["train_test"]
    assert (40, 200) not in a.pairs["exact"]["train"]
    # the exact copies are not counted again as near ones
    assert not {(0, 100), (1, 101), (2, 102)} & set(a.pairs["near"]["train"])


def test_planted_blank_and_white_images_are_outliers(planted):
    _, a = planted
    assert 50 in a.outliers["test"]["blank_examples"]
    assert 300 in a.outliers["train"]["blank_examples"]
    assert 300 in [e["index"] for e in a.outliers["train"]["extreme_examples"]]
    assert a.outliers["train"]["extreme_examples"][0]["index"] == 300  # the most extreme first


@pytest.fixture(scope="module")
def capped(mnist):
    """The planted set audited with a train cap of 1,000 (of its 4,800 training images)."""
    data = _subset(mnist)
    data.train_x[100:103] = data.train_x[0:3]
    data.test_x[0:5] = data.train_x[10:15]
    return data, audit(data, val_fraction=0.2, seed=0, train_limit=1000)


def test_with_a_train_cap_the_audit_is_over_the_images_the_experiment_uses(capped):
    from lab.data.audit import split_indices
    from lab.data import channel_stats

    data, a = capped
    train_idx, val_idx = split_indices(data, 0.2, 0, 1000)
    used = torch.cat([train_idx, val_idx]).sort().values
    assert a.splits["train"] == 1000 and a.splits["val"] == 1200
    assert a.pool == {"used": 2200, "left_out": 3800, "train_limit": 1000}
    # mean/std over those 2,200 images, not the 6,000 of the file
    mean, std = channel_stats(data.train_x[used])
    assert a.mean == [round(mean[0], 4)] and a.std == [round(std[0], 4)]
    # the same duplicates as an audit of a dataset holding only those images, in data.train_x positions
    alone = audit(ImageData(name="used", classes=data.classes, train_x=data.train_x[used], train_y=data.train_y[used],
                            test_x=data.test_x, test_y=data.test_y), val_fraction=0.0)
    for kind in ("exact", "near"):
        for key in ("train", "test", "train_test"):
            assert a.duplicates[kind][key]["images"] == alone.duplicates[kind][key]["images"]
        expected = {(int(used[i]), int(used[j])) for i, j in alone.pairs[kind]["train"]}
        assert set(a.pairs[kind]["train"]) == expected
        assert a.pairs[kind]["test"] == alone.pairs[kind]["test"]  # test positions are not remapped
    in_used = set(used.tolist())
    for i, j in a.pairs["exact"]["train_test"]:
        assert i in in_used and torch.equal(data.train_x[i], data.test_x[j])
    leaks = {(10 + k, k) for k in range(5) if 10 + k in in_used}
    assert leaks <= set(a.pairs["exact"]["train_test"]) and all(i in in_used for i in a.outliers["train"]["blank_examples"])


def test_without_a_cap_the_audit_says_it_used_the_whole_pool(mnist_audit):
    assert mnist_audit.pool == {"used": 60000, "left_out": 0, "train_limit": 0}


def test_folder_audit_lists_original_sizes_modes_and_skipped_files(mnist, tmp_path):
    for label in ("3", "7"):
        folder = tmp_path / label
        folder.mkdir()
        idx = torch.nonzero(mnist.train_y == int(label)).flatten()[:4].tolist()
        for k, i in enumerate(idx):
            im = Image.fromarray(mnist.train_x[i, 0].numpy())
            if k == 0:
                im = im.resize((56, 40)).convert("RGB")
            im.save(folder / f"{i}.png")
    (tmp_path / "7" / "broken.png").write_bytes(b"not a png")
    data = load(str(tmp_path), size=32, color="grayscale")
    a = audit(data, val_fraction=0.25, seed=0)
    assert a.shape == [1, 32, 32] and a.splits == {"train": 6, "val": 2, "test": 0}
    sizes = {(s["width"], s["height"]): s["count"] for s in a.folder["original_sizes"]}
    assert sizes == {(28, 28): 6, (56, 40): 2}
    assert a.folder["original_modes"] == {"L": 6, "RGB": 2}
    assert [s["file"] for s in a.folder["skipped"]] == ["7/broken.png"]


def test_samples_per_class_are_seeded_and_labelled(mnist):
    picks = samples_per_class(mnist.train_y, 10, per_class=4, seed=3)
    assert len(picks) == 10 and all(len(p) == 4 for p in picks)
    assert all(int(mnist.train_y[i]) == c for c, p in enumerate(picks) for i in p)
    assert picks == samples_per_class(mnist.train_y, 10, per_class=4, seed=3)
    assert picks != samples_per_class(mnist.train_y, 10, per_class=4, seed=4)


def test_thumbnail_prefilters_never_drop_a_near_pair(mnist, monkeypatch):
    """The pre-filters are a proven lower bound: the same pairs come out without them."""
    import lab.data.audit as lab_audit

    data = _subset(mnist, 3000, 500)
    data.test_x[7] = (data.train_x[9].int() + 9).clamp(0, 255).to(torch.uint8)  # brighter copy
    data.test_x[8] = data.train_x[11]
    data.test_x[8, 0, 10:12, 10:14] = 255 - data.test_x[8, 0, 10:12, 10:14]  # 8 pixels inverted
    with_filters = audit(data, near_rms=0.06).pairs["near"]
    original = lab_audit._near_duplicates
    monkeypatch.setattr(lab_audit, "_near_duplicates",
                        lambda images, filters, *rest: original(images, [], *rest))
    without = audit(data, near_rms=0.06).pairs["near"]
    assert with_filters == without
    assert (9, 7) in with_filters["train_test"]
