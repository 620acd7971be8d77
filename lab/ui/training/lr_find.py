"""The Training page's "Find a learning rate" section: the range test (``lab.train.lr_find``).

The button queues the test as a job (``lab.jobs.submit.submit_lr_find``: a worker runs it,
never this server; its folder is hidden from the journal). While it waits or runs, a
fragment polls the job folder; once it finished, the chart shows the smoothed loss against
the learning rate with the suggestion marked and its rule named, and one button writes the
suggestion into the experiment's learning rate. The form then draws itself again from the
experiment (``lab.ui.training.form``), so the change is the form's value, one change in
"What changed", and part of the draft.
"""

from __future__ import annotations

import streamlit as st

from lab.config import TrainConfig, from_dict, to_dict
from lab.config.bounds import TRAIN
from lab.jobs.submit import JobTarget, lr_find_job, submit_lr_find
from lab.jobs import submit as jobs
from lab.paths import runs_dir
from lab.runs.store import Run
from lab.train.progress import read_progress
from lab.ui import state
from lab.ui.charts import cache as charts_cache
from lab.ui.charts.lr_find import lr_find_chart
from lab.ui.i18n import t
from lab.ui.training.live import POLL_S, said_waiting_or_failed
from lab.ui.training.run import workers_ready

KEY = "lr_find_"  # widget keys; tests find the buttons by them
RULE_NAMES = {"valley": "lr_find.rule.valley", "steepest": "lr_find.rule.steepest"}
RULE_HELP = {"valley": "lr_find.rule_help.valley", "steepest": "lr_find.rule_help.steepest"}
STOPPED = {"exploded": "lr_find.stopped.exploded", "end": "lr_find.stopped.end", "stopped": "lr_find.stopped.stopped"}


def usable_lr(lr: float) -> float:
    """The suggestion as the form takes it: two significant digits, within the config's bounds."""
    low, high = TRAIN["lr"].low, TRAIN["lr"].high
    return min(high, max(low, float(f"{lr:.2g}")))


def lr_text(lr: float) -> str:
    return f"{lr:.2g}"


def lr_find_section(disabled: bool = False) -> None:
    """The whole section: what the test measures, its button, and this session's latest test."""
    with st.container(border=True, key=KEY + "section"):  # the browser finds it by its st-key-lr_find_section class
        st.subheader(t("lr_find.title"))
        st.caption(t("lr_find.intro"))
        if st.button(t("lr_find.run"), icon=":material/query_stats:", key=KEY + "run", disabled=disabled,
                     help=t("lr_find.run_help")):
            start_lr_find()
        job = _current_job()
        if job is None:
            return
        if read_progress(job).active:
            _live(job.id)
        else:
            draw_job(job)


def start_lr_find() -> Run:
    workers_ready()
    job = submit_lr_find(state.experiment(), state.run_store().root, target=JobTarget(runs_dir(), state.data_dir()))
    state.set_lr_find_job(job.id)
    return job


def _current_job() -> Run | None:
    job_id = state.lr_find_job_id()
    return lr_find_job(state.run_store().root, job_id) if job_id else None


@st.fragment(run_every=POLL_S)
def _live(job_id: str) -> None:
    job = lr_find_job(state.run_store().root, job_id)
    if job is None:
        return
    draw_job(job)
    if not read_progress(job).active:
        st.rerun()


def _stop(job_id: str) -> None:
    """The Stop button: a queued test never starts (its folder goes); a running one ends after
    its current step, and the chart shows the rates it swept."""
    job = lr_find_job(state.run_store().root, job_id)
    if job is not None:
        jobs.stop(job)


def draw_job(job: Run) -> None:
    snap = read_progress(job, position=jobs.queue_position(job))
    if snap.status in ("queued", "running"):
        st.button(t("lr_find.stop"), icon=":material/stop:", key=KEY + "stop", on_click=_stop, args=(job.id,),
                  disabled=job.stop_requested())
    if said_waiting_or_failed(snap):
        return
    result = (job.summary() or {}).get("lr_find")
    if result is None and snap.status == "stopped":  # stopped before its first step
        st.caption(t("lr_find.stopped.stopped", steps=0))
        return
    if result is None:
        step = snap.batch
        if step:
            st.caption(t("lr_find.running", step=step.get("step", 0), steps=step.get("steps", 0),
                         lr=lr_text(step.get("lr", 0.0)), loss=step.get("loss", float("nan"))))
        return
    draw_result(result)


def draw_result(result: dict) -> None:
    """The chart, the suggestion and its rule, and the button that puts it into the form."""
    lr, rule = result.get("suggested_lr"), result.get("rule")
    mark = t("lr_find.marker", lr=lr_text(lr), rule=t(RULE_NAMES[rule])) if lr is not None else ""
    chart = lr_find_chart(result["lrs"], result["losses"], lr, mark_label=mark, x_title=t("lr_find.axis_lr"),
                          y_title=t("lr_find.axis_loss"))
    charts_cache.show(chart)
    st.caption(t(STOPPED[result.get("stopped", "end")], steps=result.get("steps", 0)))
    if lr is None:
        st.warning(t("lr_find.no_suggestion"), icon=":material/help:")
        return
    other = next((r for r, v in result.get("suggestions", {}).items() if r != rule and v is not None), None)
    text = t("lr_find.suggested", lr=lr_text(lr), rule=t(RULE_NAMES[rule])) + " " + t(RULE_HELP[rule])
    if other:
        text += " " + t("lr_find.other_rule", rule=t(RULE_NAMES[other]), lr=lr_text(result["suggestions"][other]))
    st.success(text, icon=":material/query_stats:")
    value = usable_lr(lr)
    current = state.experiment().train.lr
    if abs(current - value) <= 1e-12 * max(1.0, value):
        st.caption(t("lr_find.in_form", lr=lr_text(value)))
        return
    st.button(t("lr_find.use", lr=lr_text(value)), icon=":material/input:", key=KEY + "use", on_click=use_lr,
              args=(value,), help=t("lr_find.use_help", current=lr_text(current)))


def use_lr(lr: float) -> None:
    """Button callback (before the script): the experiment's learning rate becomes ``lr``; the
    form sees the experiment changed and seeds its widgets from it."""
    exp = state.experiment()
    exp.train = from_dict(TrainConfig, {**to_dict(exp.train), "lr": float(lr)}, "train")
