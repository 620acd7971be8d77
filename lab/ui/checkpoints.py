"""Which model a page looks at: the one chooser of the Prediction and Inside pages, and the
checkpoints it loads once per process (``lab.model.checkpoint``: weights_only, keys and
shapes checked), shared by every session that picks the same file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from lab.errors import LabError
from lab.i18n import translate
from lab.inspect.sources import session_checkpoint as entry_checkpoint
from lab.model.checkpoint import Checkpoint, load_checkpoint
from lab.predict import run_checkpoint_path
from lab.runs.journal import run_label
from lab.ui import inputs, state
from lab.ui.i18n import t

# Each page's widget keys start with its name (tests and the session find them by it); its
# texts, written whole so the catalogue's checks see every one.
TEXTS = {
    "predict": {
        "source": "predict.model_source", "session": "predict.session_model", "run": "predict.run",
        "upload": "predict.upload_model", "upload_help": "predict.upload_model_help",
        "no_runs": "predict.no_runs", "no_model": "predict.no_model",
        "sources": {"session": "predict.source.session", "journal": "predict.source.journal",
                    "upload": "predict.source.upload"},
    },
    "inside": {
        "source": "inside.model_source", "session": "inside.session_model", "run": "inside.run",
        "upload": "inside.upload_model", "upload_help": "inside.upload_model_help",
        "no_runs": "inside.no_runs", "no_model": "inside.no_model",
        "sources": {"prediction": "inside.source.prediction", "session": "inside.source.session",
                    "journal": "inside.source.journal", "upload": "inside.source.upload"},
    },
}


@st.cache_resource(show_spinner=False, max_entries=8)
def run_checkpoint(path: str, mtime: float) -> Checkpoint:  # mtime: a retrained run reloads
    return load_checkpoint(path)


@st.cache_resource(show_spinner=False, max_entries=4)
def uploaded_checkpoint(data: bytes) -> Checkpoint:
    return load_checkpoint(data)  # weights_only=True, keys and shapes checked


@dataclass
class ChosenModel:
    """A model to use; ``run_dir`` is the journal folder it came from (its initial filters), if known."""

    checkpoint: Checkpoint

    @property
    def run_dir(self) -> Path | None:
        return model_run_dir(self.checkpoint)


def model_run_dir(ck: Checkpoint) -> Path | None:
    """Where a model's run folder (its ``initial_filters.pt``) is: the run its checkpoint names
    (``extra["run_id"]``: journal checkpoints carry it, session models get it in
    ``session_checkpoint``), in this browser's workspace only. The one answer for every
    source: a session model, a journal run, an upload, the Prediction page's model."""
    return run_dir_of(ck.extra.get("run_id"))


def choose_model(page: str, handoff: Checkpoint | None = None) -> ChosenModel | None:
    """The model chooser: a model trained in this session (newest first; picking one makes
    it the session's active model), a journal run's best checkpoint, an uploaded file, or
    ``handoff`` (the model another page passed on). ``page``: "predict" or "inside", whose
    widget keys and texts it uses. None, with a hint, while nothing is chosen."""
    texts = TEXTS[page]
    session = session_models()
    sources = (["prediction"] if handoff is not None else []) + (["session"] if session else []) + \
        ["journal", "upload"]
    lang = state.language()  # labels made in this run: AppTest calls format_func outside it
    labels = {s: translate(texts["sources"][s], lang) for s in sources}
    _start_from(f"{page}_model_source", state.model_choice(page).get("source"), sources)
    source = st.radio(t(texts["source"]), sources, format_func=labels.get, horizontal=True,
                      key=state.translated_choice(f"{page}_model_source"))
    state.set_model_choice(page, source, state.model_choice(page).get("run") if source == "journal" else None)
    chosen = None
    if source == "prediction":
        chosen = ChosenModel(handoff)
    elif source == "session":
        chosen = _session_model(page, session)
    elif source == "journal":
        chosen = _journal_model(page)
    else:
        upload = inputs.upload("checkpoint", t(texts["upload"]), help=t(texts["upload_help"]), key=f"{page}_model_file")
        if upload is not None:
            ck = uploaded_checkpoint(upload.getvalue())
            chosen = ChosenModel(ck)
    if chosen is None and source != "journal":  # an empty journal says so itself
        st.info(t(texts["no_model"]))
    return chosen


def session_models() -> list[dict]:
    """The models trained in this session, newest last."""
    return [m for m in state.trained_models() if m.get("model") is not None]


def session_checkpoint(entry: dict) -> Checkpoint:
    """A session model as a Checkpoint; its config comes from its run in the journal (the
    architecture it was built from), else from the session's experiment."""
    config = None
    if entry.get("run_id"):
        try:
            config = state.run_store().get(entry["run_id"]).config()
        except LabError:
            config = None
    ck = entry_checkpoint(entry, config or state.experiment())
    if entry.get("run_id"):
        ck.extra["run_id"] = str(entry["run_id"])  # its run folder, as a journal checkpoint names it
    return ck


def run_dir_of(run_id) -> Path | None:
    """The journal folder of ``run_id`` in this browser's workspace, if it is there."""
    if not run_id:
        return None
    try:
        return state.run_store().get(str(run_id)).dir
    except LabError:
        return None


def _session_model(page: str, session: list[dict]) -> ChosenModel:
    names = {m["run_id"]: m.get("name") or m["run_id"] for m in session}
    ids = list(names)[::-1]  # the newest first
    active = state.active_model()  # the newest trained, unless the student picked another
    # keyed by the active model: a newly trained model (made active) shows at once instead
    # of the widget keeping the first model it ever showed
    key = f"{page}_session_model_{active['run_id']}"
    st.selectbox(t(TEXTS[page]["session"]), ids, index=ids.index(active["run_id"]), format_func=names.get,
                 key=key, on_change=lambda: state.set_active_model(st.session_state[key]))
    entry = state.active_model()
    return ChosenModel(session_checkpoint(entry))


def _journal_model(page: str) -> ChosenModel | None:
    runs = [r for r in state.run_store().list() if r.has_checkpoint()]
    if not runs:
        st.info(t(TEXTS[page]["no_runs"]))
        return None
    labels = {r.id: _run_label(r) for r in runs}
    _start_from(f"{page}_run", state.model_choice(page).get("run"), list(labels))
    run_id = st.selectbox(t(TEXTS[page]["run"]), [r.id for r in reversed(runs)], format_func=labels.get,
                          key=f"{page}_run")
    state.set_model_choice(page, "journal", run_id)
    run = next(r for r in runs if r.id == run_id)
    path = run_checkpoint_path(run)
    ck = run_checkpoint(str(path), path.stat().st_mtime)
    ck.extra["run_id"] = run.id  # the file sits in this run's folder, whatever run it names (old or copied files)
    return ChosenModel(ck)


def _start_from(key: str, remembered, options) -> None:
    """A widget drawn again (after a change of page or a reload) starts from the remembered value."""
    if key not in st.session_state and remembered in options:
        st.session_state[key] = remembered


def _run_label(run) -> str:
    """"baseline (041512-a3f9c2): validation 97.1%", the Journal's name for the run (its
    labels read "id · · 97%" with dots where a name or a score was missing)."""
    acc = (run.summary() or {}).get("best_val_accuracy")
    if not isinstance(acc, (int, float)):
        return run_label(run)
    return t("format.run_with_accuracy", run=run_label(run), acc=f"{acc * 100:.1f}%")
