"""The live view of a run: progress, curves, the course's checks, reports.

Everything is read from the run folder (``lab.train.progress.read_progress``), which
the worker training it rewrites about once a second: switching pages, a refresh,
another web server or a restarted one all show the same run. While the run is queued
or training, ``show_training_run`` draws it inside an ``st.fragment(run_every=POLL_S)``:
only this part of the page reruns every two seconds; the form, the sidebar and other pages
stay usable. When the run ends the fragment triggers one full rerun so the models
list catches up.
"""

from __future__ import annotations

import math

import streamlit as st

from lab.jobs import submit as jobs
from lab.errors import LabError
from lab.runs.store import Run
from lab.train.progress import Progress, format_seconds, read_progress
from lab.train.report import from_png_b64
from lab.ui import state
from lab.ui.charts import cache as chart_cache
from lab.ui.format import billions, count
from lab.ui.charts.training import confusion_chart, curves_chart, per_class_chart
from lab.ui.i18n import t
from lab.ui.lab_errors import error_text
from lab.ui.training.run import show_after_run
from lab.jobs.worker import live_workers
from lab.jobs.queue import pending_ids, queue_url

STATUS_WORDS = {
    "queued": "training.status.queued", "running": "training.status.running", "finished": "training.status.finished",
    "stopped": "training.status.stopped", "diverged": "training.status.diverged",
    "failed": "training.status_short.failed"
}

# Seconds between live redraws. Every open tab costs the server one fragment run per
# interval: at 1 s, six students following five runs slowed the runs to 1.75x their
# time alone on the course's 2 cores; at 2 s, 1.07x (bench/bench_jobs.py, step 4).
POLL_S = 2.0


def snapshot(run: Run) -> Progress:
    return read_progress(run, position=jobs.queue_position(run))


def show_training_run(run: Run) -> None:
    snap = snapshot(run)
    if snap.active:
        # the validation report (images, confusion matrix) changes every few epochs, not
        # every second: it is drawn here, outside the fragment, and the fragment reruns
        # the page when a newer one arrives
        _live_training(run.id, _report_epoch(snap))
        if snap.report:
            draw_report(snap.report, (snap.start or {}).get("classes") or [])
    else:
        draw_training(run, snap)


def _report_epoch(snap: Progress) -> int | None:
    return (snap.report or {}).get("epoch")


def _find(run_id: str) -> Run | None:
    try:
        return state.run_store().get(run_id)
    except LabError:  # stopped while queued (its folder is gone), or deleted in the journal
        return None


@st.fragment(run_every=POLL_S)
def _live_training(run_id: str, report_epoch: int | None) -> None:
    run = _find(run_id)
    if run is None:
        st.rerun()
        return
    snap = snapshot(run)
    draw_training(run, snap, with_report=False)
    if not snap.active or _report_epoch(snap) != report_epoch:
        st.rerun()  # the whole page: buttons re-enable, the new model or report appears


def draw_training(run: Run, snap: Progress, with_report: bool = True) -> None:
    for key, params in snap.meta.get("capped", []):
        st.warning(t(key, **params), icon=":material/speed:")
    _status(run, snap)
    if snap.checks:
        _check(snap.checks[-1])
    if snap.epochs or snap.batch:
        _metrics(snap)
    _speed(snap)
    if snap.epochs or snap.steps:
        _curves(snap)
    if snap.diverged:
        _advice(snap.diverged, st.error)
    if snap.chance:
        _advice(snap.chance, st.error)
    if snap.overfitting:
        _advice(snap.overfitting, st.warning, header=t("training.remedies"))
    _end_note(run, snap)
    if snap.status in ("finished", "stopped", "diverged"):
        show_after_run(run)  # what only the finished run's numbers show
    if with_report and snap.report:
        draw_report(snap.report, (snap.start or {}).get("classes") or [])


def _stop(run_id: str) -> None:
    run = _find(run_id)
    if run is not None:
        jobs.stop(run)


def _load_caption(run: Run) -> None:
    workers = [w for w in live_workers() if w.get("queue") == run.meta().get("queue", "cpu")]
    if not workers:
        st.warning(t("training.no_workers"), icon=":material/hourglass_disabled:")
        return
    busy = sum(1 for w in workers if w.get("run"))
    waiting = len(pending_ids(queue_url(), run.meta().get("queue", "cpu")))
    st.caption(t("training.server_load", running=busy, cap=len(workers), queued=waiting))


def _failure(snap: Progress) -> str:
    if snap.reason == "run.worker_lost":
        return t("training.failed_lost", epochs=len(snap.epochs))
    if snap.error_key:  # a keyed engine error: in the page's language
        return error_text(LabError(snap.error, key=snap.error_key, params=snap.error_params))
    return snap.error or t("training.failed_unknown")


