"""The Training page's "Start from": from scratch, one of my runs, an uploaded .pt or ImageNet
weights, and what trains (issue 22, item 2).

The choices are the experiment's own fields (``train.init_from``, ``train.freeze``,
``train.pretrained_lr_factor``), written at once like the hyperparameters, so the draft keeps
them over a reload and "What changed" shows them as one change. Before Train the section says
what will be loaded, what is new and what is frozen (``lab.train.transfer.preview``: the loader
itself, on a model built for the purpose), or why these weights cannot be used.
"""

from __future__ import annotations

import streamlit as st

from lab.config.bounds import TRANSFER
from lab.config.train import IMAGENET, SCRATCH
from lab.errors import LabError
from lab.runs.journal import run_label
from lab.runs.store import Run
from lab.train.transfer import is_ready, preview, read_record, store_upload, upload_name, uploads
from lab.ui import inputs, state
from lab.ui.i18n import t
from lab.ui.lab_errors import error_text

KEY = "training_start_"  # widget keys; tests find widgets by them
SOURCE_KEYS = {"scratch": "transfer.source.scratch", "run": "transfer.source.run", "upload": "transfer.source.upload",
               "imagenet": "transfer.source.imagenet"}
FREEZE_KEYS = {"none": "transfer.freeze.none", "features": "transfer.freeze.features", "last": "transfer.freeze.last"}
SOURCES, FREEZES = tuple(SOURCE_KEYS), tuple(FREEZE_KEYS)


def _kind(init_from: str) -> str:
    if init_from == SCRATCH:
        return "scratch"
    if init_from == IMAGENET:
        return "imagenet"
    return "upload" if init_from.endswith(".pt") else "run"


def _written(train) -> tuple:
    return train.init_from, train.freeze, train.pretrained_lr_factor


def _seed_widgets(train) -> None:
    """Widgets start from the experiment, and again whenever someone else changed it (the
    Journal loaded a config, "What changed" restored the parent's start)."""
    if st.session_state.get(KEY + "written") == _written(train) and KEY + "source" in st.session_state:
        return
    st.session_state[KEY + "source"] = _kind(train.init_from)
    if _kind(train.init_from) == "run":
        st.session_state[KEY + "run"] = train.init_from
    if _kind(train.init_from) == "upload":
        st.session_state[KEY + "file"] = train.init_from
    st.session_state[KEY + "freeze"] = train.freeze if train.freeze in FREEZES else "last"
    st.session_state[KEY + "groups"] = train.freeze if isinstance(train.freeze, int) else 2
    st.session_state[KEY + "lr_factor"] = train.pretrained_lr_factor


def _trained_runs() -> list[Run]:
    return [r for r in reversed(state.run_store().list()) if r.has_checkpoint()]


def _source(kind: str) -> str | None:
    """The ``init_from`` the student picked, or None (nothing to pick yet)."""
    if kind == "scratch":
        return SCRATCH
    if kind == "imagenet":
        return IMAGENET
    if kind == "run":
        runs = {r.id: run_label(r) for r in _trained_runs()}
        if not runs:
            st.caption(t("transfer.no_runs"))
            return None
        if st.session_state.get(KEY + "run") not in runs:
            st.session_state[KEY + "run"] = next(iter(runs))
        return st.selectbox(t("transfer.pick_run"), list(runs), format_func=runs.get, key=KEY + "run")
    return _upload()


def _upload() -> str | None:
    root = state.run_store().root
    file = inputs.upload("checkpoint", t("transfer.upload"), key=KEY + "upload")
    if file is not None:
        try:
            stored = store_upload(root, upload_name(file.name), file.getvalue())
            st.session_state[KEY + "file"] = stored
            st.caption(t("transfer.uploaded", name=stored))
        except LabError as exc:
            st.error(error_text(exc))
    files = uploads(root)
    if not files:
        return None
    if st.session_state.get(KEY + "file") not in files:
        st.session_state[KEY + "file"] = files[0]
    return st.selectbox(t("transfer.pick_upload"), files, key=KEY + "file")


def _freeze():
    names = {f: t(key) for f, key in FREEZE_KEYS.items()}
    how = st.radio(t("transfer.freeze"), FREEZES, format_func=names.get, horizontal=True,
                   key=state.translated_choice(KEY + "freeze"))
    if how != "last":
        return how
    return int(inputs.number(t("transfer.freeze_n"), TRANSFER["freeze"], key=KEY + "groups"))


def start_from_section(input_shape: tuple[int, int, int], classes: list[str]) -> bool:
    """Draw "Start from"; False when the chosen weights cannot be used (Train is then disabled)."""
    exp = state.experiment()
    _seed_widgets(exp.train)
    with st.expander(t("transfer.title"), expanded=exp.train.transfer, icon=":material/move_up:"):
        st.caption(t("transfer.why_pretrained"))
        ready = is_ready(exp.model.arch)
        kinds = [k for k in SOURCES if k != "imagenet" or ready or st.session_state[KEY + "source"] == k]
        labels = {k: t(key) for k, key in SOURCE_KEYS.items()}
        kind = st.radio(t("transfer.source"), kinds, format_func=labels.get, horizontal=True,
                        key=state.translated_choice(KEY + "source"))
        if not ready:
            st.caption(t("transfer.imagenet_ready_only"))
        init_from = _source(kind)
        st.caption(t("transfer.when_freeze"))
        freeze = _freeze()
        factor = inputs.number(t("transfer.lr_factor"), TRANSFER["pretrained_lr_factor"], step=0.1,
                               help=t("transfer.lr_factor_help"), key=KEY + "lr_factor")
        exp.train.init_from = exp.train.init_from if init_from is None else init_from
        exp.train.freeze, exp.train.pretrained_lr_factor = freeze, float(factor)
        st.session_state[KEY + "written"] = _written(exp.train)
        return _say_what_loads(exp, input_shape, classes)


def said(key: str, params: dict) -> str:
    """One line of a ``Transfer`` record in the page's language ("run X" as the language says it)."""
    source = str(params.get("source", ""))
    if source.startswith("run "):
        params = {**params, "source": t("transfer.source_run", id=source[4:])}
    return t(key, **params)


def _say_what_loads(exp, input_shape, classes: list[str]) -> bool:
    if not exp.train.transfer:
        return True
    try:
        record = preview(exp, state.run_store().root, tuple(input_shape), classes)
    except LabError as exc:
        st.error(t("transfer.cannot", message=error_text(exc)), icon=":material/block:")
        return False
    st.info("\n".join([t("transfer.will")] + [f"- {said(key, params)}" for key, params in record.lines()]),
            icon=":material/move_up:")
    return True


def show_record(run: Run) -> None:
    """The Journal's word on what ``run`` started from (nothing for a run from scratch)."""
    record = read_record(run)
    if record is None:
        return
    st.caption(f"**{t('transfer.record')}:** " + "; ".join(said(key, params) for key, params in record.lines()))
