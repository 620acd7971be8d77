"""Benchmark: do 1 and 2 torch threads give the same numbers, and at what speed (issue 24 item 9).

    .venv/bin/python -m bench.bench_thread_numbers [--data-dir ../shared/datasets] [--mode default]

Trains the issue's experiment (MNIST, ``mnist_cnn``, 1,500 images, 1 epoch, seed 5) once per
thread count, each in its own process (MKL and oneDNN read their settings once), through
``lab.train.session`` without the run's held thread count, and prints the validation loss
bit for bit and the seconds. ``--mode``: ``default``; ``deterministic``
(``torch.use_deterministic_algorithms``); ``no-onednn`` (oneDNN off, ``MKL_CBWR=AUTO,STRICT``).
A measurement, not a budget: it exits 0 either way (``default`` differs: that is why the
lab holds a run's thread count). ``lab.train.numerics`` keeps the figures this chose from.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "datasets"

CHILD = """
import json, sys, time
import torch
threads, mode, data_dir = int(sys.argv[1]), sys.argv[2], sys.argv[3]
torch.set_num_threads(threads)
if mode == "no-onednn":
    torch.backends.mkldnn.enabled = False
if mode == "deterministic":
    torch.use_deterministic_algorithms(True)
from lab.config import ExperimentConfig
from lab.model.presets import preset
from lab.train.session import prepare, run
cfg = ExperimentConfig()
cfg.data.dataset, cfg.data.train_limit = "mnist", 1500
cfg.model = preset("mnist_cnn", "mnist")
cfg.train.epochs, cfg.train.seed = 1, 5
start = time.perf_counter()
result = run(prepare(cfg, data_dir))
print(json.dumps({"val_loss": repr(result.history[-1]["val_loss"]), "seconds": time.perf_counter() - start}))
"""


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data-dir", default=os.environ.get("LAB_DATA_DIR") or str(SHARED))
    p.add_argument("--mode", choices=("default", "deterministic", "no-onednn"), default="default")
    args = p.parse_args(argv)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "LAB_OFFLINE": "1"}
    if args.mode == "no-onednn":
        env["MKL_CBWR"] = "AUTO,STRICT"
    found = {}
    for threads in (1, 2):
        out = subprocess.run([sys.executable, "-c", CHILD, str(threads), args.mode, args.data_dir], env=env,
                             capture_output=True, text=True, check=True).stdout
        found[threads] = json.loads(out.strip().splitlines()[-1])
        print(f"{args.mode}: {threads} thread(s): val loss {found[threads]['val_loss']}, "
              f"{found[threads]['seconds']:.1f} s")
    same = found[1]["val_loss"] == found[2]["val_loss"]
    print(f"identical: {same}; 2 threads take {found[2]['seconds'] / found[1]['seconds']:.2f}x the time of 1")
    return 0


if __name__ == "__main__":
    sys.exit(main())
