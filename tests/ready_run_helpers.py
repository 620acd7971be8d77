"""A ready-architecture run for the Inside page's tests: torchvision's resnet18 (small-image
stem) for MNIST, built by the lab's builder, given a few Adam steps on real digits and saved
with the lab's own ``save_checkpoint`` and ``save_initial_filters``, so the journal holds
best.pt and initial_filters.pt as a student's run does (the pattern of
``classroom_helpers.plant_run``). One real epoch through ``lab.train.session`` (300 digits and
the 3,000 validation images a config needs at least) took 108 s on this 2-core machine; the
Inside page reads the same files either way."""

from __future__ import annotations

from pathlib import Path

import torch

from lab.config import ExperimentConfig
from lab.augment import normalize
from lab.inspect import save_initial_filters
from lab.model import build_model, preset
from lab.model.checkpoint import save_checkpoint
from lab.runs.store import RunStore

from classroom_helpers import adam_steps

MEAN, STD = [0.1307], [0.3081]  # MNIST's
SHAPE = (1, 28, 28)


_TRAINED: dict[tuple, tuple[bytes, bytes]] = {}  # (arch, steps, images) -> (best.pt, initial_filters.pt)


def ready_run(runs: Path, data, arch: str = "resnet18", steps: int = 8, images: int = 300):
    """A finished run of ``arch`` in the journal (or workspace) ``runs``; ``data``: MNIST. The
    model is trained once per test process; each call files a copy as a new run."""
    cfg = ExperimentConfig(model=preset(arch))
    cfg.data.train_limit = images
    run = RunStore(runs).create(cfg, name=f"{arch} digits")
    key = (arch, steps, images)
    if key not in _TRAINED:
        _train(run, cfg, data, steps, images)
        _TRAINED[key] = (run.checkpoint_path("best").read_bytes(), (run.dir / "initial_filters.pt").read_bytes())
    run.checkpoint_path("best").write_bytes(_TRAINED[key][0])
    (run.dir / "initial_filters.pt").write_bytes(_TRAINED[key][1])
    run.write_summary({"status": "finished", "best_val_accuracy": 0.5})
    return run


def _train(run, cfg: ExperimentConfig, data, steps: int, images: int) -> None:
    torch.manual_seed(0)
    model = build_model(cfg.model, SHAPE, 10)
    save_initial_filters(run.dir, model)
    x, y = data.train_x[:images], data.train_y[:images]
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # two cores, shared
    try:
        adam_steps(model, x, y, steps, batch=16)
        _settle_batchnorm(model, normalize(x, MEAN, STD))
    finally:
        torch.set_num_threads(threads)
    model.eval()
    save_checkpoint(run.checkpoint_path("best"), model, cfg, [str(i) for i in range(10)], MEAN, STD, SHAPE)


def _settle_batchnorm(model, x: torch.Tensor) -> None:
    """BatchNorm's running statistics as the images' own (an exact average): after a few steps
    they are still mostly the initial 0 and 1, and in eval mode the model then answers "9" for
    every digit; with them, 8 steps give about half of MNIST's test digits right."""
    norms = [m for m in model.modules() if isinstance(m, torch.nn.BatchNorm2d)]
    for bn in norms:
        bn.reset_running_stats()
        bn.momentum = None  # None: the cumulative average of every batch seen
    model.train()
    with torch.no_grad():
        for start in range(0, len(x), 100):
            model(x[start:start + 100])
    for bn in norms:
        bn.momentum = 0.1
