"""``LoopState``: everything the training loop knows, in one object its listeners receive.

``begin`` sets a run up from its ``Prepared`` (device, memory layout, autocast, the data on
the device, the optimiser and schedule, the speed figures); the loop then advances
``epoch``/``step``/``history``; listeners read it (the model included, so one can save a
checkpoint) and end the run through ``end``. ``announce`` hands an event dict to every
listener, which is how the journal, the progress bars and early stopping hear of the run.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass, field

import torch

from lab.config import TrainConfig
from lab.model.freeze import param_groups
from lab.model.plan import make_plan
from lab.train.advice import ENGLISH, english
from lab.runs.store import Run
from lab.train.breaks import effective_train
from lab.train.data import batch_slices
from lab.train.device import Device, generator, training_device
from lab.train.evaluate import Batches, eval_batch_size
from lab.train.listeners import Listener, StopTraining
from lab.train.optim import Schedule, make_optimizer
from lab.train.prepared import Prepared
from lab.train.speed import run_speed


@dataclass
class Best:
    """The epoch with the lowest validation loss so far, and a copy of its weights (on the
    training device: restoring them needs no transfer)."""

    loss: float = math.inf
    epoch: int = 0  # 0: no epoch scored yet
    accuracy: float = float("nan")
    weights: dict | None = None


@dataclass
class LoopState:
    """What the loop knows; listeners read it and change it only through ``end``, ``best``
    and what their own job is (the model's weights for ``BestWeights``)."""

    prepared: Prepared
    run: Run | None
    cfg: TrainConfig  # the training settings in force ("lr x100" applied)
    on: Device
    model: torch.nn.Module  # prepared.model, on the device
    optimizer: torch.optim.Optimizer
    schedule: Schedule
    data: dict  # train_x, train_y, val_x, val_y on the device (uint8 images)
    bounds: list  # (start, end) of each batch of an epoch
    speed: dict  # lab.train.speed.run_speed's figures (empty for a hand-made model)
    measure_speed: Callable[[], dict]  # the speed figures measured again (remeasure=True)
    started: float  # time.perf_counter() when train() was called
    scaler: torch.amp.GradScaler | None = None  # float16 autocast only (bfloat16 needs none)
    listeners: list[Listener] = field(default_factory=list)
    status: str = "running"  # running | finished | stopped | diverged
    reason: str = ""  # a catalogue key
    reason_params: dict = field(default_factory=dict)  # the numbers the reason's text is filled with
    epoch: int = 0
    step: int = 0  # global, 1-based once a step ran
    check: dict = field(default_factory=dict)  # the "check" event
    batch: dict = field(default_factory=dict)  # the latest "batch" event
    record: dict = field(default_factory=dict)  # the latest "epoch" event
    history: list[dict] = field(default_factory=list)  # the "epoch" events, in order
    events: list[dict] = field(default_factory=list)  # every non-batch event
    best: Best = field(default_factory=Best)
    stop_request: StopTraining | None = None  # what a listener's StopTraining asked for
    train_seconds: float = 0.0  # in the training steps, validation excluded
    images_seen: int = 0
    val_report: dict | None = None  # evaluate() on the validation split at the end

    @property
    def running(self) -> bool:
        return self.status == "running"

    @property
    def num_classes(self) -> int:
        return len(self.prepared.classes)

    @property
    def batches(self) -> Batches:
        # no autocast here: validation scores in float32 even when training autocasts, so the
        # journal's numbers are exactly what any later evaluation of the checkpoint gives
        return Batches(eval_batch_size(self.on.device), channels_last=self.on.channels_last)

    def end(self, status: str, reason: str, **params) -> None:
        """Ends the run after the current batch (the loop looks after every listener). ``reason``
        is a catalogue key and ``params`` every number its text needs: the summary fills it. A
        number left out raises ``KeyError`` here, at the listener that forgot it."""
        if reason in ENGLISH:
            english(reason, **params)
        self.status, self.reason, self.reason_params = status, reason, params

    def fire(self, hook: str) -> None:
        for listener in self.listeners:
            getattr(listener, hook)(self)

    def announce(self, event: dict) -> None:
        """``event`` to every listener; a StopTraining waits until all of them saw it."""
        if event["event"] != "batch":
            self.events.append(event)
        request = None
        for listener in self.listeners:
            try:
                listener.on_event(self, event)
            except StopTraining as exc:
                request = request or exc
        if request is not None:
            raise request


def begin(prepared: Prepared, run: Run | None, started: float, device=None,
          channels_last: bool | None = None) -> LoopState:
    """The state before the first batch: the model on its device, the data beside it, the
    optimiser, and this machine's speed figures for the model."""
    cfg = effective_train(prepared.config)  # config.train, with the "lr x100" switch applied
    on = training_device(prepared.config.train, device, channels_last)
    model = on.place(prepared.model)
    batch = min(cfg.batch_size, len(prepared.splits.train_y))
    measure = functools.partial(_speed, prepared, batch, on)
    speed = measure()
    # The whole uint8 training and validation data move to the GPU once: batches are then
    # slices in GPU memory. The test split stays out of training altogether: it is scored
    # only when the student asks (``lab.runs.evaluation``), so no run is chosen on it.
    data = {k: getattr(prepared.splits, k) for k in ("train_x", "train_y", "val_x", "val_y")}
    if on.device.type != "cpu":
        data = {k: v.to(on.device) for k, v in data.items()}
    bounds = batch_slices(len(prepared.splits.train_y), cfg.batch_size)
    optimizer = make_optimizer(trainable(prepared, cfg), cfg, on.device)
    scaler = torch.amp.GradScaler("cuda") if on.amp == torch.float16 else None
    return LoopState(prepared, run, cfg, on, model, optimizer, Schedule(optimizer, cfg, len(bounds)), data, bounds,
                     speed, functools.partial(measure, remeasure=True), started, scaler)


def trainable(prepared: Prepared, cfg: TrainConfig) -> list[dict]:
    """The optimiser's parameter groups: frozen layers left out, loaded ones at
    ``lr * pretrained_lr_factor`` (``lab.model.freeze.param_groups``)."""
    loaded = set(prepared.transfer.loaded) if prepared.transfer is not None else set()
    return param_groups(prepared.model, cfg.lr, loaded, cfg.pretrained_lr_factor if loaded else 1.0)


def _speed(prepared: Prepared, batch: int, on: Device, remeasure: bool = False) -> dict:
    """The run's multiply-adds per image and this machine's peak for its layers
    (``lab.train.speed``); empty for a hand-made model its config does not describe."""
    if prepared.config.model.ready:  # a torchvision network: its plan's rows are whole blocks, not timeable layers
        return {}
    plan = make_plan(prepared.config.model, prepared.input_shape, len(prepared.classes))
    if not plan.ok:
        return {}
    return run_speed(plan, batch, on.device, on.amp, on.channels_last, remeasure)


def generators(state: LoopState) -> tuple[torch.Generator, torch.Generator]:
    """(epoch order, augmentation draws), both from the run's seed."""
    return torch.Generator().manual_seed(state.cfg.seed), generator(state.on.device, state.cfg.seed + 1)
