"""``python -m lab train``: train one experiment headless, journalled like the page does.

    python -m lab train --dataset mnist --preset mnist_cnn --epochs 3 --json
    python -m lab train --config runs/<id>/config.json --lr 3e-4
    python -m lab train --config runs/<id>/config.json --lr 3e-4 --seeds 3 --expect better --why "..."

Trains in this process, through the same path as a worker (``lab.jobs.task.execute``:
``lab.train.session.prepare`` then ``run``, heartbeat included), so the run reads
"running" in the journal and on every page while it trains. ``lab submit`` puts the
same run on the queue instead.

Before training, the course's rules (``lab.train.rules``: weight decay on a first run,
Adam with weight decay, a learning rate far from Adam's range, no baseline or "Overfit
one batch" yet, the augmentation warnings) are printed as ``warning:`` lines on stderr;
they never stop the run. Without ``--preset`` or ``--config`` the model is the course
baseline until the journal holds a baseline run, then the dataset's recommended preset.
``--overfit-batch`` runs "Overfit one batch" instead of training (kept in the journal
folder's ``.overfit/``, like the page's, so the rules and the Home page count it).

``--seeds N`` trains N runs (seeds seed..seed+N-1) as one group (``lab.runs.seeds``);
``--expect``/``--why`` keep the student's prediction with the run (``lab.runs.expectations``).
No test score is printed: runs are scored on validation; ``lab evaluate`` reveals the test.
Once a run ends, the course's checks after the fact (``lab.runs.hindsight``: a run that barely
moved, a validation split or batch that makes the numbers mean less than they seem, a rerun of
a run already in the journal...) are printed as ``after the run:`` lines on stderr (``--json``:
``after_run``).

Progress goes to stderr; ``--json`` prints one object at the end on stdout (with
``--seeds`` N > 1: {group, runs: [...], val_accuracy_mean, val_accuracy_std}). Ctrl+C
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
from lab.cli._args import (batch_size_arg, bounded_int, classes_arg, epochs_arg, freeze_arg, lr_arg, seed_arg,
                           threads_arg, train_limit_arg)
from lab.cli._journal import add_journal_arguments, journal_root
from lab.config import BreakConfig, ExperimentConfig
from lab.errors import keyed
from lab.cli.messages import MESSAGES as CLI_MESSAGES
from lab.runs.expectations import DIRECTIONS, expectation
from lab.runs import hindsight
from lab.runs.seeds import MAX_SEEDS
from lab.runs.course import progress
from lab.config import to_dict
from lab.jobs.submit import create_overfit_job
from lab.jobs.task import execute
from lab.runs.seeds import group_stats
from lab.runs.seeds import new_group_id, seed_configs
from lab.runs.store import RunStore

NAME = "train"
HELP = "train an experiment (a config file, or a dataset + preset) and journal the run"


def add_arguments(parser) -> None:
    parser.add_argument("--config", help="an experiment config JSON file (e.g. a run's config.json)")
    parser.add_argument("--dataset", help="mnist | fashion-mnist | cifar10 | a folder of class folders")
    parser.add_argument("--preset", help="architecture preset (default: the course baseline until the journal has a "
                        "baseline run, then the dataset's recommended one)")
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
    parser.add_argument("--classes", type=classes_arg, metavar="C1,C2,...",
                        help="keep only these classes (numbers or names), relabelled 0..k-1: e.g. 0,1,2,3,4 to "
                             "pre-train on half of CIFAR-10")
    parser.add_argument("--init-from", metavar="RUN_OR_FILE",
                        help="start from existing weights: a run id of the journal, a run folder, a .pt file "
                             "(copied into the journal's weights/) or imagenet (ready architectures)")
    parser.add_argument("--freeze", type=freeze_arg, metavar="none|features|N",
                        help="what does not train: none, features (train the head only) or N (all but the last N "
                             "groups)")
    parser.add_argument("--seeds", type=bounded_int(1, MAX_SEEDS), default=1, metavar="N",
                        help="repeat with N seeds (seed..seed+N-1) as one group: is a difference real?")
    parser.add_argument("--expect", choices=DIRECTIONS,
                        help="predict before you run: will validation accuracy get better, worse or stay the same?")
    parser.add_argument("--why", default="", help="why you expect that (kept with the run)")
    parser.add_argument("--threads", type=threads_arg, help="torch CPU threads, recorded in the run: another count gives other numbers "
                        "(default: the page's workers' count, $LAB_TORCH_THREADS or cores per worker)")
    add_data_dir(parser)
    add_journal_arguments(parser)  # --runs-dir, and --student in a classroom runs folder
    parser.add_argument("--break", dest="breaks", action="append", default=[], choices=BreakConfig.names(),
                        help="break it on purpose (repeatable): see which of the course's checks catches it")
    parser.add_argument("--overfit-batch", action="store_true",
                        help='run "Overfit one batch" (the course\'s first check) instead of training')
    parser.add_argument("--json", action="store_true", help="print one JSON object at the end")


def default_preset(dataset: str, store) -> str:
    """Baseline first: the course baseline until the journal holds a trained baseline run."""
    from lab.model import recommended_preset  # heavy: loaded on first use, to keep start-up light

    return "baseline" if store is None or progress(store).baseline is None else recommended_preset(dataset)


def build_config(args, store=None) -> ExperimentConfig:
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
        raise keyed(CLI_MESSAGES, "cli.train_what")
    if args.preset or not args.config:
        from lab.model import preset  # heavy: loaded on first use, to keep start-up light

        name = args.preset or default_preset(data["data"]["dataset"], store)
        data["model"] = to_dict(preset(name, data["data"]["dataset"]))
    if args.recipe == "fast":
        from lab.train.recipes import apply_recipe, recipe_for  # heavy: loaded on first use, to keep start-up light

        cfg = ExperimentConfig.from_dict(data)
        data = apply_recipe(cfg, recipe_for(cfg)).to_dict()
        if args.preset:
            from lab.model import preset  # heavy: loaded on first use, to keep start-up light

            data["model"] = to_dict(preset(args.preset, data["data"]["dataset"]))
    if args.transforms is not None:
        from lab.augment import parse_transforms  # heavy: loaded on first use, to keep start-up light

        data["augment"]["transforms"] = to_dict(parse_transforms(args.transforms))
    overrides = {"epochs": args.epochs, "batch_size": args.batch_size, "lr": args.lr,
                 "optimizer": args.optimizer, "seed": args.seed, "device": args.device}
    for key, value in overrides.items():
        if value is not None:
            data["train"][key] = value
    if args.train_limit is not None:
        data["data"]["train_limit"] = args.train_limit
    if getattr(args, "classes", None) is not None:
        data["data"]["classes"] = args.classes
    if getattr(args, "init_from", None):
        from lab.train.transfer import cli_value  # heavy (torch): loaded on first use, to keep start-up light

        data["train"]["init_from"] = cli_value(args.init_from, store.root if store is not None else "runs")
    if getattr(args, "freeze", None) is not None:
        data["train"]["freeze"] = args.freeze
    for name in getattr(args, "breaks", None) or []:
        data.setdefault("breaks", {})[name] = True
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
                       + (f", {e['loop_fraction']:.0%} of its layers alone" if e.get("loop_fraction") else "")
                       + ("  *best" if e["best"] else ""))
        elif kind in ("overfitting", "diverged", "chance"):
            self._line(f"{kind}: {e['message']}")
        elif kind == "end":
            best = e.get("best_val_accuracy")
            self._line(f"{e['status']}: {e.get('epochs', 0)} epoch(s) in {e.get('seconds', 0):.1f} s"
                       + (f", best val accuracy {best:.2%}" if isinstance(best, float) and math.isfinite(best) else "")
                       + (f" - {e['message']}" if e.get("message") else ""))

    def _line(self, text: str) -> None:
        prefix = "\r" if self.stream.isatty() else ""
        self.stream.write(prefix + text + "\n")
        self.stream.flush()


def speed_line(speed: dict) -> str:
    """'speed: 0.25 M multiply-adds per image forward (0.69 M per training step), peak 41.3 G/s ...'."""
    from lab.train.speed import path_line  # heavy: torch; a run that prints this has loaded it already

    peak, alone = speed.get("peak_macs_per_sec"), speed.get("layers_images_per_sec")
    return (f"speed: {speed['macs_per_image'] / 1e6:.2f} M multiply-adds per image forward "
            f"({speed['train_macs_per_image'] / 1e6:.2f} M to train on it); this machine's peak for its convs "
            "and Linears " + (f"{peak / 1e9:.1f} G/s" if peak else "unknown")
            + (f", all its layers alone {alone:.0f} images/s" if alone else "")
            + f" on {path_line(speed)}" + ("" if speed.get("calibration_cached") else
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
                                          "seconds", "images_per_sec", "macs_per_sec", "peak_fraction",
                                          "loop_fraction")}
                   for e in history],
    }
    for key in ("best_epoch", "best_val_loss", "best_val_accuracy", "seconds",
                "images_per_sec", "macs_per_sec", "peak_macs_per_sec", "peak_fraction", "loop_fraction", "initial_check",
                "overfitting_epoch", "early_stopped", "error"):
        out[key] = s.get(key)
    out["seed"] = cfg.train.seed
    out["group"] = meta.get("group")
    out["expectation"] = meta.get("expectation")
    out["after_run"] = hindsight.as_records(hindsight.after_run(run_))
    speed = s.get("speed") or {}
    for key in ("macs_per_image", "train_macs_per_image", "layers_images_per_sec", "compute_dtype", "bf16_native",
                "cpu_features", "channels_last", "threads"):
        out[key] = speed.get(key)
    return out


def print_rules(cfg: ExperimentConfig, store, prepared=None) -> list[str]:
    """The course's rules for this run, one ``warning:`` line each on stderr (English).
    Without ``prepared`` data (``lab submit``) the images' shape comes from the config."""
    from lab.model.inputs import raw_image_shape  # heavy: loaded on first use, to keep start-up light
    from lab.train.rules import course_rules, english  # heavy: loaded on first use, to keep start-up light

    shape = raw_image_shape(prepared.splits if prepared is not None else cfg.data)
    lines = [english(f) for f in course_rules(cfg, progress(store), channels=shape[0], raw_shape=shape)]
    for line in lines:
        print(f"warning: {line}", file=sys.stderr)
    return lines


