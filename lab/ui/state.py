"""Typed accessors for everything kept in ``st.session_state``.

Pages never touch ``st.session_state`` with string keys of their own: they call these
functions, so a key is spelled once and a setting survives a change of page (a value
held only in a widget's key is dropped when its page is not drawn).
"""

from __future__ import annotations

import secrets

import streamlit as st

from lab.config import ExperimentConfig
from lab.i18n import DEFAULT_LANGUAGE, LANGUAGES, language_from_locale
from lab.classroom.workspaces import private_workspaces
from lab.runs.store import RunStore
from lab.classroom.workspaces import workspace_root
from lab.errors import LabError
from lab.jobs.submit import overfit_job
from lab.errors import keyed
from lab.classroom.messages import MESSAGES

_LANG = "lab.language"
_EXPERIMENT = "lab.experiment"
_WORKSPACE = "lab.workspace"
_DATA_DIR = "lab.data_dir"


def language() -> str:
    if _LANG not in st.session_state:
        st.session_state[_LANG] = _browser_language()
    return st.session_state[_LANG]


def set_language(lang: str) -> None:
    lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
    if lang != st.session_state.get(_LANG):
        st.session_state[_RELABEL] = True  # the next run hands the translated choices to the browser again
    st.session_state[_LANG] = lang


# Keyed radios, select boxes and segmented controls whose option labels are translated.
# Streamlit's browser side finds the chosen option by its label: after a switch of language
# such a widget showed nothing chosen, while the page went on using the old choice.
_TRANSLATED_CHOICES = "lab.translated_choices"
_RELABEL = "lab.relabel_choices"


def translated_choice(key: str) -> str:
    """``key``, noted as a choice widget with translated labels (see ``relabel_choices``)."""
    st.session_state.setdefault(_TRANSLATED_CHOICES, set()).add(key)
    return key


def relabel_choices() -> None:
    """On the first run after a switch of language, before any widget is drawn: set each noted
    choice to its own value, which makes Streamlit send the choice to the browser again (as
    an index into the new labels)."""
    if not st.session_state.pop(_RELABEL, False):
        return
    for key in st.session_state.get(_TRANSLATED_CHOICES, ()):
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def _browser_language() -> str:
    try:
        return language_from_locale(st.context.locale)
    except Exception:  # bare mode or an older Streamlit without st.context.locale
        return DEFAULT_LANGUAGE


def experiment() -> ExperimentConfig:
    """The current experiment; each page edits its part of it."""
    if _EXPERIMENT not in st.session_state:
        st.session_state[_EXPERIMENT] = ExperimentConfig()
    return st.session_state[_EXPERIMENT]


def set_experiment(config: ExperimentConfig) -> None:
    st.session_state[_EXPERIMENT] = config


def has_experiment() -> bool:
    """Whether this session has an experiment yet (a new session has none until a page asks)."""
    return _EXPERIMENT in st.session_state


def data_dir() -> str | None:
    """The data directory the app was started with (``-- --data-dir D``), if any."""
    return st.session_state.get(_DATA_DIR)


def set_data_dir(path: str | None) -> None:
    st.session_state[_DATA_DIR] = path


def workspace_id() -> str:
    """This session's workspace. On a classroom server (``LAB_WORKSPACES=private``) it is
    the signed-in account's (``signed_in_workspace``); the URL plays no part. On a laptop,
    a random id kept in the URL (``?ws=...``) so a refresh finds its jobs again."""
    if private_workspaces():
        return signed_in_workspace()
    if _WORKSPACE not in st.session_state:
        ws = st.query_params.get("ws", "")
        if not (ws.isalnum() and 8 <= len(ws) <= 32):
            ws = secrets.token_hex(8)
        st.session_state[_WORKSPACE] = ws
    st.query_params["ws"] = st.session_state[_WORKSPACE]
    return st.session_state[_WORKSPACE]


def run_store():
    """The journal of this browser's workspace (``lab.classroom.workspaces``)."""

    return RunStore(workspace_root(workspace_id()))


