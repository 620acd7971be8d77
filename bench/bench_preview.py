"""Benchmark: the augmentation preview of 16 images renders within 300 ms.

    .venv/bin/python -m bench.bench_preview [--data-dir ../shared/datasets] [--dataset mnist]

Times what the page does for one preview: pick the originals, augment through the
training path with recorded parameters, draw the grid and encode it as PNG (what
Streamlit sends). 4 originals x 4 versions = 16 images with an 8-transform set,
best of --repeat; the ratio to the 300 ms budget must be <= 1.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
from pathlib import Path

BUDGET_S = 0.300
SET = ("RandomCrop(28, padding=2), RandomRotation(10), RandomAffine(0, translate=(0.1, 0.1)), "
       "RandomPerspective(0.3), GaussianBlur(3), GaussianNoise(sigma=0.05), RandomErasing(), TrivialAugmentWide()")
SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "datasets"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data-dir", default=os.environ.get("LAB_DATA_DIR") or str(SHARED))
    p.add_argument("--dataset", default="mnist")
    p.add_argument("--transforms", default=SET)
    p.add_argument("--repeat", type=int, default=10)
    args = p.parse_args(argv)

    import torch

    from lab.augment import parse_transforms
    from lab.augment.preview import describe, grid_image, pick_samples, preview
    from lab.data import load

    torch.set_num_threads(int(os.environ.get("LAB_TORCH_THREADS", "0")) or torch.get_num_threads())
    data = load(args.dataset, args.data_dir, download=False, use_samples=False)
    steps = parse_transforms(args.transforms)

    def once(seed: int) -> None:
        idx = pick_samples(data.train_y, 4, seed)
        shown = preview(data.train_x[idx], steps, 4, seed)
        [describe(r) for row in shown.records for r in row]
        grid_image(shown, scale=3).save(io.BytesIO(), format="PNG")

    def no_augment(seed: int) -> None:  # baseline: the same preview with no transforms
        idx = pick_samples(data.train_y, 4, seed)
        grid_image(preview(data.train_x[idx], [], 4, seed), scale=3).save(io.BytesIO(), format="PNG")

    def best(fn) -> float:
        fn(0)
        times = []
        for seed in range(args.repeat):
            start = time.perf_counter()
            fn(seed)
            times.append(time.perf_counter() - start)
        return min(times)

    seconds, plain = best(once), best(no_augment)
    print(f"preview of 16 images ({args.dataset}), {len(steps)} transforms, {torch.get_num_threads()} threads")
    print(f"  preview        {seconds * 1000:6.1f} ms   ratio to the {BUDGET_S * 1000:.0f} ms budget: "
          f"{seconds / BUDGET_S:.2f} ({'within' if seconds <= BUDGET_S else 'OVER'})")
    print(f"  without steps  {plain * 1000:6.1f} ms   (baseline: picking, grid and PNG only)")
    return 0 if seconds <= BUDGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
