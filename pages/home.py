"""Home page: the stages of training a model, the course's advice, links to the pages,
and where the current experiment stands."""

from __future__ import annotations

import streamlit as st

from lab.runs.course import Progress, progress
from lab.ui import state
from lab.ui.format import dataset_label, status_word
from lab.ui.i18n import t
from lab.ui.router import ensure_app_router

STEP_TEXTS = {
    "overfit_batch": "home.step.overfit_batch", "baseline": "home.step.baseline",
    "initial_loss": "home.step.initial_loss", "one_change": "home.step.one_change", "augment": "home.step.augment"
}
NEXT_TEXTS = {
    "overfit_batch": "home.next.overfit_batch", "baseline": "home.next.baseline",
    "initial_loss": "home.next.initial_loss", "one_change": "home.next.one_change", "augment": "home.next.augment"
}

ensure_app_router()  # a direct URL (/training) must still go through app.py

# (title key, text key, page the stage is worked on, its navigation title key, icon)
STAGES = [
    ("home.task", "home.task_text", "pages/journal.py", "nav.journal", ":material/flag:"),
    ("home.data", "home.data_text", "pages/dataset.py", "nav.dataset", ":material/dataset:"),
    ("home.architecture", "home.architecture_text", "pages/architecture.py", "nav.architecture",
     ":material/account_tree:"),
    ("home.training", "home.training_text", "pages/training.py", "nav.training", ":material/model_training:"),
    # "Evaluate on test" and the confusion matrix are on the Journal (it linked to Prediction)
    ("home.evaluation", "home.evaluation_text", "pages/journal.py", "nav.journal", ":material/menu_book:"),
]
# more pages a stage is worked on, after its main one
EXTRA_LINKS = {"home.data": ("pages/augmentation.py", "nav.augmentation", ":material/auto_awesome:"),
               "home.evaluation": ("pages/predict.py", "nav.predict", ":material/image_search:")}


def render() -> None:
    st.title(t("nav.home"))
    st.markdown(t("home.intro"))
    left, right = st.columns([3, 2], gap="large")
    with left:
        st.subheader(t("home.stages"))
        for key, text, page, nav, icon in STAGES:
            with st.container(border=True):
                st.markdown(f"**{t(key)}**")
                st.markdown(t(text))
                st.page_link(page, label=t(nav), icon=icon)
                if key in EXTRA_LINKS:
                    page_, nav_, icon_ = EXTRA_LINKS[key]
                    st.page_link(page_, label=t(nav_), icon=icon_)
    with right:
        st.subheader(t("home.course"))
        course_steps()
        st.subheader(t("home.status"))
        status()


# where each step of the course is done
STEP_PAGES = {"overfit_batch": ("pages/training.py", "nav.training", ":material/science:"),
              "baseline": ("pages/training.py", "nav.training", ":material/model_training:"),
              "initial_loss": ("pages/training.py", "nav.training", ":material/fact_check:"),
              "one_change": ("pages/training.py", "nav.training", ":material/difference:"),
              "augment": ("pages/augmentation.py", "nav.augmentation", ":material/auto_awesome:")}


def course_steps() -> None:
    """The course's order of steps with this workspace's own progress (``lab.runs.course``)."""
    try:
        p = progress(state.run_store())
    except OSError:  # an unreadable runs folder must not break the Home page
        p = Progress()
    lines = []
    for i, (step, done) in enumerate(p.steps(), 1):
        icon = ":material/check_circle:" if done else ":material/radio_button_unchecked:"
        lines.append(f"{i}. {icon} " + t(STEP_TEXTS[step], n=p.one_change))
    st.markdown("\n".join(lines))
    step = p.next_step
    if step is None:
        st.success(t("home.steps_done"), icon=":material/verified:")
        return
    st.info(t(NEXT_TEXTS[step]), icon=":material/arrow_forward:")
    page, nav, icon = STEP_PAGES[step]
    st.page_link(page, label=t(nav), icon=icon)


def status() -> None:
    cfg = state.experiment()
    d, m = cfg.data, cfg.model
    lines = [
        t("home.status_data", dataset=dataset_label(d.dataset), val=round(d.val_fraction * 100), seed=d.split_seed),
        t("home.status_model", preset=m.preset, blocks=len(m.blocks), head=m.head),
        t("home.status_augment", n=len(cfg.augment.transforms)),
    ]
    runs = _runs()
    lines.append(t("home.status_runs", n=len(runs)))
    if runs:
        last = runs[-1]
        lines.append(t("home.status_last", name=last.meta().get("name") or last.id, status=status_word(last.status)))
    lines.append(t("home.status_models", n=len(state.trained_models())))
    st.markdown("\n".join(f"- {line}" for line in lines))


def _runs() -> list:
    try:
        return state.run_store().list()
    except OSError:  # an unreadable runs folder must not break the Home page
        return []


render()