# --- training: this session's runs and trained models ---------------------------------
# Runs are trained by worker processes (``lab.jobs.worker``) and live in the workspace's run
# folders; the session keeps only their ids, so leaving the page, a refresh or a
# restarted server finds a run still going. Trained models are loaded from a finished
# run's checkpoint into the session: [{name, run_id, model, classes, mean, std,
# input_shape, metrics, status}].

_TRAIN_RUNS = "lab.training.runs"  # ids of this session's training runs, oldest first
_OVERFIT_JOBS = "lab.training.overfit_jobs"  # ids of this session's "overfit one batch" jobs
_MODELS = "lab.training.models"
_ACTIVE_MODEL = "lab.training.active_model"  # run_id of the model Prediction uses
_COLLECTED = "lab.training.collected"  # run ids whose model was already loaded (or had none)
_MODEL_NAMES = "lab.training.model_names"  # {run_id: name} the student gave a model
_QUIET = "lab.training.quiet"  # restored run ids: loading their model does not make it the active one
MAX_SESSION_MODELS = 10  # oldest inactive models are dropped beyond this (memory on a shared server)


def training_run_ids() -> list[str]:
    return st.session_state.setdefault(_TRAIN_RUNS, [])


def add_training_run(run_id: str) -> None:
    if run_id not in training_run_ids():
        training_run_ids().append(run_id)


def current_training_run():
    """This session's newest training run still in the journal (a ``lab.runs.store.Run``), or None."""
    store = run_store()
    for run_id in reversed(training_run_ids()):
        try:
            return store.get(run_id)
        except LabError:  # deleted in the journal, or stopped while queued
            continue
    return None


def overfit_job_ids() -> list[str]:
    return st.session_state.setdefault(_OVERFIT_JOBS, [])


def add_overfit_job(job_id: str) -> None:
    overfit_job_ids().append(job_id)


def current_overfit_job():
    """This session's newest "overfit one batch" job folder (a ``lab.runs.store.Run``), or None."""
    for job_id in reversed(overfit_job_ids()):
        job = overfit_job(run_store().root, job_id)
        if job is not None:
            return job
    return None


_LR_FIND_JOB = "lab.training.lr_find_job"  # id of this session's latest learning-rate range test


def lr_find_job_id() -> str | None:
    return st.session_state.get(_LR_FIND_JOB)


def set_lr_find_job(job_id: str) -> None:
    st.session_state[_LR_FIND_JOB] = job_id


def trained_models() -> list[dict]:
    """This session's trained models, newest last; runs that ended are collected first."""
    models = st.session_state.setdefault(_MODELS, [])
    _collect_finished_runs(models)
    return models


def _collect_finished_runs(models: list[dict]) -> None:
    """Load the checkpoint of each of this session's runs that ended with a model."""
    from lab.predict.models import session_entry as model_entry  # heavy: loaded on first use, to keep start-up light

    done = st.session_state.setdefault(_COLLECTED, set())
    store = run_store()
    for run_id in training_run_ids():
        if run_id in done:
            continue
        try:
            run = store.get(run_id)
        except LabError:
            done.add(run_id)
            continue
        if run.active:
            continue
        done.add(run_id)
        entry = model_entry(run)
        if entry is not None:
            add_trained_model(entry, activate=run_id not in st.session_state.get(_QUIET, ()))


def add_trained_model(entry: dict, activate: bool = True) -> None:
    models = st.session_state.setdefault(_MODELS, [])
    entry["name"] = st.session_state.get(_MODEL_NAMES, {}).get(entry["run_id"], entry["name"])
    models[:] = [m for m in models if m["run_id"] != entry["run_id"]] + [entry]
    if activate:
        st.session_state[_ACTIVE_MODEL] = entry["run_id"]
    active = st.session_state.get(_ACTIVE_MODEL)
    while len(models) > MAX_SESSION_MODELS:
        oldest = next(m for m in models if m["run_id"] != active)
        models.remove(oldest)


def active_model() -> dict | None:
    """The model the Prediction page uses: the newest trained one unless another was picked."""
    models = trained_models()
    chosen = st.session_state.get(_ACTIVE_MODEL)
    for m in models:
        if m["run_id"] == chosen:
            return m
    return models[-1] if models else None


def set_active_model(run_id: str) -> None:
    st.session_state[_ACTIVE_MODEL] = run_id


