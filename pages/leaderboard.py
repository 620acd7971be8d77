"""Leaderboard: the class's entries scored on the hidden test split, and the student's own entry.

Thin: ``lab.classroom.leaderboard`` keeps the entries and the scores; this page reads widgets and draws.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lab.runs import journal
from lab.errors import LabError
from lab.classroom.leaderboard import Leaderboard, Standing, enterable
from lab.ui import state
from lab.ui.format import count
from lab.ui.lab_errors import error_text
from lab.ui.i18n import t
from lab.ui.router import ensure_app_router

WHY_UNRANKED = {
    "over_budget": "board.why.over_budget", "wrong_dataset": "board.why.wrong_dataset",
    "class_subset": "board.why.class_subset",
    "not_scored": "board.why.not_scored", "gone": "board.why.gone", "not_finished": "board.why.not_finished"
}

ensure_app_router()  # a direct URL (/training) must still go through app.py


def shown_name(board: Leaderboard, row: Standing, anonymous: bool) -> str:
    me = state.account()
    if me is not None and me.key == row.key:
        return t("board.you", name=row.name)
    if anonymous and not state.is_teacher():
        return t("board.anonymous", n=board.alias(row.key))
    return row.name


def standings_frame(board: Leaderboard, rows: list[Standing], anonymous: bool) -> pd.DataFrame:
    return pd.DataFrame([{
        t("board.col.rank"): r.rank, t("board.col.student"): shown_name(board, r, anonymous),
        t("board.col.accuracy"): round(100 * r.accuracy, 2), t("board.col.params"): r.params,
        t("board.col.cost"): r.cost,
    } for r in rows])


def my_entry(board: Leaderboard, dataset: str) -> None:
    st.subheader(t("board.my_entry"))
    account = state.account()
    if account is None or account.is_teacher:
        st.caption(t("board.teacher_no_entry"))
        return
    runs = [r for r in reversed(journal.in_order(state.run_store())) if enterable(r, dataset)]
    current = board.entries().get(account.key)
    if current:
        st.success(t("board.entered", run=current), icon=":material/how_to_reg:")
    if not runs:
        st.info(t("board.no_eligible", dataset=dataset))
        return
    ids = [r.id for r in runs]
    labels = {r.id: journal.run_label(r) for r in runs}
    pick = st.selectbox(t("board.pick"), ids, index=ids.index(current) if current in ids else 0,
                        format_func=labels.get, key="board_pick")
    st.button(t("board.enter"), icon=":material/flag:", key="board_enter", on_click=board.enter, args=(account, pick))


def render() -> None:
    st.title(t("board.title"))
    st.caption(t("board.intro"))
    board = Leaderboard()
    settings = board.settings()
    budget = count(settings.budget) if settings.budget else t("board.no_budget")
    st.markdown(t("board.rules", dataset=settings.dataset, budget=budget))
    rows = board.standings()
    ranked = [r for r in rows if r.rank is not None]
    if ranked:
        st.dataframe(standings_frame(board, ranked, settings.anonymous), hide_index=True)
    else:
        st.info(t("board.empty"))
    rest = [r for r in rows if r.rank is None]
    if rest:
        with st.expander(t("board.unranked")):
            st.dataframe(pd.DataFrame([{t("board.col.student"): shown_name(board, r, settings.anonymous),
                                        t("board.col.note"): t(WHY_UNRANKED[r.why])} for r in rest]),
                         hide_index=True)
    my_entry(board, settings.dataset)


try:
    render()
except LabError as exc:
    st.error(t("error.prefix", message=error_text(exc)))