def _status(run: Run, snap: Progress) -> None:
    if snap.status == "queued":
        st.info(t("training.status.queued", position=snap.position or "?"), icon=":material/hourglass_top:")
        _load_caption(run)
        st.button(t("training.stop"), icon=":material/stop:", key=f"stop_{run.id}", on_click=_stop, args=(run.id,))
        return
    if snap.status == "failed":
        st.error(t("training.status.failed", error=_failure(snap)), icon=":material/error:")
        if not snap.epochs:
            return
    epoch = len(snap.epochs) + (1 if snap.status == "running" and snap.batch.get("epoch", 0) > len(snap.epochs) else 0)
    word = STATUS_WORDS[snap.status]
    text = t("training.progress", status=t(word),
             epoch=max(epoch, len(snap.epochs)), total=snap.epochs_total or "?",
             elapsed=format_seconds(snap.elapsed_s), eta=format_seconds(snap.eta_s))
    text += " · " + t("training.run_id", run=run.id)
    c1, c2 = st.columns([5, 1], vertical_alignment="bottom")
    c1.progress(snap.fraction, text=text)
    if snap.status == "running":
        c2.button(t("training.stop"), icon=":material/stop:", key=f"stop_{run.id}", on_click=_stop, args=(run.id,),
                  width="stretch", disabled=run.stop_requested())
    if snap.status == "running" and not snap.start:
        st.caption(t("training.starting"))


def _say(keys: list[str], values: dict) -> str:
    out = []
    for key in keys:
        try:
            out.append(t(key, **values))
        except (KeyError, ValueError, IndexError):  # a key or number the engine added later
            out.append(key)
    return " ".join(out)


def _check(check: dict) -> None:
    text = f"**{t('training.check')}.** " + _say(check.get("notes", []), check.get("values", {}))
    (st.success if check.get("ok") else st.warning)(text, icon=":material/fact_check:")


def _advice(event: dict, show, header: str | None = None) -> None:
    text = _say(event.get("notes", []), event.get("values", {}))
    advice = [f"- {_say([k], event.get('values', {}))}" for k in event.get("advice", [])]
    if advice:
        text += f"\n\n**{header}:**\n" if header else "\n\n"
        text += "\n".join(advice)
    show(text)


def _pct(value) -> str:
    return f"{value:.1%}" if isinstance(value, (int, float)) and math.isfinite(value) else "–"


def _metrics(snap: Progress) -> None:
    last = snap.epochs[-1] if snap.epochs else {}
    end = snap.end or {}
    cols = st.columns(5)
    cols[0].metric(t("training.metric.train_acc"), _pct(last.get("train_accuracy", snap.batch.get("running_accuracy"))))
    cols[1].metric(t("training.metric.val_acc"), _pct(last.get("val_accuracy")))
    val_loss = last.get("val_loss")
    cols[2].metric(t("training.metric.val_loss"), f"{val_loss:.4f}" if isinstance(val_loss, float) else "–")
    speed = end.get("images_per_sec") or last.get("images_per_sec")
    cols[3].metric(t("training.metric.speed"), count(round(speed)) if speed else "–")
    # not the test accuracy: a run is judged on validation; the test set waits for the end (Journal)
    cols[4].metric(t("evaluation.metric.best_val_acc"), _pct(end.get("best_val_accuracy")),
                   help=t("evaluation.metric.best_val_acc_help"))


NATIVE_BF16 = {"amx_bf16": "AMX", "avx512_bf16": "AVX512-BF16"}


def _speed(snap: Progress) -> None:
    """How close the run is to this machine's peak (``lab.train.speed``), under the metrics."""
    speed = (snap.start or {}).get("speed") or (snap.end or {}).get("speed")
    if not speed or not speed.get("peak_macs_per_sec"):
        return
    native = speed.get("bf16_native")
    values = {"per_image": billions(speed["train_macs_per_image"]), "peak": billions(speed["peak_macs_per_sec"]),
              "dtype": speed.get("compute_dtype", "float32"),
              "native": (t("training.speed_native", hw=NATIVE_BF16.get(native, native)) if native
                         else t("training.speed_no_native"))
              # what decided the kernels (lab.train.speed.compute_path): runs on two machines differ
              + t("training.speed_cpu", threads=speed.get("threads") or 1,
                  units=", ".join(speed.get("cpu_units") or []) or "–")}
    source = snap.end if snap.end and snap.end.get("macs_per_sec") else snap.epochs[-1] if snap.epochs else None
    if source is None or not source.get("macs_per_sec"):
        st.caption(t("training.speed_pending", **values))
        return
    text = t("training.speed", images=count(round(source["images_per_sec"])), macs=billions(source["macs_per_sec"]),
             fraction=_pct(source.get("peak_fraction")), **values)
    if source.get("loop_fraction") and speed.get("layers_images_per_sec"):
        text += " " + t("training.speed_loop", alone=count(round(speed["layers_images_per_sec"])),
                        fraction=_pct(source["loop_fraction"]))
    st.caption(text)


def curve_labels() -> dict[str, str]:
    return {"train": t("training.series.train"), "val": t("training.series.val"),
            "batch": t("training.series.batch"), "epoch": t("training.axis.epoch")}


