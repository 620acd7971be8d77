"""What the next run will train, and what changed since the previous run.

The config trained is the session's experiment: the dataset (Dataset page), the model
(Architecture page), the augmentation (Augmentation page) and this page's
hyperparameters, after the classroom caps. "What changed" is ``lab.runs.changes.compare``:
the experiment being edited against the next run's parent, live as any widget changes,
or, right after Train, the submitted run against its own parent. Each change before
Train has a button that puts the parent's value back; more than one change gets a warning.
"""

from __future__ import annotations

import json

import streamlit as st

from lab.classroom.caps import Caps, apply_caps
from lab.runs.changes import compare, restore
from lab.errors import LabError
from lab.ui import state
from lab.ui.format import dataset_label, setting_label, setting_value
from lab.ui.data import load_splits
from lab.ui.i18n import t
from lab.config import diff


def show_setup(classes: list[str], available: int | None = None) -> None:
    """The line that says what Train will train: the split as the worker will make it, with the
    training-image cap as typed in the form (drawn after it) and the classroom's caps applied.
    ``available``: training images of the uncapped split."""
    exp, _ = apply_caps(state.experiment(), Caps.from_env(), available=available)
    names = ", ".join(step.name for step in exp.augment.transforms) or t("sidebar.augment_none")
    sizes = load_splits(exp.data).sizes()
    st.markdown(f"**{t('training.setup')}:** " + t(
        "training.setup_line", dataset=dataset_label(exp.data.dataset), train=sizes["train"], val=sizes["val"],
        classes=len(classes), model=exp.model.preset, augment=names))


def _restore(path: str, parent_id: str) -> None:
    """Button callback: the field at ``path`` back to the parent run's value."""
    try:
        parent = state.run_store().get(parent_id).config()
        state.set_experiment(restore(state.experiment(), path, parent))
    except (LabError, KeyError, IndexError, TypeError):
        return  # the parent was deleted meanwhile: nothing to restore
    if path.startswith("model."):
        state.bump_architecture_editor()  # the builder's widgets start again from the config


def show_changes() -> None:
    store = state.run_store()
    now, _ = apply_caps(state.experiment(), Caps.from_env())
    result = compare(store, now, state.current_training_run())
    if result.parent is None:
        st.caption(t("training.changes_first"))
        return
    title = (t("training.changes_run", run=result.subject, parent=result.parent) if result.subject
             else t("training.changes", run=result.parent))
    with st.expander(title, expanded=bool(result.rows), icon=":material/difference:"):
        if not result.rows:
            st.caption(t("training.changes_none", run=result.parent))
            return
        n = len(result.changes)
        if result.too_many:
            key = "training.changes_many_run" if result.subject else "training.changes_many"
            st.warning(t(key, n=n), icon=":material/warning:")
        elif n == 1:
            st.caption(t("training.changes_one"))
        st.dataframe([{t("training.change_field"): setting_label(f), t("training.change_before"): a, t("training.change_after"): b}
                      for f, a, b in changes_text(result.rows)], hide_index=True, width="stretch")
        if result.changes and not result.subject:  # before Train: one click back per change
            # every change keeps its Undo, the last one too: drawing the buttons only while there
            # were two or more took the remaining change's button away after one Undo (issue 25)
            if result.too_many:
                st.caption(t("training.changes_restore_help"))
            for path, before, _ in changes_text(result.changes):
                st.button(t("training.changes_restore", field=setting_label(path), value=_short(before)), key=f"restore_{path}",
                          on_click=_restore, args=(path, result.parent), icon=":material/undo:")


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def changes(before, now) -> list[tuple[str, str, str]]:
    """(field, before, now) as short text: lists and objects as compact JSON."""
    return changes_text(diff(before, now))


def changes_text(rows) -> list[tuple[str, str, str]]:
    def show(v) -> str:
        return v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)

    return [(path, setting_value(path, show(a)), setting_value(path, show(b))) for path, a, b in rows]
