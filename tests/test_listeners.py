"""The loop's listeners (``lab.train.listeners``): named moments, the state they receive
(the model included), and the run's own concerns written as listeners (``keepers``,
``watchers``), on tiny real MNIST runs."""

from __future__ import annotations

import math
from types import SimpleNamespace

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
