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
import re
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

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


MASK = "***"
_SECRET_PARAMS = {"password", "pass", "pwd", "secret", "token", "auth"}  # redis-py reads ?password=


def redact_url(url: str) -> str:
    """``url`` safe to print: the userinfo's password (``redis://:PASSWORD@host``) and any
    ``?password=`` in the query become ``***``. Queue messages are pickles, so whoever
    holds the Redis password can run code on every worker: every URL the lab prints,
    on a page, on the CLI or in a log, goes through here."""
    text = str(url or "")
    try:
        parts = urlsplit(text)
    except ValueError:  # not a URL at all (an unbalanced "[" in the host): hide everything after "://"
        return re.sub(r"://.*", "://" + MASK, text)
    netloc, query = parts.netloc, parts.query
    if "@" in netloc:
        userinfo, host = netloc.rsplit("@", 1)
        user, has_password, _ = userinfo.partition(":")
        # redis://SECRET@host: redis-py takes a lone name before "@" as the password
        netloc = f"{user}:{MASK}@{host}" if has_password else f"{MASK}@{host}"
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        query = urlencode([(k, MASK if k.lower() in _SECRET_PARAMS else v) for k, v in pairs], safe="*")
    # replaced in place, so the rest of the URL reads exactly as given (unix:///path keeps its slashes)
    text = text.replace(parts.netloc, netloc, 1) if netloc != parts.netloc else text
    return text.replace("?" + parts.query, "?" + query, 1) if query != parts.query else text


def redact(text: object, url: str) -> str:
    """``text`` (an error message, a log line) with ``url``'s secrets masked wherever it
    quotes them: the whole URL, its password, its query's secret values."""
    out = str(text).replace(str(url), redact_url(url)) if url else str(text)
    for secret in _secrets_of(url):
        out = out.replace(secret, MASK)
    return out


def _secrets_of(url: str) -> list[str]:
    try:
        parts = urlsplit(str(url or ""))
    except ValueError:
        return []
    found = [parts.password] if parts.password else []
    if parts.username and parts.password is None and "@" in parts.netloc:
        found.append(parts.username)  # a lone name before "@" is the password to redis-py
    found += [v for k, v in parse_qsl(parts.query) if k.lower() in _SECRET_PARAMS and v]
    return [s for s in found if len(s) >= 3]  # "***" itself, or a one-letter secret, would mask everything


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
        raise keyed(MESSAGES, "queue.bad_url", url=repr(redact_url(url)))
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
        where = queue_url(url)
        raise keyed(MESSAGES, "queue.unreachable", url=redact_url(where), error=redact(exc, where)) from None
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
