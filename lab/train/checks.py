"""The course's sanity checks: before, during and beside training.

- ``initial_check``: an untrained classifier should score a loss near ln(N) and an
  accuracy near 1/N for N classes. Loss alone misses the classic bug (a softmax after the
  last layer: scores in 0..1 give a loss near ln(N) too), so the outputs themselves are
  checked: rows that sum to 1, or outputs that are never negative with many exact zeros
  or an activation module last, mean an activation follows the last layer (never negative
  alone is not enough: two classes' outputs can both be positive by chance).
- ``overfitting``: what a student would call overfitting: the validation loss's trend (a
  line fitted over the last epochs) has stalled or rises, flat and noisy included, while
  the training loss still falls, and training is clearly ahead of validation in both loss
  and accuracy. ``overfitting_start`` is its epoch.
- ``overfit_one_batch``: a model and loop that work can memorise one batch.
"""

from __future__ import annotations

import copy
import math

import torch
import torch.nn.functional as F

from lab.train.advice import OVERFIT_BATCH_ADVICE, english
from lab.train.breaks import effective_train
from lab.train.data import to_model_input
from lab.train.device import pick_device, seeded
from lab.train.optim import make_optimizer

# How far from the ideal a fresh model may start before the check complains
LOSS_TOLERANCE = 0.5  # relative: loss outside ln(N) * (1 +- 0.5)
ACCURACY_FACTOR = 3.0  # accuracy above 3/N before training is suspicious
CHECK_IMAGES = 1024  # images the check scores (a cheap, stable estimate)
# Normalised inputs have mean about 0 and std about 1 (the training split's own statistics)
INPUT_MEAN_MAX = 3.0
INPUT_STD_RANGE = (1 / 3, 3.0)
# At chance: after CHANCE_EPOCHS epochs the best validation accuracy is within
# min(50 % of 1/N, 5 points) of 1/N (10 classes: at most 15 %; 2 classes: at most 55 %)
CHANCE_EPOCHS = 2

# Overfitting: a trend over epochs, not one noisy epoch
WINDOW = 3  # epochs the validation-loss trend is fitted over (a least-squares line)
STALL = 0.01  # a trend falling by less than 1 % of the loss per epoch has stalled (or rises)
NEAR_BEST = 0.05  # where it starts: the first epoch within 5 % of the lowest validation loss (epoch noise)
ACC_GAP = 0.03  # train accuracy at least 3 points above validation...
LOSS_RATIO = 1.3  # ...and validation loss at least 1.3x the training loss
MIN_EPOCHS = 3


# Activations that leave only outputs >= 0 (softmax is told apart by its rows summing to 1)
OUTPUT_ACTIVATIONS = (torch.nn.ReLU, torch.nn.ReLU6, torch.nn.Sigmoid, torch.nn.Hardsigmoid, torch.nn.Softplus,
                      torch.nn.Softmax)
ZERO_SHARE = 0.25  # a ReLU after the last layer zeroes about half of an untrained model's outputs


def _activation_last(model: torch.nn.Module, out: torch.Tensor) -> bool:
    """Outputs (never negative) that are so because an activation follows the last layer, not by
    chance: with 2 classes an untrained model's two outputs can both be positive on every
    image (its features are alike from image to image), so the sign alone is not enough.
    A ReLU leaves many exact zeros; any such activation is the model's last module."""
    leaves = [m for m in model.modules() if not list(m.children())]
    return float((out == 0).float().mean()) >= ZERO_SHARE or bool(leaves) and isinstance(leaves[-1],
                                                                                        OUTPUT_ACTIVATIONS)


