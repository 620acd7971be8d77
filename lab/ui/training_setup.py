"""What the next run will train, and what changed since the previous run.

The config trained is the session's experiment: the dataset (Dataset page), the model
(Architecture page), the augmentation (Augmentation page) and this page's
hyperparameters, after the classroom caps. "What changed" is ``lab.config.diff``
against the previous run's stored config, the same diff the journal shows.
"""

from __future__ import annotations

import json

import streamlit as st

from lab.config import ExperimentConfig, diff
from lab.errors import LabError
from lab.caps import Caps, apply_caps
from lab.ui import state
from lab.ui.i18n import t
from lab.ui.training_run import previous_run_id


def show_setup(splits, classes: list[str]) -> None:
    exp = state.experiment()
    names = ", ".join(step.name for step in exp.augment.transforms) or t("sidebar.augment_none")
    sizes = splits.sizes()
    st.markdown(f"**{t('training.setup')}:** " + t(
        "training.setup_line", dataset=exp.data.dataset, train=f"{sizes['train']:,}", val=f"{sizes['val']:,}",
        classes=len(classes), model=exp.model.preset, augment=names))


def show_changes() -> None:
    store = state.run_store()
    previous = previous_run_id(store)
    if previous is None:
        st.caption(t("training.changes_first"))
        return
    try:
        before = store.get(previous).config()
    except LabError:
        st.caption(t("training.changes_first"))
        return
    now, _ = apply_caps(state.experiment(), Caps.from_env())
    rows = changes(before, now)
    with st.expander(t("training.changes", run=previous), expanded=bool(rows), icon=":material/difference:"):
        if not rows:
            st.caption(t("training.changes_none", run=previous))
            return
        if len(rows) > 1:
            st.caption(t("training.changes_many", n=len(rows)))
        st.dataframe([{t("training.change_field"): f, t("training.change_before"): a, t("training.change_after"): b}
                      for f, a, b in rows], hide_index=True, width="stretch")


def changes(before: ExperimentConfig, now: ExperimentConfig) -> list[tuple[str, str, str]]:
    """(field, before, now) as short text: lists and objects as compact JSON."""
    def show(v) -> str:
        return v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)

    return [(path, show(a), show(b)) for path, a, b in diff(before, now)]
