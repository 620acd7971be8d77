"""The data audit the course asks for before any training: balance, image properties,
normalisation constants, duplicates (and train/test leakage) and outliers.

``audit(data, val_fraction, seed)`` looks at an ``ImageData`` and its train/validation
split (the same stratified split ``lab.data.make_splits`` makes; test stays apart) and
returns an ``Audit`` with ``to_json()``. No Streamlit here: the Dataset page and
``python -m lab audit`` both call this.

Speed: one chunked, vectorised pass over the uint8 images, a hash per image, and
near-duplicate checks in whole-array steps, so all of MNIST (70,000 images) audits in
about 2 s on an idle two-core machine (``python -m bench.bench_audit``; budget 10 s).

Indices in the result are positions in ``data.train_x`` (the whole training pool,
before the validation split) and in ``data.test_x``. With a ``train_limit`` the mean/std,
duplicates and outliers are over the images the experiment uses (the capped training
part and the validation part), as ``Audit.pool`` says.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Callable

import torch
import torch.nn.functional as F

from lab.data import ImageData, channel_stats
from lab.data.split import stratified_split, stratified_subset

# Near-duplicates: candidates share an 8x8 average hash, and are kept when their
# root-mean-square pixel difference (pixels 0..1, full resolution) is at most this.
# 0.04 is about one pixel in 600 flipped from black to white, or faint noise / a
# re-encode of the same picture; two different handwritten digits are >= 0.1 apart.
NEAR_RMS = 0.04
HASH_SIDE = 8  # average-hash grid: 8x8 = 64 cells, 63 of them packed into an int64
BLANK_STD = 0.02  # an image whose pixel std (0..1) is below this is "near-blank"
EXTREME_Z = 5.0  # robust z-score of an image's mean intensity beyond which it is "extreme"
MAX_EXAMPLES = 24  # example pairs / indices kept per list in the result (counts are exact)
THUMB_SIDE = 16  # about this many pixels a side: the grayscale thumbnail that pre-filters candidates
SMALL_BUCKET = 32  # hash buckets up to this size are paired in whole-array steps
MAX_BUCKET = 2048  # a larger bucket (e.g. thousands of blank images) is checked on its first 2048
CHUNK = 8192  # images per step: bounds the float copy to ~100 MB for CIFAR-10


@dataclass
class Audit:
    dataset: str
    source: str  # "full", "samples" or "folder"
    classes: list[str]
    splits: dict[str, int]  # {"train": n, "val": n, "test": n}
    counts: dict[str, list[int]]  # per split, one count per class (in `classes` order)
    imbalance: float  # max / min class count in train (1.0 = balanced; inf if a class is empty)
    shape: list[int]  # [C, H, W]
    dtype: str
    mean: list[float]  # per channel, pixels scaled to 0..1, over the training pool
    std: list[float]
    normalize: str  # the torchvision line to copy
    duplicates: dict
    outliers: dict
    # training-pool images audited ("used": train + val) and those a train cap leaves out
    pool: dict = field(default_factory=lambda: {"used": 0, "left_out": 0, "train_limit": 0})
    folder: dict | None = None  # image folders: original sizes and modes, skipped files
    notes: list[str] = field(default_factory=list)
    # Every pair, for galleries and tests; the JSON keeps only the first few
    pairs: dict[str, dict[str, list[tuple[int, int]]]] = field(default_factory=dict, repr=False)

    def to_dict(self) -> dict:
        out = asdict(self)
        del out["pairs"]
        if out["imbalance"] == float("inf"):
            out["imbalance"] = None  # JSON has no infinity
        return out

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)


@dataclass
class SplitCounts:
    """The cheap part of the audit (no pass over the pixels): split sizes and class counts."""

    classes: list[str]
    splits: dict[str, int]
    counts: dict[str, list[int]]
    imbalance: float


def split_counts(data: ImageData, val_fraction: float = 0.2, seed: int = 0, train_limit: int = 0) -> SplitCounts:
    train_idx, val_idx = split_indices(data, val_fraction, seed, train_limit)
    return _split_counts(data, train_idx, val_idx)


def _split_counts(data: ImageData, train_idx, val_idx) -> SplitCounts:
    k = data.num_classes
    counts = {
        "train": _bincount(data.train_y[train_idx], k),
        "val": _bincount(data.train_y[val_idx], k),
        "test": _bincount(data.test_y, k),
    }
    train_counts = counts["train"]
    imbalance = max(train_counts) / min(train_counts) if min(train_counts) > 0 else float("inf")
    splits = {"train": len(train_idx), "val": len(val_idx), "test": len(data.test_y)}
    return SplitCounts(list(data.classes), splits, counts, round(imbalance, 3) if imbalance != float("inf") else imbalance)


def audit(data: ImageData, val_fraction: float = 0.2, seed: int = 0, train_limit: int = 0,
          near_rms: float = NEAR_RMS, progress: Callable[[float, str], None] | None = None) -> Audit:
    """Audit ``data`` with the train/validation split of (val_fraction, seed, train_limit).

    ``progress(fraction done, step)`` is told each step as it starts (step: "stats",
    "exact", "near", "outliers"); the fractions are the steps' shares of MNIST's time."""
    report = progress or (lambda fraction, step: None)
    train_idx, val_idx = split_indices(data, val_fraction, seed, train_limit)
    cheap = _split_counts(data, train_idx, val_idx)
    report(0.0, "stats")
    # With a cap the experiment uses only train + validation of the training pool: the
    # statistics and duplicates are over exactly those images (positions mapped back below)
    used = torch.cat([train_idx, val_idx]).sort().values if len(train_idx) + len(val_idx) < len(data.train_x) else None
    pool_x = data.train_x if used is None else data.train_x[used]
    mean, std = channel_stats(pool_x)

    n_train = len(pool_x)
    images = torch.cat([pool_x, data.test_x]) if len(data.test_x) else pool_x
    report(0.15, "exact")
    digests = exact_hashes(images)
    thumbs, img_mean, img_std = _per_image(images)
    report(0.5, "near")
    k1 = _block(images.shape[-1], THUMB_SIDE)
    k2 = _block(images.shape[-1] // k1, HASH_SIDE)
    small = F.avg_pool2d(_square(thumbs), k2).flatten(1)  # about 8x8, 0..1
    # the hash on exactly 8x8 cells (blocks may overlap; only the filters need them not to):
    # 64 cells split MNIST into finer buckets than 7x7 would (550,000 candidate pairs, not 900,000)
    hashes = average_hash(F.adaptive_avg_pool2d(_square(thumbs), HASH_SIDE).flatten(1))
    # each thumbnail's pixel count in the original image's, for the pre-filters' bound
    covered = [(images.shape[-1] // k1 // k2 * k1 * k2) ** 2, (images.shape[-1] // k1 * k1) ** 2]
    filters = [(small, covered[0]), (thumbs, covered[1])]

    exact, exact_pairs = _exact_duplicates(digests, n_train)
    near, near_pairs = _near_duplicates(images, filters, hashes, digests, n_train, near_rms)
    in_val = torch.zeros(len(data.train_x), dtype=torch.bool)
    in_val[val_idx] = True
    in_val = in_val if used is None else in_val[used]
    exact["train_val"] = _straddling(exact_pairs["train"], in_val)
    near["train_val"] = _straddling(near_pairs["train"], in_val)
    near["max_rms"] = near_rms
    report(0.95, "outliers")
    outliers = _outliers(img_mean, img_std, n_train)
    if used is not None:
        _to_pool_positions(used, (exact, exact_pairs), (near, near_pairs), outliers)

    return Audit(
        dataset=data.name, source=data.source, classes=list(data.classes),
        splits=cheap.splits, counts=cheap.counts, imbalance=cheap.imbalance,
        shape=list(data.shape), dtype=str(data.train_x.dtype).replace("torch.", ""),
        mean=[round(m, 4) for m in mean], std=[round(s, 4) for s in std],
        normalize=normalize_line(mean, std),
        duplicates={"exact": exact, "near": near},
        outliers=outliers, pool={"used": n_train, "left_out": len(data.train_x) - n_train,
                                  "train_limit": int(train_limit) if used is not None else 0},
        folder=_folder_info(data) if data.source == "folder" else None,
        notes=list(data.notes),
        pairs={"exact": exact_pairs, "near": near_pairs},
    )


def _to_pool_positions(used: torch.Tensor, *found) -> None:
    """Positions in the audited subset -> positions in data.train_x (test ones stay)."""
    *dups, outliers = found
    pos = used.tolist()
    for res, pairs in dups:
        pairs["train"] = [(pos[i], pos[j]) for i, j in pairs["train"]]
        pairs["train_test"] = [(pos[i], j) for i, j in pairs["train_test"]]  # (train, test): test stays
        for key in ("train", "train_test"):
            res[key]["examples"] = [list(p) for p in pairs[key][:MAX_EXAMPLES]]
    train = outliers["train"]
    train["blank_examples"] = [pos[i] for i in train["blank_examples"]]
    for e in train["extreme_examples"]:
        e["index"] = pos[e["index"]]


def split_indices(data: ImageData, val_fraction: float, seed: int, train_limit: int = 0):
    """(train, val) indices into data.train_x: exactly what ``make_splits`` selects."""
    train_idx, val_idx = stratified_split(data.train_y, val_fraction, seed)
    if train_limit and train_limit < len(train_idx):
        train_idx = train_idx[stratified_subset(data.train_y[train_idx], train_limit, seed)]
    return train_idx, val_idx


def normalize_line(mean: list[float], std: list[float]) -> str:
    m = ", ".join(f"{v:.4f}" for v in mean)
    s = ", ".join(f"{v:.4f}" for v in std)
    comma = "," if len(mean) == 1 else ""  # (0.1307,) is a tuple; (0.1307) is not
    return f"transforms.Normalize(mean=({m}{comma}), std=({s}{comma}))"


def samples_per_class(labels: torch.Tensor, num_classes: int, per_class: int, seed: int) -> list[list[int]]:
    """For each class, up to ``per_class`` random indices of its images (seeded)."""
    gen = torch.Generator().manual_seed(seed)
    out = []
    for c in range(num_classes):
        idx = torch.nonzero(labels == c).flatten()
        out.append(idx[torch.randperm(len(idx), generator=gen)[:per_class]].tolist())
    return out


# --- hashes -----------------------------------------------------------------------------

def exact_hashes(images: torch.Tensor) -> list[bytes]:
    """A 128-bit BLAKE2b digest of each image's bytes: equal digests = identical pixels
    (a chance collision needs ~2^64 images). ~0.1 s for MNIST's 70,000 images."""
    flat = images.reshape(len(images), -1).contiguous().numpy()
    buf, n = memoryview(flat.tobytes()), flat.shape[1]
    return [hashlib.blake2b(buf[i * n : (i + 1) * n], digest_size=16).digest() for i in range(len(flat))]


