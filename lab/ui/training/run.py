"""The Training page's side of a run: submit it, find it again, stop it.

Training happens in worker processes (``lab.jobs.worker``), never in the web server: these
functions only write a job folder and put a message on the queue (``lab.jobs.submit``), and
remember the run's id in the session. The live view reads the run folder
(``lab.ui.training.live``). Once a run has ended, ``show_after_run`` says what only its
numbers show (``lab.runs.hindsight``), under its report.
"""

from __future__ import annotations

import streamlit as st

from lab.classroom.caps import Capped
from lab.config import ExperimentConfig
from lab.jobs.submit import JobTarget, submit_group, submit_overfit
from lab.paths import runs_dir
from lab.runs.hindsight import after_run
from lab.runs.store import Run, RunStore
from lab.ui import state
from lab.ui.i18n import t
from lab.jobs.worker import ensure_local_workers


def previous_run_id(store: RunStore) -> str | None:
    """The run the next one is compared with: the workspace's newest run that trained at
    least one epoch (a run that failed to start is nobody's parent)."""
    latest = store.latest_trained()
    return latest.id if latest else None


def adopt_workspace_runs() -> None:
    """A refresh starts a new session in the same workspace: take over the workspace's
    runs still queued or training, so the page finds its run again."""
    for run in state.run_store().active():
        state.add_training_run(run.id)


def workers_ready() -> bool:
    """Start this machine's workers if they are not running (cheap: a lock-file check
    at most every few seconds). False when this server starts none (LAB_WORKERS=0)."""
    return ensure_local_workers(runs_dir(), state.data_dir())


def start_training(cfg: ExperimentConfig, name: str = "", report_every: int = 2,
                   available: int | None = None, seeds: int = 1,
                   expectation: dict | None = None) -> tuple[Run, list[Capped]]:
    """Queue ``cfg`` as a new run of this workspace (``seeds`` > 1: that many runs, one per
    seed, as a group; ``lab.runs.seeds``). Raises CapError/LabError. Returns the last run queued."""
    store = state.run_store()
    workers_ready()
    submitted = submit_group(cfg, store, seeds, expectation=expectation, name=name, parent=previous_run_id(store),
                             available=available, report_every=report_every,
                             target=JobTarget(runs_dir(), state.data_dir()), workspace=state.workspace_id())
    for s in submitted:
        state.add_training_run(s.run.id)
    return submitted[-1].run, submitted[0].capped


def start_overfit(cfg: ExperimentConfig) -> Run:
    workers_ready()
    job = submit_overfit(cfg, state.run_store().root, target=JobTarget(runs_dir(), state.data_dir()))
    state.add_overfit_job(job.id)
    return job


def show_after_run(run: Run) -> None:
    """The course's checks after the fact for a run that ended (nothing while it trains):
    one note each, in the page's language."""
    findings = after_run(run, state.run_store())
    if not findings:
        return
    text = "\n".join(f"- {t(key, **params)}" for key, params in findings)
    st.warning(f"**{t('after.header')}**\n\n{text}", icon=":material/lightbulb:")
