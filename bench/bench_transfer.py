"""Benchmark: what starting from existing weights is worth (issue 22, item 2).

    .venv/bin/python -m bench bench_transfer [--preset cifar_fast] [--pretrain-epochs 8] [--epochs 30]
        [--per-class 50] [--freeze none] [--data-dir ../shared/datasets] [--threads 2] [--json]

CIFAR-10 split in two halves: a run pre-trains on classes 0-4 (airplane, automobile, bird, cat,
deer; every training image of them but the validation share), then the same network trains on
classes 5-9 (dog, frog, horse, ship, truck) with ``--per-class`` training images each, twice
with the same settings and epochs: from scratch, and initialised from the first run
(``train.init_from``, its head new: other classes). Both are scored on the 5,000 test images
of classes 5-9. Every run goes through the lab's one entry point (``lab.train.session``), the
fine-tuning one through the same loader the page and the CLI use.

Prints both test accuracies and the gap in points (fine-tuned minus scratch). Goal: a clearly
positive gap (>= 5 points). For a quick look while developing: ``--pretrain-limit 500
--pretrain-epochs 1 --epochs 2``. ``--preset`` takes any preset, the ready architectures
included.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
from pathlib import Path

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "datasets"
GOAL_GAP_POINTS = 5.0
FIRST, SECOND = [0, 1, 2, 3, 4], [5, 6, 7, 8, 9]


def _config(args, classes: list[int], epochs: int, limit: int, **train):
    from lab.augment import parse_transforms
    from lab.config import ExperimentConfig
    from lab.model import preset

    cfg = ExperimentConfig()
    cfg.data.dataset, cfg.data.classes, cfg.data.train_limit, cfg.data.val_fraction = "cifar10", classes, limit, 0.05
    cfg.model = preset(args.preset, "cifar10")
    cfg.augment.transforms = parse_transforms("RandomHorizontalFlip(), RandomCrop(32, padding=4)")
    cfg.train.epochs, cfg.train.seed = epochs, args.seed
    for k, v in train.items():
        setattr(cfg.train, k, v)
    return cfg


def _train(cfg, data_dir, store=None, name=""):
    """(prepared, result, seconds): one run through the lab's entry point."""
    from lab.train import session

    start = time.perf_counter()
    prepared = session.prepare(cfg, data_dir, store.root if store is not None else None)
    result = session.run(prepared, store.create(cfg, name=name) if store is not None else None)
    return prepared, result, time.perf_counter() - start


def measure(args) -> dict:
    import torch

    from lab.runs.store import RunStore
    from lab.train import session

    if args.threads:
        torch.set_num_threads(args.threads)
    store = RunStore(Path(tempfile.mkdtemp(prefix="bench-transfer-")) / "runs")
    first = _config(args, FIRST, args.pretrain_epochs, args.pretrain_limit, optimizer="adamw", lr=3e-3,
                    schedule="onecycle", batch_size=256, weight_decay=5e-4)
    _, pre, pre_s = _train(first, args.data_dir, store, "classes 0-4")
    tune = dict(optimizer="adam", lr=args.lr, batch_size=25, schedule="cosine")
    out = {"preset": args.preset, "per_class": args.per_class, "epochs": args.epochs, "freeze": args.freeze,
           "pretrain_epochs": args.pretrain_epochs, "pretrain_val_accuracy": pre.summary.get("best_val_accuracy"),
           "pretrain_seconds": round(pre_s, 1), "threads": torch.get_num_threads(),
           "cpu": platform.processor() or platform.machine()}
    freeze = int(args.freeze) if args.freeze.isdigit() else args.freeze
    for kind, extra in (("scratch", {}), ("finetuned", {"init_from": pre.run.id, "freeze": freeze})):
        cfg = _config(args, SECOND, args.epochs, 5 * args.per_class, **tune, **extra)
        prepared, result, seconds = _train(cfg, args.data_dir, store, kind)
        _, accuracy = session.test_score(prepared, result.model)
        out[f"{kind}_test_accuracy"], out[f"{kind}_seconds"] = accuracy, round(seconds, 1)
        out["test_images"] = len(prepared.splits.test_y)
        out["train_images"] = len(prepared.splits.train_y)
        if prepared.transfer is not None:
            out["loaded"] = prepared.transfer.english()
    out["gap_points"] = 100 * (out["finetuned_test_accuracy"] - out["scratch_test_accuracy"])
    return out


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench_transfer")
    parser.add_argument("--data-dir", default=str(SHARED) if SHARED.is_dir() else None)
    parser.add_argument("--preset", default="cifar_fast", help="the network, the same in all three runs")
    parser.add_argument("--pretrain-epochs", type=int, default=8)
    parser.add_argument("--pretrain-limit", type=int, default=0, help="images of classes 0-4 to pre-train on; 0 = all")
    parser.add_argument("--epochs", type=int, default=30, help="fine-tuning and from-scratch epochs (the same)")
    parser.add_argument("--per-class", type=int, default=50, help="training images per class of classes 5-9")
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--freeze", default="none", help="none | features | N, for the fine-tuned run")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    r = measure(args)
    ok = r["gap_points"] >= GOAL_GAP_POINTS
    if args.json:
        print(json.dumps(r | {"goal_met": ok}, indent=2))
    else:
        print(f"{r['preset']}: pre-trained on classes 0-4 ({r['pretrain_epochs']} epochs, {r['pretrain_seconds']} s, "
              f"val {r['pretrain_val_accuracy']:.2%}); classes 5-9 with {r['train_images']} training images, "
              f"{r['epochs']} epochs, scored on {r['test_images']} test images:")
        print(f"  from scratch {r['scratch_test_accuracy']:.2%} ({r['scratch_seconds']} s) | fine-tuned "
              f"(freeze {r['freeze']}) {r['finetuned_test_accuracy']:.2%} ({r['finetuned_seconds']} s) | gap "
              f"{r['gap_points']:+.1f} points (goal >= +{GOAL_GAP_POINTS}) -> {'OK' if ok else 'MISSED'}")
        for line in r.get("loaded", []):
            print(f"  {line}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