def rename_model(run_id: str, name: str) -> None:
    for m in trained_models():
        if m["run_id"] == run_id:
            m["name"] = name.strip() or m["name"]
            st.session_state.setdefault(_MODEL_NAMES, {})[run_id] = m["name"]


_REPORT_EVERY = "lab.training.report_every"


def report_every() -> int:
    """Epochs between the Training page's validation reports (the course's default: 2)."""
    return st.session_state.get(_REPORT_EVERY, 2)


def set_report_every(epochs: int) -> None:
    st.session_state[_REPORT_EVERY] = max(1, int(epochs))


_ARCH_EDITOR = "lab.architecture_editor"


_TRAINING_FORM = "lab.training.form_written"


def training_form_written() -> dict | None:
    """What the Training page's widgets last wrote into the experiment (None: never)."""
    return st.session_state.get(_TRAINING_FORM)


def set_training_form_written(values: dict) -> None:
    st.session_state[_TRAINING_FORM] = values


def architecture_editor_version() -> int:
    """Bumped when the builder replaces blocks (preset, add, remove): the block widgets get
    new keys and start again from the config instead of from their old values."""
    return st.session_state.get(_ARCH_EDITOR, 0)


def bump_architecture_editor() -> None:
    st.session_state[_ARCH_EDITOR] = architecture_editor_version() + 1


def forget_widgets(prefix: str) -> None:
    """Drop the values of the widgets whose keys start with ``prefix`` (the Training form's),
    so they are drawn again from the experiment: a recipe just replaced it."""
    for key in [k for k in st.session_state if str(k).startswith(prefix)]:
        del st.session_state[key]


# --- Inside the model (issue 12): the Prediction page hands its model and picture over -----
_INSIDE_HANDOFF = "lab.inside.handoff"


def inside_handoff():
    """The Prediction page's latest model and picture (``lab.ui.inside.sources.Handoff``), or None."""
    return st.session_state.get(_INSIDE_HANDOFF)


def set_inside_handoff(handoff) -> None:
    st.session_state[_INSIDE_HANDOFF] = handoff


_PREDICT_PICTURE = "lab.predict.picture_source"


def predict_picture_source() -> str:
    """Where the Prediction page takes its picture from: "upload", "camera" or "dataset"."""
    return st.session_state.get(_PREDICT_PICTURE, "upload")


def set_predict_picture_source(source: str) -> None:
    st.session_state[_PREDICT_PICTURE] = source if source in ("upload", "camera", "dataset") else "upload"


_MODEL_CHOICES = "lab.model_choices"
_RUN_NAME = "lab.training.run_name"


def run_name() -> str:
    """The name typed for the next run on Training (kept outside its widget, for the draft)."""
    return st.session_state.get(_RUN_NAME, "")


def set_run_name(name: str) -> None:
    st.session_state[_RUN_NAME] = name


def model_choice(page: str) -> dict:
    """Where Predict or Inside ("predict"/"inside") last took its model from: {"source", "run"}.
    Kept outside the widgets, whose values Streamlit drops while their page is not drawn."""
    return dict(st.session_state.get(_MODEL_CHOICES, {}).get(page, {}))


def set_model_choice(page: str, source: str, run: str | None = None) -> None:
    st.session_state[_MODEL_CHOICES] = {**st.session_state.get(_MODEL_CHOICES, {}), page: {"source": source, "run": run}}


_ARCHITECTURE_TAB = "lab.architecture.tab"


def architecture_tab() -> str:
    """The Architecture page's open tab, "calc" or "builder": it reopens where the student left it."""
    return st.session_state.get(_ARCHITECTURE_TAB, "calc")


def set_architecture_tab(tab: str) -> None:
    st.session_state[_ARCHITECTURE_TAB] = tab if tab in ("calc", "builder") else "calc"


# --- classroom sign-in (issue 11) ------------------------------------------------------
# The signed-in account (``lab.classroom.accounts.Account``) and the token the browser keeps in a
# cookie; both None on a laptop. ``signed_out`` keeps this session from signing in again
# with the cookie it was opened with (``st.context.cookies`` does not change mid-session).