def overfit_batch(cfg: ExperimentConfig, store, prepared, args) -> int:
    """"Overfit one batch" in this process, kept as a job in the journal folder's .overfit/."""

    job = create_overfit_job(cfg, store.root)
    execute(job, "overfit", args.data_dir, prepared=prepared)
    summary = job.summary() or {}
    result = summary.get("overfit") or {}
    if summary.get("status") == "failed":
        print(f"error: {summary.get('error') or 'the run failed'}", file=sys.stderr)
        return 2
    print(f"overfit one batch: {result.get('message', '')}", file=sys.stderr)
    if args.json:
        print_json({"job_id": job.id, "reached": result.get("reached"), "steps": result.get("steps"),
                    "accuracy": result.get("accuracy"), "batch": result.get("batch")})
    return 0 if result.get("reached") else 1


def group_json(runs: list, configs: list[ExperimentConfig]) -> dict:
    """What ``--json`` prints for ``--seeds N`` (N > 1): every run, and the group's spread."""
    stats = group_stats(runs).get(runs[0].meta().get("group"))
    return {"group": stats.group if stats else None, "runs": [summary_json(r, c) for r, c in zip(runs, configs)],
            "val_accuracy_mean": stats.mean if stats else None, "val_accuracy_std": stats.std if stats else None}


