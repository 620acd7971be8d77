"""Journal: every run of the workspace, what changed since the run before, and the effect.

Thin: ``lab.runs.journal`` builds the rows, diffs and curves; ``lab.export`` writes the script, the
notebook and the checked ONNX model with its onboard figures; this page reads widgets and draws.
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import streamlit as st

from lab.runs import journal, seeds
from lab.runs.changes import format_numerics
from lab.errors import LabError
from lab.runs import hindsight
from lab.runs.evaluation import evaluate_run, count_test_looks
from lab.export import onnx as onnx_export
from lab.export.notebook import notebook_source
from lab.export.script import on_folder, same_numbers, script_source
from lab.paths import runs_dir
from lab.runs.store import Run, RunStore
from lab.ui import state
from lab.ui.charts import cache as chart_cache
from lab.ui.charts.journal import overlay_chart
from lab.ui.data import load_dataset
from lab.ui.format import count, dataset_label, setting_label, setting_value, status_word
from lab.ui.training.start_from import show_record
from lab.ui.lab_errors import error_text
from lab.ui.i18n import t
from lab.ui.router import ensure_app_router

EXPECT_WORDS = {"better": "expect.better", "worse": "expect.worse", "same": "expect.same"}
CHART_LABELS = {
    "loss": "journal.chart.loss", "accuracy": "journal.chart.accuracy", "epoch": "journal.chart.epoch",
    "run": "journal.chart.run", "split": "journal.chart.split", "train": "journal.chart.train",
    "val": "journal.chart.val"
}

ensure_app_router()  # a direct URL (/training) must still go through app.py

SHOWN = ("val_rank", "created", "name", "status", "dataset", "blocks", "params", "optimizer", "lr", "batch_size",
         "augment", "best_val_accuracy", "seeds", "final_val_accuracy", "best_val_loss", "test_accuracy", "epochs",
         "seconds", "changes", "changed", "d_val_accuracy", "expectation", "note", "damage", "id")
COLUMN_NAMES = {  # the journal table's headers
    "val_rank": "journal.col.val_rank", "created": "journal.col.created", "name": "journal.col.name",
    "status": "journal.col.status", "dataset": "journal.col.dataset", "blocks": "journal.col.blocks",
    "params": "journal.col.params", "optimizer": "journal.col.optimizer", "lr": "journal.col.lr",
    "batch_size": "journal.col.batch_size", "augment": "journal.col.augment",
    "best_val_accuracy": "journal.col.best_val_accuracy", "seeds": "journal.col.seeds",
    "final_val_accuracy": "journal.col.final_val_accuracy", "best_val_loss": "journal.col.best_val_loss",
    "test_accuracy": "journal.col.test_accuracy", "epochs": "journal.col.epochs", "seconds": "journal.col.seconds",
    "changes": "journal.col.changes", "changed": "journal.col.changed",
    "d_val_accuracy": "journal.col.d_val_accuracy", "expectation": "journal.col.expectation",
    "note": "journal.col.note", "damage": "journal.col.damage", "id": "journal.col.id"
}
DERIVED = ("seeds", "expectation")  # made on the page from the engine's group_* and expected/outcome
EMPTY = "—"  # a cell with no value (no test score yet, no note)
PERCENT = ("best_val_accuracy", "final_val_accuracy", "test_accuracy", "d_val_accuracy")  # 0..1 in the engine, % on the page


def when(iso: str) -> str:
    """"2026-11-27 04:15" (the journal records UTC)."""
    try:
        return datetime.fromisoformat(iso).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso


def damage_text(run: Run) -> str:
    """What is wrong with ``run``'s folder, in the page's language ("" when intact)."""
    return "; ".join(error_text(p) for p in run.damage())


def table_frame(rows: list[dict], damage: dict[str, str]) -> pd.DataFrame:
    data = []
    for r in rows:
        shown = {k: r[k] for k in SHOWN if k not in DERIVED}
        shown["damage"] = damage.get(r["id"]) or None
        shown["seeds"] = seeds_cell(r)
        shown["expectation"] = expectation_cell(r)
        shown["created"] = when(r["created"])
        shown["status"] = status_word(r["status"])
        shown["dataset"] = dataset_label(r["dataset"]) if r["dataset"] else None
        if r["augment"] == "none":  # the engine's word for no steps: the page says it in its language
            shown["augment"] = t("journal.augment_none")
        for k in PERCENT:
            shown[k] = None if r[k] is None else round(100 * r[k], 2)
        data.append(shown)
    return pd.DataFrame(data, columns=list(SHOWN))


def seeds_cell(r: dict) -> str | None:
    """"97.12 ± 0.31 (3)" for a run repeated with seeds."""
    if r["group_mean"] is None:
        return None
    std = f" ± {100 * r['group_std']:.2f}" if r["group_std"] is not None else ""
    return f"{100 * r['group_mean']:.2f}{std} ({r['group_n']})"


def expectation_cell(r: dict) -> str | None:
    """"better → worse": what the student predicted, and what happened."""
    if not r["expected"]:
        return None
    got = t(EXPECT_WORDS[r["outcome"]]) if r["outcome"] else t("expect.pending")
    return f"{t('expect.' + r['expected'])} → {got}"


def column_config() -> dict:
    number = st.column_config.NumberColumn
    config = {k: st.column_config.TextColumn(t(COLUMN_NAMES[k])) for k in SHOWN}
    config.update({
        "blocks": number(t("journal.col.blocks"), format="%d"),
        "params": number(t("journal.col.params"), format="localized"),
        "lr": number(t("journal.col.lr"), format="%g"),
        "batch_size": number(t("journal.col.batch_size"), format="%d"),
        "best_val_accuracy": number(t("journal.col.best_val_accuracy"), format="%.2f"),
        "final_val_accuracy": number(t("journal.col.final_val_accuracy"), format="%.2f",
                                     help=t("journal.col.final_val_accuracy_help")),
        "best_val_loss": number(t("journal.col.best_val_loss"), format="%.4f"),
        "test_accuracy": number(t("journal.col.test_accuracy"), format="%.2f", help=t("journal.col.test_help")),
        "val_rank": number(t("journal.col.val_rank"), format="%d"),
        "seeds": st.column_config.TextColumn(t("journal.col.seeds"), help=t("journal.col.seeds_help")),
        "expectation": st.column_config.TextColumn(t("journal.col.expectation")),
        "epochs": number(t("journal.col.epochs"), format="%d"),
        "seconds": number(t("journal.col.seconds"), format="%.0f"),
        "changes": number(t("journal.col.changes"), format="%d"),
        "d_val_accuracy": number(t("journal.col.d_val_accuracy"), format="%+.2f"),
    })
    return config


# --- one run ----------------------------------------------------------------------------------
def show_change(run: Run, runs: list[Run]):
    """What changed against the run's base, the effect, the seed verdict and the prediction;
    returns the empty column where the test accuracy goes (``show_test_evaluation``)."""
    change = journal.change_of(run, runs)
    if change.base is None:
        st.caption(t("journal.base_none"))
    else:
        key = "journal.base_parent" if change.base_kind == "parent" else "journal.base_previous"
        st.caption(t(key, base=journal.run_label(next(r for r in runs if r.id == change.base))))
        if change.warning:
            st.warning(t("journal.warning_many", n=len(change.fields)), icon=":material/warning:")
        if change.numerics:
            st.warning(t("journal.numerics_differ", fields=format_numerics(change.numerics)), icon=":material/memory:")
        if change.fields:
            st.dataframe(pd.DataFrame(
                [{t("journal.field"): setting_label(p), t("journal.before"): setting_value(p, journal.format_value(a)),
                  t("journal.after"): setting_value(p, journal.format_value(b))} for p, a, b in change.fields]),
                hide_index=True)
        else:
            st.info(t("journal.same_config", base=change.base))
    show_record(run)  # what it was initialised from and what was frozen (issue 22)
    s = journal.scores(run)
    acc, loss, test = st.columns(3)
    if s["best_val_accuracy"] is None and s["final_val_accuracy"] is not None:
        # stopped before its first epoch ended: no best epoch, but the summary holds what the
        # weights it stopped with scored
        acc.metric(t("journal.effect_final"), f"{100 * s['final_val_accuracy']:.2f}%")
        st.caption(t("journal.no_best_epoch"))
    else:
        acc.metric(t("journal.effect_acc"),
                   "—" if s["best_val_accuracy"] is None else f"{100 * s['best_val_accuracy']:.2f}%",
                   None if change.d_val_accuracy is None else t("journal.pts", d=f"{100 * change.d_val_accuracy:+.2f}"))
    loss.metric(t("journal.effect_loss"), "—" if s["best_val_loss"] is None else f"{s['best_val_loss']:.4f}",
                None if change.d_val_loss is None else f"{change.d_val_loss:+.4f}", delta_color="inverse")
    if change.base is not None:
        show_verdict(seeds.compare_runs(next(r for r in runs if r.id == change.base), run, runs))
    elif run.meta().get("group"):
        show_verdict(seeds.verdict(seeds.stats_of(run, runs), seeds.stats_of(run, runs)), differences=False)
    show_expectation(run, runs)
    return test


def show_verdict(v: seeds.Verdict, differences: bool = True) -> None:
    """The group's mean ± std, and whether the change beats the seed-to-seed spread."""
    for stats in (v.a, v.b) if differences else (v.b,):
        if stats.group and stats.mean is not None and stats.std is not None:
            st.caption(t("seeds.group", n=stats.n, mean=f"{100 * stats.mean:.2f}", std=f"{100 * stats.std:.2f}"))
    if not differences or v.difference is None:
        return
    if v.real is None:
        st.caption(t("seeds.unknown"))
        return
    values = {"d": f"{100 * v.difference:+.2f}", "spread": f"{100 * v.spread:.2f}"}
    if v.real:
        st.success(t("seeds.real", **values), icon=":material/verified:")
    else:
        st.info(t("seeds.noise", **values), icon=":material/casino:")


