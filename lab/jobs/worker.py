"""Training workers: the processes that take jobs off the queue and train them.

``python -m lab worker`` runs a Huey consumer with ``--workers`` worker processes (one
run at a time each). Each process sets its own torch thread count once, keeps every
dataset it has loaded for the next job (``lab.train.session``) and stays warm between
jobs. A dead worker process is replaced by the consumer within its health-check
interval; the run it held reads "failed: worker lost" as soon as its heartbeat stops.

Every worker process also keeps a small file in ``<runs dir>/.workers/`` rewritten
every second (who it is, which queue, which run it trains): the teacher's view of the
workers, and how the web server knows its local workers are alive.

On one machine the app starts its own workers (``ensure_local_workers``): one
``lab worker`` process per runs folder, guarded by a lock file so several page loads,
sessions or web servers never start two sets. They leave once the server that
started them is gone and they are idle.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from filelock import FileLock, Timeout

from lab.jobs.task import CURRENT, SETTINGS
from lab.paths import PROJECT_ROOT, runs_dir
from lab.runs.store import _write_json, heartbeat_timeout
from lab.jobs.queue import huey_for, queue_url as resolve_url, redact_url
import signal
from lab.classroom.caps import Caps

WORKERS_DIR = ".workers"
LOCK_NAME = "local-workers.lock"

# --- the worker processes -------------------------------------------------------------

def _on_startup() -> None:
    """Runs once in each worker process: torch threads, and the registry heartbeat."""
    import torch  # heavy: loaded on first use, to keep start-up light

    if SETTINGS["threads"] > 0:
        torch.set_num_threads(SETTINGS["threads"])
    threading.Thread(target=_registry_beat, name="worker-registry", daemon=True).start()


def _registry_file(root: Path, pid: int | None = None) -> Path:
    return root / WORKERS_DIR / f"{socket.gethostname()}-{pid or os.getpid()}.json"


def _registry_beat() -> None:
    root = Path(SETTINGS["runs_root"])
    path = _registry_file(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    started = time.time()
    while True:
        with contextlib.suppress(OSError):
            _write_json(path, {"id": f"{socket.gethostname()}:{os.getpid()}", "host": socket.gethostname(),
                               "pid": os.getpid(), "consumer": SETTINGS["consumer"], "queue": SETTINGS["queue"],
                               "threads": SETTINGS["threads"], "run": CURRENT["run"], "since": CURRENT["since"],
                               "started": started, "heartbeat": time.time()})
        time.sleep(1.0)


def live_workers(runs_root: str | Path | None = None) -> list[dict]:
    """The worker processes whose registry heartbeat is fresh, oldest first."""
    folder = runs_dir(runs_root) / WORKERS_DIR
    out = []
    now = time.time()
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            info = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if now - float(info.get("heartbeat") or 0) <= heartbeat_timeout():
            out.append(info)
        elif now - float(info.get("heartbeat") or 0) > 3600:
            with contextlib.suppress(OSError):
                path.unlink()  # a worker gone for an hour: forget it
    return sorted(out, key=lambda w: w.get("started") or 0)


def serve(*, workers: int = 1, runs_root: str | Path | None = None, data_dir: str | None = None,
          queue_url: str | None = None, queue_name: str = "cpu", threads: int = 0,
          parent_pid: int | None = None) -> int:
    """Run the Huey consumer until interrupted (``python -m lab worker``). Local workers
    started by ``ensure_local_workers`` inherit the runs folder's lock as an open file
    and hold it for as long as they (and their worker processes) live."""
    from lab.jobs.consumer import QuietConsumer  # heavy (huey): loaded on first use, to keep start-up light

    root = runs_dir(runs_root).resolve()
    root.mkdir(parents=True, exist_ok=True)
    url = resolve_url(queue_url, root)
    os.environ["LAB_RUNS_DIR"] = str(root)  # the worker processes inherit it
    SETTINGS.update(runs_root=str(root), data_dir=data_dir, queue=queue_name, threads=int(threads or 0),
                     consumer=os.getpid())
    h = huey_for(url, queue_name)
    h.on_startup(name="lab-worker")(_on_startup)
    consumer = QuietConsumer(h, url=url, workers=max(1, workers), periodic=False, worker_type="process",
                             initial_delay=0.05, backoff=1.15, max_delay=0.5, check_worker_health=True,
                             health_check_interval=2)
    if parent_pid:
        threading.Thread(target=_leave_with_parent, args=(parent_pid, root), daemon=True).start()
    print(f"lab worker: {workers} process(es) on queue {queue_name} at {redact_url(url)}; runs in {root}", file=sys.stderr,
          flush=True)
    consumer.run()
    return 0


def _leave_with_parent(parent_pid: int, root: Path) -> None:
    """Local workers: once the web server that started them is gone and none of them
    trains anything, stop (a run in progress is finished first). With
    $LAB_WORKER_IDLE_EXIT_S set (the test suite), also stop after that long idle."""
    idle_exit = float(os.environ.get("LAB_WORKER_IDLE_EXIT_S") or 0)
    idle_since = time.monotonic()
    while True:
        time.sleep(1.0)
        mine = [w for w in live_workers(root) if w.get("consumer") == os.getpid()]
        if any(w.get("run") for w in mine):
            idle_since = time.monotonic()
            continue
        if _orphaned(parent_pid) or (idle_exit and time.monotonic() - idle_since > idle_exit):
            os.kill(os.getpid(), signal.SIGINT)  # graceful: a task just taken is finished first
            return


def _orphaned(parent_pid: int) -> bool:
    """Is the web server that started this worker gone? A server killed with -9 may stay a
    zombie (its pid still answers ``kill(pid, 0)``) until its own parent reaps it, and a pid
    can be reused: the test is first whether this process was handed to another parent."""
    if hasattr(os, "getppid") and os.name != "nt" and os.getppid() != parent_pid:
        return True
    return not _pid_alive(parent_pid)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


CAN_PASS_LOCK_FD = os.name != "nt"  # flock and Popen's pass_fds are POSIX
CHILD_TAKES_LOCK = -1  # _hold_lock's answer where no lock can be handed to a child (Windows)


def _lock_path(root: Path) -> Path:
    path = root / ".queue" / LOCK_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def _hold_lock(root: Path):
    """An exclusive lock on the runs folder's local-worker lock file, held for life: an
    open file descriptor the child inherits, or None when workers hold it already.

    Windows has neither flock nor pass_fds: there the lock is only probed
    (``CHILD_TAKES_LOCK`` when free) and the worker takes it itself (``hold_lock_file``);
    of two sets started in the moment before it does, one finds it taken and exits."""
    if not CAN_PASS_LOCK_FD:
        probe = hold_lock_file(_lock_path(root))
        if probe is None:
            return None
        probe.release()
        return CHILD_TAKES_LOCK
    import fcntl  # POSIX only: this module must import on Windows, which takes the branch above

    fd = os.open(_lock_path(root), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd


def hold_lock_file(path: str | Path) -> FileLock | None:
    """The local-worker lock taken by the worker itself (``lab worker --lock-file``), or
    None if another process holds it. filelock uses the same flock as ``_hold_lock`` on
    POSIX and LockFileEx on Windows."""
    lock = FileLock(str(path), mode=0o600, timeout=0)
    try:
        lock.acquire()
    except Timeout:
        return None
    return lock


def local_worker_count() -> int:
    """$LAB_WORKERS ("0": this machine trains nothing, workers run elsewhere)."""
    raw = os.environ.get("LAB_WORKERS", "").strip()
    if raw == "0":
        return 0
    return Caps.from_env().workers


def local_worker_nice() -> int:
    """How much lower than the web server the app's own workers run (``LAB_WORKER_NICE``,
    0-19, default 5). Page reruns are short bursts and training soaks every core: with
    the server first, a page answers at its idle speed while two runs train on 2 cores
    (bench/bench_jobs.py step 3: 1.75x slower at equal priority), and the runs lose only
    the little the pages take."""
    try:
        return min(19, max(0, int(os.environ.get("LAB_WORKER_NICE", "5"))))
    except ValueError:
        return 5


_ENSURED: dict[str, float] = {}


def ensure_local_workers(runs_root: str | Path | None = None, data_dir: str | None = None,
                         every_s: float = 3.0) -> bool:
    """Start this machine's workers for ``runs_root`` unless they are running (checked
    at most every ``every_s`` seconds per process). Returns whether workers serve it."""
    root = runs_dir(runs_root).resolve()
    count = local_worker_count()
    if count == 0:
        return False
    key = str(root)
    now = time.monotonic()
    if now - _ENSURED.get(key, -1e9) < every_s:
        return True
    _ENSURED[key] = now
    root.mkdir(parents=True, exist_ok=True)
    fd = _hold_lock(root)
    if fd is None:
        return True  # workers (or a set just starting) hold the lock
    # The lock is taken here and handed to the child, so it is held from this moment:
    # a worker still importing torch (seconds on a busy machine) must not look absent to
    # the next page load, or every rerun would start another set.
    caps = Caps.from_env()
    cmd = [sys.executable, "-m", "lab", "worker", "--workers", str(count), "--runs-dir", str(root),
           "--threads", str(caps.torch_threads), "--nice", str(local_worker_nice()), "--parent-pid", str(os.getpid())]
    if fd == CHILD_TAKES_LOCK:
        cmd += ["--lock-file", str(_lock_path(root))]
        detach = {"creationflags": getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)}
    else:
        cmd += ["--lock-fd", str(fd)]
        detach = {"start_new_session": True, "pass_fds": (fd,)}
    if data_dir:
        cmd += ["--data-dir", str(data_dir)]
    try:
        with open(_fresh_log(root / ".queue" / "local-workers.log"), "ab") as log:
            subprocess.Popen(cmd, cwd=str(PROJECT_ROOT), stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                             env={**os.environ, "PYTHONUNBUFFERED": "1"}, **detach)
    finally:
        if fd != CHILD_TAKES_LOCK:
            os.close(fd)  # the child's copy keeps the lock
    return True


LOG_KEEP_BYTES = 1_000_000  # the local workers' log: the current file and one older, 2 MB at most per start


def _fresh_log(path: Path) -> Path:
    """``path``, moved aside to ``<name>.1`` (replacing the older one) once it holds more than
    ``LOG_KEEP_BYTES``: the local workers' log never grows without bound across restarts."""
    with contextlib.suppress(OSError):
        if path.stat().st_size > LOG_KEEP_BYTES:
            os.replace(path, path.with_name(path.name + ".1"))
    return path
