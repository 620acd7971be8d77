"""The course's checks after the fact: what only a finished run's numbers show.

``lab.train.rules`` warns before a run (weight decay on a first run, Adam's range, no
baseline yet...), and the training loop's watchers while it trains (divergence,
overfitting, validation at chance). Some things a student should hear are visible only in
the numbers afterwards; each is a pure function of a finished run's folder (``Facts``:
config.json, summary.json, the "start" and "epoch" records of metrics.jsonl) and, for the
last two, of the journal beside it:

- ``barely_moved``: the validation loss and accuracy hardly changed from the untrained model's;
- ``coarse_validation``: so few validation images that one image is a visible step of
  accuracy and a difference between runs of a point or two is noise (Wilson's 95 % interval);
- ``batch_vs_data``: a batch larger than the training set (an epoch is one step), or so few
  weight updates in all that the curves cannot say much;
- ``still_improving``: all epochs ran and the last was the best, still clearly falling;
- ``majority_class``: accuracy no better than always answering the most common class;
- ``same_as``: the same settings and seed as a run already in the journal (the same numbers
  again: no information);
- ``test_looks`` (after ``lab evaluate``/"Evaluate on test"): the same run's test score asked
  for again, and the test set looked at for a second model or more in the workspace.

Each finding is ``(key, params)``: English in ``MESSAGES`` (the CLI's lines), Russian in
``lab/i18n/texts/rules.py``; the Training page shows them under the run's report, ``lab
train`` after the run, ``lab evaluate`` after the score.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from lab.config import ExperimentConfig, to_dict
from lab.errors import LabError
from lab.i18n.numbers import fill
from lab.runs.store import Run, RunStore

Finding = tuple[str, dict[str, Any]]

MESSAGES = {
    "after.barely_moved": "The run barely moved: in {epochs} epoch(s) the validation loss went from {loss0:.3f} to "
                          "{loss1:.3f} ({drop:.1%} lower) and the accuracy from {acc0:.1%} to {acc1:.1%}. The "
                          "learning rate {lr:g} may be too low, or the weights are not learning: try a 10x higher "
                          "rate, and check \"Overfit one batch\".",
    "after.coarse_validation": "Only {n} validation images: one image is {step:.2f} points of accuracy, and "
                               "{acc:.1%} means anything from {low:.1%} to {high:.1%} (95% interval). Differences "
                               "between runs smaller than that are noise: use a larger validation fraction.",
    "after.batch_over_data": "The batch size {batch} is larger than the {n} training images: each epoch was one "
                             "step over the whole set ({steps} weight updates in all). Use a batch a fraction of "
                             "the training set (32-128 images).",
    "after.few_steps": "Only {steps} weight updates in all ({n} training images in batches of {batch}, {epochs} "
                       "epoch(s)): too few to judge the settings. Train more epochs or on more images before "
                       "comparing.",
    "after.still_improving": "The last epoch was the best and the validation loss was still falling ({prev:.4f} -> "
                             "{last:.4f}, {drop:.1%} in one epoch): more epochs would probably help before changing "
                             "anything else.",
    "after.majority_class": "Validation accuracy {acc:.1%} is no better than always answering {name}, the class of "
                            "{share:.1%} of the validation images: read the per-class accuracy and the confusion "
                            "matrix, not the accuracy alone.",
    "after.same_as": "Same settings and seed as run {other}: it reproduces that run's numbers (best validation "
                     "accuracy {acc_other:.2%} there, {acc:.2%} here) and adds no information. To see whether a "
                     "difference is real, repeat with other seeds (--seeds 3); to learn something, change one "
                     "setting.",
    "after.test_asked_again": "Run {run}'s test score was asked for {n} times: the weights are the same, so is the "
                              "number; each look you act on makes the test set one more validation set.",
    "after.test_looks": "The test set has now been looked at for {n} models in this journal: choose between models "
                        "on validation, and look at the test set once, for the model you chose, at the end.",
}

MOVED_LOSS = 0.05  # a validation loss less than 5 % below the untrained model's has barely moved...
MOVED_POINTS = 0.02  # ...when validation accuracy also gained less than 2 points
MIN_VAL = 1000  # below this many validation images, a point of accuracy is within the noise (see coarse_validation)
MIN_STEPS = 30  # fewer weight updates than this in a whole run say little about its settings
STILL_FALLING = 0.02  # a last epoch that lowered the validation loss by 2 % or more was still improving
MAJORITY_MARGIN = 0.01  # "no better than the majority class": within 1 point of its share
IMBALANCED = 0.10  # ...and only where that class is 10 points above an even share (else it is the chance check)


@dataclass
class Facts:
    """What a finished run's folder says (``facts(run)``); a crafted one in tests."""

    config: ExperimentConfig
    summary: dict
    epochs: list[dict] = field(default_factory=list)  # the "epoch" records, in order
    sizes: dict = field(default_factory=dict)  # {"train", "val", "test"} images (the "start" record)


def facts(run: Run) -> Facts | None:
    """The run's folder read once; None for a run that has not ended or cannot be read."""
    try:
        cfg = run.config()
    except LabError:
        return None
    summary = run.summary()
    if not summary or summary.get("status") not in ("finished", "stopped", "diverged"):
        return None
    start = run.events("start")
    return Facts(cfg, summary, run.epochs(), dict(start[0].get("sizes") or {}) if start else {})


