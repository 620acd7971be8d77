"""The job queue between the web servers (producers) and the training workers (consumers).

Huey, chosen over RQ, Dramatiq, Celery and Ray because it is the one small, well-kept
queue with both backends the lab needs and nothing else: an embedded SQLite queue
that needs no server (the default, a file beside the runs folder) and Redis for many
machines, behind one API. RQ and Dramatiq need Redis or RabbitMQ even on a laptop;
Celery needs a broker and brings far more than a run queue; Ray is a cluster runtime.

    LAB_QUEUE unset            sqlite:<runs dir>/.queue/huey.db  (one machine)
    LAB_QUEUE=redis://h:6379/0 Redis: web servers and workers on many machines

A message carries only where the run lives (its folder relative to the runs folder)
and what to do (train, or overfit one batch); everything else is in the run folder,
which is the source of truth for the pages. Runs asking for ``device=cuda`` go to the
``gpu`` queue, everything else to ``cpu``: a GPU box runs ``lab worker --queue-name gpu``.

Security: Huey serialises messages with pickle, so the Redis server must only be
reachable by the lab's own machines (bind it to a private network, set a password in
the URL). The embedded queue is a file only this machine's users can reach.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

from lab.errors import keyed
from lab.jobs.messages import MESSAGES
from lab.jobs.task import run_job
from lab.paths import runs_dir

TASK_NAME = "lab.run_job"
QUEUES = ("cpu", "gpu")


def queue_url(explicit: str | None = None, runs_root: str | Path | None = None) -> str:
    """--queue, else $LAB_QUEUE, else the embedded SQLite file beside the runs folder."""
    url = (explicit or os.environ.get("LAB_QUEUE") or "").strip()
    if url:
        return url
    return "sqlite:" + str(runs_dir(runs_root).resolve() / ".queue" / "huey.db")


def queue_for_device(device: str) -> str:
    return "gpu" if str(device).lower().startswith("cuda") else "cpu"


@functools.lru_cache(maxsize=8)
def huey_for(url: str, name: str = "cpu"):
    """The Huey instance for one queue (cached: one connection pool per process)."""
    import huey  # heavy: loaded on first use, to keep start-up light

    if name not in QUEUES:
        raise keyed(MESSAGES, "queue.unknown_name", name=repr(name), known=", ".join(QUEUES))
    if url.startswith("sqlite:"):
        path = Path(url[len("sqlite:"):])
        path.parent.mkdir(parents=True, exist_ok=True)
        # one SQLite file holds both queues: Huey keys every table by the instance's name
        h = huey.SqliteHuey(name=f"lab-{name}", filename=str(path), results=False, utc=True, timeout=10)
    elif url.startswith(("redis://", "rediss://", "unix://")):
        h = huey.RedisHuey(name=f"lab-{name}", url=url, results=False, utc=True, blocking=True, read_timeout=1)
    else:
        raise keyed(MESSAGES, "queue.bad_url", url=repr(url))
    register(h)
    return h


def register(h) -> None:
    """The one task the lab's queue knows, registered on ``h`` as ``h.lab_task`` (producer
    and consumer register the same name, so a message names a task both sides have)."""
    h.lab_task = h.task(name=TASK_NAME)(run_job)


def submit(rel_path: str, kind: str = "train", *, url: str | None = None, queue: str = "cpu",
           data_dir: str | None = None) -> str:
    """Put one job on the queue; returns the queue's task id (kept in the run's meta)."""
    h = huey_for(queue_url(url), queue)
    task = h.lab_task.s(rel_path, kind, data_dir)
    try:
        h.enqueue(task)
    except Exception as exc:  # a Redis that does not answer: one line, not a traceback
        raise keyed(MESSAGES, "queue.unreachable", url=queue_url(url), error=exc) from None
    return task.id


def pending_ids(url: str | None = None, queue: str = "cpu") -> list[str]:
    """Task ids waiting in ``queue``, next first."""
    try:
        return [t.id for t in huey_for(queue_url(url), queue).pending()]
    except Exception:  # a broken queue must not break a page; the run's own status still shows
        return []


def position(task_id: str | None, url: str | None = None, queue: str = "cpu") -> int:
    """1-based place of ``task_id`` in its queue (1 starts next); 0 when it is not waiting."""
    if not task_id:
        return 0
    ids = pending_ids(url, queue)
    return ids.index(task_id) + 1 if task_id in ids else 0