def group_line(runs: list) -> str:
    stats = group_stats(runs).get(runs[0].meta().get("group"))
    if stats is None or stats.mean is None:
        return "no run of the group reached a validation accuracy"
    std = f" ± {100 * stats.std:.2f}" if stats.std is not None else ""
    return f"group {stats.group}: best val accuracy {100 * stats.mean:.2f}{std} % over {stats.n} seed(s)"


def exit_status(run_) -> int:
    """0 finished or stopped, 1 diverged, 2 failed (a config that could not start, a lost worker)."""
    status = run_.status
    return 1 if status == "diverged" else 2 if status == "failed" else 0


def group_plan(args, cfg: ExperimentConfig) -> tuple[list[ExperimentConfig], dict]:
    """The configs to train (one per seed) and the meta every run of them keeps."""
    meta = {}
    expected = expectation(args.expect, args.why)
    if expected:
        meta["expectation"] = expected
    if args.seeds > 1:
        meta.update(group=new_group_id(), group_size=args.seeds)
        return seed_configs(cfg, args.seeds), meta
    return [cfg], meta


def run_name(args, cfg: ExperimentConfig) -> str:
    if args.seeds <= 1:
        return args.name
    return f"{args.name} · seed {cfg.train.seed}" if args.name else f"seed {cfg.train.seed}"


