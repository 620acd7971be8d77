"""``train()``: one experiment config, start to finish, as a stream of events.

The loop owns the maths (forward, loss, backward, step) and the course's automatic
checks (initial loss, divergence, overfitting); it scores validation only (the test
split is for the end, ``lab.runs.evaluation``); everything else listens to its events:
the journal, early stopping, progress bars. See ``lab.train`` for the event fields.
"""

from __future__ import annotations

import contextlib
import functools
import math
import time
from dataclasses import dataclass, field

import torch
import torch.nn.functional as F

from lab.model.checkpoint import save_checkpoint
from lab.config import ExperimentConfig
from lab.data import Splits
from lab.model.inputs import input_shape as model_input_shape
from lab.runs.store import Run
from lab.train import advice as A
from lab.train.allocator import keep_freed_memory
from lab.train.breaks import broken_model, effective_train
from lab.train.checks import at_chance, initial_check, overfitting
from lab.train.data import batch_slices, epoch_order, train_batch
from lab.train.device import amp_dtype, deterministic, generator, pick_device, seeded
from lab.train.evaluate import eval_batch_size, evaluate, loss_and_accuracy
from lab.train.listeners import EarlyStopping, JournalWriter, StopTraining
from lab.train.optim import Schedule, make_optimizer
from lab.train.speed import achieved, beyond_peak, run_speed

DIVERGE_FACTOR = 10.0  # a batch loss above 10x the initial loss counts as diverged


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


