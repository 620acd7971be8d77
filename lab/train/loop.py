"""``train()``: one prepared experiment, start to finish, as a stream of events.

The loop owns the maths (forward, loss, backward, step) and scores validation only (the
test split is for the end, ``lab.runs.evaluation``). Everything else is a listener
(``lab.train.listeners``) that receives the loop's state at named moments: the journal,
early stopping, the Stop button, best weights and checkpoints (``keepers``), the course's
divergence, overfitting and at-chance checks and the speed re-measurement (``watchers``),
progress bars. See ``lab.train`` for the event fields.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass, field

import torch
import torch.nn.functional as F

from lab.files import no_space
from lab.runs.store import Run
from lab.train import summary as S
from lab.train.allocator import keep_freed_memory
from lab.train.checks import initial_check
from lab.train.data import epoch_order, train_batch
from lab.train.evaluate import evaluate, loss_and_accuracy
from lab.train.keepers import BestWeights, Checkpoints
from lab.train.listeners import EarlyStopping, JournalWriter, StopButton, StopTraining, as_listener
from lab.train.prepared import Prepared
from lab.train.state import LoopState, begin, generators
from lab.train.watchers import AtChance, Divergence, Overfitting, SpeedCheck


@dataclass
class TrainResult:
    status: str  # finished | stopped | diverged | failed
    model: torch.nn.Module  # eval mode, on the training device; best weights if restored
    history: list[dict]  # the "epoch" events, in order
    summary: dict  # what summary.json holds
    check: dict  # the "check" event (initial loss)
    run: Run | None = None
    val_report: dict | None = None  # evaluate() on the validation split at the end
    events: list[dict] = field(default_factory=list)  # every non-batch event


def train(prepared: Prepared, run: Run | None = None, *, listeners=(), stop=None, device=None,
          channels_last: bool | None = None) -> TrainResult:
    """Train ``prepared``'s model (see ``lab.train`` for the arguments and events)."""
    started = time.perf_counter()
    keep_freed_memory()  # no page faults for the step's buffers (lab.train.allocator); once per process
    try:
        state = begin(prepared, run, started, device, channels_last)
    except BaseException as exc:  # a bad device or model: the journal still says why
        summary = S.failed(exc, 0, started, device or prepared.config.train.device)
        for listener in map(as_listener, listeners):  # no state yet: the caller's listeners only
            with contextlib.suppress(Exception):
                listener.on_event(None, {"event": "end", **summary})
        _write_quietly(run, summary)
        raise
    state.listeners = _listeners(state, listeners, stop)
    try:
        _fit(state)
    except BaseException as exc:
        full = no_space(exc, run.dir / "metrics.jsonl") if run is not None else None  # a full disk: one line
        state.status = "failed"
        summary = S.failed(full or exc, len(state.history), started, state.on.device)
        with contextlib.suppress(Exception):
            state.announce({"event": "end", **summary})
        _write_quietly(run, summary)
        if full is not None and full is not exc:
            raise full from None
        raise
    return _finish(state)


def _listeners(state: LoopState, given, stop) -> list:
    """In the order they hear each moment: what the run keeps (the epoch's "best" flag and
    speed figures go into the checkpoint, so BestWeights, SpeedCheck, then Checkpoints), its
    journal, early stopping, the caller's listeners, then the checks that read the epochs,
    and Stop last (a press during the checks ends the run after them)."""
    out = [BestWeights(), SpeedCheck()]
    if state.run is not None:
        out += [Checkpoints(state.run), JournalWriter(state.run)]
    if state.cfg.early_stopping > 0:
        out.append(EarlyStopping(state.cfg.early_stopping))
    out += [*given, Divergence(), Overfitting(), AtChance()]
    if stop is not None:
        out.append(StopButton(stop))
    return [as_listener(x) for x in out]


def _fit(state: LoopState) -> None:
    """Epochs until the plan, a listener (divergence, Stop) or a StopTraining ends them."""
    try:
        _announce_start(state)
        state.fire("on_start")
        order_gen, augment_gen = generators(state)
        state.model.train()
        for state.epoch in range(1, state.cfg.epochs + 1):  # state.epoch: the epoch under way
            _epoch(state, order_gen, augment_gen)
            if not state.running:
                break
    except StopTraining as exc:
        state.stop_request, state.reason = exc, exc.reason
        if not exc.restore_best:
            state.status = "stopped"
    if state.running:
        state.status = "finished"
    state.fire("on_fit_end")


def _announce_start(state: LoopState) -> None:
    """The "start" record, then the untrained model's "check" (``lab.train.checks.initial_check``)."""
    p, cfg, on = state.prepared, state.cfg, state.on
    if state.run is not None:
        state.run.update_meta(device=str(on.device), status="running")
    state.announce({"event": "start", "run_id": state.run.id if state.run else None, "device": str(on.device),
                    "epochs": cfg.epochs, "steps_per_epoch": len(state.bounds), "sizes": p.splits.sizes(),
                    "input_shape": list(p.input_shape), "classes": list(p.classes),
                    "parameters": sum(w.numel() for w in state.model.parameters()),
                    "mixed_precision": str(on.amp).replace("torch.", "") if on.amp else None,
                    "seed": cfg.seed, "speed": state.speed})
    state.check = initial_check(state.model, state.data["val_x"], state.data["val_y"], p.mean, p.std,
                                state.num_classes, on.device, p.input_shape)
    state.announce(state.check)


