"""Past one machine, on one machine: a real redis-server as the queue, two web servers
and two workers sharing one runs folder (what a classroom with a load balancer and a
GPU box next to the CPU server does, all on 127.0.0.1).

- A run started on server A's Training page is trained by some worker and shows live
  on server B's Journal page, which follows it to the end without a reload.
- Two runs submitted at once with one seed (a model with Dropout) give exactly the run
  trained alone by ``lab train``.
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
import torch
from browser_helpers import ROOT, open_page, serve_app, wait_idle

from lab.runs.store import RunStore

REDIS = shutil.which("redis-server")
pytestmark = pytest.mark.skipif(REDIS is None, reason="redis-server is not installed (apt-get install redis-server)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    port = _free_port()
    folder = tmp_path_factory.mktemp("redis")
    proc = subprocess.Popen([REDIS, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                             "--dir", str(folder)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 10
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.1)
    yield f"redis://127.0.0.1:{port}/0"
    proc.terminate()
    proc.wait(10)


@pytest.fixture(scope="module")
def cluster(redis_url, tmp_path_factory):
    """Two web servers and two workers on one Redis queue and one runs folder."""
    runs = tmp_path_factory.mktemp("shared-runs")
    env = {"LAB_QUEUE": redis_url, "LAB_RUNS_DIR": str(runs), "LAB_WORKERS": "0"}  # no local workers
    workers = []
    for i in range(2):
        log = open(runs.parent / f"worker{i}.log", "wb")
        workers.append(subprocess.Popen(
            [sys.executable, "-m", "lab", "worker", "--queue", redis_url, "--runs-dir", str(runs), "--workers", "1",
             "--threads", "1"], cwd=ROOT, stdout=log, stderr=log, start_new_session=True,
            env={**os.environ, **env, "PYTHONUNBUFFERED": "1"}))
    with serve_app(tmp_path_factory.mktemp("server-a"), **env) as a, \
            serve_app(tmp_path_factory.mktemp("server-b"), **env) as b:
        yield {"a": a, "b": b, "runs": runs, "env": env, "queue": redis_url}
    for proc in workers:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)


def _submit(cluster, *args) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "lab", "submit", *args, "--runs-dir", str(cluster["runs"]),
                             "--queue", cluster["queue"], "--wait", "--json"], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, **cluster["env"]})


def _weights(run_dir: str) -> dict:
    return torch.load(Path(run_dir) / "best.pt", map_location="cpu", weights_only=True)["state_dict"]


def test_two_runs_submitted_at_once_through_redis_equal_the_run_trained_alone(cluster, tmp_path):
    args = ["--dataset", "mnist", "--preset", "mnist_cnn", "--epochs", "1", "--train-limit", "600", "--seed", "5"]
    alone = subprocess.run([sys.executable, "-m", "lab", "train", *args, "--runs-dir", str(tmp_path / "alone"),
                            "--json", "--threads", "1"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert alone.returncode == 0, alone.stderr
    alone = json.loads(alone.stdout)
    jobs = [_submit(cluster, *args), _submit(cluster, *args)]
    results = []
    for job in jobs:
        out, err = job.communicate(timeout=300)
        assert job.returncode == 0, err
        results.append(json.loads(out))
    workers = {RunStore(cluster["runs"]).get(r["run_id"]).meta()["worker"] for r in results}
    assert len(workers) == 2  # trained side by side, by the two workers
    for result in results:
        assert result["best_val_loss"] == alone["best_val_loss"]
        a, b = _weights(result["run_dir"]), _weights(alone["run_dir"])
        assert all(torch.equal(a[k], b[k]) for k in a)


def test_a_run_started_on_server_a_shows_live_on_server_b(cluster, _browser):
    ctx_a = _browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US")
    ctx_b = _browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US")
    try:
        a, b = ctx_a.new_page(), ctx_b.new_page()
        for page in (a, b):
            page.set_default_timeout(60_000)
        open_page(a, cluster["a"])
        a.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="Training").click()
        wait_idle(a)
        for label, value in (("Epochs", 100), ("Training images (0 = all)", 1500)):  # Stop ends it
            box = a.get_by_label(label, exact=True)
            box.fill(str(value))
            box.press("Tab")
        a.get_by_role("button", name="Train", exact=True).click()

        open_page(b, cluster["b"])
        b.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="Journal").click()
        live = b.get_by_text("A run is training: this table follows it by itself.")
        live.wait_for(timeout=120_000)  # B's journal sees A's run while a worker trains it
        (run,) = RunStore(cluster["runs"]).list()[-1:]
        assert run.meta()["source"] == "app" and run.status in ("queued", "running")
        deadline = time.time() + 300
        while not run.epochs() and time.time() < deadline:
            time.sleep(0.5)
        # Stop on server A reaches the worker; B's journal follows the run to its end, no reload
        a.locator('[data-testid="stMain"]').get_by_role("button", name="Stop").click()
        live.wait_for(state="detached", timeout=300_000)
        assert run.status == "stopped" and run.meta()["worker"]
        assert 1 <= run.summary()["epochs"] < 100
    finally:
        ctx_a.close()
        ctx_b.close()
