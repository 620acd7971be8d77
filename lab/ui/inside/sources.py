"""Inside page widgets: which model (session, journal, upload, the Prediction page's) and
which picture (drawn, a test image, uploaded, a camera shot, the Prediction page's).

Each chooser returns plain lab objects; every picture is prepared by ``lab.predict``'s
functions, so the Inside page and the Prediction page feed the model the same tensor.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import streamlit as st
import torch

from lab.model.checkpoint import Checkpoint
from lab.errors import LabError, keyed
from lab.paths import runs_dir
from lab.predict.source_data import open_test_image, open_test_indices
from lab.ui.lab_errors import show_error
from lab.model.checkpoint_messages import MESSAGES as CHECKPOINT_MESSAGES
from lab.inspect.sources import has_ink, prepare_drawing
from lab.predict import Options, Prepared, Target, prepare_image, prepare_pixels
from lab.ui import inputs, state
from lab.ui.checkpoints import ChosenModel, choose_model as choose_model_for
from lab.ui.data import load_splits
from lab.i18n import translate
from lab.ui.format import dataset_label
from lab.ui.i18n import t

MODEL_SOURCES = {
    "prediction": "inside.source.prediction", "session": "inside.source.session", "journal": "inside.source.journal",
    "upload": "inside.source.upload"
}
IMAGE_SOURCES = {
    "draw": "inside.input.draw", "dataset": "inside.input.dataset", "upload": "inside.input.upload",
    "camera": "inside.input.camera", "prediction": "inside.input.prediction"
}

CANVAS_PX = 280  # 10 screen pixels per model pixel of a 28x28 digit
BRUSH_PX = 20  # about MNIST's 2-pixel strokes once the drawing is fitted into 20x20
INDEX_KEY = "inside_test_index"


@dataclass
class Handoff:
    """What the Prediction page last showed: its model and its picture."""

    checkpoint: Checkpoint
    data: bytes | None = None  # file bytes (upload, camera)
    pixels: torch.Tensor | None = None  # a dataset image, uint8 (C, H, W)
    label: str | None = None  # its true class
    options: Options = Options()


@dataclass
class Look:
    """The picture, prepared for the model."""

    prepared: Prepared
    label: str | None = None  # the true class, when known


def labeller(keys: dict[str, str]):
    lang = state.language()  # bound now: AppTest calls format_func outside the run
    return lambda key: translate(keys[key], lang)


def link_from_prediction(checkpoint: Checkpoint, data: bytes | None, pixels: torch.Tensor | None,
                         label: str | None, options: Options) -> None:
    """On the Prediction page: remember its model and picture, and link to the Inside page."""
    state.set_inside_handoff(Handoff(checkpoint, data, pixels, label, options))
    st.page_link("pages/inside.py", label=t("inside.from_predict"), icon=":material/visibility:")


# --- the model -----------------------------------------------------------------------------
def choose_model() -> ChosenModel | None:
    handoff = state.inside_handoff()
    found = choose_model_for("inside", handoff.checkpoint if handoff else None)
    if found is None:
        return None
    ck = found.checkpoint
    common = dict(dataset=dataset_label(ck.dataset or ck.config.data.dataset), classes=len(ck.classes),
                  shape="×".join(str(v) for v in ck.input_shape))
    if ck.config.model.ready:
        st.caption(t("inside.model_summary_ready", arch=ck.config.model.arch, **common))
    else:
        st.caption(t("inside.model_summary", blocks=len(ck.config.model.blocks), **common))
    return found


# --- the picture ----------------------------------------------------------------------------------
def choose_input(ck: Checkpoint) -> Look | None:
    target = Target.of(ck)
    handoff = state.inside_handoff()
    sources = (["prediction"] if handoff else []) + \
        (["draw"] if target.channels == 1 else []) + ["dataset", "upload", "camera"]
    source = st.radio(t("inside.image_source"), sources, format_func=labeller(IMAGE_SOURCES), horizontal=True,
                      key=state.translated_choice("inside_image_source"))
    look = None
    if source == "prediction":
        if handoff.pixels is not None:
            look = Look(prepare_pixels(handoff.pixels, target, handoff.options), handoff.label)
        else:
            look = Look(prepare_image(handoff.data, target, handoff.options))
    elif source == "draw":
        look = _drawing(target)
    elif source == "dataset":
        look = _test_image(ck, target)
    elif source == "upload":
        upload = inputs.upload("picture", t("inside.upload_image"), key="inside_image_file")
        if upload is not None:
            look = Look(prepare_image(upload.getvalue(), target, name=upload.name))
    else:
        shot = st.camera_input(t("inside.camera"), key="inside_camera")
        if shot is not None:
            look = Look(prepare_image(shot.getvalue(), target, name="camera.jpg"))
    if look is None and source not in ("draw",):
        st.info(t("inside.waiting_image"))
    return look


def _drawing(target: Target) -> Look | None:
    from streamlit_drawable_canvas import st_canvas  # pinned 0.13: the Components-v2 line for current Streamlit

    st.markdown("&nbsp;")  # room for the canvas's own toolbar, which floats above it
    result = st_canvas(stroke_width=BRUSH_PX, stroke_color="#FFFFFF", background_color="#000000",
                       height=CANVAS_PX, width=CANVAS_PX, drawing_mode="freedraw", update_streamlit=True,
                       return_image_data=True, key="inside_canvas")
    st.caption(t("inside.draw_hint"))
    png = result.image_bytes
    if not has_ink(png):
        st.info(t("inside.draw_empty"))
        return None
    return Look(prepare_drawing(png, target))


def _test_image(ck: Checkpoint, target: Target) -> Look | None:
    splits = load_splits(ck.config.data)
    last = len(splits.test_y) - 1
    if last < 0:
        raise keyed(CHECKPOINT_MESSAGES, "checkpoint.no_test_images", dataset=ck.config.data.dataset)
    allowed, public = open_test_indices(splits.test_y, runs_dir())  # classroom: the open half only

    def pick_random() -> None:
        st.session_state[INDEX_KEY] = int(allowed[secrets.randbelow(len(allowed))])

    left, right = st.columns([2, 1], vertical_alignment="bottom")
    first = int(allowed[0]) if len(allowed) else 0
    index = int(inputs.number(t("inside.test_index", last=last), (0, last), first, key=INDEX_KEY, where=left))
    right.button(t("inside.random"), icon=":material/shuffle:", on_click=pick_random, key="inside_random")
    if public:
        st.caption(t("predict.open_half", open=len(allowed), total=len(splits.test_y)))
    try:
        pixels, label = open_test_image(splits.test_x, splits.test_y, index, runs_dir())
    except LabError as exc:
        show_error(exc)
        return None
    name = ck.classes[label] if label < len(ck.classes) else str(label)
    st.markdown(t("inside.true_label", label=name))
    return Look(prepare_pixels(pixels, target), name)
