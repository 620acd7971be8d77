"""The sidebar every page shares: language switch and a summary of the experiment."""

from __future__ import annotations

import streamlit as st

from lab.config import ExperimentConfig
from lab.ui import state
from lab.ui.draft import draft_notice
from lab.ui.format import dataset_label
from lab.i18n import LANGUAGES
from lab.ui.i18n import t


def render_sidebar():
    """The language switch; returns the container for the experiment summary, which
    ``render_summary`` fills AFTER the page ran (the page may just have changed the
    experiment: drawn before it, the summary was one choice behind)."""
    with st.sidebar:
        language_switch()
        draft_notice()
        return st.container()


def render_summary(where) -> None:
    with where:
        st.subheader(t("sidebar.experiment"))
        for label, line in summary_lines(state.experiment()):
            st.markdown(f"**{label}**  \n{line}")


def language_switch() -> None:
    state.relabel_choices()  # first, while no choice widget is drawn yet in this run
    langs = list(LANGUAGES)
    choice = st.selectbox(
        t("sidebar.language"), langs, index=langs.index(state.language()),
        format_func=LANGUAGES.get, key="_sidebar_language",
    )
    if choice != state.language():
        state.set_language(choice)
        st.rerun()


STEMS = {"small": "architecture.ready.stem_small", "original": "architecture.ready.stem_original"}


def summary_lines(cfg: ExperimentConfig) -> list[tuple[str, str]]:
    d, m, a, tr = cfg.data, cfg.model, cfg.augment, cfg.train
    names = ", ".join(step.name for step in a.transforms) or t("sidebar.augment_none")
    augment = t("sidebar.augment_summary", n=len(a.transforms), names=names) if a.transforms else names
    return [
        (t("sidebar.data"), t("sidebar.data_summary", dataset=dataset_label(d.dataset), val=round(d.val_fraction * 100))
         + (t("sidebar.data_classes", n=len(d.classes)) if d.classes else "")),
        (t("sidebar.model"), t("sidebar.ready_summary", arch=m.arch, stem=t(STEMS[m.stem])) if m.ready
         else t("sidebar.model_summary", preset=m.preset, blocks=len(m.blocks), head=m.head)),
        (t("sidebar.augment"), augment),
        (t("sidebar.train"), t("sidebar.train_summary", optimizer=tr.optimizer, lr=f"{tr.lr:g}",
                                epochs=tr.epochs, batch=tr.batch_size)),
    ]
