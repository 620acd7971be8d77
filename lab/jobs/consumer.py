"""Huey's consumer, quiet when the queue is down.

Huey's own worker logs a traceback for every failed read of the queue and retries
within ``max_delay`` (0.5 s here, so a new run starts at once): a Redis that is down
made ``lab worker`` print 110 tracebacks in 20 s and the app's local-workers log grow
9 KB/s. Here a failed read backs off exponentially (1 s, 2 s, 4 s ... capped at
``BACKOFF_MAX_S``) and the first worker process says so in ONE line when the queue
goes down and one when it is back; the scheduler (the lab schedules nothing) waits
in silence. Nothing else of Huey changes: a task read is executed exactly as Huey does.
"""

from __future__ import annotations

import sys

from huey.consumer import Consumer, Scheduler, Worker

from lab.errors import english
from lab.jobs.messages import MESSAGES
from lab.jobs.queue import redact, redact_url

BACKOFF_FIRST_S = 1.0
BACKOFF_MAX_S = 15.0  # a run queued while the queue was down starts at most this long after it is back


class QueueWatch:
    """Whether one process can read the queue, the wait before its next try, and the one
    line per change of state (``speak``: this process is the one that tells)."""

    def __init__(self, url: str, speak: bool = True, stream=None):
        self.url, self.speak, self.stream = url, speak, stream
        self.down = False
        self.delay = BACKOFF_FIRST_S

    def failed(self, exc: BaseException) -> float:
        """The queue did not answer: how long to wait before the next try."""
        if not self.down:
            self.down = True
            error = redact(f"{type(exc).__name__}: {exc}", self.url)
            self._say("queue.worker_down", url=redact_url(self.url), error=error, cap=int(BACKOFF_MAX_S))
            return self.delay
        self.delay = min(BACKOFF_MAX_S, self.delay * 2)
        return self.delay

    def answered(self) -> None:
        if self.down:
            self.down, self.delay = False, BACKOFF_FIRST_S
            self._say("queue.worker_back", url=redact_url(self.url))

    def _say(self, key: str, **params) -> None:
        if self.speak:
            print("lab worker: " + english(MESSAGES, key, params), file=self.stream or sys.stderr, flush=True)


class QuietWorker(Worker):
    """Huey's worker, with the queue's outages handled by a ``QueueWatch``."""

    watch: QueueWatch

    def loop(self, now=None):
        try:
            task = self.huey.dequeue()
        except Exception as exc:  # the queue is down: back off, one line per change of state
            self.stop_flag.wait(self.watch.failed(exc))
            return
        self.watch.answered()
        if task is not None:
            self.delay = self.default_delay
            self.task_count += 1
            try:
                self.huey.execute(task, now)
            except Exception:
                self._logger.exception("Unhandled error during execution of task %s.", task.id)
        elif not self.huey.storage.blocking:
            self.sleep()


class QuietScheduler(Scheduler):
    """Huey's scheduler (tasks with an ETA; the lab queues none), silent while the queue is down."""

    watch: QueueWatch

    def loop(self, now=None):
        try:
            due = self.huey.read_schedule(now)
            for task in due:
                self.huey.enqueue(task)
        except Exception as exc:  # the workers say it; the scheduler only waits longer
            self.stop_flag.wait(self.watch.failed(exc))
            return
        self.watch.answered()
        self.stop_flag.wait(self.interval)


class QuietConsumer(Consumer):
    """A Huey consumer whose first worker process speaks for the queue's state."""

    worker_class = QuietWorker
    scheduler_class = QuietScheduler

    def __init__(self, huey, *, url: str, **kw):
        self._url, self._made = url, 0
        super().__init__(huey, **kw)

    def _create_worker(self):
        worker = super()._create_worker()
        # the first worker speaks, and any that replaces a dead one (it may be the first's replacement)
        worker.watch = QueueWatch(self._url, speak=self._made == 0 or self._made >= self.workers)
        self._made += 1
        return worker

    def _create_scheduler(self):
        scheduler = super()._create_scheduler()
        scheduler.watch = QueueWatch(self._url, speak=False)
        return scheduler
