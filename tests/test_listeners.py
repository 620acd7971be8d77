"""The loop's listeners (``lab.train.listeners``): named moments, the state they receive
(the model included), and the run's own concerns written as listeners (``keepers``,
``watchers``), on tiny real MNIST runs."""

from __future__ import annotations

import math
from types import SimpleNamespace

import pytest
import torch

from lab.config import ExperimentConfig
from lab.data import Splits, channel_stats
from lab.runs.store import RunStore
from lab.train import Listener, from_splits, train
from lab.train.keepers import Checkpoints

torch.set_num_threads(1)


def tiny(mnist, **train_options):
    splits = Splits(mnist.train_x[:320], mnist.train_y[:320], mnist.train_x[320:520], mnist.train_y[320:520],
                    mnist.test_x[:10], mnist.test_y[:10])
    cfg = ExperimentConfig()
    cfg.train.batch_size, cfg.train.epochs = 32, 2
    for key, value in train_options.items():
        setattr(cfg.train, key, value)
    return from_splits(cfg, splits, mnist.classes, channel_stats(splits.train_x))


class Recorder(Listener):
    """Writes down every moment it hears and keeps a copy of the weights at each epoch's end."""

    def __init__(self):
        self.moments, self.saved = [], {}

    def on_start(self, state):
        self.moments.append("on_start")

    def on_batch_end(self, state):
        self.moments.append("on_batch_end")

    def on_validated(self, state):
        self.moments.append("on_validated")

    def on_epoch_end(self, state):
        self.moments.append("on_epoch_end")
        self.saved[state.epoch] = {k: v.detach().clone() for k, v in state.model.state_dict().items()}

    def on_fit_end(self, state):
        self.moments.append("on_fit_end")

    def on_end(self, state):
        self.moments.append("on_end")
        assert state.val_report is not None and state.status == "finished"


def test_a_listener_hears_the_named_moments_in_order_and_can_save_the_model(mnist):
    recorder, records = Recorder(), []
    result = train(tiny(mnist), listeners=[recorder, records.append], device="cpu")
    batches = 10  # 320 images in batches of 32
    epoch = ["on_batch_end"] * batches + ["on_validated", "on_epoch_end"]
    assert recorder.moments == ["on_start", *epoch, *epoch, "on_fit_end", "on_end"]
    assert sorted(recorder.saved) == [1, 2]
    # the copy taken at the last epoch's end is the model train() returns
    final = result.model.state_dict()
    assert all(torch.equal(recorder.saved[2][k], final[k]) for k in final)
    assert not all(torch.equal(recorder.saved[1][k], final[k]) for k in final)
    # a plain callable still gets the event dicts, and only them
    assert [e["event"] for e in records if e["event"] != "batch"] == ["start", "check", "epoch", "epoch", "end"]


def test_a_listener_can_end_the_run_through_the_state(mnist):
    class Enough(Listener):
        def on_batch_end(self, state):
            if state.step == 3:
                state.end("stopped", "train.stopped", step=state.step)  # the reason's numbers go with it

    result = train(tiny(mnist), listeners=[Enough()], device="cpu")
    assert result.status == "stopped" and result.summary["steps"] == 3 and result.history == []


def test_the_checkpoint_listener_writes_best_pt_at_the_best_epoch(mnist, tmp_path):
    prepared = tiny(mnist, epochs=4, lr=0.01)
    run = RunStore(tmp_path).create(prepared.config)
    result = train(prepared, run, device="cpu")
    losses = [h["val_loss"] for h in result.history]
    best_epoch = losses.index(min(losses)) + 1
    best = torch.load(run.checkpoint_path("best"), weights_only=False)["extra"]
    last = torch.load(run.checkpoint_path("last"), weights_only=False)["extra"]
    assert best["which"] == "best" and best["epoch"] == best_epoch == result.summary["best_epoch"]
    assert best["val_loss"] == min(losses) and last["epoch"] == 4


def test_checkpoints_saves_best_only_on_an_improving_epoch(tmp_path):
    cfg = ExperimentConfig()
    run = RunStore(tmp_path).create(cfg)
    model = torch.nn.Linear(4, 2)
    prepared = SimpleNamespace(config=cfg, classes=["a", "b"], mean=[0.5], std=[0.25], input_shape=(1, 2, 2))
    state = SimpleNamespace(prepared=prepared, model=model,
                            record={"event": "epoch", "epoch": 1, "val_loss": 0.7, "best": False})
    keeper = Checkpoints(run)
    keeper.on_validated(state)
    assert run.checkpoint_path("last").exists() and not run.checkpoint_path("best").exists()
    state.record = {"event": "epoch", "epoch": 2, "val_loss": 0.5, "best": True}
    keeper.on_validated(state)
    saved = torch.load(run.checkpoint_path("best"), weights_only=False)
    assert saved["extra"] == {"epoch": 2, "val_loss": 0.5, "best": True, "run_id": run.id, "which": "best"}
    assert torch.equal(saved["state_dict"]["weight"], model.weight.detach())


