"""The learning-rate range test (Smith 2015, "Cyclical Learning Rates", section 3.3; fastai's
``lr_find``): which learning rates make this experiment's loss fall, and where it blows up.

The experiment's own model, data, augmentation, normalisation, optimizer and loss (the
functions ``train`` uses: ``prepare``, ``train_batch``, ``make_optimizer``) train for up to
``steps`` batches while the learning rate grows exponentially from ``start`` (1e-7) to
``end`` (10). The loss is smoothed (an exponential moving average, ``BETA``, bias-corrected
as fastai does) and the sweep stops once the smoothed loss is above ``DIVERGE`` (4) times the
lowest seen, or is not a number. Afterwards the model's weights and buffers, its train/eval
mode and the global random state are put back exactly: the test is not a run, and the run
trained next is the same as without it.

A suggestion comes from a named rule, both computed on the smoothed curve without its first
10 % and last 5 points (the noisy start and the explosion), as fastai does:

- "valley" (fastai's default): the longest stretch over which the loss keeps falling (a
  longest decreasing subsequence); the point a little past its first third (fastai's index);
- "steepest": where the loss falls fastest per decade of learning rate.

The valley is the one suggested; the steepest point is reported beside it. Both are a
starting point: the test runs a few hundred steps on a growing rate, not a full run with a
schedule, so the best rate for a whole run is usually near it, not at it.

Written here rather than taken from ``torch-lr-finder``: that package needs a DataLoader
(our batches are uint8 tensor slices with the batched augmentation), has no valley rule
and leaves the global random state moved.
"""

from __future__ import annotations

import copy
import math

import torch
import torch.nn.functional as F

from lab.train.breaks import effective_train
from lab.train.data import epoch_order, train_batch
from lab.train.device import Device, generator, training_device
from lab.train.optim import make_optimizer

START_LR = 1e-7
END_LR = 10.0
STEPS = 200  # batches at most; fastai's default is 100, Smith's "a few epochs" on CIFAR
BETA = 0.98  # the moving average's weight of the past (fastai's): about the last 50 batches
DIVERGE = 4.0  # stop once the smoothed loss is above 4x the lowest (fastai's stop_div)
SKIP_START = 0.1  # the rules ignore the first 10 % of the points (the average still settling)...
SKIP_END = 5  # ...and the last 5 (the explosion)
RULES = ("valley", "steepest")


def lr_schedule(start: float, end: float, steps: int) -> list[float]:
    """``steps`` learning rates from ``start`` to ``end``, equally spaced on a log axis."""
    if steps < 2:
        return [start]
    ratio = end / start
    return [start * ratio ** (i / (steps - 1)) for i in range(steps)]


def smoothed(losses: list[float], beta: float = BETA) -> list[float]:
    """Bias-corrected exponential moving average of ``losses`` (NaN once a loss is NaN)."""
    out, avg = [], 0.0
    for i, loss in enumerate(losses):
        avg = beta * avg + (1 - beta) * loss
        out.append(avg / (1 - beta ** (i + 1)))
    return out


def _plain(values: list[float]) -> list[float | None]:
    """JSON has no NaN or infinity: a loss that blew up is None."""
    return [v if math.isfinite(v) else None for v in values]


def exploded(smooth: float, best: float, factor: float = DIVERGE) -> bool:
    """fastai's stop rule: the smoothed loss is not a number, or above ``factor`` x the best."""
    return not math.isfinite(smooth) or smooth > factor * best


def _trimmed(lrs: list[float], losses: list[float]) -> tuple[list[float], list[float], int]:
    """The points the rules read (the first 10 % and the last 5 left out, when enough remain),
    and the index of the first kept one."""
    first = int(len(losses) * SKIP_START)
    last = len(losses) - SKIP_END
    if last - first < 3:
        first, last = 0, len(losses)
    keep = [i for i in range(first, last) if math.isfinite(losses[i])]
    return [lrs[i] for i in keep], [losses[i] for i in keep], first


def valley(lrs: list[float], losses: list[float]) -> float | None:
    """fastai's "valley": the longest run of points over which the loss only falls (a longest
    decreasing subsequence, O(n^2) on a few hundred points); the index a half-section past
    its first third."""
    lrs, losses, _ = _trimmed(lrs, losses)
    n = len(losses)
    if n == 0:
        return None
    length = [1] * n
    start, end = 0, 0
    for i in range(1, n):
        for j in range(i):
            if losses[i] < losses[j] and length[i] < length[j] + 1:
                length[i] = length[j] + 1
        if length[i] > length[end]:
            end = i
            start = end - length[end]
    section = (end - start) / 3
    return float(lrs[min(n - 1, start + int(section) + int(section / 2))])


def steepest(lrs: list[float], losses: list[float]) -> float | None:
    """The learning rate where the smoothed loss falls fastest per decade (the most negative
    slope against log10 of the rate)."""
    lrs, losses, _ = _trimmed(lrs, losses)
    if len(losses) < 2:
        return lrs[0] if lrs else None
    slopes = [(losses[i + 1] - losses[i]) / (math.log10(lrs[i + 1]) - math.log10(lrs[i]))
              for i in range(len(losses) - 1)]
    return float(lrs[min(range(len(slopes)), key=slopes.__getitem__)])


