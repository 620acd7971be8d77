"""Training: hyperparameters, Train / Stop / "Overfit one batch", live curves and the
course's checks, validation reports, and this session's trained models.

Thin on purpose: the form, the live view and the models list are in ``lab/ui/training_*``;
the training itself runs in worker processes fed by the job queue (``lab.jobs.submit``,
``lab.jobs.worker``), never in this server.
"""

import streamlit as st

from lab.classroom.caps import CapError
from lab.errors import LabError
from lab.model.inputs import input_shape, raw_image_shape
from lab.train.session import train_blocker
from lab.ui import state
from lab.ui.data import load_dataset, load_splits, show_data_notes
from lab.ui.i18n import t
from lab.ui.lab_errors import error_text
from lab.ui.router import ensure_app_router
from lab.ui.training.form import fast_recipe_button, hyperparameters_form
from lab.ui.training.live import show_overfit_job, show_training_run
from lab.ui.training.lr_find import lr_find_section
from lab.ui.training.models import trained_models_panel
from lab.ui.training.plan import run_plan
from lab.ui.training.ready_estimate import show_ready_estimate
from lab.ui.training.rules import show_rules
from lab.ui.training.run import adopt_workspace_runs, start_overfit, start_training, workers_ready
from lab.ui.training.setup import show_changes, show_setup
from lab.ui.training.start_from import start_from_section
from lab.classroom.workspaces import maybe_expire_workspaces

ensure_app_router()  # a direct URL (/training) must still go through app.py

st.title(t("nav.training"))
st.caption(t("training.intro"))
maybe_expire_workspaces()

experiment = state.experiment()
try:
    data = load_dataset(experiment.data)
    splits = load_splits(experiment.data)
except LabError as exc:
    st.error(t("error.prefix", message=error_text(exc)))
    st.stop()
show_data_notes(data)
setup_box = st.container()  # filled after the form: "This run trains" counts the cap just typed
changes_box = st.container()  # filled after the form: the comparison sees what was just typed

workers_ready()
adopt_workspace_runs()
busy = bool(state.run_store().active())
if busy:
    st.caption(t("training.already_running"))
blocked = train_blocker(experiment, raw_image_shape(splits), len(data.classes))
if blocked:
    st.error(t("training.cannot_train", reason=error_text(blocked)), icon=":material/block:")
    st.page_link("pages/architecture.py", label=t("training.fix_architecture"), icon=":material/account_tree:")
fast_recipe_button()
# from scratch or from existing weights, and what trains: said before Train (issue 22)
start_ok = blocked is not None or start_from_section(input_shape(experiment, raw_image_shape(splits)), list(data.classes))
seeds, expected = run_plan()  # repeat with seeds, predict before you run: read before Train
action, name = hyperparameters_form(train_disabled=busy or bool(blocked) or not start_ok)
with setup_box:
    show_setup(data.classes, available=len(splits.train_y))
    show_ready_estimate(raw_image_shape(splits), len(data.classes), available=len(splits.train_y))
with changes_box:
    show_changes()
    unaugmented = show_rules(raw_image_shape(splits), train_disabled=busy or bool(blocked))
if unaugmented is not None:  # "Train the baseline without augmentation": this experiment, its steps left out
    action = "train"
try:
    if action == "train":
        start_training(unaugmented or experiment, name, state.report_every(), available=len(splits.train_y),
                       seeds=seeds, expectation=expected)
        state.bump_plan()
        st.rerun()
    elif action == "overfit":
        start_overfit(experiment)
        st.rerun()
except CapError as exc:
    st.error(t(exc.key, **exc.params))
except LabError as exc:
    st.error(t("error.prefix", message=error_text(exc)))

lr_find_section(disabled=bool(blocked))
overfit_job = state.current_overfit_job()
if overfit_job is not None:
    show_overfit_job(overfit_job)
train_run = state.current_training_run()
if train_run is not None:
    show_training_run(train_run)
st.divider()
trained_models_panel()