def run(args) -> int:
    import torch  # heavy: loaded on first use, to keep start-up light

    from lab.train.session import prepare  # heavy: loaded on first use, to keep start-up light

    store = RunStore(journal_root(args))
    cfg = build_config(args, store)
    configs, meta = group_plan(args, cfg)
    threads = args.threads or int(os.environ.get("LAB_TORCH_THREADS") or 0)
    if threads > 0:
        torch.set_num_threads(threads)
    if args.threads:  # asked for: the run trains with it and records it (else the machine's, lab.train.numerics)
        meta["threads"] = args.threads
    prepared = prepare(configs[0], args.data_dir, store.root)  # a LabError now leaves no run folder behind
    for note in prepared.data.notes:
        print(f"note: {note} (using the bundled samples)", file=sys.stderr)
    for line in prepared.transfer.english() if prepared.transfer is not None else []:
        print(f"note: {line}", file=sys.stderr)
    print_rules(cfg, store, prepared)
    if args.overfit_batch:
        return overfit_batch(cfg, store, prepared, args)
    parent = store.latest_trained()  # every seed of a group is compared with the same run
    runs = []
    for i, c in enumerate(configs):
        if i:
            prepared = prepare(c, args.data_dir, store.root)  # the data is cached: only the model is new
            print(f"seed {c.train.seed} ({i + 1} of {len(configs)})", file=sys.stderr)
        run_ = store.create(c, parent=parent.id if parent else None, name=run_name(args, c), source="cli",
                            data_source=prepared.data.source, **meta)
        runs.append(run_)
        _train_in_process(run_, args, prepared)
        if run_.status in ("stopped", "failed"):
            break  # Ctrl+C (or a failure) ends the whole group
    if len(configs) > 1:
        print(group_line(runs), file=sys.stderr)
        if args.json:
            print_json(group_json(runs, configs[:len(runs)]))
        return max(exit_status(r) for r in runs)
    run_ = runs[0]
    if args.json:
        print_json(summary_json(run_, cfg))
    return exit_status(run_)


def _train_in_process(run_, args, prepared) -> None:
    """One run through the worker's own path (``lab.jobs.task.execute``), Ctrl+C stopping it cleanly."""
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
    if run_.status == "failed":
        print(f"error: {(run_.summary() or {}).get('error') or 'the run failed'}", file=sys.stderr)
    for finding in hindsight.after_run(run_):  # what only the finished run's numbers show
        print(f"after the run: {hindsight.english(finding)}", file=sys.stderr)
