"""Background jobs for a shared server: a process-wide queue with a cap on concurrency.

A page hands the runner a callable; the runner starts it in its own daemon thread as
soon as fewer than ``max_concurrent`` jobs are running, else keeps it in a FIFO queue
whose waiting jobs can read their position. The page only ever holds a job *id* (in
its session), so a student can leave the page and come back to a run still going.
The job thread never touches Streamlit: it reports events to its ``Job``, and the page
polls ``Job.snapshot()``, a copy taken under the job's lock.

Classroom caps come from the environment (README "Environment variables"):

    LAB_MAX_CONCURRENT_RUNS      runs training at once in this process (default 2)
    LAB_TORCH_THREADS            torch intra-op threads (default max(1, cores // cap))
    LAB_MAX_EPOCHS               most epochs a run may ask for (0 = no cap)
    LAB_MAX_TRAIN_SIZE           most training images a run may use (0 = no cap)
    LAB_MAX_RUNS_PER_WORKSPACE   most runs kept in one workspace's journal (0 = no cap)

Torch threads: ``torch.set_num_threads`` is process-global (every thread's OpenMP team
takes the global value when it first runs a parallel op), so setting it per job would
race between jobs. The runner sets it once, when the process-wide runner is created,
to ``LAB_TORCH_THREADS``; with ``cap`` jobs running the process then uses about
``cap * threads`` cores, which the default keeps at the machine's core count.
"""

from __future__ import annotations

import copy
import math
import os
import secrets
import threading
import time
import traceback
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Callable

from lab.errors import LabError

ACTIVE = ("queued", "running")
DONE = ("finished", "stopped", "diverged", "failed")
BATCH_HISTORY = 2000  # per-batch losses kept for the live curve (a few floats each)
KEEP_FINISHED_S = 3600.0  # finished jobs stay readable this long after they end


# --- caps -------------------------------------------------------------------------

def _env_int(name: str, default: int, env: dict | None = None) -> int:
    raw = (env if env is not None else os.environ).get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise LabError(f"{name}={raw!r}: expected a whole number") from None
    if value < 0:
        raise LabError(f"{name}={raw!r}: must be 0 or more")
    return value


