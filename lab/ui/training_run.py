"""Starting training and "overfit one batch" as background jobs.

``start_training`` / ``start_overfit`` run in the page's script thread: they apply the
classroom caps, resolve the data through the per-process caches (``lab.ui.data``) and
submit a job to the process-wide runner. The callables they submit (``training_job``,
``overfit_job``) run in the job's own thread and never call ``st.*``: they talk to the
page only through ``Job.report`` (events into the progress snapshot) and their result.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from lab.config import ExperimentConfig
from lab.jobs import Caps, Capped, Job, apply_caps, check_run_quota, runner
from lab.runs import RunStore
from lab.ui import state
from lab.ui.training_report import REPORT_IMAGES, build_report

REPORT_EVERY = 2  # epochs between validation reports (the course's default)


@dataclass
class Prepared:
    config: ExperimentConfig  # after the caps
    capped: list[Capped]
    splits: object
    classes: list[str]
    mean: list[float]
    std: list[float]


def prepare(cfg: ExperimentConfig) -> Prepared:
    """Caps applied, data loaded (once per process) for ``cfg``. Raises LabError/CapError."""
    from lab.ui.data import dataset_stats, load_dataset, load_splits

    data = load_dataset(cfg.data)
    available = round(len(data.train_y) * (1 - cfg.data.val_fraction))  # the train split, about
    config, capped = apply_caps(cfg, Caps.from_env(), available)
    splits = load_splits(config.data)
    mean, std = dataset_stats(config.data)
    return Prepared(config, capped, splits, list(data.classes), mean, std)


def previous_run_id(store: RunStore) -> str | None:
    """The run the next one is compared with: this session's newest run, else the
    workspace's newest (after a refresh the session is new but the journal is not)."""
    for job_id in reversed(state.training_job_ids()):
        job = runner().get(job_id)
        if job is not None and job.kind == "train" and job.meta.get("run_id"):
            state.set_last_run_id(job.meta["run_id"])  # outlives the runner forgetting the job
            return job.meta["run_id"]
    if state.last_run_id():
        return state.last_run_id()
    latest = store.latest()
    return latest.id if latest else None


def adopt_workspace_jobs() -> None:
    """A refresh starts a new session in the same workspace (its id is in the URL): take
    over the workspace's jobs still queued or running, so the page finds its run again."""
    mine = set(state.training_job_ids())
    for job in sorted(runner().jobs(owner=state.workspace_id(), active=True), key=lambda j: j.snapshot().queued_at):
        if job.id not in mine:
            state.add_training_job(job.id)


def start_training(cfg: ExperimentConfig, name: str = "", report_every: int = REPORT_EVERY) -> tuple[Job, list[Capped]]:
    caps = Caps.from_env()
    store = state.run_store()
    check_run_quota(len(store.list()), caps)
    prepared = prepare(cfg)
    parent = previous_run_id(store)
    fn = training_job(prepared, store, parent=parent, name=name, report_every=report_every)
    job = runner().submit(fn, name=name, owner=state.workspace_id(), kind="train",
                          epochs_total=prepared.config.train.epochs,
                          meta={"patience": prepared.config.train.early_stopping,
                                "capped": [(c.key, c.params) for c in prepared.capped]})
    state.add_training_job(job.id)
    return job, prepared.capped


def start_overfit(cfg: ExperimentConfig) -> Job:
    prepared = prepare(cfg)
    job = runner().submit(overfit_job(prepared), owner=state.workspace_id(), kind="overfit")
    state.add_training_job(job.id)
    return job


# --- what runs in the job's thread (no Streamlit below this line) ----------------------

