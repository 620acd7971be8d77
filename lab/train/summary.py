"""What ``summary.json`` says about a run (the fields are listed in ``lab.train``)."""

from __future__ import annotations

import time

from lab.errors import as_record
from lab.train import advice as A
from lab.train.speed import achieved


def summarise(state) -> dict:
    """The summary of a run that trained (``state``: ``lab.train.state.LoopState`` after
    the final evaluation)."""
    best, val, events, classes = state.best, state.val_report, state.events, state.prepared.classes
    early = next((e for e in events if e["event"] == "early_stopping"), None)
    check = state.check
    summary = {
        "status": state.status, "reason": state.reason, "reason_params": dict(state.reason_params),
        "epochs": len(state.history),
        "planned_epochs": state.prepared.config.train.epochs, "steps": state.step, "best_epoch": best.epoch,
        "best_val_loss": best.loss if best.epoch else None,
        "best_val_accuracy": best.accuracy if best.epoch else None,
        "final_val_loss": val["loss"], "final_val_accuracy": val["accuracy"],
        "seconds": time.perf_counter() - state.started, "train_seconds": state.train_seconds,
        "images_per_sec": state.images_seen / state.train_seconds if state.train_seconds > 0 else None,
        "device": str(state.on.device),
        "per_class_accuracy": dict(zip(classes, val["per_class_accuracy"])), "confusion": val["confusion"],
        "classes": list(classes), "initial_check": {k: check.get(k) for k in ("ok", "loss", "accuracy", "notes")},
        "early_stopped": early is not None, "restored_epoch": best.epoch if early else None,
        "overfitting_epoch": next((e["epoch"] for e in events if e["event"] == "overfitting"), None),
        "speed": state.speed, "peak_macs_per_sec": state.speed.get("peak_macs_per_sec"),
    }
    summary.update(achieved(state.speed, summary["images_per_sec"]))
    if state.reason in A.ENGLISH:  # the reason's own numbers (``LoopState.end``): a key never shows unfilled
        summary["message"] = A.english(state.reason, **state.reason_params)
    return summary


def failed(exc: BaseException, epochs: int, started: float, device) -> dict:
    """The summary of a run that raised ``exc`` after ``epochs`` epochs."""
    return {"status": "failed", "reason": type(exc).__name__, "error": str(exc)[:500], "epochs": epochs,
            "seconds": time.perf_counter() - started, "device": str(device), **as_record(exc)}