_ACCOUNT = "lab.classroom.account"
_TOKEN = "lab.classroom.token"
_SIGNED_OUT = "lab.classroom.signed_out"


def account():
    return st.session_state.get(_ACCOUNT)


def session_token() -> str | None:
    return st.session_state.get(_TOKEN)


def set_account(account, token: str | None = None) -> None:
    st.session_state[_ACCOUNT] = account
    st.session_state[_TOKEN] = token if account is not None else None
    if account is not None:
        st.session_state[_SIGNED_OUT] = False


def signed_out() -> bool:
    return st.session_state.get(_SIGNED_OUT, False)


def sign_out() -> None:
    set_account(None)
    st.session_state[_SIGNED_OUT] = True


def is_teacher() -> bool:
    acc = account()
    return acc is not None and acc.is_teacher


def signed_in_workspace() -> str:
    """The signed-in account's workspace id; LabError when nobody is signed in (``app.py``
    shows the sign-in form first, so only a page run on its own gets here)."""

    acc = account()
    if acc is None:
        raise keyed(MESSAGES, "classroom.sign_in_first")
    return acc.workspace


# --- Training page: the run's plan (issue 13: seeds, predict before you run) -----------
_PLAN = "lab.training.plan_generation"


def plan_generation() -> int:
    """Bumped after Train: the prediction and "repeat with seeds" widgets get new keys and
    start empty, so one run's prediction is never carried into the next."""
    return st.session_state.get(_PLAN, 0)


def bump_plan() -> None:
    st.session_state[_PLAN] = plan_generation() + 1


# --- the draft (issue 25): what a reload, a reconnect or a restarted server must find again ----
# ``lab.runs.draft`` keeps it on disk; ``lab.ui.draft`` decides when to read and write it.
_KEEP_ON_FRESH = (_LANG, _WORKSPACE, _DATA_DIR, _ACCOUNT, _TOKEN, _SIGNED_OUT)


def draft_view() -> dict:
    """The session's view of its runs and the page choices outside the experiment, as JSON data
    (``lab.runs.draft.VIEW_TYPES``). Reads the session only: no model is loaded to answer."""
    names = dict(st.session_state.get(_MODEL_NAMES, {}))
    names.update({m["run_id"]: m["name"] for m in st.session_state.get(_MODELS, [])})
    return {"training_runs": list(training_run_ids()), "overfit_jobs": list(overfit_job_ids()),
            "active_model": st.session_state.get(_ACTIVE_MODEL), "model_names": names,
            "report_every": report_every(), "predict_picture": predict_picture_source(),
            "architecture_tab": architecture_tab(), "model_choices": dict(st.session_state.get(_MODEL_CHOICES, {})),
            "language": language(), "run_name": run_name(), "lr_find_job": lr_find_job_id()}


def apply_draft(config: ExperimentConfig, view: dict) -> None:
    """Put a restored draft into this (new) session: its widgets then start from it."""
    set_experiment(config)
    st.session_state[_TRAIN_RUNS] = list(view.get("training_runs", []))
    st.session_state[_OVERFIT_JOBS] = list(view.get("overfit_jobs", []))
    st.session_state[_QUIET] = set(training_run_ids())  # finished long ago: the saved choice stays active
    st.session_state[_MODEL_NAMES] = dict(view.get("model_names", {}))
    if view.get("active_model"):
        st.session_state[_ACTIVE_MODEL] = view["active_model"]
    if "report_every" in view:
        set_report_every(view["report_every"])
    set_predict_picture_source(view.get("predict_picture", "upload"))
    set_architecture_tab(view.get("architecture_tab", "calc"))
    st.session_state[_MODEL_CHOICES] = dict(view.get("model_choices", {}))
    set_run_name(view.get("run_name", ""))
    if view.get("lr_find_job"):
        set_lr_find_job(view["lr_find_job"])
    if view.get("language") in LANGUAGES:  # the student's last choice, over the browser's locale
        set_language(view["language"])


def start_fresh() -> None:
    """Forget this session's experiment, runs and widget values (the language, the workspace and
    the signed-in account stay): every page starts from the defaults again."""
    for key in [k for k in st.session_state if k not in _KEEP_ON_FRESH]:
        del st.session_state[key]