def show_expectation(run: Run, runs: list[Run]) -> None:
    """What the student predicted before the run, beside what happened."""
    r = journal.row(run, runs)
    if not r["expected"]:
        return
    got = t(EXPECT_WORDS[r["outcome"]]) if r["outcome"] else t("expect.pending")
    text = t("expect.shown", expected=t(EXPECT_WORDS[r["expected"]]), got=got)
    if r["expected_why"]:
        text += "  \n" + t("expect.shown_why", why=r["expected_why"])
    if r["outcome"]:
        text += "  \n" + t("expect.right" if r["outcome"] == r["expected"] else "expect.wrong")
    st.info(text, icon=":material/psychology:")


def show_test_evaluation(run: Run, column) -> None:
    """"Evaluate on test": the run's test score, revealed on request and counted; the score
    (once revealed) in ``column``, beside the validation scores."""
    workspace = run.dir.parent
    if run.has_checkpoint() and not run.active:
        if st.button(t("evaluation.evaluate_test"), key=f"journal_test_{run.id}", icon=":material/lock_open:",
                     help=t("evaluation.evaluate_help")):
            with st.spinner(t("data.loading", name=dataset_label(run.config().data.dataset))):
                record = evaluate_run(run, "test", data=load_dataset(run.config().data), data_dir=state.data_dir(),
                                      runs_root=runs_dir())
            st.success(t("evaluation.result", acc=f"{100 * record['accuracy']:.2f}%", n=count(record["n"]),
                         loss=f"{record['loss']:.4f}"), icon=":material/lock_open:")
            if record["public_only"]:
                st.caption(t("evaluation.public_half"))
            for key, params in hindsight.test_looks(run):  # from the second look on, as `lab evaluate` says
                st.warning(t(key, **params), icon=":material/visibility:")
    test = journal.scores(run)["test_accuracy"]
    column.metric(t("journal.effect_test"), t("evaluation.not_evaluated") if test is None else f"{100 * test:.2f}%")
    looks = count_test_looks(workspace)
    if looks >= 3:
        st.warning(t("evaluation.looks_many", n=looks), icon=":material/visibility:")
    else:
        st.caption(t("evaluation.looks", n=looks))