@torch.inference_mode()
def initial_check(model: torch.nn.Module, x_u8: torch.Tensor, y: torch.Tensor, mean, std, num_classes: int,
                  device: torch.device | str = "cpu", shape=None) -> dict:
    """The "check" event: loss/accuracy of the untrained model against ln(N) and 1/N.

    ``notes`` lists catalogue keys (``lab.train.advice``); ``ok`` is False when any note
    other than ``train.check.ok`` applies.
    """
    device = torch.device(device)
    was_training = model.training
    model.eval()
    try:
        xb = to_model_input(x_u8[:CHECK_IMAGES].to(device), mean, std, shape)
        input_mean, input_std = float(xb.float().mean()), float(xb.float().std())
        out = model(xb).float()
    finally:
        model.train(was_training)
    yb = y[:CHECK_IMAGES].to(out.device)
    loss = float(F.cross_entropy(out, yb))
    accuracy = float((out.argmax(1) == yb).float().mean())
    expected = math.log(num_classes)
    notes = []
    if not (abs(input_mean) <= INPUT_MEAN_MAX and INPUT_STD_RANGE[0] <= input_std <= INPUT_STD_RANGE[1]):
        notes.append("train.check.inputs_unnormalised")
    if out.numel() and float(out.min()) >= 0.0:
        sums = out.sum(1)
        if torch.allclose(sums, torch.ones_like(sums), atol=1e-3):  # probabilities: a softmax, however applied
            notes.append("train.check.softmax_output")
        elif _activation_last(model, out):
            notes.append("train.check.activation_output")
    if not math.isfinite(loss) or loss > expected * (1 + LOSS_TOLERANCE):
        notes.append("train.check.loss_high")
    elif loss < expected * (1 - LOSS_TOLERANCE):
        notes.append("train.check.loss_low")
    if accuracy > ACCURACY_FACTOR / num_classes:
        notes.append("train.check.accuracy_high")
    ok = not notes
    values = {"loss": loss, "expected": expected, "accuracy": accuracy, "classes": num_classes,
              "input_mean": input_mean, "input_std": input_std}
    notes = notes or ["train.check.ok"]
    return {"event": "check", "ok": ok, "loss": loss, "expected_loss": expected, "accuracy": accuracy,
            "expected_accuracy": 1.0 / num_classes, "images": int(len(yb)), "notes": notes,
            "values": values, "message": " ".join(english(k, **values) for k in notes)}


def trend(values: list[float]) -> float:
    """Least-squares slope of ``values`` per step, relative to their mean (-0.05: falling 5 % a step)."""
    n = len(values)
    mean_x, mean_y = (n - 1) / 2, sum(values) / n
    slope = sum((i - mean_x) * (v - mean_y) for i, v in enumerate(values)) / sum((i - mean_x) ** 2 for i in range(n))
    return slope / mean_y if mean_y > 0 else 0.0


def overfitting(history: list[dict]) -> dict | None:
    """Overfitting in the epoch events so far (``train_loss``, ``val_loss``,
    ``train_accuracy``, ``val_accuracy``), or None.

    Three things at once, as a student reading the curves would judge: the validation
    loss's trend over the last ``WINDOW`` epochs has stalled or rises (a fitted line, so
    one noisy epoch neither triggers nor hides it); the training loss still falls over
    them; and training is ahead of validation in accuracy (``ACC_GAP``) and in loss
    (``LOSS_RATIO``), so it is not a plateau both share. Returns {"epoch": where it
    starts (the first epoch after the validation loss came within ``NEAR_BEST`` of its
    lowest), "best_epoch", "gap": train minus validation accuracy in points, and the last
    epoch's "train_loss", "val_loss", "train_accuracy", "val_accuracy"}.
    """
    n = len(history)
    if n < MIN_EPOCHS:
        return None
    val = [float(h.get("val_loss", math.nan)) for h in history]
    train = [float(h.get("train_loss", math.nan)) for h in history]
    if not all(math.isfinite(v) for v in val + train):
        return None  # a diverged run is not an overfitting one
    if trend(val[-WINDOW:]) < -STALL or not train[-1] < train[-WINDOW]:
        return None  # validation still improving, or training stalls too (the learning rate, not overfitting)
    last = history[-1]
    acc_gap = float(last.get("train_accuracy", math.nan)) - float(last.get("val_accuracy", math.nan))
    if not (acc_gap >= ACC_GAP and val[-1] >= LOSS_RATIO * train[-1]):
        return None  # validation keeps up with training: a plateau, not overfitting
    lowest = min(val)
    best = next(i for i, v in enumerate(val) if v <= lowest * (1 + NEAR_BEST))  # 0-based
    best = min(best, n - 2)  # it starts at an epoch that exists
    return {"epoch": best + 2, "best_epoch": best + 1, "gap": round(acc_gap * 100, 1),
            "train_loss": train[-1], "val_loss": val[-1], "train_accuracy": last.get("train_accuracy"),
            "val_accuracy": last.get("val_accuracy")}


