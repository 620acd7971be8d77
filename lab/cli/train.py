"""``python -m lab train``: train one experiment headless, journalled like the page does.

    python -m lab train --dataset mnist --preset mnist_cnn --epochs 3 --json
    python -m lab train --config runs/<id>/config.json --lr 3e-4

Trains in this process, through the same path as a worker (``lab.worker.execute``:
``lab.train.session.prepare`` then ``run``, heartbeat included), so the run reads
"running" in the journal and on every page while it trains. ``lab submit`` puts the
same run on the queue instead.

Progress goes to stderr; ``--json`` prints one object at the end on stdout. Ctrl+C
stops cleanly after the current batch (a second Ctrl+C aborts). Exit status: 0 for a
finished or stopped run, 1 when training diverged, 2 for a bad config or dataset.
"""

from __future__ import annotations

import math
import os
import signal
import sys
import threading
import time

from lab.cli import add_data_dir, print_json
from lab.cli._args import batch_size_arg, epochs_arg, lr_arg, seed_arg, threads_arg, train_limit_arg
from lab.config import ExperimentConfig
from lab.errors import LabError
from lab.paths import runs_dir

NAME = "train"
HELP = "train an experiment (a config file, or a dataset + preset) and journal the run"


def add_arguments(parser) -> None:
    parser.add_argument("--config", help="an experiment config JSON file (e.g. a run's config.json)")
    parser.add_argument("--dataset", help="mnist | fashion-mnist | cifar10 | a folder of class folders")
    parser.add_argument("--preset", help="architecture preset (default: the dataset's recommended one)")
    parser.add_argument("--recipe", choices=("fast",),
                        help="fast: the dataset's fast recipe (lab.train.recipes: model, augmentation, settings); "
                             "options given beside it win")
    parser.add_argument("--transforms", help='augmentation, e.g. "RandomRotation(10), RandomCrop(28, padding=2)"')
    parser.add_argument("--epochs", type=epochs_arg)
    parser.add_argument("--batch-size", type=batch_size_arg)
    parser.add_argument("--lr", type=lr_arg)
    parser.add_argument("--optimizer", choices=("adam", "adamw", "sgd"))
    parser.add_argument("--seed", type=seed_arg)
    parser.add_argument("--device", choices=("auto", "cpu", "cuda", "mps"))
    parser.add_argument("--train-limit", type=train_limit_arg, help="train on at most this many images (stratified)")
    parser.add_argument("--name", default="", help="a name for the run in the journal")
    parser.add_argument("--threads", type=threads_arg, help="torch CPU threads (default: $LAB_TORCH_THREADS or torch's)")
    add_data_dir(parser)
    parser.add_argument("--runs-dir", help="the journal folder (default: $LAB_RUNS_DIR or runs/)")
    parser.add_argument("--json", action="store_true", help="print one JSON object at the end")


def build_config(args) -> ExperimentConfig:
    """The experiment from --config or --dataset/--preset, with the command-line overrides.

    Everything goes through ``ExperimentConfig.from_dict`` at the end, so a bad value
    from the command line is reported exactly like one in a file: naming the field.
    """
    if args.config:
        cfg = ExperimentConfig.load(args.config)
        data = cfg.to_dict()
        if args.dataset:
            data["data"]["dataset"] = args.dataset
    elif args.dataset:
        data = ExperimentConfig().to_dict()
        data["data"]["dataset"] = args.dataset
    else:
        raise LabError("give --config FILE.json, or --dataset NAME (and optionally --preset NAME)")
    if args.preset or not args.config:
        from lab.model import preset, recommended_preset

        from lab.config import to_dict

        name = args.preset or recommended_preset(data["data"]["dataset"])
        data["model"] = to_dict(preset(name, data["data"]["dataset"]))
    if args.recipe == "fast":
        from lab.train.recipes import apply_recipe, recipe_for

        cfg = ExperimentConfig.from_dict(data)
        data = apply_recipe(cfg, recipe_for(cfg)).to_dict()
        if args.preset:
            from lab.config import to_dict
            from lab.model import preset

            data["model"] = to_dict(preset(args.preset, data["data"]["dataset"]))
    if args.transforms is not None:
        from lab.augment import parse_transforms

        from lab.config import to_dict

        data["augment"]["transforms"] = to_dict(parse_transforms(args.transforms))
    overrides = {"epochs": args.epochs, "batch_size": args.batch_size, "lr": args.lr,
                 "optimizer": args.optimizer, "seed": args.seed, "device": args.device}
    for key, value in overrides.items():
        if value is not None:
            data["train"][key] = value
    if args.train_limit is not None:
        data["data"]["train_limit"] = args.train_limit
    return ExperimentConfig.from_dict(data)