def _config_or_none(run: Run):
    try:
        return run.config()
    except LabError:
        return None


def _save_note(run: Run, key: str) -> None:
    run.set_note(st.session_state.get(key, ""))  # the text area's own value, read in its callback


def _use_config(run: Run) -> None:
    state.set_experiment(run.config())  # before the script reruns: the sidebar shows it at once


def _delete(store: RunStore, run_id: str) -> None:
    try:
        journal.delete_run(store, run_id, confirm=run_id)
        st.toast(t("journal.deleted", run=run_id), icon=":material/delete:")
    except LabError as exc:  # e.g. the run is still training: say so, delete nothing
        st.error(t("error.prefix", message=error_text(exc)))


def show_actions(run: Run, store: RunStore) -> None:
    note_key = f"journal_note_{run.id}"
    st.text_area(t("journal.note"), value=run.note, key=note_key, height=80)
    if st.button(t("journal.note_save"), key=f"journal_note_save_{run.id}", icon=":material/save:",
                 on_click=_save_note, args=(run, note_key)):
        st.success(t("journal.note_saved"))
    row = st.container(horizontal=True)  # the buttons flow and wrap instead of being squeezed
    if _config_or_none(run) is not None:  # a damaged config.json cannot become the experiment
        row.button(t("journal.use_config"), key=f"journal_use_{run.id}", icon=":material/restart_alt:",
                   on_click=_use_config, args=(run,))
    if run.has_checkpoint():
        best = run.model_checkpoint()
        row.download_button(t("journal.download_ckpt"), best.read_bytes(), file_name=f"{run.id}-{best.name}",
                            mime="application/octet-stream", icon=":material/download:",
                            key=f"journal_ckpt_{run.id}", on_click="ignore")
    name = f"train_{run.id.replace('-', '_')}.py"
    try:
        row.download_button(t("journal.download_script"), script_source(run), file_name=name, mime="text/x-python",
                            icon=":material/code:", key=f"journal_script_{run.id}", on_click="ignore",
                            help=t("journal.script_help", file=name) + " "
                            + t("journal.script_same" if same_numbers(run.config()) else "journal.script_differs")
                            + (" " + t("journal.script_folder") if same_numbers(run.config())
                               and on_folder(run.config()) else ""))
    except LabError as exc:
        st.caption(t("error.prefix", message=error_text(exc)))
    show_exports(run, row)
    if not run.has_checkpoint():
        st.caption(t("journal.no_ckpt"))
    # Said from the state itself, not from the button's one-shot value, so it survives a rerun
    if _config_or_none(run) is not None and state.experiment() == run.config():
        st.success(t("journal.used_config", run=journal.run_label(run)), icon=":material/check_circle:")
    with st.expander(t("journal.delete"), icon=":material/delete:"):
        if run.status == "running":
            st.caption(t("journal.delete_running"))
            return
        sure = st.checkbox(t("journal.delete_confirm", run=run.id), key=f"journal_delete_ok_{run.id}")
        st.button(t("journal.delete_really"), key=f"journal_delete_{run.id}", type="primary", disabled=not sure,
                  icon=":material/delete_forever:", on_click=_delete, args=(store, run.id))


