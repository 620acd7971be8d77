"""The course's rules on the Training page: ``lab.train.rules`` on the experiment as it is
being edited, with the journal's progress (``lab.runs.course``). Warnings, never a block.

Augmentation set before any baseline run (the course's page order puts the Augmentation
page before Training) comes with its way out in one click: train this experiment once
without its augmentation, which stays set for the run after.
"""

from __future__ import annotations

import copy

import streamlit as st

from lab.config import ExperimentConfig
from lab.runs.course import is_baseline_model, progress
from lab.train.rules import course_rules
from lab.ui import state
from lab.ui.i18n import t

AUGMENT_FIRST = "rules.augment_before_baseline"
BASELINE_KEY = "training_rules_baseline"  # the button's widget key; tests find it by it


def without_augmentation(config: ExperimentConfig) -> ExperimentConfig:
    """A copy of ``config`` with no augmentation steps: the baseline run the course asks for
    first. The caller's config (the session's experiment) keeps its steps."""
    out = copy.deepcopy(config)
    out.augment.transforms = []
    return out


def show_rules(raw_shape: tuple[int, int, int], train_disabled: bool = False) -> ExperimentConfig | None:
    """Draw the rules; returns the config to train when the student pressed "Train the baseline
    without augmentation", else None."""
    exp = state.experiment()
    findings = course_rules(exp, progress(state.run_store()), channels=int(raw_shape[0]),
                            raw_shape=tuple(int(v) for v in raw_shape))
    if not findings:
        return None
    st.markdown(f"**{t('rules.header')}**")
    pressed = False
    for key, params in findings:
        st.warning(t(key, **params), icon=":material/rule:")
        if key == AUGMENT_FIRST:
            baseline = is_baseline_model(exp.model, exp.data.dataset)
            pressed = st.button(t("training.train_baseline" if baseline else "training.train_unaugmented"),
                                icon=":material/play_arrow:", key=BASELINE_KEY, disabled=train_disabled,
                                help=t("training.train_baseline_help", n=len(exp.augment.transforms)))
    return without_augmentation(exp) if pressed else None
