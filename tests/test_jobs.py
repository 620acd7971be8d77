"""The classroom job runner: never more runs than the cap, a fair queue, clean stops,
errors that reach the page, and configs clamped to the server's limits."""

from __future__ import annotations

import threading
import time

import pytest

from lab.config import ExperimentConfig
from lab.errors import LabError
from lab.jobs import Caps, CapError, JobRunner, apply_caps, check_run_quota, format_seconds


def wait_until(predicate, timeout=10.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    raise AssertionError("timed out waiting")


class Gauge:
    """Counts jobs inside their body at once, and the most there ever were."""

    def __init__(self):
        self.lock = threading.Lock()
        self.now = self.most = 0
        self.order: list[int] = []

    def job(self, i, seconds=0.03):
        def fn(job):
            with self.lock:
                self.now += 1
                self.most = max(self.most, self.now)
                self.order.append(i)
            time.sleep(seconds)
            with self.lock:
                self.now -= 1
            return i
        return fn


@pytest.mark.parametrize("cap", [1, 2, 3])
def test_many_jobs_never_run_more_at_once_than_the_cap(cap):
    runner, gauge = JobRunner(cap), Gauge()
    jobs = [runner.submit(gauge.job(i)) for i in range(12)]
    wait_until(lambda: all(j.status == "finished" for j in jobs))
    assert gauge.most == cap
    assert [j.result for j in jobs] == list(range(12))
    assert runner.counts() == (0, 0)


def test_waiting_jobs_start_in_the_order_they_came_and_know_their_place():
    runner, gate = JobRunner(1), threading.Event()
    first = runner.submit(lambda job: gate.wait(5))
    wait_until(lambda: first.status == "running")
    started: list[str] = []
    waiting = [runner.submit(lambda job: started.append(job.name), name=f"w{i}") for i in range(3)]
    assert [j.snapshot().position for j in waiting] == [1, 2, 3]
    assert [j.snapshot().status for j in waiting] == ["queued"] * 3
    assert first.snapshot().position == 0
    gate.set()
    wait_until(lambda: all(j.status == "finished" for j in waiting))
    assert started == ["w0", "w1", "w2"]


def test_stopping_a_queued_job_removes_it_and_moves_the_others_up():
    runner, gate = JobRunner(1), threading.Event()
    runner.submit(lambda job: gate.wait(5))
    ran = threading.Event()
    a = runner.submit(lambda job: ran.set())
    b = runner.submit(lambda job: None)
    a.stop()
    assert a.status == "stopped" and a.snapshot().position == 0
    assert b.snapshot().position == 1
    gate.set()
    wait_until(lambda: b.status == "finished")
    assert not ran.is_set()  # the stopped job never started


def test_stopping_a_running_job_sets_its_event_and_it_ends_as_stopped():
    runner = JobRunner(1)

    def loop(job):
        while not job.stop_event.wait(0.01):
            job.report({"event": "batch", "epoch": 1, "batch": 1, "batches": 10, "loss": 1.0})

    job = runner.submit(loop)
    wait_until(lambda: job.snapshot().batches)
    job.stop()
    wait_until(lambda: job.status == "stopped")
    assert runner.counts() == (0, 0)


def test_a_failing_job_reports_its_error_and_frees_its_slot(capsys):
    runner = JobRunner(1)
    bad = runner.submit(lambda job: 1 / 0)
    good = runner.submit(lambda job: "ok")
    wait_until(lambda: good.status == "finished")
    snap = bad.snapshot()
    assert snap.status == "failed"
    assert "ZeroDivisionError" in snap.error
    assert good.result == "ok"


def test_a_lab_error_reaches_the_page_as_its_plain_message():
    runner = JobRunner(1)

    def fn(job):
        raise LabError("the model is too big for 28x28 images")

    job = runner.submit(fn)
    wait_until(lambda: job.status == "failed")
    assert job.snapshot().error == "the model is too big for 28x28 images"


def test_progress_follows_the_engine_events_with_elapsed_time_and_eta():
    runner, step = JobRunner(1), threading.Event()
    proceed = threading.Event()

    def fn(job):
        job.report({"event": "start", "epochs": 4, "steps_per_epoch": 10})
        for epoch in (1, 2):
            for b in range(1, 11):
                job.report({"event": "batch", "epoch": epoch, "batch": b, "batches": 10, "loss": 2.0 / b})
            job.report({"event": "epoch", "epoch": epoch, "train_loss": 1.0, "val_loss": 1.1})
        job.report({"event": "overfitting", "epoch": 2})
        time.sleep(0.05)
        step.set()
        proceed.wait(5)

    job = runner.submit(fn)
    wait_until(step.is_set)
    snap = job.snapshot()
    assert snap.status == "running" and snap.epochs_total == 4
    assert [e["epoch"] for e in snap.epochs] == [1, 2]
    assert len(snap.batches) == 20
    assert snap.batches[4] == (0.5, 0.4)  # epoch 1, batch 5 of 10 sits at 0.5 on the epoch axis
    assert snap.fraction == 0.5
    assert snap.overfitting == {"event": "overfitting", "epoch": 2}
    assert snap.elapsed_s > 0.04
    assert snap.eta_s == pytest.approx(snap.elapsed_s, rel=1e-6)  # half done: as long again
    proceed.set()
    wait_until(lambda: job.status == "finished")
    assert job.snapshot().eta_s is None


def test_the_engine_end_event_decides_the_final_status():
    runner = JobRunner(1)
    job = runner.submit(lambda job: job.report({"event": "diverged", "epoch": 1, "advice": "train.advice.lower_lr"}))
    wait_until(lambda: job.status != "running" and job.status != "queued")
    assert job.status == "diverged"


def test_snapshots_are_copies_the_page_cannot_corrupt():
    runner = JobRunner(1)
    job = runner.submit(lambda job: job.report({"event": "epoch", "epoch": 1}))
    wait_until(lambda: job.status == "finished")
    snap = job.snapshot()
    snap.epochs.append({"epoch": 99})
    assert len(job.snapshot().epochs) == 1


def test_jobs_are_listed_by_owner_and_activity():
    runner, gate = JobRunner(1), threading.Event()
    mine = runner.submit(lambda job: gate.wait(5), owner="ws-a")
    runner.submit(lambda job: None, owner="ws-b")
    assert runner.jobs(owner="ws-a", active=True) == [mine]
    gate.set()
    wait_until(lambda: not runner.jobs(active=True))
    assert runner.jobs(owner="ws-a", active=True) == []


# --- caps ---------------------------------------------------------------------------

def test_caps_come_from_the_environment_with_threads_shared_between_runs():
    caps = Caps.from_env({"LAB_MAX_CONCURRENT_RUNS": "3", "LAB_MAX_EPOCHS": "10",
                          "LAB_MAX_TRAIN_SIZE": "5000", "LAB_MAX_RUNS_PER_WORKSPACE": "20",
                          "LAB_TORCH_THREADS": "4"})
    assert caps == Caps(max_concurrent_runs=3, torch_threads=4, max_epochs=10,
                        max_train_size=5000, max_runs_per_workspace=20)
    import os
    default = Caps.from_env({})
    assert default.max_concurrent_runs == 2
    assert default.torch_threads == max(1, (os.cpu_count() or 1) // 2)
    assert (default.max_epochs, default.max_train_size, default.max_runs_per_workspace) == (0, 0, 0)


def test_a_malformed_cap_is_a_clear_error():
    with pytest.raises(LabError, match="LAB_MAX_EPOCHS"):
        Caps.from_env({"LAB_MAX_EPOCHS": "ten"})


def test_caps_clamp_a_config_and_say_what_they_changed():
    cfg = ExperimentConfig()
    cfg.train.epochs = 50
    capped, changed = apply_caps(cfg, Caps(max_epochs=10, max_train_size=5000))
    assert capped.train.epochs == 10 and capped.data.train_limit == 5000
    assert [c.key for c in changed] == ["training.capped_epochs", "training.capped_train_size"]
    assert changed[0].params == {"asked": 50, "cap": 10}
    assert cfg.train.epochs == 50 and cfg.data.train_limit == 0  # the student's own config is untouched


def test_a_config_within_the_caps_is_left_alone():
    cfg = ExperimentConfig()
    cfg.data.train_limit = 1000
    capped, changed = apply_caps(cfg, Caps(max_epochs=10, max_train_size=5000))
    assert changed == [] and capped == cfg


def test_a_training_split_already_within_the_cap_is_not_reported_as_capped():
    cfg = ExperimentConfig()  # train_limit 0: "all" of a 1,200-image split
    capped, changed = apply_caps(cfg, Caps(max_train_size=5000), available=1200)
    assert changed == [] and capped.data.train_limit == 0
    capped, changed = apply_caps(cfg, Caps(max_train_size=5000), available=48000)
    assert capped.data.train_limit == 5000 and changed[0].params == {"asked": "all", "cap": 5000}


def test_the_run_quota_refuses_one_run_too_many():
    check_run_quota(19, Caps(max_runs_per_workspace=20))
    check_run_quota(500, Caps())  # no cap
    with pytest.raises(CapError) as err:
        check_run_quota(20, Caps(max_runs_per_workspace=20))
    assert err.value.key == "training.quota_runs" and err.value.params == {"n": 20, "cap": 20}


def test_torch_threads_set_once_apply_in_every_job_thread():
    import torch

    from lab.jobs import configure_torch_threads

    before = torch.get_num_threads()
    try:
        configure_torch_threads(1)
        job = JobRunner(1).submit(lambda job: torch.get_num_threads())
        wait_until(lambda: job.status == "finished")
        assert job.result == 1
    finally:
        torch.set_num_threads(before)


def test_durations_read_like_a_clock():
    assert [format_seconds(s) for s in (12, 754, 3700, None)] == ["0:12", "12:34", "1:01:40", "–"]
