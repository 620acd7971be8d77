"""The course's checks while a run trains, as listeners: each watches the loop's state and
announces what a student should know (with the catalogue's notes and advice).

- ``Divergence``: a batch loss that is not a number, or above ``DIVERGE_FACTOR`` times the
  initial loss, ends the run as "diverged".
- ``Overfitting`` and ``AtChance``: once each, from the epoch history
  (``lab.train.checks.overfitting`` and ``at_chance``).
- ``SpeedCheck``: an epoch faster than the machine's peak means the cached peak was
  measured on busy cores; the layers are timed again, once.
"""

from __future__ import annotations

import math

from lab.train import advice as A
from lab.train.checks import at_chance, overfitting
from lab.train.listeners import Listener
from lab.train.speed import achieved, beyond_peak

DIVERGE_FACTOR = 10.0  # a batch loss above 10x the initial loss counts as diverged


class Divergence(Listener):
    def on_start(self, state) -> None:
        # the initial check's loss, or ln(N) when even that was not a number
        n = state.num_classes
        self.initial = state.check["loss"] if math.isfinite(state.check["loss"]) else math.log(n)
        self.limit = DIVERGE_FACTOR * max(self.initial, math.log(n))

    def on_batch_end(self, state) -> None:
        loss = state.batch["loss"]
        if math.isfinite(loss) and loss <= self.limit:
            return
        key = "train.diverged.nan" if not math.isfinite(loss) else "train.diverged.exploded"
        values = {"step": state.step, "loss": loss, "initial": self.initial, "factor": DIVERGE_FACTOR}
        state.announce({"event": "diverged", "epoch": state.epoch, "step": state.step, "loss": loss,
                        "initial_loss": self.initial, "notes": [key], "advice": list(A.DIVERGED_ADVICE),
                        "values": values, "message": " ".join(A.english(k, **values) for k in [key, *A.DIVERGED_ADVICE])})
        state.end("diverged", key, **values)


class Overfitting(Listener):
    def __init__(self):
        self.seen = False  # said once per run

    def on_epoch_end(self, state) -> None:
        found = None if self.seen else overfitting(state.history)
        if found is None:
            return
        self.seen = True
        values = {"epoch": found["epoch"], "best_epoch": found["best_epoch"], "gap": found["gap"]}
        keys = ["train.overfitting.started", *A.OVERFITTING_ADVICE]
        state.announce({"event": "overfitting", "epoch": found["epoch"], "detected_at": state.epoch,
                        "notes": keys[:1], "advice": keys[1:], "values": values,
                        "message": " ".join(A.english(k, **values) for k in keys)})


class AtChance(Listener):
    def __init__(self):
        self.seen = False  # said once per run

    def on_epoch_end(self, state) -> None:
        chance = None if self.seen else at_chance(state.history, state.num_classes)
        if chance is None:
            return
        self.seen = True
        keys = ["train.chance.val", *A.CHANCE_ADVICE]
        state.announce({"event": "chance", "epoch": state.epoch, "notes": keys[:1], "advice": keys[1:],
                        "values": chance, "message": " ".join(A.english(k, **chance) for k in keys)})


class SpeedCheck(Listener):
    """Adds the epoch's multiply-adds per second and share of the peak to its record."""

    def on_validated(self, state) -> None:
        record = state.record
        record.update(achieved(state.speed, record["images_per_sec"]))
        if beyond_peak(record) and not state.speed.get("remeasured"):
            state.speed = {**state.measure_speed(), "remeasured": state.epoch}
            record.update(achieved(state.speed, record["images_per_sec"]), speed=state.speed)