def train(config: ExperimentConfig, splits: Splits, *, classes: list[str], mean, std, run: Run | None = None,
          listeners=(), stop=None, device=None, model: torch.nn.Module | None = None,
          channels_last: bool | None = None) -> TrainResult:
    started = time.perf_counter()
    keep_freed_memory()  # no page faults for the step's buffers (lab.train.allocator); once per process
    cfg = effective_train(config)  # config.train, with the "lr x100" switch applied
    try:
        dev, model, input_shape, channels_last, amp, data = _prepare(config, splits, len(classes), device, model,
                                                                     channels_last)
        measure_speed = functools.partial(_speed, config, input_shape, len(classes),
                                          min(cfg.batch_size, len(splits.train_y)), dev, amp, channels_last)
        speed = measure_speed()
    except BaseException as exc:  # a bad architecture or device: the journal still says why
        _finish_failed(run, exc, lambda e: [_quiet(fn, e) for fn in listeners], [], started, device or cfg.device)
        raise
    steps = list(config.augment.transforms)
    num_classes = len(classes)
    scaler = torch.amp.GradScaler("cuda") if amp == torch.float16 else None
    shuffle_gen = torch.Generator().manual_seed(cfg.seed)
    augment_gen = generator(dev, cfg.seed + 1)
    bounds = batch_slices(len(splits.train_y), cfg.batch_size)
    optimizer = make_optimizer(model.parameters(), cfg, dev)
    schedule = Schedule(optimizer, cfg, len(bounds))

    internal = [JournalWriter(run)] if run is not None else []
    if cfg.early_stopping > 0:
        internal.append(EarlyStopping(cfg.early_stopping))
    kept_events: list[dict] = []

    def emit(event: dict) -> None:
        if event["event"] != "batch":
            kept_events.append(event)
        stop_request = None
        for fn in (*internal, *listeners):
            try:
                fn(event)
            except StopTraining as exc:
                stop_request = stop_request or exc
        if stop_request is not None:
            raise stop_request

    # no autocast here: validation scores in float32 even when training autocasts, so the journal's
    # numbers are exactly what any later evaluation of the checkpoint gives (lab.runs.evaluation, Predict)
    eval_kw = {"batch_size": eval_batch_size(dev), "shape": input_shape, "channels_last": channels_last}
    status, reason, history = "finished", "", []
    best = {"loss": math.inf, "epoch": 0, "state": None, "accuracy": float("nan")}
    step, train_seconds, images_seen = 0, 0.0, 0
    check: dict = {}
    if run is not None:
        run.update_meta(device=str(dev), status="running")
    try:
        emit({"event": "start", "run_id": run.id if run else None, "device": str(dev), "epochs": cfg.epochs,
              "steps_per_epoch": len(bounds), "sizes": splits.sizes(), "input_shape": list(input_shape),
              "classes": list(classes), "parameters": sum(p.numel() for p in model.parameters()),
              "mixed_precision": str(amp).replace("torch.", "") if amp else None, "seed": cfg.seed,
              "speed": speed})
        check = initial_check(model, data["val_x"], data["val_y"], mean, std, num_classes, dev, input_shape)
        emit(check)
        initial_loss = check["loss"] if math.isfinite(check["loss"]) else math.log(num_classes)
        limit = DIVERGE_FACTOR * max(initial_loss, math.log(num_classes))
        model.train()
        for epoch in range(1, cfg.epochs + 1):
            epoch_start = time.perf_counter()
            order = epoch_order(len(splits.train_y), shuffle_gen)
            if dev.type != "cpu":
                order = order.to(dev)
            loss_sum, correct, seen = 0.0, 0.0, 0  # over the epoch so far
            for i, (a, b) in enumerate(bounds):
                idx = order[a:b]
                xb = train_batch(data["train_x"][idx], steps, mean, std, augment_gen, input_shape, channels_last)
                yb = data["train_y"][idx]
                with torch.autocast(dev.type, dtype=amp) if amp else contextlib.nullcontext():
                    logits = model(xb)
                    loss = F.cross_entropy(logits.float(), yb, label_smoothing=cfg.label_smoothing)
                optimizer.zero_grad(set_to_none=True)
                if scaler is not None:
                    scaler.scale(loss).backward()
                    scaler.unscale_(optimizer)
                else:
                    loss.backward()
                if cfg.grad_clip > 0:
                    torch.nn.utils.clip_grad_norm_(model.parameters(), cfg.grad_clip)
                if scaler is not None:
                    scaler.step(optimizer)
                    scaler.update()
                else:
                    optimizer.step()
                schedule.after_batch()
                step += 1
                # one device->host sync per step: the loss (also the divergence check) and hits
                hits = (logits.argmax(1) == yb).sum().float()
                batch_loss, batch_correct = torch.stack([loss.detach().float(), hits]).tolist()
                loss_sum, correct, seen = loss_sum + batch_loss * len(yb), correct + batch_correct, seen + len(yb)
                emit({"event": "batch", "epoch": epoch, "step": step, "batch": i + 1, "batches": len(bounds),
                      "loss": batch_loss, "accuracy": batch_correct / len(yb), "running_loss": loss_sum / seen,
                      "running_accuracy": correct / seen, "lr": schedule.lr,
                      "seconds": time.perf_counter() - started})
                if not math.isfinite(batch_loss) or batch_loss > limit:
                    key = "train.diverged.nan" if not math.isfinite(batch_loss) else "train.diverged.exploded"
                    values = {"step": step, "loss": batch_loss, "initial": initial_loss, "factor": DIVERGE_FACTOR}
                    emit({"event": "diverged", "epoch": epoch, "step": step, "loss": batch_loss,
                          "initial_loss": initial_loss, "notes": [key], "advice": list(A.DIVERGED_ADVICE),
                          "values": values,
                          "message": " ".join(A.english(k, **values) for k in [key, *A.DIVERGED_ADVICE])})
                    status, reason = "diverged", key
                    break
                if stop is not None and stop.is_set():
                    status, reason = "stopped", "train.stopped"
                    break
            epoch_train = time.perf_counter() - epoch_start
            train_seconds += epoch_train
            images_seen += seen
            if status != "finished":
                break
            train_loss, train_acc = loss_sum / max(seen, 1), correct / max(seen, 1)
            val_loss, val_acc = loss_and_accuracy(model, data["val_x"], data["val_y"], mean, std, dev, **eval_kw)
            improved = math.isfinite(val_loss) and val_loss < best["loss"]
            if improved:
                best.update(loss=val_loss, epoch=epoch, accuracy=val_acc,
                            state={k: v.detach().clone() for k, v in model.state_dict().items()})
            schedule.after_epoch()
            event = {"event": "epoch", "epoch": epoch, "epochs": cfg.epochs, "train_loss": train_loss,
                     "train_accuracy": train_acc, "val_loss": val_loss, "val_accuracy": val_acc,
                     "lr": schedule.lr, "best": improved, "seconds": time.perf_counter() - epoch_start,
                     "train_seconds": epoch_train, "images_per_sec": seen / max(epoch_train, 1e-9),
                     "elapsed": time.perf_counter() - started}
            event.update(achieved(speed, event["images_per_sec"]))
            if beyond_peak(event) and not speed.get("remeasured"):
                speed = {**measure_speed(remeasure=True), "remeasured": epoch}
                event.update(achieved(speed, event["images_per_sec"]), speed=speed)
            history.append(event)
            if run is not None:
                _save(run, "last", model, config, classes, mean, std, input_shape, event)
                if improved:
                    _save(run, "best", model, config, classes, mean, std, input_shape, event)
            found = overfitting(history)
            emit(event)
            if found is not None and not any(e["event"] == "overfitting" for e in kept_events):
                values = {"epoch": found["epoch"], "best_epoch": found["best_epoch"], "gap": found["gap"]}
                keys = ["train.overfitting.started", *A.OVERFITTING_ADVICE]
                emit({"event": "overfitting", "epoch": found["epoch"], "detected_at": epoch,
                      "notes": keys[:1], "advice": keys[1:], "values": values,
                      "message": " ".join(A.english(k, **values) for k in keys)})
            chance = at_chance(history, num_classes)
            if chance is not None and not any(e["event"] == "chance" for e in kept_events):
                keys = ["train.chance.val", *A.CHANCE_ADVICE]
                emit({"event": "chance", "epoch": epoch, "notes": keys[:1], "advice": keys[1:], "values": chance,
                      "message": " ".join(A.english(k, **chance) for k in keys)})
            if stop is not None and stop.is_set():
                status, reason = "stopped", "train.stopped"
                break
    except StopTraining as exc:
        reason = exc.reason
        if not exc.restore_best:
            status = "stopped"
        elif best["state"] is not None:
            model.load_state_dict(best["state"])
            reason = "train.early_stopped"
            kept_events.append({"event": "early_stopping", **exc.values})
    except BaseException as exc:
        status = "failed"
        _finish_failed(run, exc, emit, history, started, dev)
        raise
    if status == "diverged" and best["state"] is not None:
        model.load_state_dict(best["state"])  # NaN weights are no use to anyone
    model.eval()
    return _finish(config, splits, data, model, run, emit, status, reason, history, best, check, classes, mean, std,
                   input_shape, dev, eval_kw, started, train_seconds, images_seen, step, kept_events, speed)


