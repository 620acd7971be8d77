"""The course's order of steps, and how far a workspace's journal has come through it.

The method: overfit one batch (the model and the loop can learn), train the course
baseline (``lab.model.preset("baseline")``, no augmentation) and check its initial loss
against ln N, then improve it one change at a time, augmentation only once a baseline
exists. ``progress(store)`` reads the run store (and its "Overfit one batch" jobs) and
says which steps are done; the Home page draws it, the course's rules
(``lab.train.rules``) warn from it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from lab.config import ExperimentConfig, ModelConfig, to_dict
from lab.errors import LabError
from lab.jobs.submit import OVERFIT_DIR
from lab.runs.changes import INFORMATIONAL
from lab.config import diff

STEPS = ("overfit_batch", "baseline", "initial_loss", "one_change", "augment")


def baseline_model(dataset: str) -> ModelConfig:
    from lab.model import preset  # heavy: loaded on first use, to keep start-up light

    return preset("baseline", dataset)


def is_baseline_model(model: ModelConfig, dataset: str) -> bool:
    """The course baseline's layers, whatever the preset is called."""
    mine, base = to_dict(model), to_dict(baseline_model(dataset))
    mine.pop("preset", None)
    base.pop("preset", None)
    return mine == base


def is_baseline(config: ExperimentConfig) -> bool:
    """A baseline run: the course baseline's model and no augmentation."""
    return not config.augment.transforms and is_baseline_model(config.model, config.data.dataset)


@dataclass
class Progress:
    trained: int = 0  # runs that finished at least one epoch
    baseline: str | None = None  # the first trained baseline run's id
    overfit: str | None = None  # "reached" | "failed" | None (never tried)
    initial_ok: str | None = None  # a run whose initial-loss check passed
    one_change: int = 0  # trained runs that changed exactly one setting against their parent
    many_changes: int = 0  # trained runs that changed several at once
    augmented: str | None = None  # a trained run with augmentation after a baseline existed
    done: dict[str, bool] = field(default_factory=dict)

    def steps(self) -> list[tuple[str, bool]]:
        """(step, done) in the course's order."""
        return [(s, bool(self.done.get(s))) for s in STEPS]

    @property
    def next_step(self) -> str | None:
        return next((s for s, ok in self.steps() if not ok), None)


def overfit_results(root: str | Path) -> list[bool]:
    """Whether each finished "Overfit one batch" job in ``root`` reached 100 %, oldest first."""
    folder = Path(root) / OVERFIT_DIR
    out = []
    if not folder.is_dir():
        return out
    for job in sorted(folder.iterdir()):
        try:
            summary = json.loads((job / "summary.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        result = summary.get("overfit") if isinstance(summary, dict) else None
        if isinstance(result, dict):
            out.append(bool(result.get("reached")))
    return out


def progress(store) -> Progress:
    """The student's progress through ``STEPS``, from the journal alone."""

    p = Progress()
    configs: dict[str, ExperimentConfig] = {}
    for run in store.list():
        if run.status in ("queued", "running") or not run.trained_epochs():
            continue
        try:
            cfg = run.config()
        except LabError:
            continue
        configs[run.id] = cfg
        p.trained += 1
        if p.baseline is None and is_baseline(cfg):
            p.baseline = run.id
        elif p.baseline is not None and p.augmented is None and cfg.augment.transforms:
            p.augmented = run.id
        check = (run.summary() or {}).get("initial_check") or {}
        if p.initial_ok is None and check.get("ok"):
            p.initial_ok = run.id
        parent = configs.get(run.parent or "")
        if parent is not None:
            n = len([r for r in diff(parent, cfg) if r[0] not in INFORMATIONAL])
            p.one_change += n == 1
            p.many_changes += n > 1
    results = overfit_results(store.root)
    p.overfit = "reached" if any(results) else "failed" if results else None
    p.done = {"overfit_batch": p.overfit == "reached", "baseline": p.baseline is not None,
              "initial_loss": p.initial_ok is not None, "one_change": p.one_change > 0,
              "augment": p.augmented is not None}
    return p
