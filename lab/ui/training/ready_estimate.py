"""Before Train, for a ready torchvision network: the estimated time per epoch on this machine
(``lab.train.estimate``) and three ways to make it shorter. Kept in its own module: other
sections of the Training page grow beside it."""

from __future__ import annotations

import streamlit as st

from lab.classroom.caps import Caps, apply_caps
from lab.model.inputs import model_input_shape
from lab.train.estimate import epoch_estimate
from lab.ui import state
from lab.ui.data import load_splits
from lab.ui.format import count
from lab.ui.i18n import t

SLOW_SECONDS = 120  # an epoch longer than this gets the suggestions


def _duration(seconds: float) -> str:
    if seconds < 90:
        return t("training.ready.seconds", n=count(max(1, round(seconds))))
    return t("training.ready.minutes", n=count(round(seconds / 60)))


def show_ready_estimate(raw_shape, classes: int, available: int | None = None) -> None:
    """Nothing for the lab's own models (they are sized for a CPU). ``raw_shape``: the dataset's images."""
    exp, _ = apply_caps(state.experiment(), Caps.from_env(), available=available)
    if not exp.model.ready:
        return
    images = load_splits(exp.data).sizes()["train"]
    input_shape, problem = model_input_shape(raw_shape, exp.augment)  # after the augmentation's crops
    est = None if problem else epoch_estimate(exp.model, input_shape, classes, images)
    if est is None:
        return
    source = t("training.ready.calibrated") if est.calibrated else t("training.ready.reference")
    text = t("training.ready.estimate", arch=exp.model.arch, time=_duration(est.seconds), images=count(images),
             speed=count(round(est.images_per_sec)), source=source)
    if est.seconds <= SLOW_SECONDS:
        st.caption(text)
        return
    st.warning(text + "\n\n" + t("training.ready.suggest", limit=count(est.suggested_limit), preset="cifar_fast"),
               icon=":material/hourglass_top:")
