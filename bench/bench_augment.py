"""Benchmark: what augmentation adds to one epoch of the baseline model on MNIST.

    .venv/bin/python -m bench.bench_augment [--data-dir ../shared/datasets] [--transforms TEXT]
        [--limit N] [--batch 64] [--device cpu|cuda]

Trains the course's baseline (Conv 32 3x3 -> ReLU -> MaxPool 2 -> Linear) for one
epoch on the 48,000-image training split twice in the same run, batch by batch in
lockstep: one model without augmentation (the baseline), one with the typical set
(crop with padding, small rotation). Prints augmented / plain; budget <= 1.20.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

BUDGET = 1.20
TYPICAL = "RandomCrop(28, padding=2), RandomRotation(10)"
SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "datasets"


def baseline_model():
    import torch.nn as nn

    # The course's baseline; lab.model builds the same from a config, kept local so the
    # benchmark measures augmentation, not the model builder.
    return nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(32 * 13 * 13, 10))


def paired_epoch(x, y, steps, mean, std, batch: int, device: str, seed: int = 0) -> tuple[float, float, float]:
    """One epoch of two identical baseline models in lockstep: model A on the plain batch,
    model B on the augmented one, batch by batch in alternating order. Returns seconds
    (plain epoch, augmented epoch, augmentation alone). Interleaving makes both epochs
    share the machine's load, which on a shared 2-core server drifts by 2x within a minute."""
    import torch
    import torch.nn.functional as F

    from lab.augment import augment_batch, normalize

    def sync():
        if device == "cuda":
            torch.cuda.synchronize()

    models = []
    for _ in range(2):
        torch.manual_seed(seed)
        model = baseline_model().to(device)
        models.append((model, torch.optim.Adam(model.parameters(), lr=1e-3)))
    gen = torch.Generator().manual_seed(seed)
    order = torch.randperm(len(x), generator=gen)
    spent = [0.0, 0.0, 0.0]

    def step(k: int, xb, yb):
        model, opt = models[k]
        loss = F.cross_entropy(model(normalize(xb, mean, std)), yb)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()

    for b, i in enumerate(range(0, len(x), batch)):
        idx = order[i:i + batch]
        xb, yb = x[idx].to(device), y[idx].to(device)
        for k in ((0, 1) if b % 2 == 0 else (1, 0)):
            sync()
            start = time.perf_counter()
            if k == 1:
                xa = augment_batch(xb, steps, gen)
                sync()
                spent[2] += time.perf_counter() - start
                step(1, xa, yb)
            else:
                step(0, xb, yb)
            sync()
            spent[k] += time.perf_counter() - start
    return spent[0], spent[1], spent[2]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data-dir", default=os.environ.get("LAB_DATA_DIR") or str(SHARED))
    p.add_argument("--transforms", default=TYPICAL)
    p.add_argument("--limit", type=int, default=0, help="train on at most N images (0: the whole split)")
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--device", default="cpu")
    p.add_argument("--synthetic", action="store_true",
                   help="random uint8 images of MNIST's shape instead of MNIST (speed only, e.g. on a GPU box)")
    args = p.parse_args(argv)

    import torch

    from lab.augment import parse_transforms
    from lab.data import channel_stats, load, make_splits

    torch.set_num_threads(int(os.environ.get("LAB_TORCH_THREADS", "0")) or torch.get_num_threads())
    if args.synthetic:
        n = args.limit or 48_000
        x = torch.randint(0, 256, (n, 1, 28, 28), dtype=torch.uint8, generator=torch.Generator().manual_seed(0))
        y = torch.randint(0, 10, (n,), generator=torch.Generator().manual_seed(1))
    else:
        data = load("mnist", args.data_dir, download=False, use_samples=False)
        splits = make_splits(data, 0.2, 0, args.limit)
        x, y = splits.train_x, splits.train_y
    mean, std = channel_stats(x)
    steps = parse_transforms(args.transforms)

    paired_epoch(x[:2048], y[:2048], steps, mean, std, args.batch, args.device)  # warm-up
    plain, augmented, alone = paired_epoch(x, y, steps, mean, std, args.batch, args.device)
    ratio = augmented / plain
    print(f"MNIST epoch, {len(x)} images, batch {args.batch}, {args.device}, {torch.get_num_threads()} threads")
    print(f"  transforms: {args.transforms}")
    print(f"  plain epoch      {plain:7.2f} s   (baseline, interleaved batch by batch with the next line)")
    print(f"  augmented epoch  {augmented:7.2f} s   ratio {ratio:.3f}  (budget {BUDGET:.2f}: "
          f"{'within' if ratio <= BUDGET else 'OVER'})")
    print(f"  of which augmentation {alone:5.2f} s   = {alone / plain:.1%} of the plain epoch")
    return 0 if ratio <= BUDGET else 1


if __name__ == "__main__":
    sys.exit(main())