def _per_image(images: torch.Tensor):
    """Per image: 16x16 grayscale thumbnail (0..1), mean and std of all its pixels (0..1).

    One float32 copy per chunk, kept in 0..255 (scaled once at the end) and reused for
    the sums and the thumbnail: this pass is most of the audit's time."""
    thumbs, means, stds = [], [], []
    for start in range(0, len(images), CHUNK):
        x = images[start : start + CHUNK].to(torch.float32)
        flat = x.flatten(1)
        mean = flat.mean(1)
        var = (flat * flat).mean(1) - mean * mean  # float32 is ample: outlier thresholds, not stats
        means.append(mean / 255.0)
        stds.append(var.clamp_min(0).sqrt() / 255.0)
        gray = x if x.shape[1] == 1 else x.mean(1, keepdim=True)  # channels averaged: a colour shift keeps the hash
        # non-overlapping k x k blocks (28 -> 14, 32 -> 16, 64 -> 16): the pre-filter's
        # bound below holds exactly only when every pixel counts once
        thumbs.append(F.avg_pool2d(gray, _block(x.shape[-1], THUMB_SIDE)).flatten(1) / 255.0)
    return torch.cat(thumbs), torch.cat(means), torch.cat(stds)


def average_hash(thumbs: torch.Tensor) -> torch.Tensor:
    """int64 average hash per image: bit i says whether thumbnail cell i is above the
    thumbnail's mean. Survives small noise, brightness and re-encoding changes."""
    bits = (thumbs > thumbs.mean(1, keepdim=True))[:, :63].to(torch.int64)
    weights = torch.ones(bits.shape[1], dtype=torch.int64) << torch.arange(bits.shape[1])
    return (bits * weights).sum(1)