def _speed(config, input_shape, num_classes, batch, dev, amp, channels_last, remeasure: bool = False) -> dict:
    """The run's multiply-adds per image and this machine's peak for its layers
    (``lab.train.speed``); empty for a hand-made model its config does not describe."""
    from lab.model.plan import make_plan

    plan = make_plan(config.model, input_shape, num_classes)
    if not plan.ok:
        return {}
    return run_speed(plan, batch, dev, amp, channels_last, remeasure)


def _prepare(config, splits, num_classes, device, model, channels_last):
    """Device, model (built under the seed unless given), input shape, layout, autocast
    dtype and the data on the device."""
    cfg = config.train
    if len(splits.train_y) == 0 or len(splits.val_y) == 0:
        from lab.errors import keyed
        from lab.train.messages import MESSAGES

        raise keyed(MESSAGES, "train.nothing_to_train", train=len(splits.train_y), val=len(splits.val_y))
    dev = pick_device(device or cfg.device)
    if channels_last is None:
        # oneDNN's CPU convolutions, pooling and ReLU vectorise over channels in NHWC: about
        # 1.1x faster per training step and 1.7x in evaluation for the baseline on MNIST
        channels_last = dev.type == "cpu"
    deterministic(dev)
    raw_shape = tuple(int(v) for v in splits.train_x.shape[1:])
    input_shape = model_input_shape(config, raw_shape)
    with seeded(cfg.seed):
        if model is None:
            from lab.model import build_model

            model = build_model(config.model, input_shape, num_classes)
        model = broken_model(config, model)
    model.to(dev)
    if channels_last:
        model.to(memory_format=torch.channels_last)
    amp = amp_dtype(dev, cfg.mixed_precision)
    # The whole uint8 training and validation data move to the GPU once: batches are then
    # slices in GPU memory. The test split stays out of training altogether: it is scored
    # only when the student asks (``lab.runs.evaluation``), so no run is chosen on it.
    data = {k: getattr(splits, k).to(dev) if dev.type != "cpu" else getattr(splits, k)
            for k in ("train_x", "train_y", "val_x", "val_y")}
    return dev, model, input_shape, channels_last, amp, data