# --- one run's numbers ---------------------------------------------------------------------------
def barely_moved(f: Facts) -> Finding | None:
    check, s = f.summary.get("initial_check") or {}, f.summary
    if not f.epochs or s.get("status") == "diverged" or not _finite(check.get("loss"), check.get("accuracy")):
        return None
    loss0, acc0 = check["loss"], check["accuracy"]
    loss1, acc1 = f.epochs[-1].get("val_loss"), s.get("best_val_accuracy")
    if not _finite(loss1, acc1) or loss0 <= 0:
        return None
    drop = (loss0 - loss1) / loss0
    if drop >= MOVED_LOSS or acc1 - acc0 >= MOVED_POINTS:
        return None
    return ("after.barely_moved", {"epochs": len(f.epochs), "loss0": loss0, "loss1": loss1, "drop": drop,
                                   "acc0": acc0, "acc1": acc1, "lr": f.config.train.lr})


def wilson(p: float, n: int, z: float = 1.96) -> tuple[float, float]:
    """Wilson's 95 % interval for an accuracy ``p`` measured on ``n`` images (right at 0 % and 100 % too)."""
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def coarse_validation(f: Facts) -> Finding | None:
    n, acc = int(f.sizes.get("val") or 0), f.summary.get("best_val_accuracy")
    if not 0 < n < MIN_VAL or not _finite(acc):
        return None
    low, high = wilson(acc, n)
    return ("after.coarse_validation", {"n": n, "step": 100 / n, "acc": acc, "low": low, "high": high})


def batch_vs_data(f: Facts) -> Finding | None:
    n, batch, steps = int(f.sizes.get("train") or 0), f.config.train.batch_size, int(f.summary.get("steps") or 0)
    if n <= 0 or not f.epochs:
        return None
    if batch > n:
        return ("after.batch_over_data", {"batch": batch, "n": n, "steps": steps})
    if steps < MIN_STEPS and f.summary.get("status") == "finished":
        return ("after.few_steps", {"steps": steps, "n": n, "batch": batch, "epochs": len(f.epochs)})
    return None


def still_improving(f: Facts) -> Finding | None:
    s = f.summary
    if s.get("status") != "finished" or s.get("early_stopped") or len(f.epochs) < 2:
        return None
    prev, last = f.epochs[-2].get("val_loss"), f.epochs[-1].get("val_loss")
    if s.get("best_epoch") != len(f.epochs) or not _finite(prev, last) or prev <= 0:
        return None
    drop = (prev - last) / prev
    return ("after.still_improving", {"prev": prev, "last": last, "drop": drop}) if drop >= STILL_FALLING else None


def majority_class(f: Facts) -> Finding | None:
    confusion, classes = f.summary.get("confusion") or [], f.summary.get("classes") or []
    acc = f.summary.get("final_val_accuracy")
    counts = [sum(row) for row in confusion]
    total = sum(counts)
    if not total or len(classes) != len(counts) or len(counts) < 2 or not _finite(acc):
        return None
    top = max(range(len(counts)), key=counts.__getitem__)
    share = counts[top] / total
    if share < 1 / len(counts) + IMBALANCED or acc > share + MAJORITY_MARGIN:
        return None
    return ("after.majority_class", {"acc": acc, "name": str(classes[top]), "share": share})


# --- the run against the journal -------------------------------------------------------------------
def same_as(run: Run, f: Facts, store: RunStore | None = None) -> Finding | None:
    """An earlier trained run of the journal with exactly this config (seed included)."""
    mine = to_dict(f.config)
    for other in (store or RunStore(run.dir.parent)).list():
        if other.id >= run.id:
            break  # ids sort by time: only runs made before this one
        try:
            same = to_dict(other.config()) == mine  # first: a config is one small file, the epochs a long one
        except LabError:
            continue
        if same and other.status in ("finished", "stopped") and other.trained_epochs():
            acc_other = (other.summary() or {}).get("best_val_accuracy")
            acc = f.summary.get("best_val_accuracy")
            if _finite(acc_other, acc):
                return ("after.same_as", {"other": other.id, "acc_other": acc_other, "acc": acc})
    return None


def after_run(run: Run, store: RunStore | None = None) -> list[Finding]:
    """Everything a finished run's numbers say, in the order a teacher would say it."""
    f = facts(run)
    if f is None:
        return []
    found = [check(f) for check in (barely_moved, batch_vs_data, coarse_validation, majority_class, still_improving)]
    found.append(same_as(run, f, store))
    return [x for x in found if x is not None]


def test_looks(run: Run) -> list[Finding]:
    """After a test evaluation: the same run asked again, and a second model's look or more."""
    from lab.runs.evaluation import count_test_looks, evaluations  # heavy: loads torch and numpy on first use

    out: list[Finding] = []
    asked = len(evaluations(run, "test"))
    if asked >= 2:
        out.append(("after.test_asked_again", {"run": run.id, "n": asked}))
    looks = count_test_looks(run.dir.parent)
    if looks >= 2:
        out.append(("after.test_looks", {"n": looks}))
    return out


def english(finding: Finding) -> str:
    key, params = finding
    return fill(MESSAGES[key], "en", **params)


def as_records(findings: list[Finding]) -> list[dict]:
    """JSON for ``--json``: key, params and the English."""
    return [{"key": k, "params": p, "message": english((k, p))} for k, p in findings]


def _finite(*values) -> bool:
    return all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in values)
