"""Benchmark: the exported ONNX model in onnxruntime against PyTorch eager, fp32 and int8, per preset.

    .venv/bin/python -m bench.bench_onnx [--presets mnist_cnn,cifar_fast] [--limit 2000] [--epochs 1]
                                         [--images 2000] [--repeats 30] [--data-dir ../shared/datasets]

Each preset is trained briefly on its dataset (``--limit`` images, ``--epochs``: enough for the
int8 accuracy change to mean something), exported through ``lab.export.onnx`` (checked against
PyTorch on real images) and measured by ``lab.export.onboard`` with one thread: latency per
image at batch 1 and throughput at batch 64, for PyTorch eager (the baseline, measured in the
same run), onnxruntime fp32 and onnxruntime int8 (static quantisation calibrated on 256 validation images, or --int8 dynamic), with the int8 file's
size and its validation accuracy change on ``--images`` validation images. Prints the CPU's
vector features and the compute dtype. Exit 0 unless an export fails its check.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "datasets"
PRESETS = {"baseline": "mnist", "lenet5": "mnist", "mnist_cnn": "mnist", "fashion_cnn": "fashion-mnist",
           "cifar_cnn": "cifar10", "cifar_fast": "cifar10"}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data-dir", default=os.environ.get("LAB_DATA_DIR") or str(SHARED))
    p.add_argument("--presets", default=",".join(PRESETS))
    p.add_argument("--limit", type=int, default=2000)
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--images", type=int, default=2000)
    p.add_argument("--repeats", type=int, default=30)
    p.add_argument("--int8", choices=("static", "dynamic"), default="static")
    args = p.parse_args(argv)

    import torch

    from lab.config import ExperimentConfig
    from lab.export.onboard import onboard_figures
    from lab.export.onnx import build_onnx, int8_for, wrapped_model
    from lab.model import preset
    from lab.runs.store import RunStore
    from lab.train.session import prepare, run

    torch.set_num_threads(1)
    store = RunStore(Path(tempfile.mkdtemp(prefix="bench-onnx-")))
    print(f"one thread; PyTorch {torch.__version__} eager is the baseline; latency: batch 1, throughput: batch 64")
    header = (f"{'preset':12} {'params':>8} {'MMACs':>7} | {'fp32 KB':>7} {'int8 KB':>7} | {'eager ms':>8} "
              f"{'ort ms':>7} {'int8 ms':>7} | {'eager/s':>8} {'ort/s':>8} {'int8/s':>8} | {'acc':>6} {'int8 Δ':>7}")
    printed_cpu = False
    for name in args.presets.split(","):
        cfg = ExperimentConfig()
        cfg.data.dataset, cfg.model = PRESETS[name], preset(name, PRESETS[name])
        cfg.data.train_limit, cfg.train.epochs, cfg.data.val_fraction = args.limit, args.epochs, 0.1
        trained = store.create(cfg, name=name)
        run(prepare(cfg, args.data_dir), trained)
        result = build_onnx(trained, data_dir=args.data_dir)
        int8 = int8_for(trained, result, args.int8, args.data_dir)
        f = onboard_figures(trained, result, wrapped_model(trained)[0], int8=int8, data_dir=args.data_dir,
                            images=args.images, repeats=args.repeats)
        if not printed_cpu:
            print(f"CPU: {f['cpu']}; compute dtype {f['dtype']}; int8: onnxruntime's {args.int8} quantiser")
            print(header)
            printed_cpu = True
        q, o, e = f["int8"], f["onnx"], f["torch"]
        print(f"{name:12} {f['params']:>8,} {f['macs'] / 1e6:>7.2f} | {f['size_bytes'] / 1024:>7.0f} "
              f"{q['size_bytes'] / 1024:>7.0f} | {e['latency_ms']:>8.3f} {o['latency_ms']:>7.3f} "
              f"{q['latency_ms']:>7.3f} | {e['throughput']:>8.0f} {o['throughput']:>8.0f} {q['throughput']:>8.0f} | "
              f"{f['accuracy']:>6.2%} {q['accuracy_change'] * 100:>+6.2f}p   (max |Δlogit| {result.max_diff:.1e})",
              flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