def _block(side: int, target: int) -> int:
    """Block size that takes ``side`` pixels to about ``target`` cells (28 -> 2 for 16)."""
    return max(1, round(side / target))


def _square(flat: torch.Tensor) -> torch.Tensor:
    side = int(round(flat.shape[1] ** 0.5))
    return flat.view(len(flat), 1, side, side)


# --- duplicates --------------------------------------------------------------------------

def _exact_duplicates(digests: list[bytes], n_train: int):
    groups: dict[bytes, list[int]] = {}
    for i, d in enumerate(digests):
        groups.setdefault(d, []).append(i)
    res = {key: {"groups": 0, "images": 0, "examples": []} for key in ("train", "test", "train_test")}
    pairs: dict[str, list[tuple[int, int]]] = {"train": [], "test": [], "train_test": []}
    for members in groups.values():
        if len(members) < 2:
            continue
        tr = [i for i in members if i < n_train]
        te = [i - n_train for i in members if i >= n_train]
        for key, part in (("train", tr), ("test", te)):
            if len(part) > 1:
                res[key]["groups"] += 1
                res[key]["images"] += len(part) - 1  # copies beyond the first
                pairs[key] += [(part[0], j) for j in part[1:]]
        if tr and te:
            res["train_test"]["groups"] += 1
            res["train_test"]["images"] += len(te)  # test images whose pixels are in train
            pairs["train_test"] += [(tr[0], j) for j in te]
    for key in res:
        res[key]["examples"] = [list(p) for p in pairs[key][:MAX_EXAMPLES]]
    return res, pairs


