"""``python -m lab submit``: put a run on the job queue, for a worker to train.

    python -m lab submit --dataset mnist --preset baseline --epochs 2
    python -m lab submit --config runs/<id>/config.json --lr 3e-4 --wait --json
    LAB_QUEUE=redis://10.0.0.5:6379/0 python -m lab submit ... --runs-dir /shared/runs

Takes the options of ``lab train`` (``--seeds N`` queues N runs as one group). Prints
the run id(s); ``--wait`` follows the runs until they end (progress on stderr) and, with
``--json``, prints the same object as ``lab train --json``. The classroom caps apply as
on the Training page.
"""

from __future__ import annotations

import sys
import time

from lab.cli import print_json
from lab.cli.train import (add_arguments as add_train_arguments, build_config, exit_status, group_json, group_line,
                           print_rules, summary_json)
from lab.cli._journal import journal_root
from lab.errors import keyed
from lab.i18n import translate
from lab.cli.messages import MESSAGES as CLI_MESSAGES
from lab.runs.expectations import expectation
from lab.paths import runs_dir
from lab.jobs.submit import JobTarget, submit_group
from lab.runs.store import RunStore

NAME = "submit"
HELP = "queue an experiment for a worker (the options of `train`); --wait follows it"


def add_arguments(parser) -> None:
    add_train_arguments(parser)
    parser.add_argument("--queue", help="the queue's URL (default: $LAB_QUEUE, else the embedded queue)")
    parser.add_argument("--wait", action="store_true", help="follow the run until it ends")


def run(args) -> int:

    root = runs_dir(args.runs_dir)  # where the queue and the workers are
    store = RunStore(journal_root(args))  # whose journal: in a classroom, --student's workspace
    if getattr(args, "overfit_batch", False):
        raise keyed(CLI_MESSAGES, "cli.overfit_submit")
    cfg = build_config(args, store)
    expected = expectation(args.expect, args.why)
    # a source that cannot load is refused now (one line), not by the worker later
    loads = transfer_preview(cfg, store.root) if cfg.train.transfer else []
    print_rules(cfg, store)  # the course's rules, as warnings: the run is queued all the same
    for line in loads:
        print(f"note: {line}", file=sys.stderr)
    parent = store.latest_trained()
    submitted = submit_group(cfg, store, args.seeds, expectation=expected, name=args.name,
                             parent=parent.id if parent else None, source="cli",
                             target=JobTarget(root, args.data_dir, args.queue))
    for capped in submitted[0].capped:
        # the cap's sentence with its numbers, not its catalogue key and a dict
        print(f"note: capped by the classroom limits: {translate(capped.key, 'en', **capped.params)}", file=sys.stderr)
    runs = [s.run for s in submitted]
    if not args.wait:
        for run_ in runs:
            print(run_.id)
        return 0
    for run_ in runs:
        _follow(run_)
    configs = [r.config() for r in runs]
    if args.json:
        print_json(summary_json(runs[0], configs[0]) if len(runs) == 1 else group_json(runs, configs))
    else:
        for run_ in runs:
            print(run_.id)
    if len(runs) > 1:
        print(group_line(runs), file=sys.stderr)
    return max(exit_status(r) for r in runs)


def transfer_preview(cfg, root) -> list[str]:
    """What the worker will load and freeze, in English (a keyed LabError when it cannot)."""
    from lab.model.inputs import input_shape, raw_image_shape  # heavy: loaded on first use, to keep start-up light
    from lab.runs.journal import num_classes  # heavy, as above
    from lab.train.transfer import preview  # heavy, as above

    shape = input_shape(cfg, raw_image_shape(cfg.data))
    return preview(cfg, root, shape, num_classes(cfg) or 10).english()


def _follow(run_) -> None:
    """Epoch lines on stderr until ``run_`` ends."""
    from lab.train.progress import read_progress  # heavy: loaded on first use, to keep start-up light

    print(f"queued {run_.id}", file=sys.stderr, flush=True)
    shown = 0
    while True:
        p = read_progress(run_)
        for e in p.epochs[shown:]:
            print(f"epoch {e['epoch']}/{e['epochs']}: train loss {e['train_loss']:.4f} | val loss "
                  f"{e['val_loss']:.4f} acc {e['val_accuracy']:.2%}", file=sys.stderr, flush=True)
        shown = len(p.epochs)
        if not p.active:
            break
        time.sleep(0.5)
    if run_.status == "failed":
        print(f"error: {(run_.summary() or {}).get('error') or 'the worker training it was lost'}", file=sys.stderr)
