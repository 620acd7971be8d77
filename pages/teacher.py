"""Teacher: every student and their runs, the queue and the workers, stop a run, remove a
student, and the leaderboard's rules. Registered by ``app.py`` for the teacher only.

Thin: ``lab.classroom.overview`` reads the run folders, ``lab.classroom.accounts`` removes a student,
``lab.classroom.leaderboard`` scores; this page reads widgets and draws.
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import streamlit as st

from lab.classroom.accounts import Classroom, wait_words
from lab.classroom.overview import active_runs, busy, class_rows, queue_overview, student_runs
from lab.config import DataConfig
from lab.config.data import BUILTIN_DATASETS
from lab.errors import LabError
from lab.jobs.submit import stop
from lab.classroom.leaderboard import Leaderboard, Settings
from lab.ui import inputs, state
from lab.ui.data import load_dataset
from lab.ui.format import status_word
from lab.ui.lab_errors import error_text, message_text
from lab.ui.i18n import t
from lab.ui.router import ensure_app_router


ensure_app_router()  # a direct URL (/training) must still go through app.py


def status_label(status: str) -> str:
    return status_word(status)


def runs_frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame([{
        t("teacher.col.student"): r["student"], t("teacher.col.run"): r["name"] or r["run"],
        t("teacher.col.status"): status_label(r["status"]),
        t("teacher.col.epoch"): f"{r['epoch'] or 0}/{r['epochs']}" if r["epochs"] else r["epoch"],
        t("teacher.col.best_val_accuracy"): None if r["best_val_accuracy"] is None
        else round(100 * r["best_val_accuracy"], 2),
        t("teacher.col.dataset"): r["dataset"], t("teacher.col.created"): r["created"][:16].replace("T", " "),
    } for r in rows])


# --- students ---------------------------------------------------------------------------------
def show_students(room: Classroom) -> None:
    st.subheader(t("teacher.students"))
    students = room.students()
    if not students:
        st.info(t("teacher.no_students"))
        return
    rows = class_rows(room)
    if rows:
        st.dataframe(runs_frame(rows), hide_index=True)
    for account in students:
        if not any(r["key"] == account.key for r in rows):
            st.caption(f"{account.name}: {t('teacher.no_runs')}")
    show_remove(room, students)


def _remove(key: str, name: str) -> None:
    Classroom().remove(key)
    st.toast(t("teacher.removed", name=name), icon=":material/delete:")


def show_remove(room: Classroom, students) -> None:
    names = {a.key: a.name for a in students}
    key = st.selectbox(t("teacher.col.student"), list(names), format_func=names.get, key="teacher_remove_pick")
    account = room.account(key)
    with st.expander(t("teacher.remove", name=names[key]), icon=":material/person_remove:"):
        if busy(room, account):
            st.caption(t("teacher.remove_running", name=account.name))
            return
        n = len(student_runs(room, account))
        sure = st.checkbox(t("teacher.remove_confirm", name=account.name, n=n), key=f"teacher_remove_ok_{key}")
        st.button(t("teacher.remove_really"), type="primary", disabled=not sure, icon=":material/delete_forever:",
                  key=f"teacher_remove_{key}", on_click=_remove, args=(key, account.name))


# --- sign-in locks: the teacher's override ------------------------------------------------------
LOCK_RULES = {
    "device": "teacher.lock.device", "client_name": "teacher.lock.client_name", "name": "teacher.lock.name",
    "client": "teacher.lock.client", "code_client": "teacher.lock.code_client", "code_all": "teacher.lock.code_all",
}


def _unlock() -> None:
    n = Classroom().unlock()
    st.toast(t("teacher.unlocked", n=n), icon=":material/lock_open:")


def show_locks(room: Classroom) -> None:
    """Who is locked out by wrong guesses now, and one button that lifts every lock."""
    st.subheader(t("teacher.locks"))
    locks = room.locks()
    if not locks:
        st.caption(t("teacher.no_locks"))
        return
    st.dataframe(pd.DataFrame([{
        t("teacher.col.lock"): t(LOCK_RULES[lock["rule"]]), t("teacher.col.who"): lock["who"],
        t("teacher.col.wrong"): lock["count"], t("teacher.col.time_left"): message_text(*wait_words(lock["seconds"])),
    } for lock in locks]), hide_index=True)
    st.button(t("teacher.unlock"), icon=":material/lock_open:", key="teacher_unlock", on_click=_unlock)


# --- the queue and the workers -----------------------------------------------------------------
def _since(ts) -> str:
    return datetime.fromtimestamp(float(ts)).strftime("%H:%M:%S") if ts else ""


def _stop(run_id: str, room: Classroom) -> None:
    for _account, run in active_runs(room):
        if run.id == run_id:
            stop(run)
            st.toast(t("teacher.stop_asked", run=run_id), icon=":material/stop_circle:")


@st.fragment(run_every=5)  # live: the worker heartbeats and the queue move without a click
def show_queue(room: Classroom) -> None:
    st.subheader(t("teacher.queue"))
    overview = queue_overview(room)
    st.markdown(f"**{t('teacher.workers')}**")
    if overview["workers"]:
        st.dataframe(pd.DataFrame([{
            t("teacher.col.worker"): w["id"], t("teacher.col.host"): w["host"], t("teacher.col.queue"): w["queue"],
            t("teacher.col.run"): w["run_id"] or t("teacher.worker_idle"), t("teacher.col.since"): _since(w["since"]),
        } for w in overview["workers"]]), hide_index=True)
    else:
        st.caption(t("teacher.no_workers"))
    st.markdown(f"**{t('teacher.queued')}**")
    if overview["queued"]:
        st.dataframe(pd.DataFrame([{
            t("teacher.col.position"): q["position"] or None, t("teacher.col.student"): q["student"],
            t("teacher.col.run"): q["run_id"]} for q in overview["queued"]]), hide_index=True)
    else:
        st.caption(t("teacher.queue_empty"))
    active = active_runs(room)
    if not active:
        st.caption(t("teacher.nothing_running"))
        return
    labels = {r.id: f"{a.name}: {r.meta().get('name') or r.id} ({status_label(r.status)})" for a, r in active}
    row = st.container(horizontal=True, vertical_alignment="bottom")
    pick = row.selectbox(t("teacher.stop_pick"), list(labels), format_func=labels.get, key="teacher_stop_pick")
    row.button(t("teacher.stop"), icon=":material/stop_circle:", key="teacher_stop", on_click=_stop, args=(pick, room))


# --- the leaderboard's rules ------------------------------------------------------------------
def show_board_settings() -> None:
    st.subheader(t("teacher.board"))
    board = Leaderboard()
    current = board.settings()
    with st.form("teacher_board"):
        datasets = list(BUILTIN_DATASETS)
        dataset = st.selectbox(t("teacher.board_dataset"), datasets,
                               index=datasets.index(current.dataset) if current.dataset in datasets else 0)
        budget = inputs.number(t("teacher.board_budget"), (0, None), current.budget, 10_000)
        anonymous = st.checkbox(t("teacher.board_anonymous"), value=current.anonymous)
        if st.form_submit_button(t("teacher.board_save"), icon=":material/save:"):
            board.save_settings(Settings(dataset=dataset, budget=int(budget), anonymous=anonymous))
            st.success(t("teacher.board_saved"))
    if st.button(t("teacher.board_score"), icon=":material/scoreboard:", key="teacher_score"):
        data = load_dataset(DataConfig(dataset=board.settings().dataset))
        st.success(t("teacher.board_scored", n=board.score(data)))


def render() -> None:
    st.title(t("teacher.title"))
    if not state.is_teacher():  # app.py registers the page for the teacher only; this is the second lock
        st.error(t("teacher.only"))
        return
    st.caption(t("teacher.intro"))
    room = Classroom()
    show_students(room)
    show_locks(room)
    show_queue(room)
    show_board_settings()


try:
    render()
except LabError as exc:
    st.error(t("error.prefix", message=error_text(exc)))
