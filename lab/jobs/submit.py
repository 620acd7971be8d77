"""Submitting runs: what the Training page and ``lab submit`` do instead of training.

A job is a folder: ``submit_training`` writes the run's folder (config.json, meta.json
with status "queued") after the classroom caps and quota, then puts a message on the
queue (``lab.jobs.queue``); a worker process trains it (``lab.jobs.worker``) and the folder tells
everyone how it goes (``lab.train.progress.read_progress``). "Overfit one batch" is a
job too, in the workspace's hidden ``.overfit/`` folder, so it never shows in the
journal. Nothing here trains, and nothing here imports Streamlit.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from lab.classroom.caps import Caps, Capped, apply_caps, check_run_quota
from lab.config import ExperimentConfig
from lab.jobs.queue import position, queue_for_device, queue_url as resolve_url, submit
from lab.paths import runs_dir
from lab.runs.seeds import new_group_id, seed_configs
from lab.runs.store import Run, RunStore, new_run_id, _write_json

OVERFIT_DIR = ".overfit"
REPORT_EVERY = 2  # epochs between validation reports (the course's default)


@dataclass(frozen=True)
class JobTarget:
    """Where a job goes: the runs folder the workers see (None: ``lab.paths.runs_dir``), the
    data folder they load from, and the queue's address (None: the one of that runs folder)."""

    runs_root: str | Path | None = None
    data_dir: str | None = None
    queue_url: str | None = None


@dataclass
class Submitted:
    run: Run
    capped: list[Capped]  # what the caps changed, for the page to say


def _relative(path: Path, root: Path) -> str:
    return str(path.resolve().relative_to(root.resolve()))


def submit_training(config: ExperimentConfig, store: RunStore, *, available: int | None = None,
                    report_every: int = REPORT_EVERY, source: str = "app", caps: Caps | None = None,
                    target: JobTarget = JobTarget(), **meta) -> Submitted:
    """Cap, check the quota, write the run folder and queue it. Raises CapError/LabError.

    ``available``: training images the split holds (so a set already within the cap is
    not reported as capped). ``target.runs_root``: the folder the workers see (the store
    may be one workspace inside it). ``meta``: what the run's meta.json also records
    (name, parent, workspace, group...; ``lab.runs.store.RunStore.create``).
    """
    caps = caps or Caps.from_env()
    check_run_quota(len(store.list()), caps)
    config, capped = apply_caps(config, caps, available)
    root = runs_dir(target.runs_root)
    queue = queue_for_device(config.train.device)
    run = store.create(config, status="queued", source=source, queue=queue, report_every=int(report_every),
                       capped=[(c.key, c.params) for c in capped], **meta)
    try:
        task_id = submit(_relative(run.dir, root), "train", url=resolve_url(target.queue_url, root), queue=queue,
                         data_dir=target.data_dir)
    except Exception:
        shutil.rmtree(run.dir, ignore_errors=True)  # a queue that does not answer leaves no ghost run
        raise
    run.update_meta(task_id=task_id)
    return Submitted(run, capped)


def submit_group(config: ExperimentConfig, store: RunStore, seeds: int = 1, *, expectation: dict | None = None,
                 name: str = "", **kw) -> list[Submitted]:
    """Queue ``config`` once (``seeds`` = 1) or as ``seeds`` runs with the seeds seed..seed+N-1
    that share a group id (``lab.runs.seeds``), all compared with the same parent; each run goes
    through ``submit_training``. ``expectation``: the student's prediction (``lab.runs.expectations``),
    kept with every run of the group."""
    extra = {"expectation": expectation} if expectation else {}
    if seeds <= 1:
        return [submit_training(config, store, name=name, **kw, **extra)]
    caps = kw.get("caps") or Caps.from_env()
    check_run_quota(len(store.list()) + seeds - 1, caps)  # all of the group, or none of it
    group = new_group_id()
    out = []
    for cfg in seed_configs(config, seeds):
        label = f"{name} · seed {cfg.train.seed}" if name else f"seed {cfg.train.seed}"
        out.append(submit_training(cfg, store, name=label, group=group, group_size=seeds, **kw, **extra))
    return out


def submit_overfit(config: ExperimentConfig, workspace: str | Path, *, target: JobTarget = JobTarget()) -> Run:
    """Queue "overfit one batch" for ``config``; the job folder is outside the journal."""
    queue = queue_for_device(config.train.device)
    job = create_overfit_job(config, workspace, queue=queue)
    folder = job.dir
    root = runs_dir(target.runs_root)
    task_id = submit(_relative(folder, root), "overfit", url=resolve_url(target.queue_url, root), queue=queue,
                     data_dir=target.data_dir)
    job.update_meta(task_id=task_id)
    return job


def create_overfit_job(config: ExperimentConfig, workspace: str | Path, queue: str = "cpu") -> Run:
    """The job folder of one "Overfit one batch" (``lab train --overfit-batch`` runs it at once)."""
    folder = Path(workspace) / OVERFIT_DIR / new_run_id()
    folder.mkdir(parents=True)
    config.save(folder / "config.json")
    _write_json(folder / "meta.json", {"id": folder.name, "status": "queued", "kind": "overfit", "queue": queue})
    return Run(folder)


def overfit_job(workspace: str | Path, job_id: str) -> Run | None:
    path = Path(workspace) / OVERFIT_DIR / job_id
    return Run(path) if job_id and "/" not in job_id and (path / "config.json").is_file() else None


def queue_position(run: Run, runs_root: str | Path | None = None, queue_url: str | None = None) -> int:
    """The run's place in its queue (1 = next), 0 once a worker has it."""
    if run.status != "queued":
        return 0
    meta = run.meta()
    return position(meta.get("task_id"), resolve_url(queue_url, runs_dir(runs_root)), meta.get("queue", "cpu"))


def stop(run: Run) -> None:
    """Stop a run: a queued run never starts and leaves the journal; a training one ends
    after its current batch with everything it finished kept."""
    if run.status == "queued":
        run.request_stop()
        shutil.rmtree(run.dir, ignore_errors=True)
    else:
        run.request_stop()
