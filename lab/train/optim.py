"""Optimizers and learning-rate schedules from a ``TrainConfig``.

Schedules step once per batch except "step", which steps once per epoch (it counts
epochs: ``lr *= step_gamma`` every ``step_epochs``). "cosine" anneals from ``lr`` to 0
over the whole run; "onecycle" warms up for 30% of the steps to ``lr`` then anneals.
"""

from __future__ import annotations

import torch

from lab.config import TrainConfig


def make_optimizer(params, cfg: TrainConfig, device: torch.device) -> torch.optim.Optimizer:
    # fused kernels (one launch for all parameters) exist for CUDA and, since torch 2.4,
    # for the CPU; the "foreach" path is the fallback.
    kw = {"fused": True} if device.type in ("cuda", "cpu") else {}
    if cfg.optimizer == "adam":
        return torch.optim.Adam(params, lr=cfg.lr, weight_decay=cfg.weight_decay, **kw)
    if cfg.optimizer == "adamw":
        return torch.optim.AdamW(params, lr=cfg.lr, weight_decay=cfg.weight_decay, **kw)
    return torch.optim.SGD(params, lr=cfg.lr, momentum=cfg.momentum, weight_decay=cfg.weight_decay, **kw)


class Schedule:
    """Wraps a torch scheduler so the loop calls ``after_batch``/``after_epoch`` blindly."""

    def __init__(self, optimizer: torch.optim.Optimizer, cfg: TrainConfig, steps_per_epoch: int):
        total = max(1, cfg.epochs * steps_per_epoch)
        self.per_batch = cfg.schedule in ("cosine", "onecycle")
        if cfg.schedule == "step":
            self.sched = torch.optim.lr_scheduler.StepLR(optimizer, cfg.step_epochs, cfg.step_gamma)
        elif cfg.schedule == "cosine":
            self.sched = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, total)
        elif cfg.schedule == "onecycle":
            # each parameter group peaks at its own lr (loaded layers at lr x pretrained_lr_factor)
            self.sched = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=[g["lr"] for g in optimizer.param_groups],
                                                             total_steps=total, pct_start=0.3)
        else:
            self.sched = None
        self.optimizer = optimizer
        self.steps, self.total = 0, total

    def after_batch(self) -> None:
        self.steps += 1
        # OneCycleLR raises when stepped past total_steps
        if self.sched is not None and self.per_batch and self.steps < self.total:
            self.sched.step()

    def after_epoch(self) -> None:
        if self.sched is not None and not self.per_batch:
            self.sched.step()

    @property
    def lr(self) -> float:
        return float(self.optimizer.param_groups[0]["lr"])