def test_best_weights_come_back_when_the_run_diverges(mnist):
    class Spoil(Listener):
        """Turns the weights to NaN after the first epoch: the run must end with epoch 1's."""

        def on_epoch_end(self, state):
            self.kept = {k: v.detach().clone() for k, v in state.model.state_dict().items()}
            with torch.no_grad():
                for p in state.model.parameters():
                    p.fill_(math.nan)

    spoil = Spoil()
    result = train(tiny(mnist, epochs=3), listeners=[spoil], device="cpu")
    assert result.status == "diverged" and result.summary["best_epoch"] == 1
    final = result.model.state_dict()
    assert all(torch.equal(spoil.kept[k], final[k]) for k in final)


def test_the_journal_gets_a_training_point_every_few_batches_with_the_means_of_those_batches(mnist, tmp_path):
    splits = Splits(mnist.train_x[:960], mnist.train_y[:960], mnist.train_x[960:1160], mnist.train_y[960:1160],
                    mnist.test_x[:10], mnist.test_y[:10])
    cfg = ExperimentConfig()
    cfg.train.batch_size, cfg.train.epochs = 32, 2
    prepared = from_splits(cfg, splits, mnist.classes, channel_stats(splits.train_x))
    run = RunStore(tmp_path).create(cfg)
    seen = []
    train(prepared, run, listeners=[seen.append], device="cpu")
    batches = [e for e in seen if e["event"] == "batch"]
    points = run.events("step")
    assert len(batches) == 60  # 960 images in batches of 32, 2 epochs
    # 30 batches an epoch: a point every 2 batches, 15 an epoch; no raw batch events in the file
    assert len(points) == 30 and run.events("batch") == []
    assert [p["batch"] for p in points[:15]] == list(range(2, 31, 2)) and [p["epoch"] for p in points] == [1] * 15 + [2] * 15
    assert [p["x"] for p in points[:3]] == pytest.approx([2 / 30, 4 / 30, 6 / 30])
    assert points[14]["x"] == pytest.approx(1.0) and points[-1]["x"] == pytest.approx(2.0)
    for point in points:  # each point: the means of the two batches it closes
        window = [b for b in batches if b["epoch"] == point["epoch"] and point["batch"] - 2 < b["batch"] <= point["batch"]]
        assert point["averaged"] == 2
        assert point["loss"] == pytest.approx(sum(b["loss"] for b in window) / 2)
        assert point["accuracy"] == pytest.approx(sum(b["accuracy"] for b in window) / 2)
    assert points[-1]["loss"] < points[0]["loss"]  # it learns: the curve goes down within the run
    # the journal's other readers are untouched by the points
    assert [e["epoch"] for e in run.epochs()] == [1, 2]
    from lab.train.progress import read_progress

    p = read_progress(run)
    assert len(p.epochs) == 2 and len(p.steps) == 30


@pytest.mark.parametrize("batches, per_epoch", [(1, 1), (10, 10), (16, 16), (47, 16), (100, 15), (750, 16), (3000, 16)])
def test_small_runs_get_a_point_a_batch_and_big_runs_about_sixteen_an_epoch(tmp_path, batches, per_epoch):
    from lab.train.listeners import JournalWriter

    run = RunStore(tmp_path).create(ExperimentConfig())
    write = JournalWriter(run)
    for epoch in (1, 2):
        for i in range(1, batches + 1):
            write({"event": "batch", "epoch": epoch, "step": (epoch - 1) * batches + i, "batch": i,
                   "batches": batches, "loss": 1.0 / i, "accuracy": 0.5})
    points = run.events("step")
    assert len(points) == 2 * per_epoch
    assert points[per_epoch - 1]["x"] == 1.0 and points[-1]["x"] == 2.0  # every epoch's last batch closes a point
    assert sum(p["averaged"] for p in points) == 2 * batches  # every batch counted once


def test_a_diverged_batch_makes_its_point_empty_and_the_file_stays_json(tmp_path):
    import json

    from lab.train.listeners import JournalWriter

    run = RunStore(tmp_path).create(ExperimentConfig())
    write = JournalWriter(run, points_per_epoch=2)
    for i, loss in enumerate([1.0, 2.0, float("nan"), 3.0], start=1):
        write({"event": "batch", "epoch": 1, "step": i, "batch": i, "batches": 4, "loss": loss, "accuracy": 0.25})
    points = run.events("step")
    assert [p["loss"] for p in points] == [1.5, None] and [p["accuracy"] for p in points] == [0.25, 0.25]
    for line in (run.dir / "metrics.jsonl").read_text().splitlines():
        json.loads(line, parse_constant=lambda c: pytest.fail(f"{c} in the journal"))