class Progress:
    """Epoch lines, and a batch line at most twice a second, on stderr."""

    def __init__(self, stream=None):
        # sys.stderr looked up now, not at import: tests and wrappers replace it
        self.stream, self.last = stream or sys.stderr, 0.0

    def __call__(self, e: dict) -> None:
        kind = e["event"]
        if kind == "start":
            self._line(f"training on {e['device']}: {e['sizes']['train']} images, {e['epochs']} epoch(s), "
                       f"{e['steps_per_epoch']} steps each, {e['parameters']:,} parameters")
            if e.get("speed"):
                self._line(speed_line(e["speed"]))
        elif kind == "check":
            self._line(("check: " if e["ok"] else "check (!): ") + e["message"])
        elif kind == "batch" and time.monotonic() - self.last >= 0.5:
            self.last = time.monotonic()
            if self.stream.isatty():
                self.stream.write(f"\r  epoch {e['epoch']} step {e['batch']}/{e['batches']} "
                                  f"loss {e['running_loss']:.4f} acc {e['running_accuracy']:.2%}   ")
                self.stream.flush()
        elif kind == "epoch":
            self._line(f"epoch {e['epoch']}/{e['epochs']}: train loss {e['train_loss']:.4f} acc "
                       f"{e['train_accuracy']:.2%} | val loss {e['val_loss']:.4f} acc {e['val_accuracy']:.2%} | "
                       f"{e['seconds']:.1f} s, {e['images_per_sec']:.0f} img/s"
                       + (f", {e['macs_per_sec'] / 1e9:.1f} GMAC/s" if e.get("macs_per_sec") else "")
                       + (f" = {e['peak_fraction']:.0%} of peak" if e.get("peak_fraction") else "")
                       + ("  *best" if e["best"] else ""))
        elif kind in ("overfitting", "diverged"):
            self._line(f"{kind}: {e['message']}")
        elif kind == "end":
            test = e.get("test_accuracy")
            self._line(f"{e['status']}: {e.get('epochs', 0)} epoch(s) in {e.get('seconds', 0):.1f} s"
                       + (f", test accuracy {test:.2%}" if isinstance(test, float) and math.isfinite(test) else "")
                       + (f" - {e['message']}" if e.get("message") else ""))

    def _line(self, text: str) -> None:
        prefix = "\r" if self.stream.isatty() else ""
        self.stream.write(prefix + text + "\n")
        self.stream.flush()


def speed_line(speed: dict) -> str:
    """'speed: 0.25 M multiply-adds per image forward (0.69 M per training step), peak 41.3 G/s ...'."""
    peak = speed.get("peak_macs_per_sec")
    return (f"speed: {speed['macs_per_image'] / 1e6:.2f} M multiply-adds per image forward "
            f"({speed['train_macs_per_image'] / 1e6:.2f} M to train on it); this machine's peak for these layers "
            + (f"{peak / 1e9:.1f} G/s" if peak else "unknown")
            + f" in {speed['compute_dtype']}"
            + (f" (native bf16: {speed['bf16_native']})" if speed.get("bf16_native") else " (no native bf16)")
            + f", {speed['threads']} thread(s)" + ("" if speed.get("calibration_cached") else
                                                   f", calibrated in {speed['calibration_seconds']:.2f} s"))


def summary_json(run_, cfg: ExperimentConfig) -> dict:
    """What ``--json`` prints for a run that ended (``lab train`` and ``lab submit --wait``)."""
    s = run_.summary() or {}
    meta = run_.meta()
    history = run_.epochs()
    out = {
        "run_id": run_.id, "run_dir": str(run_.dir), "status": s.get("status", run_.status), "reason": s.get("reason"),
        "dataset": cfg.data.dataset, "data_source": meta.get("data_source"), "preset": cfg.model.preset,
        "device": s.get("device"), "sizes": (run_.events("start") or [{}])[0].get("sizes"),
        "epochs": [{k: e.get(k) for k in ("epoch", "train_loss", "train_accuracy", "val_loss", "val_accuracy",
                                          "seconds", "images_per_sec", "macs_per_sec", "peak_fraction")}
                   for e in history],
    }
    for key in ("best_epoch", "best_val_loss", "best_val_accuracy", "test_loss", "test_accuracy", "seconds",
                "images_per_sec", "macs_per_sec", "peak_macs_per_sec", "peak_fraction", "initial_check",
                "overfitting_epoch", "early_stopped", "error"):
        out[key] = s.get(key)
    speed = s.get("speed") or {}
    for key in ("macs_per_image", "train_macs_per_image", "compute_dtype", "bf16_native", "channels_last", "threads"):
        out[key] = speed.get(key)
    return out


def exit_status(run_) -> int:
    """0 finished or stopped, 1 diverged, 2 failed (a config that could not start, a lost worker)."""
    status = run_.status
    return 1 if status == "diverged" else 2 if status == "failed" else 0


def run(args) -> int:
    import torch

    from lab.runs import RunStore
    from lab.train.session import prepare
    from lab.worker import execute

    cfg = build_config(args)
    threads = args.threads or int(os.environ.get("LAB_TORCH_THREADS") or 0)
    if threads > 0:
        torch.set_num_threads(threads)
    prepared = prepare(cfg, args.data_dir)  # a LabError now leaves no run folder behind
    for note in prepared.data.notes:
        print(f"note: {note} (using the bundled samples)", file=sys.stderr)
    store = RunStore(runs_dir(args.runs_dir))
    parent = store.latest_trained()
    run_ = store.create(cfg, parent=parent.id if parent else None, name=args.name, source="cli",
                        data_source=prepared.data.source)
    previous = signal.getsignal(signal.SIGINT)

    def on_interrupt(signum, frame):
        if run_.stop_requested():
            raise KeyboardInterrupt
        print("\nstopping after this batch (Ctrl+C again to abort)", file=sys.stderr)
        run_.request_stop()

    in_main = threading.current_thread() is threading.main_thread()
    if in_main:
        signal.signal(signal.SIGINT, on_interrupt)
    try:
        # the worker's own path, in this process, with the data prepared above
        execute(run_, "train", args.data_dir, listeners=[Progress()], prepared=prepared)
    finally:
        if in_main:
            signal.signal(signal.SIGINT, previous)
    status = run_.status
    if status == "failed":
        print(f"error: {(run_.summary() or {}).get('error') or 'the run failed'}", file=sys.stderr)
    if args.json:
        print_json(summary_json(run_, cfg))
    return exit_status(run_)