def at_chance(history: list[dict], num_classes: int) -> dict | None:
    """Validation accuracy still at chance after ``CHANCE_EPOCHS`` epochs: nothing learned
    carries over to new images (labels that do not match the images, a dead model). The
    event's values, or None."""
    if len(history) < CHANCE_EPOCHS or num_classes < 2:
        return None
    chance = 1.0 / num_classes
    best = max(float(h.get("val_accuracy", 0.0)) for h in history)
    if best > chance + min(0.5 * chance, 0.05):
        return None
    return {"epoch": len(history), "accuracy": best, "chance": chance, "classes": num_classes,
            "train_accuracy": float(history[-1].get("train_accuracy", 0.0))}


def overfitting_start(val_losses: list[float], train_losses: list[float], val_accuracy: list[float] | None = None,
                      train_accuracy: list[float] | None = None) -> int | None:
    """1-based epoch where overfitting began (``overfitting`` on plain lists), or None."""
    n = len(val_losses)
    val_accuracy = val_accuracy or [math.nan] * n
    train_accuracy = train_accuracy or [math.nan] * n
    history = [{"val_loss": v, "train_loss": t, "val_accuracy": va, "train_accuracy": ta}
               for v, t, va, ta in zip(val_losses, train_losses, val_accuracy, train_accuracy)]
    found = overfitting(history)
    return found["epoch"] if found else None


def overfit_one_batch(prepared, *, steps: int = 50, batch_size: int | None = None, device=None,
                      listeners=()) -> dict:
    """Train a copy of ``prepared``'s model (``lab.train.prepared``: the model Train would
    train, for the same input size) on one fixed batch of training images for up to
    ``steps`` steps.

    No augmentation (the batch must stay the same to be memorised; images are fitted to
    the model's input size as validation images are); the config's optimizer and learning
    rate. Stops as soon as the batch is 100% right in eval mode (Dropout off). Returns
    {"reached", "steps", "accuracy", "loss", "losses", "batch", "notes", "advice",
    "message"}; each step is also sent to ``listeners`` as {"event": "overfit_step",
    "step", "loss", "accuracy"}.
    """
    config, splits = prepared.config, prepared.splits
    cfg = effective_train(config)  # the "lr x100" switch included
    dev = pick_device(device or cfg.device)
    n = min(batch_size or min(cfg.batch_size, 64), len(splits.train_y))
    gen = torch.Generator().manual_seed(cfg.seed)
    idx = torch.randperm(len(splits.train_y), generator=gen)[:n]
    # a copy: the prepared model stays untrained for a run; reseeded as when it was built
    # (Dropout draws from the global RNG)
    with seeded(cfg.seed):
        model = copy.deepcopy(prepared.model)
    model.to(dev).train()
    x = to_model_input(splits.train_x[idx].to(dev), prepared.mean, prepared.std, prepared.input_shape)
    y = splits.train_y[idx].to(dev)
    opt = make_optimizer([p for p in model.parameters() if p.requires_grad], cfg, dev)  # frozen layers stay out
    losses, accuracy, done = [], 0.0, 0
    for step in range(1, steps + 1):
        model.train()
        loss = F.cross_entropy(model(x), y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        with torch.inference_mode():
            model.eval()
            accuracy = float((model(x).argmax(1) == y).float().mean())
        losses.append(float(loss.detach()))
        done = step
        for fn in listeners:
            fn({"event": "overfit_step", "step": step, "loss": losses[-1], "accuracy": accuracy})
        if accuracy >= 1.0 or not math.isfinite(losses[-1]):
            break
    model.train()
    reached = accuracy >= 1.0
    values = {"batch": n, "steps": done, "accuracy": accuracy}
    notes = ["train.overfit.reached"] if reached else ["train.overfit.failed"]
    advice = [] if reached else list(OVERFIT_BATCH_ADVICE)
    return {"reached": reached, "steps": done, "accuracy": accuracy, "loss": losses[-1] if losses else None,
            "losses": losses, "batch": n, "notes": notes, "advice": advice, "values": values,
            "message": " ".join(english(k, **values) for k in notes + advice)}
