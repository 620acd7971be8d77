"""What a run keeps, as listeners: the best epoch's weights and the checkpoint files.

- ``BestWeights``: after each epoch, a copy of the weights with the lowest validation loss
  so far (``state.best``); when the run ends diverged (NaN weights are no use to anyone)
  or early stopping asks for it, those weights go back into the model.
- ``Checkpoints``: ``last.pt`` after every epoch and ``best.pt`` at each new best epoch
  (``lab.model.checkpoint``: weights, config, classes, normalisation, input size and the
  epoch's record); at the end the final weights, when they are numbers.
"""

from __future__ import annotations

import math

import torch

from lab.model.checkpoint import save_checkpoint
from lab.train.listeners import Listener


class BestWeights(Listener):
    def on_validated(self, state) -> None:
        record, best = state.record, state.best
        improved = math.isfinite(record["val_loss"]) and record["val_loss"] < best.loss
        record["best"] = improved
        if improved:
            best.loss, best.epoch, best.accuracy = record["val_loss"], state.epoch, record["val_accuracy"]
            best.weights = {k: v.detach().clone() for k, v in state.model.state_dict().items()}

    def on_fit_end(self, state) -> None:
        if state.best.weights is None:
            return
        request = state.stop_request
        if state.status == "diverged":
            state.model.load_state_dict(state.best.weights)
        elif request is not None and request.restore_best:
            state.model.load_state_dict(state.best.weights)
            state.reason, state.reason_params = "train.early_stopped", dict(request.values)
            state.events.append({"event": "early_stopping", **request.values})


class Checkpoints(Listener):
    def __init__(self, run):
        self.run = run

    def on_validated(self, state) -> None:
        self.save(state, "last", state.record)
        if state.record["best"]:
            self.save(state, "best", state.record)

    def on_end(self, state) -> None:
        if not _finite(state.model):
            return
        val = state.val_report
        last = state.history[-1] if state.history else {"epoch": 0, "val_loss": val["loss"],
                                                        "val_accuracy": val["accuracy"]}
        self.save(state, "last", last)
        if not self.run.checkpoint_path("best").exists():  # stopped before the first epoch ended
            self.save(state, "best", last)

    def save(self, state, which: str, record: dict) -> None:
        p = state.prepared
        extra = {k: v for k, v in record.items() if k != "event"} | {"run_id": self.run.id, "which": which}
        save_checkpoint(self.run.checkpoint_path(which), state.model, p.config, p.classes, p.mean, p.std,
                        p.input_shape, extra=extra)


def _finite(model: torch.nn.Module) -> bool:
    return all(torch.isfinite(v).all() for v in model.state_dict().values() if v.is_floating_point())
