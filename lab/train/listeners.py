"""Listeners: plain callables that receive every event dict (fastai's callbacks).

The journal writer, early stopping, the CLI's progress line and the page's progress
are all listeners; the loop itself knows none of them. A listener that wants the run
to end raises ``StopTraining``; every listener still sees the event that triggered it.
"""

from __future__ import annotations

import math
import time

from lab.runs.store import Run


class StopTraining(Exception):
    """Raised by a listener to end the run after the current event.

    ``restore_best``: load the best epoch's weights (by validation loss) before the end.
    """

    def __init__(self, reason: str, restore_best: bool = False, **values):
        super().__init__(reason)
        self.reason, self.restore_best, self.values = reason, restore_best, values


class JournalWriter:
    """Appends events to the run's ``metrics.jsonl``.

    Every event except "batch" is written as it comes. Batch events arrive every step
    (hundreds per second on MNIST) and would make the file huge, so one is kept every
    ``every_steps`` steps or ``every_seconds`` seconds, whichever comes first.
    """

    def __init__(self, run: Run, every_steps: int = 50, every_seconds: float = 1.0):
        self.run, self.every_steps, self.every_seconds = run, every_steps, every_seconds
        self._last_step, self._last_time = -(10**9), 0.0

    def __call__(self, event: dict) -> None:
        if event.get("event") == "batch":
            now = time.monotonic()
            step = event.get("step", 0)
            if step - self._last_step < self.every_steps and now - self._last_time < self.every_seconds:
                return
            self._last_step, self._last_time = step, now
        self.run.append(event)


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
