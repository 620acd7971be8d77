"""Listeners: what reacts to a run while the loop trains it (fastai's callbacks).

The loop (``lab.train.loop``) only does the maths; at named moments it hands its state
(``lab.train.state.LoopState``: the model, the optimiser, the epoch, the history...) to
every listener, in order:

    on_start(state)        after the "start" and "check" records, before the first batch
    on_event(state, event) every record the run announces (start, check, batch, epoch, ..., end)
    on_batch_end(state)    after each step and its "batch" record (``state.batch``)
    on_validated(state)    an epoch scored on validation; its record (``state.record``) not yet announced
    on_epoch_end(state)    after the epoch's record was announced
    on_fit_end(state)      training over (finished, stopped, diverged), before the final evaluation
    on_end(state)          after the final evaluation (``state.val_report``), before the "end" record

A ``Listener`` overrides the moments it needs. A plain callable (the journal writer,
early stopping, the CLI's progress line, a page's progress, a test's ``list.append``)
receives the event dicts only. A listener that wants the run to end raises
``StopTraining``; every listener still sees the event that triggered it.
"""

from __future__ import annotations

import math

from lab.runs.store import Run


class StopTraining(Exception):
    """Raised by a listener to end the run after the current event.

    ``restore_best``: load the best epoch's weights (by validation loss) before the end.
    """

    def __init__(self, reason: str, restore_best: bool = False, **values):
        super().__init__(reason)
        self.reason, self.restore_best, self.values = reason, restore_best, values


class Listener:
    """Base of the listeners that need the loop's state; every moment does nothing until overridden."""

    def on_start(self, state) -> None: ...

    def on_event(self, state, event: dict) -> None: ...

    def on_batch_end(self, state) -> None: ...

    def on_validated(self, state) -> None: ...

    def on_epoch_end(self, state) -> None: ...

    def on_fit_end(self, state) -> None: ...

    def on_end(self, state) -> None: ...


class Records(Listener):
    """A plain callable as a listener: it receives the event dicts and nothing else."""

    def __init__(self, fn):
        self.fn = fn

    def on_event(self, state, event: dict) -> None:
        self.fn(event)


def as_listener(obj) -> Listener:
    return obj if isinstance(obj, Listener) else Records(obj)


class StopButton(Listener):
    """The student's Stop (a ``threading.Event``): the run ends after the current batch,
    or after the current epoch's checks when pressed while they ran."""

    def __init__(self, stop):
        self.stop = stop

    def on_batch_end(self, state) -> None:
        self._look(state)

    def on_epoch_end(self, state) -> None:
        self._look(state)

    def _look(self, state) -> None:
        if state.running and self.stop.is_set():
            state.end("stopped", "train.stopped", step=state.step)


POINTS_PER_EPOCH = 16  # training points per epoch in metrics.jsonl: a curve to follow, a file that stays small


class JournalWriter:
    """Appends events to the run's ``metrics.jsonl``.

    Every event except "batch" is written as it comes. Batch events arrive every step
    (hundreds per second on MNIST) and would make the file huge; instead a "step" event
    closes every few batches: about ``points_per_epoch`` per epoch whatever the run's size
    (3,000 images in batches of 64: 47 batches, a point every 3; 48,000: 750 batches, a
    point every 47; 10 batches: every one), so a 10-second run draws a curve within its
    first epoch and a long run does not flood the file. A "step" holds the mean loss and
    accuracy of the batches since the previous one and ``x``, its place on the epoch axis
    (epoch 2's batch 12 of 47 -> 1.255); the per-epoch "epoch" events stay the run's record.
    """

    def __init__(self, run: Run, points_per_epoch: int = POINTS_PER_EPOCH):
        self.run, self.points_per_epoch = run, max(1, int(points_per_epoch))
        self._epoch, self._window = None, []

    def __call__(self, event: dict) -> None:
        if event.get("event") != "batch":
            self.run.append(event)
            return
        if event.get("epoch") != self._epoch:  # a new epoch starts a new window
            self._epoch, self._window = event.get("epoch"), []
        self._window.append(event)
        batches, batch = int(event.get("batches") or 1), int(event.get("batch") or 1)
        every = math.ceil(batches / self.points_per_epoch)
        if batch % every == 0 or batch >= batches:
            self.run.append(step_point(self._window))
            self._window = []


def _mean(values: list) -> float | None:
    """The mean of finite numbers; None once any is not (a diverged batch), so the file stays JSON."""
    numbers = [float(v) for v in values if isinstance(v, (int, float))]
    return sum(numbers) / len(numbers) if numbers and all(math.isfinite(v) for v in numbers) else None


def step_point(window: list[dict]) -> dict:
    """One "step" event from the batch events since the previous one (at least one)."""
    last = window[-1]
    epoch, batch, batches = int(last.get("epoch", 1)), int(last.get("batch", 1)), int(last.get("batches") or 1)
    return {"event": "step", "epoch": epoch, "batch": batch, "batches": batches, "step": last.get("step"),
            "x": (epoch - 1) + batch / batches, "loss": _mean([e.get("loss") for e in window]),
            "accuracy": _mean([e.get("accuracy") for e in window]), "averaged": len(window),
            "lr": last.get("lr"), "seconds": last.get("seconds")}


class EarlyStopping:
    """Ends the run when the validation loss has not improved for ``patience`` epochs,
    restoring the best epoch's weights."""

    def __init__(self, patience: int, min_delta: float = 0.0):
        self.patience, self.min_delta = patience, min_delta
        self.best, self.best_epoch, self.waited = math.inf, 0, 0

    def __call__(self, event: dict) -> None:
        if event.get("event") != "epoch" or self.patience <= 0:
            return
        loss = event.get("val_loss", math.nan)
        if math.isfinite(loss) and loss < self.best - self.min_delta:
            self.best, self.best_epoch, self.waited = loss, event["epoch"], 0
            return
        self.waited += 1
        if self.waited >= self.patience:
            raise StopTraining("early_stopping", restore_best=True, epoch=event["epoch"],
                               best_epoch=self.best_epoch, patience=self.patience)
