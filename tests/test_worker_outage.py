"""A worker whose queue is down, and a worker whose server is gone (issue 24, item 7).

Performed for real: ``lab worker`` pointed at a Redis port where nothing listens, then a
real redis-server (with a password) started on that port; and the app's own local
workers (``ensure_local_workers``, the path every page load takes) after their web
server is killed with -9 and left unreaped, as a crashed server is.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lab.jobs.consumer import BACKOFF_FIRST_S, BACKOFF_MAX_S, QueueWatch
from lab.jobs.worker import LOG_KEEP_BYTES, WORKERS_DIR, _fresh_log

ROOT = Path(__file__).resolve().parent.parent
REDIS = shutil.which("redis-server")
SECRET = "outage-pw-42"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(check, timeout: float = 60.0) -> bool:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return False


def gone(pid: int) -> bool:
    """No such process, or only its zombie (exited, not yet reaped by whoever adopted it)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] == "Z"
    except OSError:
        return True


def test_the_backoff_doubles_to_its_cap_and_each_change_of_state_is_one_line(tmp_path):
    log = (tmp_path / "log.txt").open("w")
    watch = QueueWatch(f"redis://:{SECRET}@10.0.0.5:6379/0", stream=log)
    waits = [watch.failed(ConnectionError(f"Error 111 connecting with {SECRET}")) for _ in range(8)]
    assert waits == [BACKOFF_FIRST_S, 2.0, 4.0, 8.0, BACKOFF_MAX_S, BACKOFF_MAX_S, BACKOFF_MAX_S, BACKOFF_MAX_S]
    watch.answered()
    watch.answered()
    assert watch.failed(ConnectionError("again")) == BACKOFF_FIRST_S  # a new outage starts from the first wait
    log.close()
    lines = (tmp_path / "log.txt").read_text().splitlines()
    assert len(lines) == 3  # down, back, down
    assert "does not answer" in lines[0] and "answers again" in lines[1] and "does not answer" in lines[2]
    assert SECRET not in "".join(lines) and "redis://:***@10.0.0.5:6379/0" in lines[0]


@pytest.mark.skipif(REDIS is None, reason="redis-server is not installed (apt-get install redis-server)")
def test_a_worker_with_its_queue_down_says_so_once_and_once_more_when_it_is_back(tmp_path):
    port = free_port()
    url = f"redis://:{SECRET}@127.0.0.1:{port}/0"
    log = tmp_path / "worker.log"
    redis = None
    with open(log, "wb") as f:
        worker = subprocess.Popen([sys.executable, "-m", "lab", "worker", "--queue", url, "--workers", "2",
                                   "--threads", "1", "--runs-dir", str(tmp_path / "runs")], cwd=ROOT, stdout=f,
                                  stderr=f, env={**os.environ, "PYTHONUNBUFFERED": "1"}, start_new_session=True)
        try:
            assert wait_for(lambda: "does not answer" in log.read_text())
            time.sleep(6)  # Huey's own worker printed ~30 tracebacks in this time (two processes, a scheduler)
            down = log.read_text()
            redis = subprocess.Popen([REDIS, "--port", str(port), "--bind", "127.0.0.1", "--requirepass", SECRET,
                                      "--save", "", "--appendonly", "no", "--dir", str(tmp_path)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            assert wait_for(lambda: "answers again" in log.read_text(), timeout=BACKOFF_MAX_S + 30)
        finally:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(20)
            if redis is not None:
                redis.terminate()
                redis.wait(10)
    lines = down.splitlines()
    assert len(lines) == 2, down  # the start line and ONE "does not answer", for the whole consumer
    assert "lab worker: 2 process(es)" in lines[0] and "does not answer" in lines[1]
    assert "Traceback" not in down and SECRET not in log.read_text()
    after = log.read_text().splitlines()
    assert len(after) == 3 and "answers again" in after[2]


def test_the_local_workers_log_is_moved_aside_once_it_is_large(tmp_path):
    path = tmp_path / "local-workers.log"
    path.write_bytes(b"x" * (LOG_KEEP_BYTES + 1))
    assert _fresh_log(path) == path and not path.exists()
    assert (tmp_path / "local-workers.log.1").stat().st_size == LOG_KEEP_BYTES + 1
    path.write_bytes(b"small")
    _fresh_log(path)
    assert path.read_bytes() == b"small"  # a small log is kept as it is


SERVER = """
import sys, time
from lab.jobs.worker import ensure_local_workers
ensure_local_workers(sys.argv[1])
print("started", flush=True)
time.sleep(600)
"""


def test_the_apps_local_workers_leave_once_their_server_is_killed(tmp_path):
    runs = tmp_path / "runs"
    runs.mkdir()
    env = {**os.environ, "LAB_WORKERS": "1", "LAB_RUNS_DIR": str(runs), "PYTHONUNBUFFERED": "1"}
    env.pop("LAB_QUEUE", None)
    env.pop("LAB_WORKER_IDLE_EXIT_S", None)  # only the server's death may make them leave
    server = subprocess.Popen([sys.executable, "-c", SERVER, str(runs)], cwd=ROOT, env=env, stdout=subprocess.PIPE)
    consumer = None
    try:
        assert server.stdout.readline().strip() == b"started"
        registry = runs / WORKERS_DIR
        assert wait_for(lambda: registry.is_dir() and any(registry.glob("*.json")), timeout=90)
        info = json.loads(next(registry.glob("*.json")).read_text())
        consumer, process = info["consumer"], info["pid"]
        assert not gone(consumer) and not gone(process)
        os.kill(server.pid, signal.SIGKILL)  # and not reaped: a zombie still answers kill(pid, 0)
        assert wait_for(lambda: gone(consumer) and gone(process), timeout=30), \
            "the local workers outlived their server"
    finally:
        server.wait(10)
        if consumer and not gone(consumer):
            os.kill(consumer, signal.SIGKILL)