def show_exports(run: Run, row) -> None:
    """The notebook and the ONNX model beside the script; a missing library is named instead."""
    name = f"train_{run.id.replace('-', '_')}.ipynb"
    gone = onnx_export.missing(("nbformat",))
    if gone:
        st.caption(t("journal.export_missing", what=t("journal.download_notebook"), packages=" ".join(gone)))
    else:
        try:
            row.download_button(t("journal.download_notebook"), notebook_source(run, state.language()),
                                file_name=name, mime="application/x-ipynb+json", icon=":material/book_2:",
                                key=f"journal_notebook_{run.id}", on_click="ignore",
                                help=t("journal.notebook_help", file=name))
        except LabError as exc:
            st.caption(t("error.prefix", message=error_text(exc)))
    if not run.has_checkpoint():
        return
    gone = onnx_export.missing()
    if gone:
        st.caption(t("journal.export_missing", what=t("journal.download_onnx"), packages=" ".join(gone)))
        return
    key = f"journal_onnx_{run.id}"
    int8 = row.checkbox(t("journal.onnx_int8"), key=f"{key}_int8")  # beside the button it changes
    if row.button(t("journal.onnx_prepare"), key=f"{key}_go", icon=":material/memory:", help=t("journal.onnx_help")):
        with st.spinner(t("journal.onnx_working")):
            try:
                st.session_state[key] = _prepare_onnx(run, int8)
            except LabError as exc:  # e.g. onnxruntime disagrees with PyTorch: nothing is offered
                st.session_state.pop(key, None)
                st.error(t("error.prefix", message=error_text(exc)))
    if st.session_state.get(key):
        _show_onnx(run, st.session_state[key])


