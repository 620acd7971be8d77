"""A run's scores as the journal shows them: best and final validation accuracy, best
loss, the test accuracy of its current checkpoint, epochs and seconds. Read from the run
folder; both the journal and seed groups (``lab.runs.seeds``) read them here."""

from __future__ import annotations

import math

from lab.runs.store import Run


def scores(run: Run) -> dict:
    """Best and final validation accuracy, best loss, test accuracy, epochs and seconds of ``run``.

    From summary.json when the run has ended, else from the epochs logged so far (a
    running or lost run still shows what it reached). The test accuracy is None until the
    student has evaluated the run's current checkpoint on test (``lab.runs.evaluation``).
    """
    summary = run.summary() or {}
    epochs = run.epochs()
    accs = [e["val_accuracy"] for e in epochs if finite(e.get("val_accuracy"))]
    losses = [e["val_loss"] for e in epochs if finite(e.get("val_loss"))]
    out = {
        "best_val_accuracy": summary.get("best_val_accuracy", max(accs) if accs else None),
        "best_val_loss": summary.get("best_val_loss", min(losses) if losses else None),
        "test_accuracy": _test_accuracy(run),
        # the weights the run ended with (a run stopped in its first epoch has no best one)
        "final_val_accuracy": summary.get("final_val_accuracy"),
        "epochs": summary.get("epochs", len(epochs)),
        "seconds": summary.get("seconds", sum(float(e.get("seconds") or 0) for e in epochs) or None),
    }
    return {k: (v if v is None or finite(v) else None) for k, v in out.items()}


def _test_accuracy(run: Run) -> float | None:
    # scoring imports torch; the journal's pages need it only when a run has a test record
    from lab.runs.evaluation import latest_test

    found = latest_test(run)
    return found["accuracy"] if found else None


def finite(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