def _epoch(state: LoopState, order_gen: torch.Generator, augment_gen: torch.Generator) -> None:
    """One pass over the training split, then validation and the epoch's record."""
    p, dev = state.prepared, state.on.device
    epoch_start = time.perf_counter()
    order = epoch_order(len(p.splits.train_y), order_gen)
    if dev.type != "cpu":
        order = order.to(dev)
    loss_sum, correct, seen = 0.0, 0.0, 0  # over the epoch so far
    steps = list(p.config.augment.transforms)
    for i, (a, b) in enumerate(state.bounds):
        idx = order[a:b]
        xb = train_batch(state.data["train_x"][idx], steps, p.mean, p.std, augment_gen, p.input_shape,
                         state.on.channels_last)
        yb = state.data["train_y"][idx]
        batch_loss, batch_correct = _step(state, xb, yb)
        loss_sum, correct, seen = loss_sum + batch_loss * len(yb), correct + batch_correct, seen + len(yb)
        state.batch = {"event": "batch", "epoch": state.epoch, "step": state.step, "batch": i + 1,
                       "batches": len(state.bounds), "loss": batch_loss, "accuracy": batch_correct / len(yb),
                       "running_loss": loss_sum / seen, "running_accuracy": correct / seen, "lr": state.schedule.lr,
                       "seconds": time.perf_counter() - state.started}
        state.announce(state.batch)
        state.fire("on_batch_end")
        if not state.running:
            break
    epoch_train = time.perf_counter() - epoch_start
    state.train_seconds += epoch_train
    state.images_seen += seen
    if not state.running:
        return
    val_loss, val_acc = loss_and_accuracy(state.model, state.data["val_x"], state.data["val_y"], p.mean, p.std,
                                          dev, shape=p.input_shape, batches=state.batches)
    state.schedule.after_epoch()
    state.record = {"event": "epoch", "epoch": state.epoch, "epochs": state.cfg.epochs,
                    "train_loss": loss_sum / max(seen, 1), "train_accuracy": correct / max(seen, 1),
                    "val_loss": val_loss, "val_accuracy": val_acc, "lr": state.schedule.lr,
                    "best": False,  # BestWeights says
                    "seconds": time.perf_counter() - epoch_start, "train_seconds": epoch_train,
                    "images_per_sec": seen / max(epoch_train, 1e-9), "elapsed": time.perf_counter() - state.started}
    state.history.append(state.record)
    state.fire("on_validated")
    state.announce(state.record)
    state.fire("on_epoch_end")


def _step(state: LoopState, xb: torch.Tensor, yb: torch.Tensor) -> tuple[float, float]:
    """One optimiser step on a batch; (loss, correct predictions) as Python numbers."""
    model, optimizer, scaler = state.model, state.optimizer, state.scaler
    with state.on.autocast():
        logits = model(xb)
        loss = F.cross_entropy(logits.float(), yb, label_smoothing=state.cfg.label_smoothing)
    optimizer.zero_grad(set_to_none=True)
    if scaler is not None:
        scaler.scale(loss).backward()
        scaler.unscale_(optimizer)
    else:
        loss.backward()
    if state.cfg.grad_clip > 0:
        torch.nn.utils.clip_grad_norm_(model.parameters(), state.cfg.grad_clip)
    if scaler is not None:
        scaler.step(optimizer)
        scaler.update()
    else:
        optimizer.step()
    state.schedule.after_batch()
    state.step += 1
    # one device->host sync per step: the loss (also the divergence check) and hits
    hits = (logits.argmax(1) == yb).sum().float()
    batch_loss, batch_correct = torch.stack([loss.detach().float(), hits]).tolist()
    return batch_loss, batch_correct


def _finish(state: LoopState) -> TrainResult:
    """The final evaluation on the validation split, the last checkpoints, the summary."""
    p = state.prepared
    state.model.eval()
    state.val_report = evaluate(state.model, state.data["val_x"], state.data["val_y"], p.mean, p.std,
                                state.on.device, num_classes=state.num_classes, shape=p.input_shape)
    state.fire("on_end")
    summary = S.summarise(state)
    with contextlib.suppress(StopTraining):
        state.announce({"event": "end", **summary})
    if state.run is not None:
        state.run.write_summary(summary)
    return TrainResult(status=state.status, model=state.model, history=state.history, summary=summary,
                       check=state.check, run=state.run, val_report=state.val_report, events=state.events)


def _write_quietly(run: Run | None, summary: dict) -> None:
    if run is not None:
        with contextlib.suppress(Exception):
            run.write_summary(summary)
