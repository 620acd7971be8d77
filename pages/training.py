"""Training: hyperparameters, Train / Stop / "Overfit one batch", live curves and the
course's checks, validation reports, and this session's trained models.

Thin on purpose: the form, the live view and the models list are in ``lab/ui/training_*``;
the training itself runs in the process-wide job runner (``lab.jobs``), never here.
"""

import streamlit as st

from lab.errors import LabError
from lab.jobs import CapError, runner
from lab.ui import state
from lab.ui.data import load_dataset, load_splits, show_data_notes
from lab.ui.i18n import t
from lab.ui.training_form import hyperparameters_form
from lab.ui.training_live import show_overfit_job, show_training_job
from lab.ui.training_models import trained_models_panel
from lab.ui.training_run import adopt_workspace_jobs, start_overfit, start_training
from lab.ui.training_setup import show_changes, show_setup
from lab.workspaces import maybe_expire_workspaces
from lab.ui.router import ensure_app_router

ensure_app_router()  # a direct URL (/training) must still go through app.py

st.title(t("nav.training"))
st.caption(t("training.intro"))
maybe_expire_workspaces()

experiment = state.experiment()
try:
    data = load_dataset(experiment.data)
    splits = load_splits(experiment.data)
except LabError as exc:
    st.error(t("error.prefix", message=exc))
    st.stop()
show_data_notes(data)
show_setup(splits, data.classes)
show_changes()

adopt_workspace_jobs()
busy = bool(runner().jobs(owner=state.workspace_id(), active=True))
if busy:
    st.caption(t("training.already_running"))
try:
    action, name = hyperparameters_form(train_disabled=busy)
    if action == "train":
        start_training(experiment, name, state.report_every())
        st.rerun()
    elif action == "overfit":
        start_overfit(experiment)
        st.rerun()
except CapError as exc:
    st.error(t(exc.key, **exc.params))
except LabError as exc:
    st.error(t("error.prefix", message=exc))

overfit_job = state.current_training_job("overfit")
if overfit_job is not None:
    show_overfit_job(overfit_job)
train_job = state.current_training_job("train")
if train_job is not None:
    for key, params in train_job.meta.get("capped", []):
        st.warning(t(key, **params), icon=":material/speed:")
    show_training_job(train_job)
st.divider()
trained_models_panel()