@dataclass(frozen=True)
class Caps:
    max_concurrent_runs: int = 2
    torch_threads: int = 1
    max_epochs: int = 0  # 0 = no cap (the config itself allows 1..500)
    max_train_size: int = 0  # training images; 0 = no cap
    max_runs_per_workspace: int = 0  # 0 = no cap

    @classmethod
    def from_env(cls, env: dict | None = None) -> "Caps":
        cores = os.cpu_count() or 1
        cap = max(1, _env_int("LAB_MAX_CONCURRENT_RUNS", 2, env))
        threads = _env_int("LAB_TORCH_THREADS", 0, env) or max(1, cores // cap)
        return cls(
            max_concurrent_runs=cap, torch_threads=threads,
            max_epochs=_env_int("LAB_MAX_EPOCHS", 0, env),
            max_train_size=_env_int("LAB_MAX_TRAIN_SIZE", 0, env),
            max_runs_per_workspace=_env_int("LAB_MAX_RUNS_PER_WORKSPACE", 0, env),
        )


@dataclass(frozen=True)
class Capped:
    """One value a cap changed; ``key`` is a text-catalogue key, ``params`` fill it."""

    key: str
    params: dict


class CapError(LabError):
    """A request the classroom caps refuse outright; ``key``/``params`` for the page's text."""

    def __init__(self, message: str, key: str, **params):
        super().__init__(message)
        self.key, self.params = key, params


def apply_caps(config, caps: Caps, available: int | None = None):
    """A copy of the ExperimentConfig ``config`` within ``caps``, and what was changed.

    Epochs above the cap are lowered; a training set larger than the cap (or "all",
    ``train_limit`` 0) is limited to the cap. ``available``: training images the split
    holds, when known; a set already within the cap is then left alone (and not
    reported as capped). The caller's config is not modified.
    """
    out = copy.deepcopy(config)
    changed: list[Capped] = []
    if caps.max_epochs and out.train.epochs > caps.max_epochs:
        changed.append(Capped("training.capped_epochs", {"asked": out.train.epochs, "cap": caps.max_epochs}))
        out.train.epochs = caps.max_epochs
    limit = out.data.train_limit
    wanted = available if limit == 0 and available is not None else (limit or None)
    if caps.max_train_size and (wanted is None or wanted > caps.max_train_size):
        changed.append(Capped("training.capped_train_size", {"asked": limit or "all", "cap": caps.max_train_size}))
        out.data.train_limit = caps.max_train_size
    return out, changed


def check_run_quota(runs_in_workspace: int, caps: Caps) -> None:
    """Refuse a new run when the workspace's journal already holds the most allowed."""
    cap = caps.max_runs_per_workspace
    if cap and runs_in_workspace >= cap:
        raise CapError(
            f"this workspace already holds {runs_in_workspace} runs (the limit is {cap}): "
            "delete old runs in the journal first", "training.quota_runs", n=runs_in_workspace, cap=cap)


# --- progress -----------------------------------------------------------------------

@dataclass
class Progress:
    """What the page draws; a plain copy, safe to read in the script thread."""

    status: str = "queued"  # queued | running | finished | stopped | diverged | failed
    position: int = 0  # 1 = next to start; 0 when not queued
    epochs_total: int = 0
    epochs: list[dict] = field(default_factory=list)  # the engine's "epoch" events
    batches: list[tuple[float, float]] = field(default_factory=list)  # (epoch as a fraction, loss)
    batch: dict = field(default_factory=dict)  # the last "batch" event
    start: dict = field(default_factory=dict)
    checks: list[dict] = field(default_factory=list)  # "check" events (initial loss...)
    overfitting: dict | None = None
    diverged: dict | None = None
    end: dict | None = None
    last_event: str = ""
    reports: list[dict] = field(default_factory=list)  # the latest validation report (lab.ui.training_report)
    error: str = ""
    elapsed_s: float = 0.0
    eta_s: float | None = None
    queued_at: float = 0.0
    started_at: float | None = None
    ended_at: float | None = None

    @property
    def active(self) -> bool:
        return self.status in ACTIVE

    @property
    def fraction(self) -> float:
        """Share of the planned work done, 0..1 (epochs, refined by the batch within one)."""
        if self.status in DONE:
            return 1.0
        if not self.epochs_total:
            return 0.0
        done = float(len(self.epochs))
        per_epoch = self.batch.get("batches") or self.start.get("steps_per_epoch")
        if per_epoch and self.batch.get("epoch", 0) > len(self.epochs):
            done += min(1.0, self.batch.get("batch", 0) / per_epoch)
        return min(1.0, done / self.epochs_total)


def _batch_position(event: dict, start: dict) -> float:
    """Where a batch event sits on the epoch axis: epoch 1's batch 50 of 100 -> 0.5."""
    per_epoch = event.get("batches") or start.get("steps_per_epoch")
    epoch = event.get("epoch", 1)
    if per_epoch and "batch" in event:
        return (epoch - 1) + event["batch"] / per_epoch
    return float(event.get("step", epoch))


class Job:
    """One piece of work in the runner. Its thread calls ``fn(job)``; ``fn`` reports
    events with ``job.report(event)``, watches ``job.stop_event``, and returns a result."""

    def __init__(self, fn: Callable[["Job"], Any], *, name: str = "", owner: str = "", kind: str = "train",
                 epochs_total: int = 0, meta: dict | None = None):
        self.id = secrets.token_hex(6)
        self.fn, self.name, self.owner, self.kind = fn, name, owner, kind
        self.meta = dict(meta or {})  # e.g. the run id; read-only after submit
        self.stop_event = threading.Event()
        self.result: Any = None
        self._lock = threading.Lock()
        self._p = Progress(epochs_total=epochs_total, queued_at=time.time())
        self._runner: "JobRunner | None" = None

    # --- called from the job's thread ---------------------------------------------
    def report(self, event: dict) -> None:
        """Record one engine event (a listener for ``lab.train.train``)."""
        kind = event.get("event", "")
        with self._lock:
            p = self._p
            p.last_event = kind
            if kind == "start":
                p.start = dict(event)
                p.epochs_total = int(event.get("epochs") or p.epochs_total)
            elif kind in ("batch", "overfit_step"):
                p.batch = dict(event)
                if isinstance(event.get("loss"), (int, float)):
                    p.batches.append((_batch_position(event, p.start), float(event["loss"])))
                    del p.batches[:-BATCH_HISTORY]
            elif kind == "epoch":
                p.epochs.append(dict(event))
            elif kind == "check":
                p.checks.append(dict(event))
            elif kind == "overfitting":
                p.overfitting = p.overfitting or dict(event)  # the epoch it *starts*
            elif kind == "diverged":
                p.diverged = dict(event)
            elif kind == "end":
                p.end = dict(event)
            elif kind == "report":
                p.reports = [dict(event)]  # the latest only: every poll copies it, images included

    # --- read from anywhere -----------------------------------------------------------
    def snapshot(self) -> Progress:
        with self._lock:
            p = copy.deepcopy(self._p)
        runner = self._runner
        if p.status == "queued" and runner is not None:
            p.position = runner.position(self.id)
        now = p.ended_at or time.time()
        if p.started_at is not None:
            p.elapsed_s = now - p.started_at
            done = p.fraction
            if p.status == "running" and 0 < done < 1:
                p.eta_s = p.elapsed_s * (1 - done) / done
        return p

    @property
    def status(self) -> str:
        with self._lock:
            return self._p.status

    def stop(self) -> None:
        """Ask the job to end after its current batch; a queued job never starts."""
        self.stop_event.set()
        runner = self._runner
        if runner is not None:
            runner._drop_queued(self)

    # --- the runner's side ---------------------------------------------------------
    def _set(self, **fields) -> None:
        with self._lock:
            for k, v in fields.items():
                setattr(self._p, k, v)

    def _run(self) -> None:
        self._set(status="running", started_at=time.time())
        try:
            self.result = self.fn(self)
            status = _final_status(self)
            self._set(status=status, ended_at=time.time())
        except BaseException as exc:  # a failing job must never take the server down
            message = str(exc) if isinstance(exc, LabError) else f"{type(exc).__name__}: {exc}"
            self._set(status="failed", error=message or type(exc).__name__, ended_at=time.time())
            if not isinstance(exc, LabError):
                traceback.print_exc()


def _final_status(job: Job) -> str:
    """finished, or what the engine's last event or a stop request says."""
    with job._lock:
        p = job._p
        end_status = (p.end or {}).get("status")
        diverged = p.diverged is not None
    if end_status in DONE:
        return end_status
    if diverged:
        return "diverged"
    result_status = getattr(job.result, "status", None)
    if result_status in DONE:
        return result_status
    return "stopped" if job.stop_event.is_set() else "finished"


# --- the runner -----------------------------------------------------------------------

class JobRunner:
    """Runs at most ``max_concurrent`` jobs at once; the rest wait in FIFO order."""

    def __init__(self, max_concurrent: int = 2):
        if max_concurrent < 1:
            raise ValueError("max_concurrent must be at least 1")
        self.max_concurrent = max_concurrent
        self._lock = threading.Lock()
        self._queue: deque[Job] = deque()
        self._running: set[str] = set()
        self._jobs: dict[str, Job] = {}

    def submit(self, fn: Callable[[Job], Any], **kwargs) -> Job:
        """Queue ``fn`` as a new job and start it at once if a slot is free."""
        job = Job(fn, **kwargs)
        job._runner = self
        with self._lock:
            self._prune()
            self._jobs[job.id] = job
            self._queue.append(job)
        self._pump()
        return job

    def get(self, job_id: str | None) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id) if job_id else None

    def jobs(self, owner: str | None = None, active: bool | None = None) -> list[Job]:
        with self._lock:
            jobs = list(self._jobs.values())
        return [j for j in jobs if (owner is None or j.owner == owner)
                and (active is None or (j.status in ACTIVE) == active)]

    def position(self, job_id: str) -> int:
        """1-based place in the queue (1 starts next); 0 when the job is not waiting."""
        with self._lock:
            for i, job in enumerate(self._queue):
                if job.id == job_id:
                    return i + 1
        return 0

    def counts(self) -> tuple[int, int]:
        """(running, queued) right now, over every session of this process."""
        with self._lock:
            return len(self._running), len(self._queue)

    def _drop_queued(self, job: Job) -> None:
        with self._lock:
            if job in self._queue:
                self._queue.remove(job)
                job._set(status="stopped", ended_at=time.time())

    def _pump(self) -> None:
        """Start queued jobs while slots are free (called on submit and when a job ends)."""
        while True:
            with self._lock:
                if len(self._running) >= self.max_concurrent or not self._queue:
                    return
                job = self._queue.popleft()
                self._running.add(job.id)
            threading.Thread(target=self._work, args=(job,), name=f"lab-job-{job.id}", daemon=True).start()

    def _work(self, job: Job) -> None:
        try:
            job._run()
        finally:
            with self._lock:
                self._running.discard(job.id)
            self._pump()

    def _prune(self) -> None:
        """Forget jobs that ended long ago (their results live in the sessions that made them)."""
        now = time.time()
        for job_id, job in list(self._jobs.items()):
            ended = job._p.ended_at
            if ended is not None and now - ended > KEEP_FINISHED_S:
                del self._jobs[job_id]


_RUNNER: JobRunner | None = None
_RUNNER_LOCK = threading.Lock()


def runner() -> JobRunner:
    """The process-wide runner, created on first use from the environment's caps.

    Creating it also sets torch's (process-global) thread count once; see the module doc.
    """
    global _RUNNER
    with _RUNNER_LOCK:
        if _RUNNER is None:
            caps = Caps.from_env()
            configure_torch_threads(caps.torch_threads)
            _RUNNER = JobRunner(caps.max_concurrent_runs)
        return _RUNNER


def configure_torch_threads(threads: int) -> None:
    import torch

    if threads >= 1 and torch.get_num_threads() != threads:
        torch.set_num_threads(threads)


def format_seconds(seconds: float | None) -> str:
    """12 -> '0:12', 754 -> '12:34', 3700 -> '1:01:40'; None or NaN -> '–'."""
    if seconds is None or not math.isfinite(seconds):
        return "–"
    s = int(round(seconds))
    h, rest = divmod(s, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"
