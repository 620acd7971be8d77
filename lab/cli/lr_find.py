"""``python -m lab lr-find``: the learning-rate range test on an experiment, headless.

    python -m lab lr-find --dataset mnist --preset baseline --train-limit 5000 --json
    python -m lab lr-find --config runs/<id>/config.json --out lr.png

The experiment is built as ``lab train`` builds it (``lab.cli.train.build_config``, then
``lab.train.session.prepare``), then ``lab.train.lr_find.lr_find`` sweeps the learning
rate from 1e-7 to 10 and stops when the loss explodes. Nothing is journalled: the test
is not a run. Prints the suggested learning rate and the rule that chose it (``--json``:
one object with ``suggested_lr``, ``rule``, ``suggestions``, ``lrs``, ``losses`` (smoothed),
``raw_losses``, ``steps``, ``stopped``); ``--out FILE.png`` draws the smoothed loss against
the learning rate on a log axis with the suggestion marked. Exit status 0, or 2 with one
line for a bad config, dataset or argument.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from lab.cli import OneLineParser, add_data_dir, print_json
from lab.cli import train as train_cli
from lab.cli._args import (batch_size_arg, bounded_float, bounded_int, seed_arg, threads_arg,
                           train_limit_arg)
from lab.cli.messages import MESSAGES as CLI_MESSAGES
from lab.errors import keyed

NAME = "lr-find"
HELP = "the learning-rate range test: sweep the learning rate, see where the loss falls fastest (not a run)"
KEYS = ("suggested_lr", "rule", "suggestions", "steps", "planned_steps", "stopped", "start", "end", "batch_size",
        "lrs", "losses", "raw_losses")


def add_arguments(parser) -> None:
    parser.add_argument("--config", help="an experiment config JSON file (e.g. a run's config.json)")
    parser.add_argument("--dataset", help="mnist | fashion-mnist | cifar10 | a folder of class folders")
    parser.add_argument("--preset", help="architecture preset (default: the course baseline)")
    parser.add_argument("--train-limit", type=train_limit_arg, help="sweep over at most this many images (stratified)")
    parser.add_argument("--batch-size", type=batch_size_arg)
    parser.add_argument("--optimizer", choices=("adam", "adamw", "sgd"))
    parser.add_argument("--seed", type=seed_arg)
    parser.add_argument("--device", choices=("auto", "cpu", "cuda", "mps"))
    parser.add_argument("--steps", type=bounded_int(10, 1000), default=200,
                        help="learning rates tried, one batch each (default 200; stops early when the loss explodes)")
    parser.add_argument("--start", type=bounded_float(1e-10, 1.0), default=1e-7, help="first learning rate (1e-7)")
    parser.add_argument("--end", type=bounded_float(1e-6, 100.0), default=10.0, help="last learning rate (10)")
    parser.add_argument("--threads", type=threads_arg, help="torch CPU threads (default: $LAB_TORCH_THREADS or all)")
    parser.add_argument("--out", help="write the chart (smoothed loss against learning rate) to this .png file")
    add_data_dir(parser)
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def _train_args(args) -> argparse.Namespace:
    """``args`` with every option ``lab train`` reads (its own defaults for those this command
    lacks), so the experiment is built by ``lab train``'s one function."""
    parser = OneLineParser(prog="lab train")
    train_cli.add_arguments(parser)
    merged = parser.parse_args([])
    for key, value in vars(args).items():
        setattr(merged, key, value)
    return merged


def _check_out(path: str | None) -> Path | None:
    if path is None:
        return None
    out = Path(path)
    if out.suffix.lower() != ".png" or not out.parent.is_dir():
        raise keyed(CLI_MESSAGES, "cli.augment_png", path=path)
    return out


def run(args) -> int:
    import torch  # heavy: loaded on first use, to keep start-up light

    from lab.train.lr_find import lr_find  # heavy: loaded on first use, to keep start-up light
    from lab.train.session import prepare  # heavy: loaded on first use, to keep start-up light

    if args.start >= args.end:
        raise keyed(CLI_MESSAGES, "cli.lr_find_range", start=args.start, end=args.end)
    out = _check_out(args.out)
    cfg = train_cli.build_config(_train_args(args))
    threads = args.threads or int(os.environ.get("LAB_TORCH_THREADS") or 0)
    if threads > 0:
        torch.set_num_threads(threads)
    prepared = prepare(cfg, args.data_dir)
    print(f"range test: {cfg.model.preset or 'custom model'} on {cfg.data.dataset}, {len(prepared.splits.train_y)} "
          f"training images, batch {cfg.train.batch_size}, {cfg.train.optimizer}, learning rate "
          f"{args.start:g} to {args.end:g} over at most {args.steps} steps", file=sys.stderr)
    result = lr_find(prepared, start=args.start, end=args.end, steps=args.steps)
    if out is not None:
        save_chart(result, out)
    if args.json:
        print_json({k: result[k] for k in KEYS} | {"dataset": cfg.data.dataset, "preset": cfg.model.preset})
    else:
        print(summary_line(result))
        print("lr\tsmoothed_loss\tloss")
        for lr, smooth, raw in zip(result["lrs"], result["losses"], result["raw_losses"]):
            print(f"{lr:.3g}\t{_num(smooth)}\t{_num(raw)}")
    return 0


def _num(value) -> str:
    return "nan" if value is None else f"{value:.4f}"


def summary_line(result: dict) -> str:
    """'suggested_lr 3.59e-04 (rule: valley; steepest 2.78e-03), 84 of 200 steps, stopped: exploded'."""
    others = "; ".join(f"{rule} {lr:.2e}" for rule, lr in result["suggestions"].items()
                       if rule != result["rule"] and lr is not None)
    lr = result["suggested_lr"]
    return (f"suggested_lr {lr:.2e}" if lr is not None else "suggested_lr none") \
        + f" (rule: {result['rule']}" + (f"; {others}" if others else "") + ")" \
        + f", {result['steps']} of {result['planned_steps']} steps, stopped: {result['stopped']}"


def save_chart(result: dict, path: Path) -> None:
    """The smoothed loss against the learning rate (log axis), the suggestion marked and named."""
    import matplotlib  # heavy, and only for --out: loaded on first use

    matplotlib.use("Agg")  # no display: a file only
    import matplotlib.pyplot as plt  # after the backend is chosen, as matplotlib asks

    points = [(lr, loss) for lr, loss in zip(result["lrs"], result["losses"]) if loss is not None]
    fig, ax = plt.subplots(figsize=(7, 4), dpi=100)
    ax.plot([p[0] for p in points], [p[1] for p in points], color="#1f77b4", label="smoothed loss")
    ax.set_xscale("log")
    ax.set_xlabel("learning rate")
    ax.set_ylabel("training loss (smoothed)")
    lr = result["suggested_lr"]
    if lr is not None:
        ax.axvline(lr, color="#d62728", linestyle="--", label=f"suggested {lr:.1e} ({result['rule']})")
    ax.legend()
    ax.grid(True, which="both", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
