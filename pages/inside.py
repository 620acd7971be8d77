"""Inside the model: what each layer of the student's CNN sees (the lab's own blocks, or a ready
torchvision network at the end of each stage), and why it answers.

The page only reads widgets and draws: the forward pass, feature maps, Grad-CAM and
occlusion are ``lab.inspect`` (the same functions ``python -m lab inspect`` uses); the
picture takes the Prediction page's preprocessing. Every bad file ends as ``st.error``.
"""

from __future__ import annotations

import streamlit as st

from lab.errors import LabError
from lab.inspect import inspect_tensor, load_initial_filters
from lab.predict.preprocess import STEP_KEYS
from lab.ui.lab_errors import error_text
from lab.ui.i18n import t
from lab.ui.inside.sources import choose_input, choose_model
from lab.ui.inside.views import show_answer, show_features, show_filters, show_gradcam, show_occlusion
from lab.ui.router import ensure_app_router

ensure_app_router()  # a direct URL (/inside) must still go through app.py


def guarded(fn, *args):
    """Call ``fn``; a LabError becomes a st.error and None (the page goes on)."""
    try:
        return fn(*args)
    except LabError as exc:
        message = error_text(exc)
        st.error(t("error.prefix", message=message))
        return None


def main() -> None:
    st.title(t("nav.inside"))
    st.caption(t("inside.intro"))
    left, right = st.columns(2, gap="large")
    with left:
        st.subheader(t("inside.model_header"))
        source = guarded(choose_model)
    if source is None:
        return
    with right:
        st.subheader(t("inside.image_header"))
        look_input = guarded(choose_input, source.checkpoint)
    if look_input is None:
        return
    prepared = look_input.prepared
    st.caption(t("inside.preprocessed", steps=", ".join(t(STEP_KEYS[k]) for k in prepared.applied)))
    look = guarded(inspect_tensor, source.checkpoint, prepared.tensor)
    if look is None:
        return
    show_answer(look, prepared)
    show_features(look, prepared, source.checkpoint.config.model.arch)
    show_filters(source.checkpoint.model, load_initial_filters(source.run_dir))
    show_gradcam(look, prepared)
    show_occlusion(source.checkpoint.model, look, prepared, look_input.label)


main()