def _near_duplicates(images, filters, hashes, digests, n_train, max_rms):
    """Pairs with the same average hash, not identical, RMS difference <= max_rms."""
    pairs: dict[str, list[tuple[int, int]]] = {"train": [], "test": [], "train_test": []}
    a, b = _candidate_pairs(hashes)
    # A block's mean difference squared is at most the mean of its squared differences
    # (Jensen), so over a thumbnail of non-overlapping blocks covering n of the image's
    # N pixels, RMS(thumbnail) <= RMS(image) * sqrt(N / n): pairs above that bound can
    # never be near, so cheap 64- then 256-number filters go first and the full
    # comparison runs only on what passes (MNIST: 550,000 -> ~40,000 pairs).
    pixels = images[0].shape[-1] * images[0].shape[-2]
    for thumbs, covered in filters:
        bound = max_rms * (pixels / covered) ** 0.5 + 1e-6  # + float32 rounding
        keep = _pair_rms(thumbs, a, b) <= bound
        a, b = a[keep], b[keep]
    rms = _pair_rms(images.reshape(len(images), -1), a, b) / 255.0
    close = torch.nonzero(rms <= max_rms).flatten()
    for i, j in zip(a[close].tolist(), b[close].tolist()):
        if digests[i] == digests[j]:
            continue  # identical: counted as an exact duplicate
        i, j = min(i, j), max(i, j)
        if j < n_train:
            pairs["train"].append((i, j))
        elif i >= n_train:
            pairs["test"].append((i - n_train, j - n_train))
        else:
            pairs["train_test"].append((i, j - n_train))
    res = {}
    for key, found in pairs.items():
        found.sort()
        involved = {j for _, j in found} if key == "train_test" else {k for p in found for k in p}
        res[key] = {"pairs": len(found), "images": len(involved),
                    "examples": [list(p) for p in found[:MAX_EXAMPLES]]}
    return res, pairs


