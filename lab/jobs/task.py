"""The queue's one task: train (or overfit one batch on, or run the learning-rate range test
on) a job folder.

Both sides of the queue import this module: the producer (``lab.jobs.queue``) registers
``run_job`` under one name and the consumer (``lab.jobs.worker``) runs it, so a message
names a task both sides have. ``execute`` is also how ``lab train`` trains in its own
process, so the page's workers and the CLI follow one path from config to checkpoint.
"""

from __future__ import annotations

import contextlib
import sys
import threading
import time
import traceback
from pathlib import Path

from lab.errors import LabError, as_record
from lab.paths import runs_dir
from lab.runs.store import Run

# Set by ``serve`` in the consumer before it forks its worker processes.
SETTINGS = {"runs_root": None, "data_dir": None, "queue": "cpu", "threads": 0, "consumer": 0}
CURRENT: dict = {"run": None, "since": None}  # what this worker process trains now


def run_job(rel_path: str, kind: str = "train", data_dir: str | None = None) -> None:
    """The queue's one task: train (or overfit one batch on) the job folder ``rel_path``.

    Every outcome lands in the job folder's ``summary.json``; nothing is raised to the
    queue, which has no one to tell.
    """
    root = Path(SETTINGS["runs_root"] or runs_dir())
    run = Run(root / rel_path)
    if not (run.dir / "config.json").is_file() or run.summary() is not None:
        return  # deleted while it waited, or already done (a message delivered twice)
    CURRENT.update(run=rel_path, since=time.time())
    try:
        execute(run, kind, SETTINGS["data_dir"] or data_dir)
    except LabError as exc:  # the run could not even record its failure (a full disk): one line in the log
        print(f"lab worker: run {rel_path}: {exc}", file=sys.stderr, flush=True)
    except OSError:  # the folder vanished under it (stopped while queued, deleted): nothing to tell
        traceback.print_exc()
    finally:
        CURRENT.update(run=None, since=None)


def execute(run: Run, kind: str = "train", data_dir: str | None = None, *, listeners=(), prepared=None) -> None:
    """Train ``run`` from the config in its folder, heartbeat and stop file included.

    Used by the worker and by ``lab train`` (in its own process, which passes the
    ``prepared`` data it already checked), so both follow the same path from config to
    checkpoint.
    """
    # the engine (torch) loads when a job runs, not when a page or the queue imports this module
    from lab.train.progress import Heartbeat
    from lab.train.report import PeriodicReport, final_report  # start-up, as above
    from lab.train.session import overfit, prepare  # start-up, as above
    from lab.train.lr_find import lr_find  # start-up, as above
    from lab.train.session import run as train_run  # start-up, as above
    from lab.train.numerics import held_threads, record, run_threads  # start-up, as above

    stop = threading.Event()
    # the run's thread count, not this process's: the same numbers from every trainer (lab.train.numerics)
    with held_threads(run_threads(run.meta())), Heartbeat(run, stop, queue=SETTINGS["queue"]) as beat:
        if run.stop_requested():
            run.write_summary({"status": "stopped", "reason": "train.stopped", "epochs": 0})
            return
        run.update_meta(status="running", worker=beat.worker)
        try:
            run.update_meta(numerics=record(run.config()))
            prepared = prepared or prepare(run.config(), data_dir, workspace=run.dir.parent)
        except LabError as exc:  # the experiment cannot start: say why, keep it out of parenthood
            run.write_summary({"status": "failed", "reason": "run.failed_start", "error": str(exc), "epochs": 0,
                               **as_record(exc)})
            return
        except Exception as exc:
            traceback.print_exc()
            run.write_summary({"status": "failed", "reason": "run.failed_start",
                               "error": f"{type(exc).__name__}: {exc}", "epochs": 0})
            return
        try:
            if kind == "overfit":
                result = overfit(prepared, listeners=(beat, *listeners))
                run.write_summary({"status": "finished", "reason": "", "overfit": _plain(result)})
                return
            if kind == "lr_find":  # the range test: a result in the job folder, no run, no checkpoint
                result = lr_find(prepared, listeners=(beat, *listeners), stop=stop)
                run.write_summary({"status": "finished", "reason": "", "lr_find": result})
                return
            every = int(run.meta().get("report_every") or 2)
            result = train_run(prepared, run, listeners=(beat, PeriodicReport(run, prepared, every), *listeners),
                               stop=stop)
            final_report(run, prepared, result)
        except LabError as exc:  # the engine wrote the failed summary; keep the message
            if not _ensure_failed(run, str(exc), as_record(exc)):
                raise  # not even the summary fits on the disk: the caller says it (the CLI's one line)
        except Exception as exc:
            traceback.print_exc()
            _ensure_failed(run, f"{type(exc).__name__}: {exc}")


def _ensure_failed(run: Run, message: str, record: dict | None = None) -> bool:
    """Make the run's summary say it failed, and why; False when the summary cannot be written."""
    summary = run.summary() or {}
    if summary.get("status") != "failed" or not summary.get("error"):
        with contextlib.suppress(OSError, LabError):  # a disk still full: the engine's own summary stands
            run.write_summary({**summary, "status": "failed", "reason": summary.get("reason") or "run.failed",
                               "error": message[:500], "epochs": summary.get("epochs", len(run.epochs())),
                               **(record or {})})
    return run.status == "failed"


def _plain(obj):
    """The overfit result as JSON-able values (tensors and tuples to lists)."""
    import torch  # start-up: see execute

    if isinstance(obj, dict):
        return {str(k): _plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_plain(v) for v in obj]
    if isinstance(obj, torch.Tensor):
        return obj.tolist()
    return obj