def _prepare_onnx(run: Run, int8: bool) -> dict:
    from lab.export.onboard import onboard_figures  # measures for seconds: only when asked for

    result = onnx_export.build_onnx(run)
    data8 = onnx_export.int8_for(run, result) if int8 else None  # static, calibrated on validation images
    figures = onboard_figures(run, result, onnx_export.wrapped_model(run)[0], int8=data8)
    return {"data": result.data, "int8": data8, "diff": result.max_diff, "n": result.images, "figures": figures}


def _show_onnx(run: Run, ready: dict) -> None:
    f = ready["figures"]
    st.download_button(t("journal.download_onnx"), ready["data"], file_name=f"{run.id}.onnx",
                       mime="application/octet-stream", icon=":material/download:", key=f"journal_onnx_dl_{run.id}",
                       on_click="ignore")
    st.caption(t("journal.onnx_checked", n=ready["n"], diff=f"{ready['diff']:.1e}"))
    st.caption(t("journal.onnx_figures", size=f"{f['size_bytes'] / 1024:.0f}", params=count(f['params']),
                 macs=f"{f['macs'] / 1e6:.2f}", cpu=f["cpu"], ort_ms=f"{f['onnx']['latency_ms']:.3f}",
                 ort_rate=count(f['onnx']['throughput']), pt_ms=f"{f['torch']['latency_ms']:.3f}",
                 pt_rate=count(f['torch']['throughput'])))
    if ready["int8"] is not None:
        q = f["int8"]
        st.download_button(t("journal.download_onnx_int8"), ready["int8"], file_name=f"{run.id}.int8.onnx",
                           mime="application/octet-stream", icon=":material/download:",
                           key=f"journal_onnx8_dl_{run.id}", on_click="ignore")
        st.caption(t("journal.onnx_int8_figures", size=f"{q['size_bytes'] / 1024:.0f}",
                     ms=f"{q['latency_ms']:.3f}", rate=count(q['throughput']), before=f"{f['accuracy']:.2%}",
                     after=f"{q['accuracy']:.2%}", change=f"{q['accuracy_change'] * 100:+.2f}", n=count(f["images"])))
    st.info(t("journal.onnx_meaning"), icon=":material/flight:")


