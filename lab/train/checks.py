"""The course's sanity checks: before, during and beside training.

- ``initial_check``: an untrained classifier should score a loss near ln(N) and an
  accuracy near 1/N for N classes. Loss alone misses the classic bug (a softmax after the
  last layer: scores in 0..1 give a loss near ln(N) too), so the outputs themselves are
  checked: rows that sum to 1, or outputs that are never negative, mean an activation
  follows the last layer.
- ``overfitting_start``: validation loss rising for ``consecutive`` epochs while the
  training loss falls.
- ``overfit_one_batch``: a model and loop that work can memorise one batch.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from lab.train.advice import OVERFIT_BATCH_ADVICE, english
from lab.train.data import to_model_input

# How far from the ideal a fresh model may start before the check complains
LOSS_TOLERANCE = 0.5  # relative: loss outside ln(N) * (1 +- 0.5)
ACCURACY_FACTOR = 3.0  # accuracy above 3/N before training is suspicious
CHECK_IMAGES = 1024  # images the check scores (a cheap, stable estimate)


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
        out = model(xb).float()
    finally:
        model.train(was_training)
    yb = y[:CHECK_IMAGES].to(out.device)
    loss = float(F.cross_entropy(out, yb))
    accuracy = float((out.argmax(1) == yb).float().mean())
    expected = math.log(num_classes)
    notes = []
    if out.numel() and float(out.min()) >= 0.0:
        sums = out.sum(1)
        if torch.allclose(sums, torch.ones_like(sums), atol=1e-3):
            notes.append("train.check.softmax_output")
        else:
            notes.append("train.check.activation_output")
    if not math.isfinite(loss) or loss > expected * (1 + LOSS_TOLERANCE):
        notes.append("train.check.loss_high")
    elif loss < expected * (1 - LOSS_TOLERANCE):
        notes.append("train.check.loss_low")
    if accuracy > ACCURACY_FACTOR / num_classes:
        notes.append("train.check.accuracy_high")
    ok = not notes
    values = {"loss": loss, "expected": expected, "accuracy": accuracy, "classes": num_classes}
    notes = notes or ["train.check.ok"]
    return {"event": "check", "ok": ok, "loss": loss, "expected_loss": expected, "accuracy": accuracy,
            "expected_accuracy": 1.0 / num_classes, "images": int(len(yb)), "notes": notes,
            "values": values, "message": " ".join(english(k, **values) for k in notes)}


def overfitting_start(val_losses: list[float], train_losses: list[float], consecutive: int = 2) -> int | None:
    """1-based epoch where overfitting began, if the last ``consecutive`` epochs each saw
    the validation loss rise and the training loss fall; else None."""
    n = len(val_losses)
    if n < consecutive + 1:
        return None
    for i in range(n - consecutive, n):
        if not (val_losses[i] > val_losses[i - 1] and train_losses[i] < train_losses[i - 1]):
            return None
    return n - consecutive + 1  # the first epoch whose validation loss went up


def overfit_one_batch(config, splits, *, classes, mean, std, steps: int = 50, batch_size: int | None = None,
                      device=None, model: torch.nn.Module | None = None, listeners=()) -> dict:
    """Train on one fixed batch of training images for up to ``steps`` steps.

    No augmentation (the batch must stay the same to be memorised); the config's
    optimizer and learning rate. Stops as soon as the batch is 100% right in eval mode
    (Dropout off). Returns {"reached", "steps", "accuracy", "loss", "losses", "batch",
    "notes", "advice", "message"}; each step is also sent to ``listeners`` as
    {"event": "overfit_step", "step", "loss", "accuracy"}.
    """
    from lab.train.device import pick_device, seeded
    from lab.train.optim import make_optimizer

    cfg = config.train
    dev = pick_device(device or cfg.device)
    n = min(batch_size or min(cfg.batch_size, 64), len(splits.train_y))
    gen = torch.Generator().manual_seed(cfg.seed)
    idx = torch.randperm(len(splits.train_y), generator=gen)[:n]
    shape = tuple(splits.train_x.shape[1:])
    with seeded(cfg.seed):
        if model is None:
            from lab.model import build_model

            model = build_model(config.model, shape, len(classes))
    model.to(dev).train()
    x = to_model_input(splits.train_x[idx].to(dev), mean, std)
    y = splits.train_y[idx].to(dev)
    opt = make_optimizer(model.parameters(), cfg, dev)
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
