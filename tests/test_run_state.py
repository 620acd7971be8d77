"""A run's status comes from its folder: a heartbeat, never a process id."""

from __future__ import annotations

import json
import time

import pytest

from lab.config import ExperimentConfig
from lab.runs.store import RunStore
from lab.train.progress import Heartbeat, read_progress


def _epoch(run, n):
    run.append({"event": "epoch", "epoch": n, "epochs": 3, "train_loss": 1.0, "val_loss": 1.0,
                "train_accuracy": 0.5, "val_accuracy": 0.5})


def test_queued_running_lost_and_finished_follow_the_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("LAB_HEARTBEAT_TIMEOUT_S", "2")
    store = RunStore(tmp_path)
    run = store.create(ExperimentConfig(), status="queued")
    assert run.state() == ("queued", "")
    run.write_progress({"heartbeat": time.time(), "worker": "box:1"})
    assert run.status == "running"
    _epoch(run, 1)
    run.write_progress({"heartbeat": time.time() - 3, "worker": "box:1"})  # silent for 3 s
    assert run.state() == ("failed", "run.worker_lost")
    p = read_progress(run)
    assert p.status == "failed" and p.reason == "run.worker_lost" and len(p.epochs) == 1 and not p.active
    run.write_summary({"status": "finished"})
    assert run.state() == ("finished", "")


def test_a_reused_process_id_cannot_make_a_dead_run_look_alive(tmp_path):
    import os

    run = RunStore(tmp_path).create(ExperimentConfig())
    meta = json.loads((run.dir / "meta.json").read_text())
    meta["pid"] = os.getpid()  # what the old journal trusted: "our own pid is alive"
    (run.dir / "meta.json").write_text(json.dumps(meta))
    assert run.status == "failed"  # nobody ever beat for it


def test_a_queued_run_that_is_asked_to_stop_never_reads_running(tmp_path):
    run = RunStore(tmp_path).create(ExperimentConfig(), status="queued")
    run.request_stop()
    assert run.state() == ("stopped", "train.stopped")


def test_the_heartbeat_turns_the_stop_file_into_the_stop_event_and_keeps_beating(tmp_path):
    run = RunStore(tmp_path).create(ExperimentConfig())
    with Heartbeat(run, worker="box:7") as beat:
        beat({"event": "start", "epochs": 2, "steps_per_epoch": 10})
        beat({"event": "batch", "epoch": 1, "batch": 5, "batches": 10, "loss": 2.0})
        first = run.progress()["heartbeat"]
        run.request_stop()
        deadline = time.time() + 3
        while not beat.stop.is_set() and time.time() < deadline:
            time.sleep(0.05)
        assert beat.stop.is_set()
        time.sleep(1.3)
        assert run.progress()["heartbeat"] > first  # rewritten on its own, between batches
        assert run.status == "running"
    p = read_progress(run)
    assert p.worker == "box:7" and p.batches == [(0.5, 2.0)] and p.epochs_total == 2


def test_the_next_run_never_takes_a_run_that_failed_before_its_first_epoch_as_parent(tmp_path):
    store = RunStore(tmp_path)
    good = store.create(ExperimentConfig())
    _epoch(good, 1)
    good.write_summary({"status": "finished"})
    broken = store.create(ExperimentConfig())
    broken.write_summary({"status": "failed", "reason": "run.failed_start", "error": "no room", "epochs": 0})
    store.create(ExperimentConfig(), status="queued")
    assert store.latest().id != good.id
    assert store.latest_trained().id == good.id


def test_a_queue_that_does_not_answer_is_one_translated_line_and_leaves_no_run(tmp_path):
    import socket

    from lab.errors import LabError
    from lab.jobs.submit import JobTarget, submit_training
    from lab.i18n import translate

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    store = RunStore(tmp_path / "runs")
    with pytest.raises(LabError) as err:
        submit_training(ExperimentConfig(), store,
                        target=JobTarget(tmp_path / "runs", queue_url=f"redis://127.0.0.1:{port}/0"))
    assert err.value.key == "queue.unreachable" and str(err.value).startswith("cannot reach the job queue redis://")
    assert translate(err.value.key, "ru", **err.value.params).startswith("очередь заданий redis://")
    assert store.list() == []  # no ghost run left queued