def _quiet(fn, event) -> None:
    with contextlib.suppress(Exception):
        fn(event)


def _finite(model: torch.nn.Module) -> bool:
    return all(torch.isfinite(v).all() for v in model.state_dict().values() if v.is_floating_point())


def _save(run, which, model, config, classes, mean, std, input_shape, extra) -> None:
    extra = {k: v for k, v in extra.items() if k != "event"} | {"run_id": run.id, "which": which}
    save_checkpoint(run.checkpoint_path(which), model, config, classes, mean, std, input_shape, extra=extra)


def _finish(config, splits, data, model, run, emit, status, reason, history, best, check, classes, mean, std,
            input_shape, dev, eval_kw, started, train_seconds, images_seen, step, kept_events,
            speed) -> TrainResult:
    val = evaluate(model, data["val_x"], data["val_y"], mean, std, dev, num_classes=len(classes),
                   batch_size=eval_kw["batch_size"], shape=input_shape)
    if run is not None and _finite(model):
        last = history[-1] if history else {"epoch": 0, "val_loss": val["loss"], "val_accuracy": val["accuracy"]}
        _save(run, "last", model, config, classes, mean, std, input_shape, last)
        if not run.checkpoint_path("best").exists():  # stopped before the first epoch ended
            _save(run, "best", model, config, classes, mean, std, input_shape, last)
    seconds = time.perf_counter() - started
    early = next((e for e in kept_events if e["event"] == "early_stopping"), None)
    summary = {
        "status": status, "reason": reason, "epochs": len(history), "planned_epochs": config.train.epochs,
        "steps": step, "best_epoch": best["epoch"],
        "best_val_loss": best["loss"] if best["epoch"] else None,
        "best_val_accuracy": best["accuracy"] if best["epoch"] else None,
        "final_val_loss": val["loss"], "final_val_accuracy": val["accuracy"],
        "seconds": seconds, "train_seconds": train_seconds,
        "images_per_sec": images_seen / train_seconds if train_seconds > 0 else None, "device": str(dev),
        "per_class_accuracy": dict(zip(classes, val["per_class_accuracy"])), "confusion": val["confusion"],
        "classes": list(classes), "initial_check": {k: check.get(k) for k in ("ok", "loss", "accuracy", "notes")},
        "early_stopped": early is not None, "restored_epoch": best["epoch"] if early else None,
        "overfitting_epoch": next((e["epoch"] for e in kept_events if e["event"] == "overfitting"), None),
        "speed": speed, "peak_macs_per_sec": speed.get("peak_macs_per_sec"),
    }
    summary.update(achieved(speed, summary["images_per_sec"]))
    if early is not None:
        values = {"epoch": early.get("epoch"), "best_epoch": early.get("best_epoch"), "patience": early.get("patience")}
        summary["message"] = A.english("train.early_stopped", **values)
    elif reason:
        summary["message"] = A.english(reason, step=step)
    try:
        emit({"event": "end", **summary})
    except StopTraining:
        pass
    if run is not None:
        run.write_summary(summary)
    return TrainResult(status=status, model=model, history=history, summary=summary, check=check, run=run,
                       val_report=val, events=kept_events)


def _finish_failed(run, exc, emit, history, started, dev) -> None:
    from lab.errors import as_record

    summary = {"status": "failed", "reason": type(exc).__name__, "error": str(exc)[:500], "epochs": len(history),
               "seconds": time.perf_counter() - started, "device": str(dev), **as_record(exc)}
    with contextlib.suppress(Exception):
        emit({"event": "end", **summary})
    if run is not None:
        with contextlib.suppress(Exception):
            run.write_summary(summary)
