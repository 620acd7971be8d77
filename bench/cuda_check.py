"""CUDA smoke check: two epochs of the recommended MNIST preset on the GPU, as JSON.

    .venv/bin/python bench/cuda_check.py [--data-dir ../shared/datasets] [--epochs 2] [--amp]

Prints one JSON object (device name, per-epoch metrics, test accuracy, seconds, images
per second, multiply-adds per second against the GPU's calibrated peak for the model's
layers (``lab.train.speed``), and the same first steps repeated to show seeded runs repeat on CUDA) and
exits 0 when the metrics are sane (test accuracy >= 98%, finite losses). On a machine
without CUDA it prints {"cuda": false, ...} with a message and exits 0: nothing to check.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "datasets"
sys.path.insert(0, str(ROOT))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="cuda_check")
    parser.add_argument("--data-dir", default=str(SHARED) if SHARED.is_dir() else None)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--amp", action="store_true", help="also run once with mixed precision")
    args = parser.parse_args(argv)
    import torch

    if not torch.cuda.is_available():
        print(json.dumps({"cuda": False, "message": "no CUDA GPU on this machine: nothing to check"}))
        return 0
    from lab.config import ExperimentConfig
    from lab.data import load
    from lab.model import preset, recommended_preset
    from lab.train import session

    started = time.perf_counter()
    data = load("mnist", args.data_dir, download=False, use_samples=True)
    out = {"cuda": True, "gpu": torch.cuda.get_device_name(0), "torch": torch.__version__.split("+")[0],
           "data_source": data.source, "load_seconds": time.perf_counter() - started, "runs": []}

    def one(mixed: bool, epochs: int) -> dict:
        cfg = ExperimentConfig()
        cfg.model = preset(recommended_preset("mnist"), "mnist")
        cfg.train.epochs, cfg.train.mixed_precision, cfg.train.device = epochs, mixed, "cuda"
        t0 = time.perf_counter()
        prepared = session.prepare(cfg, args.data_dir)
        r = session.run(prepared)
        torch.cuda.synchronize()
        s = {**r.summary, "test_accuracy": session.test_score(prepared, r.model)[1]}
        return {"preset": cfg.model.preset, "mixed_precision": mixed, "status": s["status"],
                "device": s["device"], "check": s["initial_check"], "seconds": time.perf_counter() - t0,
                "images_per_sec": s["images_per_sec"], "test_accuracy": s["test_accuracy"],
                "macs_per_sec": s.get("macs_per_sec"), "peak_macs_per_sec": s.get("peak_macs_per_sec"),
                "peak_fraction": s.get("peak_fraction"), "compute_dtype": (s.get("speed") or {}).get("compute_dtype"),
                "best_val_accuracy": s["best_val_accuracy"],
                "epochs": [{k: e[k] for k in ("epoch", "train_loss", "val_loss", "val_accuracy", "seconds",
                                              "images_per_sec")} for e in r.history]}

    out["runs"].append(one(False, args.epochs))
    repeat = one(False, 1)  # the same seed again: the first epoch should repeat
    out["repeat_first_epoch_equal"] = repeat["epochs"][0]["train_loss"] == out["runs"][0]["epochs"][0]["train_loss"]
    if args.amp:
        out["runs"].append(one(True, args.epochs))
    sane = all(r["status"] == "finished" and r["test_accuracy"] >= 0.98
               and all(math.isfinite(e["train_loss"]) for e in r["epochs"]) for r in out["runs"])
    out["sane"] = sane
    print(json.dumps(out, indent=2))
    return 0 if sane else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
