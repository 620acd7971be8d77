"""Benchmark: does the range test's suggestion train as well as the default learning rate?

    .venv/bin/python -m bench bench_lr_find [--presets baseline mnist_cnn] [--train-limit N]
        [--steps 200] [--threads N] [--data-dir ../shared/datasets] [--json]

For each preset on MNIST (issue 22): the learning-rate range test (``lab.train.lr_find``,
the page's and ``lab lr-find``'s engine) on the experiment, then two 1-epoch runs through
the lab's one entry point (``lab.train.session``), one at the suggested rate and one at the
default 1e-3 (Adam, batch 64, the same seed), each scored on the 10,000 test images. Prints
the suggestion, its rule, the test accuracy of both runs and the seconds each step took,
with the CPU's features and the thread count (the figures depend on them).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "datasets"
DEFAULT_LR = 1e-3
FEATURES = ("avx2", "fma", "avx512f", "avx512_vnni", "avx512_bf16", "amx_bf16", "amx_tile")


def cpu_line() -> str:
    """The CPU's model name and the vector features that decide its speed."""
    from lab.train.device import cpu_flags  # lab's torch import: after the thread count is set

    name = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text(errors="replace").splitlines():
            if line.startswith("model name"):
                name = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    flags = cpu_flags()
    return f"{name}; {os.cpu_count()} cores; features: {' '.join(f for f in FEATURES if f in flags) or 'none listed'}"


def one_preset(name: str, data_dir: str, train_limit: int, steps: int, log=print) -> dict:
    from lab.config import ExperimentConfig
    from lab.model import preset
    from lab.train import session
    from lab.train.lr_find import lr_find

    cfg = ExperimentConfig()
    cfg.data.dataset, cfg.data.train_limit = "mnist", train_limit
    cfg.model = preset(name, "mnist")
    cfg.train.epochs, cfg.train.device, cfg.train.lr = 1, "cpu", DEFAULT_LR
    started = time.perf_counter()
    found = lr_find(session.prepare(cfg, data_dir), steps=steps)
    find_s = time.perf_counter() - started
    log(f"{name}: suggested {found['suggested_lr']:.2e} ({found['rule']}; steepest "
        f"{found['suggestions']['steepest']:.2e}), {found['steps']} steps, stopped: {found['stopped']}, {find_s:.1f} s")
    out = {"preset": name, "suggested_lr": found["suggested_lr"], "rule": found["rule"],
           "suggestions": found["suggestions"], "steps": found["steps"], "find_seconds": round(find_s, 1), "runs": {}}
    for label, lr in (("suggested", found["suggested_lr"]), ("default", DEFAULT_LR)):
        cfg.train.lr = lr
        prepared = session.prepare(cfg, data_dir)
        started = time.perf_counter()
        result = session.run(prepared)
        seconds = time.perf_counter() - started
        _, accuracy = session.test_score(prepared, result.model)
        out["runs"][label] = {"lr": lr, "test_accuracy": round(accuracy, 4), "status": result.status,
                              "seconds": round(seconds, 1)}
        log(f"  1 epoch at lr {lr:.2e} ({label}): test accuracy {accuracy:.2%}, {seconds:.1f} s")
    return out


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench_lr_find")
    parser.add_argument("--presets", nargs="+", default=["baseline", "mnist_cnn"])
    parser.add_argument("--train-limit", type=int, default=0, help="0: all 60,000 training images (less validation)")
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--threads", type=int, default=int(os.environ.get("LAB_TORCH_THREADS") or 0))
    parser.add_argument("--data-dir", default=str(SHARED) if SHARED.is_dir() else None)
    parser.add_argument("--json", action="store_true")
    args, _ = parser.parse_known_args(argv)
    import torch  # after argparse: --help needs no torch

    if args.threads:
        torch.set_num_threads(args.threads)
    log = (lambda *a, **k: print(*a, file=sys.stderr, **k)) if args.json else print
    log(f"CPU: {cpu_line()}; torch {torch.__version__}, {torch.get_num_threads()} thread(s); "
        f"load average {os.getloadavg()[0]:.1f}")
    figures = [one_preset(name, args.data_dir, args.train_limit, args.steps, log) for name in args.presets]
    if args.json:
        print(json.dumps({"cpu": cpu_line(), "threads": torch.get_num_threads(), "presets": figures}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
