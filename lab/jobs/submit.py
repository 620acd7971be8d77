"""Submitting runs: what the Training page and ``lab submit`` do instead of training.

A job is a folder: ``submit_training`` writes the run's folder (config.json, meta.json
with status "queued") after the classroom caps and quota, then puts a message on the
queue (``lab.jobs.queue``); a worker process trains it (``lab.jobs.worker``) and the folder tells
everyone how it goes (``lab.train.progress.read_progress``). "Overfit one batch" is a
job too, in the workspace's hidden ``.overfit/`` folder, and so is the learning-rate range
test (``.lr_find/``), so neither shows in the journal. Nothing here trains, and nothing here imports Streamlit.
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
LR_FIND_DIR = ".lr_find"  # the range test's jobs (lab.train.lr_find): hidden, like .overfit
_SIDE_DIRS = {"overfit": OVERFIT_DIR, "lr_find": LR_FIND_DIR}  # job kind -> folder, for jobs that are not runs
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
    return _submit_side_job(config, workspace, "overfit", target)


def submit_lr_find(config: ExperimentConfig, workspace: str | Path, *, target: JobTarget = JobTarget()) -> Run:
    """Queue the learning-rate range test for ``config``; the job folder is outside the journal."""
    return _submit_side_job(config, workspace, "lr_find", target)


def _submit_side_job(config: ExperimentConfig, workspace: str | Path, kind: str, target: JobTarget) -> Run:
    queue = queue_for_device(config.train.device)
    job = _create_side_job(config, workspace, kind, queue)
    root = runs_dir(target.runs_root)
    task_id = submit(_relative(job.dir, root), kind, url=resolve_url(target.queue_url, root), queue=queue,
                     data_dir=target.data_dir)
    job.update_meta(task_id=task_id)
    return job


def create_overfit_job(config: ExperimentConfig, workspace: str | Path, queue: str = "cpu") -> Run:
    """The job folder of one "Overfit one batch" (``lab train --overfit-batch`` runs it at once)."""
    return _create_side_job(config, workspace, "overfit", queue)


def create_lr_find_job(config: ExperimentConfig, workspace: str | Path, queue: str = "cpu") -> Run:
    """The job folder of one range test, not queued (for a caller that runs it at once)."""
    return _create_side_job(config, workspace, "lr_find", queue)


def _create_side_job(config: ExperimentConfig, workspace: str | Path, kind: str, queue: str) -> Run:
    """A job that is not a run: its folder under the workspace's hidden ``.overfit/`` or ``.lr_find/``."""
    folder = Path(workspace) / _SIDE_DIRS[kind] / new_run_id()
    folder.mkdir(parents=True)
    config.save(folder / "config.json")
    _write_json(folder / "meta.json", {"id": folder.name, "status": "queued", "kind": kind, "queue": queue})
    return Run(folder)


def overfit_job(workspace: str | Path, job_id: str) -> Run | None:
    return _side_job(workspace, OVERFIT_DIR, job_id)


def lr_find_job(workspace: str | Path, job_id: str) -> Run | None:
    """The range-test job ``job_id`` of this workspace, or None (an id with a slash never leaves it)."""
    return _side_job(workspace, LR_FIND_DIR, job_id)


def _side_job(workspace: str | Path, folder: str, job_id: str) -> Run | None:
    path = Path(workspace) / folder / job_id
    return Run(path) if job_id and "/" not in job_id and "\\" not in job_id and not job_id.startswith(".") \
        and (path / "config.json").is_file() else None


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
