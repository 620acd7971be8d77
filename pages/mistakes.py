"""Mistakes: a run's most confident mistakes, and the images whose label it doubts most.

Thin: ``lab.runs.evaluation`` scores the run (the test split only on request, counted as a
look), ``lab.runs.mistakes`` ranks the images and keeps the student's marks; this page reads
widgets and draws. ``python -m lab mistakes`` does the same headless.
"""

from __future__ import annotations

import streamlit as st

from lab.runs import journal
from lab.errors import LabError
from lab.runs.evaluation import split_scores, stored_scores, count_test_looks
from lab.runs.mistakes import confident_mistakes, enlarge, images_of, label_issues, marks, part, set_mark
from lab.paths import runs_dir
from lab.ui import state
from lab.ui.data import load_dataset
from lab.ui.format import count
from lab.ui.lab_errors import error_text
from lab.ui.i18n import t
from lab.ui.router import ensure_app_router

MARKED = {"label": "mistakes.marked.label", "model": "mistakes.marked.model"}
PARTS = {"train": "mistakes.part.train", "test": "mistakes.part.test"}

ensure_app_router()  # a direct URL (/training) must still go through app.py

GRID = 16  # confident mistakes shown
PER_ROW = 8
LARGE_PX = 196  # a suspect is shown this wide (pixels repeated, not smoothed)


def _mark(workspace, dataset: str, split: str, index: int, verdict: str | None) -> None:
    set_mark(workspace, dataset, split, index, verdict)  # in the button's callback: the rerun shows it


def show_mistakes(scores, data) -> None:
    st.caption(t("mistakes.mistakes_help", part=t(PARTS[part(scores.split)])))
    items = confident_mistakes(scores, GRID)
    if not items:
        st.info(t("mistakes.none"))
        return
    images = images_of(scores, items, data)
    for start in range(0, len(items), PER_ROW):
        cols = st.columns(PER_ROW)
        for col, item, image in zip(cols, items[start:start + PER_ROW], images[start:start + PER_ROW]):
            col.image(enlarge(image, 84), width=84)
            col.caption(t("mistakes.caption", index=item["index"], true=item["true"], pred=item["predicted"],
                          conf=f"{item['confidence']:.0%}"))


def show_label_issues(scores, data, workspace, dataset: str) -> None:
    st.caption(t("mistakes.labels_help"))
    top = st.slider(t("mistakes.top"), 5, 40, 10, step=5, key="mistakes_top")
    items = label_issues(scores, top)
    marked = marks(workspace, dataset, scores.split)
    for item, image in zip(items, images_of(scores, items, data)):
        with st.container(border=True):
            left, right = st.columns([1, 3], vertical_alignment="center")
            left.image(enlarge(image, LARGE_PX), width=LARGE_PX)
            right.markdown(t("mistakes.item", index=item["index"], true=item["true"], pred=item["predicted"],
                             conf=f"{item['confidence']:.0%}", p_label=f"{item['label_probability']:.1%}"))
            if item["flagged"]:
                right.caption(t("mistakes.flagged"))
            mark = marked.get(item["index"])
            if mark:
                right.success(t(MARKED[mark]), icon=":material/bookmark:")
            row = right.container(horizontal=True)
            key = f"mistakes_{scores.split}_{item['index']}"
            args = (workspace, dataset, scores.split, item["index"])
            row.button(t("mistakes.mark_label"), key=key + "_label", icon=":material/label_off:",
                       type="primary" if mark == "label" else "secondary", on_click=_mark, args=(*args, "label"))
            row.button(t("mistakes.mark_model"), key=key + "_model", icon=":material/psychology_alt:",
                       type="primary" if mark == "model" else "secondary", on_click=_mark, args=(*args, "model"))
            if mark:
                row.button(t("mistakes.mark_clear"), key=key + "_clear", on_click=_mark, args=(*args, None))
    counts = list(marked.values())
    st.caption(t("mistakes.marks_summary", label=counts.count("label"), model=counts.count("model")))


def render() -> None:
    st.title(t("nav.mistakes"))
    st.caption(t("mistakes.intro"))
    store = state.run_store()
    runs = [r for r in reversed(journal.in_order(store)) if r.has_checkpoint() and not r.active]
    if not runs:
        st.info(t("mistakes.no_runs"))
        return
    labels = {r.id: journal.run_label(r) for r in runs}
    run_id = st.selectbox(t("mistakes.run"), list(labels), format_func=labels.get, key="mistakes_run")
    run = store.get(run_id)
    names = {"val": t("mistakes.split.val"), "test": t("mistakes.split.test")}
    split = st.radio(t("mistakes.split"), list(names), format_func=names.get, horizontal=True,
                     key=state.translated_choice("mistakes_split"))
    cfg = run.config()
    data = load_dataset(cfg.data)
    scores = stored_scores(run, split, runs_dir())
    if split == "test" and scores is None:
        st.warning(t("mistakes.test_warning", n=count_test_looks(store.root)), icon=":material/visibility:")
        if not st.button(t("mistakes.score_test"), key=f"mistakes_score_test_{run.id}", icon=":material/lock_open:"):
            return
    if scores is None:
        with st.spinner(t("data.loading", name=run.id)):
            scores = split_scores(run, split, data=data, data_dir=state.data_dir(), runs_root=runs_dir())
    a, b = st.columns(2)
    a.metric(t("mistakes.accuracy"), f"{100 * scores.accuracy:.2f}%")
    b.metric(t("mistakes.images"), count(len(scores.labels)))
    tab_mistakes, tab_labels = st.tabs([t("mistakes.tab.mistakes"), t("mistakes.tab.labels")])
    with tab_mistakes:
        show_mistakes(scores, data)
    with tab_labels:
        show_label_issues(scores, data, store.root, cfg.data.dataset)


try:
    render()
except LabError as exc:
    st.error(t("error.prefix", message=error_text(exc)))
