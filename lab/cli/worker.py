"""``python -m lab worker``: train the runs waiting on the queue, on this machine.

    python -m lab worker                                  # the embedded queue beside runs/
    python -m lab worker --queue redis://10.0.0.5:6379/0 --runs-dir /shared/runs --workers 2
    python -m lab worker --queue redis://... --queue-name gpu   # a GPU box: runs asking for cuda

Each worker process trains one run at a time with ``--threads`` torch threads, keeps
its datasets in memory between runs, and rewrites a heartbeat in the run folder every
second. Ctrl+C stops the workers (a run in progress reads "failed: worker lost").
"""

from __future__ import annotations

import argparse

from lab.cli import add_data_dir
from lab.classroom.caps import physical_cores
from lab.cli._args import bounded_int, threads_arg
import os
from lab.classroom.caps import Caps
from lab.cli.messages import MESSAGES as CLI_MESSAGES
from lab.errors import keyed
from lab.jobs.worker import hold_lock_file, serve

NAME = "worker"
HELP = "start training workers that take runs off the job queue"


def add_arguments(parser) -> None:
    parser.add_argument("--queue", help="the queue's URL (default: $LAB_QUEUE, else the embedded queue)")
    parser.add_argument("--queue-name", default="cpu", choices=("cpu", "gpu"),
                        help="which queue to serve: runs asking for device=cuda go to gpu")
    parser.add_argument("--workers", type=bounded_int(1, 256), help="worker processes (default: $LAB_WORKERS, else cores // threads)")
    parser.add_argument("--threads", type=threads_arg, help="torch threads per worker (default: $LAB_TORCH_THREADS, "
                                                    "else cores // workers)")
    parser.add_argument("--runs-dir", help="the runs folder the web servers write (default: $LAB_RUNS_DIR or runs/)")
    parser.add_argument("--nice", type=bounded_int(0, 19), default=0,
                        help="lower this worker's CPU priority (0-19): on a machine that also serves the "
                             "pages, the web server then answers first (the app starts its own with "
                             "$LAB_WORKER_NICE, default 5)")
    add_data_dir(parser)
    # how the app starts its own local workers (lab.jobs.worker.ensure_local_workers)
    parser.add_argument("--parent-pid", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--lock-fd", type=int, help=argparse.SUPPRESS)  # held open for life, never read
    parser.add_argument("--lock-file", help=argparse.SUPPRESS)  # no fd to inherit (Windows): take it here


def run(args) -> int:

    caps = Caps.from_env()
    workers = args.workers if args.workers is not None else caps.workers
    if workers < 1:
        raise keyed(CLI_MESSAGES, "cli.workers", n=workers)
    if args.threads is not None and args.threads < 1:
        raise keyed(CLI_MESSAGES, "cli.threads", n=args.threads)
    threads = args.threads or (caps.torch_threads if os.environ.get("LAB_TORCH_THREADS")
                               else max(1, physical_cores() // workers))
    lock = hold_lock_file(args.lock_file) if args.lock_file else None  # held until serve returns
    if args.lock_file and lock is None:
        return 0  # another set of local workers took the lock first: they serve this folder
    if args.nice and hasattr(os, "nice"):  # POSIX; Windows workers run at normal priority
        os.nice(args.nice)  # before the worker processes fork: they inherit it
    try:
        return serve(workers=workers, runs_root=args.runs_dir, data_dir=args.data_dir, queue_url=args.queue,
                     queue_name=args.queue_name, threads=threads, parent_pid=args.parent_pid)
    except KeyboardInterrupt:
        return 0
