"""``python -m lab submit``: put a run on the job queue, for a worker to train.

    python -m lab submit --dataset mnist --preset baseline --epochs 2
    python -m lab submit --config runs/<id>/config.json --lr 3e-4 --wait --json
    LAB_QUEUE=redis://10.0.0.5:6379/0 python -m lab submit ... --runs-dir /shared/runs

Takes the options of ``lab train``. Prints the run id; ``--wait`` follows the run until
it ends (progress on stderr) and, with ``--json``, prints the same object as ``lab
train --json``. The classroom caps apply as on the Training page.
"""

from __future__ import annotations

import sys
import time

from lab.cli import print_json
from lab.cli.train import add_arguments as add_train_arguments, build_config, exit_status, print_rules, summary_json
from lab.errors import LabError
from lab.paths import runs_dir

NAME = "submit"
HELP = "queue an experiment for a worker (the options of `train`); --wait follows it"


def add_arguments(parser) -> None:
    add_train_arguments(parser)
    parser.add_argument("--queue", help="the queue's URL (default: $LAB_QUEUE, else the embedded queue)")
    parser.add_argument("--wait", action="store_true", help="follow the run until it ends")


def run(args) -> int:
    from lab.caps import CapError
    from lab.jobs import submit_training
    from lab.runs import RunStore
    from lab.train.progress import read_progress

    root = runs_dir(args.runs_dir)
    store = RunStore(root)
    if getattr(args, "overfit_batch", False):
        raise LabError("--overfit-batch runs in this process: use lab train --overfit-batch")
    cfg = build_config(args, store)
    print_rules(cfg, store)  # the course's rules, as warnings: the run is queued all the same
    parent = store.latest_trained()
    try:
        submitted = submit_training(cfg, store, name=args.name, parent=parent.id if parent else None, source="cli",
                                    runs_root=root, data_dir=args.data_dir, queue_url=args.queue)
    except CapError:
        raise
    run_ = submitted.run
    for capped in submitted.capped:
        print(f"note: capped by the classroom limits: {capped.key} {capped.params}", file=sys.stderr)
    if not args.wait:
        print(run_.id)
        return 0
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
    if args.json:
        print_json(summary_json(run_, cfg))
    else:
        print(run_.id)
    return exit_status(run_)