def _curves(snap: Progress) -> None:
    labels = curve_labels()
    overfit = (snap.overfitting or {}).get("epoch")
    c1, c2 = st.columns(2)
    with c1:
        chart_cache.draw(curves_chart, snap.epochs, snap.steps, "loss",
                         {**labels, "value": t("training.chart.loss")}, title=t("training.chart.loss"),
                         overfit_epoch=overfit, overfit_label=t("training.overfit_marker"), width="stretch")
    with c2:
        chart_cache.draw(curves_chart, snap.epochs, snap.steps, "accuracy",
                         {**labels, "value": t("training.chart.accuracy")},
                         title=t("training.chart.accuracy"), overfit_epoch=overfit,
                         overfit_label=t("training.overfit_marker"), width="stretch")


def _end_note(run: Run, snap: Progress) -> None:
    end = snap.end or {}
    reason = end.get("reason")
    if reason == "train.early_stopped":
        st.info(t(reason, epoch=end.get("epochs"), best_epoch=end.get("restored_epoch"),
                  patience=_patience(run)), icon=":material/front_hand:")
    elif reason == "train.stopped":
        st.info(t(reason, step=end.get("steps", "?")), icon=":material/stop_circle:")


def draw_report(report: dict, classes: list[str]) -> None:
    """Grid of validation images, confusion matrix, per-class accuracy, confident mistakes."""
    if report.get("final"):
        st.subheader(t("training.report_final", epoch=report["epoch"], n=report["n"], acc=_pct(report["accuracy"])))
    else:
        st.subheader(t("training.report", epoch=report["epoch"]))
        st.caption(t("training.report_partial", n=report["n"]))
    classes = classes or [str(i) for i in range(len(report["confusion"]))]
    st.markdown(f"**{t('training.grid')}**")
    _image_grid(report["grid"])
    c1, c2 = st.columns(2)
    axes = {"true": t("training.axis.true"), "predicted": t("training.axis.predicted"),
            "count": t("training.axis.count"), "class": t("training.axis.class"),
            "accuracy": t("training.axis.accuracy")}
    with c1:
        st.markdown(f"**{t('training.confusion')}**")
        chart_cache.draw(confusion_chart, report["confusion"], classes, axes)
    with c2:
        st.markdown(f"**{t('training.per_class')}**")
        chart_cache.draw(per_class_chart, report["per_class_accuracy"], classes, axes, width="stretch")
    st.markdown(f"**{t('training.mistakes')}**")
    st.caption(t("training.mistakes_help"))
    if report["mistakes"]:
        _image_grid(report["mistakes"])
    else:
        st.caption(t("training.no_mistakes"))


def _image_grid(items: list[dict], per_row: int = 8) -> None:
    for start in range(0, len(items), per_row):
        row = items[start:start + per_row]
        cols = st.columns(per_row)
        for col, item in zip(cols, row):
            caption = t("training.caption", true=item["true"], pred=item["predicted"], conf=f"{item['confidence']:.0%}")
            if item.get("index") is not None:  # reports written before dataset indices were kept have none
                caption = f"#{item['index']} · {caption}"
            mark = ":green[✓]" if item["correct"] else ":red[✗]"
            col.image(from_png_b64(item["image"]), width=72)
            col.caption(f"{mark} {caption}")


def _patience(run: Run):
    try:
        return run.config().train.early_stopping
    except Exception:
        return "?"


# --- overfit one batch ------------------------------------------------------------------

def show_overfit_job(job: Run) -> None:
    snap = read_progress(job, position=jobs.queue_position(job))
    if snap.active:
        _live_overfit(job.id)
    else:
        draw_overfit(snap)


@st.fragment(run_every=POLL_S)
def _live_overfit(job_id: str) -> None:
    job = jobs.overfit_job(state.run_store().root, job_id)
    if job is None:
        return
    snap = read_progress(job, position=jobs.queue_position(job))
    draw_overfit(snap)
    if not snap.active:
        st.rerun()


def said_waiting_or_failed(snap: Progress) -> bool:
    """A job still queued or failed says so (its place in the queue, or why) and draws nothing
    else; True when it did. Overfit one batch and the range test share it."""
    if snap.status == "queued":
        st.info(t("training.status.queued", position=snap.position or "?"), icon=":material/hourglass_top:")
        return True
    if snap.status == "failed":
        st.error(t("training.status.failed", error=_failure(snap)), icon=":material/error:")
        return True
    return False


def draw_overfit(snap: Progress) -> None:
    if said_waiting_or_failed(snap):
        return
    result = (snap.end or {}).get("overfit") if snap.status == "finished" else None
    if result is None:
        step = snap.batch
        if step:
            st.caption(t("training.overfit_running", step=step.get("step", 0), loss=step.get("loss", float("nan")),
                         accuracy=step.get("accuracy", 0.0)))
        return
    text = f"**{t('training.overfit_result')}.** " + _say(result.get("notes", []), result.get("values", {}))
    advice = [f"- {_say([k], result.get('values', {}))}" for k in result.get("advice", [])]
    if advice:
        text += "\n\n" + "\n".join(advice)
    (st.success if result.get("reached") else st.warning)(text, icon=":material/science:")
