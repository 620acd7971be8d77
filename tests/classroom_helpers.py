"""Plant real runs in a classroom runs folder without the Training page: a small model
trained for a few steps (or not at all) on real MNIST, saved as the run's best.pt with
the journal files training writes (config.json, start/epoch events, summary.json)."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from lab.classroom.accounts import Account, Classroom
from lab.augment import normalize
from lab.model.checkpoint import save_checkpoint
from lab.config import ExperimentConfig
from lab.model import build_model
from lab.runs.store import Run, RunStore

MEAN, STD = [0.1307], [0.3081]


def adam_steps(model, x, y, steps: int, batch: int = 64) -> None:
    """``steps`` Adam steps (lr 2e-3) on random batches of the uint8 images ``x``."""
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    for _ in range(steps):
        i = torch.randint(0, len(y), (batch,))
        loss = F.cross_entropy(model(normalize(x[i], MEAN, STD)), y[i])
        opt.zero_grad()
        loss.backward()
        opt.step()


def plant_run(room: Classroom, account: Account, data, *, steps: int, train_images: int = 1000, epochs: int = 1,
              hidden: list[int] | None = None, name: str = "", dataset: str = "mnist",
              classes: list[int] | None = None) -> Run:
    """A finished run in ``account``'s workspace whose model took ``steps`` Adam steps."""
    cfg = ExperimentConfig()
    cfg.data.dataset = dataset
    cfg.data.train_limit = train_images
    cfg.data.classes = list(classes or [])
    cfg.train.epochs = epochs
    if hidden is not None:
        cfg.model.hidden = hidden
    torch.manual_seed(0)
    model = build_model(cfg.model, (1, 28, 28), 10)
    adam_steps(model, data.train_x[:train_images], data.train_y[:train_images], steps)
    model.eval()
    run = RunStore(room.workspace_dir(account)).create(cfg, name=name)
    run.append({"event": "start", "sizes": {"train": train_images, "val": 200, "test": len(data.test_y)},
                "epochs": epochs, "parameters": sum(p.numel() for p in model.parameters())})
    for e in range(1, epochs + 1):
        run.append({"event": "epoch", "epoch": e, "epochs": epochs, "val_loss": 1.0, "val_accuracy": 0.5})
    save_checkpoint(run.checkpoint_path("best"), model, cfg, [str(i) for i in range(10)], MEAN, STD, (1, 28, 28))
    run.write_summary({"status": "finished", "epochs": epochs, "planned_epochs": epochs,
                       "best_val_accuracy": 0.5, "best_val_loss": 1.0, "best_epoch": epochs})
    return run


CODE = "owl-42"  # the class code of the tests' classroom
TEACHER_PASSWORD = "teach-me-please"

