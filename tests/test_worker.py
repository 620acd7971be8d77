"""Runs as jobs: real worker processes on the embedded queue, as a laptop or one
classroom machine runs them (the Redis setup is in test_scaleout.py).

- one config gives one checkpoint, bit for bit, from ``lab train`` and from a worker;
- two runs at once with one seed (a model with Dropout) give exactly the run alone;
- a worker killed mid-epoch leaves its run "failed: worker lost" within seconds, with
  every finished epoch and a loadable last.pt, and the next run still trains;
- Stop reaches the worker; a run that cannot start says why and is nobody's parent.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch

from lab.config import ExperimentConfig
from lab.model import preset
from lab.runs.store import RunStore
from lab.train.progress import read_progress

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT_S = 120


def small_config(seed: int = 3, epochs: int = 1, limit: int = 600) -> ExperimentConfig:
    cfg = ExperimentConfig()
    cfg.data.dataset, cfg.data.train_limit = "mnist", limit
    cfg.model = preset("mnist_cnn", "mnist")  # Dropout(0.3) in its head: draws from torch's global RNG
    cfg.train.epochs, cfg.train.seed, cfg.train.device = epochs, seed, "cpu"
    return cfg


class Workers:
    """``python -m lab worker`` in a subprocess, stopped (whole group) at the end."""

    def __init__(self, runs: Path, workers: int = 1, **env):
        self.runs = runs
        cmd = [sys.executable, "-m", "lab", "worker", "--workers", str(workers), "--threads", "1",
               "--runs-dir", str(runs)]
        self.log = open(runs.parent / f"worker-{time.monotonic_ns()}.log", "wb")
        self.proc = subprocess.Popen(cmd, cwd=ROOT, stdout=self.log, stderr=self.log, start_new_session=True,
                                     env={**os.environ, "PYTHONUNBUFFERED": "1", **env})

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)
        self.log.close()


@pytest.fixture()
def runs(tmp_path, monkeypatch) -> Path:
    d = tmp_path / "runs"
    d.mkdir()
    monkeypatch.setenv("LAB_RUNS_DIR", str(d))
    return d


def submit(runs: Path, cfg: ExperimentConfig, **kw):
    from lab.jobs.submit import JobTarget, submit_training

    return submit_training(cfg, RunStore(runs), target=JobTarget(runs), **kw).run


def wait_done(*runs_, timeout=TIMEOUT_S):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if not any(r.active for r in runs_):
            return
        time.sleep(0.2)
    pytest.fail(f"runs still active after {timeout} s: {[r.status for r in runs_]}")


def wait_first_epoch(run, timeout=TIMEOUT_S) -> None:
    deadline = time.time() + timeout
    while not run.epochs() and time.time() < deadline:
        time.sleep(0.2)


def weights(run) -> dict:
    payload = torch.load(run.checkpoint_path("best"), map_location="cpu", weights_only=True)
    return payload["state_dict"]


def same_weights(a: dict, b: dict) -> bool:
    return a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)


def test_one_config_gives_one_checkpoint_from_the_cli_alone_and_from_two_workers_at_once(runs, tmp_path):
    from lab.cli import main

    cli_runs = tmp_path / "cli-runs"
    cfg_file = tmp_path / "exp.json"
    small_config().save(cfg_file)
    assert main(["train", "--config", str(cfg_file), "--runs-dir", str(cli_runs)]) == 0
    (alone,) = RunStore(cli_runs).list()

    workers = Workers(runs, workers=2)
    try:
        a, b = submit(runs, small_config()), submit(runs, small_config())  # side by side, one seed
        wait_done(a, b)
    finally:
        workers.stop()
    assert a.status == b.status == "finished"
    assert a.meta()["worker"] != b.meta()["worker"]  # really two processes at once
    for run in (a, b):
        assert same_weights(weights(run), weights(alone))
        assert run.summary()["best_val_loss"] == alone.summary()["best_val_loss"]


def test_a_killed_worker_leaves_its_run_failed_with_the_finished_epochs_and_the_class_goes_on(runs, monkeypatch):
    from lab.model.checkpoint import load_checkpoint

    monkeypatch.setenv("LAB_HEARTBEAT_TIMEOUT_S", "3")
    workers = Workers(runs, workers=1)
    try:
        run = submit(runs, small_config(epochs=20, limit=3000))
        wait_first_epoch(run)
        assert run.status == "running" and run.epochs()
        pid = int(run.progress()["worker"].rsplit(":", 1)[1])
        os.kill(pid, signal.SIGKILL)  # mid-epoch: out of memory, a crash, kill -9
        killed = time.time()
        while run.status == "running" and time.time() - killed < 10:
            time.sleep(0.2)
        assert run.state() == ("failed", "run.worker_lost")
        assert time.time() - killed < 6  # "within a few seconds"
        kept = len(run.epochs())
        assert kept >= 1 and read_progress(run).reason == "run.worker_lost"
        ckpt = load_checkpoint(run.checkpoint_path("last"))
        assert ckpt.extra["epoch"] == kept
        assert RunStore(runs).latest_trained().id == run.id  # its finished epochs still count

        after = submit(runs, small_config(seed=4))  # the consumer replaced the dead process
        wait_done(after)
        assert after.status == "finished"
    finally:
        workers.stop()


def test_stop_reaches_the_worker_and_keeps_what_it_finished(runs):
    from lab.jobs.submit import stop

    workers = Workers(runs, workers=1)
    try:
        run = submit(runs, small_config(epochs=30, limit=3000))
        wait_first_epoch(run)
        asked = time.time()
        stop(run)
        wait_done(run, timeout=60)
        summary, seen = run.summary(), run.progress()["stop_seen"]
        assert seen["at"] - asked < 1.0  # the next batch (or the beat thread between two) saw it...
        assert summary["steps"] - seen["step"] <= 1  # ...and at most one more batch ran
        assert summary["status"] == "stopped" and 1 <= summary["epochs"] < 30
        assert run.checkpoint_path("last").is_file()
    finally:
        workers.stop()


def test_waiting_runs_know_their_place_and_a_stopped_queued_run_leaves_no_trace(runs):
    from lab.jobs.submit import queue_position, stop

    first, second, third = (submit(runs, small_config(seed=s)) for s in (1, 2, 3))
    assert [queue_position(r, runs) for r in (first, second, third)] == [1, 2, 3]
    assert all(r.status == "queued" for r in (first, second, third))
    stop(second)
    assert [r.id for r in RunStore(runs).list()] == [first.id, third.id]
    workers = Workers(runs, workers=1)
    try:
        wait_done(first, third)
    finally:
        workers.stop()
    assert first.status == third.status == "finished"


def test_a_run_that_cannot_start_says_why_and_is_nobodys_parent(runs):
    from lab.jobs.submit import JobTarget, submit_training

    store = RunStore(runs)
    good = submit(runs, small_config())
    broken_cfg = small_config()
    broken_cfg.model.blocks = broken_cfg.model.blocks * 2  # six pooling blocks on 28x28: nothing left
    broken = submit_training(broken_cfg, store, target=JobTarget(runs), parent=good.id).run
    workers = Workers(runs, workers=1)
    try:
        wait_done(good, broken)
    finally:
        workers.stop()
    assert broken.state() == ("failed", "run.failed_start")
    assert "block" in broken.summary()["error"]
    assert store.latest().id == broken.id and store.latest_trained().id == good.id


def test_submit_prints_the_run_id_and_wait_json_matches_train_json(runs, tmp_path):
    workers = Workers(runs, workers=1)
    try:
        out = subprocess.run([sys.executable, "-m", "lab", "submit", "--dataset", "mnist", "--preset", "baseline",
                              "--epochs", "1", "--train-limit", "300", "--runs-dir", str(runs), "--wait", "--json"],
                             cwd=ROOT, capture_output=True, text=True, timeout=TIMEOUT_S)
    finally:
        workers.stop()
    assert out.returncode == 0, out.stderr
    import json

    result = json.loads(out.stdout)
    run = RunStore(runs).get(result["run_id"])
    assert result["status"] == "finished" and len(result["epochs"]) == 1
    assert result["best_val_accuracy"] == run.summary()["best_val_accuracy"]
    assert {"best_val_accuracy", "initial_check", "sizes", "images_per_sec"} <= result.keys()
    assert "test_accuracy" not in result  # scored on validation; the test set waits for `lab evaluate`


def test_page_loads_start_one_set_of_local_workers_however_often_they_ask(runs, monkeypatch):
    from lab.jobs.worker import ensure_local_workers, live_workers

    monkeypatch.setenv("LAB_WORKERS", "1")
    for _ in range(5):  # five reruns while the first set is still importing torch
        assert ensure_local_workers(runs, every_s=0)
        time.sleep(0.2)
    deadline = time.time() + TIMEOUT_S
    while not live_workers(runs) and time.time() < deadline:
        time.sleep(0.2)
    time.sleep(3)
    mine = subprocess.run(["pgrep", "-f", f"lab worker .*--runs-dir {runs.resolve()} "], capture_output=True, text=True)
    pids = mine.stdout.split()
    parents = {pid: Path(f"/proc/{pid}/stat").read_text().split()[3] for pid in pids}
    try:
        assert len(live_workers(runs)) == 1
        assert len([p for p in pids if parents[p] not in pids]) == 1  # one consumer (its children: worker, scheduler)
        # below the web server, so pages answer first (LAB_WORKER_NICE, default 5), children included
        assert {os.getpriority(os.PRIO_PROCESS, int(p)) for p in pids} == {os.getpriority(os.PRIO_PROCESS, 0) + 5}
    finally:
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(pid), signal.SIGKILL)