def training_job(prepared: Prepared, store: RunStore, *, parent: str | None, name: str = "",
                 report_every: int = REPORT_EVERY):
    """The job callable: creates the run (so a job stopped while queued leaves no empty
    folder in the journal), trains it, reports to the page, and returns the session's
    model entry {name, run_id, model, classes, mean, std, input_shape, metrics, status}."""

    def fn(job: Job) -> dict | None:
        from lab.train import train

        run = store.create(prepared.config, parent=parent, name=name)
        job.meta["run_id"] = run.id
        model, input_shape = build_seeded_model(prepared)
        reporter = PeriodicReport(job, model, input_shape, prepared, report_every)
        result = train(prepared.config, prepared.splits, classes=prepared.classes, mean=prepared.mean,
                       std=prepared.std, run=run, listeners=(job.report, reporter), stop=job.stop_event,
                       model=model)
        if result.val_report is not None and result.history:
            epoch = result.history[-1]["epoch"]
            job.report(build_report(result.val_report, prepared.splits.val_x, prepared.classes, epoch, final=True))
        if result.status not in ("finished", "stopped") or not result.history:
            return None  # nothing worth keeping: diverged, or stopped before one epoch ended
        return {
            "name": name or run.id, "run_id": run.id, "model": result.model.cpu().eval(),
            "classes": list(prepared.classes), "mean": list(prepared.mean), "std": list(prepared.std),
            "input_shape": input_shape, "metrics": _metrics(result.summary), "status": result.status,
        }

    return fn


def _metrics(summary: dict) -> dict:
    keys = ("best_val_accuracy", "best_val_loss", "final_val_accuracy", "test_accuracy", "epochs", "seconds",
            "images_per_sec", "device")
    return {k: summary.get(k) for k in keys}


def build_seeded_model(prepared: Prepared):
    """The model ``train`` would build (same seed, same draws, so the same weights),
    built here so the report listener can hold it. Returns (model, input_shape (C, H, W))."""
    from lab import augment
    from lab.model import build_model
    from lab.train.device import seeded

    config = prepared.config
    shape = tuple(int(v) for v in prepared.splits.train_x.shape[1:])
    if config.augment.transforms:
        shape = tuple(int(v) for v in augment.output_shape(list(config.augment.transforms), shape))
    with seeded(config.train.seed):
        model = build_model(config.model, shape, len(prepared.classes))
    return model, shape


class PeriodicReport:
    """Listener: every ``every`` epochs (not the last: the run's end reports on the whole
    validation split), score the model on a fixed subset of the validation images and
    put a report into the job's progress.

    Listeners run in the training thread between two steps, so the model is evaluated
    (in eval mode, no autograd; ``evaluate`` restores training mode) while nothing
    else touches it.
    """

    def __init__(self, job: Job, model, input_shape, prepared: Prepared, every: int, images: int = REPORT_IMAGES):
        self.job, self.model, self.shape, self.prepared = job, model, input_shape, prepared
        self.every = max(1, int(every))
        n = len(prepared.splits.val_y)
        gen = torch.Generator().manual_seed(0)
        self.subset = torch.randperm(n, generator=gen)[:images].sort().values

    def __call__(self, event: dict) -> None:
        if event.get("event") != "epoch":
            return
        epoch, epochs = event["epoch"], event.get("epochs", 0)
        if epoch % self.every or epoch >= epochs or self.job.stop_event.is_set():
            return
        from lab.train import evaluate

        x, y = self.prepared.splits.val_x[self.subset], self.prepared.splits.val_y[self.subset]
        device = next(self.model.parameters()).device
        result = evaluate(self.model, x, y, self.prepared.mean, self.prepared.std, device,
                          num_classes=len(self.prepared.classes), shape=self.shape)
        self.job.report(build_report(result, x, self.prepared.classes, epoch))


def overfit_job(prepared: Prepared):
    """The job callable for "overfit one batch": returns the engine's result dict."""

    def fn(job: Job) -> dict:
        from lab.train import overfit_one_batch

        return overfit_one_batch(prepared.config, prepared.splits, classes=prepared.classes, mean=prepared.mean,
                                 std=prepared.std, listeners=(job.report,))

    return fn