def suggest(lrs: list[float], losses: list[float]) -> dict:
    """{"suggested_lr", "rule", "suggestions": {rule: lr}} for a smoothed sweep: the valley,
    or the steepest point where no valley exists."""
    found = {"valley": valley(lrs, losses), "steepest": steepest(lrs, losses)}
    rule = next((r for r in RULES if found[r] is not None), None)
    return {"suggested_lr": found[rule] if rule else None, "rule": rule, "suggestions": found}


class _Restored:
    """Puts the model's weights, buffers, mode and device, and the global RNG, back on exit."""

    def __init__(self, model: torch.nn.Module):
        self.model = model

    def __enter__(self):
        self.weights = copy.deepcopy(self.model.state_dict())
        self.training = self.model.training
        self.device = next(self.model.parameters()).device
        self.rng = torch.get_rng_state()
        self.cuda_rng = torch.cuda.get_rng_state_all() if torch.cuda.is_available() else None
        return self

    def __exit__(self, *exc) -> None:
        self.model.to(self.device)
        self.model.load_state_dict(self.weights)
        self.model.train(self.training)
        torch.set_rng_state(self.rng)
        if self.cuda_rng is not None:
            torch.cuda.set_rng_state_all(self.cuda_rng)


def lr_find(prepared, *, start: float = START_LR, end: float = END_LR, steps: int = STEPS, device=None,
            listeners=(), stop=None) -> dict:
    """The range test on ``prepared`` (``lab.train.prepared.Prepared``), the model restored after.

    Returns {"suggested_lr", "rule", "suggestions", "lrs", "losses" (smoothed), "raw_losses",
    "steps" (done), "planned_steps", "stopped" ("exploded" | "end" | "stopped"), "start",
    "end", "batch_size"}; each step also goes to ``listeners`` as {"event": "lr_find_step",
    "step", "steps", "lr", "loss", "smoothed"}. ``stop``: a ``threading.Event`` ending it early.
    """
    cfg = effective_train(prepared.config)  # the "lr x100" switch has no effect: the rate is swept
    # the run's device, memory layout and autocast dtype: the test's first step is the run's first
    # batch, bit for bit (float16 would need the run's loss scaler: the test sweeps in float32 there)
    on = training_device(prepared.config.train, device)
    if on.amp == torch.float16:
        on = Device(on.device, on.channels_last, None)
    planned = lr_schedule(start, end, steps)
    with _Restored(prepared.model):
        torch.manual_seed(cfg.seed + 2)  # Dropout's draws, as a run's (lab.train.session.run)
        lrs, raw, smooth, why = _sweep(prepared, cfg, on, planned, listeners, stop)
    return {**suggest(lrs, smooth), "lrs": lrs, "losses": _plain(smooth), "raw_losses": _plain(raw), "steps": len(lrs),
            "planned_steps": steps, "stopped": why, "start": start, "end": end, "batch_size": cfg.batch_size}


def _sweep(prepared, cfg, on: Device, planned: list[float], listeners, stop):
    """The training steps of the test, one learning rate each; (lrs, raw, smoothed, why it ended)."""
    dev = on.device
    model = on.place(prepared.model).train()
    optimizer = make_optimizer(model.parameters(), cfg, dev)
    x_all, y_all = prepared.splits.train_x, prepared.splits.train_y
    n, batch = len(y_all), min(cfg.batch_size, len(y_all))
    order_gen, augment_gen = torch.Generator().manual_seed(cfg.seed), generator(dev, cfg.seed + 1)
    steps = list(prepared.config.augment.transforms)
    order, at = epoch_order(n, order_gen), 0
    lrs, raw, smooth, best = [], [], [], math.inf
    for i, lr in enumerate(planned):
        if at + batch > n:  # a new pass over the training split, freshly shuffled
            order, at = epoch_order(n, order_gen), 0
        idx = order[at:at + batch]
        at += batch
        xb = train_batch(x_all[idx].to(dev), steps, prepared.mean, prepared.std, augment_gen, prepared.input_shape,
                         on.channels_last)
        for group in optimizer.param_groups:
            group["lr"] = lr
        with on.autocast():
            logits = model(xb)
        loss = F.cross_entropy(logits.float(), y_all[idx].to(dev), label_smoothing=cfg.label_smoothing)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        if cfg.grad_clip > 0:
            torch.nn.utils.clip_grad_norm_(model.parameters(), cfg.grad_clip)
        optimizer.step()
        value = float(loss.detach())
        lrs.append(lr)
        raw.append(value)
        now = smoothed(raw)[-1]  # the whole average again: a few hundred points, and one way to compute it
        smooth.append(now)
        for listener in listeners:
            listener({"event": "lr_find_step", "step": i + 1, "steps": len(planned), "lr": lr, "loss": value,
                      "smoothed": now})
        if exploded(now, best):
            return lrs, raw, smooth, "exploded"
        best = min(best, now)
        if stop is not None and stop.is_set():
            return lrs, raw, smooth, "stopped"
    return lrs, raw, smooth, "end"
