"""Make ``data/samples/<name>.npz``: a small, stratified, real subset of each built-in
dataset, so the lab works offline. Run from the project root:

    python scripts/make_samples.py --data-dir ../shared/datasets

Deterministic: the same source files give byte-identical subsets (seed 0).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lab.data import load  # noqa: E402
from lab.data.images import ImageData  # noqa: E402
from lab.data.samples import sample_path, save_samples  # noqa: E402
from lab.data.split import stratified_subset  # noqa: E402

# Per class (train, test). CIFAR-10 images are 4x larger, so fewer of them.
PER_CLASS = {"mnist": (150, 30), "fashion-mnist": (150, 30), "cifar10": (100, 20)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", required=True)
    args = parser.parse_args()
    for name, (n_train, n_test) in PER_CLASS.items():
        full = load(name, args.data_dir, download=False, use_samples=False)
        k = full.num_classes
        tr = stratified_subset(full.train_y, n_train * k, seed=0)
        te = stratified_subset(full.test_y, n_test * k, seed=0)
        subset = ImageData(name, full.classes, full.train_x[tr], full.train_y[tr], full.test_x[te], full.test_y[te])
        path = sample_path(name)
        save_samples(subset, path)
        print(f"{name}: {len(tr)} train + {len(te)} test -> {path} ({path.stat().st_size / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