# --- several runs -----------------------------------------------------------------------------
def show_comparison(chosen: list[Run], runs: list[Run]) -> None:
    points = journal.curves(chosen)
    if not points:
        st.info(t("journal.no_curves"))
    else:
        labels = {k: t(key) for k, key in CHART_LABELS.items()}
        left, right = st.columns(2)
        chart_cache.draw(overlay_chart, points, "loss", labels, width="stretch", container=left)
        chart_cache.draw(overlay_chart, points, "accuracy", labels, width="stretch", container=right)
        st.caption(t("journal.curves_caption"))
    if len(chosen) == 2:
        show_verdict(seeds.compare_runs(chosen[0], chosen[1], runs))
    st.markdown(f"**{t('journal.config_diff')}**")
    fields = journal.side_by_side(chosen)
    if not fields:
        st.info(t("journal.config_same"))
    else:
        names = {r.id: journal.run_label(r) for r in chosen}
        st.dataframe(pd.DataFrame([{t("journal.field"): setting_label(f["field"]), **{names[k]: v for k, v in f.items() if k != "field"}}
                                   for f in fields]), hide_index=True)


WATCH_S = 2.0  # how often an open journal looks for runs that started, moved or ended


def journal_signature(store: RunStore) -> tuple:
    """What the table shows that a worker changes: the runs, their status, their epochs."""
    return tuple((r.id, r.status, len(r.epochs()) if r.active else -1) for r in store.list())


@st.fragment(run_every=WATCH_S)
def watch_runs(drawn: tuple) -> None:
    """Redraw the whole page when a run moved since it was drawn (a worker trains it on
    another process or machine); otherwise nothing reruns but this small check."""
    if journal_signature(state.run_store()) != drawn:
        st.rerun(scope="app")


def render() -> None:
    st.title(t("journal.title"))
    st.caption(t("journal.intro"))
    store = state.run_store()
    watch_runs(journal_signature(store))
    runs = journal.in_order(store)
    rows = journal.by_validation(journal.rows(runs))  # ranked by validation, never by test
    if any(r.active for r in runs):
        st.caption(t("journal.live"), help=None)
    if not rows:
        st.info(t("journal.empty"))
        return
    damage = {r.id: damage_text(r) for r in runs}
    damaged = sum(1 for text in damage.values() if text)
    if damaged:
        st.warning(t("journal.damaged_some", n=damaged), icon=":material/broken_image:")
    event = st.dataframe(table_frame(rows, damage), key="journal_table", on_select="rerun", selection_mode="multi-row",
                         hide_index=True, column_config=column_config(), column_order=SHOWN,
                         placeholder=EMPTY)  # an empty cell read "None"
    picked = [rows[i]["id"] for i in sorted(event.selection.rows) if i < len(rows)]
    st.caption(t("journal.ranked") + " " + t("journal.table_hint"))
    st.download_button(t("journal.csv"), journal.to_csv(rows), file_name="journal.csv", mime="text/csv",
                       icon=":material/table_view:", on_click="ignore")

    ids = [r.id for r in runs]
    labels = {r.id: journal.run_label(r) for r in runs}
    sig = "_".join(picked)  # widgets restart from the table's selection when it changes
    focus = st.selectbox(t("journal.run_pick"), ids[::-1], index=ids[::-1].index(picked[-1]) if picked else 0,
                         format_func=labels.get, key=f"journal_run_{sig}")
    run = store.get(focus)
    st.subheader(t("journal.run_header", run=labels[focus]))
    if damage[focus]:
        st.error(t("journal.damaged", problems=damage[focus]), icon=":material/broken_image:")
    show_test_evaluation(run, show_change(run, runs))
    show_actions(run, store)

    st.subheader(t("journal.compare"))
    chosen = st.multiselect(t("journal.compare_pick"), ids, default=picked, format_func=labels.get,
                            key=f"journal_compare_{sig}", placeholder=t("journal.compare_placeholder"))
    if len(chosen) < 2:
        st.caption(t("journal.compare_hint"))
    else:
        show_comparison([store.get(i) for i in chosen], runs)


try:
    render()
except LabError as exc:
    st.error(t("error.prefix", message=error_text(exc)))
