"""A run's live state through its folder: the trainer writes it, anyone reads it.

``Heartbeat`` is used by whoever trains a run (a worker process, ``lab train``): a
listener that remembers the latest batch and the recent batch losses, and a daemon
thread that rewrites ``progress.json`` about once a second with a timestamp (the
heartbeat that makes the run "running", see ``lab.runs.store``) and turns the run folder's
``stop`` file into the engine's stop event. It is a thread of its own, so a slow batch
never looks like a lost worker.

``read_progress`` is what the pages call: one plain ``Progress`` built from the run
folder alone (meta, progress, metrics, summary, report), so a refresh, another page,
another web server or a restarted one all see the same run.
"""

from __future__ import annotations

import math
import os
import socket
import threading
import time
from dataclasses import dataclass, field

from lab.runs.store import ACTIVE, Run

BATCH_HISTORY = 2000  # per-batch losses kept for the live curve (a few floats each)
BEAT_S = 1.0  # how often progress.json is rewritten
STOP_POLL_S = 0.2  # how often the beat thread looks at the stop file (batches look at every step)


def worker_id() -> str:
    """host:pid of this process: who trains a run, shown to the teacher."""
    return f"{socket.gethostname()}:{os.getpid()}"


def batch_position(event: dict, start: dict) -> float:
    """Where a batch event sits on the epoch axis: epoch 1's batch 50 of 100 -> 0.5."""
    per_epoch = event.get("batches") or start.get("steps_per_epoch")
    epoch = event.get("epoch", 1)
    if per_epoch and "batch" in event:
        return (epoch - 1) + event["batch"] / per_epoch
    return float(event.get("step", epoch))


class Heartbeat:
    """Context manager + listener: keeps ``progress.json`` fresh while a run trains."""

    def __init__(self, run: Run, stop: threading.Event | None = None, worker: str | None = None,
                 queue: str = ""):
        self.run, self.stop = run, stop or threading.Event()
        self.worker, self.queue = worker or worker_id(), queue
        self._lock = threading.Lock()
        self._start: dict = {}
        self._batch: dict = {}
        self._batches: list[tuple[float, float]] = []
        self._epoch = 0
        self._stop_seen: dict = {}
        self._started = time.time()
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"heartbeat-{run.id}", daemon=True)

    # --- listener (training thread) ------------------------------------------------
    def __call__(self, event: dict) -> None:
        kind = event.get("event")
        with self._lock:
            if kind == "start":
                self._start = {k: event.get(k) for k in ("epochs", "steps_per_epoch", "sizes", "device", "parameters",
                                                          "classes", "mixed_precision", "input_shape",
                                                          "speed")}
            elif kind in ("batch", "overfit_step", "lr_find_step"):
                self._batch = dict(event)
                if not self.stop.is_set() and self.run.stop_requested():  # one stat per batch
                    self.stop.set()  # the loop ends right after this batch
                    self._stop_seen = {"step": event.get("step"), "at": time.time()}
                if isinstance(event.get("loss"), (int, float)):
                    self._batches.append((batch_position(event, self._start), float(event["loss"])))
                    del self._batches[:-BATCH_HISTORY]
            elif kind == "epoch":
                self._epoch = int(event.get("epoch", 0))

    # --- the beat (its own thread) ----------------------------------------------------
    def __enter__(self) -> "Heartbeat":
        self.write()
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._done.set()
        self._thread.join(timeout=5)
        self.write()

    def _beat(self) -> None:
        last = 0.0
        while not self._done.wait(STOP_POLL_S):
            if not self.stop.is_set() and self.run.stop_requested():
                with self._lock:
                    self._stop_seen = {"step": self._batch.get("step"), "at": time.time(), "between_batches": True}
                self.stop.set()
            if time.monotonic() - last >= BEAT_S:
                last = time.monotonic()
                try:
                    self.write()
                except OSError:  # a full or vanished disk: the run will read "lost", which it is
                    pass

    def write(self) -> None:
        with self._lock:
            data = {"heartbeat": time.time(), "worker": self.worker, "queue": self.queue,
                    "started_at": self._started, "start": self._start, "batch": self._batch,
                    "epoch": self._epoch, "batches": list(self._batches), "stop_seen": self._stop_seen}
        self.run.write_progress(data)