def _candidate_pairs(hashes: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Every pair (a, b) of images sharing a hash, as two index tensors.

    Buckets of up to SMALL_BUCKET images (nearly all of them) are paired in a few
    whole-array steps: after sorting by bucket, element p pairs with p + d when both
    are in the same bucket, d = 1..SMALL_BUCKET-1. One small torch op per bucket would
    be thousands of ops, each paying thread-pool overhead (10x slower on a busy server).
    The few larger buckets are paired one by one, at most MAX_BUCKET images each.
    """
    _, inverse, counts = torch.unique(hashes, return_inverse=True, return_counts=True)
    order = torch.argsort(inverse, stable=True)
    bucket = inverse[order]
    size = counts[bucket]
    sel = (size >= 2) & (size <= SMALL_BUCKET)
    o, bk = order[sel], bucket[sel]
    firsts, seconds = [], []
    for d in range(1, min(SMALL_BUCKET, len(o))):
        same = bk[:-d] == bk[d:]
        firsts.append(o[:-d][same])
        seconds.append(o[d:][same])
    starts = (torch.cumsum(counts, 0) - counts).tolist()
    for big in torch.nonzero(counts > SMALL_BUCKET).flatten().tolist():
        members = order[starts[big] : starts[big] + min(int(counts[big]), MAX_BUCKET)]
        i, j = torch.triu_indices(len(members), len(members), offset=1)
        firsts.append(members[i])
        seconds.append(members[j])
    if not firsts:
        empty = torch.empty(0, dtype=torch.int64)
        return empty, empty
    return torch.cat(firsts), torch.cat(seconds)


def _pair_rms(flat: torch.Tensor, a: torch.Tensor, b: torch.Tensor, chunk: int = 16384) -> torch.Tensor:
    """Root-mean-square difference of rows flat[a] and flat[b], pair by pair, in chunks
    so the gathered rows stay a few tens of MB (uint8 rows: in pixel units 0..255)."""
    out = []
    for start in range(0, len(a), chunk):
        x, y = flat[a[start : start + chunk]], flat[b[start : start + chunk]]
        if x.dtype == torch.uint8:
            x, y = x.to(torch.int32), y.to(torch.int32)
        diff = x - y
        out.append((diff * diff).sum(1).to(torch.float64))
    if not out:
        return torch.empty(0, dtype=torch.float64)
    return (torch.cat(out) / flat.shape[1]).sqrt()


def _straddling(train_pairs: list[tuple[int, int]], in_val: torch.Tensor) -> int:
    """Pairs of the training pool with one image in train and the other in validation:
    the validation score sees images it was trained on."""
    return sum(1 for i, j in train_pairs if bool(in_val[i]) != bool(in_val[j]))


# --- outliers ----------------------------------------------------------------------------

def _outliers(img_mean: torch.Tensor, img_std: torch.Tensor, n_train: int) -> dict:
    """Near-blank images (pixel std < BLANK_STD) and images whose mean intensity has a
    robust z-score beyond EXTREME_Z against the training pool's median and MAD."""
    ref = img_mean[:n_train]
    median = ref.median()
    mad = (ref - median).abs().median().clamp_min(1e-6)
    z = 0.6745 * (img_mean - median) / mad  # 0.6745: MAD -> std for a normal distribution
    out = {"blank_std": BLANK_STD, "extreme_z": EXTREME_Z, "median_mean": round(float(median), 4)}
    for split, sl in (("train", slice(0, n_train)), ("test", slice(n_train, None))):
        s, zz, m = img_std[sl], z[sl], img_mean[sl]
        blank = torch.nonzero(s < BLANK_STD).flatten()
        blank = blank[torch.argsort(s[blank])]
        extreme = torch.nonzero(zz.abs() > EXTREME_Z).flatten()
        extreme = extreme[torch.argsort(zz[extreme].abs(), descending=True)]
        out[split] = {
            "blank": len(blank), "blank_examples": blank[:MAX_EXAMPLES].tolist(),
            "extreme": len(extreme),
            "extreme_examples": [{"index": int(i), "mean": round(float(m[i]), 4), "z": round(float(zz[i]), 1)}
                                 for i in extreme[:MAX_EXAMPLES]],
        }
    return out


# --- image folders ------------------------------------------------------------------------

def _folder_info(data: ImageData) -> dict:
    sizes = sorted(data.original_sizes.items(), key=lambda kv: -kv[1])
    return {
        "original_sizes": [{"width": w, "height": h, "count": n} for (w, h), n in sizes[:50]],
        "distinct_sizes": len(sizes),
        "original_modes": dict(sorted(data.original_modes.items(), key=lambda kv: -kv[1])),
        "skipped": [{"file": f, "reason": r, **({"message": list(data.skipped_messages[f])}
                                                 if f in data.skipped_messages else {})}
                    for f, r in data.skipped],
    }


def _bincount(labels: torch.Tensor, k: int) -> list[int]:
    return torch.bincount(labels, minlength=k)[:k].tolist()
