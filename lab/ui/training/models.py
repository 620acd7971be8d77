"""The session's trained models: pick the active one, rename it, download its checkpoint."""

from __future__ import annotations

import math

import streamlit as st

from lab.errors import LabError
from lab.ui import state
from lab.ui.i18n import t


def trained_models_panel() -> None:
    st.subheader(t("training.models"))
    models = state.trained_models()
    if not models:
        st.caption(t("training.models_none"))
        return
    by_id = {m["run_id"]: m for m in models}
    ids = list(reversed(by_id))  # newest first
    active = state.active_model()
    choice = st.radio(t("training.active"), ids, index=ids.index(active["run_id"]) if active else 0,
                      format_func={rid: _label(m) for rid, m in by_id.items()}.get, key="training_active_model")
    if choice != (active or {}).get("run_id"):
        state.set_active_model(choice)
    model = by_id[choice]
    c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
    name = c1.text_input(t("training.rename"), value=model["name"], key=f"training_rename_{choice}")
    if name.strip() and name.strip() != model["name"]:
        state.rename_model(choice, name)
    path = _checkpoint(choice)
    if path is None:
        c2.caption(t("training.download_missing"))
    else:
        c2.download_button(t("training.download"), data=path.read_bytes, file_name=f"{_safe(model['name'])}.pt",
                           mime="application/octet-stream", icon=":material/download:", on_click="ignore",
                           key=f"training_download_{choice}", width="stretch")


def _label(model: dict) -> str:
    acc = (model.get("metrics") or {}).get("best_val_accuracy")
    acc_text = f"{acc:.1%}" if isinstance(acc, float) and math.isfinite(acc) else "–"
    return t("training.model_label", name=model["name"], acc=acc_text)


def _checkpoint(run_id: str):
    try:
        path = state.run_store().get(run_id).checkpoint_path("best")
    except LabError:
        return None
    return path if path.is_file() else None


def _safe(name: str) -> str:
    keep = "".join(c if c.isalnum() or c in "-_." else "_" for c in name).strip("._")
    return keep or "model"