@dataclass
class Progress:
    """What the page draws of one run, read from its folder."""

    run_id: str
    status: str = "queued"  # queued | running | finished | stopped | diverged | failed
    reason: str = ""  # a catalogue key (run.worker_lost, run.failed_start, train.stopped, ...)
    error: str = ""  # the message of a run that failed (English)
    error_key: str = ""  # its catalogue key, when the engine keyed it, and the key's parameters
    error_params: dict = field(default_factory=dict)
    position: int = 0  # 1 = next to start; 0 when not queued
    epochs_total: int = 0
    epochs: list[dict] = field(default_factory=list)  # the engine's "epoch" events
    batches: list[tuple[float, float]] = field(default_factory=list)  # (epoch as a fraction, loss)
    batch: dict = field(default_factory=dict)  # the last "batch" event
    steps: list[dict] = field(default_factory=list)  # metrics.jsonl's "step" events: training points within epochs
    start: dict = field(default_factory=dict)
    checks: list[dict] = field(default_factory=list)  # "check" events (initial loss...)
    overfitting: dict | None = None
    chance: dict | None = None  # validation accuracy still at chance (lab.train.checks.at_chance)
    diverged: dict | None = None
    end: dict | None = None  # the summary, once the run ended
    report: dict | None = None  # the latest validation report (lab.train.report)
    worker: str = ""
    elapsed_s: float = 0.0
    eta_s: float | None = None
    meta: dict = field(default_factory=dict)

    @property
    def active(self) -> bool:
        return self.status in ACTIVE

    @property
    def fraction(self) -> float:
        """Share of the planned work done, 0..1 (epochs, refined by the batch within one)."""
        if not self.active:
            return 1.0
        if not self.epochs_total:
            return 0.0
        done = float(len(self.epochs))
        per_epoch = self.batch.get("batches") or self.start.get("steps_per_epoch")
        if per_epoch and self.batch.get("epoch", 0) > len(self.epochs):
            done += min(1.0, self.batch.get("batch", 0) / per_epoch)
        return min(1.0, done / self.epochs_total)


def read_progress(run: Run, position: int = 0) -> Progress:
    """The run's state now. ``position``: its place in the queue, when the caller knows it."""
    status, reason = run.state()
    meta = run.meta()
    summary = run.summary() or {}
    live = run.progress() or {}
    p = Progress(run_id=run.id, status=status, reason=reason, meta=meta, worker=live.get("worker", ""),
                 position=position if status == "queued" else 0)
    p.error = summary.get("error", "") if status == "failed" else ""
    if status == "failed" and isinstance(summary.get("error_key"), str) and isinstance(summary.get("error_params"), dict):
        p.error_key, p.error_params = summary["error_key"], summary["error_params"]
    p.start = live.get("start") or {}
    p.batch = live.get("batch") or {}
    p.batches = [tuple(b) for b in live.get("batches") or []]
    for event in run.events():
        kind = event.get("event")
        if kind == "start":
            p.start = p.start or event
        elif kind == "epoch":
            p.epochs.append(event)
        elif kind == "step":
            p.steps.append(event)
        elif kind == "check":
            p.checks.append(event)
        elif kind == "overfitting":
            p.overfitting = p.overfitting or event  # the epoch it *starts*
        elif kind == "chance":
            p.chance = p.chance or event
        elif kind == "diverged":
            p.diverged = event
    try:
        planned = int(run.config().train.epochs)
    except Exception:  # a config written by another version: the live events still say
        planned = 0
    p.epochs_total = int(p.start.get("epochs") or planned)
    p.end = summary or None
    p.report = run.report()
    started = live.get("started_at")
    if started:
        now = time.time() if p.active else float(live.get("heartbeat") or time.time())
        p.elapsed_s = max(0.0, now - float(started))
        done = p.fraction
        if p.status == "running" and 0 < done < 1:
            p.eta_s = p.elapsed_s * (1 - done) / done
    if summary.get("seconds") is not None and not p.active and math.isfinite(summary["seconds"]):
        p.elapsed_s = float(summary["seconds"])
    return p


def format_seconds(seconds: float | None) -> str:
    """12 -> '0:12', 754 -> '12:34', 3700 -> '1:01:40'; None or NaN -> '–'."""
    if seconds is None or not math.isfinite(seconds):
        return "–"
    s = int(round(seconds))
    h, rest = divmod(s, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"
